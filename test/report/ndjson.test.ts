import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineChunker } from '../../src/report/ndjson.js';

function collector(): { out: Writable; chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { out, chunks };
}

describe('LineChunker', () => {
  it('writes exactly the UTF-8 of the concatenated lines, in whole lines per chunk, whatever the characters', () => {
    const line = fc.string({ unit: fc.oneof(fc.constantFrom('a', '"', '…', 'é', '😀', '\u2028'), fc.string({ unit: 'grapheme', maxLength: 3 })), maxLength: 400 }).map((s) => `${JSON.stringify({ m: s })}\n`);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.integer({ min: 1, max: 2048 }), (lines, chunkBytes) => {
        const { out, chunks } = collector();
        const chunker = new LineChunker(out, chunkBytes);
        for (const l of lines) chunker.add(l);
        chunker.flush();
        expect(Buffer.concat(chunks).equals(Buffer.from(lines.join(''), 'utf8'))).toBe(true);
        // Every chunk decodes on its own (no character cut between two writes) and ends at a line end.
        for (const c of chunks) {
          expect(Buffer.from(c.toString('utf8'), 'utf8').equals(c)).toBe(true);
          expect(c[c.length - 1]).toBe(0x0a);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('batches lines into chunks of about the chunk size, and writes nothing for no lines', () => {
    const { out, chunks } = collector();
    const chunker = new LineChunker(out, 1000);
    for (let i = 0; i < 100; i++) chunker.add(`${'x'.repeat(99)}\n`);
    chunker.flush();
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.length).toBeLessThan(40);
    const empty = collector();
    new LineChunker(empty.out).flush();
    expect(empty.chunks).toEqual([]);
  });
});
