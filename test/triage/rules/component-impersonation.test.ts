/**
 * Look-alikes of node components (aks-azurecni-calico scenario): a naked pod named calico-node-… in kube-system with the
 * upstream Calico image must not pass as Calico, while the operator's DaemonSet pods, static pods, pods owned by an
 * object the snapshot lacks, and application pods that merely share a word stay as they were.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { impersonatedComponent } from '../../../src/triage/rules/component-impersonation.js';
import { alert, containerIdOf, node, owner, pod, snapshot } from '../../support/cluster.js';

const N = 'aks-user-41726385-vmss000002';
const PRIV = { privileged: true };
const calicoDs = owner('DaemonSet', 'calico-node', 'calico-system');
const real = pod('calico-node-bmt4g', {
  namespace: 'calico-system',
  node: N,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'calico-node' },
  containers: [{ name: 'calico-node', image: 'mcr.microsoft.com/oss/calico/node:v3.28.2', command: ['start_runit'], securityContext: PRIV }],
});
const fake = pod('calico-node-gpsvr', {
  namespace: 'kube-system',
  node: N,
  hostNetwork: true,
  hostPID: true,
  containers: [{ name: 'calico-node', image: 'docker.io/calico/node:v3.28.2', command: ['/bin/sh', '-c', 'while true; do sleep 3600; done'], securityContext: PRIV }],
});
// kubeadm's static pods are mirrored with a Node owner. An owner reference to a custom resource's kind is unverifiable
// (red team 6: whoever creates the pod writes it, and the garbage collector leaves it be): such a pod is judged.
const staticProxy = pod('kube-proxy-bcdfg', { namespace: 'kube-system', node: N, hostNetwork: true, owner: { kind: 'Node', name: N }, containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.30.6', securityContext: PRIV }] });
const crOwned = pod('calico-node-zz9x2', { namespace: 'calico-system', node: N, hostNetwork: true, owner: { kind: 'CalicoNodeSet', name: 'calico-node' }, containers: [{ name: 'calico-node', image: 'quay.io/calico/node:v3.28.2', securityContext: PRIV }] });
// Same word, nothing else of the component: an app's naked debug pod in its own namespace.
const namesake = pod('calico-node-dbg42', { namespace: 'shop', node: N, ip: '10.224.0.140', containers: [{ name: 'tools', image: 'registry.example/netshoot:0.13' }] });
// A debugging copy (kubectl debug --copy-to) has a chosen name, not a controller's suffix.
const copy = pod('calico-node-debug', { namespace: 'calico-system', node: N, hostNetwork: true, containers: [{ name: 'calico-node', image: 'mcr.microsoft.com/oss/calico/node:v3.28.2' }] });
// A calicoctl pod (the upstream manifest creates it naked in kube-system) is not named like calico-node.
const calicoctl = pod('calicoctl', { namespace: 'kube-system', node: N, hostNetwork: true, containers: [{ name: 'calicoctl', image: 'calico/ctl:v3.28.2' }] });

const snap = snapshot([node(N, '10.224.0.128'), calicoDs, real, fake, staticProxy, crOwned, namesake, calicoctl, copy]);
const index = buildIndex([snap]);
const privileged = (p: ReturnType<typeof pod>, cmd: string) =>
  triageAlert(alert({ host: N, title: 'Launch Privileged Container', container: { id: containerIdOf(p) }, process: { name: cmd.split(' ')[0], commandLine: cmd } }), { index }).verdict;

describe('component-impersonation', () => {
  it('flags a naked calico-node pod with the Calico image, whatever its privileged entrypoint looks like', () => {
    const v = privileged(fake, 'sh -c while true; do sleep 3600; done');
    expect(v.label).toBe('genuine');
    expect(v.cause).toBe('attack');
    expect(v.reasons[0].rule).toBe('component-impersonation');
    expect(v.reasons[0].message).toContain('DaemonSet calico-system/calico-node');
  });

  it("leaves the operator's DaemonSet pod to the benign rules", () => {
    expect(impersonatedComponent(real)).toBeNull();
    expect(privileged(real, 'start_runit').label).toBe('likely-false-positive');
  });

  it('does not judge static pods, namesakes or other Calico tools; judges a pod owned only by a custom resource kind', () => {
    expect(impersonatedComponent(staticProxy)).toBeNull();
    expect(impersonatedComponent(crOwned)?.component.name).toMatch(/Calico/);
    expect(impersonatedComponent(namesake)).toBeNull();
    expect(impersonatedComponent(calicoctl)).toBeNull();
    expect(impersonatedComponent(copy)).toBeNull();
  });
});

/**
 * Look-alike images (eks-calico-ambient scenario): a naked `ztunnel-…` pod in an application namespace, on the host
 * network, running `<someone else's registry>/ztunnel` — neither Istio's image nor its namespace, but an image named
 * like Istio's. Its own entrypoint must not pass as workload baseline.
 */
