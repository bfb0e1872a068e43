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
// kubeadm's static pods are mirrored with a Node owner; an operator's custom resource may own pods the snapshot lacks.
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

  it('does not judge static pods, pods owned by objects the snapshot lacks, namesakes or other Calico tools', () => {
    expect(impersonatedComponent(staticProxy)).toBeNull();
    expect(impersonatedComponent(crOwned)).toBeNull();
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
