/**
 * Red-team traps for runtime-query's "read-only health check": `crictl inspect` and `crictl inspectp` print a
 * container's or sandbox's full config, environment included (database passwords, API keys passed as env), so they
 * read secrets, however read-only they are for the runtime. A node agent's health check lists pods and containers; it
 * does not dump their config. The sensor naming only the parent's pid (as auditd does) must not make them the agent's.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const W = 'plant-wk-3';
const npd = pod('node-problem-detector-8kq2z', {
  namespace: 'kube-system',
  node: W,
  hostPID: true,
  owner: { kind: 'DaemonSet', name: 'node-problem-detector' },
  containers: [{ name: 'node-problem-detector', image: 'registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.20', command: ['/node-problem-detector'], securityContext: { privileged: true } }],
  volumes: [{ name: 'sock', hostPath: { path: '/run/containerd/containerd.sock' } }],
});
const index = indexOf([node(W, '172.22.10.23'), owner('DaemonSet', 'node-problem-detector', 'kube-system'), npd]);
const crictl = (commandLine: string) =>
  triageAlert(
    alert({ host: W, time: '2027-03-16T09:30:00Z', title: 'Container runtime CLI run on a Kubernetes node: /usr/bin/crictl', process: { name: 'crictl', path: '/usr/bin/crictl', commandLine, loginUid: '4294967295', tty: false }, ancestors: [{ pid: '4121' }] }),
    { index },
  ).verdict;

describe('redteam3 runtime-query: crictl subcommands that print container environments', () => {
  it('trap: crictl inspect <id> (config and env of a container) stays genuine', () => {
    expect(crictl('crictl --runtime-endpoint=unix:///run/containerd/containerd.sock inspect 4f9c2a').label).toBe('genuine');
  });
  it('trap: crictl inspectp <id> -o json (the sandbox config) stays genuine', () => {
    expect(crictl('crictl -r unix:///run/containerd/containerd.sock inspectp -o json 7d1e0b').label).toBe('genuine');
  });
  it('trap: crictl info (the runtime config, registry credentials included) stays genuine', () => {
    expect(crictl('crictl -r unix:///run/containerd/containerd.sock info').label).toBe('genuine');
  });
  it('trap: crictl exec (not read-only at all) stays genuine', () => {
    expect(crictl('crictl -r unix:///run/containerd/containerd.sock exec 4f9c2a cat /proc/1/environ').label).toBe('genuine');
  });
  it('still explained: the agent listing pods', () => {
    expect(crictl('crictl --timeout=2s --runtime-endpoint=unix:///run/containerd/containerd.sock pods --latest').label).toBe('likely-false-positive');
  });
});
