import type { ReportFormat } from './model.js';
import { toVerdictRecord } from './verdict-record.js';
import { verdictJson } from './verdict-json.js';

/** Verdicts are handed to the output in chunks of about this many characters (see ndjson.ts). */
const CHUNK_CHARS = 64 * 1024;

/** {"verdicts":[…],"summary":{…}}; verdicts are streamed, the summary closes the document. */
export const jsonFormat: ReportFormat = {
  id: 'json',
  description: 'all verdicts plus the summary, as one JSON document',
  create(out, options) {
    let first = true;
    let pending = '{\n  "verdicts": [';
    return {
      add(result) {
        pending += `${first ? '\n' : ',\n'}    ${verdictJson(toVerdictRecord(result, { baseline: options.baseline }))}`;
        first = false;
        if (pending.length >= CHUNK_CHARS) {
          out.write(pending);
          pending = '';
        }
      },
      finish(summary) {
        out.write(`${pending}${first ? '' : '\n  '}],\n  "summary": ${JSON.stringify(summary, null, 2).replace(/\n/g, '\n  ')}\n}\n`);
        pending = '';
      },
    };
  },
};
