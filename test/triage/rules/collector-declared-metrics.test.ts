/**
 * workload-baseline, declared metrics ports: Prometheus scrapes whatever port a pod declares as its metrics endpoint
 * (a container port named `metrics`, `http-metrics`, `<x>-metrics`, or the prometheus.io/port annotation), not only
 * the exporters' well-known numbers. An NDR sees the scrape as a sweep from the Prometheus pod.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { Pod } from '../../../src/cluster/model.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const A = 'till-edge-1';
const B = 'till-edge-2';
const prom = pod('prometheus-k8s-0', {
  namespace: 'monitoring',
  node: A,
  ip: '10.1.37.90',
  owner: { kind: 'StatefulSet', name: 'prometheus-k8s' },
  containers: [{ name: 'prometheus', image: 'quay.io/prometheus/prometheus:v2.53.1', args: ['--config.file=/etc/prometheus/config_out/prometheus.env.yaml'] }],
});
const fakeProm = pod('prom-tools-0', {
  namespace: 'monitoring',
  node: A,
  ip: '10.1.37.91',
  owner: { kind: 'StatefulSet', name: 'prom-tools' },
  containers: [{ name: 'prometheus', image: 'ghcr.io/evil/prometheus:2.53', args: [] }],
});
const app = pod('pos-api-7c9d-x2x2x', {
  namespace: 'store',
  node: B,
  ip: '10.1.94.210',
  owner: { kind: 'ReplicaSet', name: 'pos-api-7c9d' },
  containers: [{ name: 'pos-api', image: 'registry.example.com/pos-api:3.8.2', command: ['node', '/app/server.js'], ports: [{ name: 'grpc', containerPort: 50051 }, { name: 'metrics', containerPort: 9464 }] }],
});
const meshed = pod('ledger-api-hnd49bcpw-tb7zl', {
  namespace: 'store',
  node: B,
  ip: '10.1.94.212',
  owner: { kind: 'ReplicaSet', name: 'pos-api-7c9d' },
  containers: [
    { name: 'linkerd-proxy', image: 'cr.l5d.io/linkerd/proxy:edge-25.2.3', ports: [{ name: 'linkerd-proxy', containerPort: 4143 }, { name: 'linkerd-admin', containerPort: 4191 }] },
    { name: 'ledger-api', image: 'registry.example.com/ledger-api:2.11.0', command: ['/ledger-api'], ports: [{ name: 'http', containerPort: 8080 }] },
  ],
});
const annotated = pod('worker-0', { namespace: 'store', node: B, ip: '10.1.94.211', owner: { kind: 'StatefulSet', name: 'worker' }, containers: [{ name: 'worker', image: 'registry.example.com/worker:1.0', command: ['/worker'] }] });
annotated.metadata.annotations = { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8000' };
const index = indexOf([node(A, '192.168.7.11'), node(B, '192.168.7.12'), owner('StatefulSet', 'prometheus-k8s', 'monitoring'), owner('ReplicaSet', 'pos-api-7c9d', 'store'), prom, fakeProm, app, meshed, annotated]);

/** A network sensor that names only the flow (Vectra's port sweep): no URL, no user agent. */
const bareSweep = (src: Pod, dst: Pod, dstPort: number) =>
  triageAlert(alert({ title: 'Port Sweep', network: { srcIp: src.status!.podIP!, dstIp: dst.status!.podIP!, dstPort, protocol: 'tcp' } }), { index }).verdict;

const sweep = (src: Pod, dst: Pod, dstPort: number) =>
  triageAlert(
    alert({
      title: 'LOCAL SCAN TCP sweep - single source to many destinations',
      network: { srcIp: src.status!.podIP!, srcPort: 52144, dstIp: dst.status!.podIP!, dstPort, protocol: 'TCP', url: '/metrics', userAgent: 'Prometheus/2.53.1' },
    }),
    { index },
  ).verdict;

describe('workload-baseline: Prometheus on a metrics port the target pod declares', () => {
  it('explains a scrape of a container port named metrics (OpenTelemetry 9464)', () => {
    const v = sweep(prom, app, 9464);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons[0].message).toMatch(/declares port 9464 as metrics/);
  });
  it('explains a scrape of the port the prometheus.io/port annotation names', () => {
    expect(sweep(prom, annotated, 8000)).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: Prometheus on a port the pod declares but not as metrics (its gRPC API)', () => {
    expect(sweep(prom, app, 50051).label).toBe('genuine');
  });
  it('trap: a look-alike Prometheus image on the declared metrics port', () => {
    expect(sweep(fakeProm, app, 9464).label).toBe('genuine');
  });
  it('trap: the application pod sweeping the Prometheus pod is no scrape', () => {
    expect(sweep(app, prom, 9464).label).toBe('genuine');
  });
  it("explains Prometheus scraping a Linkerd proxy's admin port (linkerd-admin, 4191) seen as a bare sweep", () => {
    const v = bareSweep(prom, meshed, 4191);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons[0].message).toMatch(/declares port 4191 as linkerd-admin/);
  });
  it('trap: a look-alike Prometheus image on the proxy admin port', () => {
    expect(bareSweep(fakeProm, meshed, 4191).label).toBe('genuine');
  });
  it('trap: Prometheus on port 4191 of a pod that declares no such port', () => {
    expect(bareSweep(prom, app, 4191).label).toBe('genuine');
  });
  it('trap: an application pod sweeping the proxy admin port', () => {
    expect(bareSweep(app, meshed, 4191).label).toBe('genuine');
  });
});
