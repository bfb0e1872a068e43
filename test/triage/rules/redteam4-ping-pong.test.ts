/**
 * Red-team traps for ping-pong ("the EDR kills the workload, Kubernetes restarts it"). The story holds for a kill that
 * takes the container down; it was told for any kill of the entrypoint or of a child of it in a pod with restarts and a
 * last exit 137:
 * - an injected payload given its server on its command line (`/var/lib/app/p -c 198.51.100.7:443`, started by the
 *   java entrypoint with no shell), killed by the EDR in a pod that had crash-looped: the loop "explained" it — only a
 *   connection the alert itself reports was checked (redteam3);
 * - a kill long after the running container started, the container still running when the snapshot was taken (it did
 *   not die of that kill: some other process was killed), or after its last death with nothing running since.
 * Fixes: a command line naming a destination out of the cluster that nothing accounts for is not the loop's; a kill the
 * container demonstrably survived is not part of a loop (needs the snapshot to be newer than the alert: its capture
 * time, or else the newest time its objects carry).
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { correlate } from '../../../src/triage/correlate.js';
import { pingPong } from '../../../src/triage/rules/ping-pong.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { alert, containerIdOf, node, owner, pod, snapshot } from '../../support/cluster.js';

const N = 'node-a';
const api = pod('api-5f-aaaaa', {
  namespace: 'shop',
  node: N,
  ip: '10.1.0.7',
  owner: { kind: 'ReplicaSet', name: 'api-5f' },
  created: '2026-11-20T08:00:00Z',
  containers: [{ name: 'api', image: 'shop/api:1.2', command: ['java', '-jar', '/app/api.jar'] }],
  statuses: [
    {
      restartCount: 6,
      state: { running: { startedAt: '2026-11-20T09:05:00Z' } },
      lastState: { terminated: { exitCode: 137, reason: 'Error', startedAt: '2026-11-20T09:02:00Z', finishedAt: '2026-11-20T09:04:30Z' } },
    },
  ],
});
const captured = snapshot([node(N, '10.0.1.10'), owner('ReplicaSet', 'api-5f', 'shop'), api]);
captured.capturedAt = '2026-11-20T10:00:00Z';
const index = buildIndex([captured]);
const java = { name: 'java', commandLine: 'java -jar /app/api.jar' };
const shim = { name: 'containerd-shim-runc-v2' };
const killed = (time: string, process: { name: string; path?: string; commandLine: string }, ancestors = [java, shim]) =>
  alert({ host: N, time, action: 'killed', title: 'Malicious process killed', container: { id: containerIdOf(api), name: 'api', pod: api.metadata.name, namespace: 'shop' }, process, ancestors });
const pingPongOf = (a: ReturnType<typeof killed>) => pingPong.evaluate({ alert: a, correlation: correlate(a, index), index });

describe('redteam4 ping-pong: kills the loop does not explain', () => {
  it('trap: a killed payload given its server on its command line, under the java entrypoint, stays genuine', () => {
    const a = killed('2026-11-20T09:04:29.000Z', { name: 'p', path: '/var/lib/app/p', commandLine: '/var/lib/app/p -c 198.51.100.7:443' });
    expect(pingPongOf(a)).toEqual([]);
    expect(triageAlert(a, { index }).verdict.label).toBe('genuine');
  });
  it('trap: a kill 25 minutes into the running container, which still ran at capture, is not part of the loop', () => {
    const a = killed('2026-11-20T09:30:00.000Z', { name: 'java', path: '/usr/bin/java', commandLine: 'java -jar /app/api.jar' }, [shim]);
    expect(pingPongOf(a).filter((e) => e.direction === 'benign')).toEqual([]);
  });
  it('still the loop: the entrypoint killed as the last instance died, or before it', () => {
    const a = killed('2026-11-20T09:04:29.000Z', { name: 'java', path: '/usr/bin/java', commandLine: 'java -jar /app/api.jar' }, [shim]);
    expect(pingPongOf(a)).toEqual([expect.objectContaining({ direction: 'benign', cause: 'ping-pong' })]);
    expect(triageAlert(a, { index }).verdict.label).toBe('likely-false-positive');
    // an earlier kill of the loop (before the last instance started) is part of it too
    expect(pingPongOf(killed('2026-11-20T08:40:00.000Z', { name: 'java', commandLine: 'java -jar /app/api.jar' }, [shim]))).toEqual([expect.objectContaining({ direction: 'benign' })]);
    // a snapshot taken before the alert cannot say the container survived it
    const older = snapshot([node(N, '10.0.1.10'), owner('ReplicaSet', 'api-5f', 'shop'), api]);
    older.capturedAt = '2026-11-20T09:10:00Z';
    const late = killed('2026-11-20T09:30:00.000Z', { name: 'java', commandLine: 'java -jar /app/api.jar' }, [shim]);
    const olderIndex = buildIndex([older]);
    expect(pingPong.evaluate({ alert: late, correlation: correlate(late, olderIndex), index: olderIndex })).toEqual([expect.objectContaining({ direction: 'benign' })]);
  });
});
