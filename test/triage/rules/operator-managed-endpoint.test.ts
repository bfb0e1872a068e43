/**
 * An operator's controller calling the admin endpoint of a pod it manages (Strimzi configuring a KafkaConnector through
 * the Kafka Connect REST API on 8083), seen by a network sensor: its reconciliation. Another pod, an address outside
 * the cluster, a pod the operator does not manage, or an exploit in the request are not excused.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/cluster/model.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'ip-10-42-11-23.us-east-2.compute.internal';
const operator = pod('strimzi-cluster-operator-k984pjj7gx-cv5v5', {
  namespace: 'strimzi',
  node: N,
  ip: '10.42.9.11',
  owner: { kind: 'ReplicaSet', name: 'strimzi-cluster-operator-k984pjj7gx' },
  containers: [{ name: 'strimzi-cluster-operator', image: 'quay.io/strimzi/operator:0.43.0', args: ['/opt/strimzi/bin/cluster_operator_run.sh'] }],
});
const connect = pod('cdc-connect-0', {
  namespace: 'kafka',
  node: N,
  ip: '10.42.9.31',
  owner: { kind: 'StrimziPodSet', name: 'cdc-connect' },
  labels: { 'strimzi.io/cluster': 'cdc', 'strimzi.io/kind': 'KafkaConnect', 'strimzi.io/name': 'cdc-connect' },
  containers: [{ name: 'cdc-connect', image: 'example/kafka-connect-cdc:1.7.2', command: ['/opt/kafka/kafka_connect_run.sh'] }],
});
const app = pod('billing-7c9d-abcde', {
  namespace: 'billing',
  node: N,
  ip: '10.42.9.40',
  owner: { kind: 'ReplicaSet', name: 'billing-7c9d' },
  containers: [{ name: 'billing', image: 'example/billing:2.1', command: ['/app/billing'] }],
});
const OBJECTS: KubeObject[] = [
  node(N, '10.42.11.23'),
  operator,
  owner('ReplicaSet', 'strimzi-cluster-operator-k984pjj7gx', 'strimzi', { kind: 'Deployment', name: 'strimzi-cluster-operator' }),
  owner('Deployment', 'strimzi-cluster-operator', 'strimzi'),
  connect,
  app,
  owner('ReplicaSet', 'billing-7c9d', 'billing', { kind: 'Deployment', name: 'billing' }),
  owner('Deployment', 'billing', 'billing'),
];
const index = indexOf(OBJECTS);

function request(srcIp: string, dstIp: string, title: string) {
  return triageAlert(
    alert({ host: N, time: '2026-11-26T09:46:12.000Z', title, network: { srcIp, srcPort: 39220, dstIp, dstPort: 8083, protocol: 'tcp', url: '/connectors/ledger-cdc/config' } }),
    { index },
  ).verdict;
}
const CHANGE = 'LOCAL POLICY Kafka Connect REST connector configuration change';

describe("an operator calling its managed pods' admin endpoint", () => {
  it('Strimzi to the Kafka Connect REST API of a KafkaConnect pod', () => {
    const v = request('10.42.9.11', '10.42.9.31', CHANGE);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons.map((r) => r.message).join(' ')).toContain('Kafka Connect REST API');
  });

  it('trap: the same request from an application pod, or from a VPN address', () => {
    expect(request('10.42.9.40', '10.42.9.31', CHANGE).label).toBe('genuine');
    expect(request('10.60.4.77', '10.42.9.31', CHANGE).label).toBe('genuine');
  });

  it('trap: the operator to a pod it does not manage on that port', () => {
    expect(request('10.42.9.11', '10.42.9.40', CHANGE).label).toBe('genuine');
  });

  it('trap: an exploit signature in the request, even from the operator pod', () => {
    expect(request('10.42.9.11', '10.42.9.31', 'ET EXPLOIT Apache Kafka Connect JNDI Injection via SASL JAAS JndiLoginModule (CVE-2023-25194)').label).toBe('genuine');
  });
});
