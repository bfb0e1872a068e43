import type { ReportFormat } from './model.js';
import { toVerdictRecord } from './verdict-record.js';

export const ndjsonFormat: ReportFormat = {
  id: 'ndjson',
  description: 'one verdict object per line, streamed (machine-readable)',
  create(out) {
    return {
      add(result) {
        out.write(`${JSON.stringify(toVerdictRecord(result))}\n`);
      },
      finish() {},
    };
  },
};
