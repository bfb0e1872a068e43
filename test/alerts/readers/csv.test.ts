import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvFramer, decodeCsvRecords, readCsv, sniffDelimiter } from '../../../src/alerts/readers/csv.js';
import type { Frame } from '../../../src/alerts/readers/input.js';

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

async function rows(text: string, delimiter = ',') {
  const out: unknown[] = [];
  for await (const r of readCsv(once(text), delimiter)) out.push(r);
  return out;
}

/** Frames of `bytes` cut into pieces at `cuts`, with a small frame size so records spread over many frames. */
function frame(bytes: Buffer, cuts: number[], frameBytes: number, maxRecordBytes = 1 << 20): Frame[] {
  const framer = new CsvFramer(maxRecordBytes, frameBytes);
  const out: Frame[] = [];
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b).concat(bytes.length)) {
    out.push(...framer.push(bytes.subarray(at, cut)));
    at = cut;
  }
  out.push(...framer.end());
  return out;
}

/** Records through framer + decoder, numbered as the reader numbers them (record 1 = first record of the file). */
function records(frames: Frame[], delimiter = ',') {
  const out: { cells?: string[]; error?: string; record: number; line: number }[] = [];
  let next = 1;
  for (const f of frames) {
    if (f.kind === 'problem') {
      out.push({ error: f.message, record: next, line: f.line });
      next += f.records;
      continue;
    }
    const decoded = decodeCsvRecords(f.bytes.toString('utf8'), delimiter, next, f.firstLine);
    // The framer's count and the decoder's records must agree, or numbering would drift between threads.
    expect(decoded).toHaveLength(f.records);
    out.push(...decoded);
    next += f.records;
  }
  return out;
}

describe('readCsv', () => {
  it('maps rows onto header names, keeps quoted commas and multi-line cells, and numbers rows and lines', async () => {
    const out = await rows('Time,Cmd,Extra\n2026-01-01T00:00:00Z,"sh -c ""a,b""","line1\nline2"\n2026-01-01T00:00:01Z,id,x\n');
    expect(out).toEqual([
      { record: { Time: '2026-01-01T00:00:00Z', Cmd: 'sh -c "a,b"', Extra: 'line1\nline2' }, row: 1, line: 2 },
      { record: { Time: '2026-01-01T00:00:01Z', Cmd: 'id', Extra: 'x' }, row: 2, line: 4 },
    ]);
  });
  it('reports a row with the wrong number of columns with its line, and goes on', async () => {
    const out = await rows('a,b\n1,2\n3\n4,5\n');
    expect(out).toEqual([
      { record: { a: '1', b: '2' }, row: 1, line: 2 },
      { error: 'expected 2 columns, found 1', line: 3 },
      { record: { a: '4', b: '5' }, row: 3, line: 4 },
    ]);
  });
  it('sniffs the delimiter from the header', () => {
    expect(sniffDelimiter('a;b;c\n1;2;3')).toBe(';');
    expect(sniffDelimiter('a\tb\tc')).toBe('\t');
    expect(sniffDelimiter('"x,y";b;c')).toBe(';');
    expect(sniffDelimiter('a,b')).toBe(',');
  });
});

