import { Writable } from 'node:stream';
import type { ReportFormat, ReportOptions } from '../../src/report/model.js';
import type { Summary } from '../../src/report/summary.js';
import type { TriageResult } from '../../src/triage/model.js';

/** Run a format over results and return everything it wrote. */
export async function render(format: ReportFormat, results: Iterable<TriageResult>, summary: Summary, options: Partial<ReportOptions> = {}): Promise<string> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      callback();
    },
  });
  const sink = format.create(out, { color: false, explain: false, ...options });
  for (const result of results) sink.add(result);
  await sink.finish(summary);
  return Buffer.concat(chunks).toString('utf8');
}
