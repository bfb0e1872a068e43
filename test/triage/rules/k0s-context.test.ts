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

describe('an EDR agent DaemonSet scanning the host (SentinelOne, Cortex XDR)', () => {
  const S1_IMAGE = 'containers.sentinelone.net/cws-agent/s1agent:24.2.2-ga';
  const agent = (name: string, namespace: string, ownerName: string | undefined, image = S1_IMAGE) =>
    pod(name, {
      namespace,
      node: W1,
      hostNetwork: true,
      hostPID: true,
      owner: ownerName ? { kind: 'DaemonSet', name: ownerName } : undefined,
      containers: [{ name: 's1-agent', image, securityContext: { privileged: true, runAsUser: 0 }, volumeMounts: [{ name: 'host-root', mountPath: '/host', readOnly: true }] }],
      volumes: [{ name: 'host-root', hostPath: { path: '/' } }],
    });
  const s1 = agent('s1-agent-qnslr', 'sentinelone', 's1-agent');
  const naked = agent('s1-debug', 'default', undefined);
  const falco = agent('falco-8x2kd', 'falco', 'falco', 'docker.io/falcosecurity/falco:0.41.3');
  const objects = [node(W1, '10.50.1.21'), owner('DaemonSet', 's1-agent', 'sentinelone'), owner('DaemonSet', 'falco', 'falco'), s1, naked, falco];
  const AGENT: ProcessInfo = { name: 'sentinelone-age', path: '/opt/sentinelone/bin/sentinelone-agent', commandLine: 'sentinelone-age' };
  const read = (p: ReturnType<typeof pod>, proc: ProcessInfo = AGENT, title = 'Read sensitive file untrusted', file: string | undefined = '/proc/1/root/etc/shadow') => {
    const a = alert({ host: W1, time: T('03:30:12'), title, process: proc, ancestors: [{ name: 's1-orchestrator', commandLine: 's1-orchestrator --agent' }], file, container: { id: containerIdOf(p), namespace: p.metadata.namespace, pod: p.metadata.name, name: 's1-agent', image: p.spec.containers[0].image } });
    return a;
  };
  const verdictIn = (a: ReturnType<typeof alert>, sessions: Parameters<typeof snapshot>[1] = []) => triageAlert(a, { index: buildIndex([snapshot(objects, sessions)]) }).verdict;

  it("the agent's own daemon reading /etc/shadow through the host's PID 1 root, or another process's memory: privileged-root", () => {
    expect(verdictIn(read(s1))).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
    expect(verdictIn(read(s1, AGENT, 'Process memory read by an unsigned process', undefined))).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });
  it('trap: cat of the same file in the agent pod', () => {
    expect(verdictIn(read(s1, { name: 'cat', path: '/usr/bin/cat', commandLine: 'cat /proc/1/root/etc/shadow' })).label).toBe('genuine');
  });
  it('trap: while a kubectl exec session is open in the agent pod', () => {
    const session = { kind: 'exec' as const, user: 'mallory', groups: [], sourceIps: ['10.50.9.99'], namespace: 'sentinelone', pod: s1.metadata.name, container: 's1-agent', command: ['sh'], tty: true, start: T('03:29:00'), end: T('03:35:00'), code: 101 };
    expect(verdictIn(read(s1), [session]).label).toBe('genuine');
  });
  it("trap: the agent's image as a naked pod in default, and a monitoring agent that does not scan host files (Falco)", () => {
    expect(verdictIn(read(naked)).label).toBe('genuine');
    expect(verdictIn(read(falco, { name: 'falco', path: '/usr/bin/falco', commandLine: '/usr/bin/falco' })).label).toBe('genuine');
  });
});
