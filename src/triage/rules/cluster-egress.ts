/**
 * The cluster's own way out to its API server. A public API endpoint (AKS and GKE without private endpoints, EKS with
 * a public endpoint and no VPC route) sees every in-cluster client — kubelets, controllers, pods — from the outbound
 * NAT address of the cluster, not from pod or node addresses. The audit log shows that address: tokens bound to pods
 * running on different nodes all call the API server from it, and so do the kubelets (their Secret and ConfigMap
 * reads). A thief replaying stolen pod tokens from outside can make their address look shared by pods on several
 * nodes, but has no kubelet's credential to add to it: both are required.
 */
import { identityKind, serviceAccountOf } from '../../cluster/audit-identities.js';
import type { ClusterIndex } from '../../cluster/model.js';

const cache = new WeakMap<ClusterIndex, Map<string, number>>();

/**
 * Public source addresses used by bound tokens of pods on at least two nodes and by a kubelet, with the number of
 * those pods' nodes.
 */
export function clusterEgressAddresses(index: ClusterIndex): Map<string, number> {
  const known = cache.get(index);
  if (known) return known;
  const nodesByAddress = new Map<string, Set<string>>();
  const kubeletAddresses = new Set<string>();
  const note = (user: string, pod: string | undefined, ips: string[]) => {
    const sa = pod ? serviceAccountOf(user) : undefined;
    const node = sa ? index.podByName(sa.namespace, pod!)?.spec.nodeName : undefined;
    if (!node) return;
    for (const ip of ips) {
      let nodes = nodesByAddress.get(ip);
      if (!nodes) nodesByAddress.set(ip, (nodes = new Set()));
      nodes.add(node);
    }
  };
  // Routine requests only: the sessions are what gets judged, and must not vouch for their own address.
  for (const a of index.auditActivities) {
    if (identityKind(a.user, a.groups) === 'node') for (const ip of a.sourceIps) kubeletAddresses.add(ip);
    else note(a.user, a.tokenBoundPod, a.sourceIps);
  }
  const egress = new Map<string, number>();
  for (const [ip, nodes] of nodesByAddress) if (nodes.size >= 2 && kubeletAddresses.has(ip)) egress.set(ip, nodes.size);
  cache.set(index, egress);
  return egress;
}

/** A sentence fragment for an address the cluster's own clients use, or undefined. */
export function describeEgress(index: ClusterIndex, ip: string): string | undefined {
  const nodes = clusterEgressAddresses(index).get(ip);
  return nodes ? `${ip}, the cluster's own outbound address to the API server (its kubelets and tokens bound to pods on ${nodes} nodes call it from there)` : undefined;
}
