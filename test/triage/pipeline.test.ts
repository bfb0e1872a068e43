import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/cluster/index.js';
import { triageAlert } from '../../src/triage/pipeline.js';
import { alert, node, pod, snapshot } from '../support/cluster.js';

function cluster(name: string, objects: Parameters<typeof snapshot>[0]) {
  const s = snapshot(objects);
  s.cluster = name;
  return buildIndex([s]);
}

describe('several clusters', () => {
  const prod = cluster('prod', [node('node-1', '10.0.0.1'), pod('web-1', { node: 'node-1', ip: '10.1.0.5', containers: [{ name: 'web', image: 'nginx', command: ['nginx'] }] })]);
  const staging = cluster('staging', [node('node-1', '10.9.0.1'), node('node-7', '10.9.0.7')]);
  const clusterIndexes = [prod, staging];

  it("uses the alert's own cluster field when it names a loaded cluster", () => {
    const a = alert({ host: 'node-1', process: { name: 'nginx', commandLine: 'nginx' } });
    a.cluster = 'staging';
    expect(triageAlert(a, { clusterIndexes }).correlation.cluster).toBe('staging');
  });
  it('otherwise uses the one cluster where the node is found', () => {
    const r = triageAlert(alert({ host: 'node-7', process: { name: 'id' } }), { clusterIndexes });
    expect(r.correlation.cluster).toBe('staging');
    expect(r.correlation.notes).toEqual([]);
  });
  it('says so when the node name is ambiguous across clusters', () => {
    const r = triageAlert(alert({ host: 'node-1', process: { name: 'id' } }), { clusterIndexes });
    expect(r.correlation.notes.join(' ')).toMatch(/several loaded clusters/);
  });
  it('without any context, every alert is genuine with context none', () => {
    const r = triageAlert(alert({ host: 'node-1', process: { name: 'iptables' } }), {});
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'unexplained', context: 'none' });
  });
});
