import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeContainerId, normalizePodUid, parseCgroupPath } from '../../src/cluster/ids.js';

interface CgroupCase {
  form: string;
  path: string;
  podUid?: string;
  containerId?: string;
}

const cgroupCases = JSON.parse(readFileSync(new URL('../fixtures/cluster/cgroup-paths.json', import.meta.url), 'utf8')) as CgroupCase[];
const FULL = '9bc42a0d9395adafd9f8d922350c9029f8fa234060df9b03dd5e256804613f68';

describe('normalizeContainerId', () => {
  it.each([
    [`containerd://${FULL}`, FULL],
    [`cri-o://${FULL}`, FULL],
    [`docker://${FULL}`, FULL],
    [FULL, FULL],
    [FULL.toUpperCase(), FULL],
    [`  docker://${FULL.slice(0, 12)} `, FULL.slice(0, 12)],
    [FULL.slice(0, 31), FULL.slice(0, 31)],
    [`cri-containerd-${FULL}.scope`, FULL],
    [`crio-${FULL}`, FULL],
  ])('%s', (raw, expected) => {
    expect(normalizeContainerId(raw)).toBe(expected);
  });

  it.each([['9bc42a0d939'], ['containerd://'], ['not-a-container'], ['g'.repeat(64)], [`${FULL}00`], [''], ['x'.repeat(10_000)]])('rejects %s', (raw) => {
    expect(normalizeContainerId(raw)).toBeUndefined();
  });
});

describe('normalizePodUid', () => {
  it('accepts dashes, underscores and upper case, and keeps a 32-hex static pod hash', () => {
    expect(normalizePodUid('1399D9C7_C86F_4371_8568_07B3D32258A4')).toBe('1399d9c7-c86f-4371-8568-07b3d32258a4');
    expect(normalizePodUid('1399d9c7-c86f-4371-8568-07b3d32258a4')).toBe('1399d9c7-c86f-4371-8568-07b3d32258a4');
    expect(normalizePodUid('71f8cd8f6f5c92a4e5f21c7201d42a8b')).toBe('71f8cd8f6f5c92a4e5f21c7201d42a8b');
    expect(normalizePodUid('web-0')).toBeUndefined();
  });
});

describe('parseCgroupPath', () => {
  it.each(cgroupCases.map((c) => [c.form, c] as const))('%s', (_form, c) => {
    const ids = parseCgroupPath(c.path);
    expect(ids.podUid).toBe(c.podUid);
    expect(ids.containerId).toBe(c.containerId);
  });

  it('ignores non-strings and absurdly long input', () => {
    expect(parseCgroupPath(undefined)).toEqual({});
    expect(parseCgroupPath('/kubepods/'.repeat(2000))).toEqual({});
  });
});
