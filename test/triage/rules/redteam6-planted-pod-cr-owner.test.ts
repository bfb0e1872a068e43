/**
 * Red-team 6: planted-pod judged only pods with no owner reference (in the snapshot and in the creation request). A
 * stolen service-account token creating a privileged, hostPID pod with the host's / mounted passes as "controlled" by
 * adding `ownerReferences: [{kind: Restore, name: x}]`, a custom resource's kind the garbage collector leaves be. Fix:
 * only a built-in controller or the node makes a pod controlled (support: BUILT_IN_CONTROLLERS).
 */
import { describe, expect, it } from 'vitest';
import type { AuditActivity } from '../../../src/cluster/model.js';
import { summarizePodSpec } from '../../../src/cluster/audit.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, node, pod, snapshot } from '../../support/cluster.js';

const N = 'ip-10-42-40-8.us-east-2.compute.internal';
const T = (hms: string) => `2027-03-09T${hms}.000Z`;
const NS = 'batch';
const DISPATCHER = 'system:serviceaccount:batch:job-dispatcher';
const privilegedSpec = {
  hostPID: true,
  hostNetwork: true,
  volumes: [{ name: 'host', hostPath: { path: '/' } }],
  containers: [{ name: 'reconcile', image: 'alpine:3.20', command: ['sh', '-c', 'sleep 86400'], securityContext: { privileged: true }, volumeMounts: [{ name: 'host', mountPath: '/host' }] }],
};
const plainSpec = { containers: [{ name: 'render', image: 'statement-render:2.3.0', command: ['python', '-m', 'render'] }] };

function creation(name: string, time: string, spec: object, owner?: string): AuditActivity {
  const body = { kind: 'Pod', metadata: { name, namespace: NS, ...(owner ? { ownerReferences: [{ kind: owner, name: 'x', controller: true }] } : {}) }, spec };
  return { time: T(time), user: DISPATCHER, groups: [], verb: 'create', resource: 'pods', namespace: NS, name, sourceIps: ['10.42.97.53'], userAgent: 'kubectl/v1.31.0', code: 201, podSpec: summarizePodSpec(body) };
}

function verdictFor(owner: string) {
  const p = pod('reconcile-warm-8k2p', {
    namespace: NS,
    node: N,
    hostNetwork: true,
    hostPID: true,
    created: T('15:58:33'),
    owner: { kind: owner, name: 'x' },
    volumes: [{ name: 'host', hostPath: { path: '/' } }],
    containers: [{ name: 'reconcile', image: 'alpine:3.20', command: ['sh', '-c', 'sleep 86400'], securityContext: { privileged: true }, volumeMounts: [{ name: 'host', mountPath: '/host' }] }],
  });
  const snap = snapshot([node(N, '10.42.40.8'), p]);
  snap.auditActivities = [creation('render-q7x2m', '13:52:18', plainSpec), creation(p.metadata.name, '15:58:31', privilegedSpec, owner)];
  const a = alert({ host: N, time: T('15:58:40'), title: 'Launch Privileged Container', process: { name: 'sh', commandLine: 'sh -c sleep 86400' }, container: { id: containerIdOf(p).slice(0, 12), name: 'reconcile', namespace: NS, pod: p.metadata.name } });
  return triageAlert(a, { index: buildIndex([snap]) }).verdict;
}

describe('redteam6 planted-pod: an owner reference to a custom resource kind', () => {
  it("trap: the planted pod 'owned' by a Restore", () => {
    const v = verdictFor('Restore');
    expect(v.reasons.some((r) => r.rule === 'planted-pod')).toBe(true);
    expect(v.label).toBe('genuine');
  });
  it('still left to the other rules: a Job-owned pod', () => {
    expect(verdictFor('Job').reasons.some((r) => r.rule === 'planted-pod')).toBe(false);
  });
});
