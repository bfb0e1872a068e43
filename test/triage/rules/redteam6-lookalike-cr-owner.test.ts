/**
 * Red-team 6: image-lookalike judged only pods with no owner reference at all. The escape pod of the
 * kubeadm-calico-ebpf-incident scenario (naked, privileged, hostPID, the host's / mounted, image velero-io/velero
 * beside the cluster's velero/velero) passes once its manifest adds `ownerReferences: [{kind: Restore, name: nightly}]`
 * — a Velero kind, which no snapshot holds and the garbage collector leaves be. Fix: only a built-in controller (or the
 * node, for a static pod) makes a pod controlled; the images counted as the cluster's own are those of such pods.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const W = 'kw-04';
const nodeAgent = pod('node-agent-tsc6q', {
  namespace: 'velero',
  node: W,
  ip: '10.245.7.31',
  owner: { kind: 'DaemonSet', name: 'node-agent' },
  containers: [{ name: 'node-agent', image: 'velero/velero:v1.15.2', command: ['/velero'], args: ['node-agent', 'server'], securityContext: { privileged: true } }],
});
const helper = (o?: { kind: string; name: string }) =>
  pod('velero-restore-helper', {
    namespace: 'default',
    node: W,
    hostPID: true,
    owner: o,
    volumes: [{ name: 'host', hostPath: { path: '/' } }],
    containers: [{ name: 'helper', image: 'docker.io/velero-io/velero:v1.15.2', command: ['sleep', 'infinity'], securityContext: { privileged: true } }],
  });

function started(p: ReturnType<typeof helper>) {
  const index = indexOf([node(W, '10.60.0.24'), owner('DaemonSet', 'node-agent', 'velero'), nodeAgent, p]);
  return triageAlert(alert({ host: W, time: '2027-03-11T09:02:10.000Z', title: 'Launch Privileged Container', container: { id: containerIdOf(p), name: 'helper', pod: p.metadata.name, namespace: 'default' }, process: { name: 'sleep', commandLine: 'sleep infinity' } }), { index }).verdict;
}

describe('redteam6 image-lookalike: a look-alike pod owned by a custom resource kind', () => {
  it('still flagged: the naked look-alike', () => {
    expect(started(helper()).reasons.some((r) => r.rule === 'image-lookalike')).toBe(true);
  });
  it("trap: the same pod with an owner reference to Velero's Restore kind", () => {
    const v = started(helper({ kind: 'Restore', name: 'nightly' }));
    expect(v.reasons.some((r) => r.rule === 'image-lookalike')).toBe(true);
    expect(v.label).toBe('genuine');
  });
  it('still not judged: the controller-owned velero/velero pods', () => {
    expect(started(nodeAgent).reasons.some((r) => r.rule === 'image-lookalike')).toBe(false);
  });
});
