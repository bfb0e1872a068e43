/**
 * Red-team traps for runtime-query (a node agent's read-only crictl health check through its mounted runtime socket,
 * from no login session): the check was "from no login session" and "read-only", but whose process it was went
 * unchecked. A crictl run by an implant started as a service (no login uid) under an interactive bash is not the
 * agent's check, whatever the subcommand; the chain the sensor reports must reach the agent, not another program.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const W = 'plant-wk-2';
const npd = pod('node-problem-detector-5vxgm', {
  namespace: 'kube-system',
  node: W,
  hostPID: true,
  owner: { kind: 'DaemonSet', name: 'node-problem-detector' },
  containers: [{ name: 'node-problem-detector', image: 'registry.example/platform/node-problem-detector:v0.8.20-crictl', command: ['/node-problem-detector'], securityContext: { privileged: true } }],
  volumes: [{ name: 'sock', hostPath: { path: '/run/containerd/containerd.sock' } }],
});
const index = indexOf([node(W, '172.22.10.22'), owner('DaemonSet', 'node-problem-detector', 'kube-system'), npd]);
const crictl = (commandLine: string, ancestors: ProcessInfo[]) =>
  triageAlert(
    alert({ host: W, time: '2027-03-16T09:30:00Z', title: 'Container runtime CLI run on a Kubernetes node: /usr/bin/crictl', process: { name: 'crictl', path: '/usr/bin/crictl', commandLine, loginUid: '4294967295', tty: false }, ancestors }),
    { index },
  ).verdict;
const implant: ProcessInfo[] = [
  { name: 'bash', commandLine: 'bash -i' },
  { name: 'python3', commandLine: 'python3 /var/lib/.cache/agent.py' },
  { name: 'systemd', commandLine: '/sbin/init' },
];

describe('redteam2 runtime-query: crictl from something that is not the agent', () => {
  it('trap: crictl inspect (dumps container env) from an implant’s bash stays genuine', () => {
    expect(crictl('crictl --runtime-endpoint=unix:///run/containerd/containerd.sock inspect 4f9c2a', implant).label).toBe('genuine');
  });
  it('trap: crictl pods from an implant’s bash stays genuine', () => {
    expect(crictl('crictl --runtime-endpoint=unix:///run/containerd/containerd.sock pods --latest', implant).label).toBe('genuine');
  });
  it('still explained: the agent’s check, the sensor naming only the parent’s pid', () => {
    expect(crictl('crictl --timeout=2s --runtime-endpoint=unix:///run/containerd/containerd.sock pods --latest', [{ pid: '4121' }]).label).toBe('likely-false-positive');
  });
});
