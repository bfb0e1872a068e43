/**
 * A service-account token bound to a pod (`authentication.kubernetes.io/pod-name`) used from an address no pod of the
 * snapshot holds: a replayed token — unless the bound pod itself is gone. CI build pods, workflow steps and Job pods are
 * deleted minutes after they ran; the audit log still shows the bound pod created before the request and not yet
 * deleted, and the address lies in the pod network (where no node address is). Then the address was most likely that
 * pod's own, and saying "neither a node nor a pod" would be wrong.
 */
import type { ClusterIndex } from '../../cluster/model.js';
import { podLifecycle } from './deleted-pod.js';

const SKEW_MS = 60_000;

/** The bound pod, absent from the snapshot, was alive at `at` according to the audit log. */
export function deletedBoundPodAlive(index: ClusterIndex, namespace: string, name: string, at: string): { created: string; deleted?: string } | undefined {
  if (index.podByName(namespace, name)) return undefined;
  const t = Date.parse(at);
  let created: string | undefined;
  let deleted: string | undefined;
  for (const a of podLifecycle(index, namespace, name)) {
    if (a.code !== undefined && a.code >= 300) continue;
    const when = Date.parse(a.time);
    if (a.verb === 'create' && when <= t + SKEW_MS && (!created || when >= Date.parse(created))) created = a.time;
  }
  if (!created) return undefined;
  for (const a of podLifecycle(index, namespace, name)) {
    if (a.verb !== 'delete' || (a.code !== undefined && a.code >= 300)) continue;
    const when = Date.parse(a.time);
    if (when < Date.parse(created)) continue;
    if (when < t - SKEW_MS) return undefined;
    if (!deleted || when < Date.parse(deleted)) deleted = a.time;
  }
  return { created, deleted };
}

/** IPv4 /16 prefixes holding pod addresses and none of the nodes' addresses, worked out once per index. */
const prefixesByIndex = new WeakMap<ClusterIndex, Set<string>>();
function prefix16(ip: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(ip);
  return m ? `${m[1]}.${m[2]}` : undefined;
}
function podPrefixes(index: ClusterIndex): Set<string> {
  let set = prefixesByIndex.get(index);
  if (set) return set;
  const pods = new Set<string>();
  const nodes = new Set<string>();
  for (const node of index.nodes) {
    for (const a of (node.status as { addresses?: { address?: string }[] } | undefined)?.addresses ?? []) {
      const p = a.address ? prefix16(a.address) : undefined;
      if (p) nodes.add(p);
    }
  }
  for (const node of index.nodes) {
    for (const pod of index.podsOnNode(node.metadata.name)) {
      if (pod.spec.hostNetwork) continue;
      const ip = (pod.status as { podIP?: string } | undefined)?.podIP;
      const p = ip ? prefix16(ip) : undefined;
      if (p && !nodes.has(p)) pods.add(p);
    }
  }
  set = pods;
  prefixesByIndex.set(index, set);
  return set;
}

/** The address lies in the cluster's pod network (a /16 where pods, and no nodes, have addresses). */
export function inPodNetwork(index: ClusterIndex, ip: string): boolean {
  const p = prefix16(ip);
  return !!p && podPrefixes(index).has(p);
}
