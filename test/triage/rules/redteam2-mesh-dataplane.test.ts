/**
 * Red-team traps (held) for mesh-dataplane's ambient tunnel excuse: the tunnel port between two enrolled pods with
 * ztunnel on both nodes is the mesh's work, but an intruder's python3 or nc in an enrolled pod speaking to another
 * pod's port 15008 is not ztunnel and must stay genuine.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/cluster/model.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
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

const run = (a: ReturnType<typeof alert>) => triageAlert(a, { index });


const fromApp = (process: { name: string; path?: string; commandLine?: string }) =>
  alert({ host: A, title: 'Unusual outbound connection from container', process, network: { srcIp: '172.26.18.87', srcPort: 52114, dstIp: '172.26.7.17', dstPort: 15008, protocol: 'tcp' } });

describe('redteam2 mesh-dataplane: the tunnel port used by a process that is not ztunnel', () => {
  it('trap: python3 in an enrolled pod connecting to another enrolled pod on 15008 stays genuine', () => {
    expect(run(fromApp({ name: 'python3', path: '/usr/bin/python3', commandLine: 'python3 -c import socket;s=socket.create_connection(("172.26.7.17",15008))' })).verdict.label).toBe('genuine');
  });
  it('trap: nc to 15008 stays genuine', () => {
    expect(run(fromApp({ name: 'nc', path: '/usr/bin/nc', commandLine: 'nc 172.26.7.17 15008' })).verdict.label).toBe('genuine');
  });
  it('still explained: the flow with ztunnel named as the process', () => {
    expect(run(fromApp({ name: 'ztunnel', path: '/usr/local/bin/ztunnel', commandLine: 'ztunnel proxy ztunnel' })).verdict.label).toBe('likely-false-positive');
  });
});
