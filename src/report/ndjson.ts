import type { ReportFormat } from './model.js';
import { toVerdictRecord } from './verdict-record.js';

/**
 * Lines are handed to the output in chunks of about this many characters: one write per verdict costs a system call
 * each on a pipe (stdout is synchronous there), more than making the line.
 */
const CHUNK_CHARS = 64 * 1024;

export const ndjsonFormat: ReportFormat = {
  id: 'ndjson',
  description: 'one verdict object per line, streamed (machine-readable)',
  create(out, options) {
    let pending = '';
    return {
      add(result) {
        pending += `${JSON.stringify(toVerdictRecord(result, { baseline: options.baseline }))}\n`;
        if (pending.length >= CHUNK_CHARS) {
          out.write(pending);
          pending = '';
        }
      },
      finish() {
        if (pending) out.write(pending);
        pending = '';
      },
    };
  },
};
