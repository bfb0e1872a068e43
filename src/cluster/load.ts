/**
 * Cluster context from files: `kubectl get … -o json|yaml` output (a List, a typed *List, a single object,
 * multi-document YAML), and kdr-triage's own snapshot format, plain or gzip. Plain dumps given together are merged
 * into one snapshot per cluster; every object is sanitized on the way in.
 */
import { createReadStream } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { createRequire } from 'node:module';
import {
  RESOURCE_KINDS,
  emptySnapshot,
  type AuditActivity,
  type ClusterSnapshot,
  type ExecSession,
  type KubeObject,
  type ResourceKind,
  type SnapshotGap,
} from './model.js';
import { DROPPED_KINDS, sanitizeObject, sanitizeParsed } from './sanitize.js';
import { Interner, slimPod } from './compact.js';
import { JsonFramer } from '../alerts/readers/json.js';

export interface LoadOptions {
  /** Cluster name for plain kubectl dumps (own-format snapshots carry their own). Default "default". */
  clusterName?: string;
}

/** A snapshot path that does not exist or cannot be opened at all: a usage error, not a bad file inside a directory. */
export class SnapshotPathError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'SnapshotPathError';
  }
}

export const RESOURCE_OF_KIND: Readonly<Record<string, ResourceKind>> = {
  Node: 'nodes',
  Pod: 'pods',
  DaemonSet: 'daemonsets',
  Deployment: 'deployments',
  ReplicaSet: 'replicasets',
  StatefulSet: 'statefulsets',
  Job: 'jobs',
  CronJob: 'cronjobs',
  Service: 'services',
  Event: 'events',
  Namespace: 'namespaces',
};

const KIND_OF_RESOURCE: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(RESOURCE_OF_KIND).map(([kind, resource]) => [resource, kind]));

/** An object read by the streaming reader: already sanitized (clean) or not, with its newest timestamp. */
interface StreamedObject {
  value: unknown;
  newest: number;
  clean: boolean;
}

const SNAPSHOT_EXTENSIONS = ['.json', '.yaml', '.yml', '.json.gz', '.yaml.gz', '.yml.gz'];
const MAX_DIRECTORY_DEPTH = 32;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------------------
// observedUntil: the newest timestamp the objects themselves carry

function timeOf(value: unknown): number {
  if (typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? -Infinity : t;
  }
  if (value instanceof Date) return value.getTime();
  return -Infinity;
}

function newestInList(list: unknown, fields: readonly string[]): number {
  if (!Array.isArray(list)) return -Infinity;
  let newest = -Infinity;
  for (const item of list) {
    if (!isRecord(item)) continue;
    for (const f of fields) newest = Math.max(newest, timeOf(item[f]));
  }
  return newest;
}

function newestInContainerStatuses(list: unknown): number {
  if (!Array.isArray(list)) return -Infinity;
  let newest = -Infinity;
  for (const cs of list) {
    if (!isRecord(cs)) continue;
    for (const stateKey of ['state', 'lastState']) {
      const state = cs[stateKey];
      if (!isRecord(state)) continue;
      if (isRecord(state.running)) newest = Math.max(newest, timeOf(state.running.startedAt));
      if (isRecord(state.terminated)) newest = Math.max(newest, timeOf(state.terminated.startedAt), timeOf(state.terminated.finishedAt));
    }
  }
  return newest;
}

const CONDITION_TIMES = ['lastHeartbeatTime', 'lastTransitionTime', 'lastProbeTime', 'lastUpdateTime'] as const;
const STATUS_TIMES = ['startTime', 'completionTime', 'lastScheduleTime', 'lastSuccessfulTime'] as const;
const EVENT_TIMES = ['lastTimestamp', 'firstTimestamp', 'eventTime', 'deprecatedLastTimestamp', 'deprecatedFirstTimestamp'] as const;

/** Newest timestamp recorded in one object (ms since epoch, -Infinity when none). deletionTimestamp may lie in the future and is ignored. */
export function newestTimestampOf(obj: unknown): number {
  if (!isRecord(obj)) return -Infinity;
  let newest = -Infinity;
  const metadata = obj.metadata;
  if (isRecord(metadata)) {
    newest = Math.max(newest, timeOf(metadata.creationTimestamp), newestInList(metadata.managedFields, ['time']));
  }
  const status = obj.status;
  if (isRecord(status)) {
    newest = Math.max(newest, newestInList(status.conditions, CONDITION_TIMES));
    for (const f of STATUS_TIMES) newest = Math.max(newest, timeOf(status[f]));
    newest = Math.max(
      newest,
      newestInContainerStatuses(status.containerStatuses),
      newestInContainerStatuses(status.initContainerStatuses),
      newestInContainerStatuses(status.ephemeralContainerStatuses),
    );
  }
  for (const f of EVENT_TIMES) newest = Math.max(newest, timeOf(obj[f]));
  if (isRecord(obj.series)) newest = Math.max(newest, timeOf(obj.series.lastObservedTime));
  return newest;
}

