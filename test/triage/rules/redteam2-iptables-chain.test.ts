/**
 * Red-team traps for node-networking's "no parent process: the chain tells whose rule it is": a rule put into
 * kube-proxy's KUBE-SERVICES chain was kube-proxy's, whatever it did. A DNAT sending a port to a public address, or
 * an ACCEPT for a public source, inserted from a process the sensor names no parent for (auditd gives only the pid),
 * is not kube-proxy's rule: its rules point at pods, nodes and Services.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'ip-10-0-1-10.ec2.internal';
const kubeProxy = pod('kube-proxy-abcde', {
  namespace: 'kube-system',
  node: N,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'kube-proxy' },
  containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.29.0', command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf'], securityContext: { privileged: true } }],
});
const index = indexOf([node(N, '10.0.1.10'), owner('DaemonSet', 'kube-proxy', 'kube-system'), kubeProxy]);
const rule = (commandLine: string) =>
  triageAlert(alert({ host: N, title: 'Firewall rule added', process: { name: 'iptables', path: '/usr/sbin/iptables', commandLine }, ancestors: [{ pid: '48211' }] }), { index }).verdict;

describe('redteam2 node-networking: a rule in kube-proxy’s chain pointing outside the cluster', () => {
  it('trap: DNAT of port 4444 to a public address in KUBE-SERVICES stays genuine', () => {
    expect(rule('iptables -t nat -I KUBE-SERVICES -p tcp --dport 4444 -j DNAT --to-destination 198.51.100.7:4444').label).toBe('genuine');
  });
  it('trap: ACCEPT from a public source in KUBE-FORWARD stays genuine', () => {
    expect(rule('iptables -I KUBE-FORWARD -s 203.0.113.0/24 -j ACCEPT').label).toBe('genuine');
  });
  it('still kube-proxy’s: a Service DNAT to a pod address in its chain', () => {
    expect(rule('iptables -t nat -A KUBE-SEP-ABCDEF -p tcp -m tcp -j DNAT --to-destination 10.1.0.7:8080').label).toBe('likely-false-positive');
  });
});

describe('redteam2 node-networking: public addresses a Service declares stay kube-proxy’s', () => {
  it('a loadBalancerSourceRanges ACCEPT in a KUBE-FW chain', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop', uid: 'svc-web' }, spec: { type: 'LoadBalancer', clusterIP: '10.96.0.20', loadBalancerSourceRanges: ['203.0.113.0/24'], ports: [{ port: 443 }] } };
    const withSvc = indexOf([node(N, '10.0.1.10'), owner('DaemonSet', 'kube-proxy', 'kube-system'), kubeProxy, svc]);
    const v = triageAlert(
      alert({ host: N, title: 'Firewall rule added', process: { name: 'iptables', path: '/usr/sbin/iptables', commandLine: 'iptables -t nat -A KUBE-FW-ABCDEF -s 203.0.113.0/24 -j KUBE-EXT-ABCDEF' }, ancestors: [{ pid: '48211' }] }),
      { index: withSvc },
    ).verdict;
    expect(v.label).toBe('likely-false-positive');
  });
});