describe('component-impersonation: an image named like the component', () => {
  const M = 'ip-10-40-61-95.eu-central-1.compute.internal';
  const ztunnelDs = owner('DaemonSet', 'ztunnel', 'istio-system');
  const realZtunnel = pod('ztunnel-nm4x9', {
    namespace: 'istio-system',
    node: M,
    ip: '172.26.93.200',
    owner: { kind: 'DaemonSet', name: 'ztunnel' },
    containers: [{ name: 'istio-proxy', image: 'docker.io/istio/ztunnel:1.24.2-distroless', args: ['proxy', 'ztunnel'], securityContext: { capabilities: { add: ['NET_ADMIN', 'SYS_ADMIN', 'NET_RAW'] } } }],
  });
  const lookalike = pod('ztunnel-k7x2p', {
    namespace: 'ledger',
    node: M,
    hostNetwork: true,
    containers: [{ name: 'istio-proxy', image: 'ghcr.io/istio-release-mirror/ztunnel:1.24.2', args: ['proxy', 'ztunnel'], securityContext: { capabilities: { add: ['NET_ADMIN', 'SYS_ADMIN', 'NET_RAW'] } } }],
  });
  // Trap: a naked pod that shares the word but runs an image of another name stays a namesake.
  const exporter = pod('ztunnel-bcdfg', { namespace: 'ledger', node: M, ip: '172.26.93.230', containers: [{ name: 'exporter', image: 'registry.example/ztunnel-exporter:0.3' }] });
  const idx = buildIndex([snapshot([node(M, '10.40.61.95'), ztunnelDs, realZtunnel, lookalike, exporter])]);
  const launched = (p: ReturnType<typeof pod>) =>
    triageAlert(alert({ host: M, title: 'Launch Excessively Capable Container', container: { id: containerIdOf(p) }, process: { name: 'ztunnel', commandLine: 'ztunnel proxy ztunnel' } }), { index: idx }).verdict;

  it('flags the look-alike image in the application namespace although it runs its own entrypoint', () => {
    const v = launched(lookalike);
    expect(v.label).toBe('genuine');
    expect(v.cause).toBe('attack');
    expect(v.reasons[0].rule).toBe('component-impersonation');
    expect(v.reasons[0].message).toContain('an image named like its own (ghcr.io/istio-release-mirror/ztunnel:1.24.2');
  });

  it("leaves the DaemonSet's ztunnel and a namesake with another image alone", () => {
    expect(impersonatedComponent(realZtunnel)).toBeNull();
    expect(impersonatedComponent(exporter)).toBeNull();
  });
});

/**
 * Presenting as the component (talos-cilium-kpr scenario): a naked pod in an application namespace and a static pod
 * dropped on a worker, both with container cilium-agent, label k8s-app=cilium and an image named like Cilium's from
 * another registry. Neither has a Cilium-like pod name; their privileged entrypoints must not pass as privileged-root.
 */
