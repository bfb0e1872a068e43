/**
 * node-networking for a host sensor that names only the parent's pid (auditd through Wazuh): a mesh's init container
 * running on the node at that moment as that user, and the ipset set a component owns. The traps: the same tools from
 * a person's login, at another time, or as another user.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { ContainerSpec, Pod } from '../../../src/cluster/model.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const N1 = 'ip-10-42-7-73.eu-central-1.compute.internal';
const CREATED = '2027-03-16T10:21:30Z';
const proxyInit: ContainerSpec = {
  name: 'linkerd-init',
  image: 'cr.l5d.io/linkerd/proxy-init:v2.4.2',
  args: ['--firewall-bin-path', 'iptables-legacy', '--firewall-save-bin-path', 'iptables-legacy-save', '--proxy-uid', '2102'],
  securityContext: { runAsUser: 65534, capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
};

function meshed(name: string, created: string, init: ContainerSpec = proxyInit): Pod {
  const p = pod(name, {
    namespace: 'payments',
    node: N1,
    ip: '10.42.11.152',
    created,
    owner: { kind: 'ReplicaSet', name: 'ledger-api-hnd49bcpw' },
    containers: [
      { name: 'linkerd-proxy', image: 'cr.l5d.io/linkerd/proxy:edge-25.2.3', securityContext: { runAsUser: 2102 } },
      { name: 'ledger-api', image: '382915604117.dkr.ecr.eu-central-1.amazonaws.com/payments/ledger-api:2.11.0', command: ['/ledger-api'] },
    ],
  });
  p.spec.initContainers = [init];
  p.status!.initContainerStatuses = [{ name: init.name, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: created, finishedAt: created } } }];
  return p;
}

const kubeProxy = pod('kube-proxy-686n4', {
  namespace: 'kube-system',
  node: N1,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'kube-proxy' },
  containers: [{ name: 'kube-proxy', image: '602401143452.dkr.ecr.eu-central-1.amazonaws.com/eks/kube-proxy:v1.31.3-minimal-eksbuild.2', command: ['kube-proxy', '--v=2'] }],
});
const ledger = meshed('ledger-api-hnd49bcpw-tb7zl', CREATED);
const index = indexOf([node(N1, '10.42.7.73'), owner('DaemonSet', 'kube-proxy', 'kube-system'), owner('ReplicaSet', 'ledger-api-hnd49bcpw', 'payments'), kubeProxy, ledger]);

const save = (o: { time: string; uid?: string; loginUid?: string; tty?: boolean }) =>
  alert({
    host: N1,
    time: o.time,
    title: 'Netfilter rules changed or listed on the host (iptables)',
    process: { name: 'iptables-legacy', path: '/usr/sbin/xtables-legacy-multi', commandLine: 'iptables-legacy-save -t nat', uid: o.uid ?? '65534', loginUid: o.loginUid ?? '4294967295', tty: o.tty ?? false },
    ancestors: [{ pid: '21860' }],
  });

describe('node-networking: a mesh init container seen by auditd', () => {
  it('explains iptables-legacy-save while the pod’s linkerd-init ran on the node, as its UID', () => {
    const r = triageAlert(save({ time: '2027-03-16T10:21:33.902Z' }), { index });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
    expect(r.verdict.reasons.map((x) => x.message).join(' ')).toContain('linkerd-init');
  });
  it('trap: the same command ten minutes later (no init container ran then)', () => {
    const r = triageAlert(save({ time: '2027-03-16T10:31:33.902Z' }), { index });
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: the same command as root (proxy-init runs as 65534)', () => {
    const r = triageAlert(save({ time: '2027-03-16T10:21:33.902Z', uid: '0' }), { index });
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: the same command from a login session on the host', () => {
    const r = triageAlert(save({ time: '2027-03-16T10:21:33.902Z', loginUid: '1001', tty: true }), { index });
    expect(r.verdict.label).toBe('genuine');
  });
});

describe('node-networking: ipset sets named like a component’s chains', () => {
  const ipset = (commandLine: string, extra: { loginUid?: string; tty?: boolean } = {}) =>
    alert({
      host: N1,
      time: '2027-03-16T12:00:00Z',
      title: 'IP set changed on the host (ipset)',
      process: { name: 'ipset', path: '/usr/sbin/ipset', commandLine, uid: '0', loginUid: extra.loginUid ?? '4294967295', tty: extra.tty ?? false },
      ancestors: [{ pid: '2255' }],
    });
  it('explains kube-proxy (IPVS) adding a hairpin entry to its KUBE-LOOP-BACK set', () => {
    const r = triageAlert(ipset('ipset add KUBE-LOOP-BACK 10.42.11.152,tcp:8080,10.42.11.152 -exist'), { index });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
    expect(r.verdict.reasons.map((x) => x.message).join(' ')).toContain('KUBE-LOOP-BACK');
  });
  it('trap: the same change typed from a login session with a terminal', () => {
    const r = triageAlert(ipset('ipset add KUBE-LOOP-BACK 10.42.11.152,tcp:8080,10.42.11.152 -exist', { loginUid: '1001', tty: true }), { index });
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: a set no component here owns', () => {
    const r = triageAlert(ipset('ipset add allow-list 203.0.113.45'), { index });
    expect(r.verdict.label).toBe('genuine');
  });
});
