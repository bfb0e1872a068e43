/**
 * The ClusterIndex: built once from one or more snapshots, then every lookup the triage rules make is a hash-map
 * probe. Objects of the same cluster seen in several snapshots are merged (the newest snapshot's copy wins);
 * different clusters stay apart and lookups search all of them.
 */
import { vmPerPodPlatform } from '../knowledge/vm-per-pod.js';
import { isIPv6 } from 'node:net';
import { MIN_CONTAINER_ID_PREFIX, normalizeContainerId, normalizePodUid, parseCgroupPath } from './ids.js';
import {
  RESOURCE_KINDS,
  type AuditActivity,
  type ClusterIndex,
  type ClusterSnapshot,
  type ContainerRef,
  type ContainerSpec,
  type ContainerStatus,
  type ExecSession,
  type KubeObject,
  type Node,
  type Pod,
  type ResourceKind,
  type SnapshotGap,
  type WorkloadRef,
} from './model.js';

type OwnerReference = NonNullable<KubeObject['metadata']['ownerReferences']>[number];
type ListKind = Parameters<ClusterIndex['list']>[0];

/** Annotations under which the kubelet's own UID of a static pod (used in its cgroup path) is published. */
const STATIC_POD_UID_ANNOTATIONS = ['kubernetes.io/config.hash', 'kubernetes.io/config.mirror'];
/** Kinds of ownerReference that are not workloads (a static pod's mirror is owned by its Node). */
const NON_WORKLOAD_OWNERS = new Set(['Node']);
const MAX_OWNER_DEPTH = 8;
const NO_OWNERS: WorkloadRef[] = [];
const MAX_SHARED_CHAIN_ENTRIES = 8;
/** How long after its containers finished a pod's IP may still be seen on the wire (sandbox teardown). */
const IP_RELEASE_GRACE_MS = 30_000;

/** Identity of an object inside one cluster: the UID when present, else kind/namespace/name. */
export function objectKey(obj: KubeObject): string {
  return obj.metadata.uid ? `uid:${obj.metadata.uid}` : `${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

function lower(s: string): string {
  return /[A-Z\s]/.test(s) ? s.trim().toLowerCase() : s;
}

function timeMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

const PLAIN_IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** PLAIN_IPV4 without a regular expression (this runs for every pod's addresses). */
function isPlainIpv4(s: string): boolean {
  const n = s.length;
  if (n < 7 || n > 15) return false;
  let dots = 0;
  let digits = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return false;
    } else if (c === 46 && digits > 0) {
      dots++;
      digits = 0;
    } else return false;
  }
  return dots === 3 && digits > 0;
}

/** A pod UID exactly as the API writes it (lower-case hex, dashes at 8-13-18-23): normalizePodUid's answer for it. */
function isApiPodUid(s: string): boolean {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

function podUidKey(raw: unknown): string | undefined {
  return typeof raw === 'string' && isApiPodUid(raw) ? raw : normalizePodUid(raw as string | undefined);
}

/** Canonical text of an IP: lower-case, no brackets, no IPv6 zone, IPv4-mapped IPv6 reduced to IPv4. */
export function normalizeIp(raw: string): string {
  if (isPlainIpv4(raw)) return raw;
  let ip = lower(raw);
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  const zone = ip.indexOf('%');
  if (zone >= 0) ip = ip.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (mapped) return mapped[1];
  // Every IPv6 address has a colon; node:net's IPv6 pattern is large to compile (a start-up with host names pays it).
  if (ip.includes(':') && isIPv6(ip)) {
    // One spelling per address (RFC 5952): fd00:0:0::7 and fd00::7 are the same pod.
    try {
      return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
    } catch {
      return ip;
    }
  }
  return ip;
}

function looksLikeIp(s: string): boolean {
  return PLAIN_IPV4.test(s) || (s.includes(':') && /^[0-9a-f:.]+$/.test(s));
}

/** First DNS label of a host name; undefined for IPs and single-label names. */
function shortHostname(name: string): string | undefined {
  if (looksLikeIp(name)) return undefined;
  const dot = name.indexOf('.');
  return dot > 0 ? name.slice(0, dot) : undefined;
}

/**
 * Cloud instance names a providerID stands for: `aws:///zone/i-0abc` → i-0abc, `gce://project/zone/name` → name,
 * Azure VMSS `…/virtualMachineScaleSets/<ss>/virtualMachines/<n>` → `<ss>_<n>` and the computer name `<ss>` + base-36 n
 * padded to 6, any other scheme → its last segment.
 */
export function instanceIdsOfProviderId(providerId: string): string[] {
  const id = lower(providerId);
  const path = /^[a-z][a-z0-9+.-]*:\/\/(.*)$/.exec(id)?.[1] ?? id;
  const vmss = /\/virtualmachinescalesets\/([^/]+)\/virtualmachines\/(\d+)$/.exec(path);
  if (vmss) return [`${vmss[1]}_${vmss[2]}`, `${vmss[1]}${Number(vmss[2]).toString(36).padStart(6, '0')}`];
  const last = path.split('/').filter((s) => s !== '').pop();
  return last ? [last] : [];
}

/** When a pod held its IP: from creation to deletion, or to its containers' finish when it ran to completion. */
interface IpLease {
  start: number;
  end: number;
  /** Pod finished (Succeeded/Failed) or is being deleted: it does not hold the IP "now". */
  over: boolean;
}

function leaseOf(pod: Pod, goneBy: number | undefined): IpLease {
  const status = pod.status;
  const start = timeMs(pod.metadata.creationTimestamp) ?? timeMs(status?.startTime) ?? -Infinity;
  const finished = status?.phase === 'Succeeded' || status?.phase === 'Failed';
  let end = Infinity;
  if (finished) {
    let last = -Infinity;
    for (const { statuses } of containerListsOf(pod)) {
      for (const cs of statuses ?? []) last = Math.max(last, timeMs(cs?.state?.terminated?.finishedAt) ?? -Infinity);
    }
    if (Number.isFinite(last)) end = last + IP_RELEASE_GRACE_MS;
  }
  const deletion = timeMs(pod.metadata.deletionTimestamp);
  if (deletion !== undefined) end = Math.min(end, deletion);
  if (goneBy !== undefined) end = Math.min(end, goneBy);
  return { start, end, over: finished || deletion !== undefined || goneBy !== undefined };
}

/**
 * The normalized id of a container id as the API stores it (`<runtime>://<hex>`), when it matches `wanted` (normalized,
 * 12+ hex) by prefix either way. Compares in place; only a match is copied.
 */
function storedIdMatching(raw: unknown, wanted: string): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const scheme = raw.indexOf('://');
  const offset = scheme >= 0 ? scheme + 3 : 0;
  const length = raw.length - offset;
  const matches = length >= wanted.length ? raw.startsWith(wanted, offset) : wanted.startsWith(raw.slice(offset));
  if (matches) return normalizeContainerId(raw);
  if (startsWithLowerHex(raw, offset)) return undefined;
  // Not in the API's form (upper case, blanks, decorations): compare normalized.
  const id = normalizeContainerId(raw);
  return id && (id.startsWith(wanted) || wanted.startsWith(id)) ? id : undefined;
}

