/**
 * The ClusterIndex: built once from one or more snapshots, then every lookup the triage rules make is a hash-map
 * probe. Objects of the same cluster seen in several snapshots are merged (the newest snapshot's copy wins);
 * different clusters stay apart and lookups search all of them.
 */
import { MIN_CONTAINER_ID_PREFIX, normalizeContainerId, normalizePodUid, parseCgroupPath } from './ids.js';
import { objectKey } from './load.js';
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
/** How long after its containers finished a pod's IP may still be seen on the wire (sandbox teardown). */
const IP_RELEASE_GRACE_MS = 30_000;

function lower(s: string): string {
  return s.trim().toLowerCase();
}

function timeMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** Canonical text of an IP: lower-case, no brackets, no IPv6 zone, IPv4-mapped IPv6 reduced to IPv4. */
export function normalizeIp(raw: string): string {
  let ip = lower(raw);
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  const zone = ip.indexOf('%');
  if (zone >= 0) ip = ip.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  return mapped ? mapped[1] : ip;
}

function looksLikeIp(s: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(s) || (s.includes(':') && /^[0-9a-f:.]+$/.test(s));
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

interface IpLease {
  pod: Pod;
  start: number;
  end: number;
  /** Pod finished (Succeeded/Failed) or is being deleted: it does not hold the IP "now". */
  over: boolean;
}

interface ContainerEntry {
  id: string;
  ref: ContainerRef;
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

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function eventTime(event: KubeObject): string {
  const e = event as Record<string, unknown>;
  for (const f of ['lastTimestamp', 'eventTime', 'deprecatedLastTimestamp', 'firstTimestamp']) {
    if (typeof e[f] === 'string') return e[f] as string;
  }
  if (typeof (e.series as Record<string, unknown> | undefined)?.lastObservedTime === 'string') return (e.series as Record<string, string>).lastObservedTime;
  return event.metadata.creationTimestamp ?? '';
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

class SnapshotIndex implements ClusterIndex {
  readonly clusters: string[] = [];
  readonly capturedAt: string | null = null;
  readonly observedUntil: string | null = null;
  readonly gaps: SnapshotGap[] = [];
  readonly nodes: Node[] = [];
  readonly pods: Pod[] = [];
  readonly execSessions: ExecSession[] = [];
  readonly auditActivities: AuditActivity[] = [];

  private readonly clusterOfObject = new WeakMap<object, string>();
  private readonly lists = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, [] as KubeObject[]])) as Record<ResourceKind, KubeObject[]>;

  private readonly nodeByName = new ClusterScopedMap<Node>();
  private readonly nodeByClusterName = new Map<string, Node>();
  private readonly nodeByAlias = new ClusterScopedMap<Node>();
  private readonly nodeByShortName = new ClusterScopedMap<Node>();

  private readonly podByUidMap = new Map<string, Pod>();
  private readonly podsByNsName = new Map<string, Pod[]>();
  private readonly podsByName = new Map<string, Pod[]>();
  private readonly podsByClusterNode = new Map<string, Pod[]>();
  private readonly podsByNodeName = new Map<string, Pod[]>();
  private readonly ipLeases = new Map<string, IpLease[]>();
  private readonly containersByPrefix = new Map<string, ContainerEntry[]>();

  private readonly objectByUid = new Map<string, KubeObject>();
  private readonly objectByName = new Map<string, KubeObject>();
  private readonly serviceByIpMap = new ClusterScopedMap<KubeObject>();
  private readonly eventsByObject = new Map<string, KubeObject[]>();
  private readonly execByPod = new Map<string, ExecSession[]>();
  private readonly ownerChains = new WeakMap<object, WorkloadRef[]>();
  private readonly chainsByKey = new Map<string, WorkloadRef[]>();

  constructor(snapshots: ClusterSnapshot[]) {
    const ordered = snapshots.map((s, i) => ({ s, i })).sort((a, b) => snapshotTime(a.s) - snapshotTime(b.s) || a.i - b.i);
    const clusters = new Set<string>();
    const latest = new Map<string, { obj: KubeObject; cluster: string; resource: ResourceKind }>();
    /** Older copies of pods (same UID), whose container ids are previous instances of the newest copy's containers. */
    const olderPods = new Map<string, Pod[]>();
    let capturedAt = -Infinity;
    let observedUntil = -Infinity;
    for (const { s } of ordered) {
      clusters.add(s.cluster);
      capturedAt = Math.max(capturedAt, timeMs(s.capturedAt) ?? -Infinity);
      observedUntil = Math.max(observedUntil, timeMs(s.observedUntil) ?? timeMs(s.capturedAt) ?? -Infinity);
      for (const resource of RESOURCE_KINDS) {
        for (const obj of s.objects[resource] ?? []) {
          if (!obj?.metadata?.name) continue;
          const key = `${s.cluster}\u0000${resource}\u0000${objectKey(obj)}`;
          const previous = latest.get(key);
          if (previous && resource === 'pods') pushTo(olderPods, key, previous.obj as Pod);
          latest.set(key, { obj, cluster: s.cluster, resource });
        }
      }
      for (const gap of s.gaps ?? []) this.gaps.push(gap.cluster ? gap : { ...gap, cluster: s.cluster });
    }
    this.clusters = [...clusters];
    this.capturedAt = Number.isFinite(capturedAt) ? new Date(capturedAt).toISOString() : null;
    this.observedUntil = Number.isFinite(observedUntil) ? new Date(observedUntil).toISOString() : null;

    for (const [key, { obj, cluster, resource }] of latest) {
      this.clusterOfObject.set(obj, cluster);
      this.lists[resource].push(obj);
      if (obj.metadata.uid) this.objectByUid.set(`${cluster}\u0000${obj.metadata.uid}`, obj);
      this.objectByName.set(this.nameKey(cluster, obj.kind, obj.metadata.namespace, obj.metadata.name), obj);
      switch (resource) {
        case 'nodes':
          this.addNode(obj as Node, cluster);
          break;
        case 'pods':
          this.addPod(obj as Pod, cluster, olderPods.get(key) ?? []);
          break;
        case 'services':
          this.addService(obj, cluster);
          break;
        case 'events':
          this.addEvent(obj);
          break;
        default:
          break;
      }
    }
    this.nodes = this.lists.nodes as Node[];
    this.pods = this.lists.pods as Pod[];
    for (const events of this.eventsByObject.values()) events.sort((a, b) => compareTimes(eventTime(a), eventTime(b)));
    for (const leases of this.ipLeases.values()) leases.sort((a, b) => a.start - b.start);

    this.execSessions = dedupe(
      ordered.flatMap(({ s }) => s.execSessions ?? []),
      (e) => JSON.stringify([e.kind, e.user, e.namespace, e.pod, e.container ?? '', e.start, e.command]),
    ).sort((a, b) => compareTimes(a.start, b.start) || `${a.namespace}/${a.pod}`.localeCompare(`${b.namespace}/${b.pod}`));
    for (const session of this.execSessions) pushTo(this.execByPod, `${session.namespace}/${session.pod}`, session);
    this.auditActivities = dedupe(
      ordered.flatMap(({ s }) => s.auditActivities ?? []),
      (a) => JSON.stringify([a.time, a.user, a.verb, a.resource, a.subresource ?? '', a.namespace ?? '', a.name ?? '', a.code ?? 0]),
    ).sort((a, b) => compareTimes(a.time, b.time));
  }

  private nameKey(cluster: string, kind: string, namespace: string | undefined, name: string): string {
    return `${cluster}\u0000${kind}\u0000${namespace ?? ''}\u0000${name}`;
  }

  // ---- building ------------------------------------------------------------------------------------------------

  private addNode(node: Node, cluster: string): void {
    const name = lower(node.metadata.name);
    this.nodeByName.set(name, node, cluster);
    this.nodeByClusterName.set(`${cluster}\u0000${name}`, node);
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

  private addPod(pod: Pod, cluster: string, olderCopies: Pod[]): void {
    const { metadata } = pod;
    const uid = normalizePodUid(metadata.uid);
    if (uid) this.podByUidMap.set(uid, pod);
    for (const annotation of STATIC_POD_UID_ANNOTATIONS) {
      const hash = normalizePodUid(metadata.annotations?.[annotation]);
      if (hash && !this.podByUidMap.has(hash)) this.podByUidMap.set(hash, pod);
    }
    pushTo(this.podsByNsName, `${metadata.namespace ?? ''}/${metadata.name}`, pod);
    pushTo(this.podsByName, metadata.name, pod);
    const nodeName = pod.spec?.nodeName;
    if (typeof nodeName === 'string' && nodeName !== '') {
      pushTo(this.podsByClusterNode, `${cluster}\u0000${lower(nodeName)}`, pod);
      pushTo(this.podsByNodeName, lower(nodeName), pod);
    }
    this.addIpLeases(pod);
    this.addContainers(pod, olderCopies);
  }

  private addIpLeases(pod: Pod): void {
    if (pod.spec?.hostNetwork === true) return;
    const status = pod.status;
    const ips = new Set<string>();
    if (typeof status?.podIP === 'string' && status.podIP !== '') ips.add(normalizeIp(status.podIP));
    for (const entry of status?.podIPs ?? []) if (typeof entry?.ip === 'string' && entry.ip !== '') ips.add(normalizeIp(entry.ip));
    if (typeof status?.hostIP === 'string') ips.delete(normalizeIp(status.hostIP));
    if (ips.size === 0) return;
    const start = timeMs(pod.metadata.creationTimestamp) ?? timeMs(status?.startTime) ?? -Infinity;
    const finished = status?.phase === 'Succeeded' || status?.phase === 'Failed';
    let end = Infinity;
    if (finished) {
      let last = -Infinity;
      for (const { statuses } of containerListsOf(pod)) {
        for (const cs of statuses ?? []) last = Math.max(last, timeMs(cs.state?.terminated?.finishedAt) ?? -Infinity);
      }
      if (Number.isFinite(last)) end = last + IP_RELEASE_GRACE_MS;
    }
    const deletion = timeMs(pod.metadata.deletionTimestamp);
    if (deletion !== undefined) end = Math.min(end, deletion);
    const lease: IpLease = { pod, start, end, over: finished || deletion !== undefined };
    for (const ip of ips) pushTo(this.ipLeases, ip, lease);
  }

  private addContainerId(raw: string | undefined, ref: ContainerRef): void {
    const id = normalizeContainerId(raw);
    if (!id) return;
    const key = id.slice(0, MIN_CONTAINER_ID_PREFIX);
    const entries = this.containersByPrefix.get(key);
    if (entries?.some((e) => e.id === id)) return;
    pushTo(this.containersByPrefix, key, { id, ref: { ...ref, id } });
  }

  private addContainers(pod: Pod, olderCopies: Pod[]): void {
    const specsByName = new Map<string, { spec: ContainerSpec; type: ContainerRef['type']; status?: ContainerStatus }>();
    for (const { type, specs, statuses } of containerListsOf(pod)) {
      for (const spec of specs ?? []) if (spec?.name) specsByName.set(spec.name, { spec, type });
      for (const status of statuses ?? []) {
        if (!status?.name) continue;
        const known = specsByName.get(status.name);
        const entry = known ?? { spec: { name: status.name, image: status.image }, type };
        entry.status = status;
        specsByName.set(status.name, entry);
        const ref: ContainerRef = { pod, spec: entry.spec, status, type: entry.type };
        this.addContainerId(status.containerID, ref);
        this.addContainerId(status.state?.terminated?.containerID, ref);
        this.addContainerId(status.lastState?.terminated?.containerID, { ...ref, previous: true });
      }
    }
    // Newest first: an id seen in an older copy that is not the current one was a previous instance.
    for (const older of [...olderCopies].reverse()) {
      for (const { type, statuses } of containerListsOf(older)) {
        for (const status of statuses ?? []) {
          if (!status?.name) continue;
          const current = specsByName.get(status.name);
          const ref: ContainerRef = { pod, spec: current?.spec ?? { name: status.name, image: status.image }, status: current?.status, type: current?.type ?? type, previous: true };
          this.addContainerId(status.containerID, ref);
          this.addContainerId(status.lastState?.terminated?.containerID, ref);
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
    pushTo(this.eventsByObject, `${involved.namespace ?? ''}/${involved.name}`, event);
  }

  // ---- lookups -------------------------------------------------------------------------------------------------

  clusterOf(obj: KubeObject): string {
    return this.clusterOfObject.get(obj) ?? this.clusters[0] ?? 'default';
  }

  findNode(ref: string): Node | undefined {
    if (typeof ref !== 'string') return undefined;
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
    const pods = this.podsByNsName.get(`${namespace}/${name}`);
    if (!pods) return undefined;
    // A name reused by a newer pod (StatefulSet replica, recreated pod): the newest one is the one that exists now.
    return pods.reduce((a, b) => ((timeMs(b.metadata.creationTimestamp) ?? -Infinity) >= (timeMs(a.metadata.creationTimestamp) ?? -Infinity) ? b : a));
  }

  podsNamed(name: string): Pod[] {
    return [...(this.podsByName.get(name) ?? [])];
  }

  podByIp(ip: string, time: string | null): Pod | undefined {
    if (typeof ip !== 'string') return undefined;
    const leases = this.ipLeases.get(normalizeIp(ip));
    if (!leases) return undefined;
    const at = time === null ? undefined : timeMs(time);
    let best: IpLease | undefined;
    for (const lease of leases) {
      const covers = at === undefined ? !lease.over : lease.start <= at && at <= lease.end;
      if (covers && (!best || lease.start >= best.start)) best = lease;
    }
    return best?.pod;
  }

  containerById(id: string): ContainerRef | undefined {
    const wanted = normalizeContainerId(id);
    if (!wanted) return undefined;
    const entries = this.containersByPrefix.get(wanted.slice(0, MIN_CONTAINER_ID_PREFIX));
    if (!entries) return undefined;
    const matches = entries.filter((e) => e.id.startsWith(wanted) || wanted.startsWith(e.id));
    if (matches.length === 0) return undefined;
    const exact = matches.find((e) => e.id === wanted);
    if (exact) return exact.ref;
    // A prefix shared by containers of different pods identifies none of them.
    const first = matches[0].ref;
    const sameContainer = matches.every((e) => e.ref.pod === first.pod && e.ref.spec.name === first.spec.name);
    return sameContainer ? first : undefined;
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
    const pods = node
      ? this.podsByClusterNode.get(`${this.clusterOf(node)}\u0000${lower(node.metadata.name)}`)
      : this.podsByNodeName.get(lower(nodeName));
    return [...(pods ?? [])];
  }

  nodeOfPod(pod: Pod): Node | undefined {
    const nodeName = pod.spec?.nodeName;
    if (typeof nodeName !== 'string' || nodeName === '') return undefined;
    return this.nodeByClusterName.get(`${this.clusterOf(pod)}\u0000${lower(nodeName)}`);
  }

  ownerChain(obj: KubeObject): WorkloadRef[] {
    return [...this.cachedOwnerChain(obj)];
  }

  private cachedOwnerChain(obj: KubeObject): WorkloadRef[] {
    let chain = this.ownerChains.get(obj);
    if (!chain) {
      chain = this.sharedChain(this.resolveOwnerChain(obj));
      this.ownerChains.set(obj, chain);
    }
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
    const chain = this.cachedOwnerChain(pod);
    return chain.length > 0 ? chain[chain.length - 1] : undefined;
  }

  list(kind: ListKind): KubeObject[] {
    return [...(this.lists[kind] ?? [])];
  }

  serviceByIp(ip: string): KubeObject | undefined {
    return typeof ip === 'string' ? this.serviceByIpMap.get(normalizeIp(ip)) : undefined;
  }

  eventsFor(namespace: string, name: string): KubeObject[] {
    return [...(this.eventsByObject.get(`${namespace ?? ''}/${name}`) ?? [])];
  }

  execSessionsForPod(namespace: string, pod: string): ExecSession[] {
    return [...(this.execByPod.get(`${namespace}/${pod}`) ?? [])];
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