function isoOrNull(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading files

async function readWhole(path: string): Promise<Buffer> {
  const head = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = createReadStream(path, { start: 0, end: 1 });
    s.on('data', (c) => chunks.push(c as Buffer));
    s.on('end', () => resolve(Buffer.concat(chunks)));
    s.on('error', reject);
  });
  const gzipped = head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
  const chunks: Buffer[] = [];
  const input = createReadStream(path);
  const stream = gzipped ? input.pipe(createGunzip()) : input;
  await new Promise<void>((resolve, reject) => {
    input.on('error', reject);
    stream.on('error', reject);
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve());
  });
  return Buffer.concat(chunks);
}

const SMALL_FILE_BYTES = 16 * 1024 * 1024;

/** Largest single object in a snapshot file (etcd itself stores at most 1.5 MB per object). */
const MAX_OBJECT_BYTES = 64 * 1024 * 1024;

/** Where a snapshot JSON file keeps its objects: a List's items, a top-level array, or an own snapshot's objects.<resource>. */
function snapshotArray(key: string, depth: number, parentKey: string | undefined): boolean {
  if (depth === 1 && key === 'items') return true;
  return depth === 2 && parentKey === 'objects' && (RESOURCE_KINDS as readonly string[]).includes(key);
}

async function* fileBytes(path: string): AsyncGenerator<Buffer> {
  const input = createReadStream(path, { highWaterMark: 1024 * 1024 });
  let first = true;
  let source: AsyncIterable<Buffer> = input;
  for await (const chunk of input) {
    const b = chunk as Buffer;
    if (first) {
      first = false;
      if (b[0] === 0x1f && b[1] === 0x8b) {
        // gzip: restart through the inflater (the first chunk is re-read; files are seekable).
        input.destroy();
        source = createReadStream(path, { highWaterMark: 1024 * 1024 }).pipe(createGunzip());
        break;
      }
    }
    yield b;
  }
  if (source !== input) for await (const chunk of source) yield chunk as Buffer;
}

/**
 * A JSON snapshot file, streamed: the objects of its records arrays are parsed one by one (a 150,000-pod dump is
 * larger than the longest string JavaScript can hold), the rest of the document whole. Returns undefined when the
 * file does not start like JSON (YAML).
 */
async function readJsonStreaming(path: string, loader: Loader, warn: (msg: string) => void): Promise<{ doc: unknown; streamed: Map<string, StreamedObject[]> } | undefined> {
  const framer = new JsonFramer(MAX_OBJECT_BYTES, undefined, { wrapperArray: snapshotArray, skeleton: true });
  const streamed = new Map<string, StreamedObject[]>();
  let checked = false;
  for await (let buf of fileBytes(path)) {
    if (!checked) {
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      const text = buf.subarray(0, 4096).toString('utf8');
      const first = /\S/.exec(text)?.[0];
      if (first === undefined && text.length === buf.length) continue;
      if (first !== '{' && first !== '[') return undefined;
      checked = true;
    }
    for (const frame of framer.push(buf)) take(frame);
  }
  if (!checked) return undefined;
  for (const frame of framer.end()) take(frame);
  return { doc: JSON.parse(framer.skeleton()), streamed };

  function take(frame: ReturnType<JsonFramer['push']>[number]): void {
    if (frame.kind === 'problem') {
      if (!frame.records || /truncated/.test(frame.message)) throw new Error(frame.message);
      warn(`snapshot: ${path}: an object at line ${frame.line} skipped: ${frame.message}`);
      return;
    }
    const key = frame.source ?? '';
    let list = streamed.get(key);
    if (!list) streamed.set(key, (list = []));
    // Objects are sanitized and shared as they arrive, so the raw dump is never held whole; an object whose kind
    // depends on the document (a typed List's items) waits for the document's end.
    const ownResource = (RESOURCE_KINDS as readonly string[]).includes(key) ? KIND_OF_RESOURCE[key] : undefined;
    const e = frame.elements!;
    for (let k = 0; k < e.length; k += 3) {
      const value: unknown = JSON.parse(frame.bytes.toString('utf8', e[k], e[k + 1]));
      const newest = newestTimestampOf(value);
      const kind = isRecord(value) ? (typeof value.kind === 'string' ? value.kind : ownResource) : undefined;
      const ready = isRecord(value) && kind !== undefined && !DROPPED_KINDS.has(kind) && !(typeof value.apiVersion === 'string' && value.apiVersion.startsWith('audit.k8s.io'));
      list.push(ready ? { value: loader.fresh(value, kind), newest, clean: true } : { value, newest, clean: false });
    }
  }
}

