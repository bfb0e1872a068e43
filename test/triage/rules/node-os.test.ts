/**
 * node-os (talos-cilium-kpr scenario): Talos' own services on the host — machined as PID 1 re-rendering a static pod,
 * the upgrade installer before the node's new boot, apid serving an administrator — explained by what the cluster
 * recorded; the same programs without that corroboration, on another OS, inside a pod's container, or the OS API
 * reached from a pod are not.
 */
import { describe, expect, it } from 'vitest';
import type { Node } from '../../../src/cluster/model.js';
import { buildIndex } from '../../../src/cluster/index.js';
import type { KubeObject } from '../../../src/cluster/model.js';
import { emptySnapshot, type ExecSession } from '../../../src/cluster/model.js';
import { RESOURCE_OF_KIND } from '../../../src/cluster/load.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { nodeOs } from '../../../src/triage/rules/node-os.js';
import { alert, node, pod } from '../../support/cluster.js';

const CP = 'mfg-cp-02';
const W = 'mfg-w-04';
const U = 'ubuntu-w-01';
const ADMIN_IP = '172.22.50.14';

function talos(n: Node, osImage: string, readySince = '2027-03-02T07:14:10Z'): Node {
  n.status = { ...n.status, nodeInfo: { osImage, kernelVersion: '6.6.60-talos' }, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: readySince }] } as Node['status'];
  return n;
}
const cp = talos(node(CP, '172.22.10.12'), 'Talos (v1.8.2)');
const worker = talos(node(W, '172.22.10.24'), 'Talos (v1.8.3)', '2027-03-09T11:50:21Z');
const ubuntu = node(U, '10.0.0.5');
(ubuntu.status as Record<string, unknown>).nodeInfo = { osImage: 'Ubuntu 22.04.4 LTS' };
const apiserver = pod('kube-apiserver-mfg-cp-02', { namespace: 'kube-system', node: CP, owner: { kind: 'Node', name: CP }, hostNetwork: true, created: '2027-03-09T08:47:05Z', containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.31.2' }] });
const ubuntuMirror = pod('kube-apiserver-ubuntu-w-01', { namespace: 'kube-system', node: U, owner: { kind: 'Node', name: U }, hostNetwork: true, created: '2027-03-09T08:47:05Z', containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.31.2' }] });
const gateway = pod('opcua-gateway-7nngx', { namespace: 'plant-edge', node: W, ip: '10.244.5.22', created: '2027-03-01T00:00:00Z', containers: [{ name: 'gateway', image: 'registry.example/opcua-gateway:1.4.0' }] });
const rebooted: KubeObject & Record<string, unknown> = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'mfg-w-04.1', namespace: 'default' },
  involvedObject: { kind: 'Node', name: W },
  reason: 'Rebooted',
  message: 'Node mfg-w-04 has been rebooted, boot id: 1',
  firstTimestamp: '2027-03-09T11:50:19Z',
  lastTimestamp: '2027-03-09T11:50:19Z',
};

const snap = emptySnapshot('test');
for (const o of [cp, worker, ubuntu, apiserver, ubuntuMirror, gateway, rebooted]) snap.objects[RESOURCE_OF_KIND[o.kind]].push(o);
snap.auditActivities = [
  { time: '2027-03-09T09:14:31Z', user: 'oidc:jana.novak@mfg.example.com', groups: ['oidc:platform-admins', 'system:authenticated'], verb: 'list', resource: 'nodes', sourceIps: [ADMIN_IP] },
  { time: '2027-03-09T09:10:00Z', user: 'system:serviceaccount:ci:deployer', groups: ['system:serviceaccounts'], verb: 'list', resource: 'pods', sourceIps: ['172.22.40.8'] },
];
const sessions: ExecSession[] = [];
snap.execSessions = sessions;
const index = buildIndex([snap]);

const init = { name: 'init', path: '/sbin/init', commandLine: '/sbin/init' };
const shim = (ns: string, id: string) => ({ name: 'containerd-shim-runc-v2', path: '/usr/bin/containerd-shim-runc-v2', commandLine: `/usr/bin/containerd-shim-runc-v2 -namespace ${ns} -id ${id} -address /run/containerd/containerd.sock` });
const installer = { name: 'installer', path: '/usr/bin/installer', commandLine: '/usr/bin/installer install --disk=/dev/nvme0n1 --platform=metal --upgrade' };
const apid = { name: 'apid', path: '/sbin/apid', commandLine: '/sbin/apid' };
const verdict = (o: Parameters<typeof alert>[0]) => triageAlert(alert(o), { index }).verdict;
const evidence = (o: Parameters<typeof alert>[0]) => {
  const v = triageAlert(alert(o), { index }).verdict;
  return v.reasons.filter((r) => r.rule === nodeOs.id);
};

describe('node-os', () => {
  it("explains Talos' PID 1 when the kubelet recreated a static pod's mirror on that node within minutes", () => {
    const v = verdict({ host: CP, time: '2027-03-09T08:47:05.118Z', process: init });
    expect(v.label).toBe('likely-false-positive');
    expect(v.cause).toBe('workload-baseline');
    expect(v.reasons[0].message).toContain('kube-system/kube-apiserver-mfg-cp-02');
  });

  it('says nothing about PID 1 without a render or a reboot, on another OS, or inside a container', () => {
    expect(evidence({ host: CP, time: '2027-03-09T10:30:00Z', process: init })).toEqual([]);
    expect(evidence({ host: U, time: '2027-03-09T08:47:05Z', process: init })).toEqual([]);
    expect(evidence({ host: CP, time: '2027-03-09T08:47:05Z', process: init, ancestors: [shim('k8s.io', 'abc')] })).toEqual([]);
  });

  it('explains the installer in the OS namespace, and PID 1 kexec, before the node booted again', () => {
    const v = verdict({ host: W, time: '2027-03-09T11:46:33Z', process: installer, ancestors: [shim('system', 'upgrade'), init] });
    expect(v.label).toBe('likely-false-positive');
    expect(v.cause).toBe('admin-activity');
    expect(v.reasons[0].message).toContain('Rebooted event at 2027-03-09T11:50:19Z');
    expect(verdict({ host: W, time: '2027-03-09T11:49:58Z', process: init }).cause).toBe('admin-activity');
  });

  it("does not explain an installer in a pod's container, or one that ran after the node's last boot", () => {
    expect(evidence({ host: W, time: '2027-03-09T11:46:33Z', process: installer, ancestors: [shim('k8s.io', 'f00d'), init] })).toEqual([]);
    expect(evidence({ host: W, time: '2027-03-09T12:30:00Z', process: installer, ancestors: [shim('system', 'upgrade'), init] })).toEqual([]);
  });

  it("explains apid's session with a person's address, and flags one with a pod's", () => {
    const admin = verdict({ host: CP, time: '2027-03-09T09:15:22Z', process: apid, ancestors: [shim('system', 'apid'), init], network: { srcIp: '172.22.10.12', dstIp: ADMIN_IP, dstPort: 53122 } });
    expect(admin.label).toBe('likely-false-positive');
    expect(admin.cause).toBe('admin-activity');
    const fromPod = evidence({ host: CP, time: '2027-03-09T09:51:02Z', process: apid, ancestors: [shim('system', 'apid'), init], network: { srcIp: '172.22.10.12', dstIp: '10.244.5.22' } });
    expect(fromPod.map((e) => [e.direction, e.strength])).toEqual([['malicious', 'medium']]);
    // A service account's address is no person's workstation.
    expect(evidence({ host: CP, time: '2027-03-09T09:15:22Z', process: apid, ancestors: [shim('system', 'apid'), init], network: { srcIp: '172.22.10.12', dstIp: '172.22.40.8' } })).toEqual([]);
  });

  it('judges network alerts to the OS API port by their source', () => {
    const admin = verdict({ time: '2027-03-09T09:15:22Z', network: { srcIp: ADMIN_IP, srcPort: 53122, dstIp: '172.22.10.12', dstPort: 50000, protocol: 'tcp' } });
    expect(admin.label).toBe('likely-false-positive');
    expect(admin.cause).toBe('admin-activity');
    const fromPod = verdict({ time: '2027-03-09T09:51:02Z', network: { srcIp: '10.244.5.22', srcPort: 40288, dstIp: '172.22.10.12', dstPort: 50000, protocol: 'tcp' } });
    expect(fromPod.label).toBe('genuine');
    expect(fromPod.reasons.some((r) => r.rule === 'node-os' && r.direction === 'malicious')).toBe(true);
    // Another port on the node is not the OS API.
    expect(evidence({ time: '2027-03-09T09:15:22Z', network: { srcIp: ADMIN_IP, dstIp: '172.22.10.12', dstPort: 10250 } })).toEqual([]);
  });
});
