/**
 * attack-indicators: a shell that itself holds a connection to an outside address is a reverse shell (Falco's
 * "Redirect STDOUT/STDIN to Network Connection in Container" shows only `bash -i` and the socket). Cluster addresses,
 * DNS, and busybox (also wget and nc) are not.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { Alert } from '../../../src/alerts/model.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'till-edge-1';
const api = pod('pos-api-7c9d-abcde', {
  namespace: 'store',
  node: N,
  ip: '10.1.118.141',
  owner: { kind: 'ReplicaSet', name: 'pos-api-7c9d' },
  containers: [{ name: 'pos-api', image: 'registry.example.com/pos-api:3.8.2', command: ['node', '/app/server.js'] }],
});
const db = pod('postgres-0', { namespace: 'store', node: N, ip: '10.1.118.150', owner: { kind: 'StatefulSet', name: 'postgres' }, containers: [{ name: 'postgres', image: 'postgres:16.4' }] });
const index = indexOf([node(N, '192.168.7.11'), owner('ReplicaSet', 'pos-api-7c9d', 'store'), api, db]);
const REVERSE = /a shell opens no sockets of its own/;

function run(process: { name: string; path: string; commandLine: string }, network: Alert['network'], title = 'Redirect STDOUT/STDIN to Network Connection in Container') {
  return triageAlert(
    alert({
      host: N,
      title,
      container: { id: containerIdOf(api).slice(0, 12), name: 'pos-api', pod: api.metadata.name, namespace: 'store' },
      process,
      ancestors: [{ name: 'sh', commandLine: 'sh' }, { name: 'node', commandLine: 'node /app/server.js' }],
      network,
    }),
    { index },
  ).verdict;
}
const bash = { name: 'bash', path: '/bin/bash', commandLine: 'bash -i' };

describe('attack-indicators: a shell on a connection to the outside', () => {
  it('calls bash -i with its streams on a socket to an outside address a reverse shell, with strong evidence', () => {
    const v = run(bash, { srcIp: '10.1.118.141', srcPort: 43920, dstIp: '198.51.100.77', dstPort: 4444, protocol: 'tcp' });
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(v.reasons.find((r) => REVERSE.test(r.message))).toMatchObject({ strength: 'strong' });
  });
  it('trap: a shell checking a cluster address (/dev/tcp health check) is no reverse shell', () => {
    const v = run({ name: 'bash', path: '/bin/bash', commandLine: 'bash -c </dev/tcp/10.1.118.150/5432' }, { srcIp: '10.1.118.141', dstIp: '10.1.118.150', dstPort: 5432, protocol: 'tcp' }, 'Network connection');
    expect(v.reasons.some((r) => REVERSE.test(r.message))).toBe(false);
  });
  it('trap: a DNS lookup, and busybox fetching a file, are not a shell on a socket', () => {
    expect(run(bash, { srcIp: '10.1.118.141', dstIp: '198.51.100.53', dstPort: 53, protocol: 'udp' }, 'Network connection').reasons.some((r) => REVERSE.test(r.message))).toBe(false);
    const wget = { name: 'busybox', path: '/bin/busybox', commandLine: 'wget -q -O /tmp/app.tgz http://198.51.100.9/app.tgz' };
    expect(run(wget, { srcIp: '10.1.118.141', dstIp: '198.51.100.9', dstPort: 80, protocol: 'tcp' }, 'Network connection').reasons.some((r) => REVERSE.test(r.message))).toBe(false);
  });
});
