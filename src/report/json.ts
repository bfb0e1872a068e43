import type { ReportFormat } from './model.js';
import { verdictRecordJson } from './verdict-record.js';

/** {"verdicts":[…],"summary":{…}}; verdicts are streamed, the summary closes the document. */
export const jsonFormat: ReportFormat = {
  id: 'json',
  description: 'all verdicts plus the summary, as one JSON document',
  create(out, options) {
    let first = true;
    out.write('{\n  "verdicts": [');
    return {
      add(result) {
        out.write(`${first ? '\n' : ',\n'}    ${verdictRecordJson(result, { baseline: options.baseline })}`);
        first = false;
      },
      finish(summary) {
        out.write(`${first ? '' : '\n  '}],\n  "summary": ${JSON.stringify(summary, null, 2).replace(/\n/g, '\n  ')}\n}\n`);
      },
    };
  },
};
