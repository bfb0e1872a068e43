import { describe, expect, it } from 'vitest';
import { SummaryBuilder } from '../../src/report/summary.js';
import { TopCounter } from '../../src/report/top-counter.js';
import { TimeHistogram } from '../../src/report/time-histogram.js';
import { makeResult, sampleResults, sampleSummary } from '../support/results.js';

describe('SummaryBuilder', () => {
  it('counts the sample run', () => {
    const s = sampleSummary();
    expect(s.alertsRead).toBe(7);
    expect(s.triaged).toBe(6);
    expect(s.rejected).toBe(1);
    expect(s.byLabel).toEqual({ genuine: 2, 'likely-false-positive': 4 });
    expect(s.byCause).toEqual({ 'admin-activity': 1, attack: 1, 'node-networking': 1, 'ping-pong': 2, unexplained: 1 });
    expect(s.byVendor).toEqual({ defender: 4, falco: 2 });
    expect(s.byCluster).toEqual({ 'shop-prod': 5 });
    expect(s.falsePositiveShare).toBeCloseTo(4 / 6);
    expect(s.explainedBy).toEqual({ 'admin-activity': 1, 'node-networking': 1, 'ping-pong': 2 });
    expect(s.alertsWithoutWorkload).toBe(1);
  });

  it('ranks noisy workloads and rules by count, ties by name', () => {
    const s = sampleSummary();
    expect(s.topWorkloads.map((w) => [w.name, w.alerts, w.falsePositives, w.genuine])).toEqual([
      ['Deployment/shop/payments', 2, 2, 0],
      ['DaemonSet/kube-system/calico-node', 1, 1, 0],
      ['Deployment/shop/checkout', 1, 1, 0],
      ['Deployment/shop/web', 1, 0, 1],
    ]);
    expect(s.topRules[0]).toMatchObject({ vendor: 'defender', title: 'Process killed', alerts: 2, falsePositives: 2 });
    expect(s.topApproximate).toBe(false);
  });

  it('reports ping-pong workloads with kills and nodes', () => {
    expect(sampleSummary().pingPong).toEqual([
      { workload: 'Deployment/shop/payments', alerts: 2, kills: 2, nodes: ['ip-10-0-12-34.internal', 'ip-10-0-52-201.internal'] },
    ]);
  });

  it('describes context coverage against the snapshot time', () => {
    const c = sampleSummary().coverage;
    expect(c).toMatchObject({ full: 5, partial: 0, none: 1, firstAlert: '2026-11-20T08:02:00.000Z', lastAlert: '2026-11-20T11:50:30.000Z', alertsWithoutTime: 1 });
    expect(c.snapshots).toEqual([{ cluster: 'shop-prod', capturedAt: '2026-11-20T12:05:00.000Z', relation: '14 min 30 s after the last alert' }]);
  });

  it.each([
    ['2026-11-17T09:00:00.000Z', '2 d 23 h before the first alert'],
    ['2026-11-20T10:00:00.000Z', 'within the alert time range'],
    [null, 'capture time unknown'],
  ])('snapshot at %s is %s', (capturedAt, relation) => {
    const b = new SummaryBuilder();
    b.snapshot('c', capturedAt);
    for (const r of sampleResults()) b.add(r);
    expect(b.build().coverage.snapshots[0].relation).toBe(relation);
  });

  it('counts every warning by kind but keeps only the first messages', () => {
    const b = new SummaryBuilder({ maxWarnings: 3 });
    for (let i = 0; i < 10; i++) b.warning(`bad record ${i}`, 'bad-record');
    b.warning('untyped');
    const s = b.build();
    expect(s.warningsTotal).toBe(11);
    expect(s.warningsByKind).toEqual({ 'bad-record': 10, other: 1 });
    expect(s.warnings).toEqual(['bad record 0', 'bad record 1', 'bad record 2']);
  });

  it('counts new and known alerts against a baseline', () => {
    const results = sampleResults();
    const knownIds = new Set([results[0].alert.id, results[3].alert.id]);
    const s = sampleSummary(results, { baseline: { has: (r) => knownIds.has(r.alert.id) } });
    expect(s.baseline).toEqual({ new: 4, known: 2, newGenuine: 1, knownGenuine: 1 });
    expect(sampleSummary().baseline).toBeUndefined();
  });

  it('records read is triaged plus rejected, with nothing triaged', () => {
    const b = new SummaryBuilder();
    b.rejected();
    b.rejected();
    expect(b.build()).toMatchObject({ alertsRead: 2, triaged: 0, falsePositiveShare: 0, topWorkloads: [], pingPong: [] });
  });

  it('is the same whatever order equal counts arrive in', () => {
    const build = (titles: string[]) => {
      const b = new SummaryBuilder();
      for (const title of titles) b.add(makeResult({ title }));
      return JSON.stringify(b.build());
    };
    expect(build(['b', 'a', 'c'])).toBe(build(['c', 'b', 'a']));
  });

  it('stays bounded on a flood of distinct titles and says counts are approximate', () => {
    const b = new SummaryBuilder();
    for (let i = 0; i < 25_000; i++) b.add(makeResult({ title: `random ${i}` }));
    for (let i = 0; i < 50; i++) b.add(makeResult({ title: 'the loud one' }));
    const s = b.build();
    expect(s.topApproximate).toBe(true);
    expect(s.topRules[0]).toMatchObject({ title: 'the loud one', alerts: 50 });
    expect(s.triaged).toBe(25_050);
  });
});

describe('TopCounter', () => {
  it('is exact under capacity and keeps totals when pruning', () => {
    const c = new TopCounter(2, () => undefined);
    for (const k of ['a', 'a', 'a', 'b', 'b', 'c', 'd', 'e']) c.add(k);
    const kept = c.ranked().reduce((s, e) => s + e.count, 0);
    expect(kept + c.otherCount).toBe(8);
    expect(c.top(1)[0]).toMatchObject({ key: 'a', count: 3 });
    expect(c.approximate).toBe(true);
  });
});

describe('TimeHistogram', () => {
  const MIN = 60_000;
  it('buckets by minute and fills gaps', () => {
    const h = new TimeHistogram();
    h.add(0, 'a');
    h.add(30_000, 'b');
    h.add(3 * MIN, 'a');
    expect(h.bars(100)).toEqual({
      size: MIN,
      buckets: [
        { start: 0, counts: { a: 1, b: 1 } },
        { start: MIN, counts: {} },
        { start: 2 * MIN, counts: {} },
        { start: 3 * MIN, counts: { a: 1 } },
      ],
    });
  });

  it('coarsens to stay under the bucket limit without losing counts', () => {
    const h = new TimeHistogram(50);
    for (let i = 0; i < 1000; i++) h.add(i * MIN, 'x');
    expect(h.bucketSize).toBeGreaterThanOrEqual(15 * MIN);
    const { buckets } = h.bars(20);
    expect(buckets.length).toBeLessThanOrEqual(20);
    expect(buckets.reduce((s, b) => s + (b.counts.x ?? 0), 0)).toBe(1000);
  });

  it('does not fill decades of empty bars for an outlying time', () => {
    const h = new TimeHistogram();
    h.add(Date.UTC(2026, 0, 1), 'x');
    h.add(Date.UTC(9999, 0, 1), 'x');
    expect(h.bars(72).buckets.length).toBe(2);
  });
});
