/**
 * Context found in the onprem-kubeadm-flannel validation scenario, as rule tables: kubeadm's own etcd reading the keys
 * its manifest names — with the traps each must not fall into (a dropped static pod, etcdctl, a look-alike image).
 */
import { describe, expect, it } from 'vitest';
import type { AuditActivity, Pod } from '../../../src/cluster/model.js';
import { summarizePodSpec } from '../../../src/cluster/audit.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, node, pod, snapshot } from '../../support/cluster.js';

const CP = 'k8s-cp-01';
const T = (hms: string) => `2026-12-03T${hms}.000Z`;
const ETCD_ARGV = [
  'etcd',
  '--advertise-client-urls=https://10.10.0.11:2379',
  '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
  '--data-dir=/var/lib/etcd',
  '--key-file=/etc/kubernetes/pki/etcd/server.key',
  '--name=k8s-cp-01',
  '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt',
  '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key',
  '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
];

function staticPod(name: string, component: string | undefined, image: string, command: string[], containerName = 'etcd'): Pod {
  const p = pod(name, {
    namespace: 'kube-system',
    node: CP,
    hostNetwork: true,
    created: '2026-11-20T04:10:51Z',
    owner: { kind: 'Node', name: CP },
    labels: component ? { component, tier: 'control-plane' } : undefined,
    containers: [{ name: containerName, image, command, volumeMounts: [{ name: 'etcd-certs', mountPath: '/etc/kubernetes/pki/etcd' }] }],
    volumes: [{ name: 'etcd-certs', hostPath: { path: '/etc/kubernetes/pki/etcd', type: 'DirectoryOrCreate' } }],
  });
  p.metadata.annotations = { 'kubernetes.io/config.mirror': 'f1e2d3', 'kubernetes.io/config.source': 'file' };
  return p;
}

const etcd = staticPod(`etcd-${CP}`, 'etcd', 'registry.k8s.io/etcd:3.5.12-0', ETCD_ARGV);
// A manifest dropped next to it: same labels and image, but another name and etcdctl.
const dropped = staticPod(`etcd-backup-${CP}`, 'etcd', 'registry.k8s.io/etcd:3.5.12-0', ['/bin/sh', '-c', 'sleep infinity'], 'etcd-backup');
// etcd's own name and labels, but a look-alike image.
const lookAlike = staticPod(`etcd-${CP}-x`, 'etcd', 'docker.io/etcd-mirror/etcd:3.5.12', ETCD_ARGV);

const index = buildIndex([snapshot([node(CP, '10.10.0.11'), etcd, dropped, lookAlike])]);
const verdict = (a: ReturnType<typeof alert>) => triageAlert(a, { index }).verdict;
const keyRead = (p: Pod, cmd: string, file = '/etc/kubernetes/pki/etcd/peer.key') =>
  alert({
    host: CP,
    time: T('11:05:19'),
    title: 'Read sensitive file untrusted',
    process: { name: cmd.split(' ')[0], commandLine: cmd },
    container: { id: containerIdOf(p) },
    file,
  });

