/**
 * Red-team 6: kubelet-own-pods excused a kubelet identity reading a Secret of a pod bound to its node, from the node's
 * address. The kubelet's client certificate lies on that node (/var/lib/kubelet/pki/kubelet-client-current.pem): an
 * intruder who escaped to the node (on EKS Fargate, the pod's own micro-VM) reads the same Secrets from the same address with kubectl or curl — the node
 * authorizer lets them. Fix: a request whose client (user agent) is not the kubelet's is not the kubelet starting its pod.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alerts/model.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, pod } from '../../support/cluster.js';

// EKS Fargate: one pod per micro-VM node, the node's kubelet reading the pod's Secret from the pod's own address.
const N = 'fargate-ip-10-42-98-17.us-east-2.compute.internal';
const app = pod('payments-6d9f-abcde', {
  namespace: 'payments',
  node: N,
  ip: '10.42.98.17',
  owner: { kind: 'ReplicaSet', name: 'payments-6d9f' },
  labels: { 'eks.amazonaws.com/fargate-profile': 'fp-payments' },
  containers: [{ name: 'api', image: 'payments/api:4.1' }],
});
app.status!.hostIP = '10.42.98.17';
const index = indexOf([app]);

function secretRead(userAgent: string | undefined): Alert {
  const a = alert({ time: '2027-03-09T15:15:40.000Z', title: 'Unusual access to Kubernetes secrets.' });
  a.apiRequest = { user: 'system:node:ip-10-42-98-17.us-east-2.compute.internal', groups: ['system:nodes'], verb: 'get', resource: 'secrets', namespace: 'payments', name: 'payments-db', sourceIps: ['10.42.98.17'], statusCode: 200, userAgent };
  return a;
}

describe("redteam6 kubelet-own-pods: the kubelet's certificate in other hands", () => {
  it("still explained: the kubelet's own client, or a finding that names no client", () => {
    expect(triageAlert(secretRead('kubelet/v1.30.4 (linux/amd64) kubernetes/a51b1b2'), { index }).verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(triageAlert(secretRead(undefined), { index }).verdict.label).toBe('likely-false-positive');
  });
  it('trap: the same read with kubectl or curl', () => {
    expect(triageAlert(secretRead('kubectl/v1.30.2 (linux/amd64) kubernetes/3968350'), { index }).verdict.label).toBe('genuine');
    expect(triageAlert(secretRead('curl/8.5.0'), { index }).verdict.label).toBe('genuine');
  });
});
