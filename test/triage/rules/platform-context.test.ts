/**
 * Context found in the openshift-ovn-gpu validation scenario, as rule tables: components shipped from a release-payload
 * repository, chains that name their owner, node debug pods other than kubectl's, wrapped entrypoints, probe shells,
 * pod traffic SNATed to the node address, and kernel modules of a freshly started driver — with the traps each must
 * not fall into.
 */
import { describe, expect, it } from 'vitest';
import type { AuditActivity, ExecSession, KubeObject } from '../../../src/cluster/model.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, node, owner, pod, snapshot } from '../../support/cluster.js';

const N1 = 'ocp-worker-a';
const N2 = 'ocp-worker-b';
const G1 = 'ocp-gpu-a';
const PAYLOAD = (n: number) => `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${String(n).repeat(64).slice(0, 64)}`;
const T = (hms: string) => `2027-07-21T${hms}.000Z`;

const ovnDs = owner('DaemonSet', 'ovnkube-node', 'openshift-ovn-kubernetes');
const ovn = pod('ovnkube-node-aaaaa', {
  namespace: 'openshift-ovn-kubernetes',
  node: N1,
  hostNetwork: true,
  hostPID: true,
  owner: { kind: 'DaemonSet', name: 'ovnkube-node' },
  containers: [{ name: 'ovnkube-controller', image: PAYLOAD(1), command: ['/bin/bash', '-c', 'start-ovnkube-node 4 29103 29105'], securityContext: { privileged: true } }],
});
// The same payload image in an application namespace is not OVN-Kubernetes.
const fakeDep = owner('Deployment', 'ovnkube-node', 'tools');
const fake = pod('ovnkube-node-7d9f-zzzzz', { namespace: 'tools', node: N2, ip: '10.129.2.9', owner: { kind: 'Deployment', name: 'ovnkube-node' }, containers: [{ name: 'ovnkube-controller', image: PAYLOAD(1) }] });
const dnsDs = owner('DaemonSet', 'dns-default', 'openshift-dns');
const dns = pod('dns-default-bbbbb', { namespace: 'openshift-dns', node: N2, ip: '10.129.2.5', owner: { kind: 'DaemonSet', name: 'dns-default' }, containers: [{ name: 'dns', image: PAYLOAD(2), command: ['coredns'] }] });
const exporterDs: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'node-exporter', namespace: 'openshift-monitoring', uid: 'ds-ne' },
  spec: { template: { spec: { hostNetwork: true, containers: [{ name: 'kube-rbac-proxy', image: PAYLOAD(3), ports: [{ containerPort: 9100, hostPort: 9100 }] }] } } },
};
const promSts = owner('StatefulSet', 'prometheus-k8s', 'openshift-monitoring');
const prom = pod('prometheus-k8s-0', { namespace: 'openshift-monitoring', node: N2, ip: '10.129.2.12', owner: { kind: 'StatefulSet', name: 'prometheus-k8s' }, containers: [{ name: 'prometheus', image: PAYLOAD(4) }] });
const sftpJob = owner('Job', 'partner-push-30269700', 'batch');
const sftp = pod('partner-push-30269700-abcde', {
  namespace: 'batch',
  node: N1,
  ip: '10.131.0.41',
  created: T('15:00:00'),
  phase: 'Succeeded',
  owner: { kind: 'Job', name: 'partner-push-30269700' },
  containers: [{ name: 'push', image: 'registry.example/statement-export:1', command: ['/bin/bash', '-c', 'sftp -P 2222 -b /tmp/batch finco@198.51.100.40'] }],
  statuses: [{ state: { terminated: { exitCode: 0, startedAt: T('15:00:05'), finishedAt: T('15:00:27') } } }],
});
const tekton = pod('build-run-image-pod', {
  namespace: 'ci',
  node: N2,
  ip: '10.129.2.15',
  owner: { kind: 'TaskRun', name: 'build-run-image' },
  containers: [{ name: 'step-build', image: 'registry.redhat.io/rhel8/buildah:1', command: ['/tekton/bin/entrypoint'], args: ['-post_file', '/tekton/run/0/out', '-entrypoint', 'buildah', '--', 'bud', '--storage-driver=vfs', '-f', './Containerfile', '-t', 'img:1', '.'] }],
});
const portal = pod('portal-abc-qhz4m', {
  namespace: 'web',
  node: N2,
  ip: '10.129.2.28',
  containers: [{ name: 'portal', image: 'registry.example/portal:2', readinessProbe: { exec: { command: ['/bin/sh', '-c', 'curl -sf http://127.0.0.1:8080/healthz || exit 1'] } } }],
});
const driverDs = owner('DaemonSet', 'nvidia-driver-daemonset-416.94', 'nvidia-gpu-operator');
const driver = pod('nvidia-driver-daemonset-416.94-hv2rt', {
  namespace: 'nvidia-gpu-operator',
  node: G1,
  hostPID: true,
  created: T('13:54:05'),
  owner: { kind: 'DaemonSet', name: 'nvidia-driver-daemonset-416.94' },
  containers: [{ name: 'nvidia-driver-ctr', image: 'nvcr.io/nvidia/driver@sha256:' + 'd'.repeat(64), command: ['ocp_dtk_entrypoint'], securityContext: { privileged: true } }],
  statuses: [{ state: { running: { startedAt: T('13:54:20') } } }],
});
const maintDs: KubeObject = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'node-maintenance', namespace: 'ops', uid: 'ds-nm', creationTimestamp: '2027-01-10T00:00:00Z' } };
const maint = pod('node-maintenance-7wqkd', {
  namespace: 'ops',
  node: N2,
  hostPID: true,
  owner: { kind: 'DaemonSet', name: 'node-maintenance' },
  containers: [{ name: 'node-maintenance', image: 'registry.example/platform/node-maintenance:1.9.0', securityContext: { privileged: true } }],
});

