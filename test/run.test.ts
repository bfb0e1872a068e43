import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptySnapshot } from '../src/cluster/model.js';
import { READER_THREADS_MAX_PODS, readOptionsFor, snapshotAgeWarnings } from '../src/run.js';
import type { KubeObject } from '../src/cluster/model.js';

describe('snapshotAgeWarnings (principle 4: time matters)', () => {
  const snap = (capturedAt: string | null, observedUntil?: string) => ({ ...emptySnapshot('prod'), capturedAt, observedUntil });
  it('says when the snapshot is far newer than the alerts', () => {
    expect(snapshotAgeWarnings([snap('2026-11-25T00:00:00Z')], '2026-11-20T08:00:00Z', '2026-11-20T12:00:00Z')[0]).toMatch(/108 h after the last alert/);
  });
  it('says when the snapshot is older than the alerts', () => {
    expect(snapshotAgeWarnings([snap('2026-11-20T05:00:00Z')], '2026-11-20T08:00:00Z', '2026-11-20T12:00:00Z')[0]).toMatch(/3 h before the first alert/);
  });
  it('uses the newest object time of a plain dump as a lower bound', () => {
    expect(snapshotAgeWarnings([snap(null, '2026-11-23T12:00:00Z')], '2026-11-20T08:00:00Z', '2026-11-20T12:00:00Z')[0]).toMatch(/at least 72 h after/);
  });
  it('is silent when the snapshot was taken around the alerts', () => {
    expect(snapshotAgeWarnings([snap('2026-11-20T12:05:00Z')], '2026-11-20T08:00:00Z', '2026-11-20T12:00:00Z')).toEqual([]);
  });
});

describe('readOptionsFor: reader threads by the size of the cluster context', () => {
  afterEach(() => vi.unstubAllEnvs());
  const withPods = (...counts: number[]) =>
    counts.map((n, i) => {
      const s = emptySnapshot(`c${i}`);
      s.objects.pods = new Array<KubeObject>(n).fill({ kind: 'Pod', metadata: { name: 'p', namespace: 'n' } } as KubeObject);
      return s;
    });
  const read = { vendor: undefined };

  it('leaves them to their default under the limit', () => {
    vi.stubEnv('KDR_TRIAGE_WORKERS', '');
    expect(readOptionsFor({ read, snapshots: withPods(READER_THREADS_MAX_PODS - 1) })).toBe(read);
    expect(readOptionsFor({ read, snapshots: [] })).toBe(read);
  });
  it('reads in the main thread from the limit on, counting the pods of every cluster', () => {
    vi.stubEnv('KDR_TRIAGE_WORKERS', '');
    expect(readOptionsFor({ read, snapshots: withPods(READER_THREADS_MAX_PODS) })).toEqual({ ...read, workers: 0 });
    expect(readOptionsFor({ read, snapshots: withPods(READER_THREADS_MAX_PODS / 2, READER_THREADS_MAX_PODS / 2) }).workers).toBe(0);
  });
  it('never overrides threads asked for, by option or environment', () => {
    vi.stubEnv('KDR_TRIAGE_WORKERS', '');
    const asked = { workers: 2 };
    expect(readOptionsFor({ read: asked, snapshots: withPods(READER_THREADS_MAX_PODS) })).toBe(asked);
    vi.stubEnv('KDR_TRIAGE_WORKERS', '1');
    expect(readOptionsFor({ read, snapshots: withPods(READER_THREADS_MAX_PODS) })).toBe(read);
  });
});
