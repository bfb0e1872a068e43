/**
 * mesh-dataplane (eks-calico-ambient scenario): Istio ambient's HBONE tunnels between enrolled pods, and a CSI node
 * plugin reading its instance identity from IMDS, are the platform's work; the look-alikes — the tunnel port towards an
 * outside address, from a pod that is not enrolled, or where no ztunnel runs; credentials from IMDS; a metadata read by
 * an application pod — stay as they were.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/cluster/model.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { meshDataplane } from '../../../src/triage/rules/mesh-dataplane.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const A = 'ip-10-40-11-23.eu-central-1.compute.internal';
const B = 'ip-10-40-44-8.eu-central-1.compute.internal';
const C = 'ip-10-40-61-95.eu-central-1.compute.internal';
const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } });
const ztunnel = (name: string, n: string, ip: string) =>
  pod(name, { namespace: 'istio-system', node: n, ip, owner: { kind: 'DaemonSet', name: 'ztunnel' }, containers: [{ name: 'istio-proxy', image: 'docker.io/istio/ztunnel:1.24.2-distroless', args: ['proxy', 'ztunnel'] }] });
const app = (name: string, namespace: string, n: string, ip: string, labels?: Record<string, string>) =>
  pod(name, { namespace, node: n, ip, labels, owner: { kind: 'ReplicaSet', name: `${name.split('-')[0]}-6b8f9c7d54` }, containers: [{ name: 'app', image: `registry.example/${name.split('-')[0]}:1.0` }] });

const api = app('ledger-kckcr', 'ledger', A, '172.26.18.87');
const accounts = app('accounts-qqp7w', 'ledger', B, '172.26.7.17');
const optedOut = app('batch-x7k2p', 'ledger', B, '172.26.7.40', { 'istio.io/dataplane-mode': 'none' });
const legacy = app('legacy-m2p4z', 'legacy', A, '172.26.18.99');
const onC = app('report-bcdfg', 'ledger', C, '172.26.93.230');
const waypoint = pod('ledger-waypoint-lvv2t6lvb8-jwbmm', {
  namespace: 'ledger',
  node: B,
  ip: '172.26.7.23',
  labels: { 'gateway.networking.k8s.io/gateway-name': 'ledger-waypoint' },
  owner: { kind: 'ReplicaSet', name: 'ledger-waypoint-lvv2t6lvb8' },
  containers: [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.2' }],
});
const ebs = pod('ebs-csi-node-lzl2q', { namespace: 'kube-system', node: A, ip: '172.26.18.69', owner: { kind: 'DaemonSet', name: 'ebs-csi-node' }, containers: [{ name: 'ebs-plugin', image: '602401143452.dkr.ecr.eu-central-1.amazonaws.com/eks/aws-ebs-csi-driver:v1.38.1' }] });

const index = indexOf([
  node(A, '10.40.11.23'),
  node(B, '10.40.44.8'),
  node(C, '10.40.61.95'),
  ns('ledger', { 'istio.io/dataplane-mode': 'ambient' }),
  ns('legacy'),
  ns('kube-system'),
  owner('DaemonSet', 'ztunnel', 'istio-system'),
  owner('DaemonSet', 'ebs-csi-node', 'kube-system'),
  ztunnel('ztunnel-9cmvc', A, '172.26.18.72'),
  ztunnel('ztunnel-jzsmn', B, '172.26.7.8'),
  api,
  accounts,
  optedOut,
  legacy,
  onC,
  waypoint,
  ebs,
]);

const flow = (srcIp: string, dstIp: string, dstPort: number, url?: string) =>
  alert({ title: 'LOCAL POLICY TLS session on unusual port', network: { srcIp, srcPort: 52114, dstIp, dstPort, protocol: 'tcp', url } });
const run = (a: ReturnType<typeof alert>) => triageAlert(a, { index });
const evidence = (a: ReturnType<typeof alert>) => meshDataplane.evaluate({ alert: a, correlation: run(a).correlation, index });

describe('mesh-dataplane: ambient tunnels', () => {
  it('explains HBONE between two enrolled pods, ztunnel running on both nodes', () => {
    const v = run(flow('172.26.18.87', '172.26.7.17', 15008)).verdict;
    expect(v.label).toBe('likely-false-positive');
    expect(v.cause).toBe('node-networking');
    expect(v.reasons[0].rule).toBe('mesh-dataplane');
    expect(v.reasons[0].message).toContain('istio-system/ztunnel-9cmvc');
  });

  it('explains tunnels to the namespace waypoint', () => {
    expect(evidence(flow('172.26.18.87', '172.26.7.23', 15008))).toHaveLength(1);
  });

  it('does not explain the tunnel port to an outside address, from the node address, another port, or an opted-out or unenrolled pod', () => {
    expect(evidence(flow('172.26.18.87', '203.0.113.77', 15008))).toHaveLength(0);
    expect(run(flow('10.40.61.95', '203.0.113.77', 15008)).verdict.label).toBe('genuine');
    expect(evidence(flow('172.26.18.87', '172.26.7.17', 4444))).toHaveLength(0);
    expect(evidence(flow('172.26.7.40', '172.26.18.87', 15008))).toHaveLength(0);
    expect(evidence(flow('172.26.18.99', '172.26.7.17', 15008))).toHaveLength(0);
  });

  it('does not explain it from a node where no ztunnel runs', () => {
    expect(evidence(flow('172.26.93.230', '172.26.7.17', 15008))).toHaveLength(0);
  });
});

describe('mesh-dataplane: instance identity', () => {
  const imds = (srcIp: string, url: string) => alert({ title: 'LOCAL POLICY AWS instance metadata service (IMDS) HTTP request', network: { srcIp, srcPort: 41880, dstIp: '169.254.169.254', dstPort: 80, protocol: 'tcp', url } });

  it("explains the EBS CSI node plugin reading its instance id and zone from its pod's address", () => {
    const v = run(imds('172.26.18.69', '/latest/meta-data/instance-id')).verdict;
    expect(v.label).toBe('likely-false-positive');
    expect(v.cause).toBe('workload-baseline');
    expect(evidence(imds('172.26.18.69', 'http://169.254.169.254/latest/meta-data/placement/availability-zone'))).toHaveLength(1);
  });

  it('never explains credentials, or an application pod asking the same path', () => {
    expect(evidence(imds('172.26.18.69', '/latest/meta-data/iam/security-credentials/ledger-prod-node-role'))).toHaveLength(0);
    expect(run(imds('172.26.18.69', '/latest/meta-data/iam/security-credentials/ledger-prod-node-role')).verdict.label).toBe('genuine');
    expect(evidence(imds('172.26.18.87', '/latest/meta-data/instance-id'))).toHaveLength(0);
    expect(evidence(imds('172.26.18.69', '/latest/user-data'))).toHaveLength(0);
  });
});

describe('mesh-dataplane: the IMDSv2 session token and answers', () => {
  const put = (srcIp: string) => alert({ title: 'LOCAL POLICY AWS instance metadata service (IMDS) HTTP request', network: { srcIp, srcPort: 41870, dstIp: '169.254.169.254', dstPort: 80, protocol: 'tcp', url: '/latest/api/token', httpMethod: 'PUT' } });

  it('explains the token a CSI node plugin asks for before reading its instance id', () => {
    expect(run(put('172.26.18.69')).verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });

  it('trap: the same token request from an application pod is the first step of a theft', () => {
    const v = run(put('172.26.18.87')).verdict;
    expect(v.label).toBe('genuine');
    expect(v.reasons.some((r) => r.facts?.indicator === 'instance-metadata-token')).toBe(true);
  });

  it('reads a tunnel reported from the answering side (ports swapped) the same way', () => {
    const answer = alert({ title: 'LOCAL POLICY TLS session on unusual port', network: { srcIp: '172.26.7.17', srcPort: 15008, dstIp: '172.26.18.87', dstPort: 52114, protocol: 'tcp' } });
    expect(evidence(answer)).toHaveLength(1);
  });
});
