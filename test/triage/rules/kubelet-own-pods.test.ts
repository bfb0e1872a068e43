/**
 * kubelet-own-pods: an audit-log finding about a kubelet identity (system:node:<name>) reading a Secret is placed by
 * the address it came from; a Fargate node's kubelet fetching the secret volume of the one pod bound to it is benign —
 * and the traps: the identity used from another address, another namespace, another node's identity, a refused read.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { Alert } from '../../../src/alerts/model.js';
import { alert, indexOf, pod } from '../../support/cluster.js';

const T = '2027-03-09T15:15:40.000Z';
const NODE = 'fargate-ip-10-42-98-17.us-east-2.compute.internal';
// The pod finished and its micro-VM node is gone from the snapshot: only the pod remembers the node.
const render = pod('render-k9f4t', {
  namespace: 'batch',
  node: NODE,
  ip: '10.42.98.17',
  created: '2027-03-09T15:15:02Z',
  labels: { 'eks.amazonaws.com/fargate-profile': 'fp-batch' },
  phase: 'Succeeded',
  containers: [{ name: 'render', image: 'statement-render:2.3.0' }],
  statuses: [{ state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2027-03-09T15:15:49Z', finishedAt: '2027-03-09T15:17:40Z' } } }],
});
render.status!.hostIP = '10.42.98.17';
const index = indexOf([render]);

function secretRead(o: { user?: string; ip?: string; namespace?: string; code?: number } = {}): Alert {
  const a = alert({ time: T, title: 'Unusual access to Kubernetes secrets.' });
  a.apiRequest = {
    user: o.user ?? 'system:node:ip-10-42-98-17.us-east-2.compute.internal',
    groups: ['system:nodes'],
    verb: 'get',
    resource: 'secrets',
    namespace: o.namespace ?? 'batch',
    name: 'render-signing-key',
    sourceIps: [o.ip ?? '10.42.98.17'],
    statusCode: o.code ?? 200,
  };
  return a;
}

describe('kubelet-own-pods', () => {
  it("places the kubelet's request on the Fargate pod at its address and explains the secret read", () => {
    const { verdict, correlation } = triageAlert(secretRead(), { index });
    expect(correlation.subject.pod?.metadata.name).toBe('render-k9f4t');
    expect(verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: the same identity used from an address outside the cluster', () => {
    expect(triageAlert(secretRead({ ip: '198.51.100.77' }), { index }).verdict.label).toBe('genuine');
  });
  it("trap: a secret of another namespace than the node's pod", () => {
    expect(triageAlert(secretRead({ namespace: 'payments' }), { index }).verdict.label).toBe('genuine');
  });
  it("trap: another node's identity from this pod's address", () => {
    expect(triageAlert(secretRead({ user: 'system:node:ip-10-42-11-23.us-east-2.compute.internal' }), { index }).verdict.label).toBe('genuine');
  });
  it('trap: a refused read', () => {
    expect(triageAlert(secretRead({ code: 403 }), { index }).verdict.label).toBe('genuine');
  });
});
