/**
 * Red-team 6: correlate placed a host process in a container when any ancestor's command line held that container's
 * 64-hex id — a node sensor's way to find the container from the runtime's shim (`containerd-shim-runc-v2 -id <id>`).
 * Anyone can type an id into their own command line: a root shell on the node rewriting NAT rules with calico-node's
 * id in a comment (`bash -c '… # <id>'`, the id read from `crictl ps`) was "calico-node maintaining the node network".
 * Fix: only the container runtime's own process (shim, conmon, runc, crun, by every name the sensor gives it and not
 * run from a temporary or hidden directory) names the container its children run in.
 */
import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../src/alerts/model.js';
import { triageAlert } from '../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../support/cluster.js';

const N = 'node-a';
const calico = pod('calico-node-x1y2z', {
  namespace: 'kube-system',
  node: N,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'calico-node' },
  created: '2026-11-20T08:00:00Z',
  containers: [{ name: 'calico-node', image: 'docker.io/calico/node:v3.28.0', securityContext: { privileged: true } }],
});
const index = indexOf([node(N, '10.0.1.11'), owner('DaemonSet', 'calico-node', 'kube-system'), calico]);
const T = '2026-11-20T09:01:00.000Z';
const RULE = 'iptables -t nat -I PREROUTING -p tcp --dport 5432 -j DNAT --to-destination 10.1.0.99:5432';
const nat = { name: 'iptables', path: '/usr/sbin/iptables', commandLine: RULE };
const id = containerIdOf(calico);
const natUnder = (ancestors: ProcessInfo[]) => triageAlert(alert({ host: N, time: T, title: 'iptables rule modified', process: nat, ancestors }), { index });

describe('redteam6 correlate: a container id in an ancestor command line', () => {
  it("trap: a root shell on the node with calico-node's id in its command line is not calico-node", () => {
    const r = natUnder([{ name: 'bash', path: '/bin/bash', commandLine: `bash -c "${RULE} # ${id}"` }, { name: 'sshd', commandLine: 'sshd: root@pts/0' }]);
    expect(r.correlation.subject.pod).toBeUndefined();
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: a program named like the shim but run from /tmp, or a shell renamed argv[0]', () => {
    expect(natUnder([{ name: 'containerd-shim-runc-v2', path: '/tmp/.s/containerd-shim-runc-v2', commandLine: `/tmp/.s/containerd-shim-runc-v2 -namespace k8s.io -id ${id}` }]).verdict.label).toBe('genuine');
    expect(natUnder([{ name: 'bash', path: '/bin/bash', commandLine: `containerd-shim-runc-v2 -id ${id}` }]).verdict.label).toBe('genuine');
  });
  it("still placed: the runtime's shim or conmon naming the container", () => {
    const shim = natUnder([{ name: 'calico-node', path: '/usr/bin/calico-node' }, { name: 'containerd-shim', path: '/usr/bin/containerd-shim-runc-v2', commandLine: `/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id ${id} -address /run/containerd/containerd.sock` }]);
    expect(shim.correlation.subject.pod?.metadata.name).toBe(calico.metadata.name);
    expect(shim.verdict.label).toBe('likely-false-positive');
    const conmon = natUnder([{ name: 'conmon', path: '/usr/bin/conmon', commandLine: `/usr/bin/conmon -b /run/containers/storage/overlay-containers/${id}/userdata -c ${id} --exit-dir /var/run/crio/exits` }]);
    expect(conmon.correlation.subject.pod?.metadata.name).toBe(calico.metadata.name);
  });
});
