import { describe, expect, it } from 'vitest';
import { emptySnapshot } from '../src/cluster/model.js';
import { snapshotAgeWarnings } from '../src/run.js';

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
