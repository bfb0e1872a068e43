/**
 * Red-team 5 traps for kubelet-volume-mount: the kubelet is recognised by its name as the mount's parent. A program
 * called kubelet run from a temporary or hidden directory (/dev/shm, /tmp/.k), or a `mount` binary from such a place,
 * is not the node's kubelet mounting a pod's token volume, whatever the path says.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const A = 'edge-1';
const target = pod('pos-api-7c9d-abcde', { namespace: 'store', node: A, ip: '10.1.118.141', created: '2026-12-03T08:11:02Z', owner: { kind: 'ReplicaSet', name: 'pos-api-7c9d' }, containers: [{ name: 'pos-api', image: 'registry.example.com/pos-api:3.8.2' }] });
target.spec.volumes = [{ name: 'kube-api-access-7xk2p', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }] } }];
const index = indexOf([node(A, '192.168.7.11'), owner('ReplicaSet', 'pos-api-7c9d', 'store'), target]);
const DIR = `/var/lib/kubelet/pods/${target.metadata.uid}/volumes/kubernetes.io~projected/kube-api-access-7xk2p`;
const kubelet: ProcessInfo = { name: 'kubelet', path: '/usr/bin/kubelet', commandLine: '/usr/bin/kubelet --config=/var/lib/kubelet/config.yaml' };
const run = (mountPath: string, parent: ProcessInfo) =>
  triageAlert(alert({ host: A, time: '2026-12-03T08:11:03.100Z', title: 'Suspicious mount', process: { name: 'mount', path: mountPath, commandLine: `mount -t tmpfs tmpfs ${DIR}` }, ancestors: [parent, { name: 'systemd', path: '/usr/lib/systemd/systemd' }] }), { index }).verdict;

describe('redteam5 kubelet-volume-mount by name', () => {
  it('still explained: /usr/bin/kubelet running /usr/bin/mount', () => {
    expect(run('/usr/bin/mount', kubelet).label).toBe('likely-false-positive');
  });
  it('trap: a kubelet-named program from /dev/shm or a hidden directory', () => {
    expect(run('/usr/bin/mount', { name: 'kubelet', path: '/dev/shm/kubelet', commandLine: '/dev/shm/kubelet' }).label).toBe('genuine');
    expect(run('/usr/bin/mount', { name: 'kubelet', path: '/var/lib/.k/kubelet', commandLine: '/var/lib/.k/kubelet --config=/var/lib/kubelet/config.yaml' }).label).toBe('genuine');
  });
  it('trap: a mount binary from /tmp', () => {
    expect(run('/tmp/mount', kubelet).label).toBe('genuine');
  });
});
