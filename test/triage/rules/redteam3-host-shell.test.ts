/**
 * Red-team trap: a shell on the host of a node where node-problem-detector runs (it lists sh and bash among its
 * programs) must not be taken for the agent's own process.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const W = 'wk-11';
const npd = pod('node-problem-detector-z8q1w', {
  namespace: 'kube-system',
  node: W,
  hostPID: true,
  owner: { kind: 'DaemonSet', name: 'node-problem-detector' },
  containers: [{ name: 'node-problem-detector', image: 'registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.20', command: ['/node-problem-detector'], securityContext: { privileged: true } }],
  volumes: [{ name: 'sock', hostPath: { path: '/run/containerd/containerd.sock' } }],
});
const index = indexOf([node(W, '10.0.2.11'), owner('DaemonSet', 'node-problem-detector', 'kube-system'), npd]);

describe('redteam3 a host shell next to node-problem-detector', () => {
  it('trap: bash -c whoami; id on the host, from no login, stays genuine', () => {
    const v = triageAlert(
      alert({ host: W, title: 'Suspicious shell on host', process: { name: 'bash', path: '/usr/bin/bash', commandLine: 'bash -c whoami; id; uname -a', loginUid: '4294967295' }, ancestors: [{ name: 'python3', commandLine: 'python3 /var/tmp/.u/s.py' }] }),
      { index },
    ).verdict;
    expect(v.label).toBe('genuine');
  });
  it('trap: systemctl stopping the EDR on the host stays genuine', () => {
    const v = triageAlert(alert({ host: W, title: 'Security service stopped', process: { name: 'systemctl', path: '/usr/bin/systemctl', commandLine: 'systemctl stop falcon-sensor', loginUid: '4294967295' }, ancestors: [{ name: 'sh', commandLine: 'sh' }] }), { index }).verdict;
    expect(v.label).toBe('genuine');
  });
});