const alerterDs = owner('DaemonSet', 'iptables-alerter', 'openshift-network-operator');
const alerter = pod('iptables-alerter-fjtf6', {
  namespace: 'openshift-network-operator',
  node: N2,
  hostPID: true,
  owner: { kind: 'DaemonSet', name: 'iptables-alerter' },
  containers: [{ name: 'iptables-alerter', image: PAYLOAD(5), command: ['/iptables-alerter/iptables-alerter.sh'], securityContext: { privileged: true } }],
});
const multusDs = owner('DaemonSet', 'multus', 'openshift-multus');
const multus = pod('multus-7kq2d', {
  namespace: 'openshift-multus',
  node: N1,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'multus' },
  containers: [{ name: 'kube-multus', image: PAYLOAD(6), command: ['/bin/bash', '-ec', '--'], securityContext: { privileged: true } }],
});

const objects = [
  alerterDs,
  alerter,
  multusDs,
  multus,
  node(N1, '10.40.16.21'),
  node(N2, '10.40.16.22'),
  node(G1, '10.40.16.31'),
  ovnDs,
  ovn,
  fakeDep,
  fake,
  dnsDs,
  dns,
  exporterDs,
  promSts,
  prom,
  sftpJob,
  sftp,
  tekton,
  portal,
  driverDs,
  driver,
  maintDs,
  maint,
];

function debugPodCreation(user: string, groups: string[], ns: string, name: string, nodeName: string): { session: ExecSession; created: AuditActivity } {
  return {
    created: { time: T('14:06:12'), user, groups, verb: 'create', resource: 'pods', namespace: ns, name, sourceIps: ['10.60.8.23'], code: 201, podSpec: { privileged: true, hostPID: true, hostNetwork: true, hostPaths: ['/'], nodeName, images: [PAYLOAD(9)] } },
    session: { kind: 'attach', user, groups, sourceIps: ['10.60.8.23'], namespace: ns, pod: name, container: 'container-00', command: [], tty: true, start: T('14:06:20'), end: T('14:19:02'), code: 101 },
  };
}
const alice = debugPodCreation('alice', ['platform-admins', 'system:authenticated'], 'openshift-debug-k7m2q', `${N1}-debug-8bwzn`, N1);
const robot = debugPodCreation('system:serviceaccount:risk-ml:model-server', ['system:serviceaccounts', 'system:authenticated'], 'risk-ml', 'nv-profiler-x8k2p', G1);

const snap = snapshot(objects, [alice.session, robot.session]);
snap.auditActivities = [alice.created, robot.created];
const index = buildIndex([snap]);
const verdict = (a: ReturnType<typeof alert>) => triageAlert(a, { index }).verdict;

