/**
 * A privileged pod's host mount explains how a host file is reachable, not who reached it. A command typed at an
 * interactive shell in the pod (a terminal, or a bare `bash` parent) while nobody had a kubectl exec or debug session
 * open there is someone the cluster cannot name: the mount is no story for it. The pod's own program reading through
 * the mount, and a person's read during their exec session, stay explained.
 */
import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import type { ExecSession } from '../../../src/cluster/model.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'ip-10-0-7-21.eu-west-1.compute.internal';
const T0 = '2026-12-04T10:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();
const auditor = pod('host-auditor-5f7c9-x2k4m', {
  namespace: 'security',
  node: N,
  ip: '10.0.7.60',
  owner: { kind: 'ReplicaSet', name: 'host-auditor-5f7c9' },
  containers: [
    {
      name: 'auditor',
      image: 'registry.example.com/sec/host-auditor:2.4',
      command: ['/usr/local/bin/host-auditor', '--root=/host'],
      securityContext: { privileged: true, runAsUser: 0 },
      volumeMounts: [{ name: 'host-root', mountPath: '/host' }],
    },
  ],
  volumes: [{ name: 'host-root', hostPath: { path: '/' } }],
});
const session: ExecSession = {
  kind: 'exec',
  user: 'maria.lopez@example.com',
  groups: ['oidc:sec-eng', 'system:authenticated'],
  sourceIps: ['192.0.2.44'],
  userAgent: 'kubectl/v1.31.0 (linux/amd64) kubernetes/abc',
  namespace: 'security',
  pod: auditor.metadata.name,
  container: 'auditor',
  command: ['bash'],
  tty: true,
  start: at(0),
  end: at(900),
  code: 101,
};
const objects = [node(N, '10.0.7.21'), owner('ReplicaSet', 'host-auditor-5f7c9', 'security'), auditor];
const withoutSession = indexOf(objects);
const withSession = indexOf(objects, [session]);

const CAT: ProcessInfo = { name: 'cat', path: '/usr/bin/cat', commandLine: 'cat /host/var/log/auth.log', tty: true };
const BASH: ProcessInfo = { name: 'bash', commandLine: 'bash' };
const OWN: ProcessInfo = { name: 'host-auditor', path: '/usr/local/bin/host-auditor', commandLine: '/usr/local/bin/host-auditor --root=/host' };
const read = (index: ReturnType<typeof indexOf>, process: ProcessInfo, ancestors: ProcessInfo[], seconds: number) =>
  triageAlert(
    alert({ time: at(seconds), title: 'Sensitive host file read from a container', container: { id: containerIdOf(auditor) }, process, ancestors, file: '/host/var/log/auth.log' }),
    { index },
  ).verdict;

describe('a host file read through a privileged pod’s mount', () => {
  it("the pod's own program reading through its host mount stays explained", () => {
    expect(read(withoutSession, OWN, [{ name: 'containerd-shim-runc-v2' }], 300)).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });
  it('a person reading it during their exec session stays explained', () => {
    expect(read(withSession, CAT, [BASH], 300).label).toBe('likely-false-positive');
  });
  it('trap: the same cat at an interactive shell with no session open is kept', () => {
    const verdict = read(withoutSession, CAT, [BASH], 300);
    expect(verdict.label).toBe('genuine');
    expect(verdict.reasons.some((r) => r.rule === 'privileged-root' && r.direction === 'benign')).toBe(false);
  });
  it('trap: after the session ended, the same cat is kept', () => {
    expect(read(withSession, CAT, [BASH], 2400).label).toBe('genuine');
  });
});
