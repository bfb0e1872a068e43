/**
 * Red-team trap for node-os: Talos' PID 1 (/sbin/init, machined) is explained when a static pod's mirror was re-created
 * within minutes. A process at that path with a parent — started from a login shell in its own mount namespace while
 * an administrator's change re-renders a static pod — is no PID 1 and must stay genuine.
 */
import { describe, expect, it } from 'vitest';
import type { Node } from '../../../src/cluster/model.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, pod } from '../../support/cluster.js';

const CP = 'mfg-cp-02';
const cp: Node = node(CP, '172.22.10.12');
cp.status = { ...cp.status, nodeInfo: { osImage: 'Talos (v1.8.2)', kernelVersion: '6.6.60-talos' } } as Node['status'];
const apiserver = pod('kube-apiserver-mfg-cp-02', { namespace: 'kube-system', node: CP, owner: { kind: 'Node', name: CP }, hostNetwork: true, created: '2027-03-09T08:47:05Z', containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.31.2' }] });
const index = indexOf([cp, apiserver]);
const INIT = { name: 'init', path: '/sbin/init', commandLine: '/sbin/init' };
const run = (ancestors: { name: string; commandLine?: string }[]) =>
  triageAlert(alert({ host: CP, time: '2027-03-09T08:47:05.118Z', title: 'Unexpected outbound connection', process: INIT, ancestors, network: { dstIp: '203.0.113.7', dstPort: 443 } }), { index }).verdict;

describe('redteam node-os: a process at PID 1\'s path that has a parent', () => {
  it('still explains PID 1 itself (no parent) during the re-render', () => {
    expect(run([]).label).toBe('likely-false-positive');
  });
  it('trap: /sbin/init below an SSH login shell', () => {
    expect(run([{ name: 'unshare', commandLine: 'unshare -m --propagation private /bin/sh -c …' }, { name: 'bash', commandLine: '-bash' }]).label).toBe('genuine');
  });
});
