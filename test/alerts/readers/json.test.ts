import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../src/alerts/readers/input.js';
import { JsonFramer, mayHoldBareBigInt, nestedDeeperThan, parseJsonRecord, protectBigInts, splitJsonDocument } from '../../../src/alerts/readers/json.js';

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

/** What parseJsonRecord did before the pre-check: every text through protectBigInts. */
function parseAsBefore(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(protectBigInts(text)) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function parseNow(text: string): { value: unknown } | { error: string } {
  try {
    return { value: parseJsonRecord(text) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Pieces that make valid and broken JSON alike: big and safe integers in every place, inside and outside strings. */
const PIECES = ['{', '}', '[', ']', ':', ',', ' ', '\n', '\t', '"', '\\"', '\\', 'a', '-', '.', 'e', 'E', '+', '0', '7', 'true', 'null', '12345678901234567890', '9007199254740993', '-9007199254740993', '1234567890123456', '"k"', '"x12345678901234567"', '1.5e20', '\u2028'];

describe('parseJsonRecord pre-check (mayHoldBareBigInt)', () => {
  it('parses exactly as the full protectBigInts path on token soup (valid and invalid texts, same values, same errors)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        expect(parseNow(text)).toStrictEqual(parseAsBefore(text));
      }),
      { numRuns: 3000 },
    );
  });
  it('parses exactly as the full path on valid records with big integers anywhere', () => {
    const big = fc.oneof(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), fc.constantFrom(9007199254740993n, -9007199254740993n, 1234567890123456n));
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), big.map((b) => `\u0000BIG${b}\u0000`));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 })),
    })).node;
    fc.assert(
      fc.property(value, fc.constantFrom('', ' ', '\n\t'), (v, space) => {
        // Bare big integers in value positions, with and without whitespace around the punctuation.
        const text = JSON.stringify(v, null, space).replace(/"\\u0000BIG(-?\d+)\\u0000"/g, '$1');
        expect(parseNow(text)).toStrictEqual(parseAsBefore(text));
      }),
      { numRuns: 1500 },
    );
  });
  it('is only ever false where protectBigInts would leave the text alone, for valid JSON', () => {
    for (const text of ['{"a":"da638600000000000000_-494697939","b":12}', '["x12345678901234567890"]', '{"t":"12345678901234567890"}', '{"a":1.12345678901234567}', '{"e":1e12345678901234567}']) {
      expect(mayHoldBareBigInt(text)).toBe(false);
      expect(protectBigInts(text)).toBe(text);
    }
    for (const text of ['{"a":12345678901234567890}', '[ 12345678901234567890]', '{"a":1,\n -12345678901234567890}', ' 12345678901234567890']) {
      expect(mayHoldBareBigInt(text)).toBe(true);
      expect(protectBigInts(text)).not.toBe(text);
    }
  });
  it('keeps the lenient repair of a big integer used as a key, and the errors of broken records', () => {
    expect(parseJsonRecord('{12345678901234567890:1}')).toEqual({ '12345678901234567890': 1 });
    expect(parseNow('{"a":"x"12345678901234567}')).toStrictEqual(parseAsBefore('{"a":"x"12345678901234567}'));
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

describe('JsonFramer', () => {
  function frames(text: string, cuts: number[], options: { frameBytes?: number; max?: number; skeleton?: boolean; wrapper?: (k: string, d: number, p?: string) => boolean } = {}) {
    const framer = new JsonFramer(options.max ?? 1 << 20, options.frameBytes ?? 64, { skeleton: options.skeleton, wrapperArray: options.wrapper });
    const bytes = Buffer.from(text, 'utf8');
    const out: Frame[] = [];
    let at = 0;
    for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b).concat(bytes.length)) {
      out.push(...framer.push(bytes.subarray(at, cut)));
      at = cut;
    }
    out.push(...framer.end());
    return { framer, out };
  }
  function elements(out: Frame[]) {
    const got: unknown[] = [];
    for (const f of out) {
      if (f.kind === 'problem') {
        got.push({ problem: f.message, line: f.line, records: f.records });
        continue;
      }
      const e = f.elements!;
      expect(e.length / 3).toBe(f.records);
      for (let k = 0; k < e.length; k += 3) got.push({ text: f.bytes.toString('utf8', e[k], e[k + 1]), line: e[k + 2] });
    }
    return got;
  }

  it('skips over string contents exactly: escapes, quotes, line breaks inside and between strings, any cuts', () => {
    // Strings full of what the in-string fast path must stop at: escaped quotes and backslashes, and raw line breaks
    // (not valid JSON inside a string, but counted as lines all the same).
    const piece = fc.constantFrom('a', 'é', '\\"', '\\\\', '\\n', '\n', '\r', '\r\n', ']', '}', '{', ',', ' ', '\\u2028');
    const str = fc.array(piece, { maxLength: 12 }).map((p) => `"${p.join('')}"`);
    const record = fc.array(fc.tuple(str, fc.oneof(str, fc.constant('12'), fc.constant('[1,"x"]'))), { minLength: 1, maxLength: 4 }).map((kv) => `{${kv.map(([k, v]) => `${k}:${v}`).join(',')}}`);
    const separator = fc.constantFrom(',', ',\n', ' ,\r\n ', ',\r');
    fc.assert(
      fc.property(fc.array(fc.tuple(record, separator), { minLength: 1, maxLength: 6 }), fc.array(fc.nat({ max: 400 }), { maxLength: 10 }), (parts, cuts) => {
        let doc = '[';
        const expected: { text: string; line: number }[] = [];
        const lineAt = (offset: number) => 1 + (doc.slice(0, offset).match(/\r\n|\r|\n/g)?.length ?? 0);
        parts.forEach(([text, sep], k) => {
          expected.push({ text, line: lineAt(doc.length) });
          doc += text + (k < parts.length - 1 ? sep : '');
        });
        doc += ']';
        const byteCuts = cuts.map((c) => Buffer.byteLength(doc.slice(0, c % (doc.length + 1)), 'utf8'));
        expect(elements(frames(doc, byteCuts, { frameBytes: 50 }).out)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('yields every element of a top-level array with its line, including strings, numbers and literals, whatever the cuts', () => {
    const doc = '[\n {"a": "x\\"]}"},\n 42, "s,t", true,\n [1, {"b": null}], null, -1.5e3\n]\n';
    const expected = JSON.parse(doc) as unknown[];
    fc.assert(
      fc.property(fc.array(fc.nat({ max: doc.length }), { maxLength: 8 }), fc.integer({ min: 1, max: 100 }), (cuts, frameBytes) => {
        const got = elements(frames(doc, cuts, { frameBytes }).out) as { text: string; line: number }[];
        expect(got.map((g) => JSON.parse(g.text))).toEqual(expected);
        expect(got.map((g) => g.line)).toEqual([2, 3, 3, 3, 4, 4, 4]);
      }),
    );
  });

  it('agrees with JSON.parse on random arrays of objects', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 5 }), (values, cuts) => {
        const doc = JSON.stringify(values, null, values.length % 2 ? 2 : undefined);
        const got = elements(frames(doc, cuts.map((c) => c % (doc.length + 1))).out) as { text: string }[];
        expect(got.map((g) => JSON.parse(g.text))).toEqual(JSON.parse(doc));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses an element nested deeper than 64 levels, and one over the size limit, in its place, and goes on', () => {
    const deep = `${'['.repeat(70)}${']'.repeat(70)}`;
    const doc = `[{"a":1},\n${deep},\n{"big":"${'x'.repeat(2000)}"},\n{"b":2}]`;
    const got = elements(frames(doc, [30, 1000, 1500], { max: 1000 }).out);
    expect(got).toEqual([
      { text: '{"a":1}', line: 1 },
      { problem: 'record starting at line 2 is nested deeper than 64 levels', line: 2, records: 1 },
      { problem: 'record starting at line 3 is larger than 1000 bytes', line: 3, records: 1 },
      { text: '{"b":2}', line: 4 },
    ]);
  });

  it('keeps the document around streamed arrays as a skeleton (snapshot files)', () => {
    const doc = '{"apiVersion":"v1","items":[{"kind":"Pod"},{"kind":"Node"}],"kind":"List","metadata":{"x":[1]}}';
    for (const cut of [0, 5, 28, 40, 60, 80]) {
      const { framer, out } = frames(doc, [cut], { skeleton: true, wrapper: (k, d) => d === 1 && k === 'items' });
      expect((elements(out) as { text: string }[]).map((g) => g.text)).toEqual(['{"kind":"Pod"}', '{"kind":"Node"}']);
      expect(JSON.parse(framer.skeleton())).toEqual({ apiVersion: 'v1', items: [], kind: 'List', metadata: { x: [1] } });
    }
  });
});

describe('nestedDeeperThan', () => {
  it('counts brackets outside strings only', () => {
    expect(nestedDeeperThan(`${'['.repeat(65)}${']'.repeat(65)}`)).toBe(true);
    expect(nestedDeeperThan(`${'['.repeat(64)}${']'.repeat(64)}`)).toBe(false);
    expect(nestedDeeperThan(`{"s":"${'['.repeat(200)}"}`)).toBe(false);
  });
});
