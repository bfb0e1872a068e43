/**
 * Red-team trap for the Weave Net knowledge (its `weave` setup script counted as one of its binaries): an attacker on a
 * node where Weave runs flushes the firewall through a script they named `weave`, started from an SSH login. The
 * script is Weave's only inside Weave's container; this must stay genuine.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'nodes-eu-west-1a-7k2p';
const weave = pod('weave-net-x8d2k', {
  namespace: 'kube-system',
  node: N,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'weave-net' },
  containers: [
    { name: 'weave', image: 'weaveworks/weave-kube:2.8.1', command: ['/home/weave/launch.sh'], securityContext: { privileged: true } },
    { name: 'weave-npc', image: 'weaveworks/weave-npc:2.8.1', securityContext: { privileged: true } },
  ],
});
const index = indexOf([node(N, '172.20.33.14'), owner('DaemonSet', 'weave-net', 'kube-system'), weave]);

describe('redteam node-networking: a script named weave outside the Weave container', () => {
  it('trap: iptables -F under /root/weave started by an SSH login shell', () => {
    const v = triageAlert(
      alert({
        host: N,
        title: 'Firewall rules flushed',
        process: { name: 'iptables', path: '/usr/sbin/iptables', commandLine: 'iptables -t filter -F' },
        ancestors: [{ name: 'weave', path: '/root/weave', commandLine: '/bin/sh /root/weave --local setup-iptables' }, { name: 'bash', commandLine: '-bash' }, { name: 'sshd', commandLine: 'sshd: root@pts/0' }],
      }),
      { index },
    ).verdict;
    expect(v.label).toBe('genuine');
  });
});
