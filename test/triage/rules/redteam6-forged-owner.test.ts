/**
 * Red-team 6: ownerReferences are whatever the pod's creator writes. One to a built-in controller the cluster does not
 * have is garbage-collected within moments, but one to a custom resource's kind is not (the collector cannot resolve
 * it), and no snapshot holds custom resources. A hand-made privileged pod in calico-system, named calico-node-q8w7z,
 * running calico/node with `ownerReferences: [{kind: Installation, name: calico-node}]`, was not naked (so
 * component-impersonation stayed silent) and its owner's name made it calico-node (strong): its NAT rewrite was node
 * networking. Fix (support, component-impersonation): an owner that is neither in the snapshot nor a built-in
 * controller lends no name to the pod's component identity and does not make it a controlled pod.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'node-a';
const calicoPod = (name: string, o: { kind: string; name: string }) =>
  pod(name, {
    namespace: 'calico-system',
    node: N,
    hostNetwork: true,
    owner: o,
    created: '2026-11-20T08:50:00Z',
    containers: [{ name: 'calico-node', image: 'docker.io/calico/node:v3.28.0', securityContext: { privileged: true } }],
  });
const real = calicoPod('calico-node-x1y2z', { kind: 'DaemonSet', name: 'calico-node' });
const NAT = { name: 'iptables', path: '/usr/sbin/iptables', commandLine: 'iptables -t nat -I PREROUTING -p tcp --dport 5432 -j DNAT --to-destination 10.1.0.99:5432' };

function nat(p: ReturnType<typeof calicoPod>) {
  const index = indexOf([node(N, '10.0.1.11'), owner('DaemonSet', 'calico-node', 'calico-system'), real, ...(p === real ? [] : [p])]);
  return triageAlert(
    alert({ host: N, time: '2026-11-20T09:01:00.000Z', title: 'iptables rule modified', container: { id: containerIdOf(p), name: 'calico-node', pod: p.metadata.name, namespace: 'calico-system' }, process: NAT, ancestors: [{ name: 'calico-node', path: '/usr/bin/calico-node' }] }),
    { index },
  ).verdict;
}

describe('redteam6 a pod owned by a custom resource kind its creator wrote', () => {
  it("still explained: calico-node's own DaemonSet pod", () => {
    expect(nat(real)).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: the same image and namespace with an owner reference to a custom resource named calico-node, or to Installation default', () => {
    for (const o of [{ kind: 'Installation', name: 'calico-node' }, { kind: 'Installation', name: 'default' }]) {
      const v = nat(calicoPod('calico-node-q8w7z', o));
      expect(v.label, o.name).toBe('genuine');
      expect(v.reasons.some((r) => r.rule === 'component-impersonation'), o.name).toBe(true);
    }
  });
});