describe('components shipped from a release-payload repository', () => {
  it('identifies OVN-Kubernetes by namespace and DaemonSet when the image names no component', () => {
    const v = verdict(alert({ host: N1, process: { name: 'ovs-vsctl', commandLine: 'ovs-vsctl --timeout=15 add-port br-int ovn-k8s-mp0' }, ancestors: [{ name: 'ovnkube', commandLine: '/usr/bin/ovnkube --init-node ocp-worker-a' }], container: { id: containerIdOf(ovn) } }));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: the same image and name in an application namespace', () => {
    const v = verdict(alert({ host: N2, process: { name: 'ovs-vsctl', commandLine: 'ovs-vsctl del-br br-int' }, ancestors: [{ name: 'ovnkube', commandLine: 'ovnkube' }], container: { id: containerIdOf(fake) } }));
    expect(v.label).toBe('genuine');
  });
  it('trap: a shell typed into the CNI container, DNATing Service traffic to an outside address', () => {
    const v = verdict(alert({ host: N1, process: { name: 'iptables', commandLine: 'iptables -t nat -I OUTPUT 1 -p tcp -d 172.30.0.1 --dport 443 -j DNAT --to-destination 203.0.113.50:443' }, ancestors: [{ name: 'sh', commandLine: 'sh' }], container: { id: containerIdOf(ovn) } }));
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: a routine-looking rule, but from an interactive shell in the CNI container', () => {
    const v = verdict(alert({ host: N1, process: { name: 'iptables', commandLine: 'iptables -t nat -A OVN-KUBE-NODEPORT -j RETURN' }, ancestors: [{ name: 'bash', commandLine: 'bash' }], container: { id: containerIdOf(ovn) } }));
    expect(v.label).toBe('genuine');
  });
});

describe('host processes an auditd sensor names only by parent pid', () => {
  it('a rule in a chain the node network component owns', () => {
    const v = verdict(alert({ host: N1, process: { name: 'iptables', commandLine: 'iptables -t nat -A OVN-KUBE-SNAT-MGMTPORT -o ovn-k8s-mp0 -j SNAT --to-source 10.131.0.2' }, ancestors: [{ pid: '2856' }] }));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: the same chain on a node where OVN-Kubernetes does not run', () => {
    const v = verdict(alert({ host: N2, process: { name: 'iptables', commandLine: 'iptables -t nat -A OVN-KUBE-SNAT-MGMTPORT -j SNAT --to-source 10.129.2.2' }, ancestors: [{ pid: '2856' }] }));
    expect(v.label).toBe('genuine');
  });
  it("the GPU driver's own modules, minutes after its container started", () => {
    const v = verdict(alert({ host: G1, time: T('13:56:12'), process: { name: 'modprobe', commandLine: 'modprobe nvidia' }, ancestors: [{ pid: '4100' }] }));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });
  it('trap: a module the driver does not load', () => {
    const v = verdict(alert({ host: G1, time: T('13:56:12'), process: { name: 'modprobe', commandLine: 'modprobe diamorphine' }, ancestors: [{ pid: '4100' }] }));
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: the driver started hours before', () => {
    const v = verdict(alert({ host: G1, time: T('16:56:12'), process: { name: 'modprobe', commandLine: 'modprobe nvidia' }, ancestors: [{ pid: '4100' }] }));
    expect(v.label).toBe('genuine');
  });
});

