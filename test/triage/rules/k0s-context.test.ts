/**
 * Context found in the k0s-kuberouter-baremetal validation scenario, as rule tables: k0s' own builds of its system
 * components, kube-router's CNI plugins run by k0s' containerd — with the traps each must not fall into.
 */
import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, node, owner, pod, snapshot } from '../../support/cluster.js';

const W1 = 'hel1-wrk-01';
const W2 = 'hel1-wrk-02';
const T = (hms: string) => `2027-03-16T${hms}.000Z`;
const K0S_CONTAINERD: ProcessInfo = {
  name: 'containerd',
  path: '/var/lib/k0s/bin/containerd',
  commandLine: '/var/lib/k0s/bin/containerd --root=/var/lib/k0s/containerd --state=/run/k0s/containerd --address=/run/k0s/containerd.sock --config=/etc/k0s/containerd.toml',
};
const KR_ARGS = ['--run-router=true', '--run-firewall=true', '--run-service-proxy=false', '--bgp-graceful-restart=true'];

function kubeRouter(name: string, nodeName: string, image: string, namespace = 'kube-system', ownerName = 'kube-router') {
  return pod(name, {
    namespace,
    node: nodeName,
    hostNetwork: true,
    owner: { kind: 'DaemonSet', name: ownerName },
    containers: [{ name: 'kube-router', image, args: KR_ARGS, securityContext: { privileged: true } }],
  });
}
const kr1 = kubeRouter('kube-router-m7tqj', W1, 'quay.io/k0sproject/kube-router:v2.2.1-iptables1.8.9-0');
const ciPod = pod('runner-abc-project-42-concurrent-0-k2m8fqzl', { namespace: 'gitlab-ci', node: W1, ip: '10.244.0.41', created: T('08:12:02'), containers: [{ name: 'build', image: 'docker:27.3.1' }] });
const index = buildIndex([
  snapshot([node(W1, '10.50.1.21'), node(W2, '10.50.1.22'), owner('DaemonSet', 'kube-router', 'kube-system'), kr1, ciPod]),
]);
const verdict = (a: ReturnType<typeof alert>) => triageAlert(a, { index }).verdict;
const DAEMON: ProcessInfo = { name: 'kube-router', path: '/usr/local/bin/kube-router', commandLine: `/usr/local/bin/kube-router ${KR_ARGS.join(' ')}` };
const inKubeRouter = (p: ReturnType<typeof pod>, host: string, cmd: string, parent: ProcessInfo = DAEMON) =>
  alert({
    host,
    time: T('02:20:15'),
    process: { name: cmd.split(' ')[0], commandLine: cmd },
    ancestors: [parent],
    container: { id: containerIdOf(p), namespace: p.metadata.namespace, pod: p.metadata.name, name: 'kube-router', image: p.spec.containers[0].image },
  });
const cniPlugin = (host: string, time: string, path: string, parent: ProcessInfo = K0S_CONTAINERD) =>
  alert({ host, time: T(time), process: { name: path.split('/').pop(), path, commandLine: path }, ancestors: [parent], file: '/proc/sys/net/ipv4/ip_forward' });

describe("k0s' build of kube-router (quay.io/k0sproject/kube-router)", () => {
  it('ipset restore by the kube-router daemon of the kube-system DaemonSet is node networking', () => {
    expect(verdict(inKubeRouter(kr1, W1, 'ipset restore -exist'))).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: ipset typed into an interactive shell in the kube-router container, not run by its daemon', () => {
    expect(verdict(inKubeRouter(kr1, W1, 'ipset destroy', { name: 'sh', path: '/bin/busybox', commandLine: 'sh' })).label).toBe('genuine');
  });
});

describe("kube-router's CNI plugins run by k0s' containerd", () => {
  it('the bridge plugin from /opt/cni/bin, child of /var/lib/k0s/bin/containerd, as a pod sandbox is set up', () => {
    const v = verdict(cniPlugin(W1, '08:12:05', '/opt/cni/bin/bridge'));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
    expect(v.reasons.map((r) => r.message).join(' ')).toMatch(/kube-router/);
  });
  it('trap: a "bridge" binary outside the CNI directory', () => {
    expect(verdict(cniPlugin(W1, '08:12:05', '/tmp/.x/bridge')).label).toBe('genuine');
  });
  it('trap: the CNI plugin started from a shell, not by the runtime', () => {
    expect(verdict(cniPlugin(W1, '08:12:05', '/opt/cni/bin/bridge', { name: 'bash', path: '/usr/bin/bash', commandLine: 'bash' })).label).toBe('genuine');
  });
  it('trap: a node where no kube-router pod of the CNI runs', () => {
    expect(verdict(cniPlugin(W2, '08:12:05', '/opt/cni/bin/bridge')).label).toBe('genuine');
  });
});
