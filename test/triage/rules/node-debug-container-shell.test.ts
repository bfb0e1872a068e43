/**
 * A node shell without chroot (talos-cilium-kpr scenario): on an OS with no shell on the host, `kubectl debug node`
 * is used from the debug image's own shell. A node sensor sees `bpftool map dump …` whose parent is that zsh, started
 * by the container runtime, and names no container. During a person's interactive node debug session on that node it
 * is theirs; a read-only dump only weakly doubts the network daemon. Traps: a service account's session, no session,
 * a shell from a host login, and a write to the BPF map stay genuine.
 */
import { describe, expect, it } from 'vitest';
import type { ExecSession } from '../../../src/cluster/model.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'mfg-w-02';
const ciliumDs = owner('DaemonSet', 'cilium', 'kube-system');
const cilium = pod('cilium-9xwhg', {
  namespace: 'kube-system',
  node: N,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'cilium' },
  containers: [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.16.4', command: ['cilium-agent'] }],
});
const session = (user: string, groups: string[]): ExecSession => ({
  kind: 'node-debug',
  user,
  groups,
  sourceIps: ['172.22.50.14'],
  namespace: 'ops-debug',
  pod: 'node-debugger-mfg-w-02-87l68',
  container: 'debugger',
  command: [],
  tty: true,
  start: '2027-03-09T12:01:54Z',
  end: '2027-03-09T12:24:30Z',
  node: N,
  image: 'ghcr.io/nicolaka/netshoot:v0.13',
});
const person = session('oidc:jana.novak@mfg.example.com', ['oidc:platform-admins', 'system:authenticated']);
const robot = session('system:serviceaccount:velero:velero', ['system:serviceaccounts', 'system:authenticated']);
const objects = [node(N, '172.22.10.22'), ciliumDs, cilium];
const withPerson = indexOf(objects, [person]);
const withRobot = indexOf(objects, [robot]);
const without = indexOf(objects, []);

const ZSH = { name: 'zsh', path: '/bin/zsh', commandLine: 'zsh' };
const SHIM = { name: 'containerd-shim-runc-v2', path: '/usr/bin/containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 5d1e -address /run/containerd/containerd.sock' };
const SSHD = { name: 'sshd', path: '/usr/sbin/sshd', commandLine: 'sshd: root@pts/0' };
const dump = { name: 'bpftool', path: '/usr/sbin/bpftool', commandLine: 'bpftool map dump pinned /sys/fs/bpf/tc/globals/cilium_lb4_services_v2' };
const update = { name: 'bpftool', path: '/usr/sbin/bpftool', commandLine: 'bpftool map update pinned /sys/fs/bpf/tc/globals/cilium_policy_v2_01873 key hex 0a f4 value hex 00 00 any' };
const at = '2027-03-09T12:06:40.557Z';
const run = (index: ReturnType<typeof indexOf>, process: typeof dump, ancestors: (typeof ZSH)[]) =>
  triageAlert(alert({ host: N, time: at, title: 'CustomIOALinuxHigh', process, ancestors }), { index }).verdict;

describe("a node sensor's process under a node debug pod's own shell", () => {
  it("is the person's troubleshooting when it descends from a shell the runtime started, during their session", () => {
    const v = run(withPerson, dump, [ZSH, SHIM]);
    expect(v.label).toBe('likely-false-positive');
    expect(v.cause).toBe('admin-activity');
    expect(v.reasons[0].message).toContain('a shell the container runtime started on mfg-w-02');
  });

  it("stays genuine for a service account's session, without a session, from a host login, or when it writes the map", () => {
    expect(run(withRobot, dump, [ZSH, SHIM]).label).toBe('genuine');
    expect(run(without, dump, [ZSH, SHIM]).label).toBe('genuine');
    expect(run(withPerson, dump, [ZSH, SSHD]).label).toBe('genuine');
    expect(run(withPerson, update, [ZSH, SHIM]).label).toBe('genuine');
  });

  it('doubts a read-only dump only weakly, and a write to the map as before', () => {
    const doubt = (p: typeof dump) => run(without, p, [ZSH, SHIM]).reasons.find((r) => r.rule === 'node-networking');
    expect(doubt(dump)?.strength).toBe('weak');
    expect(doubt(dump)?.message).toContain('it only reads BPF programs or maps');
    expect(doubt(update)?.strength).toBe('medium');
  });
});