describe('read-only dumps and CNI plugins', () => {
  it("a read-only iptables dump through nsenter, exactly what the network operator's iptables-alerter does", () => {
    const v = verdict(alert({ host: N2, process: { name: 'nsenter', commandLine: 'nsenter -t 48211 -n -- iptables-save -t nat' }, ancestors: [{ pid: '901' }] }));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: the same wrapper changing rules is not a dump', () => {
    expect(verdict(alert({ host: N2, process: { name: 'nsenter', commandLine: 'nsenter -t 48211 -n -- iptables -F' }, ancestors: [{ pid: '901' }] })).label).toBe('genuine');
  });
  it('trap: a dump on a node without such a component', () => {
    expect(verdict(alert({ host: G1, process: { name: 'nsenter', commandLine: 'nsenter -t 48211 -n -- iptables-save -t nat' }, ancestors: [{ pid: '901' }] })).label).toBe('genuine');
  });
  it('a CNI plugin from the host CNI directory, run by multus-daemon in the Multus pod', () => {
    const v = verdict(alert({ host: N1, process: { name: 'ovn-k8s-cni-overlay', path: '/hostroot/var/lib/cni/bin/ovn-k8s-cni-overlay' }, ancestors: [{ name: 'multus-daemon', path: '/usr/src/multus-cni/bin/multus-daemon' }], container: { id: containerIdOf(multus) } }));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: a kubeconfig uploaded from a node address is credential theft', () => {
    const v = verdict(alert({ title: 'ET POLICY curl User-Agent Outbound', network: { srcIp: '10.40.16.31', dstIp: '203.0.113.50', dstPort: 80, httpMethod: 'PUT', url: '/u/ocp-gpu-a.kubeconfig' } }));
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe('node debug pods other than kubectl debug node', () => {
  it("chroot /host in a person's oc debug node pod, gone from the snapshot", () => {
    const v = verdict(alert({ host: N1, time: T('14:06:31'), process: { name: 'chroot', commandLine: 'chroot /host' }, ancestors: [{ pid: '77' }] }));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
    expect(v.reasons[0].message).toContain('alice');
  });
  it('a terminal process on that node during the session, and a process the sensor names in the debug container', () => {
    expect(verdict(alert({ host: N1, time: T('14:08:12'), process: { name: 'crictl', commandLine: 'crictl images --digests', tty: true }, ancestors: [{ pid: '78' }] }))).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
    expect(verdict(alert({ host: N1, time: T('14:12:30'), process: { name: 'tcpdump', commandLine: 'tcpdump -i br-ex -c 200 udp port 6081' }, container: { id: 'e'.repeat(64), name: 'container-00', namespace: 'openshift-debug-k7m2q' } }))).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
  });
  it("trap: a service account's exec into the privileged pod it created", () => {
    const v = verdict(alert({ host: G1, time: T('14:10:00'), process: { name: 'crictl', commandLine: 'crictl exec -it 7f3b sh', tty: true }, ancestors: [{ pid: '90' }] }));
    expect(v.label).toBe('genuine');
  });
});

describe("a workload's own behaviour behind a wrapper or a probe shell", () => {
  it('a RUN step of the build that Tekton wraps (-entrypoint buildah -- bud …)', () => {
    const v = verdict(alert({ host: N2, process: { name: 'dnf', commandLine: 'dnf install -y python3.11' }, ancestors: [{ name: 'sh', commandLine: 'sh -c dnf install -y python3.11' }, { name: 'buildah', commandLine: 'buildah bud --storage-driver=vfs -f ./Containerfile -t img:1 .' }], container: { id: containerIdOf(tekton) } }));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('the program a probe shell runs', () => {
    const v = verdict(alert({ host: N2, process: { name: 'curl', commandLine: 'curl -sf http://127.0.0.1:8080/healthz' }, ancestors: [{ name: 'sh', commandLine: 'sh -c curl -sf http://127.0.0.1:8080/healthz || exit 1' }], container: { id: containerIdOf(portal) } }));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
});

describe('traffic from a node address that is SNATed pod traffic', () => {
  it("a Job on that node whose own command names the peer and port", () => {
    const v = verdict(alert({ time: T('15:00:12'), title: 'ET POLICY SSH session in progress on Unusual Port', network: { srcIp: '10.40.16.21', srcPort: 38812, dstIp: '198.51.100.40', dstPort: 2222 } }));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: the same peer from a node where no pod names it', () => {
    expect(verdict(alert({ time: T('15:00:12'), title: 'ET POLICY SSH session in progress on Unusual Port', network: { srcIp: '10.40.16.22', srcPort: 38812, dstIp: '198.51.100.40', dstPort: 2222 } })).label).toBe('genuine');
  });
  it("a collector's sweep of the exporter port served on every node", () => {
    const v = verdict(alert({ title: 'Scan::Address_Scan', network: { srcIp: '10.40.16.22', dstPort: 9100 } }));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: the same sweep from a node without a collector', () => {
    expect(verdict(alert({ title: 'Scan::Address_Scan', network: { srcIp: '10.40.16.21', dstPort: 9100 } })).label).toBe('genuine');
  });
  it('NXDOMAIN answers from the upstream resolver to a node running cluster DNS pods', () => {
    const v = verdict(alert({ title: 'ET POLICY Unusual number of DNS No Such Name Responses', network: { srcIp: '10.40.0.53', srcPort: 53, dstIp: '10.40.16.22', dstPort: 41253, protocol: 'udp' } }));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: a lookup of a named outside domain is not search-path noise', () => {
    const v = verdict(alert({ title: 'DNS lookup of a known C2 domain', network: { srcIp: '10.40.16.22', dstIp: '10.40.0.53', dstPort: 53, protocol: 'udp', domain: 'update.evil.example' } }));
    expect(v.label).toBe('genuine');
  });
});

describe('audit findings about a controller', () => {
  it('an update of a long-standing privileged DaemonSet is placed on its pods and is its design', () => {
    const a = alert({ time: '2027-05-18T13:20:41.204Z', title: 'Privileged container with root level access launched on EKS Cluster prod.', container: { namespace: 'ops', name: 'node-maintenance', workload: { kind: 'DaemonSet', name: 'node-maintenance' } } });
    a.apiRequest = { user: 'arn:aws:sts::1:assumed-role/deploy/GitHubActions', verb: 'patch', resource: 'daemonsets', namespace: 'ops', name: 'node-maintenance', userAgent: 'Helm/3.15.2' };
    const r = triageAlert(a, { index });
    expect(r.correlation.subject.pod?.metadata.name).toBe('node-maintenance-7wqkd');
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });
});
