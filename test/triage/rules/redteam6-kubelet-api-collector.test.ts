/**
 * Red-team 6: api-origin withheld its "kubelet API call from an application pod" finding whenever the pod's images,
 * joined as text, contained a collector's name anywhere: `shop/hotel-web` holds "otel", `search/vectorsearch` "vector",
 * so a compromised application probing kubelets on 10250 lost its attack finding. Fix: the name must be a path segment
 * of the image repository, or begin one (`otel/opentelemetry-collector`, `prom/node-exporter`, `timberio/vector`).
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'node-a';
function kubeletCall(image: string) {
  const p = pod('web-7d9f-abcde', { namespace: 'shop', node: N, ip: '10.1.0.5', owner: { kind: 'ReplicaSet', name: 'web-7d9f' }, containers: [{ name: 'web', image, command: ['/app/server'] }] });
  const index = indexOf([node(N, '10.0.1.11'), node('node-b', '10.0.1.12'), owner('ReplicaSet', 'web-7d9f', 'shop'), p]);
  return triageAlert(alert({ time: '2026-11-20T09:01:00.000Z', title: 'Connection to kubelet API', network: { srcIp: '10.1.0.5', srcPort: 40000, dstIp: '10.0.1.12', dstPort: 10250, protocol: 'TCP' } }), { index }).verdict;
}

describe('redteam6 api-origin: which pods are collectors', () => {
  it('trap: application images whose names merely contain a collector name', () => {
    for (const image of ['registry.example.com/shop/hotel-web:1.2', 'registry.example.com/search/vectorsearch:3.0', 'registry.example.com/shop/falconry-api:2']) {
      expect(kubeletCall(image), image).toMatchObject({ label: 'genuine', cause: 'attack' });
    }
  });
  it('still withheld: collector images by their repository', () => {
    for (const image of ['otel/opentelemetry-collector-contrib:0.104.0', 'quay.io/prometheus/node-exporter:v1.8.1', 'timberio/vector:0.39.0-distroless-libc', 'gcr.io/datadoghq/agent:7.55.0', 'cr.fluentbit.io/fluent/fluent-bit:3.0.7']) {
      expect(kubeletCall(image).reasons.some((r) => r.rule === 'api-origin'), image).toBe(false);
    }
  });
});
