/**
 * Context found in the tkg-antrea-vsphere validation scenario: Tanzu Kubernetes Grid pulls its node components from
 * VMware's own registry paths (projects.registry.vmware.com/tkg/...), so Antrea, kube-vip and the vSphere CSI node
 * plugin must be recognised by those images — with the look-alikes that must stay genuine.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../src/cluster/model.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { imageMatches, knownComponents } from '../../../src/knowledge/components.js';
import { alert, containerIdOf, node, owner, pod, snapshot } from '../../support/cluster.js';

const CP = 'tkg-prod-control-plane-6ks2n';
const W1 = 'tkg-prod-md-0-5c9d7f6b8-2lq9x';
const W2 = 'tkg-prod-md-0-5c9d7f6b8-kx4mp';
const IP = { [CP]: '10.50.8.11', [W1]: '10.50.8.21', [W2]: '10.50.8.23' };
const T = (hms: string) => `2026-11-26T${hms}.000Z`;
const REG = 'projects.registry.vmware.com/tkg';
const SHIM = { name: 'containerd-shim-runc-v2', path: '/usr/bin/containerd-shim-runc-v2', commandLine: `/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id ${'b'.repeat(64)} -address /run/containerd/containerd.sock` };
const AGENT_CMD = 'antrea-agent --config=/etc/antrea/antrea-agent.conf --logtostderr=false';

function antrea(name: string, nodeName: string, namespace = 'kube-system', ownerName = 'antrea-agent'): Pod {
  return pod(name, {
    namespace,
    node: nodeName,
    hostNetwork: true,
    owner: { kind: 'DaemonSet', name: ownerName },
    containers: [
      { name: 'antrea-agent', image: `${REG}/antrea-advanced-debian:v1.15.1_vmware.1`, command: ['antrea-agent'], args: ['--config=/etc/antrea/antrea-agent.conf', '--logtostderr=false'], securityContext: { privileged: true } },
      { name: 'antrea-ovs', image: `${REG}/antrea-advanced-debian:v1.15.1_vmware.1`, command: ['start_ovs'] },
    ],
  });
}

function kubeVip(name: string, nodeName: string, namespace: string, image: string, isStatic = true): Pod {
  const p = pod(name, { namespace, node: nodeName, hostNetwork: true, containers: [{ name: 'kube-vip', image, args: ['manager'], securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } } }] });
  if (!isStatic) return p;
  p.metadata.ownerReferences = [{ kind: 'Node', name: nodeName, uid: `node-${nodeName}`, controller: true }];
  p.metadata.annotations = { 'kubernetes.io/config.source': 'file', 'kubernetes.io/config.mirror': 'x' };
  return p;
}

const csiDs = owner('DaemonSet', 'vsphere-csi-node', 'vmware-system-csi');
const csi = pod('vsphere-csi-node-7zq4m', {
  namespace: 'vmware-system-csi',
  node: W2,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'vsphere-csi-node' },
  containers: [
    { name: 'node-driver-registrar', image: `${REG}/csi/csi-node-driver-registrar:v2.10.1_vmware.1`, args: ['--v=5'] },
    { name: 'vsphere-csi-node', image: `${REG}/csi/vsphere-block-csi-driver:v3.3.0_vmware.1`, args: ['--fss-name=internal-feature-states.csi.vsphere.vmware.com'], securityContext: { privileged: true } },
  ],
});

const agent1 = antrea('antrea-agent-cjk2f', W1);
const agent2 = antrea('antrea-agent-92hbf', W2);
const fakeAntrea = antrea('net-tools-x7k2p', W2, 'payments', 'net-tools');
const vip = kubeVip(`kube-vip-${CP}`, CP, 'kube-system', `${REG}/kube-vip:v0.6.4_vmware.2`);
// A naked pod an intruder created in an application namespace, named like the kube-vip DaemonSet's pods, with the very TKG image.
const fakeVip = kubeVip('kube-vip-ds-x7k2p', W1, 'default', `${REG}/kube-vip:v0.6.4_vmware.2`, false);

const index = buildIndex([
  snapshot([
    node(CP, IP[CP]),
    node(W1, IP[W1]),
    node(W2, IP[W2]),
    owner('DaemonSet', 'antrea-agent', 'kube-system'),
    owner('DaemonSet', 'net-tools', 'payments'),
    csiDs,
    agent1,
    agent2,
    fakeAntrea,
    vip,
    fakeVip,
    csi,
  ]),
]);
const verdict = (a: ReturnType<typeof alert>) => triageAlert(a, { index }).verdict;

describe('TKG images of node components', () => {
  const byId = (id: string) => knownComponents().find((c) => c.id === id)!;
  it.each([
    ['antrea', `${REG}/antrea-advanced-debian:v1.15.1_vmware.1`],
    ['kube-vip', `${REG}/kube-vip:v0.6.4_vmware.2`],
    ['vsphere-csi-node', `${REG}/csi/vsphere-block-csi-driver:v3.3.0_vmware.1`],
    ['vsphere-csi-node', 'gcr.io/cloud-provider-vsphere/csi/release/driver:v3.1.0'],
  ])('%s is recognised from %s', (id, image) => {
    expect(imageMatches(byId(id), image)).toBe(true);
  });
  it('trap: a repository that only ends in the same word is not the component', () => {
    expect(imageMatches(byId('kube-vip'), 'docker.io/attacker/notkube-vip:latest')).toBe(false);
    expect(imageMatches(byId('antrea'), 'docker.io/attacker/antrea-advanced-debian-x:1')).toBe(false);
  });
});

describe('Antrea from the TKG registry', () => {
  const ovs = (host: string, parent = { name: 'antrea-agent', path: '/usr/local/bin/antrea-agent', commandLine: AGENT_CMD }) =>
    alert({ host, time: T('09:22:17'), process: { name: 'ovs-vsctl', path: '/usr/bin/ovs-vsctl', commandLine: 'ovs-vsctl --timeout=10 set Bridge br-int protocols=OpenFlow10,OpenFlow13' }, ancestors: [parent, SHIM] });
  it('ovs-vsctl under the antrea-agent daemon is node networking', () => {
    expect(verdict(ovs(W1))).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: the same image in an application namespace under another owner is not Antrea', () => {
    const a = alert({ host: W2, time: T('09:22:17'), process: { name: 'iptables', commandLine: 'iptables -t nat -I PREROUTING 1 -p tcp --dport 443 -j DNAT --to-destination 203.0.113.77:8443' }, container: { id: containerIdOf(fakeAntrea) } });
    expect(verdict(a).label).toBe('genuine');
  });
  it('Geneve (UDP 6081) between two nodes running Antrea is its overlay', () => {
    const a = alert({ host: W1, time: T('09:15:27'), network: { srcIp: IP[W1], srcPort: 61034, dstIp: IP[W2], dstPort: 6081, protocol: 'UDP' } });
    expect(verdict(a)).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: UDP 6081 from a node to an address outside the cluster', () => {
    const a = alert({ host: W1, time: T('09:15:27'), network: { srcIp: IP[W1], srcPort: 61034, dstIp: '198.51.100.23', dstPort: 6081, protocol: 'UDP' } });
    expect(verdict(a).label).toBe('genuine');
  });
});

describe('kube-vip from the TKG registry', () => {
  const packetSocket = (p: Pod) =>
    alert({ host: p.spec.nodeName, time: T('09:02:06'), title: 'Packet socket created in container', process: { name: 'kube-vip', path: '/kube-vip', commandLine: '/kube-vip manager' }, container: { id: containerIdOf(p), name: 'kube-vip', namespace: p.metadata.namespace, pod: p.metadata.name } });
  it("the control plane's kube-vip static pod opening its ARP socket is node networking", () => {
    expect(verdict(packetSocket(vip))).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: a naked pod named like the kube-vip DaemonSet, with the TKG image, in the default namespace', () => {
    const v = verdict(packetSocket(fakeVip)); expect(v.label, JSON.stringify(v.reasons)).toBe('genuine');
  });
  it('trap: a host binary named kube-vip run from a hidden directory in /tmp', () => {
    const a = alert({ host: CP, time: T('10:57:12'), process: { name: 'kube-vip', path: '/tmp/.kv/kube-vip', commandLine: '/tmp/.kv/kube-vip manager --address 198.51.100.23 --port 443' }, ancestors: [{ name: 'bash', commandLine: '-bash' }, { name: 'sshd', commandLine: 'sshd: capv@pts/1' }] });
    expect(verdict(a).label).toBe('genuine');
  });
});

describe('the vSphere CSI node plugin', () => {
  const mount = (cmd: string, parent: { name: string; commandLine: string }) =>
    alert({ host: W2, time: T('10:45:31'), title: 'Mount Launched in Privileged Container', process: { name: 'mount', path: '/usr/bin/mount', commandLine: cmd }, ancestors: [parent], container: { id: containerIdOf(csi, 1), name: 'vsphere-csi-node', namespace: 'vmware-system-csi', pod: csi.metadata.name } });
  it("its vsphere-csi server staging a volume under the kubelet's globalmount", () => {
    const v = verdict(mount('mount -t ext4 -o defaults /dev/sdc /var/lib/kubelet/plugins/kubernetes.io/csi/csi.vsphere.vmware.com/ab12/globalmount', { name: 'vsphere-csi', commandLine: '/bin/vsphere-csi --fss-name=internal-feature-states.csi.vsphere.vmware.com' }));
    expect(v.label).toBe('likely-false-positive');
  });
  it("trap: the host's root disk mounted from an interactive shell in the same container", () => {
    const v = verdict(mount('mount /dev/sda3 /mnt/h', { name: 'sh', commandLine: 'sh' })); expect(v.label, JSON.stringify(v.reasons)).toBe('genuine');
  });
});
