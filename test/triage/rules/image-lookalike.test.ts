/**
 * image-lookalike: a naked pod with host access whose image is named like a controller-owned image of the cluster but
 * comes from another repository is an impostor — and the traps: the cluster's own repository (directly or through a
 * mirror), official single-name images used for debugging, a pod without host access, and a controller-owned pod.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, node, pod, snapshot } from '../../support/cluster.js';

const N = 'kw-05';
const T = (hms: string) => `2027-03-11T${hms}.000Z`;

const nodeAgent = pod('node-agent-tsc6q', {
  namespace: 'velero',
  node: N,
  ip: '10.245.8.31',
  owner: { kind: 'DaemonSet', name: 'node-agent' },
  containers: [{ name: 'node-agent', image: 'velero/velero:v1.15.2', command: ['/velero'], args: ['node-agent', 'server'], securityContext: { privileged: true } }],
});
const debugJob = pod('toolbox-x2k9p', {
  namespace: 'ops',
  node: N,
  ip: '10.245.8.60',
  owner: { kind: 'ReplicaSet', name: 'toolbox-5d8f' },
  containers: [{ name: 'toolbox', image: 'registry.k8s.io/e2e-test-images/busybox:1.36', command: ['sleep', 'infinity'] }],
});

function naked(name: string, image: string, opts: { privileged?: boolean; hostRoot?: boolean; owned?: boolean } = {}) {
  const { privileged = true, hostRoot = true, owned = false } = opts;
  return pod(name, {
    namespace: 'default',
    node: N,
    ip: '10.245.8.52',
    hostPID: privileged,
    owner: owned ? { kind: 'Job', name: 'restore' } : undefined,
    volumes: hostRoot ? [{ name: 'host', hostPath: { path: '/' } }] : [],
    containers: [{ name: 'helper', image, command: ['sleep', 'infinity'], securityContext: { privileged }, volumeMounts: hostRoot ? [{ name: 'host', mountPath: '/host' }] : [] }],
  });
}

function verdictFor(p: ReturnType<typeof naked>) {
  const index = buildIndex([snapshot([node(N, '10.60.0.25'), nodeAgent, debugJob, p])]);
  const a = alert({
    host: N,
    time: T('11:40:13'),
    title: 'Launch Privileged Container',
    process: { name: 'sleep', commandLine: 'sleep infinity' },
    container: { id: containerIdOf(p).slice(0, 12), name: 'helper', namespace: 'default', pod: p.metadata.name },
  });
  return triageAlert(a, { index }).verdict;
}

const fired = (v: ReturnType<typeof verdictFor>) => v.reasons.some((r) => r.rule === 'image-lookalike');

describe('image-lookalike', () => {
  it('a privileged naked pod running velero-io/velero next to the cluster\'s velero/velero is an attack, its privileged start included', () => {
    const v = verdictFor(naked('velero-restore-helper', 'docker.io/velero-io/velero:v1.15.2'));
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(v.reasons.find((r) => r.rule === 'image-lookalike')?.message).toContain('DaemonSet velero/node-agent');
  });

  it('trap: the cluster\'s own repository, directly or through a registry mirror, is the real image', () => {
    expect(fired(verdictFor(naked('velero-restore-helper', 'velero/velero:v1.15.2')))).toBe(false);
    expect(fired(verdictFor(naked('velero-restore-helper', 'harbor.example.ch/dockerhub/velero/velero:v1.15.2')))).toBe(false);
  });

  it('trap: an official single-name image (a kubectl debug node pod) is no look-alike of a vendor path with the same name', () => {
    expect(fired(verdictFor(naked('node-debugger-kw-05-x7k2q', 'busybox:1.36')))).toBe(false);
    expect(fired(verdictFor(naked('node-debugger-kw-05-x7k2q', 'docker.io/library/busybox:1.36')))).toBe(false);
  });

  it('trap: without host access, or owned by a controller, the pod is left to the other rules', () => {
    expect(fired(verdictFor(naked('velero-restore-helper', 'docker.io/velero-io/velero:v1.15.2', { privileged: false, hostRoot: false })))).toBe(false);
    expect(fired(verdictFor(naked('velero-restore-helper', 'docker.io/velero-io/velero:v1.15.2', { owned: true })))).toBe(false);
  });
});
