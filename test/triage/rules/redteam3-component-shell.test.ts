/**
 * Red-team traps for node-problem-detector's programs list (sh, bash, crictl, systemctl, journalctl: its
 * health-checker runs them) seen from the live pod: a shell in the privileged node-problem-detector pod was "its own
 * program" to the rules that ask whether the process is the component's.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const W = 'wk-9';
const npd = pod('node-problem-detector-m2k9p', {
  namespace: 'kube-system',
  node: W,
  hostPID: true,
  owner: { kind: 'DaemonSet', name: 'node-problem-detector' },
  containers: [{ name: 'node-problem-detector', image: 'registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.20', command: ['/node-problem-detector'], securityContext: { privileged: true } }],
  volumes: [{ name: 'log', hostPath: { path: '/var/log' } }],
});
const index = indexOf([node(W, '10.0.2.9'), owner('DaemonSet', 'node-problem-detector', 'kube-system'), npd]);
const at = { id: containerIdOf(npd), name: 'node-problem-detector', pod: npd.metadata.name, namespace: 'kube-system' };
const run = (title: string, process: ProcessInfo, ancestors: ProcessInfo[]) => triageAlert(alert({ host: W, title, container: at, process, ancestors }), { index }).verdict;

describe('redteam3 a shell in the live node-problem-detector pod', () => {
  it('trap: an interactive bash (runc exec) in the privileged pod stays genuine', () => {
    expect(run('Shell spawned in a privileged container', { name: 'bash', path: '/bin/bash', commandLine: 'bash -i' }, [{ name: 'runc', commandLine: 'runc init' }]).label).toBe('genuine');
  });
  it('trap: sh -c listing the host root from the privileged pod stays genuine', () => {
    expect(run('Privileged container process reads host files', { name: 'sh', path: '/bin/sh', commandLine: 'sh -c ls -la /proc/1/root/root' }, [{ name: 'sh', commandLine: 'sh -i' }]).label).toBe('genuine');
  });
  it('still explained: its own daemon reading process information through hostPID', () => {
    const v = triageAlert(
      alert({ host: W, title: 'Privileged container process reads host files', container: at, file: '/proc/1/stat', process: { name: 'node-problem-detector', path: '/node-problem-detector', commandLine: '/node-problem-detector' }, ancestors: [{ name: 'containerd-shim-runc-v2' }] }),
      { index },
    ).verdict;
    expect(v.label).toBe('likely-false-positive');
  });
});
