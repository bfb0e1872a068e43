/**
 * Red-team traps for privileged-root's "the component is privileged precisely to <action>" (load eBPF, mount, enter
 * namespaces): the action was matched on the alert's title or command line, whatever process did it. bpftrace
 * attaching a keylogging uprobe to bash from inside the Cilium agent's pod was "Cilium loading eBPF programs". The
 * process must now be the component's own program or the container's entrypoint (for a component whose program
 * names are not documented, at least not a shell or interpreter), and no exec session may be open in the pod.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'ip-10-0-1-10.ec2.internal';
const cilium = pod('cilium-x7k2p', {
  namespace: 'kube-system',
  node: N,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'cilium' },
  containers: [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.15.1', command: ['cilium-agent'], args: ['--config-dir=/tmp/cilium/config-map'], securityContext: { privileged: true } }],
});
const index = indexOf([node(N, '10.0.1.10'), owner('DaemonSet', 'cilium', 'kube-system'), cilium]);

function inCilium(process: { name: string; path: string; commandLine: string }, title = 'eBPF program loaded') {
  return triageAlert(alert({ host: N, container: { id: containerIdOf(cilium) }, title, process }), { index }).verdict;
}

describe('redteam2 privileged-root: another tool doing the component’s privileged action in its pod', () => {
  it('trap: bpftrace uprobe on bash readline in the Cilium pod stays genuine', () => {
    expect(inCilium({ name: 'bpftrace', path: '/usr/local/bin/bpftrace', commandLine: "bpftrace -e 'uprobe:/bin/bash:readline { printf(\"%s\", str(retval)); }'" }).label).toBe('genuine');
  });
  it('trap: a python script loading BPF in the Cilium pod stays genuine', () => {
    expect(inCilium({ name: 'python3', path: '/usr/bin/python3', commandLine: 'python3 /opt/probe/bpf_loader.py' }).label).toBe('genuine');
  });
  it('still its design: bpftool run by the Cilium agent loading its programs', () => {
    expect(inCilium({ name: 'bpftool', path: '/usr/local/bin/bpftool', commandLine: 'bpftool prog load /var/lib/cilium/bpf/bpf_lxc.o /sys/fs/bpf/tc/globals/x' }).label).toBe('likely-false-positive');
  });
});
