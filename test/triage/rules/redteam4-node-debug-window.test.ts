/**
 * Red-team trap that held: while a person's `kubectl debug node` session is open on a node, a host process under
 * `chroot /host` is the debugger's (admin-activity, and the chroot-host indicator is excused). An intruder in a
 * privileged application pod on the same node escaping with the same `chroot /host` during that window is not: the
 * node sensor's chain runs through the application (java), which places the process in that pod, not the debug pod.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { ExecSession } from '../../../src/cluster/model.js';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'node-b';
const app = pod('legacy-1', {
  namespace: 'legacy',
  node: N,
  ip: '10.0.2.9',
  owner: { kind: 'ReplicaSet', name: 'legacy-5f' },
  containers: [{ name: 'app', image: 'legacy/app:1', command: ['java', '-jar', '/app/app.jar'], securityContext: { privileged: true }, volumeMounts: [{ name: 'root', mountPath: '/host' }] }],
  volumes: [{ name: 'root', hostPath: { path: '/' } }],
});
const T0 = '2026-11-20T09:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();
const debug: ExecSession = { kind: 'node-debug', user: 'dana@example.com', groups: ['oidc:sre'], sourceIps: ['192.0.2.88'], namespace: 'default', pod: 'node-debugger-node-b-x7k2p', container: 'debugger', node: N, command: [], tty: true, start: at(0), end: at(900), code: 201 };
const index = indexOf([node(N, '10.0.2.20'), owner('ReplicaSet', 'legacy-5f', 'legacy'), app], [debug]);
const onHost = (ancestors: ProcessInfo[]) => triageAlert(alert({ host: N, time: at(120), title: 'Container escape', process: { name: 'crontab', commandLine: 'crontab -l' }, ancestors }), { index }).verdict;

describe('redteam4 node debug window: an escape from another pod during a person’s node debug session', () => {
  it('trap (held): chroot /host under a shell under the java application stays genuine', () => {
    expect(onHost([{ name: 'chroot', commandLine: 'chroot /host bash -c id' }, { name: 'sh', commandLine: 'sh -c "chroot /host bash -c id"' }, { name: 'java', commandLine: 'java -jar /app/app.jar' }, { name: 'containerd-shim-runc-v2' }])).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it("still explained: the debugger's own chroot /host under its shell", () => {
    expect(onHost([{ name: 'chroot', commandLine: 'chroot /host' }, { name: 'sh', commandLine: 'sh' }, { name: 'containerd-shim-runc-v2' }])).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
  });
});