describe('CsvFramer + decodeCsvRecords', () => {
  const cell = fc.oneof(
    fc.stringMatching(/^[a-z0-9 ._-]{0,12}$/),
    fc.string({ maxLength: 12 }).map((s) => s.replace(/\r/g, '')),
    fc.constantFrom('', 'a,b', 'say "hi"', 'two\nlines', 'crlf\r\ninside', '{"json":[1,2]}', 'é ü 漢字 🙂'),
  );
  const quote = (c: string) => (/[",\r\n]/.test(c) || c === '' ? `"${c.replace(/"/g, '""')}"` : c);

  it('reads what csv-parse reads, whatever the chunk and frame boundaries and line endings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 30 }),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.integer({ min: 1, max: 300 }),
        (columns, table, eol, cutSeeds, frameBytes) => {
          const data = table.map((r) => r.slice(0, columns));
          const text = data.map((r) => r.map(quote).join(',')).join(eol) + eol;
          const bytes = Buffer.from(text, 'utf8');
          const got = records(frame(bytes, cutSeeds.map((c) => c % (bytes.length + 1)), frameBytes));
          const expected = parse(text, { relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
          expect(got.map((r) => r.cells)).toEqual(expected.map((e) => e.record));
          expect(got.map((r) => r.record)).toEqual(expected.map((_, i) => i + 1));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same records and lines however the stream is cut and framed, with any mix of LF, CRLF, lone CR and blank lines', () => {
    const piece = fc.constantFrom('a', 'b,c', '"q\r\nr"', '"x\ry"', '""', 'é', '\n', '\r\n', '\r', '\r\n\n', ',');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 25 }), fc.array(fc.nat(), { maxLength: 8 }), fc.integer({ min: 1, max: 40 }), (pieces, cuts, frameBytes) => {
        const bytes = Buffer.from(pieces.join(''), 'utf8');
        const whole = records(frame(bytes, [], 1 << 20));
        expect(records(frame(bytes, cuts.map((c) => c % (bytes.length + 1)), frameBytes))).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });

  it('numbers the physical line where each record starts, counting lines inside quoted cells and blank lines', () => {
    const text = 'h1,h2\r\n\r\na,"x\ny"\rb,c\n\n"p\r\nq",r';
    const bytes = Buffer.from(text);
    for (const size of [1, 2, 5, 1000]) {
      for (const cut of [0, 3, 7, 9, 10, 14, 20]) {
        const got = records(frame(bytes, [cut], size));
        expect(got.map((r) => [r.cells, r.line])).toEqual([
          [['h1', 'h2'], 1],
          [['a', 'x\ny'], 3],
          [['b', 'c'], 5],
          [['p\r\nq', 'r'], 7],
        ]);
      }
    }
  });

  it('rejects a broken record with its line, resynchronising exactly as the framer counts', () => {
    const text = 'a,b\nx"y"z,1\n2,3\n"multi\nline",4\n"ok"tail,9\n10,11\n';
    const got = records(frame(Buffer.from(text), [], 4));
    expect(got.map((r) => r.cells ?? r.error)).toEqual([['a', 'b'], 'a quote inside unquoted cell 1', ['2', '3'], ['multi\nline', '4'], 'unexpected text after the closing quote of cell 1', ['10', '11']]);
    expect(got.map((r) => r.line)).toEqual([1, 2, 3, 4, 6, 7]);
  });

  it('lets a stray quote in an unquoted cell spoil that record only (a quote opens a quoted cell only at its start)', () => {
    const text = 'a,b\nx"y,1\n2,3"\n4,5\n';
    for (const cuts of [[], [5, 9], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]]) {
      const got = records(frame(Buffer.from(text), cuts, 3));
      expect(got.map((r) => r.cells ?? r.error)).toEqual([['a', 'b'], 'a quote inside unquoted cell 1', 'a quote inside unquoted cell 2', ['4', '5']]);
      expect(got.map((r) => r.line)).toEqual([1, 2, 3, 4]);
    }
  });

  it('refuses a record over the size limit without buffering it, and goes on with the next', () => {
    const big = 'x'.repeat(5000);
    const text = `h\nsmall\n"${big}\n${big}"\nafter\n`;
    const bytes = Buffer.from(text);
    const frames = frame(bytes, [10, 100, 3000, 6000, 9000], 16, 1000);
    // No frame ever holds the large record.
    for (const f of frames) if (f.kind === 'data') expect(f.bytes.length).toBeLessThan(1000);
    const got = records(frames);
    expect(got.map((r) => r.cells ?? r.error)).toEqual([['h'], ['small'], 'record larger than 1000 bytes', ['after']]);
    expect(got.map((r) => r.record)).toEqual([1, 2, 3, 4]);
    expect(got.map((r) => r.line)).toEqual([1, 2, 3, 5]);
  });

  it('reports a quote left open at the end of the file', () => {
    const got = records(frame(Buffer.from('a,b\n1,"never closed\n'), [], 1000));
    expect(got[1]).toMatchObject({ error: 'a quoted cell is never closed', line: 2 });
  });
});

describe('decodeCsvRecords line numbers', () => {
  it('numbers each record by the line breaks before it, inside quoted cells too (LF, CR, CRLF, doubled quotes)', () => {
    const cellPiece = fc.constantFrom('a', '""', '\n', '\r', '\r\n', ',', 'é');
    const cell = fc.oneof(
      fc.constantFrom('x', '', '12'),
      fc.array(cellPiece, { maxLength: 8 }).map((p) => `"${p.join('')}"`),
    );
    // A first cell that is never empty: an empty line is a blank line, not a record.
    const record = fc.array(cell, { minLength: 1, maxLength: 4 }).map((c) => ['k', ...c].join(','));
    const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
    fc.assert(
      fc.property(fc.array(fc.tuple(record, lineEnd), { minLength: 1, maxLength: 8 }), (rows) => {
        let text = '';
        const expectedLines: number[] = [];
        for (const [r, end] of rows) {
          expectedLines.push(1 + (text.match(/\r\n|\r|\n/g)?.length ?? 0));
          text += r + end;
        }
        const items = decodeCsvRecords(text, ',', 1, 1);
        expect(items.map((i) => i.line)).toEqual(expectedLines);
        // Doubled quotes read as one, line breaks in cells kept as written.
        for (const [k, [r]] of rows.entries()) {
          const cells = items[k].cells!;
          expect(cells.join(',')).toBe(
            r.replace(/"((?:[^"]|"")*)"/g, (_, body: string) => body.replace(/""/g, '"')),
          );
        }
      }),
      { numRuns: 500 },
    );
  });
});
