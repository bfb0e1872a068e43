/**
 * Red-team 6: red team 4 stopped a container from claiming a pod by its name label when its id is none the pod's
 * container had while running — but the pod UID label (`io.kubernetes.pod.uid`, what Falco, Tetragon and Datadog
 * report as the pod's UID) and the cgroup parent (`ctr run --cgroup-parent …/pod<uid>/`) are set just as freely, and
 * placed the intruder's container in calico-node by UID or pod-level cgroup: its NAT rewrite was "calico-node
 * maintaining the node network". Fix (correlate): the same check whatever placed the pod without its container — an
 * id (the alert's, or the cgroup path's leaf) that no instance of the pod's container had while running is another
 * container. A container restarted since the alert is still placed.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/model.js';
import { triageAlert } from '../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../support/cluster.js';

const N = 'node-a';
const calico = pod('calico-node-x1y2z', {
  namespace: 'kube-system',
  node: N,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'calico-node' },
  created: '2026-11-20T08:00:00Z',
  containers: [{ name: 'calico-node', image: 'docker.io/calico/node:v3.28.0', securityContext: { privileged: true } }],
});
// restarted at 09:05, after the alert: the alert's id is an instance the snapshot no longer knows
const restarted = pod('calico-node-r2d2q', {
  namespace: 'kube-system',
  node: 'node-b',
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'calico-node' },
  created: '2026-11-20T08:00:00Z',
  containers: [{ name: 'calico-node', image: 'docker.io/calico/node:v3.28.0', securityContext: { privileged: true } }],
  statuses: [{ restartCount: 1, state: { running: { startedAt: '2026-11-20T09:05:00Z' } } }],
});
const index = indexOf([node(N, '10.0.1.11'), node('node-b', '10.0.1.12'), owner('DaemonSet', 'calico-node', 'kube-system'), calico, restarted]);
const T = '2026-11-20T09:01:00.000Z';
const nat = { name: 'iptables', path: '/usr/sbin/iptables', commandLine: 'iptables -t nat -I PREROUTING -p tcp --dport 5432 -j DNAT --to-destination 10.1.0.99:5432' };
const shim = { name: 'containerd-shim', path: '/usr/bin/containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 0123' };
const FORGED = 'f'.repeat(64);
const uidOf = (p: typeof calico) => p.metadata.uid!;
const natIn = (host: string, container: Alert['container']) => triageAlert(alert({ host, time: T, title: 'iptables rule modified', container, process: nat, ancestors: [{ name: 'calico-node', path: '/usr/bin/calico-node' }, shim] }), { index });

describe('redteam6 correlate: a container claiming a pod by its UID or cgroup parent', () => {
  it('trap: an unknown id with calico-node\'s pod UID label', () => {
    const r = natIn(N, { id: FORGED, podUid: uidOf(calico), name: 'calico-node' });
    expect(r.correlation.subject.pod).toBeUndefined();
    expect(r.correlation.notes.join(' ')).toMatch(/not container calico-node of pod kube-system\/calico-node-x1y2z, which was running then: a container claiming that pod's UID/);
    expect(r.verdict.label).toBe('genuine');
  });
  it("trap: an unknown container under calico-node's pod cgroup (cgroupfs and systemd), with or without the id field", () => {
    const cgroupfs = `/kubepods/besteffort/pod${uidOf(calico)}/${FORGED}`;
    const systemd = `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${uidOf(calico).replace(/-/g, '_')}.slice/cri-containerd-${FORGED}.scope`;
    for (const container of [{ id: FORGED, cgroupPath: cgroupfs }, { cgroupPath: systemd }]) {
      const r = natIn(N, container);
      expect(r.correlation.subject.pod).toBeUndefined();
      expect(r.verdict.label).toBe('genuine');
    }
  });
  it('still placed: a killed instance of a container Kubernetes restarted after the alert, by UID', () => {
    const r = natIn('node-b', { id: 'e'.repeat(64), podUid: uidOf(restarted), name: 'calico-node' });
    expect(r.correlation.subject.pod?.metadata.name).toBe(restarted.metadata.name);
    expect(r.verdict.label).toBe('likely-false-positive');
  });
});
