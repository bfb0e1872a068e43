import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getPath } from '../../src/alerts/fields.js';

/** getPath as it was: an `in` test first for every path. */
function getPathBefore(record: unknown, path: string): unknown {
  if (record === null || typeof record !== 'object') return undefined;
  const obj = record as Record<string, unknown>;
  if (path in obj) return obj[path];
  let dot = path.indexOf('.');
  while (dot !== -1) {
    const head = path.slice(0, dot);
    if (head in obj) {
      const found = getPathBefore(obj[head], path.slice(dot + 1));
      if (found !== undefined) return found;
    }
    dot = path.indexOf('.', dot + 1);
  }
  return undefined;
}

describe('getPath', () => {
  it('reads what the in-test-first version read: plain, dotted and nested keys, undefined values, arrays, prototype names', () => {
    const key = fc.constantFrom('a', 'b', 'a.b', 'b.c', 'a.b.c', 'c', '0', 'toString', '__proto__', 'constructor');
    const leaf = fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.constant(undefined), fc.constant(null));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.dictionary(key, tie('node'), { maxKeys: 4 }), fc.array(tie('node'), { maxLength: 2 })),
    })).node;
    const path = fc.array(fc.constantFrom('a', 'b', 'c', '0', 'toString', 'x'), { minLength: 1, maxLength: 4 }).map((p) => p.join('.'));
    fc.assert(
      fc.property(tree, path, (record, p) => {
        expect(getPath(record, p)).toBe(getPathBefore(record, p));
      }),
      { numRuns: 3000 },
    );
    const parsed = JSON.parse('{"__proto__":{"x":1},"k8s.ns.name":"n","container":{"image.name":"i"}}') as unknown;
    for (const p of ['__proto__', '__proto__.x', 'k8s.ns.name', 'container.image.name', 'toString', 'missing']) expect(getPath(parsed, p)).toBe(getPathBefore(parsed, p));
  });
});
