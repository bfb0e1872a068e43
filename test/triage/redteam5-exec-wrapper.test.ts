/**
 * Red-team 5 traps for entrypoint wrappers (EXEC_WRAPPERS, correlate.ts): with `command: [docker-entrypoint.sh]` the
 * workload's process is its args alone (`node index.js`), a short and common command line. A node sensor's record of
 * that command line run by something that is not the container's runtime or its wrapper (cron on the node, a process
 * under /tmp) is not the container's process, and must not be placed there to borrow its story (ping-pong).
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/cluster/index.js';
import { triageAlert } from '../../src/triage/pipeline.js';
import type { ProcessInfo } from '../../src/alerts/model.js';
import { alert, node, pod, snapshot } from '../support/cluster.js';

const N = 'kw-01';
const looping = pod('image-resizer-7qnv7kchpn-gmf4z', {
  namespace: 'web',
  node: N,
  ip: '10.245.4.25',
  owner: { kind: 'ReplicaSet', name: 'image-resizer-7qnv7kchpn' },
  containers: [{ name: 'app', image: 'ghcr.io/acme/app:2.4.1', command: ['docker-entrypoint.sh'], args: ['node', 'index.js'] }],
  statuses: [
    {
      restartCount: 12,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 137, reason: 'Error', startedAt: '2027-03-11T10:31:00Z', finishedAt: '2027-03-11T10:31:19Z' } },
    },
  ],
});
const index = buildIndex([snapshot([node(N, '10.60.0.21'), looping])]);
const kill = (process: ProcessInfo, ancestors: ProcessInfo[]) =>
  triageAlert(alert({ host: N, time: '2027-03-11T10:31:18.552Z', action: 'killed', title: 'SensorBasedMLHigh', process, ancestors }), { index }).verdict;
const shim: ProcessInfo = { name: 'containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 0123abcd -address /run/containerd/containerd.sock' };

describe('redteam5 the args of an entrypoint wrapper as the workload process', () => {
  it('still explained: the runtime-started node index.js killed in the restart loop', () => {
    expect(kill({ name: 'node', path: '/usr/local/bin/node', commandLine: 'node index.js' }, [shim])).toMatchObject({ label: 'likely-false-positive', cause: 'ping-pong' });
    expect(kill({ name: 'node', path: '/usr/local/bin/node', commandLine: 'node index.js' }, [{ name: 'docker-entrypoint.sh', commandLine: '/bin/sh /usr/local/bin/docker-entrypoint.sh node index.js' }, shim])).toMatchObject({ label: 'likely-false-positive', cause: 'ping-pong' });
  });
  it("trap: node index.js run by the node's cron is not the container's process", () => {
    expect(kill({ name: 'node', path: '/usr/local/bin/node', commandLine: 'node index.js' }, [{ name: 'cron', path: '/usr/sbin/cron', commandLine: '/usr/sbin/cron -f' }, { name: 'systemd', commandLine: '/sbin/init' }]).label).toBe('genuine');
  });
  it('trap: node index.js started from /tmp by a shell of unknown origin is not the container process', () => {
    expect(kill({ name: 'node', path: '/tmp/.cache/node', commandLine: 'node index.js' }, [{ name: 'bash', path: '/usr/bin/bash', commandLine: 'bash' }]).label).toBe('genuine');
  });
});
