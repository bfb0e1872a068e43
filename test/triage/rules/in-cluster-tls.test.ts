/**
 * in-cluster-tls: Zeek's SSL::Invalid_Server_Cert on an operator's mTLS to its agent (chaos-controller-manager →
 * chaos-daemon gRPC 31767, signed by the chart's own CA) is the cluster's private PKI, not an attack. Found in the
 * chaos-gameday validation scenario; with the traps: a naked server pod, an undeclared port, a server outside the
 * cluster, another finding between the same pods.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../src/cluster/model.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, node, owner, pod, snapshot } from '../../support/cluster.js';

const controller = pod('chaos-controller-manager-6f8b9d7c5b-4n8g5', {
  namespace: 'chaos-mesh',
  node: 'stg-wrk-01',
  ip: '10.16.0.12',
  owner: { kind: 'ReplicaSet', name: 'chaos-controller-manager-6f8b9d7c5b' },
  containers: [{ name: 'chaos-mesh', image: 'ghcr.io/chaos-mesh/chaos-mesh:v2.7.2', ports: [{ containerPort: 10082, name: 'ctrl' }] }],
});
const agent = (naked = false): Pod =>
  pod('chaos-daemon-257tq', {
    namespace: 'chaos-mesh',
    node: 'stg-wrk-03',
    ip: '10.16.0.23',
    owner: naked ? undefined : { kind: 'DaemonSet', name: 'chaos-daemon' },
    containers: [{ name: 'chaos-daemon', image: 'ghcr.io/chaos-mesh/chaos-daemon:v2.7.2', ports: [{ containerPort: 31767, name: 'grpc', protocol: 'TCP' }] }],
  });

function verdictFor(o: { dstIp?: string; dstPort?: number; title?: string; naked?: boolean }) {
  const objects = [
    node('stg-wrk-01', '10.60.0.21'),
    node('stg-wrk-03', '10.60.0.23'),
    owner('ReplicaSet', 'chaos-controller-manager-6f8b9d7c5b', 'chaos-mesh', { kind: 'Deployment', name: 'chaos-controller-manager' }),
    owner('Deployment', 'chaos-controller-manager', 'chaos-mesh'),
    owner('DaemonSet', 'chaos-daemon', 'chaos-mesh'),
    controller,
    agent(o.naked),
  ];
  const a = alert({
    title: o.title ?? 'SSL::Invalid_Server_Cert',
    time: '2027-03-11T09:31:03.992Z',
    network: { srcIp: '10.16.0.12', srcPort: 57463, dstIp: o.dstIp ?? '10.16.0.23', dstPort: o.dstPort ?? 31767, protocol: 'tcp' },
  });
  return triageAlert(a, { index: buildIndex([snapshot(objects)]) }).verdict;
}

describe('in-cluster-tls', () => {
  it("an operator's TLS to its DaemonSet agent's declared gRPC port: workload-baseline", () => {
    const v = verdictFor({});
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons[0].message).toMatch(/chaos-daemon-257tq.*port 31767.*grpc/);
  });
  it('trap: the server is a naked pod', () => {
    expect(verdictFor({ naked: true }).label).toBe('genuine');
  });
  it('trap: a port the server pod does not declare', () => {
    expect(verdictFor({ dstPort: 4444 }).label).toBe('genuine');
  });
  it('trap: a server outside the cluster', () => {
    expect(verdictFor({ dstIp: '203.0.113.66', dstPort: 443 }).label).toBe('genuine');
  });
  it('trap: another finding between the same pods', () => {
    expect(verdictFor({ title: 'Intel::Notice' }).label).toBe('genuine');
  });
});
