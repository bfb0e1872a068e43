/**
 * Red-team traps for where an alert is placed. A node sensor reports a container's id from the runtime and its pod from
 * the container's labels (io.kubernetes.pod.name / namespace, io.kubernetes.container.name) — labels whoever reaches the
 * runtime socket sets on a container of their own (`ctr run --label …`, `docker run --label …`). When the id was not
 * the index's, the pod name alone placed the process in that pod: an intruder's container labelled as calico-node ran
 * `iptables -t nat … DNAT` and was "calico-node maintaining the node network".
 * Fix (correlate): an id that the named pod's container did not have while it was running at the alert's time (its
 * current instance started earlier, or its last instance covered that time) is another container; the alert is
 * placed on its node only, and nothing else is placed by name or inference. A container restarted since the alert
 * (the EDR killed it, Kubernetes restarted it) is still found by its pod name.
 * Left open: a sensor that reports names and no id (or an attacker choosing an id, as `ctr run <id>` allows, in another
 * containerd namespace) cannot be told from the real container; see the report.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'node-a';
const shim = { name: 'containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 0123' };
const calico = pod('calico-node-x1y2z', {
  namespace: 'kube-system',
  node: N,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'calico-node' },
  created: '2026-11-20T08:00:00Z',
  containers: [{ name: 'calico-node', image: 'docker.io/calico/node:v3.28.0', securityContext: { privileged: true } }],
});
// a pod the EDR kept killing: its container was restarted after the alert, so the alert's id is its last-but-one
const worker = pod('worker-5b-q1w2e', {
  namespace: 'jobs',
  node: N,
  ip: '10.1.0.41',
  owner: { kind: 'ReplicaSet', name: 'worker-5b' },
  created: '2026-11-20T08:00:00Z',
  containers: [{ name: 'worker', image: 'jobs/worker:2.0', command: ['/app/worker'] }],
  statuses: [
    {
      restartCount: 4,
      state: { running: { startedAt: '2026-11-20T09:05:00Z' } },
      lastState: { terminated: { exitCode: 137, reason: 'Error', startedAt: '2026-11-20T09:03:00Z', finishedAt: '2026-11-20T09:04:10Z', containerID: `containerd://${'c'.repeat(64)}` } },
    },
  ],
});
const index = indexOf([node(N, '10.0.1.11'), owner('DaemonSet', 'calico-node', 'kube-system'), owner('ReplicaSet', 'worker-5b', 'jobs'), calico, worker]);
const T = '2026-11-20T09:01:00.000Z';
const nat = { name: 'iptables', path: '/usr/sbin/iptables', commandLine: 'iptables -t nat -I PREROUTING -p tcp --dport 5432 -j DNAT --to-destination 10.1.0.99:5432' };

describe('redteam4 correlate: a container claiming a pod by its labels', () => {
  it('trap: an unknown container id labelled as the calico-node pod, rewriting NAT rules, stays genuine', () => {
    const a = alert({ host: N, time: T, title: 'iptables rule modified', container: { id: 'f'.repeat(64), name: 'calico-node', pod: calico.metadata.name, namespace: 'kube-system' }, process: nat, ancestors: [{ name: 'agent', path: '/usr/local/bin/agent', commandLine: '/usr/local/bin/agent' }, shim] });
    const r = triageAlert(a, { index });
    expect(r.verdict.label).toBe('genuine');
    expect(r.correlation.subject.pod).toBeUndefined();
    expect(r.correlation.subject.node?.metadata.name).toBe(N);
    expect(r.correlation.notes.join(' ')).toMatch(/not container calico-node of pod kube-system\/calico-node-x1y2z, which was running then/);
  });
  it('trap: the same with a short id and no container name', () => {
    const a = alert({ host: N, time: T, title: 'iptables rule modified', container: { id: 'f'.repeat(12), pod: calico.metadata.name, namespace: 'kube-system' }, process: nat, ancestors: [{ name: 'calico-node', path: '/usr/bin/calico-node' }, shim] });
    const r = triageAlert(a, { index });
    expect(r.correlation.subject.pod).toBeUndefined();
    expect(r.verdict.label).toBe('genuine');
  });
  it("still placed: the calico-node container's own id, and a killed container's id once Kubernetes restarted it", () => {
    const own = triageAlert(alert({ host: N, time: T, container: { id: calico.status!.containerStatuses![0].containerID!.replace('containerd://', ''), name: 'calico-node', pod: calico.metadata.name, namespace: 'kube-system' }, process: nat, ancestors: [{ name: 'calico-node', path: '/usr/bin/calico-node' }, shim] }), { index });
    expect(own.correlation.subject.pod?.metadata.name).toBe(calico.metadata.name);
    expect(own.verdict.label).toBe('likely-false-positive');
    // killed at 09:01, an instance neither running now nor the last one: found by its pod name
    const killed = triageAlert(alert({ host: N, time: T, action: 'killed', container: { id: 'd'.repeat(64), name: 'worker', pod: worker.metadata.name, namespace: 'jobs' }, process: { name: 'worker', path: '/app/worker', commandLine: '/app/worker' }, ancestors: [shim] }), { index });
    expect(killed.correlation.subject.pod?.metadata.name).toBe(worker.metadata.name);
    // an alert before the pod's containers started (clock skew at start-up): no contradiction either
    const early = triageAlert(alert({ host: N, time: '2026-11-20T08:00:30.000Z', container: { id: 'e'.repeat(64), name: 'calico-node', pod: calico.metadata.name, namespace: 'kube-system' }, process: nat, ancestors: [{ name: 'calico-node' }, shim] }), { index });
    expect(early.correlation.subject.pod?.metadata.name).toBe(calico.metadata.name);
  });
});

describe('redteam4 correlate: a pod the cluster does not have is not another pod running the same program', () => {
  const exporter = pod('node-exporter-abcde', {
    namespace: 'monitoring',
    node: N,
    hostNetwork: true,
    owner: { kind: 'DaemonSet', name: 'node-exporter' },
    containers: [{ name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.8.1', command: ['/bin/node_exporter'] }],
  });
  const idx = indexOf([node(N, '10.0.1.11'), owner('DaemonSet', 'node-exporter', 'monitoring'), exporter]);
  const claimed = (id: string | undefined) =>
    alert({ host: N, time: T, title: 'Unexpected outbound connection', container: { id, name: 'node-exporter', pod: 'node-exporter-zzzzz', namespace: 'monitoring' }, process: { name: 'node_exporter', path: '/usr/local/bin/node_exporter', commandLine: 'node_exporter' }, network: { dstIp: '198.51.100.7', dstPort: 4444, protocol: 'tcp' } });
  it('trap: labels naming node-exporter-zzzzz (no such pod) are not placed in node-exporter-abcde by container name or by its program', () => {
    for (const id of ['f'.repeat(64), undefined]) {
      const r = triageAlert(claimed(id), { index: idx });
      expect(r.correlation.subject.pod).toBeUndefined();
      expect(r.verdict.label).toBe('genuine');
    }
  });
  it('still placed: the container name and namespace alone (a product that names no pod) on the one pod that has it', () => {
    const a = claimed(undefined);
    a.container = { name: 'node-exporter', namespace: 'monitoring' };
    expect(triageAlert(a, { index: idx }).correlation.subject.pod?.metadata.name).toBe('node-exporter-abcde');
  });
});
