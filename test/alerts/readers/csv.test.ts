import { describe, expect, it } from 'vitest';
import { readCsv, sniffDelimiter } from '../../../src/alerts/readers/csv.js';

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

async function rows(text: string, delimiter = ',') {
  const out: unknown[] = [];
  for await (const r of readCsv(once(text), delimiter)) out.push(r);
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
