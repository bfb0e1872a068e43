import type { Writable } from 'node:stream';
import type { ReportFormat } from './model.js';
import { toVerdictRecord } from './verdict-record.js';
import { verdictJson } from './verdict-json.js';

/**
 * Lines are handed to the output in chunks of about this many bytes: one write per verdict costs a system call
 * each on a pipe (stdout is synchronous there), more than making the line.
 */
const CHUNK_BYTES = 64 * 1024;

/**
 * Whole lines encoded as UTF-8 into one buffer per chunk. Each line is encoded on its own: a concatenation of lines
 * becomes a two-byte string as soon as one line holds a non-Latin-1 character (a "…" in a message), and encoding that
 * whole chunk costs several times what encoding its one-byte lines does. A chunk always ends at a line end, so a
 * multi-byte character is never split between writes.
 */
export class LineChunker {
  private buffer: Buffer | undefined;
  private used = 0;

  constructor(
    private readonly out: Writable,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {}

  /** One line, its line end included. */
  add(line: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair: 4 bytes for 2 units).
    const worst = line.length * 3;
    if (this.buffer && this.used + worst > this.buffer.length) this.flush();
    if (!this.buffer) {
      this.buffer = Buffer.allocUnsafe(Math.max(this.chunkBytes, worst));
      this.used = 0;
    }
    this.used += this.buffer.write(line, this.used, 'utf8');
  }

  flush(): void {
    if (this.buffer && this.used > 0) this.out.write(this.buffer.subarray(0, this.used));
    this.buffer = undefined;
    this.used = 0;
  }
}

export const ndjsonFormat: ReportFormat = {
  id: 'ndjson',
  description: 'one verdict object per line, streamed (machine-readable)',
  create(out, options) {
    const lines = new LineChunker(out);
    return {
      add(result) {
        lines.add(`${verdictJson(toVerdictRecord(result, { baseline: options.baseline }))}\n`);
      },
      finish() {
        lines.flush();
      },
    };
  },
};
