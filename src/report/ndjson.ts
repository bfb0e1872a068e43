import type { ReportFormat } from './model.js';
import { verdictRecordJson } from './verdict-record.js';

export const ndjsonFormat: ReportFormat = {
  id: 'ndjson',
  description: 'one verdict object per line, streamed (machine-readable)',
  create(out, options) {
    return {
      add(result) {
        out.write(`${verdictRecordJson(result, { baseline: options.baseline })}\n`);
      },
      finish() {},
    };
  },
};
