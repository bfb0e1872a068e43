/**
 * Red-team traps for placement by command line (correlate.ts) and node-networking's "child of the daemon": an attacker
 * with an SSH login on a node copies kube-proxy's command line from the pod spec onto a binary of their own (not in a
 * temporary directory) and flushes the NAT table from it. A container's processes descend from the runtime, never from
 * a login on the node: this must stay genuine, and the process must not be placed into the kube-proxy pod.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'ip-10-0-1-10.ec2.internal';
const kubeProxy = pod('kube-proxy-abcde', {
  namespace: 'kube-system',
  node: N,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'kube-proxy' },
  containers: [
    {
      name: 'kube-proxy',
      image: 'registry.k8s.io/kube-proxy:v1.29.0',
      command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
      securityContext: { privileged: true },
    },
  ],
});
const index = indexOf([node(N, '10.0.1.10'), owner('DaemonSet', 'kube-proxy', 'kube-system'), kubeProxy]);
const copiedCommand = '/usr/local/bin/kube-proxy --config=/var/lib/kube-proxy/config.conf --hostname-override=ip-10-0-1-10.ec2.internal';
const sshLogin = [
  { name: 'bash', commandLine: '-bash' },
  { name: 'sshd', commandLine: 'sshd: root@pts/0' },
];

describe('redteam2: kube-proxy command line run from an SSH login on the node', () => {
  it('trap: iptables -t nat -F under a look-alike kube-proxy started from an SSH login stays genuine, unplaced', () => {
    const r = triageAlert(
      alert({
        host: N,
        title: 'Firewall rules flushed',
        process: { name: 'iptables', path: '/usr/sbin/iptables', commandLine: 'iptables -t nat -F' },
        ancestors: [{ name: 'kube-proxy', path: '/usr/local/bin/kube-proxy', commandLine: copiedCommand }, ...sshLogin],
      }),
      { index },
    );
    expect(r.verdict.label).toBe('genuine');
    expect(r.correlation.subject.pod).toBeUndefined();
  });

  it('trap: the look-alike kube-proxy itself, beaconing out from an SSH login, stays genuine', () => {
    const v = triageAlert(
      alert({
        host: N,
        title: 'Outbound connection to rare destination',
        process: { name: 'kube-proxy', path: '/usr/local/bin/kube-proxy', commandLine: copiedCommand },
        ancestors: sshLogin,
        network: { dstIp: '198.51.100.7', dstPort: 443 },
      }),
      { index },
    ).verdict;
    expect(v.label).toBe('genuine');
  });

  it('trap: same, from a console login (login → -sh)', () => {
    const v = triageAlert(
      alert({
        host: N,
        title: 'Firewall rules flushed',
        process: { name: 'iptables', path: '/usr/sbin/iptables', commandLine: 'iptables -t nat -F' },
        ancestors: [{ name: 'kube-proxy', path: '/usr/local/bin/kube-proxy', commandLine: copiedCommand }, { name: 'sh', commandLine: '-sh' }, { name: 'login', path: '/bin/login' }],
      }),
      { index },
    ).verdict;
    expect(v.label).toBe('genuine');
  });

  it('still explained: iptables under the real kube-proxy, started by the runtime', () => {
    const v = triageAlert(
      alert({
        host: N,
        container: { id: containerIdOf(kubeProxy) },
        title: 'Firewall rules modified',
        process: { name: 'iptables-restore', path: '/usr/sbin/iptables-restore', commandLine: 'iptables-restore -w 5 -W 100000 --noflush --counters' },
        ancestors: [{ name: 'kube-proxy', path: '/usr/local/bin/kube-proxy', commandLine: copiedCommand }, { name: 'containerd-shim-runc-v2' }],
      }),
      { index },
    ).verdict;
    expect(v.label).toBe('likely-false-positive');
  });
});
