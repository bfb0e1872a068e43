/**
 * kubelet-volume-mount: a node sensor sees the kubelet (or MicroK8s' kubelite) mount the tmpfs of a pod's projected
 * kube-api-access volume, whose path looks like a token read. It is the kubelet's work only for a volume of a pod
 * bound to that node, when that pod starts, by the daemon itself; reading the token, a bind mount out of the pod's
 * directory, another node's pod or a login's mount stay genuine.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const A = 'till-edge-1';
const B = 'till-edge-2';
const mk = (name: string, onNode: string) => {
  const p = pod(name, { namespace: 'store', node: onNode, ip: '10.1.118.141', created: '2026-12-03T08:11:02Z', owner: { kind: 'ReplicaSet', name: 'pos-api-7c9d' }, containers: [{ name: 'pos-api', image: 'registry.example.com/pos-api:3.8.2' }] });
  p.spec.volumes = [{ name: 'kube-api-access-7xk2p', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }] } }];
  return p;
};
const here = mk('pos-api-7c9d-abcde', A);
const there = mk('pos-api-7c9d-fghij', B);
const index = indexOf([node(A, '192.168.7.11'), node(B, '192.168.7.12'), owner('ReplicaSet', 'pos-api-7c9d', 'store'), here, there]);
const ROOT = '/var/snap/microk8s/common/var/lib/kubelet';
const dir = (p: typeof here) => `${ROOT}/pods/${p.metadata.uid}/volumes/kubernetes.io~projected/kube-api-access-7xk2p`;
const kubelite: ProcessInfo = { name: 'kubelite', path: '/snap/microk8s/7229/kubelite', commandLine: '/snap/microk8s/7229/kubelite --kubelet-args-file=/var/snap/microk8s/7229/args/kubelet' };
const kubelet: ProcessInfo = { name: 'kubelet', path: '/usr/bin/kubelet', commandLine: '/usr/bin/kubelet --config=/var/lib/kubelet/config.yaml' };

const run = (commandLine: string, ancestors: ProcessInfo[], time = '2026-12-03T08:11:03.100Z') =>
  triageAlert(alert({ host: A, time, title: 'Suspicious mount', process: { name: commandLine.split(' ')[0], path: `/usr/bin/${commandLine.split(' ')[0]}`, commandLine }, ancestors }), { index }).verdict;

describe('kubelet-volume-mount', () => {
  it("explains kubelite mounting a starting pod's projected token volume", () => {
    const v = run(`mount -t tmpfs -o size=268435456 tmpfs ${dir(here)}`, [kubelite]);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons.some((r) => r.direction === 'malicious')).toBe(false);
    expect(v.reasons[0].message).toMatch(/projected volume kube-api-access-7xk2p of pos-api-7c9d-abcde/);
  });
  it('explains the upstream kubelet unmounting it', () => {
    expect(run(`umount ${dir(here)}`, [kubelet], '2026-12-03T15:00:00Z')).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: reading the token inside that directory', () => {
    expect(run(`cat ${dir(here)}/token`, [kubelite])).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: bind-mounting the volume out of the pod directory', () => {
    expect(run(`mount --bind ${dir(here)} /tmp/.t`, [kubelite]).label).toBe('genuine');
  });
  it("trap: another node's pod, a mount long after the pod started, and one typed in an SSH login", () => {
    expect(run(`mount -t tmpfs tmpfs ${dir(there)}`, [kubelite]).label).toBe('genuine');
    expect(run(`mount -t tmpfs tmpfs ${dir(here)}`, [kubelite], '2026-12-03T10:40:00Z').label).toBe('genuine');
    expect(run(`mount -t tmpfs tmpfs ${dir(here)}`, [kubelite, { name: 'sshd', commandLine: 'sshd: ubuntu@pts/0' }]).label).toBe('genuine');
  });
});
