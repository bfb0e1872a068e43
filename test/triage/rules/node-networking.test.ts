import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const N1 = 'ip-10-0-1-10.eu-west-1.compute.internal';
const N2 = 'ip-10-0-2-20.eu-west-1.compute.internal';
const calicoDs = owner('DaemonSet', 'calico-node', 'calico-system');
const calico = pod('calico-node-abcde', {
  namespace: 'calico-system',
  node: N1,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'calico-node' },
  containers: [{ name: 'calico-node', image: 'quay.io/calico/node:v3.28.1', securityContext: { privileged: true } }],
});
const kubeProxyDs = owner('DaemonSet', 'kube-proxy', 'kube-system');
const kubeProxy = pod('kube-proxy-xyz12', {
  namespace: 'kube-system',
  node: N2,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'kube-proxy' },
  containers: [{ name: 'kube-proxy', image: '602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy:v1.30.0', command: ['kube-proxy', '--v=2'] }],
});
const app = pod('web-1', { namespace: 'shop', node: N2, ip: '10.0.2.55', containers: [{ name: 'web', image: 'nginx:1.27', command: ['nginx', '-g', 'daemon off;'] }] });
const index = indexOf([node(N1, '10.0.1.10'), node(N2, '10.0.2.20'), calicoDs, calico, kubeProxyDs, kubeProxy, app]);

const felix = { name: 'calico-node', commandLine: 'calico-node -felix' };

describe('node-networking', () => {
  it('explains iptables run by the Calico Felix daemon on a node where calico-node runs', () => {
    const r = triageAlert(alert({ host: N1, process: { name: 'xtables-nft-multi', commandLine: 'iptables-nft-restore --noflush' }, ancestors: [felix, { name: 'runsv', commandLine: 'runsv felix' }] }), { index });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
    expect(r.verdict.reasons[0].message).toContain('calico-node-abcde');
  });
  it('explains kube-proxy syncing Service rules', () => {
    const r = triageAlert(alert({ host: N2, process: { name: 'iptables-restore', commandLine: 'iptables-restore -w 5 --noflush' }, ancestors: [{ name: 'kube-proxy', commandLine: 'kube-proxy --v=2' }] }), { index });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: the daemon name on a node where that DaemonSet is not scheduled', () => {
    const r = triageAlert(alert({ host: N2, process: { name: 'ipset', commandLine: 'ipset restore' }, ancestors: [felix] }), { index });
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: iptables flushing under a script from /tmp, even on a node with a CNI pod', () => {
    const r = triageAlert(alert({ host: N1, process: { name: 'iptables', commandLine: 'iptables -F OUTPUT' }, ancestors: [{ name: 'bash', commandLine: 'bash /tmp/i.sh' }, felix] }), { index });
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: a renamed binary from a hidden directory carrying the daemon name', () => {
    const r = triageAlert(alert({ host: N1, process: { name: 'calico-node', path: '/var/tmp/.cache/calico-node', commandLine: '/var/tmp/.cache/calico-node -felix' }, ancestors: [{ name: 'sh', commandLine: 'sh' }] }), { index });
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: iptables from an application pod', () => {
    const r = triageAlert(alert({ host: N2, process: { name: 'iptables', commandLine: 'iptables -L' }, container: { id: app.status!.containerStatuses![0].containerID } }), { index });
    expect(r.verdict.label).toBe('genuine');
  });
  it('keeps an alert from a host that is not a node of the cluster', () => {
    const r = triageAlert(alert({ host: 'jenkins-runner-1', process: { name: 'iptables', commandLine: 'iptables -L' }, ancestors: [felix] }), { index });
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'unexplained', context: 'none' });
  });
});