describe("kubeadm's etcd reading the keys its own manifest names", () => {
  it('etcd in etcd-<node> reading its peer key with its manifest command line', () => {
    const v = verdict(keyRead(etcd, ETCD_ARGV.join(' ')));
    expect(v.label).toBe('likely-false-positive');
    expect(v.reasons.map((r) => r.message).join(' ')).not.toMatch(/credentials \(T1552\)/);
  });
  it('trap: etcdctl with the peer key in a dropped static pod', () => {
    const cmd = 'etcdctl --cacert /etc/kubernetes/pki/etcd/ca.crt --cert /etc/kubernetes/pki/etcd/peer.crt --key /etc/kubernetes/pki/etcd/peer.key get /registry/secrets --prefix';
    expect(verdict(keyRead(dropped, cmd))).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: etcdctl typed inside the real etcd pod', () => {
    const cmd = 'etcdctl --cert /etc/kubernetes/pki/etcd/peer.crt --key /etc/kubernetes/pki/etcd/peer.key get / --prefix --keys-only';
    expect(verdict(keyRead(etcd, cmd))).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it("trap: etcd's command line from a look-alike image under another pod name", () => {
    expect(verdict(keyRead(lookAlike, ETCD_ARGV.join(' '))).label).toBe('genuine');
  });
  it('trap: the real etcd reading a key its manifest does not name', () => {
    expect(verdict(keyRead(etcd, ETCD_ARGV.join(' '), '/etc/kubernetes/admin.conf')).label).toBe('genuine');
  });
});

describe("a StatefulSet's preStop hook seen by a node EDR while the pod is replaced", () => {
  const W3 = 'k8s-wrk-03';
  const HOOK = ['/bin/sh', '-c', "ps ax | grep -i 'kafka\\.Kafka' | grep java | grep -v grep | awk '{print $1}' | xargs kill -s TERM"];
  const SHIM = { name: 'containerd-shim-runc-v2', path: '/usr/bin/containerd-shim-runc-v2', commandLine: `/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id ${'b'.repeat(64)} -address /run/containerd/containerd.sock` };
  const broker = (name: string, created: string, ownerKind = 'StatefulSet') => {
    const p = pod(name, {
      namespace: 'data',
      node: W3,
      created,
      owner: { kind: ownerKind, name: ownerKind === 'StatefulSet' ? 'kafka' : 'kafka-7c9d8b6f5d' },
      containers: [{ name: 'kafka', image: 'docker.io/apache/kafka:3.8.0', command: ['/etc/kafka/docker/run'], lifecycle: { preStop: { exec: { command: HOOK } } } }],
    });
    return p;
  };
  const idx = buildIndex([snapshot([node(W3, '10.10.0.23'), broker('kafka-1', T('10:06:00')), broker('kafka-late-1', T('10:25:00'))])]);
  const kill = (time: string, parent = HOOK.join(' ')) =>
    triageAlert(
      alert({ host: W3, time: T(time), process: { name: 'xargs', path: '/usr/bin/xargs', commandLine: 'xargs kill -s TERM' }, ancestors: [{ name: 'dash', path: '/usr/bin/dash', commandLine: parent }, SHIM] }),
      { index: idx },
    ).verdict;
  it('the hook shell\'s child, seconds before kubectl rollout restart recreated the pod under its name', () => {
    const v = kill('10:05:57');
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons.map((r) => r.message).join(' ')).toMatch(/preStop hook/);
  });
  it('trap: the same process under a shell running another script', () => {
    expect(kill('10:05:57', "/bin/sh -c ps ax | grep -i java | awk '{print $1}' | xargs kill -s TERM").label).toBe('genuine');
  });
  it('trap: minutes before any pod that carries the hook was created (no replacement explains it)', () => {
    expect(kill('10:04:00').label).toBe('genuine');
  });
});

describe("a storage provisioner's helper pod, deleted before the snapshot, seen by a node EDR", () => {
  const W4 = 'k8s-wrk-04';
  const LP = 'local-path-storage';
  const SA = 'local-path-provisioner-service-account';
  const DIR = '/opt/local-path-provisioner/pvc-1_shop_reports-cache';
  const provisioner = pod('local-path-provisioner-6c5cff8948-5wq7k', {
    namespace: LP,
    node: 'k8s-wrk-02',
    ip: '10.244.4.9',
    owner: { kind: 'ReplicaSet', name: 'local-path-provisioner-6c5cff8948' },
    containers: [{ name: 'local-path-provisioner', image: 'docker.io/rancher/local-path-provisioner:v0.0.28', command: ['local-path-provisioner', 'start'] }],
  });
  provisioner.spec.serviceAccountName = SA;
  const body = (name: string) => ({
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name, namespace: LP },
    spec: {
      nodeName: W4,
      serviceAccountName: SA,
      containers: [{ name: 'helper-pod', image: 'docker.io/library/busybox:1.36', command: ['/bin/sh', '/script/setup'], args: ['-p', DIR, '-s', '10737418240', '-m', 'Filesystem'] }],
      volumes: [{ name: 'data', hostPath: { path: '/opt/local-path-provisioner/', type: 'DirectoryOrCreate' } }],
    },
  });
  const create = (name: string, time: string, user: string, ip: string, bound?: string): AuditActivity => ({
    time: T(time),
    user,
    groups: [],
    verb: 'create',
    resource: 'pods',
    namespace: LP,
    name,
    sourceIps: [ip],
    code: 201,
    tokenBoundPod: bound,
    podSpec: summarizePodSpec(body(name)),
  });
  const remove = (a: AuditActivity, time: string): AuditActivity => ({ ...a, time: T(time), verb: 'delete', podSpec: undefined, code: 200 });
  const own = create('helper-pod-create-pvc-1', '11:35:12', `system:serviceaccount:${LP}:${SA}`, '10.244.4.9', provisioner.metadata.name);
  const elsewhere = create('helper-pod-create-pvc-2', '12:35:12', `system:serviceaccount:${LP}:${SA}`, '10.244.5.27', provisioner.metadata.name);
  const person = create('helper-pod-create-pvc-3', '13:35:12', 'mallory@example.org', '10.30.2.99');
  const neverDeleted = create('helper-pod-create-pvc-4', '14:35:12', `system:serviceaccount:${LP}:${SA}`, '10.244.4.9', provisioner.metadata.name);
  const snap = snapshot([node(W4, '10.10.0.24'), node('k8s-wrk-02', '10.10.0.22'), provisioner]);
  snap.auditActivities = [own, remove(own, '11:35:21'), elsewhere, remove(elsewhere, '12:35:21'), person, remove(person, '13:35:21'), neverDeleted];
  const idx = buildIndex([snap]);
  const mkdir = (time: string, parent = `/bin/sh /script/setup -p ${DIR} -s 10737418240 -m Filesystem`) =>
    triageAlert(
      alert({
        host: W4,
        time: T(time),
        title: 'Suspicious file permission modification',
        process: { name: 'mkdir', path: '/bin/mkdir', commandLine: `mkdir -m 0777 -p ${DIR}` },
        ancestors: [{ name: 'sh', path: '/bin/sh', commandLine: parent }, { name: 'containerd-shim-runc-v2', path: '/usr/bin/containerd-shim-runc-v2' }],
      }),
      { index: idx },
    ).verdict;
  it('the helper the provisioner created with its own token from its own address, running its setup script', () => {
    const v = mkdir('11:35:16');
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons.map((r) => r.message).join(' ')).toMatch(/helper-pod-create-pvc-1/);
  });
  it("trap: the provisioner's token used from another pod's address to create the same helper", () => {
    expect(mkdir('12:35:16').label).toBe('genuine');
  });
  it('trap: a person created the naked pod', () => {
    expect(mkdir('13:35:16').label).toBe('genuine');
  });
  it('trap: missing from the snapshot of a live node with no deletion in the audit log', () => {
    expect(mkdir('14:35:16').label).toBe('genuine');
  });
  it("trap: a shell that is not the helper's command", () => {
    expect(mkdir('11:35:16', '/bin/sh -c mkdir -m 0777 -p /opt/x').label).toBe('genuine');
  });
});
