/**
 * Pods the audit log knows and the snapshot no longer holds: a finished CI job's pod deleted by its executor, the
 * pods of a node Karpenter or the cluster autoscaler removed. Their creation (Request level) says what they were;
 * looked up by namespace/name through maps built once per index, never by scanning the log per alert.
 */
import type { AuditActivity, ClusterIndex } from '../cluster/model.js';
import { commandMatches } from './correlate.js';

/** The sensor's clock against the API server's. */
const SKEW_MS = 60_000;

interface Lifecycle {
  byName: Map<string, AuditActivity[]>;
  /** Creations with a spec summary, by namespace and image (`namespace\0image`). */
  createdByImage: Map<string, AuditActivity[]>;
  /** Creations of pods pinned to a node (DaemonSet pods), by the node's short host name. */
  createdByNode: Map<string, AuditActivity[]>;
}
const lifecycles = new WeakMap<ClusterIndex, Lifecycle>();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function lifecycleOf(index: ClusterIndex): Lifecycle {
  let l = lifecycles.get(index);
  if (l) return l;
  l = { byName: new Map(), createdByImage: new Map(), createdByNode: new Map() };
  for (const a of index.auditActivities) {
    if (a.resource !== 'pods' || a.subresource || !a.namespace || !a.name || (a.verb !== 'create' && a.verb !== 'delete') || (a.code !== undefined && a.code >= 300)) continue;
    push(l.byName, `${a.namespace}/${a.name}`, a);
    if (a.verb === 'create' && a.podSpec) for (const image of new Set(a.podSpec.images ?? [])) push(l.createdByImage, `${a.namespace}\0${image}`, a);
    if (a.verb === 'create' && a.podSpec?.nodeName) push(l.createdByNode, shortHost(a.podSpec.nodeName), a);
  }
  lifecycles.set(index, l);
  return l;
}

/**
 * The audit log's creation of pod namespace/name when that pod existed at `time` (created before it, not deleted
 * before it) and the snapshot does not hold it; undefined otherwise.
 */
export function gonePodAt(index: ClusterIndex, namespace: string, name: string, time: string | null): AuditActivity | undefined {
  const t = Date.parse(time ?? '');
  if (Number.isNaN(t) || index.auditActivities.length === 0 || index.podByName(namespace, name)) return undefined;
  let created: AuditActivity | undefined;
  let deleted = -Infinity;
  for (const a of lifecycleOf(index).byName.get(`${namespace}/${name}`) ?? []) {
    const at = Date.parse(a.time);
    if (a.verb === 'create' && a.podSpec && at <= t + SKEW_MS && (!created || at >= Date.parse(created.time))) created = a;
    if (a.verb === 'delete' && at < t - SKEW_MS) deleted = Math.max(deleted, at);
  }
  return created && deleted < Date.parse(created.time) ? created : undefined;
}

/** Gone pods of a namespace that ran `image` at `time` (for sensors that give namespace and image but no pod name). */
export function gonePodsWithImage(index: ClusterIndex, namespace: string, image: string, time: string | null): AuditActivity[] {
  return (lifecycleOf(index).createdByImage.get(`${namespace}\0${image}`) ?? []).filter((a) => gonePodAt(index, namespace, a.name!, time) === a);
}

/** The last creation of pod namespace/name the audit log recorded at or before `time` (alive or not, in the snapshot or not). */
export function podCreationBefore(index: ClusterIndex, namespace: string, name: string, time: string): AuditActivity | undefined {
  const t = Date.parse(time);
  let created: AuditActivity | undefined;
  for (const a of lifecycleOf(index).byName.get(`${namespace}/${name}`) ?? []) {
    const at = Date.parse(a.time);
    if (a.verb === 'create' && a.podSpec && at <= t + SKEW_MS && (!created || at >= Date.parse(created.time))) created = a;
  }
  return created;
}

function shortHost(name: string): string {
  return name.toLowerCase().split('.')[0];
}