describe('component-impersonation: a naked or static pod presenting itself as the component', () => {
  const W = 'mfg-w-03';
  const PRIV_CILIUM = { privileged: true };
  const ciliumDs = owner('DaemonSet', 'cilium', 'kube-system');
  const realAgent = pod('cilium-dcrdd', {
    namespace: 'kube-system',
    node: W,
    hostNetwork: true,
    labels: { 'k8s-app': 'cilium' },
    owner: { kind: 'DaemonSet', name: 'cilium' },
    containers: [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.16.4', command: ['cilium-agent'], args: ['--config-dir=/tmp/cilium/config-map'] }],
  });
  const naked = pod('cilium-health-probe', {
    namespace: 'plant-edge',
    node: W,
    hostNetwork: true,
    hostPID: true,
    labels: { 'k8s-app': 'cilium' },
    containers: [{ name: 'cilium-agent', image: 'ghcr.io/cilium-mirror/cilium:v1.16.4', command: ['sleep', 'infinity'], securityContext: PRIV_CILIUM }],
  });
  const dropped = pod('cilium-monitor-mfg-w-03', {
    namespace: 'kube-system',
    node: W,
    hostNetwork: true,
    hostPID: true,
    owner: { kind: 'Node', name: W },
    containers: [{ name: 'cilium-agent', image: 'ghcr.io/cilium-mirror/cilium:v1.16.4', command: ['/bin/sh', '-c', 'while true; do sleep 3600; done'], securityContext: PRIV_CILIUM }],
  });
  // Traps: the DaemonSet's pod pulled through a flattened private mirror is owned; a control-plane static pod runs its own
  // image; a naked debug pod with Cilium's real image is someone's tool, not a look-alike; an app's naked pod whose
  // container and image share a generic word with an agent's daemon presents as nothing.
  const mirrored = pod('cilium-x2kq9', {
    namespace: 'kube-system',
    node: W,
    hostNetwork: true,
    labels: { 'k8s-app': 'cilium' },
    owner: { kind: 'DaemonSet', name: 'cilium' },
    containers: [{ name: 'cilium-agent', image: 'harbor.corp.example/mirror/cilium:v1.16.4', command: ['cilium-agent'] }],
  });
  const apiserver = pod('kube-apiserver-mfg-cp-01', {
    namespace: 'kube-system',
    node: W,
    hostNetwork: true,
    owner: { kind: 'Node', name: W },
    containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.31.2', command: ['/usr/local/bin/kube-apiserver'] }],
  });
  const realImageTool = pod('cilium-dbg', {
    namespace: 'ops-debug',
    node: W,
    hostNetwork: true,
    containers: [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.16.4', command: ['sleep', '3600'] }],
  });
  const generic = pod('report-agent', { namespace: 'plant-mes', node: W, ip: '10.244.5.90', containers: [{ name: 'agent', image: 'registry.example/plant/agent:1.0' }] });
  const idx = buildIndex([snapshot([node(W, '172.22.10.23'), ciliumDs, realAgent, naked, dropped, mirrored, apiserver, realImageTool, generic])]);
  const launched = (p: ReturnType<typeof pod>, cmd: string) =>
    triageAlert(alert({ host: W, title: 'Launch Privileged Container', container: { id: containerIdOf(p) }, process: { name: cmd.split(' ')[0], commandLine: cmd } }), { index: idx }).verdict;

  it('flags the naked pod with the look-alike image and the Cilium agent container name and label', () => {
    const v = launched(naked, 'sleep infinity');
    expect(v.label).toBe('genuine');
    expect(v.cause).toBe('attack');
    expect(v.reasons[0].rule).toBe('component-impersonation');
    expect(v.reasons[0].message).toContain('container cilium-agent, label k8s-app=cilium');
    expect(v.reasons[0].message).toContain('a naked pod');
  });

  it('flags the static pod dropped on a worker with the look-alike image', () => {
    const v = launched(dropped, '/bin/sh -c while true; do sleep 3600; done');
    expect(v.label).toBe('genuine');
    expect(v.reasons[0].rule).toBe('component-impersonation');
    expect(v.reasons[0].message).toContain('a static pod (the mirror of a manifest on mfg-w-03)');
  });

  it("leaves the DaemonSet's pods (even from a mirror), control-plane static pods, the real image in a tool pod and generic names alone", () => {
    for (const p of [realAgent, mirrored, apiserver, realImageTool, generic]) expect(impersonatedComponent(p)).toBeNull();
  });
});
