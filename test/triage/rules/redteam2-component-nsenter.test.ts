/**
 * Red-team traps for attack-indicators' component excuse (a confirmed component whose documented work is this
 * indicator: Cilium enters the host's namespaces with nsenter). The excuse checked the wrapper, not what it ran:
 * `nsenter -t 1 … -- /bin/bash`, `… -- useradd`, or a python one-liner from the Cilium agent's container were
 * "Cilium's documented work". The program nsenter (or chroot) starts must now be one of the component's own programs.
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
const agent = { name: 'cilium-agent', commandLine: 'cilium-agent --config-dir=/tmp/cilium/config-map' };

function nsenter(commandLine: string, ancestors = [agent]) {
  return triageAlert(
    alert({ host: N, container: { id: containerIdOf(cilium) }, title: 'Namespace change via nsenter', process: { name: 'nsenter', path: '/usr/bin/nsenter', commandLine }, ancestors }),
    { index },
  ).verdict;
}

describe('redteam2 attack-indicators: nsenter from a Cilium pod running something that is not Cilium’s', () => {
  it.each([
    'nsenter -t 1 -m -u -i -n -p -- /bin/bash',
    'nsenter -t 1 -m -u -i -n -p -- useradd -o -u 0 backdoor',
    'nsenter --mount=/hostproc/1/ns/mnt -- /usr/bin/python3 -c import socket',
    'nsenter -t 1 -a',
  ])('trap: %s stays genuine', (cmd) => {
    expect(nsenter(cmd).label).toBe('genuine');
  });

  it('trap: a shell under nsenter into PID 1 (the wrapper in the ancestry)', () => {
    const v = triageAlert(
      alert({
        host: N,
        container: { id: containerIdOf(cilium) },
        title: 'Interactive shell',
        process: { name: 'bash', path: '/bin/bash', commandLine: '/bin/bash' },
        ancestors: [{ name: 'nsenter', commandLine: 'nsenter -t 1 -m -u -i -n -p -- /bin/bash' }, agent],
      }),
      { index },
    ).verdict;
    expect(v.label).toBe('genuine');
  });

  it('still its work: Cilium mounting its cgroup through nsenter', () => {
    expect(nsenter('nsenter --cgroup=/hostproc/1/ns/cgroup --mount=/hostproc/1/ns/mnt cilium-mount /run/cilium/cgroupv2').label).toBe('likely-false-positive');
  });
});
