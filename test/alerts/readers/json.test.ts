import { describe, expect, it } from 'vitest';
import { parseJsonRecord, protectBigInts, splitJsonDocument } from '../../../src/alerts/readers/json.js';

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function split(text: string, size = 7) {
  const out: unknown[] = [];
  for await (const el of splitJsonDocument(chunked(text, size))) out.push('error' in el ? { error: el.error } : { value: JSON.parse(el.text), line: el.line });
  return out;
}

describe('protectBigInts', () => {
  it('keeps integers beyond 2^53 exact as strings and leaves safe numbers and strings alone', () => {
    const parsed = parseJsonRecord('{"evt.time":1795162507412803117,"pid":1719309930613520072,"small":42,"s":"1795162507412803117x","f":1.5e20}') as Record<string, unknown>;
    expect(parsed['evt.time']).toBe('1795162507412803117');
    expect(parsed.pid).toBe('1719309930613520072');
    expect(parsed.small).toBe(42);
    expect(parsed.s).toBe('1795162507412803117x');
    expect(parsed.f).toBe(1.5e20);
  });
  it('does not touch digits inside strings with escaped quotes', () => {
    expect(protectBigInts('{"a":"x\\"12345678901234567890"}')).toBe('{"a":"x\\"12345678901234567890"}');
  });
});

describe('splitJsonDocument', () => {
  it('streams the elements of a top-level array, whatever the chunk boundaries', async () => {
    const doc = '[\n {"a": 1, "b": "]}"},\n {"a": 2, "c": [1, {"d": 3}]}\n]';
    for (const size of [1, 3, 7, 1000]) {
      expect(await split(doc, size)).toEqual([
        { value: { a: 1, b: ']}' }, line: 2 },
        { value: { a: 2, c: [1, { d: 3 }] }, line: 3 },
      ]);
    }
  });
  it('finds the array under a wrapper key such as resources or a nested reply.alerts', async () => {
    expect(await split('{"meta":{"x":[1,2]},"resources":[{"id":"a"},{"id":"b"}]}')).toEqual([
      { value: { id: 'a' }, line: 1 },
      { value: { id: 'b' }, line: 1 },
    ]);
    expect(await split('{"reply":{"total":2,"alerts":[{"id":1},{"id":2}]}}')).toHaveLength(2);
  });
  it('treats an object without a wrapper array as one record, and concatenated objects as several', async () => {
    expect(await split('{\n "id": "x",\n "tags": ["a"]\n}\n')).toEqual([{ value: { id: 'x', tags: ['a'] }, line: 1 }]);
    expect(await split('{"a":1}\n{"a":2}\n{"a":3}')).toHaveLength(3);
  });
  it('reports a truncated document instead of hanging or throwing', async () => {
    const out = await split('[{"a":1},{"a":');
    expect(out[0]).toEqual({ value: { a: 1 }, line: 1 });
    expect(out[1]).toMatchObject({ error: expect.stringContaining('truncated') });
  });
});
