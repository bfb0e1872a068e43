import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonSplitter } from '../../src/cluster/load-stream.js';

interface Split {
  documents: unknown[];
  bad: string[];
}

const isObjectArray = (path: readonly string[]): boolean => path.length === 0 || (path.length === 1 && path[0] === 'items') || (path.length === 2 && path[0] === 'objects');

/** Feed `text` in chunks of the given sizes and rebuild each document with its split arrays filled again. */
function split(text: string | Buffer, chunkSizes: number[] = [1 << 20]): Split {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const documents: unknown[] = [];
  const bad: string[] = [];
  let pending: { path: string; values: unknown[] }[] = [];
  const splitter = new JsonSplitter({
    split: isObjectArray,
    element: (_d, path, value) => {
      let slot = pending.find((p) => p.path === path);
      if (!slot) pending.push((slot = { path, values: [] }));
      slot.values.push(value);
    },
    badElement: (_d, path, index) => bad.push(`${path}[${index}]`),
    document: (_d, skeleton) => {
      let doc = skeleton;
      for (const { path, values } of pending) {
        if (path === '') doc = values;
        else {
          const keys = path.split('.');
          let target = doc as Record<string, unknown>;
          for (const k of keys.slice(0, -1)) target = target[k] as Record<string, unknown>;
          target[keys[keys.length - 1]] = values;
        }
      }
      pending = [];
      documents.push(doc);
    },
  });
  let offset = 0;
  let k = 0;
  while (offset < bytes.length) {
    const size = Math.max(1, chunkSizes[k++ % chunkSizes.length]);
    splitter.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  splitter.end();
  return { documents, bad };
}

const tricky = {
  apiVersion: 'v1',
  items: [
    { kind: 'Pod', metadata: { name: 'a', annotations: { x: 'brackets ] } [ { and "quotes" and \\ backslashes \\\\' } }, spec: { containers: [{ name: 'c', args: ['[', ']', '{', '}', '"'] }] } },
    { kind: 'Pod', metadata: { name: 'ünïcödé-名前', labels: { 'items': 'not the list' } } },
    { kind: 'Pod', metadata: { name: 'c' }, items: [1, 2, 3] },
  ],
  kind: 'List',
  metadata: { resourceVersion: '' },
};

describe('JsonSplitter', () => {
  it('rebuilds a kubectl List exactly, whatever the chunk boundaries', () => {
    const text = JSON.stringify(tricky, null, 4);
    for (const sizes of [[1], [2, 3], [7], [64], [1 << 20]]) {
      expect(split(text, sizes).documents, String(sizes)).toEqual([tricky]);
    }
  });

  it('reads own-format objects.<resource> arrays, a top-level array, and concatenated or NDJSON documents', () => {
    const own = { kind: 'KdrTriageSnapshot', objects: { pods: [{ metadata: { name: 'p' } }], nodes: [] }, gaps: [{ resource: 'events' }] };
    expect(split(JSON.stringify(own)).documents).toEqual([own]);
    expect(split('[{"kind":"Pod"},{"kind":"Node"}]').documents).toEqual([[{ kind: 'Pod' }, { kind: 'Node' }]]);
    expect(split('\ufeff{"kind":"Pod","metadata":{"name":"a"}}\n{"kind":"Pod","metadata":{"name":"b"}}\n\n[]').documents).toEqual([
      { kind: 'Pod', metadata: { name: 'a' } },
      { kind: 'Pod', metadata: { name: 'b' } },
      [],
    ]);
  });

  it('keeps the arrays of several snapshots in a list apart', () => {
    const list = { kind: 'KdrTriageSnapshotList', snapshots: [{ objects: { pods: [{ n: 1 }, { n: 2 }] } }, { objects: { pods: [{ n: 3 }] } }] };
    const isSplit = (path: readonly string[]): boolean => path.length === 3 && path[0] === 'snapshots' && path[1] === 'objects';
    const seen: string[] = [];
    const splitter = new JsonSplitter({ split: isSplit, element: (_d, path, v) => seen.push(`${path}=${JSON.stringify(v)}`), badElement: () => undefined, document: () => undefined });
    splitter.push(Buffer.from(JSON.stringify(list)));
    splitter.end();
    expect(seen).toEqual(['snapshots.0.objects.pods={"n":1}', 'snapshots.0.objects.pods={"n":2}', 'snapshots.1.objects.pods={"n":3}']);
  });

  it('reports a bad element and keeps the others; passes primitives where objects belong as null', () => {
    const { documents, bad } = split('{"items":[{"a":1},{"b":tru},"x, ]",42,{"c":3}],"kind":"List"}', [5]);
    expect(bad).toEqual(['items[1]']);
    expect(documents).toEqual([{ items: [{ a: 1 }, null, null, { c: 3 }], kind: 'List' }]);
  });

  it('rejects truncated input and non-JSON', () => {
    expect(() => split('{"items":[{"a":1},{"b"')).toThrow(/end of file/);
    expect(() => split('kind: Pod')).toThrow(/not JSON/);
    expect(() => split('{"a":1} trailing')).toThrow(/not JSON/);
  });

  it('agrees with JSON.parse on arbitrary JSON split at arbitrary points (property)', () => {
    const objectArb = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });
    fc.assert(
      fc.property(
        fc.record({ kind: fc.string({ maxLength: 5 }), items: fc.array(objectArb, { maxLength: 5 }), extra: fc.jsonValue({ maxDepth: 2 }) }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (doc, sizes, pretty) => {
          const text = JSON.stringify(doc, null, pretty ? 2 : undefined);
          expect(split(text, sizes).documents).toEqual([JSON.parse(text)]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
