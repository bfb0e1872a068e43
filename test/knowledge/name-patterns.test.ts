import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRepoOrPathSuffix, nameMatches } from '../../src/knowledge/components.js';

/** nameMatches as it was before its patterns were parsed once (the reference for the property below). */
function reference(patterns: string[], name: string | undefined): boolean {
  if (!name) return false;
  return patterns.some((p) => {
    if (p === '*') return true;
    const star = p.indexOf('*');
    if (star === -1) return p === name;
    const [pre, post] = [p.slice(0, star), p.slice(star + 1).replace(/\*$/, '')];
    if (p.endsWith('*') && p.startsWith('*')) return name.includes(p.slice(1, -1));
    if (p.endsWith('*')) return name.startsWith(pre);
    return name.endsWith(post) && name.startsWith(pre);
  });
}

const text = (chars: string[]) => fc.array(fc.constantFrom(...chars), { maxLength: 8 }).map((c) => c.join(''));

describe('nameMatches', () => {
  it('answers as the unparsed patterns did, for any patterns and name (stars anywhere, empty parts)', () => {
    fc.assert(
      fc.property(fc.array(text(['a', 'b', '-', '*']), { maxLength: 4 }), fc.option(text(['a', 'b', '-']), { nil: undefined }), (patterns, name) => {
        expect(nameMatches(patterns, name)).toBe(reference(patterns, name));
      }),
      { numRuns: 5000 },
    );
  });

  it('matches the pattern forms the knowledge uses', () => {
    expect(nameMatches(['prometheus-*'], 'prometheus-k8s')).toBe(true);
    expect(nameMatches(['*-prometheus'], 'kube-prometheus')).toBe(true);
    expect(nameMatches(['*prometheus-stack-prometheus'], 'kps-prometheus-stack-prometheus')).toBe(true);
    expect(nameMatches(['*cilium*'], 'my-cilium-agent')).toBe(true);
    expect(nameMatches(['*'], 'anything')).toBe(true);
    expect(nameMatches(['calico-node'], 'calico-node-x')).toBe(false);
    expect(nameMatches(['prometheus-*'], undefined)).toBe(false);
  });
});

describe('isRepoOrPathSuffix', () => {
  it('is `repo === suffix || repo.endsWith("/" + suffix)` for any texts', () => {
    fc.assert(
      fc.property(text(['a', 'b', '/']), text(['a', 'b', '/']), (repo, suffix) => {
        expect(isRepoOrPathSuffix(repo, suffix)).toBe(repo === suffix || repo.endsWith(`/${suffix}`));
      }),
      { numRuns: 5000 },
    );
  });
});
