/**
 * discovery-chain: a shell whose whole -c script is host discovery is a webshell's first look around (java → sh -c
 * "id;uname -a;cat /proc/self/cgroup"). Traps: an entrypoint that prints `id` before starting its server, a single
 * discovery command, a longer script that merely includes one.
 */
import { describe, expect, it } from 'vitest';
import { ATTACK_INDICATORS } from '../../../src/knowledge/indicators.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const discovery = ATTACK_INDICATORS.find((i) => i.id === 'discovery-chain')!;
const N = 'worker-1';
const api = pod('payments-api-5fk5kbhbg9-747kd', {
  namespace: 'payments',
  node: N,
  ip: '10.244.3.12',
  owner: { kind: 'ReplicaSet', name: 'payments-api-5fk5kbhbg9' },
  containers: [{ name: 'payments-api', image: 'registry.example.com/payments/payments-api:5.4.2', command: ['sh', '-c', 'id; exec java -jar /app/payments-api.jar'] }],
});
const index = indexOf([node(N, '10.0.10.21'), owner('ReplicaSet', 'payments-api-5fk5kbhbg9', 'payments', { kind: 'Deployment', name: 'payments-api' }), owner('Deployment', 'payments-api', 'payments'), api]);

describe('discovery-chain indicator', () => {
  it('matches a -c script made only of discovery commands', () => {
    for (const cmd of ['/bin/sh -c id;uname -a;cat /proc/self/cgroup', "bash -c 'whoami && hostname && cat /etc/passwd'", 'sh -c "id; ifconfig"']) expect(discovery.pattern.test(cmd), cmd).toBe(true);
  });

  it('trap: one command, a script that does other work, or discovery words inside other commands do not match', () => {
    for (const cmd of ['sh -c id', 'sh -c id; exec java -jar /app/payments-api.jar', "sh -c 'hostname; exec nginx -g daemon off;'", 'sh -c idle-check;whoamix', 'uname -a; id']) expect(discovery.pattern.test(cmd), cmd).toBe(false);
  });

  it('makes the JVM spawning such a shell an attack', () => {
    const v = triageAlert(
      alert({
        host: N,
        title: 'Run shell untrusted',
        container: { id: containerIdOf(api) },
        process: { name: 'sh', path: '/usr/bin/bash', commandLine: '/bin/sh -c id;uname -a;cat /proc/self/cgroup' },
        ancestors: [{ name: 'java', commandLine: 'java -jar /app/payments-api.jar' }],
      }),
      { index },
    ).verdict;
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});
