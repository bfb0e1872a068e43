/**
 * Red-team traps for workload-baseline's entrypoint matching when the spec gives only `args` (the image's entrypoint
 * is unknown, so one or two leading words are accepted): a dropped program given the container's own arguments, started
 * from a shell an injected command opened, was "the container's own entrypoint" (strong). And a program started by
 * such a shell under the application was its "grandchild doing ordinary work". The entrypoint's parent, when reported,
 * must be the runtime or an init wrapper (or the entrypoint itself); a shell script between an application entrypoint
 * and the process is not ordinary work.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'ip-10-0-1-10.ec2.internal';
const web = pod('web-7d9c-abcde', {
  namespace: 'shop',
  node: N,
  ip: '10.1.0.6',
  owner: { kind: 'ReplicaSet', name: 'web-7d9c' },
  containers: [{ name: 'web', image: 'shop/web:1.2', args: ['--port=8080', '--config=/etc/web/config.yaml'] }],
});
const index = indexOf([node(N, '10.0.1.10'), owner('ReplicaSet', 'web-7d9c', 'shop', { kind: 'Deployment', name: 'web' }), owner('Deployment', 'web', 'shop'), web]);
const dropped = { name: 'kworker', path: '/usr/local/bin/kworker', commandLine: '/usr/local/bin/kworker --port=8080 --config=/etc/web/config.yaml' };
const entry = { name: 'web', path: '/usr/bin/web', commandLine: '/usr/bin/web --port=8080 --config=/etc/web/config.yaml' };

function verdict(ancestors: { name: string; path?: string; commandLine?: string }[]) {
  return triageAlert(
    alert({ host: N, container: { id: containerIdOf(web) }, title: 'New executable in container (drift)', process: dropped, ancestors, network: { dstIp: '198.51.100.7', dstPort: 443 } }),
    { index },
  ).verdict;
}

describe('redteam2 workload-baseline: a program repeating an args-only container’s arguments', () => {
  it('trap: started by sh -c under the application (injected command) stays genuine', () => {
    expect(verdict([{ name: 'sh', path: '/bin/sh', commandLine: `sh -c ${dropped.commandLine} &` }, entry]).label).toBe('genuine');
  });
  it('trap: started by an interactive shell stays genuine', () => {
    expect(verdict([{ name: 'bash', path: '/bin/bash', commandLine: 'bash' }]).label).toBe('genuine');
  });
  it('still the entrypoint: the same command started by the runtime', () => {
    const v = triageAlert(
      alert({ host: N, container: { id: containerIdOf(web) }, title: 'Process listening on port', process: entry, ancestors: [{ name: 'containerd-shim-runc-v2' }] }),
      { index },
    ).verdict;
    expect(v.label).toBe('likely-false-positive');
  });
  it("still the entrypoint: the same command under the pod's pause process (a shared process namespace)", () => {
    const v = triageAlert(
      alert({ host: N, container: { id: containerIdOf(web) }, title: 'Process listening on port', process: entry, ancestors: [{ name: 'pause', path: '/pause', commandLine: '/pause' }] }),
      { index },
    ).verdict;
    expect(v.label).toBe('likely-false-positive');
  });
});
