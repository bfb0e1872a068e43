/** Multus secondary-network addresses (network-status annotation) in the pod-IP index. */
import { describe, expect, it } from 'vitest';
import { secondaryNetworkIps } from '../../src/cluster/index.js';
import { indexOf, node, pod } from '../support/cluster.js';

const STATUS = JSON.stringify([
  { name: 'cilium', interface: 'eth0', ips: ['10.244.3.62'], default: true },
  { name: 'cnf-upf/n3-vfio', interface: 'net1', ips: ['10.80.3.21'], 'device-info': { type: 'pci', pci: { 'pci-address': '0000:3b:02.1' } } },
  { name: 'cnf-upf/n6-vfio', interface: 'net2', ips: ['10.80.6.21/24', 'fd00:6::21'] },
]);

function withStatus(name: string, value: string | undefined, created: string) {
  const p = pod(name, { namespace: 'cnf-upf', node: 'wk-1', ip: '10.244.3.62', created, containers: [{ name: 'upf', image: 'upf:1' }] });
  if (value !== undefined) p.metadata.annotations = { 'k8s.v1.cni.cncf.io/network-status': value };
  return p;
}

describe('secondary network addresses', () => {
  it('reads the non-default attachments of the network-status annotation', () => {
    expect(secondaryNetworkIps(withStatus('a', STATUS, '2027-03-11T04:43:10Z'))).toEqual(['10.80.3.21', '10.80.6.21', 'fd00:6::21']);
  });
  it('ignores a missing, malformed or non-list annotation', () => {
    expect(secondaryNetworkIps(withStatus('b', undefined, '2027-03-11T04:43:10Z'))).toEqual([]);
    expect(secondaryNetworkIps(withStatus('c', '[{"ips": ["10.1', '2027-03-11T04:43:10Z'))).toEqual([]);
    expect(secondaryNetworkIps(withStatus('d', '{"ips":["10.80.9.9"]}', '2027-03-11T04:43:10Z'))).toEqual([]);
  });
  it('finds the pod by a secondary address, time-aware like its primary address', () => {
    const upf = withStatus('upf-0', STATUS, '2027-03-11T04:43:10Z');
    const index = indexOf([node('wk-1', '10.60.0.21'), upf]);
    expect(index.podByIp('10.80.6.21', '2027-03-11T05:20:44Z')).toBe(upf);
    expect(index.podByIp('10.80.3.21', null)).toBe(upf);
    // trap: an alert older than the pod is not its traffic (the address may have belonged to an earlier pod)
    expect(index.podByIp('10.80.6.21', '2027-03-11T04:30:00Z')).toBeUndefined();
    // trap: the default attachment's entry is not re-read as a secondary address of another pod
    expect(index.podByIp('10.80.4.99', null)).toBeUndefined();
  });
});