/** `ip-10-0-1-2` matches node `ip-10-0-1-2.eu-west-1.compute.internal` and the other way round. */
function sameHost(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase() || shortHost(a) === shortHost(b);
}

/**
 * Gone pods pinned to the node `host` (DaemonSet pods) and alive at `time`: what the audit log remembers of a node
 * removed before the snapshot. Empty when the snapshot still has a node of that name.
 */
export function gonePodsPinnedTo(index: ClusterIndex, host: string, time: string | null): AuditActivity[] {
  if (index.auditActivities.length === 0 || index.findNode(host)) return [];
  return (lifecycleOf(index).createdByNode.get(shortHost(host)) ?? []).filter((a) => gonePodAt(index, a.namespace!, a.name!, time) === a);
}

/**
 * For sensors that give namespace and image but no pod name: the one gone pod of that namespace and image, pinned to
 * the alert's host (a DaemonSet pod's node affinity), alive at the time; undefined when none or several.
 */
export function gonePinnedPod(index: ClusterIndex, namespace: string, image: string, host: string, time: string | null): AuditActivity | undefined {
  if (index.auditActivities.length === 0) return undefined;
  const found = (lifecycleOf(index).createdByNode.get(shortHost(host)) ?? []).filter(
    (a) => a.namespace === namespace && sameHost(a.podSpec!.nodeName!, host) && (a.podSpec!.images ?? []).includes(image) && gonePodAt(index, namespace, a.name!, time) === a,
  );
  return found.length === 1 ? found[0] : undefined;
}

/**
 * For node sensors (a host process, no container, no namespace) on a host the snapshot no longer has: the one gone pod
 * pinned to that host, alive at the time, whose recorded container command is run by the process or one of its two
 * nearest ancestors (`names`: their executable base names, nearest first); undefined when none or several.
 */
export function goneHostPodRunning(index: ClusterIndex, host: string, time: string | null, names: readonly (readonly string[])[]): AuditActivity | undefined {
  const found = gonePodsPinnedTo(index, host, time).filter((a) => {
    const programs = (a.podSpec?.commands ?? []).map((c) => c[0]?.split('/').pop()?.toLowerCase()).filter((x): x is string => !!x);
    return programs.length > 0 && names.some((n) => n.some((x) => programs.includes(x)));
  });
  return found.length === 1 ? found[0] : undefined;
}

/**
 * For node sensors (a host process, no container) on a node the snapshot still has: the one pod pinned to that node
 * by its creation (spec.nodeName: a provisioner's helper pod, a node-local job) that is gone from the snapshot, was
 * alive at the time and deleted since (the audit log shows the deletion), and whose recorded container command is exactly the command line of the process or one of its two
 * nearest ancestors (`lines`, nearest first). Undefined when none or several.
 */
export function goneNodePodRunning(index: ClusterIndex, nodeName: string, time: string | null, lines: readonly (string | undefined)[]): AuditActivity | undefined {
  if (index.auditActivities.length === 0) return undefined;
  const commandLines = lines.filter((l): l is string => !!l);
  if (commandLines.length === 0) return undefined;
  const found = (lifecycleOf(index).createdByNode.get(shortHost(nodeName)) ?? []).filter(
    (a) =>
      sameHost(a.podSpec!.nodeName!, nodeName) &&
      (a.podSpec?.commands ?? []).some((argv) => commandLines.some((line) => commandMatches(line, argv))) &&
      gonePodAt(index, a.namespace!, a.name!, time) === a &&
      deletedSince(index, a, time),
  );
  return found.length === 1 ? found[0] : undefined;
}

/** The audit log shows the pod deleted at or after `time`: on a live node, a pod missing without that is not known gone. */
function deletedSince(index: ClusterIndex, created: AuditActivity, time: string | null): boolean {
  const t = Date.parse(time ?? '');
  if (Number.isNaN(t)) return false;
  return (lifecycleOf(index).byName.get(`${created.namespace}/${created.name}`) ?? []).some(
    (a) => a.verb === 'delete' && Date.parse(a.time) >= Math.max(t - SKEW_MS, Date.parse(created.time)),
  );
}