/** All documents in a file's text: JSON (one value) when it looks like JSON, else YAML (possibly multi-document). */
function parseDocuments(text: string): unknown[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = /\S/.exec(body)?.[0];
  if (first === undefined) return [];
  if (first === '{' || first === '[') return [JSON.parse(body)];
  // YAML costs ~35 ms to import: only YAML snapshots pay for it.
  const { parseAllDocuments } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const docs = parseAllDocuments(body);
  const list = Array.isArray(docs) ? docs : [docs];
  const out: unknown[] = [];
  for (const doc of list) {
    if (doc.errors.length > 0) throw new Error(doc.errors[0].message.split('\n')[0]);
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

async function collectFiles(path: string, warn: (msg: string) => void, explicit: boolean, depth: number, seen: Set<string>, out: string[]): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const message = `snapshot: cannot open ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
    if (explicit) throw new SnapshotPathError(path, message);
    warn(message);
    return;
  }
  if (info.isDirectory()) {
    if (depth >= MAX_DIRECTORY_DEPTH) {
      warn(`snapshot: ${path}: directories nested too deep, skipped`);
      return;
    }
    const real = await realpath(path).catch(() => path);
    if (seen.has(real)) return;
    seen.add(real);
    let entries: string[];
    try {
      entries = (await readdir(path)).sort();
    } catch (err) {
      warn(`snapshot: cannot read directory ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return;
    }
    for (const name of entries) {
      const child = join(path, name);
      const lower = name.toLowerCase();
      const childInfo = await stat(child).catch(() => undefined);
      if (childInfo?.isDirectory()) await collectFiles(child, warn, false, depth + 1, seen, out);
      else if (SNAPSHOT_EXTENSIONS.some((ext) => lower.endsWith(ext))) out.push(child);
    }
  } else {
    out.push(path);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Turning documents into snapshots

interface PlainCluster {
  snapshot: ClusterSnapshot;
  byKey: Record<ResourceKind, Map<string, KubeObject>>;
  newest: number;
}

class Loader {
  private readonly own: ClusterSnapshot[] = [];
  private readonly plain = new Map<string, PlainCluster>();
  private readonly ignoredKinds = new Map<string, number>();
  private serverVersion: string | undefined;

  /** Shares repeated parts across every object of this load (replicas, common strings). */
  private readonly interner = new Interner();

  constructor(
    private readonly warn: (msg: string) => void,
    private readonly clusterName: string,
  ) {}

  private plainCluster(): PlainCluster {
    let c = this.plain.get(this.clusterName);
    if (!c) {
      const byKey = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, new Map<string, KubeObject>()])) as Record<ResourceKind, Map<string, KubeObject>>;
      c = { snapshot: emptySnapshot(this.clusterName), byKey, newest: -Infinity };
      this.plain.set(this.clusterName, c);
    }
    return c;
  }

  private countIgnored(kind: string): void {
    this.ignoredKinds.set(kind, (this.ignoredKinds.get(kind) ?? 0) + 1);
  }

  /** One top-level document of a file. */
  addDocument(doc: unknown, file: string): void {
    if (Array.isArray(doc)) {
      for (const item of doc) this.addObject(item, undefined, file);
      return;
    }
    if (!isRecord(doc)) {
      this.warn(`snapshot: ${file}: not a Kubernetes object or list, skipped`);
      return;
    }
    const kind = typeof doc.kind === 'string' ? doc.kind : undefined;
    if (kind === 'KdrTriageSnapshot') {
      this.addOwnSnapshot(doc, file);
      return;
    }
    if (Array.isArray(doc.items) && (kind === undefined || kind.endsWith('List'))) {
      const itemKind = kind && kind !== 'List' ? kind.slice(0, -'List'.length) : undefined;
      for (const item of doc.items) this.addObject(item, itemKind, file);
      return;
    }
    if (kind === undefined && typeof doc.gitVersion === 'string') {
      this.serverVersion = doc.gitVersion;
      return;
    }
    this.addObject(doc, undefined, file);
  }

  private addObject(item: unknown, defaultKind: string | undefined, file: string, streamed?: StreamedObject): void {
    if (!isRecord(item)) {
      this.countIgnored('(not an object)');
      return;
    }
    const kind = typeof item.kind === 'string' ? item.kind : defaultKind;
    if (kind === undefined) {
      this.countIgnored('(no kind)');
      return;
    }
    if (typeof item.apiVersion === 'string' && item.apiVersion.startsWith('audit.k8s.io')) {
      this.countIgnored('audit Event (pass audit logs with --audit-log)');
      return;
    }
    if (DROPPED_KINDS.has(kind)) {
      this.countIgnored(kind);
      return;
    }
    const resource = RESOURCE_OF_KIND[kind];
    if (!resource) {
      this.countIgnored(kind);
      return;
    }
    const cluster = this.plainCluster();
    cluster.newest = Math.max(cluster.newest, streamed ? streamed.newest : newestTimestampOf(item));
    const clean = streamed ? (streamed.clean ? (item as KubeObject) : this.fresh(item, kind)) : sanitizeObject(item.kind === kind ? item : { ...item, kind });
    if (!clean || !isRecord(clean.metadata) || typeof clean.metadata.name !== 'string') {
      this.warn(`snapshot: ${file}: a ${kind} without metadata.name, skipped`);
      return;
    }
    cluster.byKey[resource].set(objectKey(clean), clean);
  }

  /** An object parsed from a snapshot file by the streaming reader: sanitized in place and its repeated parts shared. */
  fresh(item: Record<string, unknown>, kind: string): KubeObject | undefined {
    if (item.kind !== kind) item.kind = kind;
    const clean = sanitizeParsed(item);
    return clean && this.interner.intern(slimPod(clean as never) as unknown as KubeObject);
  }

  /**
   * A JSON document whose records arrays were streamed out of it (see readJsonStreaming): `doc` is the rest of it,
   * `streamed` the objects of each array by its key ('' for a top-level array, 'items', or an own snapshot's resource).
   */
  addStreamedDocument(doc: unknown, streamed: Map<string, StreamedObject[]>, file: string): void {
    const listOf = (key: string) => streamed.get(key) ?? [];
    if (Array.isArray(doc)) {
      for (const s of listOf('')) this.addObject(s.value, undefined, file, s);
      return;
    }
    if (isRecord(doc)) {
      const kind = typeof doc.kind === 'string' ? doc.kind : undefined;
      if (kind === 'KdrTriageSnapshot') {
        this.addOwnSnapshot(doc, file, streamed);
        return;
      }
      if (Array.isArray(doc.items) && (kind === undefined || kind.endsWith('List'))) {
        const itemKind = kind && kind !== 'List' ? kind.slice(0, -'List'.length) : undefined;
        for (const s of listOf('items')) this.addObject(s.value, itemKind, file, s);
        return;
      }
      // Not a list after all: put what was streamed back where it came from.
      if (streamed.has('items')) doc.items = listOf('items').map((s) => s.value);
      const objects = doc.objects;
      if (isRecord(objects)) for (const [key, list] of streamed) if (key !== '' && key !== 'items') objects[key] = list.map((s) => s.value);
    }
    this.addDocument(doc, file);
  }

  private addOwnSnapshot(doc: Record<string, unknown>, file: string, streamed?: Map<string, StreamedObject[]>): void {
    if (doc.version !== 1) this.warn(`snapshot: ${file}: snapshot version ${String(doc.version)} is not 1; reading it as version 1`);
    const cluster = typeof doc.cluster === 'string' && doc.cluster !== '' ? doc.cluster : this.clusterName;
    const snapshot = emptySnapshot(cluster);
    snapshot.capturedAt = typeof doc.capturedAt === 'string' && !Number.isNaN(Date.parse(doc.capturedAt)) ? new Date(Date.parse(doc.capturedAt)).toISOString() : null;
    for (const key of ['context', 'server', 'serverVersion'] as const) {
      if (typeof doc[key] === 'string') snapshot[key] = doc[key] as string;
    }
    let newest = -Infinity;
    const objects = isRecord(doc.objects) ? doc.objects : {};
    for (const [resource, list] of Object.entries(objects)) {
      if (!(RESOURCE_KINDS as readonly string[]).includes(resource)) {
        this.countIgnored(resource);
        continue;
      }
      if (!Array.isArray(list)) continue;
      const expectedKind = Object.keys(RESOURCE_OF_KIND).find((k) => RESOURCE_OF_KIND[k] === resource) as string;
      const target = snapshot.objects[resource as ResourceKind];
      const items: StreamedObject[] = streamed?.get(resource) ?? list.map((value) => ({ value, newest: NaN, clean: false }));
      for (const { value: item, newest: itemNewest, clean: ready } of items) {
        if (!isRecord(item)) continue;
        newest = Math.max(newest, streamed ? itemNewest : newestTimestampOf(item));
        const kind = typeof item.kind === 'string' ? item.kind : expectedKind;
        const clean = ready ? (item as KubeObject) : streamed ? this.fresh(item, kind) : sanitizeObject(typeof item.kind === 'string' ? item : { ...item, kind: expectedKind });
        if (clean && isRecord(clean.metadata) && typeof clean.metadata.name === 'string') target.push(clean);
      }
    }
    snapshot.execSessions = recordsOf<ExecSession>(doc.execSessions, (r) => typeof r.namespace === 'string' && typeof r.pod === 'string' && typeof r.start === 'string');
    snapshot.auditActivities = recordsOf<AuditActivity>(doc.auditActivities, (r) => typeof r.time === 'string');
    snapshot.gaps = recordsOf<SnapshotGap>(doc.gaps, (r) => typeof r.resource === 'string');
    snapshot.observedUntil = typeof doc.observedUntil === 'string' ? doc.observedUntil : isoOrNull(newest);
    this.own.push(snapshot);
  }

  finish(): ClusterSnapshot[] {
    for (const [kind, count] of [...this.ignoredKinds].sort(([a], [b]) => a.localeCompare(b))) {
      const why = DROPPED_KINDS.has(kind) ? 'never stored' : 'not used for triage';
      this.warn(`snapshot: ignored ${count} object(s) of kind ${kind} (${why})`);
    }
    const plain = [...this.plain.values()].map((c) => {
      for (const resource of RESOURCE_KINDS) c.snapshot.objects[resource] = [...c.byKey[resource].values()];
      c.snapshot.observedUntil = isoOrNull(c.newest);
      if (this.serverVersion) c.snapshot.serverVersion = this.serverVersion;
      return c.snapshot;
    });
    if (plain.length === 0 && this.serverVersion && this.own.length === 0) {
      const s = emptySnapshot(this.clusterName);
      s.serverVersion = this.serverVersion;
      plain.push(s);
    }
    return [...this.own, ...plain];
  }
}

