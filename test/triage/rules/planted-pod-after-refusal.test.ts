/**
 * planted-pod, second path: a naked pod with host access whose creator — any identity, a cloud IAM service account or
 * a person — had a host-access pod refused by admission shortly before (GKE Autopilot's Warden, Pod Security) got
 * around the policy; its privileged start is not explained by its own privileges. Traps: a refusal of an ordinary pod,
 * a refusal long before, another identity's refusal, and a controller-owned pod stay with the other rules.
 */
import { describe, expect, it } from 'vitest';
import type { AuditActivity } from '../../../src/cluster/model.js';
import { summarizePodSpec } from '../../../src/cluster/audit.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, node, pod, snapshot } from '../../support/cluster.js';

const N = 'gk3-prod-pool-2-9a1b2c3d-k4mz';
const T = (hms: string) => `2027-03-09T${hms}.000Z`;
const NS = 'shop';
const GSA = 'web-frontend@acme-prod.iam.gserviceaccount.com';

const hostProcSpec = {
  volumes: [{ name: 'p', hostPath: { path: '/proc' } }],
  containers: [{ name: 'dbg', image: 'busybox:1.36', command: ['sleep', '86400'], volumeMounts: [{ name: 'p', mountPath: '/host/proc' }] }],
};
const agentSpec = {
  volumes: [{ name: 'proc-fs', hostPath: { path: '/proc' } }],
  containers: [{ name: 'agent', image: 'docker.io/vendor/agent:0.9.2', args: ['/usr/bin/agent'], securityContext: { privileged: true }, volumeMounts: [{ name: 'proc-fs', mountPath: '/host/proc' }] }],
};
const plainSpec = { containers: [{ name: 'web', image: 'nginx:1.27' }] };

function creation(name: string, time: string, user: string, spec: object, code: number, owner?: string): AuditActivity {
  const body = { kind: 'Pod', metadata: { name, namespace: NS, ...(owner ? { ownerReferences: [{ kind: owner, name: 'x', controller: true }] } : {}) }, spec };
  return { time: T(time), user, groups: ['system:authenticated'], verb: 'create', resource: 'pods', namespace: NS, name, sourceIps: ['198.51.100.23'], userAgent: 'kubectl/v1.31.0', code, podSpec: summarizePodSpec(body) };
}

function agentPod(name: string, withOwner = false) {
  return pod(name, {
    namespace: NS,
    node: N,
    created: T('11:07:52'),
    owner: withOwner ? { kind: 'DaemonSet', name: 'agent' } : undefined,
    volumes: [{ name: 'proc-fs', hostPath: { path: '/proc' } }],
    containers: [{ name: 'agent', image: 'docker.io/vendor/agent:0.9.2', args: ['/usr/bin/agent'], securityContext: { privileged: true }, volumeMounts: [{ name: 'proc-fs', mountPath: '/host/proc' }] }],
  });
}

function verdictFor(activities: AuditActivity[], p: ReturnType<typeof agentPod>) {
  const snap = snapshot([node(N, '10.132.0.22'), p]);
  snap.auditActivities = activities;
  const index = buildIndex([snap]);
  const a = alert({
    host: N,
    time: T('11:07:58'),
    title: 'Launch Privileged Container',
    process: { name: 'agent', commandLine: '/usr/bin/agent' },
    container: { id: containerIdOf(p).slice(0, 12), name: 'agent', namespace: NS, pod: p.metadata.name },
  });
  return triageAlert(a, { index }).verdict;
}

const planted = (v: ReturnType<typeof verdictFor>) => v.reasons.some((r) => r.rule === 'planted-pod');

describe('planted-pod after a refused host-access pod', () => {
  it('a naked privileged pod created minutes after the same identity was refused a hostPath /proc pod is an attack', () => {
    const p = agentPod('node-audit');
    const v = verdictFor([creation('dbg-proc', '11:02:14', GSA, hostProcSpec, 403), creation(p.metadata.name, '11:07:50', GSA, agentSpec, 201)], p);
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(planted(v)).toBe(true);
    expect(v.reasons.find((r) => r.rule === 'planted-pod')?.message).toMatch(/refused \(HTTP 403\)/);
  });

  it('trap: a refused ordinary pod, a refusal hours before, or another identity refused leave the pod its privileged story', () => {
    const p = agentPod('node-audit');
    expect(planted(verdictFor([creation('web-x', '11:02:14', GSA, plainSpec, 403), creation(p.metadata.name, '11:07:50', GSA, agentSpec, 201)], p))).toBe(false);
    expect(planted(verdictFor([creation('dbg-proc', '08:02:14', GSA, hostProcSpec, 403), creation(p.metadata.name, '11:07:50', GSA, agentSpec, 201)], p))).toBe(false);
    const v = verdictFor([creation('dbg-proc', '11:02:14', 'someone@example.com', hostProcSpec, 403), creation(p.metadata.name, '11:07:50', GSA, agentSpec, 201)], p);
    expect(planted(v)).toBe(false);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });

  it('trap: a controller-owned pod after a refusal is left to the other rules', () => {
    const p = agentPod('agent-x7k2p', true);
    expect(planted(verdictFor([creation('dbg-proc', '11:02:14', GSA, hostProcSpec, 403), creation(p.metadata.name, '11:07:50', GSA, agentSpec, 201, 'DaemonSet')], p))).toBe(false);
  });
});
