/**
 * node-networking, BGP with the datacenter: a node's own address and a top-of-rack router (a private address that is
 * no node or pod) on port 179, where a routing component (calico-node with BIRD) runs with the host network on that
 * node, is its peering — and the traps: a node without such a component, a public peer, a pod address, another port.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, node, pod, snapshot } from '../../support/cluster.js';

const W1 = 'kw-01';
const W2 = 'kw-02';
const calico = pod('calico-node-zbn5b', {
  namespace: 'calico-system',
  node: W1,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'calico-node' },
  containers: [{ name: 'calico-node', image: 'docker.io/calico/node:v3.29.2', securityContext: { privileged: true } }],
});
const app = pod('web-7d9f-abcde', { namespace: 'web', node: W2, ip: '10.245.5.20', containers: [{ name: 'web', image: 'nginx:1.27' }] });
const index = buildIndex([snapshot([node(W1, '10.60.0.21'), node(W2, '10.60.0.22'), calico, app])]);
const bgp = (srcIp: string, dstIp: string, dstPort = 179, process?: { name: string; commandLine: string }) =>
  triageAlert(alert({ host: process ? W1 : undefined, title: 'LOCAL POLICY BGP session opened from server VLAN host', process, network: { srcIp, srcPort: 43110, dstIp, dstPort, protocol: 'TCP' } }), { index }).verdict;

describe('node-networking: BGP peering with the datacenter routers', () => {
  it("explains a node's BGP session to its top-of-rack router where calico-node runs", () => {
    const v = bgp('10.60.0.21', '10.60.0.1');
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
    expect(v.reasons.map((r) => r.message).join(' ')).toContain('calico-node-zbn5b');
  });
  it('explains the router opening the session towards the node', () => {
    expect(bgp('10.60.0.1', '10.60.0.21')).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: the same session from a node where no routing component runs', () => {
    expect(bgp('10.60.0.22', '10.60.0.1').label).toBe('genuine');
  });
  it('trap: BGP from the calico node to a public address', () => {
    expect(bgp('10.60.0.21', '203.0.113.9').label).toBe('genuine');
  });
  it('an endpoint sensor naming BIRD, the routing daemon, is still its peering', () => {
    expect(bgp('10.60.0.21', '10.60.0.1', 179, { name: 'bird', commandLine: 'bird -R -s /var/run/calico/bird.ctl -d -c /etc/calico/confd/config/bird.cfg' }).label).toBe('likely-false-positive');
  });
  it('trap: another program on the calico node opening the BGP session (a route hijack from the node)', () => {
    expect(bgp('10.60.0.21', '10.60.0.1', 179, { name: 'exabgp', commandLine: 'exabgp /etc/exabgp/announce.conf' }).label).toBe('genuine');
  });
  it('trap: an application pod speaking BGP, and the calico node on a port it does not peer on', () => {
    expect(bgp('10.245.5.20', '10.60.0.1').label).toBe('genuine');
    expect(bgp('10.60.0.21', '10.60.0.1', 2222).label).toBe('genuine');
  });
});
