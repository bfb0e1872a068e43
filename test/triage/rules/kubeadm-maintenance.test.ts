import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { buildIndex } from '../../../src/cluster/index.js';
import type { AuditActivity, KubeObject } from '../../../src/cluster/model.js';
import { alert, node, pod, snapshot } from '../../support/cluster.js';

// kubeadm upgrading a control-plane node rewrites its static-pod manifests; an attacker planting a static pod writes
// to the same directory. The audit log (kubeadm's requests from that node) and the recreated mirror pod tell them apart.
const CP = 'plant-cp-1';
const mirror = (component: string, created: string, image: string) => {
  const p = pod(`${component}-${CP}`, { namespace: 'kube-system', node: CP, hostNetwork: true, created, containers: [{ name: component, image }] });
  p.metadata.annotations = { 'kubernetes.io/config.source': 'file', 'kubernetes.io/config.mirror': 'abc' };
  p.metadata.ownerReferences = [{ kind: 'Node', name: CP, controller: true }];
  return p;
};
const apiserver = mirror('kube-apiserver', '2027-03-16T07:03:22Z', 'registry.k8s.io/kube-apiserver:v1.30.7');
const scheduler = mirror('kube-scheduler', '2026-11-03T09:13:02Z', 'registry.k8s.io/kube-scheduler:v1.30.6');
const kubeadmRequest = (ip: string, agent = 'kubeadm/v1.30.7 (linux/amd64) kubernetes/0c76c6b'): AuditActivity => ({
  time: '2027-03-16T07:02:58.000Z',
  user: 'kubernetes-admin',
  groups: ['kubeadm:cluster-admins', 'system:authenticated'],
  verb: 'update',
  resource: 'configmaps',
  namespace: 'kube-system',
  name: 'kubeadm-config',
  sourceIps: [ip],
  userAgent: agent,
  code: 200,
});
const indexWith = (activities: AuditActivity[], objects: KubeObject[] = [node(CP, '172.22.10.11'), node('plant-cp-2', '172.22.10.12'), apiserver, scheduler]) => {
  const s = snapshot(objects);
  s.auditActivities = activities;
  return buildIndex([s]);
};
const write = (file: string, writer = '/usr/bin/kubeadm', host = CP) =>
  alert({ host, time: '2027-03-16T07:03:19.204Z', title: 'Integrity checksum changed.', process: { name: writer.split('/').pop(), path: writer }, ancestors: [{ name: 'sudo', path: '/usr/bin/sudo' }], file });

describe('kubeadm-maintenance', () => {
  it('explains kubeadm rewriting the kube-apiserver manifest during an upgrade of that node', () => {
    const r = triageAlert(write('/etc/kubernetes/manifests/kube-apiserver.yaml'), { index: indexWith([kubeadmRequest('172.22.10.11')]) });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
    expect(r.verdict.reasons[0].message).toContain('kube-system/kube-apiserver-plant-cp-1');
    expect(r.verdict.reasons[0].message).toContain('kubeadm/v1.30.7');
  });
  it('trap: no kubeadm request in the audit log', () => {
    const r = triageAlert(write('/etc/kubernetes/manifests/kube-apiserver.yaml'), { index: indexWith([]) });
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it("trap: kubeadm's requests came from another node", () => {
    const r = triageAlert(write('/etc/kubernetes/manifests/kube-apiserver.yaml'), { index: indexWith([kubeadmRequest('172.22.10.12')]) });
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: a manifest that is not a kubeadm control-plane component', () => {
    const r = triageAlert(write('/etc/kubernetes/manifests/etcd-defrag.yaml'), { index: indexWith([kubeadmRequest('172.22.10.11')]) });
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: another writer during the upgrade', () => {
    const r = triageAlert(write('/etc/kubernetes/manifests/kube-apiserver.yaml', '/usr/bin/cp'), { index: indexWith([kubeadmRequest('172.22.10.11')]) });
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: the mirror pod of that component was not recreated (its manifest did not change the pod)', () => {
    const r = triageAlert(write('/etc/kubernetes/manifests/kube-scheduler.yaml'), { index: indexWith([kubeadmRequest('172.22.10.11')]) });
    expect(r.verdict.label).toBe('genuine');
  });
});
