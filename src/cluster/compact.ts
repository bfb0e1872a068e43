/**
 * Keeps a large snapshot small in memory. A 150,000-pod cluster repeats itself: every pod carries the same handful of
 * strings (namespaces, images, node names, label keys and values, probe commands) and bulky fields that no rule reads
 * (scheduling hints, resource requests, volumes other than host paths and their mounts, status conditions). Loaded pods drop those
 * fields and share their repeated strings. The dropped fields are listed here, as data; nothing in kdr-triage reads them.
 */

/** Pod fields dropped on load, by object: they are scheduling and bookkeeping, never evidence. */
export const DROPPED_POD_FIELDS = {
  metadata: ['resourceVersion', 'selfLink'],
  spec: [
    'tolerations',
    'affinity',
    'topologySpreadConstraints',
    'dnsConfig',
    'dnsPolicy',
    'enableServiceLinks',
    'preemptionPolicy',
    'priority',
    'priorityClassName',
    'schedulerName',
    'terminationGracePeriodSeconds',
    'restartPolicy',
    'readinessGates',
    'overhead',
    'imagePullSecrets',
  ],
  container: ['resources', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy'],
  status: ['conditions', 'qosClass', 'hostIPs'],
} as const;

/** Container lists of a pod spec; each container's `volumeMounts` and the spec's `volumes` are shared element by element. */
export const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** Volumes kept, by their source: the only ones a rule reads (support.ts: host paths mounted by a container). */
const KEPT_VOLUME_SOURCES = ['hostPath'] as const;

function keepsVolume(volume: Record<string, Json>): boolean {
  return KEPT_VOLUME_SOURCES.some((source) => Boolean(volume[source]));
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of `obj` without `drop`: copying (rather than deleting) keeps objects compact and fast. */
function without(obj: Record<string, Json>, drop: readonly string[]): Record<string, Json> {
  let found = false;
  for (const key of drop) if (key in obj) found = true;
  if (!found) return obj;
  const out: Record<string, Json> = {};
  for (const key of Object.keys(obj)) if (!drop.includes(key)) out[key] = obj[key];
  return out;
}

function slimContainers(list: Json | undefined): Json | undefined {
  if (!Array.isArray(list)) return list;
  return list.map((c) => (isObject(c) ? without(c, DROPPED_POD_FIELDS.container) : c));
}

/** A pod as kdr-triage keeps it (see DROPPED_POD_FIELDS); other kinds are left as they are. */
export function slimPod(pod: Record<string, Json>): Record<string, Json> {
  if (pod.kind !== 'Pod') return pod;
  const out: Record<string, Json> = { ...pod };
  if (isObject(pod.metadata)) out.metadata = without(pod.metadata, DROPPED_POD_FIELDS.metadata);
  if (isObject(pod.spec)) {
    // A copy even when nothing is dropped: the pod given is not changed (the snapshot writer slims its caller's pods).
    const spec = { ...without(pod.spec, DROPPED_POD_FIELDS.spec) };
    for (const key of CONTAINER_LISTS) if (key in spec) spec[key] = slimContainers(spec[key]) as Json;
    if (Array.isArray(spec.volumes)) {
      // Only host paths are evidence (a container that mounts the node's filesystem); the service-account token,
      // config maps, secrets and empty dirs that every pod mounts are not, nor are their mounts.
      const volumes = spec.volumes.filter((v) => !isObject(v) || keepsVolume(v));
      const kept = new Set(volumes.map((v) => (isObject(v) ? v.name : undefined)));
      if (volumes.length !== spec.volumes.length) {
        // Lists left empty go (`?? []` reads the same): two arrays less per pod.
        if (volumes.length > 0) spec.volumes = volumes;
        else delete spec.volumes;
        for (const key of CONTAINER_LISTS) {
          const list = spec[key];
          if (!Array.isArray(list)) continue;
          spec[key] = list.map((c) => {
            if (!isObject(c) || !Array.isArray(c.volumeMounts)) return c;
            const mounts = c.volumeMounts.filter((m) => !isObject(m) || kept.has(m.name));
            if (mounts.length === c.volumeMounts.length) return c;
            if (mounts.length > 0) return { ...c, volumeMounts: mounts };
            const { volumeMounts: _dropped, ...rest } = c;
            return rest;
          });
        }
      }
    }
    out.spec = spec;
  }
  if (isObject(pod.status)) out.status = without(pod.status, DROPPED_POD_FIELDS.status);
  return out;
}

/** Parts of a pod that replicas repeat: shared as whole values (equal JSON, one copy). */
export const SHARED_METADATA = ['labels', 'annotations', 'ownerReferences'] as const;
export const SHARED_SPEC = ['securityContext', 'nodeSelector'] as const;
export const SHARED_CONTAINER = ['command', 'args', 'env', 'ports', 'securityContext', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'] as const;

/**
 * Shares equal values across every object of a load: one copy of each repeated part of a pod (container commands,
 * probes, env names, labels, owner references). Interning every string as well was measured and dropped: on a
 * 150,000-pod snapshot it cost 5.5 s of a 19 s load and no peak memory (666 MB with it, 621 MB without).
 */
export class Interner {
  private readonly values = new Map<string, Json>();
  /** The last value shared under each field: replicas come one after another in a listing, so most parts equal it. */
  private readonly last = new Map<string, Json>();

  /** The object with its repeated parts shared (objects and arrays are updated in place). */
  intern<T>(value: T): T {
    const obj = value as unknown as Json;
    if (isObject(obj) && obj.kind === 'Pod') this.sharePod(obj);
    return obj as unknown as T;
  }

  private share(value: Json | undefined, field = ''): Json | undefined {
    if (value === null || typeof value !== 'object') return value;
    const previous = this.last.get(field);
    // Equal as JSON text (same keys in the same order): the previous pod's copy is the shared one.
    if (previous !== undefined && sameJson(previous, value)) return previous;
    const shared = this.shareByText(value);
    this.last.set(field, shared);
    return shared;
  }

  private shareByText(value: Json & object): Json {
    const key = JSON.stringify(value);
    const shared = this.values.get(key);
    if (shared !== undefined) return shared;
    this.values.set(key, value);
    return value;
  }

  private shareFields(obj: Record<string, Json>, keys: readonly string[], prefix: string): void {
    for (const key of keys) if (obj[key] !== undefined && typeof obj[key] === 'object') obj[key] = this.share(obj[key], prefix + key) as Json;
  }

  private sharePod(pod: Record<string, Json>): void {
    if (isObject(pod.metadata)) this.shareFields(pod.metadata, SHARED_METADATA, 'metadata.');
    const spec = pod.spec;
    if (!isObject(spec)) return;
    this.shareFields(spec, SHARED_SPEC, 'spec.');
    for (const key of CONTAINER_LISTS) {
      const list = spec[key];
      if (!Array.isArray(list)) continue;
      for (let i = 0; i < list.length; i++) {
        const c = list[i];
        if (!isObject(c)) continue;
        const prefix = `${key}.${i}.`;
        this.shareFields(c, SHARED_CONTAINER, prefix);
        if (Array.isArray(c.volumeMounts)) c.volumeMounts = c.volumeMounts.map((m, j) => this.share(m, `${prefix}volumeMounts.${j}`) as Json);
      }
    }
    if (Array.isArray(spec.volumes)) spec.volumes = spec.volumes.map((v, j) => this.share(v, `volumes.${j}`) as Json);
  }
}

/** Whether two JSON values have the same JSON text: same values, same keys in the same order. */
function sameJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  const other = Object.keys(b);
  if (keys.length !== other.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== other[i] || !sameJson(a[keys[i]], b[keys[i]])) return false;
  return true;
}
