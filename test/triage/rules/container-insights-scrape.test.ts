/**
 * Container insights' replica (kube-system/ama-logs-rs, image azuremonitor/containerinsights/ciprod) scrapes, cluster
 * wide, the pods that declare a Prometheus endpoint: a network sensor sees a "sweep" of the Flux controllers' metrics
 * port. Traps: the same replica reaching a port the target does not declare (a database), and a pod of another image.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'aks-system-25193847-vmss000000';
const T = (hms: string) => `2026-12-03T${hms}.000Z`;
const scraper = (name: string, image: string, ip: string) =>
  pod(name, { namespace: 'kube-system', node: N, ip, owner: { kind: 'ReplicaSet', name: name.replace(/-[a-z0-9]+$/, '') }, containers: [{ name: 'ama-logs', image }] });
const amaRs = scraper('ama-logs-rs-9lwxs2hw88-qmlhq', 'mcr.microsoft.com/azuremonitor/containerinsights/ciprod:3.1.25', '10.244.0.67');
const lookalike = scraper('ama-logs-rs2-5c7d9f8b6-x2k9p', 'docker.io/someone/ciprod-tools:1.0', '10.244.0.68');
const source = pod('source-controller-7b8f9c6d5-k2x9p', {
  namespace: 'flux-system',
  node: N,
  ip: '10.244.1.40',
  owner: { kind: 'ReplicaSet', name: 'source-controller-7b8f9c6d5' },
  containers: [{ name: 'manager', image: 'mcr.microsoft.com/oss/fluxcd/source-controller:v1.4.1', ports: [{ containerPort: 8080, name: 'http-prom' }, { containerPort: 9090, name: 'http' }] }],
});
source.metadata.annotations = { 'prometheus.io/port': '8080', 'prometheus.io/scrape': 'true' };
const db = pod('ledger-pg-0', { namespace: 'ledger', node: N, ip: '10.244.0.90', owner: { kind: 'StatefulSet', name: 'ledger-pg' }, containers: [{ name: 'postgres', image: 'postgres:16', ports: [{ containerPort: 5432, name: 'pg' }] }] });
const index = indexOf([node(N, '10.224.0.4'), owner('ReplicaSet', 'ama-logs-rs-9lwxs2hw88', 'kube-system'), owner('ReplicaSet', 'ama-logs-rs2-5c7d9f8b6', 'kube-system'), owner('ReplicaSet', 'source-controller-7b8f9c6d5', 'flux-system'), owner('StatefulSet', 'ledger-pg', 'ledger'), amaRs, lookalike, source, db]);
const sweep = (srcIp: string, dstIp: string, dstPort: number) => triageAlert(alert({ time: T('10:15:30'), title: 'Network Sweep', network: { srcIp, dstIp, dstPort } }), { index }).verdict;

describe("Container insights' Prometheus scrapes", () => {
  it('ama-logs-rs reaching the metrics port a Flux controller declares', () => {
    expect(sweep('10.244.0.67', '10.244.1.40', 8080)).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: ama-logs-rs reaching a database port nobody declares as metrics', () => {
    expect(sweep('10.244.0.67', '10.244.0.90', 5432).label).toBe('genuine');
  });
  it('trap: a pod of another image reaching the same metrics port', () => {
    expect(sweep('10.244.0.68', '10.244.1.40', 8080).label).toBe('genuine');
  });
});