describe('node-networking: a node agent that embeds the network (k3s)', () => {
  const k3sNode = (name: string, ip: string, version: string) => {
    const n = node(name, ip);
    n.spec = { providerID: `k3s://${name}` };
    (n.status as { nodeInfo?: { kubeletVersion: string } }).nodeInfo = { kubeletVersion: version };
    return n;
  };
  const edge = k3sNode('lyon-edge-02', '192.168.50.12', 'v1.30.6+k3s1');
  const job = pod('price-sync-30378975-2cr72', { namespace: 'retail', node: 'lyon-edge-02', created: '2026-01-01T12:15:00Z', containers: [{ name: 'rclone', image: 'rclone/rclone:1.68.1' }] });
  const k3sIdx = indexOf([edge, job]);
  const eksIdx = indexOf([node('ip-10-0-9-9.eu-west-1.compute.internal', '10.0.9.9')]);
  const agent = { name: 'k3s-agent', path: '/usr/local/bin/k3s', commandLine: '/usr/local/bin/k3s agent' };
  const restore = (host: string, parent: { name: string; path?: string; commandLine?: string }, commandLine = 'iptables-restore -w 5 -W 100000 --noflush --counters') =>
    alert({ host, process: { name: 'iptables-restore', path: '/usr/sbin/xtables-nft-multi', commandLine }, ancestors: [parent] });

  it('explains Service rules restored by the k3s agent itself on a k3s node', () => {
    const r = triageAlert(restore('lyon-edge-02', agent), { index: k3sIdx });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
    expect(r.verdict.reasons[0].message).toMatch(/lyon-edge-02 runs k3s \(kubelet v1\.30\.6\+k3s1\)/);
  });
  it('explains a bundled CNI plugin run by the embedded containerd as a pod sandbox is created', () => {
    const data = '/var/lib/rancher/k3s/data/3f1a/bin';
    const a = alert({ host: 'lyon-edge-02', time: '2026-01-01T12:15:03.000Z', process: { name: 'bridge', path: `${data}/cni`, commandLine: `${data}/bridge` }, ancestors: [{ name: 'containerd', path: `${data}/containerd` }] });
    const r = triageAlert(a, { index: k3sIdx });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
    expect(r.verdict.reasons[0].message).toMatch(/price-sync-30378975-2cr72/);
  });
  it('trap: the same process tree on a node that does not run k3s is not explained', () => {
    const r = triageAlert(restore('ip-10-0-9-9.eu-west-1.compute.internal', agent), { index: eksIdx });
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: on a k3s node, netfilter changes from a shell are not the agent', () => {
    const r = triageAlert(restore('lyon-edge-02', { name: 'sh', path: '/bin/sh', commandLine: 'sh' }), { index: k3sIdx });
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: a NAT redirect to an outside address stays genuine whoever runs it', () => {
    const r = triageAlert(
      alert({ host: 'lyon-edge-02', process: { name: 'iptables', path: '/usr/sbin/xtables-nft-multi', commandLine: 'iptables -t nat -I PREROUTING -p tcp --dport 443 -j DNAT --to-destination 203.0.113.50:443' }, ancestors: [agent] }),
      { index: k3sIdx },
    );
    expect(r.verdict.label).toBe('genuine');
  });
});

describe('node-networking: MicroK8s, whose kubelite runs kube-proxy on the host', () => {
  const mk = (name: string, ip: string, labelled: boolean) => {
    const n = node(name, ip);
    if (labelled) n.metadata.labels = { ...(n.metadata.labels ?? {}), 'microk8s.io/cluster': 'true' };
    (n.status as { nodeInfo?: { kubeletVersion: string } }).nodeInfo = { kubeletVersion: 'v1.30.6' };
    return n;
  };
  const idx = indexOf([mk('till-edge-1', '192.168.7.11', true), mk('plain-node-1', '192.168.7.21', false)]);
  const kubelite = {
    name: 'kubelite',
    path: '/snap/microk8s/7229/kubelite',
    commandLine: '/snap/microk8s/7229/kubelite --proxy-args-file=/var/snap/microk8s/7229/args/kube-proxy --kubelet-args-file=/var/snap/microk8s/7229/args/kubelet',
  };
  const init = { name: 'systemd', path: '/usr/lib/systemd/systemd', commandLine: '/sbin/init' };
  const restore = (host: string, ancestors: { name: string; path?: string; commandLine?: string }[]) =>
    alert({ host, process: { name: 'xtables-legacy-multi', path: '/snap/microk8s/7229/usr/sbin/xtables-legacy-multi', commandLine: 'iptables-restore -w 5 -W 100000 --noflush --counters' }, ancestors });

  it('explains Service rules restored by kubelite on a node labelled microk8s.io/cluster', () => {
    const r = triageAlert(restore('till-edge-1', [kubelite, init]), { index: idx });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
    expect(r.verdict.reasons[0].message).toMatch(/till-edge-1 runs MicroK8s \(node label microk8s\.io\/cluster=true\)/);
  });
  it("explains a CNI plugin the CNI DaemonSet installed under the snap's data directory, run by the snap's containerd", () => {
    const a = alert({
      host: 'till-edge-1',
      process: { name: 'calico', path: '/var/snap/microk8s/current/opt/cni/bin/calico', commandLine: '/var/snap/microk8s/current/opt/cni/bin/calico' },
      ancestors: [{ name: 'containerd', path: '/snap/microk8s/7229/bin/containerd', commandLine: '/snap/microk8s/7229/bin/containerd --config /var/snap/microk8s/7229/args/containerd.toml' }],
    });
    expect(triageAlert(a, { index: idx }).verdict).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: the same tree on a node that is not MicroK8s is not explained', () => {
    expect(triageAlert(restore('plain-node-1', [kubelite, init]), { index: idx }).verdict.label).toBe('genuine');
  });
  it('trap: a "kubelite" run from outside the snap is a look-alike', () => {
    const fake = { name: 'kubelite', path: '/tmp/.k/kubelite', commandLine: '/tmp/.k/kubelite' };
    expect(triageAlert(restore('till-edge-1', [fake, init]), { index: idx }).verdict.label).toBe('genuine');
  });
  it('trap: kubelite started from an SSH login is not the service', () => {
    const login = { name: 'sshd', path: '/usr/sbin/sshd', commandLine: 'sshd: ubuntu@pts/0' };
    expect(triageAlert(restore('till-edge-1', [kubelite, { name: 'bash', path: '/usr/bin/bash', commandLine: '-bash' }, login]), { index: idx }).verdict.label).toBe('genuine');
  });
});

