/**
 * Red-team 6: declared-backing-service excused any finding on a connection from an application pod declaring DB_HOST
 * to a private address outside the cluster on PostgreSQL's port — "PostgreSQL brute force" and "lateral movement sweep"
 * included: an intruder in the pod has the same network position and port as the app. The excuse explains that a
 * connection was made, not what was done over many of them. Fix: findings of password guessing, sweeps, scans,
 * lateral movement or exploits are not a client's connection (knowledge/backing-services.ts).
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'node-a';
const api = pod('api-7d9f-abcde', {
  namespace: 'shop',
  node: N,
  ip: '10.1.0.5',
  owner: { kind: 'ReplicaSet', name: 'api-7d9f' },
  created: '2026-11-20T08:00:00Z',
  containers: [{ name: 'api', image: 'registry.example.com/shop/api:1.2', command: ['/app/server'], env: [{ name: 'DB_HOST' }] }],
});
const index = indexOf([node(N, '10.0.1.11'), owner('ReplicaSet', 'api-7d9f', 'shop'), api]);
const verdict = (title: string) =>
  triageAlert(alert({ time: '2026-11-20T09:01:00.000Z', title, network: { srcIp: '10.1.0.5', srcPort: 40000, dstIp: '10.50.3.7', dstPort: 5432, protocol: 'TCP' } }), { index }).verdict;

describe('redteam6 declared-backing-service: what was done over the connection', () => {
  it('still explained: a connection to its PostgreSQL outside the cluster', () => {
    expect(verdict('Suspicious outbound connection to database port')).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: password guessing and sweeps against that port', () => {
    for (const title of ['PostgreSQL brute force attempt', 'Possible password spraying against PostgreSQL', 'Lateral movement: PostgreSQL sweep', 'Internal reconnaissance: database scanning']) {
      expect(verdict(title).label, title).toBe('genuine');
    }
  });
});