/** Whether the 12 characters at `offset` are lower-case hex, as in every id the API writes. */
function startsWithLowerHex(raw: string, offset: number): boolean {
  if (raw.length < offset + MIN_CONTAINER_ID_PREFIX) return false;
  for (let i = offset; i < offset + MIN_CONTAINER_ID_PREFIX; i++) {
    const c = raw.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

const NODE_REF_MEMO_ENTRIES = 16_384;
const CONTAINER_ID_MEMO_ENTRIES = 16_384;
const MAX_NODE_REF_MEMO_CHARS = 256;

/**
 * A copy of a text sharing no storage with the string it came from: a reader may cut alert fields out of a megabyte
 * of input, which a remembered slice would keep alive. (Short substrings are always copies; the concatenation is
 * flattened into a new string, of which the result is a part.)
 */
function detachedText(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

const CONTAINER_BUCKET_DIGITS = 7;

/**
 * Hash bucket of a container id: its first 7 hex digits as a small integer, read in place after any `scheme://`
 * (no string is allocated, and the key stays a V8 small integer). -1 when those characters are not hex.
 */
function containerBucket(id: string): number {
  const scheme = id.indexOf('://');
  const offset = scheme >= 0 ? scheme + 3 : 0;
  if (id.length < offset + CONTAINER_BUCKET_DIGITS) return -1;
  let value = 0;
  for (let i = offset; i < offset + CONTAINER_BUCKET_DIGITS; i++) {
    const c = id.charCodeAt(i);
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** A map whose keys may be claimed by objects of different clusters: such keys become ambiguous and resolve to nothing. */
class ClusterScopedMap<T> {
  private readonly map = new Map<string, { value: T; cluster: string } | null>();

  set(key: string, value: T, cluster: string): void {
    const existing = this.map.get(key);
    if (existing === undefined) this.map.set(key, { value, cluster });
    else if (existing !== null) {
      // Same cluster: a later (newer) snapshot wins. Another cluster: nobody can tell which one is meant.
      this.map.set(key, existing.cluster === cluster ? { value, cluster } : null);
    }
  }

  get(key: string): T | undefined {
    return this.map.get(key)?.value;
  }
}

/** Most keys have one value: store it bare and allocate an array only for the few that have more. */
type Multi<V> = V | V[];

function addMulti<K, V extends object>(map: Map<K, Multi<V>>, key: K, value: V): void {
  const existing = map.get(key);
  if (existing === undefined) map.set(key, value);
  else if (Array.isArray(existing)) existing.push(value);
  else map.set(key, [existing, value]);
}

function getMulti<K, V extends object>(map: Map<K, Multi<V>>, key: K): V[] {
  const found = map.get(key);
  return found === undefined ? [] : Array.isArray(found) ? [...found] : [found];
}

/** The owner chain of the objects that share one ownerReferences array, per cluster, namespace and template hash. */
interface SharedOwnerChain {
  cluster: string;
  namespace: string;
  hash: string | undefined;
  chain: WorkloadRef[];
  next: SharedOwnerChain | undefined;
}

interface MergedObjects {
  objects: KubeObject[];
  /** For pods: older copies of each newest copy (same UID). */
  olderPods?: Map<KubeObject, Pod[]>;
  /** For pods: when a later complete snapshot of the cluster no longer had the pod, the time of that snapshot. */
  goneBy?: Map<KubeObject, number>;
}

/** A snapshot that lists pods of this namespace and reports no gap on pods: a pod missing from it was gone. */
function listsPodsOf(snapshot: ClusterSnapshot, namespaces: Set<string>, namespace: string): boolean {
  return namespaces.has(namespace) && !(snapshot.gaps ?? []).some((g) => g.resource === 'pods');
}

/** The objects of one resource across the snapshots of one cluster (oldest first), one copy each: the newest. */
function mergeCopies(snapshots: ClusterSnapshot[], resource: ResourceKind): MergedObjects {
  const valid = (o: KubeObject | undefined): boolean => typeof o?.metadata?.name === 'string';
  if (snapshots.length === 1) {
    const list: KubeObject[] = snapshots[0].objects[resource] ?? [];
    return { objects: list.every(valid) ? list : list.filter(valid) };
  }
  const latest = new Map<string, { obj: KubeObject; seenIn: number }>();
  const older = new Map<string, Pod[]>();
  snapshots.forEach((s, index) => {
    for (const obj of s.objects[resource] ?? []) {
      if (!valid(obj)) continue;
      const key = objectKey(obj);
      const previous = latest.get(key);
      if (previous && resource === 'pods') {
        const list = older.get(key);
        if (list) list.push(previous.obj as Pod);
        else older.set(key, [previous.obj as Pod]);
      }
      latest.set(key, { obj, seenIn: index });
    }
  });
  if (resource !== 'pods') return { objects: [...latest.values()].map((e) => e.obj) };
  const olderPods = new Map<KubeObject, Pod[]>();
  for (const [key, copies] of older) olderPods.set((latest.get(key) as { obj: KubeObject }).obj, copies);
  const namespacesIn = snapshots.map((s) => new Set((s.objects.pods ?? []).map((p) => p?.metadata?.namespace ?? '')));
  const goneBy = new Map<KubeObject, number>();
  for (const { obj, seenIn } of latest.values()) {
    for (let j = seenIn + 1; j < snapshots.length; j++) {
      const t = snapshotTime(snapshots[j]);
      if (Number.isFinite(t) && listsPodsOf(snapshots[j], namespacesIn[j], obj.metadata.namespace ?? '')) {
        goneBy.set(obj, t);
        break;
      }
    }
  }
  return { objects: [...latest.values()].map((e) => e.obj), olderPods, goneBy };
}

function eventTime(event: KubeObject): string {
  const e = event as Record<string, unknown>;
  for (const f of ['lastTimestamp', 'eventTime', 'deprecatedLastTimestamp', 'firstTimestamp']) {
    if (typeof e[f] === 'string') return e[f] as string;
  }
  if (typeof (e.series as Record<string, unknown> | undefined)?.lastObservedTime === 'string') return (e.series as Record<string, string>).lastObservedTime;
  return event.metadata.creationTimestamp ?? '';
}

/** Code-point order: the same in every locale (localeCompare is not: "aa" sorts after "zz" in Danish). */
function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareTimes(a: string, b: string): number {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return a < b ? -1 : a > b ? 1 : 0;
  return ta - tb;
}

/** Snapshot order for merging: oldest first, so that a newer copy of an object replaces an older one. */
function snapshotTime(s: ClusterSnapshot): number {
  return timeMs(s.capturedAt) ?? timeMs(s.observedUntil) ?? -Infinity;
}

interface ContainerLists {
  type: ContainerRef['type'];
  specs: ContainerSpec[] | undefined;
  statuses: ContainerStatus[] | undefined;
}

function containerListsOf(pod: Pod): ContainerLists[] {
  return [
    { type: 'container', specs: pod.spec?.containers, statuses: pod.status?.containerStatuses },
    { type: 'init', specs: pod.spec?.initContainers, statuses: pod.status?.initContainerStatuses },
    { type: 'ephemeral', specs: pod.spec?.ephemeralContainers, statuses: pod.status?.ephemeralContainerStatuses },
  ];
}

/** Adds the container `status` names to the matches, once per id. */
function addContainerMatch(out: ContainerRef[], pod: Pod, id: string, status: ContainerStatus, type: ContainerRef['type'], specs: ContainerSpec[] | undefined, previous: boolean, current: ContainerStatus | undefined): void {
  for (const r of out) if (r.id === id) return;
  const spec = specs?.find((c) => c?.name === status.name) ?? { name: status.name, image: status.image };
  const ref: ContainerRef = { pod, spec, status: current, type, id };
  if (previous) ref.previous = true;
  out.push(ref);
}

/** The statuses of one list whose current, terminated or previous container id matches `wanted`, in that order. */
function matchStatuses(out: ContainerRef[], pod: Pod, wanted: string, type: ContainerRef['type'], specs: ContainerSpec[] | undefined, statuses: ContainerStatus[] | undefined): void {
  if (!statuses) return;
  for (const cs of statuses) {
    if (!cs?.name) continue;
    let id = storedIdMatching(cs.containerID, wanted);
    if (id) addContainerMatch(out, pod, id, cs, type, specs, false, cs);
    const terminated = cs.state?.terminated?.containerID;
    if (terminated !== cs.containerID) {
      id = storedIdMatching(terminated, wanted);
      if (id) addContainerMatch(out, pod, id, cs, type, specs, false, cs);
    }
    id = storedIdMatching(cs.lastState?.terminated?.containerID, wanted);
    if (id) addContainerMatch(out, pod, id, cs, type, specs, true, cs);
  }
}

const NETWORK_STATUS_ANNOTATIONS = ['k8s.v1.cni.cncf.io/network-status', 'k8s.v1.cni.cncf.io/networks-status'];
const NO_IPS: readonly string[] = [];

/** The addresses of a pod's secondary (non-default) network attachments, from Multus's network-status annotation. */
export function secondaryNetworkIps(pod: Pod): readonly string[] {
  const annotations = pod.metadata?.annotations;
  if (!annotations) return NO_IPS;
  const raw = NETWORK_STATUS_ANNOTATIONS.map((name) => annotations[name]).find((v) => typeof v === 'string' && v.length > 0);
  if (!raw) return NO_IPS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return NO_IPS;
  }
  if (!Array.isArray(parsed)) return NO_IPS;
  const out: string[] = [];
  for (const entry of parsed) {
    if (typeof entry !== 'object' || entry === null || (entry as { default?: unknown }).default === true) continue;
    const ips = (entry as { ips?: unknown }).ips;
    if (Array.isArray(ips)) for (const ip of ips) if (typeof ip === 'string' && ip !== '') out.push(ip.replace(/\/\d+$/, ''));
  }
  return out;
}

class SnapshotIndex implements ClusterIndex {
  readonly clusters: string[] = [];
  readonly capturedAt: string | null = null;
  readonly observedUntil: string | null = null;
  readonly gaps: SnapshotGap[] = [];
  readonly nodes: Node[] = [];
  readonly pods: Pod[] = [];
  readonly execSessions: ExecSession[] = [];
  readonly auditActivities: AuditActivity[] = [];

  /** Only filled with several clusters; with one, every object belongs to it. */
  private readonly clusterOfObject = new Map<object, string>();
  private readonly singleCluster: boolean = true;
  private readonly lists = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, [] as KubeObject[]])) as Record<ResourceKind, KubeObject[]>;

  private readonly nodeByName = new ClusterScopedMap<Node>();
  private readonly nodeByClusterName = new Map<string, Node>();
  /** nodeByClusterName without the cluster, for an index of one cluster (no key to build per lookup). */
  private readonly nodeByOnlyClusterName = new Map<string, Node>();
  private readonly nodeByAlias = new ClusterScopedMap<Node>();
  private readonly nodeByShortName = new ClusterScopedMap<Node>();

  private readonly podByUidMap = new Map<string, Pod>();
  private readonly podsByName = new Map<string, Multi<Pod>>();
  /** Pods name their node in the same few thousand spellings: lower-cased once each. */
  private readonly lowerNodeNames = new Map<string, string>();
  private readonly podsByClusterNode = new Map<string, Multi<Pod>>();
  private readonly podsByNodeName = new Map<string, Multi<Pod>>();
  private readonly podsByIp = new Map<string, Multi<Pod>>();
  /** Pods by containerBucket() of every container id in their statuses (current and previous instances). */
  private readonly podsByContainerBucket = new Map<number, Multi<Pod>>();
  /** IP leases, computed on first use. */
  private readonly leases = new Map<Pod, IpLease>();
  /** Pods that a later snapshot of their cluster no longer listed: gone by that snapshot's time. */
  private readonly podGoneBy = new Map<Pod, number>();
  /** Older copies of a pod (same UID, older snapshots of its cluster), newest first. */
  private readonly olderCopiesOf = new Map<Pod, Pod[]>();

  private readonly objectByUid = new Map<string, KubeObject>();
  private readonly objectByName = new Map<string, KubeObject>();
  private readonly serviceByIpMap = new ClusterScopedMap<KubeObject>();
  private readonly eventsByObject = new Map<string, Multi<KubeObject>>();
  private readonly execByPod = new Map<string, Multi<ExecSession>>();
  private readonly ownerChains = new WeakMap<object, WorkloadRef[]>();
  /** containerById() answers by normalized id (null: no container), bounded. */
  private readonly containerByIdMemo = new Map<string, ContainerRef | null>();
  /** The last workloadOf() answer (the pod of the alert being triaged). */
  private lastWorkloadPod: Pod | undefined;
  private lastWorkload: WorkloadRef | undefined;
  /** findNode() answers by the text asked (null: no node), bounded. */
  private readonly nodeByRef = new Map<string, Node | null>();
  private readonly chainsByKey = new Map<string, WorkloadRef[]>();
  /**
   * Owner chains of objects that no owner reference can name (pods), by their ownerReferences array: replicas share
   * that array (see compact.ts), and with the cluster, the namespace and the pod-template-hash label it is all that
   * the chain depends on. A few thousand entries instead of one per pod visited, and a replica's first lookup is a hit.
   */
  private readonly chainsByOwnerRefs = new WeakMap<object, SharedOwnerChain>();
  /** Everything an owner reference can resolve to (every indexed object but pods and events). */
  private readonly ownerCandidates = new Set<object>();

  constructor(snapshots: ClusterSnapshot[]) {
    const ordered = snapshots.map((s, i) => ({ s, i })).sort((a, b) => snapshotTime(a.s) - snapshotTime(b.s) || a.i - b.i).map(({ s }) => s);
    const byCluster = new Map<string, ClusterSnapshot[]>();
    let capturedAt = -Infinity;
    let observedUntil = -Infinity;
    for (const s of ordered) {
      const list = byCluster.get(s.cluster);
      if (list) list.push(s);
      else byCluster.set(s.cluster, [s]);
      capturedAt = Math.max(capturedAt, timeMs(s.capturedAt) ?? -Infinity);
      observedUntil = Math.max(observedUntil, timeMs(s.observedUntil) ?? timeMs(s.capturedAt) ?? -Infinity);
      for (const gap of s.gaps ?? []) this.gaps.push(gap.cluster ? gap : { ...gap, cluster: s.cluster });
    }
    this.clusters = [...byCluster.keys()];
    this.capturedAt = Number.isFinite(capturedAt) ? new Date(capturedAt).toISOString() : null;
    this.observedUntil = Number.isFinite(observedUntil) ? new Date(observedUntil).toISOString() : null;
    this.singleCluster = this.clusters.length <= 1;

    for (const [cluster, clusterSnapshots] of byCluster) {
      for (const resource of RESOURCE_KINDS) {
        const { objects, olderPods, goneBy } = mergeCopies(clusterSnapshots, resource);
        if (goneBy) for (const [pod, t] of goneBy) this.podGoneBy.set(pod as Pod, t);
        for (const obj of objects) this.addObject(obj, cluster, resource, olderPods);
      }
    }
    this.nodes = this.lists.nodes as Node[];
    this.pods = this.lists.pods as Pod[];
    for (const events of this.eventsByObject.values()) {
      if (Array.isArray(events)) events.sort((a, b) => compareTimes(eventTime(a), eventTime(b)));
    }

    this.execSessions = dedupe(
      ordered.flatMap((s) => s.execSessions ?? []),
      (e) => JSON.stringify([e.kind, e.user, e.namespace, e.pod, e.container ?? '', e.start, e.command]),
    ).sort((a, b) => compareTimes(a.start, b.start) || compareCodePoints(`${a.namespace}/${a.pod}`, `${b.namespace}/${b.pod}`));
    for (const session of this.execSessions) addMulti(this.execByPod, `${session.namespace}/${session.pod}`, session);
    this.auditActivities = dedupe(
      ordered.flatMap((s) => s.auditActivities ?? []),
      (a) => JSON.stringify([a.time, a.user, a.verb, a.resource, a.subresource ?? '', a.namespace ?? '', a.name ?? '', a.code ?? 0]),
    ).sort((a, b) => compareTimes(a.time, b.time));
  }

  private addObject(obj: KubeObject, cluster: string, resource: ResourceKind, olderPods: Map<KubeObject, Pod[]> | undefined): void {
    if (!this.singleCluster) this.clusterOfObject.set(obj, cluster);
    this.lists[resource].push(obj);
    switch (resource) {
      case 'pods':
        this.addPod(obj as Pod, cluster, olderPods?.get(obj));
        return;
      case 'events':
        this.addEvent(obj);
        return;
      default:
        break;
    }
    // Possible owners (and anything a caller may look up by name): never pods or events, which are the bulk.
    this.ownerCandidates.add(obj);
    if (obj.metadata.uid) this.objectByUid.set(`${cluster}\u0000${obj.metadata.uid}`, obj);
    this.objectByName.set(this.nameKey(cluster, obj.kind, obj.metadata.namespace, obj.metadata.name), obj);
    if (resource === 'nodes') this.addNode(obj as Node, cluster);
    else if (resource === 'services') this.addService(obj, cluster);
  }

  private nameKey(cluster: string, kind: string, namespace: string | undefined, name: string): string {
    return `${cluster}\u0000${kind}\u0000${namespace ?? ''}\u0000${name}`;
  }

  // ---- building ------------------------------------------------------------------------------------------------

  private addNode(node: Node, cluster: string): void {
    const name = lower(node.metadata.name);
    this.nodeByName.set(name, node, cluster);
    this.nodeByClusterName.set(`${cluster}\u0000${name}`, node);
    if (this.singleCluster) this.nodeByOnlyClusterName.set(name, node);
    const aliases = new Set<string>();
    const dnsNames = [name];
    for (const address of node.status?.addresses ?? []) {
      if (typeof address?.address !== 'string' || address.address === '') continue;
      const a = normalizeIp(address.address);
      aliases.add(a);
      if (!looksLikeIp(a)) dnsNames.push(a);
    }
    const hostnameLabel = node.metadata.labels?.['kubernetes.io/hostname'];
    if (hostnameLabel) {
      aliases.add(lower(hostnameLabel));
      dnsNames.push(lower(hostnameLabel));
    }
    const providerId = node.spec?.providerID;
    if (typeof providerId === 'string' && providerId !== '') {
      aliases.add(lower(providerId));
      for (const id of instanceIdsOfProviderId(providerId)) aliases.add(id);
    }
    for (const field of ['systemUUID', 'machineID'] as const) {
      const value = node.status?.nodeInfo?.[field];
      if (typeof value === 'string' && value.length >= 16) aliases.add(lower(value));
    }
    aliases.delete(name);
    for (const alias of aliases) this.nodeByAlias.set(alias, node, cluster);
    for (const dns of dnsNames) {
      const short = shortHostname(dns);
      if (short) this.nodeByShortName.set(short, node, cluster);
    }
  }

  private addPod(pod: Pod, cluster: string, olderCopies: Pod[] | undefined): void {
    const { metadata } = pod;
    const uid = podUidKey(metadata.uid);
    if (uid) this.podByUidMap.set(uid, pod);
    const annotations = metadata.annotations;
    if (annotations) {
      for (const annotation of STATIC_POD_UID_ANNOTATIONS) {
        const hash = normalizePodUid(annotations[annotation]);
        if (hash && !this.podByUidMap.has(hash)) this.podByUidMap.set(hash, pod);
      }
    }
    // One map by name serves both lookups: few pods share a name across namespaces (StatefulSet replicas, static pods).
    addMulti(this.podsByName, metadata.name, pod);
    const nodeName = pod.spec?.nodeName;
    if (typeof nodeName === 'string' && nodeName !== '') {
      let node = this.lowerNodeNames.get(nodeName);
      if (node === undefined) this.lowerNodeNames.set(nodeName, (node = lower(nodeName)));
      addMulti(this.podsByNodeName, node, pod);
      if (!this.singleCluster) addMulti(this.podsByClusterNode, `${cluster}\u0000${node}`, pod);
    }
    const status = pod.status;
    if (!status) return;
    if (pod.spec?.hostNetwork !== true) this.addPodIps(pod);
    this.addContainerIds(pod, pod);
    if (olderCopies) {
      const newestFirst = [...olderCopies].reverse();
      this.olderCopiesOf.set(pod, newestFirst);
      for (const older of newestFirst) this.addContainerIds(older, pod);
    }
  }

  /** Host-network pods share the node's address: an IP seen on the wire is not theirs, so they are left out. */
  private addPodIps(pod: Pod): void {
    const status = pod.status;
    if (!status) return;
    // On a micro-VM-per-pod platform (EKS Fargate) the pod's address is its node's too, and it is the pod's.
    const hostIp = typeof status.hostIP === 'string' && !vmPerPodPlatform(pod) ? normalizeIp(status.hostIP) : undefined;
    const first = this.addPodIp(pod, status.podIP, hostIp, undefined);
    let seen = first;
    if (status.podIPs) for (const entry of status.podIPs) seen = this.addPodIp(pod, entry?.ip, hostIp, seen);
    // Secondary interfaces (Multus: macvlan, SR-IOV, ipvlan) carry their own addresses, which a network sensor on
    // those networks sees; Multus records them in the pod's network-status annotation.
    for (const ip of secondaryNetworkIps(pod)) seen = this.addPodIp(pod, ip, hostIp, seen);
  }

  /** Indexes one address of a pod (not the node's, not the first one again); returns the first address so far. */
  private addPodIp(pod: Pod, raw: unknown, hostIp: string | undefined, first: string | undefined): string | undefined {
    if (typeof raw !== 'string' || raw === '') return first;
    const ip = normalizeIp(raw);
    if (ip === hostIp || ip === first) return first;
    const existing = this.podsByIp.get(ip);
    if (existing !== pod && !(Array.isArray(existing) && existing.includes(pod))) addMulti(this.podsByIp, ip, pod);
    return first ?? ip;
  }

  private addContainerId(raw: unknown, pod: Pod): void {
    if (typeof raw !== 'string') return;
    const bucket = containerBucket(raw);
    if (bucket < 0) return;
    const existing = this.podsByContainerBucket.get(bucket);
    if (existing === undefined) this.podsByContainerBucket.set(bucket, pod);
    else if (Array.isArray(existing)) {
      if (!existing.includes(pod)) existing.push(pod);
    } else if (existing !== pod) this.podsByContainerBucket.set(bucket, [existing, pod]);
  }

  /** Bucket every container id in `source`'s statuses (the pod itself or an older copy) under `pod`. */
  private addContainerIds(source: Pod, pod: Pod): void {
    const status = source.status;
    if (!status) return;
    for (const statuses of [status.containerStatuses, status.initContainerStatuses, status.ephemeralContainerStatuses]) {
      if (!statuses) continue;
      for (const cs of statuses) {
        if (!cs) continue;
        this.addContainerId(cs.containerID, pod);
        const terminated = cs.state?.terminated?.containerID;
        if (terminated !== cs.containerID) this.addContainerId(terminated, pod);
        this.addContainerId(cs.lastState?.terminated?.containerID, pod);
      }
    }
  }

  /** The containers of `pod` whose id (current or previous instance) matches `wanted` by prefix either way. */
  private containerMatches(pod: Pod, wanted: string, out: ContainerRef[]): void {
    // The pod's own statuses, walked without building the lists (this runs for every container id an alert names).
    const status = pod.status;
    if (status) {
      matchStatuses(out, pod, wanted, 'container', pod.spec?.containers, status.containerStatuses);
      matchStatuses(out, pod, wanted, 'init', pod.spec?.initContainers, status.initContainerStatuses);
      matchStatuses(out, pod, wanted, 'ephemeral', pod.spec?.ephemeralContainers, status.ephemeralContainerStatuses);
    }
    const olderCopies = this.olderCopiesOf.get(pod);
    if (!olderCopies) return;
    const consider = (raw: unknown, status: ContainerStatus, lists: ContainerLists, previous: boolean, current: ContainerStatus | undefined): void => {
      const id = storedIdMatching(raw, wanted);
      if (id) addContainerMatch(out, pod, id, status, lists.type, lists.specs, previous, current);
    };
    const currentLists = containerListsOf(pod);
    for (const older of olderCopies) {
      for (const olderLists of containerListsOf(older)) {
        for (const cs of olderLists.statuses ?? []) {
          if (!cs?.name) continue;
          const lists = currentLists.find((l) => l.statuses?.some((c) => c?.name === cs.name)) ?? olderLists;
          const current = lists.statuses?.find((c) => c?.name === cs.name);
          consider(cs.containerID, cs, lists, true, current);
          consider(cs.lastState?.terminated?.containerID, cs, lists, true, current);
        }
      }
    }
  }

  private addService(service: KubeObject, cluster: string): void {
    const spec = (service.spec ?? {}) as Record<string, unknown>;
    const ips = new Set<string>();
    const add = (v: unknown): void => {
      if (typeof v === 'string' && v !== '' && v !== 'None') ips.add(normalizeIp(v));
    };
    add(spec.clusterIP);
    for (const list of [spec.clusterIPs, spec.externalIPs]) if (Array.isArray(list)) list.forEach(add);
    add(spec.loadBalancerIP);
    const ingress = (service.status as { loadBalancer?: { ingress?: { ip?: string }[] } } | undefined)?.loadBalancer?.ingress;
    if (Array.isArray(ingress)) for (const i of ingress) add(i?.ip);
    for (const ip of ips) this.serviceByIpMap.set(ip, service, cluster);
  }

  private addEvent(event: KubeObject): void {
    const e = event as Record<string, unknown>;
    const involved = (e.involvedObject ?? e.regarding) as { namespace?: string; name?: string } | undefined;
    if (typeof involved?.name !== 'string') return;
    addMulti(this.eventsByObject, `${involved.namespace ?? ''}/${involved.name}`, event);
  }

  // ---- lookups -------------------------------------------------------------------------------------------------

  clusterOf(obj: KubeObject): string {
    // One cluster: the map is never filled, and a lookup by object would only give each object an identity hash.
    if (this.singleCluster) return this.clusters[0] ?? 'default';
    return this.clusterOfObject.get(obj) ?? this.clusters[0] ?? 'default';
  }

  findNode(ref: string): Node | undefined {
    if (typeof ref !== 'string') return undefined;
    // Alerts name the same hosts over and over: remember the answer per text (a bounded memo of copied texts).
    const known = this.nodeByRef.get(ref);
    if (known !== undefined) return known ?? undefined;
    const node = this.resolveNode(ref);
    if (ref.length <= MAX_NODE_REF_MEMO_CHARS) {
      if (this.nodeByRef.size >= NODE_REF_MEMO_ENTRIES) this.nodeByRef.clear();
      this.nodeByRef.set(detachedText(ref), node ?? null);
    }
    return node;
  }

  private resolveNode(ref: string): Node | undefined {
    let key = lower(ref).replace(/\.$/, '');
    if (key === '' || key.length > 512) return undefined;
    key = normalizeIp(key);
    const direct = this.nodeByName.get(key) ?? this.nodeByAlias.get(key);
    if (direct) return direct;
    if (key.includes('://')) {
      for (const id of instanceIdsOfProviderId(key)) {
        const node = this.nodeByAlias.get(id) ?? this.nodeByName.get(id);
        if (node) return node;
      }
    }
    const short = shortHostname(key) ?? key;
    return this.nodeByShortName.get(short) ?? this.nodeByName.get(short);
  }

  podByUid(uid: string): Pod | undefined {
    const key = normalizePodUid(uid);
    return key ? this.podByUidMap.get(key) : undefined;
  }

  podByName(namespace: string, name: string): Pod | undefined {
    const named = this.podsByName.get(name);
    if (named === undefined) return undefined;
    const pods = Array.isArray(named) ? named.filter((p) => (p.metadata.namespace ?? '') === namespace) : (named.metadata.namespace ?? '') === namespace ? [named] : [];
    if (pods.length === 0) return undefined;
    // A name reused by a newer pod (StatefulSet replica, recreated pod): the newest one is the one that exists now.
    return pods.reduce((a, b) => ((timeMs(b.metadata.creationTimestamp) ?? -Infinity) >= (timeMs(a.metadata.creationTimestamp) ?? -Infinity) ? b : a));
  }

  podsNamed(name: string): Pod[] {
    return getMulti(this.podsByName, name);
  }

  podByIp(ip: string, time: string | null): Pod | undefined {
    if (typeof ip !== 'string') return undefined;
    const pods = getMulti(this.podsByIp, normalizeIp(ip));
    if (pods.length === 0) return undefined;
    const at = time === null ? undefined : timeMs(time);
    let best: { pod: Pod; start: number } | undefined;
    for (const pod of pods) {
      let lease = this.leases.get(pod);
      if (!lease) this.leases.set(pod, (lease = leaseOf(pod, this.podGoneBy.get(pod))));
      // Never a pod created after the moment asked about: an IP reused by a newer pod says nothing about an older alert.
      const covers = at === undefined ? !lease.over : lease.start <= at && at <= lease.end;
      if (covers && (!best || lease.start >= best.start)) best = { pod, start: lease.start };
    }
    return best?.pod;
  }

  containerById(id: string): ContainerRef | undefined {
    const wanted = normalizeContainerId(id);
    if (!wanted) return undefined;
    // Alerts name the same containers over and over: the answer per normalized id is remembered (bounded, as findNode's).
    const known = this.containerByIdMemo.get(wanted);
    if (known !== undefined) return known ?? undefined;
    const found = this.resolveContainerId(wanted);
    if (this.containerByIdMemo.size >= CONTAINER_ID_MEMO_ENTRIES) this.containerByIdMemo.clear();
    this.containerByIdMemo.set(detachedText(wanted), found ?? null);
    return found;
  }

  private resolveContainerId(wanted: string): ContainerRef | undefined {
    const bucket = this.podsByContainerBucket.get(containerBucket(wanted));
    if (bucket === undefined) return undefined;
    const matches: ContainerRef[] = [];
    if (Array.isArray(bucket)) for (const pod of bucket) this.containerMatches(pod, wanted, matches);
    else this.containerMatches(bucket, wanted, matches);
    if (matches.length === 0) return undefined;
    const exact = matches.find((r) => r.id === wanted);
    if (exact) return exact;
    // A prefix shared by containers of different pods identifies none of them.
    const first = matches[0];
    return matches.every((r) => r.pod === first.pod && r.spec.name === first.spec.name) ? first : undefined;
  }

  containerByCgroup(path: string): ContainerRef | { pod: Pod } | undefined {
    const { podUid, containerId } = parseCgroupPath(path);
    const pod = podUid ? this.podByUid(podUid) : undefined;
    const container = containerId ? this.containerById(containerId) : undefined;
    if (container && (!pod || container.pod === pod)) return container;
    return pod ? { pod } : undefined;
  }

  podsOnNode(nodeName: string): Pod[] {
    const node = this.findNode(nodeName);
    if (!node) return getMulti(this.podsByNodeName, lower(nodeName));
    const name = lower(node.metadata.name);
    return this.singleCluster ? getMulti(this.podsByNodeName, name) : getMulti(this.podsByClusterNode, `${this.clusterOf(node)}\u0000${name}`);
  }

  nodeOfPod(pod: Pod): Node | undefined {
    const nodeName = pod.spec?.nodeName;
    if (typeof nodeName !== 'string' || nodeName === '') return undefined;
    if (this.singleCluster) return this.nodeByOnlyClusterName.get(this.lowerNodeNames.get(nodeName) ?? lower(nodeName));
    return this.nodeByClusterName.get(`${this.clusterOf(pod)}\u0000${lower(nodeName)}`);
  }

  ownerChain(obj: KubeObject): WorkloadRef[] {
    return [...this.cachedOwnerChain(obj)];
  }

  private cachedOwnerChain(obj: KubeObject): WorkloadRef[] {
    const refs = obj.metadata.ownerReferences;
    // An owner candidate's chain stops where it would reach the object itself: it is kept per object.
    if (Array.isArray(refs) && !this.ownerCandidates.has(obj)) return this.sharedOwnerChain(obj, refs);
    let chain = this.ownerChains.get(obj);
    if (!chain) {
      chain = this.sharedChain(this.resolveOwnerChain(obj));
      this.ownerChains.set(obj, chain);
    }
    return chain;
  }

  private sharedOwnerChain(obj: KubeObject, refs: object): WorkloadRef[] {
    const cluster = this.clusterOf(obj);
    const namespace = obj.metadata.namespace ?? '';
    const hash = obj.metadata.labels?.['pod-template-hash'];
    const first = this.chainsByOwnerRefs.get(refs);
    let entries = 0;
    for (let e = first; e; e = e.next, entries++) if (e.namespace === namespace && e.hash === hash && e.cluster === cluster) return e.chain;
    const chain = this.sharedChain(this.resolveOwnerChain(obj));
    // One array shared across many namespaces is no replica set: such objects are not worth a longer walk.
    if (entries < MAX_SHARED_CHAIN_ENTRIES) this.chainsByOwnerRefs.set(refs, { cluster, namespace, hash, chain, next: first });
    return chain;
  }

  /** Replicas have equal owner chains: keep one copy of each (a 150,000-pod index holds a few thousand chains). */
  private sharedChain(chain: WorkloadRef[]): WorkloadRef[] {
    if (chain.length === 0) return NO_OWNERS;
    const key = chain.map((r) => `${r.kind}\u0000${r.namespace}\u0000${r.name}\u0000${r.inferred ? 1 : 0}`).join('\u0001');
    const known = this.chainsByKey.get(key);
    if (known && known.length === chain.length && known.every((r, i) => r.object === chain[i].object)) return known;
    this.chainsByKey.set(key, chain);
    return chain;
  }

  private resolveOwnerChain(start: KubeObject): WorkloadRef[] {
    const cluster = this.clusterOf(start);
    const chain: WorkloadRef[] = [];
    const seen = new Set<KubeObject>([start]);
    let current: KubeObject | undefined = start;
    while (current && chain.length < MAX_OWNER_DEPTH) {
      const refs: OwnerReference[] = (current.metadata.ownerReferences ?? []).filter((r) => r && typeof r.kind === 'string' && typeof r.name === 'string');
      const owner: OwnerReference | undefined = refs.find((r) => r.controller === true) ?? refs[0];
      if (!owner || NON_WORKLOAD_OWNERS.has(owner.kind)) break;
      const namespace: string = current.metadata.namespace ?? '';
      const object: KubeObject | undefined =
        (owner.uid ? this.objectByUid.get(`${cluster}\u0000${owner.uid}`) : undefined) ?? this.objectByName.get(this.nameKey(cluster, owner.kind, namespace, owner.name));
      if (object && seen.has(object)) break;
      chain.push(object ? { kind: owner.kind, namespace, name: owner.name, object } : { kind: owner.kind, namespace, name: owner.name });
      if (!object) {
        const parent = this.derivedParent(cluster, owner.kind, owner.name, namespace, current);
        if (parent) chain.push(parent);
        break;
      }
      seen.add(object);
      current = object;
    }
    return chain;
  }

  /**
   * The owner of an owner that is missing from the snapshot, when its name gives it away: a ReplicaSet is named
   * `<deployment>-<pod-template-hash>`; a CronJob's Job is `<cronjob>-<scheduled minute>` (accepted only if that CronJob exists).
   */
  private derivedParent(cluster: string, kind: string, name: string, namespace: string, owned: KubeObject): WorkloadRef | undefined {
    if (kind === 'ReplicaSet') {
      const hash = owned.metadata.labels?.['pod-template-hash'];
      if (!hash || !name.endsWith(`-${hash}`) || name.length <= hash.length + 1) return undefined;
      const deployment = name.slice(0, -(hash.length + 1));
      const object = this.objectByName.get(this.nameKey(cluster, 'Deployment', namespace, deployment));
      return object ? { kind: 'Deployment', namespace, name: deployment, object } : { kind: 'Deployment', namespace, name: deployment, inferred: true };
    }
    if (kind === 'Job') {
      const m = /^(.+)-\d{8,}$/.exec(name);
      const object = m ? this.objectByName.get(this.nameKey(cluster, 'CronJob', namespace, m[1])) : undefined;
      return object && m ? { kind: 'CronJob', namespace, name: m[1], object } : undefined;
    }
    return undefined;
  }

  workloadOf(pod: Pod): WorkloadRef | undefined {
    // Correlation, the rules and the verdict ask for the workload of the alert's pod two or three times per alert.
    if (pod === this.lastWorkloadPod) return this.lastWorkload;
    const chain = this.cachedOwnerChain(pod);
    const workload = chain.length > 0 ? chain[chain.length - 1] : undefined;
    this.lastWorkloadPod = pod;
    this.lastWorkload = workload;
    return workload;
  }

  list(kind: ListKind): KubeObject[] {
    return [...(this.lists[kind] ?? [])];
  }

  serviceByIp(ip: string): KubeObject | undefined {
    return typeof ip === 'string' ? this.serviceByIpMap.get(normalizeIp(ip)) : undefined;
  }

  eventsFor(namespace: string, name: string): KubeObject[] {
    return getMulti(this.eventsByObject, `${namespace ?? ''}/${name}`);
  }

  execSessionsForPod(namespace: string, pod: string): ExecSession[] {
    return getMulti(this.execByPod, `${namespace}/${pod}`);
  }
}

function dedupe<T>(items: T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    const key = keyOf(item);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

export function buildIndex(snapshots: ClusterSnapshot[]): ClusterIndex {
  return new SnapshotIndex(snapshots);
}
