/**
 * Entrypoint wrappers: with `command: [docker-entrypoint.sh]` (or `tini --`) and `args: [node, index.js]` the workload's
 * process is `node index.js`, and a node sensor's kill of it (no container id) is placed on that container — the
 * ping-pong story. Traps: another command, a wrapper-like command that is no known wrapper, and a wrapper whose own
 * arguments are not flags.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/cluster/index.js';
import { entrypointMatches } from '../../src/triage/correlate.js';
import { triageAlert } from '../../src/triage/pipeline.js';
import { alert, node, pod, snapshot } from '../support/cluster.js';

const spec = (command: string[], args: string[]) => ({ name: 'app', image: 'ghcr.io/acme/app:2.4.1', command, args });

describe('entrypointMatches: entrypoint wrappers that run their args', () => {
  it('matches the args of docker-entrypoint.sh, tini -- and dumb-init, as well as the full command line', () => {
    expect(entrypointMatches('node index.js', spec(['docker-entrypoint.sh'], ['node', 'index.js']))).toBe(true);
    expect(entrypointMatches('docker-entrypoint.sh node index.js', spec(['docker-entrypoint.sh'], ['node', 'index.js']))).toBe(true);
    expect(entrypointMatches('python app.py --port 8080', spec(['/usr/bin/tini', '--'], ['python', 'app.py', '--port', '8080']))).toBe(true);
    expect(entrypointMatches('python app.py', spec(['dumb-init'], ['python', 'app.py']))).toBe(true);
  });
  it('trap: another command, a script that is no known wrapper, and a wrapper given its own non-flag arguments', () => {
    expect(entrypointMatches('node other.js', spec(['docker-entrypoint.sh'], ['node', 'index.js']))).toBe(false);
    expect(entrypointMatches('node index.js', spec(['/app/start.sh'], ['node', 'index.js']))).toBe(false);
    expect(entrypointMatches('node index.js', spec(['tini', '-e', '143'], ['node', 'index.js']))).toBe(false);
  });
});

describe('ping-pong through an entrypoint wrapper', () => {
  const N = 'kw-01';
  const looping = pod('image-resizer-7qnv7kchpn-gmf4z', {
    namespace: 'web',
    node: N,
    ip: '10.245.4.25',
    owner: { kind: 'ReplicaSet', name: 'image-resizer-7qnv7kchpn' },
    containers: [spec(['docker-entrypoint.sh'], ['node', 'index.js'])],
    statuses: [
      {
        restartCount: 12,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 137, reason: 'Error', startedAt: '2027-03-11T10:31:00Z', finishedAt: '2027-03-11T10:31:19Z' } },
      },
    ],
  });
  const index = buildIndex([snapshot([node(N, '10.60.0.21'), looping])]);
  const kill = (commandLine: string) =>
    triageAlert(
      alert({
        host: N,
        time: '2027-03-11T10:31:18.552Z',
        action: 'killed',
        title: 'SensorBasedMLHigh',
        process: { name: 'node', path: '/usr/local/bin/node', commandLine },
        ancestors: [{ name: 'containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 0123abcd -address /run/containerd/containerd.sock' }],
      }),
      { index },
    ).verdict;

  it('explains the EDR killing the wrapped workload in a restart loop', () => {
    expect(kill('node index.js')).toMatchObject({ label: 'likely-false-positive', cause: 'ping-pong' });
  });
  it('trap: another node program killed on the same node is not the workload', () => {
    expect(kill('node /tmp/.x/m.js').label).toBe('genuine');
  });
});
