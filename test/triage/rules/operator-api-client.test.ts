/**
 * Operators of data services (Strimzi, ECK, CloudNativePG, cass-operator, redis-operator) are API clients by design:
 * their controller's own daemon connecting to the `kubernetes` Service is their work (Falco's "Contact K8S API Server
 * From Container"). Confirmed by namespace, owning workload and image; a naked look-alike, a shell in the real
 * operator's pod, or the operator's image in an unrelated pod is not excused.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/cluster/model.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'node-a';
const kubernetes: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default', uid: 'svc-k8s' }, spec: { clusterIP: '172.20.0.1', clusterIPs: ['172.20.0.1'], ports: [{ port: 443 }] } };
const real = pod('strimzi-cluster-operator-k984pjj7gx-cv5v5', {
  namespace: 'strimzi',
  node: N,
  ip: '10.42.9.11',
  owner: { kind: 'ReplicaSet', name: 'strimzi-cluster-operator-k984pjj7gx' },
  containers: [{ name: 'strimzi-cluster-operator', image: 'quay.io/strimzi/operator:0.43.0', args: ['/opt/strimzi/bin/cluster_operator_run.sh'] }],
});
const rs = owner('ReplicaSet', 'strimzi-cluster-operator-k984pjj7gx', 'strimzi', { kind: 'Deployment', name: 'strimzi-cluster-operator' });
const deploy = owner('Deployment', 'strimzi-cluster-operator', 'strimzi');
const fake = pod('strimzi-cluster-operator-7b9d5c6f4-qv8xz', {
  namespace: 'kube-system',
  node: N,
  ip: '10.42.5.66',
  containers: [{ name: 'strimzi-cluster-operator', image: 'ghcr.io/strimzi-operator/operator:0.43.0', args: ['/opt/strimzi/bin/cluster_operator_run.sh'] }],
});
// the real image in an unrelated application pod
const borrowed = pod('reports-6d5f-abcde', {
  namespace: 'analytics',
  node: N,
  ip: '10.42.9.80',
  owner: { kind: 'ReplicaSet', name: 'reports-6d5f' },
  containers: [{ name: 'reports', image: 'quay.io/strimzi/operator:0.43.0', args: ['/opt/strimzi/bin/cluster_operator_run.sh'] }],
});
const index = indexOf([node(N, '10.42.11.23'), kubernetes, real, rs, deploy, fake, borrowed, owner('ReplicaSet', 'reports-6d5f', 'analytics', { kind: 'Deployment', name: 'reports' }), owner('Deployment', 'reports', 'analytics')]);
const JAVA = 'java -Dlog4j2.configurationFile=file:/opt/strimzi/custom-config/log4j2.properties -cp /opt/strimzi/lib/* io.strimzi.operator.cluster.Main';

function contact(p: typeof real, process: { name: string; commandLine: string }) {
  const a = alert({
    host: N,
    time: '2026-11-26T08:30:22.000Z',
    title: 'Contact K8S API Server From Container',
    container: { id: containerIdOf(p).slice(0, 12), name: p.spec.containers[0].name, pod: p.metadata.name, namespace: p.metadata.namespace },
    process,
    // Falco names only the parent's name (proc.pname), as in its output for this rule.
    ancestors: [{ name: 'cluster_operator' }],
    network: { srcIp: p.status!.podIP, srcPort: 41822, dstIp: '172.20.0.1', dstPort: 443, protocol: 'tcp' },
  });
  return triageAlert(a, { index }).verdict;
}

describe('operator controllers as API clients', () => {
  it("the Strimzi cluster operator's own JVM reaching the API server", () => {
    const v = contact(real, { name: 'java', commandLine: JAVA });
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons.map((r) => r.message).join(' ')).toContain('Strimzi cluster operator');
  });

  it('trap: the same process line in a naked look-alike pod in kube-system', () => {
    expect(contact(fake, { name: 'java', commandLine: JAVA }).label).toBe('genuine');
  });

  it("trap: curl in the real operator's pod", () => {
    expect(contact(real, { name: 'curl', commandLine: 'curl -sk https://172.20.0.1/api/v1/secrets' }).label).toBe('genuine');
  });

  it("trap: the operator's image in an application's pod", () => {
    expect(contact(borrowed, { name: 'java', commandLine: JAVA }).label).toBe('genuine');
  });
});