describe('node-networking: agents that own netfilter chains, and connectivity checkers (Kube-OVN, NeuVector)', () => {
  const W1 = 'plant-wk-1';
  const W2 = 'plant-wk-2';
  const nvDs = owner('DaemonSet', 'neuvector-enforcer-pod', 'neuvector');
  const enforcer = pod('neuvector-enforcer-pod-abcde', {
    namespace: 'neuvector',
    node: W1,
    hostPID: true,
    owner: { kind: 'DaemonSet', name: 'neuvector-enforcer-pod' },
    containers: [{ name: 'neuvector-enforcer-pod', image: 'docker.io/neuvector/enforcer:5.4.1', securityContext: { privileged: true } }],
  });
  const fakeEnforcer = pod('enforcer-helper-x1', { namespace: 'default', node: W2, containers: [{ name: 'e', image: 'docker.io/neuvect0r/enforcer:5.4.1' }] });
  const pingerDs = owner('DaemonSet', 'kube-ovn-pinger', 'kube-system');
  const pinger = pod('kube-ovn-pinger-k2x7p', {
    namespace: 'kube-system',
    node: W1,
    ip: '10.16.0.15',
    owner: { kind: 'DaemonSet', name: 'kube-ovn-pinger' },
    containers: [{ name: 'pinger', image: 'docker.io/kubeovn/kube-ovn:v1.13.2', command: ['/kube-ovn/kube-ovn-pinger'] }],
  });
  const web = pod('web-7d9f-abcde', { namespace: 'shop', node: W2, ip: '10.16.0.40', containers: [{ name: 'web', image: 'nginx:1.27' }] });
  const idx = indexOf([node(W1, '172.22.10.21'), node(W2, '172.22.10.22'), nvDs, enforcer, fakeEnforcer, pingerDs, pinger, web]);
  const nfqueue = 'iptables -I NV_INPUT_PROXY -t filter -i eth0 -p tcp --dport 8080 -j NFQUEUE --queue-num 0 --queue-bypass';
  const nvAgent = { name: 'agent', path: '/usr/local/bin/agent', commandLine: '/usr/local/bin/agent -c' };

  it('explains an NFQUEUE rule written by the NeuVector enforcer agent on a node where the enforcer runs', () => {
    const r = triageAlert(alert({ host: W1, process: { name: 'iptables', path: '/usr/sbin/iptables', commandLine: nfqueue }, ancestors: [nvAgent] }), { index: idx });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
    expect(r.verdict.reasons[0].message).toContain('neuvector-enforcer-pod-abcde');
  });
  it('trap: the same rule on a node where only a look-alike enforcer image runs', () => {
    const r = triageAlert(alert({ host: W2, process: { name: 'iptables', path: '/usr/sbin/iptables', commandLine: nfqueue }, ancestors: [nvAgent] }), { index: idx });
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: an iptables flush typed in a shell on the enforcer node', () => {
    const r = triageAlert(alert({ host: W1, process: { name: 'iptables', path: '/usr/sbin/iptables', commandLine: 'iptables -t nat -F' }, ancestors: [{ name: 'sh', path: '/bin/sh', commandLine: '/bin/sh' }] }), { index: idx });
    expect(r.verdict.label).toBe('genuine');
  });
  it("explains a connectivity checker's sweep on its own check port", () => {
    const r = triageAlert(alert({ title: 'Scan::Address_Scan', network: { srcIp: '10.16.0.15', dstPort: 8100 } }), { index: idx });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
    expect(r.verdict.reasons.map((x) => x.message).join(' ')).toContain('kube-ovn-pinger-k2x7p');
  });
  it('trap: the checker pod on a port its component does not use', () => {
    const r = triageAlert(alert({ title: 'Scan::Address_Scan', network: { srcIp: '10.16.0.15', dstPort: 22 } }), { index: idx });
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: an application pod sweeping the same port', () => {
    const r = triageAlert(alert({ title: 'Scan::Address_Scan', network: { srcIp: '10.16.0.40', dstPort: 8100 } }), { index: idx });
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: the checker pod on its port towards an address outside the cluster', () => {
    const r = triageAlert(alert({ title: 'Intel::Notice', network: { srcIp: '10.16.0.15', dstIp: '203.0.113.61', dstPort: 8100 } }), { index: idx });
    expect(r.verdict.label).toBe('genuine');
  });
});

