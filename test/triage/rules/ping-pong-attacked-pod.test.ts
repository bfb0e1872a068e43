/**
 * ping-pong's story is that the EDR is wrong about the pod it keeps killing. When another alert of the same export shows
 * an attack on that very pod within minutes (a mining-pool login an NDR saw from its address), the EDR may be right:
 * the kill-restart loop is Kubernetes restarting a compromised workload, and the kills stay genuine.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alerts/model.js';
import { BatchCollector } from '../../../src/triage/batch.js';
import { ATTACK_SIGNAL_RULES, correlateAlert, triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'kw-04';
const SHIM = { name: 'containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 0123' };
const looping = (name: string, ip: string) =>
  pod(name, {
    namespace: 'ml',
    node: N,
    ip,
    owner: { kind: 'ReplicaSet', name: 'embed-6c' },
    containers: [{ name: 'embed', image: 'hub.example.com/ml/embed:1.8.0', command: ['node', 'index.js'] }],
    statuses: [{ restartCount: 9, lastState: { terminated: { exitCode: 137, reason: 'Error' } }, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
  });
const miner = looping('embed-6c-aaaaa', '10.42.4.17');
const sibling = looping('embed-6c-bbbbb', '10.42.4.18');
const index = indexOf([node(N, '10.40.0.14'), owner('ReplicaSet', 'embed-6c', 'ml', { kind: 'Deployment', name: 'embed' }), owner('Deployment', 'embed', 'ml'), miner, sibling]);

const poolLogin = (at: string) =>
  alert({ time: at, title: 'ET COINMINER Stratum login (mining pool)', network: { srcIp: '10.42.4.17', srcPort: 40112, dstIp: '198.51.100.77', dstPort: 3333, protocol: 'TCP' } });
const kill = (p: typeof miner, at: string) =>
  alert({ host: N, time: at, action: 'killed', title: 'Suspicious process behaviour', container: { id: containerIdOf(p), name: 'embed', pod: p.metadata.name, namespace: 'ml' }, process: { name: 'node', path: '/usr/local/bin/node', commandLine: 'node index.js' }, ancestors: [SHIM] });

/** The two passes a run makes: the first notes attack sites, the second triages with them. */
function triageAll(alerts: Alert[]) {
  const collector = new BatchCollector(ATTACK_SIGNAL_RULES);
  for (const a of alerts) {
    const placed = correlateAlert(a, { index });
    if (placed) collector.add(a, placed.correlation, placed.index);
  }
  return alerts.map((a) => triageAlert(a, { index, batch: collector.stats }).verdict);
}

describe('ping-pong on a pod another alert shows attacked', () => {
  it('trap: the killed entrypoint of the pod that logged in to a mining pool 20 s earlier stays genuine, and says why', () => {
    const [pool, killed] = triageAll([poolLogin('2026-01-01T12:00:00Z'), kill(miner, '2026-01-01T12:00:20Z')]);
    expect(pool.label).toBe('genuine');
    expect(killed.label).toBe('genuine');
    expect(killed.reasons.map((r) => r.message).join(' ')).toMatch(/says the EDR may be right/);
  });
  it('still the loop: the same kill with no attack in the export', () => {
    expect(triageAll([kill(miner, '2026-01-01T12:00:20Z')])[0]).toMatchObject({ label: 'likely-false-positive', cause: 'ping-pong' });
  });
  it('still the loop: another replica, and the attacked pod an hour later', () => {
    const [, otherPod, later] = triageAll([poolLogin('2026-01-01T12:00:00Z'), kill(sibling, '2026-01-01T12:00:20Z'), kill(miner, '2026-01-01T13:00:00Z')]);
    expect(otherPod).toMatchObject({ label: 'likely-false-positive', cause: 'ping-pong' });
    expect(later).toMatchObject({ label: 'likely-false-positive', cause: 'ping-pong' });
  });
});
