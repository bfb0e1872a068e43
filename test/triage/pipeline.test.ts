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
  it('an alert found in no loaded cluster names every cluster it was looked for in', () => {
    const r = triageAlert(alert({ host: 'node-99', process: { name: 'id' } }), { clusterIndexes });
    expect(r.verdict).toMatchObject({ label: 'genuine', context: 'none' });
    expect(r.verdict.reasons[0].message).toMatch(/no node, pod or container of prod, staging explains it/);
    const named = alert({ host: 'node-1', process: { name: 'id' } });
    named.cluster = 'dev';
    expect(triageAlert(named, { clusterIndexes }).verdict.reasons[0].message).toMatch(/of prod, staging explains it/);
  });
  it('says so when the node name is ambiguous across clusters', () => {
    const r = triageAlert(alert({ host: 'node-1', process: { name: 'id' } }), { clusterIndexes });
    expect(r.correlation.notes.join(' ')).toMatch(/several loaded clusters/);
  });
  it("does not place an alert that names a cluster which was not loaded by the names the loaded ones share", () => {
    const a = alert({ host: 'node-1', process: { name: 'nginx', commandLine: 'nginx' }, container: { namespace: 'default', pod: 'web-1' } });
    a.cluster = 'dev';
    const r = triageAlert(a, { clusterIndexes });
    expect(r.correlation.subject.pod).toBeUndefined();
    expect(r.correlation.notes.join(' ')).toMatch(/names cluster dev, which is not among the loaded clusters/);
    expect(r.verdict).toMatchObject({ label: 'genuine', context: 'none' });
  });
  it('matches an EKS short cluster name to the cluster loaded under its ARN', () => {
    const arnProd = cluster('arn:aws:eks:eu-west-1:480915672304:cluster/shop-prod', [node('node-1', '10.0.0.1')]);
    const arnStaging = cluster('arn:aws:eks:eu-west-1:735204168891:cluster/shop-staging', [node('node-1', '10.0.0.1')]);
    const a = alert({ host: 'node-1', process: { name: 'id' } });
    a.cluster = 'shop-staging';
    expect(triageAlert(a, { clusterIndexes: [arnProd, arnStaging] }).correlation.cluster).toBe('arn:aws:eks:eu-west-1:735204168891:cluster/shop-staging');
  });
  it('places a host by its instance id when two clusters have a node of that name', () => {
    const p = cluster('prod', [node('ip-10-0-41-87.ec2.internal', '10.0.41.87', 'i-0c5e2a9d81f47b306')]);
    const s = cluster('staging', [node('ip-10-0-41-87.ec2.internal', '10.0.41.87', 'i-07f3b1c9e5a2d4860')]);
    const a = alert({ host: 'ip-10-0-41-87.ec2.internal', process: { name: 'id' } });
    a.host.instanceId = 'i-07f3b1c9e5a2d4860';
    const r = triageAlert(a, { clusterIndexes: [p, s] });
    expect(r.correlation.cluster).toBe('staging');
    expect(r.correlation.notes.join(' ')).not.toMatch(/several loaded clusters/);
    // An instance of neither cluster: placed nowhere, however well the name matches.
    const other = alert({ host: 'ip-10-0-41-87.ec2.internal', process: { name: 'id' } });
    other.host.instanceId = 'i-0a9f2c6e1b7d43058';
    const r2 = triageAlert(other, { clusterIndexes: [p, s] });
    expect(r2.correlation.subject.node).toBeUndefined();
    expect(r2.verdict).toMatchObject({ label: 'genuine', context: 'none' });
  });
  it('an alert only placed by names two clusters share is dismissed only if each cluster explains it', () => {
    const shim = { name: 'containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 0123' };
    const entrypoint = () => alert({ host: 'node-1', process: { name: 'nginx', commandLine: 'nginx' }, ancestors: [shim] });
    // prod's web-1 on node-1 runs exactly this; staging's node-1 runs nothing that would.
    const r = triageAlert(entrypoint(), { clusterIndexes });
    expect(r.verdict.label).toBe('genuine');
    expect(r.verdict.reasons[0].message).toMatch(/matches objects in prod and staging alike; prod would explain it, staging does not/);
    const twin = cluster('staging', [node('node-1', '10.9.0.1'), pod('web-1', { node: 'node-1', ip: '10.1.0.5', containers: [{ name: 'web', image: 'nginx', command: ['nginx'] }] })]);
    expect(triageAlert(entrypoint(), { clusterIndexes: [prod, twin] }).verdict.label).toBe('likely-false-positive');
  });
  it('a container id settles which of two clusters with the same node names it is', () => {
    const web = prod.pods.find((p) => p.metadata.name === 'web-1')!;
    const id = web.status!.containerStatuses![0].containerID!.replace('containerd://', '');
    const r = triageAlert(alert({ host: 'node-1', process: { name: 'nginx', commandLine: 'nginx' }, container: { id } }), { clusterIndexes });
    expect(r.correlation.cluster).toBe('prod');
    expect(r.correlation.notes.join(' ')).not.toMatch(/several loaded clusters/);
  });
  it('without any context, every alert is genuine with context none', () => {
    const r = triageAlert(alert({ host: 'node-1', process: { name: 'iptables' } }), {});
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'unexplained', context: 'none' });
  });
});