/**
 * A mesh's CNI plugin writing a new pod's redirection rules (istio-cni in sidecar mode): iptables-restore whose parent is
 * /opt/cni/bin/istio-cni, run by containerd, on a node where the istio-cni-node DaemonSet runs.
 */
describe('node-networking: a mesh CNI plugin writing pod redirection', () => {
  const M = 'ip-10-40-27-140.eu-central-1.compute.internal';
  const O = 'ip-10-40-44-8.eu-central-1.compute.internal';
  const cniDs = owner('DaemonSet', 'istio-cni-node', 'istio-system');
  const cni = pod('istio-cni-node-8fd6t', {
    namespace: 'istio-system',
    node: M,
    hostNetwork: true,
    owner: { kind: 'DaemonSet', name: 'istio-cni-node' },
    containers: [{ name: 'install-cni', image: 'docker.io/istio/install-cni:1.24.2-distroless', command: ['install-cni'], securityContext: { privileged: true } }],
  });
  const idx = indexOf([node(M, '10.40.27.140'), node(O, '10.40.44.8'), cniDs, cni, pod('calico-node-fsbs7', { namespace: 'calico-system', node: O, hostNetwork: true, owner: { kind: 'DaemonSet', name: 'calico-node' }, containers: [{ name: 'calico-node', image: 'quay.io/calico/node:v3.29.2' }] }), owner('DaemonSet', 'calico-node', 'calico-system')]);
  const restore = (host: string, plugin: string, caller: string, commandLine = 'iptables-restore --noflush --wait=30') =>
    triageAlert(alert({ host, process: { name: 'iptables-restore', path: '/usr/sbin/iptables-restore', commandLine }, ancestors: [{ name: plugin.split('/').pop(), path: plugin, commandLine: plugin }, { name: caller, path: `/usr/bin/${caller}`, commandLine: `/usr/bin/${caller}` }] }), { index: idx }).verdict;

  it('explains the rules the istio-cni plugin writes when containerd sets up a pod', () => {
    const v = restore(M, '/opt/cni/bin/istio-cni', 'containerd');
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
    expect(v.reasons[0].message).toContain('/opt/cni/bin/istio-cni, the Istio CNI node agent CNI plugin');
  });

  it('trap: the plugin name outside the CNI directory, under a shell, or on a node without istio-cni', () => {
    expect(restore(M, '/tmp/istio-cni', 'containerd').label).toBe('genuine');
    expect(restore(M, '/opt/cni/bin/istio-cni', 'bash').label).toBe('genuine');
    expect(restore(O, '/opt/cni/bin/istio-cni', 'containerd').label).toBe('genuine');
  });

  it('trap: a NAT redirect to an outside address stays genuine even from the plugin', () => {
    expect(restore(M, '/opt/cni/bin/istio-cni', 'containerd', 'iptables -t nat -A OUTPUT -p tcp -j DNAT --to-destination 203.0.113.77:6379').label).toBe('genuine');
  });
});
