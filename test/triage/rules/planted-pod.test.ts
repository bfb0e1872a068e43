/**
 * planted-pod: a naked pod with host access that a service account created, when that service account's other pod
 * creations never ask for host access, is not explained by its own privileges — and the traps that must stay
 * explained: the same pod created by a service account whose job is privileged pods, a controller's pod, a person's
 * kubectl debug node pod, and a service account seen creating nothing else.
 */
import { describe, expect, it } from 'vitest';
import type { AuditActivity } from '../../../src/cluster/model.js';
import { summarizePodSpec } from '../../../src/cluster/audit.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { hostAccessOf } from '../../../src/triage/rules/planted-pod.js';
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

function creation(name: string, time: string, user: string, spec: object, owner?: string): AuditActivity {
  const body = { kind: 'Pod', metadata: { name, namespace: NS, ...(owner ? { ownerReferences: [{ kind: owner, name: 'x', controller: true }] } : {}) }, spec };
  return { time: T(time), user, groups: [], verb: 'create', resource: 'pods', namespace: NS, name, sourceIps: ['10.42.97.53'], userAgent: 'kubectl/v1.31.0', code: 201, podSpec: summarizePodSpec(body) };
}

function privilegedPod(name: string, withOwner = false) {
  const p = pod(name, {
    namespace: NS,
    node: N,
    hostNetwork: true,
    hostPID: true,
    created: T('15:58:33'),
    owner: withOwner ? { kind: 'Job', name: 'x' } : undefined,
    volumes: [{ name: 'host', hostPath: { path: '/' } }],
    containers: [{ name: 'reconcile', image: 'alpine:3.20', command: ['sh', '-c', 'sleep 86400'], securityContext: { privileged: true }, volumeMounts: [{ name: 'host', mountPath: '/host' }] }],
  });
  return p;
}

function verdictFor(activities: AuditActivity[], p: ReturnType<typeof privilegedPod>) {
  const snap = snapshot([node(N, '10.42.40.8'), p]);
  snap.auditActivities = activities;
  const index = buildIndex([snap]);
  const a = alert({
    host: N,
    time: T('15:58:40'),
    title: 'Launch Privileged Container',
    process: { name: 'sh', commandLine: 'sh -c sleep 86400' },
    container: { id: containerIdOf(p).slice(0, 12), name: 'reconcile', namespace: NS, pod: p.metadata.name },
  });
  return triageAlert(a, { index }).verdict;
}

describe('planted-pod', () => {
  it('summarizes host access, and host network alone is not host access', () => {
    expect(hostAccessOf(summarizePodSpec({ spec: privilegedSpec })!)).toEqual(['privileged', 'hostPID', 'host /', 'hostNetwork']);
    expect(hostAccessOf(summarizePodSpec({ spec: { hostNetwork: true, containers: [{ name: 'a' }] } })!)).toEqual([]);
    expect(hostAccessOf(summarizePodSpec({ spec: { volumes: [{ name: 'c', hostPath: { path: '/var/log/app' } }], containers: [{ name: 'a' }] } })!)).toEqual([]);
  });

  it('a privileged naked pod from a service account that only ever creates unprivileged pods is an attack, its privileged start included', () => {
    const p = privilegedPod('reconcile-warm-8k2p');
    const v = verdictFor([creation('render-q7x2m', '13:52:18', DISPATCHER, plainSpec), creation('render-k9f4t', '15:15:02', DISPATCHER, plainSpec), creation(p.metadata.name, '15:58:31', DISPATCHER, privilegedSpec)], p);
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(v.reasons.some((r) => r.rule === 'planted-pod')).toBe(true);
  });

  it('trap: the same pod from a service account whose other creations are privileged too (a CI executor) keeps its privileged story', () => {
    const p = privilegedPod('build-dind-x2');
    const v = verdictFor([creation('build-dind-x1', '13:52:18', DISPATCHER, privilegedSpec), creation(p.metadata.name, '15:58:31', DISPATCHER, privilegedSpec)], p);
    expect(v.reasons.some((r) => r.rule === 'planted-pod')).toBe(false);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });

  it('trap: a controller-owned pod, a person-created pod, and a service account with no other creation are left to the other rules', () => {
    const owned = privilegedPod('node-agent-abc', true);
    expect(verdictFor([creation('render-q7x2m', '13:52:18', DISPATCHER, plainSpec), creation(owned.metadata.name, '15:58:31', DISPATCHER, privilegedSpec, 'Job')], owned).reasons.some((r) => r.rule === 'planted-pod')).toBe(false);
    const byPerson = privilegedPod('node-debugger-x');
    expect(verdictFor([creation('render-q7x2m', '13:52:18', 'dana@example.com', plainSpec), creation(byPerson.metadata.name, '15:58:31', 'dana@example.com', privilegedSpec)], byPerson).reasons.some((r) => r.rule === 'planted-pod')).toBe(false);
    const only = privilegedPod('lonely');
    expect(verdictFor([creation(only.metadata.name, '15:58:31', DISPATCHER, privilegedSpec)], only).reasons.some((r) => r.rule === 'planted-pod')).toBe(false);
  });
});

describe('planted-pod: a service account with no other pod creation, judged by the client its other work uses', () => {
  const DEPLOYER = 'system:serviceaccount:ci:deployer';
  const patchBy = (time: string, agent: string): AuditActivity => ({
    time: T(time),
    user: DEPLOYER,
    groups: [],
    verb: 'patch',
    resource: 'deployments',
    namespace: 'web',
    name: 'storefront',
    sourceIps: ['10.70.8.20'],
    userAgent: agent,
    code: 200,
  });
  const createdWith = (name: string, agent: string): AuditActivity => ({ ...creation(name, '15:58:31', DEPLOYER, privilegedSpec), userAgent: agent });

  it('a privileged naked pod created with a client the pipeline token never uses for its deployments is an attack', () => {
    const p = privilegedPod('restore-helper');
    const v = verdictFor([patchBy('13:40:29', 'Helm/3.16.4'), patchBy('14:10:02', 'Helm/3.16.4'), createdWith(p.metadata.name, 'kubectl/v1.30.0 (linux/amd64) kubernetes/7c48c2b')], p);
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(v.reasons.find((r) => r.rule === 'planted-pod')?.message).toContain('never this client');
  });

  it('trap: the same pod created with the client the service account always works with keeps its privileged story', () => {
    const p = privilegedPod('restore-helper');
    const v = verdictFor([patchBy('13:40:29', 'Helm/3.16.4'), createdWith(p.metadata.name, 'Helm/3.16.4')], p);
    expect(v.reasons.some((r) => r.rule === 'planted-pod')).toBe(false);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });

  it('trap: other requests that name no client give no baseline', () => {
    const p = privilegedPod('restore-helper');
    const silent = { ...patchBy('13:40:29', 'x'), userAgent: undefined };
    expect(verdictFor([silent, createdWith(p.metadata.name, 'kubectl/v1.30.0')], p).reasons.some((r) => r.rule === 'planted-pod')).toBe(false);
  });
});