function recordsOf<T>(value: unknown, valid: (r: Record<string, unknown>) => boolean): T[] {
  if (!Array.isArray(value)) return [];
  return value.filter((r): r is Record<string, unknown> => isRecord(r) && valid(r)) as unknown as T[];
}

/** Identity of an object inside one cluster: the UID when present, else kind/namespace/name. */
export function objectKey(obj: KubeObject): string {
  return obj.metadata.uid ? `uid:${obj.metadata.uid}` : `${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

/**
 * Load every snapshot file under `paths` (files or directories, recursively by extension). A path that does not
 * exist throws SnapshotPathError; a bad file inside produces a warning naming it and loading continues.
 */
export async function loadSnapshots(paths: string[], warn: (msg: string) => void, options: LoadOptions = {}): Promise<ClusterSnapshot[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  for (const p of paths) await collectFiles(p, warn, true, 0, seen, files);
  const loader = new Loader(warn, options.clusterName ?? 'default');
  for (const file of files) {
    try {
      const streamed = await readJsonStreaming(file, loader, warn);
      if (streamed) {
        loader.addStreamedDocument(streamed.doc, streamed.streamed, file);
        continue;
      }
    } catch (err) {
      // A small broken file is read whole again below, for the JSON parser's exact message.
      const small = await stat(file).then((st) => st.size <= SMALL_FILE_BYTES, () => false);
      if (!small) {
        warn(`snapshot: ${file}: cannot read: ${(err as Error).message.split('\n')[0]}`);
        continue;
      }
    }
    let docs: unknown[];
    try {
      const bytes = await readWhole(file);
      docs = parseDocuments(bytes.toString('utf8'));
    } catch (err) {
      warn(`snapshot: ${file}: cannot read: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    if (docs.length === 0) warn(`snapshot: ${file}: empty, skipped`);
    for (const doc of docs) loader.addDocument(doc, file);
  }
  return loader.finish();
}
