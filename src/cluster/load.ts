/**
 * Cluster context from files: `kubectl get … -o json|yaml` output (a List, a typed *List, a single object,
 * multi-document YAML), and kdr-triage's own snapshot format (version 2, one JSON value per line: snapshot-lines.ts;
 * version 1, one JSON document), plain or gzip. Plain dumps given together are merged into one snapshot per cluster;
 * every object is sanitized on the way in, and pods are trimmed (compact.ts) whichever format they came in.
 */
import { createReadStream, readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { createRequire } from 'node:module';
import { RESOURCE_KINDS, emptySnapshot, type ClusterSnapshot, type KubeObject, type ResourceKind } from './model.js';
import { objectKey } from './index.js';
import { JsonSplitter, type JsonSplitHandlers } from './load-stream.js';
import { Interner, slimPod } from './compact.js';
import { isLinesSnapshot, LINES_MAGIC, peekable, readLines, SnapshotLinesReader } from './snapshot-lines.js';
import { DROPPED_KINDS, sanitizeAuditActivity, sanitizeExecSession, sanitizeGap, sanitizeObject, scrubPlainObject } from './sanitize.js';

/** Objects a streaming read already scrubbed in place, and the newest timestamp they carried before scrubbing. */
interface PreparedObjects {
  newest: number;
  /** For own-format snapshots: newest per snapshot, by its position ('' for a lone snapshot, 'snapshots.<i>' in a list). */
  newestBySnapshot: Map<string, number>;
  objects: Set<object>;
}

function emptyPrepared(): PreparedObjects {
  return { newest: -Infinity, newestBySnapshot: new Map(), objects: new Set() };
}

export interface LoadOptions {
  /** Cluster name for plain kubectl dumps (own-format snapshots carry their own). Default "default". */
  clusterName?: string;
  /** Plain files up to this size are parsed whole rather than streamed (default WHOLE_FILE_BYTES; 0 streams all). */
  wholeFileBytes?: number;
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

/** YAML is parsed as one string: past this size, ask for JSON (which is streamed). */
const MAX_YAML_BYTES = 256 * 2 ** 20;

async function fileStream(path: string): Promise<AsyncIterable<Buffer>> {
  const head = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = createReadStream(path, { start: 0, end: 1 });
    s.on('data', (c) => chunks.push(c as Buffer));
    s.on('end', () => resolve(Buffer.concat(chunks)));
    s.on('error', reject);
  });
  const gzipped = head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  if (!gzipped) return input;
  const gunzip = createGunzip();
  input.on('error', (err) => gunzip.destroy(err));
  return input.pipe(gunzip);
}

function firstSignificantByte(chunk: Buffer): number | undefined {
  for (let i = 0; i < chunk.length; i++) {
    const b = chunk[i];
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    if (i === 0 && b === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      i += 2;
      continue;
    }
    return b;
  }
  return undefined;
}

function parseYamlDocuments(text: string): unknown[] {
  // YAML costs ~35 ms to import: only YAML snapshots pay for it.
  const { parseAllDocuments } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: unknown[] = [];
  for (const doc of parseAllDocuments(body) as ReturnType<typeof parseAllDocuments> & unknown[]) {
    if (doc.errors.length > 0) throw new Error(doc.errors[0].message.split('\n')[0]);
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/** Arrays that hold the objects of a dump: a top-level array, a List's `items`, a snapshot's `objects.<resource>`. */
function isObjectArrayPath(path: readonly string[]): boolean {
  return (
    path.length === 0 ||
    (path.length === 1 && path[0] === 'items') ||
    (path.length === 2 && path[0] === 'objects') ||
    (path.length === 3 && path[0] === 'snapshots' && path[1] === 'objects')
  );
}

function setPath(doc: unknown, path: string, values: unknown[]): unknown {
  if (path === '') return values;
  const keys = path.split('.');
  let target: unknown = doc;
  for (const key of keys.slice(0, -1)) {
    target = Array.isArray(target) ? target[Number(key)] : isRecord(target) ? target[key] : undefined;
  }
  if (isRecord(target)) target[keys[keys.length - 1]] = values;
  return doc;
}

/**
 * Plain files up to this size are read whole: one JSON.parse of a small dump costs a fraction of scanning it byte by
 * byte in code that has not warmed up yet (a start-up with a small snapshot). Bigger files are streamed.
 */
const WHOLE_FILE_BYTES = 8 * 2 ** 20;
/** Dumps from this size on share the parts replicas repeat (compact.ts, Interner); smaller ones are only slimmed. */
const SHARE_PARTS_FROM_BYTES = 2 ** 20;
/** The byte scanner ignores longer keys (load-stream.ts, MAX_TRACKED_KEY): arrays under them are never split. */
const SPLITTER_KEY_BYTES = 64;

/**
 * The contents of a regular file small enough to read whole, else undefined. Read synchronously: nothing else runs
 * while a snapshot loads, and each asynchronous step (stat, open, read, close) is a round trip through libuv's thread
 * pool, which on a busy machine waits for a thread to be scheduled each time (a start-up with a small snapshot).
 */
function smallFile(file: string, limit: number): Buffer | undefined {
  const info = statSync(file);
  if (!info.isFile() || info.size > limit) return undefined;
  const bytes = readFileSync(file);
  return bytes.length <= limit ? bytes : undefined;
}

async function* chunksOf(bytes: Buffer): AsyncIterable<Buffer> {
  if (bytes.length > 0) yield bytes;
}

/** Whether a key at the end of these keys may lead to a split array (isObjectArrayPath). */
function steersSplit(keys: readonly string[], key: string): boolean {
  if (keys.length === 0) return key === 'items' || key === 'objects' || key === 'snapshots';
  if (keys.length === 1) return keys[0] === 'objects' || (keys[0] === 'snapshots' && key === 'objects');
  return keys.length === 2 && keys[0] === 'snapshots' && keys[1] === 'objects';
}

/** Whether arrays under these keys, or under keys that continue them, can be split (isObjectArrayPath). */
function mayLeadToSplit(keys: readonly string[]): boolean {
  switch (keys.length) {
    case 0:
      return true;
    case 1:
      return keys[0] === 'items' || keys[0] === 'objects' || keys[0] === 'snapshots';
    case 2:
      return keys[0] === 'objects' || (keys[0] === 'snapshots' && keys[1] === 'objects');
    case 3:
      return keys[0] === 'snapshots' && keys[1] === 'objects';
    default:
      return false;
  }
}

/** How often `"key":` (space allowed before the colon) occurs in a JSON text: a quoted string followed by a colon is a key. */
function keysInText(text: string, key: string): number {
  const quoted = `"${key}"`;
  let count = 0;
  for (let at = text.indexOf(quoted); at >= 0; at = text.indexOf(quoted, at + quoted.length)) {
    let next = at + quoted.length;
    while (next < text.length && (text[next] === ' ' || text[next] === '\n' || text[next] === '\r' || text[next] === '\t')) next++;
    if (text[next] === ':') count++;
  }
  return count;
}

/** Keys the fast path checks for duplicates by counting them in the text: plain names, spelt the same everywhere. */
const PLAIN_KEY = /^[A-Za-z0-9._-]+$/;
/** A \u escape that could spell a plain key's character or a quote differently from the text's other mentions. */
const PLAIN_ESCAPE = /\\u00(?:2[2de]|3\d|[4-7][\da-f])/i;

/**
 * How often each name is a key in this value, as the text writes keys: `"name":`, also at the end of a key that holds
 * a quote (`x"name` is written "x\"name"). Strings are not keys, whatever they hold.
 */
function keyMentions(value: object, counts: Map<string, number>): void {
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (typeof item === 'object' && item !== null) keyMentions(item, counts);
    return;
  }
  const record = value as Record<string, unknown>;
  // for…in over a parsed object (own keys only: JSON.parse makes no enumerable inherited ones) allocates no key list.
  for (const key in record) {
    const count = counts.get(key);
    if (count !== undefined) counts.set(key, count + 1);
    else if (key.includes('"')) for (const [name, n] of counts) if (key.endsWith(`"${name}`)) counts.set(name, n + 1);
    const child = record[key];
    if (typeof child === 'object' && child !== null) keyMentions(child, counts);
  }
}

/**
 * A whole small JSON file, handed to the splitter's handlers exactly as JsonSplitter would: the elements of the arrays
 * it splits (in document order, primitives as null), then the document with those arrays empty. Returns false, having
 * called no handler, whenever the streaming reader could see the file differently — not one JSON value (several,
 * truncated, invalid: the splitter reports those its own way), or a key that leads to a split array spelt twice or
 * spelt with escapes (JSON.parse keeps the last of two equal keys, the splitter reads the elements of both arrays).
 */
function splitWhole(bytes: Buffer, handlers: JsonSplitHandlers): boolean {
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof doc !== 'object' || doc === null) return false;
  const splits: { path: string; elements: unknown[] }[] = [];
  const steering = new Map<string, number>();
  const splitsAt = (keys: readonly string[]): boolean => isObjectArrayPath(keys) && keys.every((k) => Buffer.byteLength(k) <= SPLITTER_KEY_BYTES);
  // Returns the value to keep in the document: a split array is replaced by an empty one.
  const walk = (value: unknown, keys: string[], position: string[]): unknown => {
    if (!mayLeadToSplit(keys)) return value;
    if (Array.isArray(value)) {
      if (splitsAt(keys)) {
        splits.push({ path: position.join('.'), elements: value });
        return [];
      }
      for (let i = 0; i < value.length; i++) value[i] = walk(value[i], keys, [...position, String(i)]);
      return value;
    }
    if (isRecord(value)) {
      for (const key of Object.keys(value)) value[key] = walk(value[key], [...keys, key], [...position, key]);
    }
    return value;
  };
  // Count the keys that steer the split before the walk changes anything.
  const dry = (value: unknown, keys: string[]): void => {
    if (!mayLeadToSplit(keys)) return;
    if (Array.isArray(value)) {
      if (splitsAt(keys)) return;
      for (const item of value) dry(item, keys);
    } else if (isRecord(value)) {
      for (const key of Object.keys(value)) {
        if (steersSplit(keys, key)) steering.set(key, (steering.get(key) ?? 0) + 1);
        dry(value[key], [...keys, key]);
      }
    }
  };
  dry(doc, []);
  // A key spelt twice leaves one mention fewer in the parsed value than in the text.
  if (steering.size > 0) {
    if (![...steering.keys()].every((key) => PLAIN_KEY.test(key)) || PLAIN_ESCAPE.test(text)) return false;
    const mentioned = new Map([...steering.keys()].map((key) => [key, 0]));
    keyMentions(doc, mentioned);
    for (const [key, count] of mentioned) if (keysInText(text, key) !== count) return false;
  }
  const skeleton = walk(doc, [], []);
  for (const { path, elements } of splits) {
    for (const element of elements) handlers.element(0, path, typeof element === 'object' ? element : null);
  }
  handlers.document(0, skeleton);
  return true;
}

/**
 * Read one file and hand each top-level document to `onDocument`. JSON is streamed (objects of the big arrays are
 * parsed one at a time, scrubbed at once and their timestamps noted); YAML is parsed whole.
 */
async function readSnapshotFile(
  file: string,
  warn: (msg: string) => void,
  onDocument: (doc: unknown, prepared: PreparedObjects | undefined) => void,
  lines: { onSnapshot: (snapshot: ClusterSnapshot) => void; ignored: (kind: string) => void; clusterName: string },
  wholeFileBytes: number,
): Promise<number> {
  const whole = smallFile(file, wholeFileBytes);
  const gzipped = whole !== undefined && whole.length >= 2 && whole[0] === 0x1f && whole[1] === 0x8b;
  const stream = await peekable(whole && !gzipped ? chunksOf(whole) : await fileStream(file), LINES_MAGIC.length + 3);
  if (isLinesSnapshot(stream.head)) {
    // kdr-triage's own version-2 format: one object per line, shared parts once.
    const reader = new SnapshotLinesReader({ file, warn, ignored: lines.ignored, defaultCluster: lines.clusterName });
    await readLines(stream, reader);
    const snapshots = reader.finish();
    snapshots.forEach(lines.onSnapshot);
    return snapshots.length;
  }
  let splitter: JsonSplitter | undefined;
  let yamlChunks: Buffer[] | undefined;
  let yamlBytes = 0;
  let documents = 0;
  let pending: { path: string; values: unknown[] }[] = [];
  let prepared = emptyPrepared();
  // A big dump repeats itself (replicas, strings): objects are slimmed and share their repeated parts as they arrive.
  // A small one is only slimmed: sharing saves it little memory and costs a start-up more than it saves.
  const interner = whole && whole.length < SHARE_PARTS_FROM_BYTES ? undefined : new Interner();
  const handlers = {
    split: isObjectArrayPath,
    element: (_doc: number, path: string, parsed: unknown): void => {
      let slot = pending.find((p) => p.path === path);
      if (!slot) pending.push((slot = { path, values: [] }));
      let value = parsed;
      if (isRecord(value)) {
        const newest = newestTimestampOf(value);
        prepared.newest = Math.max(prepared.newest, newest);
        const at = path.lastIndexOf('objects.');
        if (at >= 0) {
          const owner = path.slice(0, Math.max(0, at - 1));
          prepared.newestBySnapshot.set(owner, Math.max(prepared.newestBySnapshot.get(owner) ?? -Infinity, newest));
        }
        scrubPlainObject(value);
        value = slimPod(value as never);
        if (interner) value = interner.intern(value);
        prepared.objects.add(value as object);
      }
      slot.values.push(value);
    },
    badElement: (_doc: number, path: string, index: number, error: Error): void => {
      warn(`snapshot: ${file}: ${path || 'array'}[${index}] is not valid JSON (${error.message.split('\n')[0]}), skipped`);
    },
    document: (_doc: number, skeleton: unknown): void => {
      let doc = skeleton;
      for (const { path, values } of pending) doc = setPath(doc, path, values);
      documents++;
      onDocument(doc, prepared);
      pending = [];
      prepared = emptyPrepared();
    },
  };
  if (whole && !gzipped) {
    const first = firstSignificantByte(whole);
    if ((first === 0x7b || first === 0x5b) && splitWhole(whole, handlers)) return documents;
  }
  for await (const chunk of stream) {
    if (!splitter && !yamlChunks) {
      const first = firstSignificantByte(chunk);
      if (first === undefined) continue;
      if (first === 0x7b || first === 0x5b) splitter = new JsonSplitter(handlers);
      else yamlChunks = [];
    }
    if (splitter) splitter.push(chunk);
    else if (yamlChunks) {
      yamlBytes += chunk.length;
      if (yamlBytes > MAX_YAML_BYTES) throw new Error(`YAML larger than ${MAX_YAML_BYTES / 2 ** 20} MiB; export it as JSON (-o json), which is streamed`);
      yamlChunks.push(chunk);
    }
  }
  if (splitter) {
    if (splitter.pending && pending.length > 0) {
      // A truncated dump: keep the objects read so far (they carry their own kind) and say so.
      warn(`snapshot: ${file}: unexpected end of file (truncated JSON); keeping the ${pending.reduce((n, p) => n + p.values.length, 0)} object(s) read`);
      handlers.document(0, {});
      return documents;
    }
    splitter.end();
  } else if (yamlChunks) {
    for (const doc of parseYamlDocuments(Buffer.concat(yamlChunks).toString('utf8'))) {
      documents++;
      onDocument(doc, undefined);
    }
  }
  return documents;
}

// Snapshot paths are looked up synchronously, like a small snapshot is read (see smallFile): no thread-pool round trips.
function realPathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

async function collectFiles(path: string, warn: (msg: string) => void, explicit: boolean, depth: number, seen: Set<string>, out: string[]): Promise<void> {
  let info;
  try {
    info = statSync(path);
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
    const real = realPathOr(path);
    if (seen.has(real)) return;
    seen.add(real);
    let entries: string[];
    try {
      entries = readdirSync(path).sort();
    } catch (err) {
      warn(`snapshot: cannot read directory ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return;
    }
    for (const name of entries) {
      const child = join(path, name);
      const lower = name.toLowerCase();
      const childInfo = statOrUndefined(child);
      if (childInfo?.isDirectory()) await collectFiles(child, warn, false, depth + 1, seen, out);
      else if (SNAPSHOT_EXTENSIONS.some((ext) => lower.endsWith(ext))) await collectFiles(child, warn, false, depth + 1, seen, out);
    }
  } else {
    // The same file reached twice (given explicitly and inside a given directory) is read once.
    const real = realPathOr(path);
    if (seen.has(real)) return;
    seen.add(real);
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

  /** A snapshot read complete and sanitised (version-2 files). */
  addSnapshot(snapshot: ClusterSnapshot): void {
    this.own.push(snapshot);
  }

  countIgnored(kind: string): void {
    this.ignoredKinds.set(kind, (this.ignoredKinds.get(kind) ?? 0) + 1);
  }

  /** One top-level document of a file; `prepared` lists the objects the streaming reader already scrubbed. */
  addDocument(doc: unknown, file: string, prepared?: PreparedObjects): void {
    if (Array.isArray(doc)) {
      this.notePlainNewest(prepared);
      for (const item of doc) this.addObject(item, undefined, file, prepared);
      return;
    }
    if (!isRecord(doc)) {
      this.warn(`snapshot: ${file}: not a Kubernetes object or list, skipped`);
      return;
    }
    const kind = typeof doc.kind === 'string' ? doc.kind : undefined;
    if (kind === 'KdrTriageSnapshot') {
      this.addOwnSnapshot(doc, file, prepared, '');
      return;
    }
    if (kind === 'KdrTriageSnapshotList') {
      // Several clusters captured together (`kdr-triage snapshot` with several contexts).
      if (doc.version !== 1) this.warn(`snapshot: ${file}: snapshot list version ${String(doc.version)} is not 1; reading it as version 1`);
      const list = Array.isArray(doc.snapshots) ? doc.snapshots : [];
      for (const [i, snapshot] of list.entries()) {
        if (isRecord(snapshot) && snapshot.kind === 'KdrTriageSnapshot') this.addOwnSnapshot(snapshot, file, prepared, `snapshots.${i}`);
        else this.warn(`snapshot: ${file}: an entry of the snapshot list is not a KdrTriageSnapshot, skipped`);
      }
      return;
    }
    this.notePlainNewest(prepared);
    if (Array.isArray(doc.items) && (kind === undefined || kind.endsWith('List'))) {
      const itemKind = kind && kind !== 'List' ? kind.slice(0, -'List'.length) : undefined;
      for (const item of doc.items) this.addObject(item, itemKind, file, prepared);
      return;
    }
    if (kind === undefined && typeof doc.gitVersion === 'string') {
      this.serverVersion = doc.gitVersion;
      return;
    }
    this.addObject(doc, undefined, file, prepared);
  }

  private notePlainNewest(prepared: PreparedObjects | undefined): void {
    if (prepared && prepared.objects.size > 0) {
      const cluster = this.plainCluster();
      cluster.newest = Math.max(cluster.newest, prepared.newest);
    }
  }

  /** Sanitized copy, or for objects the streaming reader prepared, the object itself with its kind filled in. */
  private clean(item: Record<string, unknown>, kind: string, prepared: PreparedObjects | undefined): KubeObject | undefined {
    if (prepared?.objects.has(item)) {
      if (item.kind !== kind) item.kind = kind;
      return item as unknown as KubeObject;
    }
    const clean = sanitizeObject(item.kind === kind ? item : { ...item, kind });
    // Pods lose what the streaming reader drops from them (compact.ts), whichever format they came in.
    return clean && (slimPod(clean as never) as unknown as KubeObject);
  }

  private addObject(item: unknown, defaultKind: string | undefined, file: string, prepared: PreparedObjects | undefined): void {
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
    if (!prepared?.objects.has(item)) cluster.newest = Math.max(cluster.newest, newestTimestampOf(item));
    const clean = this.clean(item, kind, prepared);
    if (!clean || !isRecord(clean.metadata) || typeof clean.metadata.name !== 'string') {
      this.warn(`snapshot: ${file}: a ${kind} without metadata.name, skipped`);
      return;
    }
    cluster.byKey[resource].set(objectKey(clean), clean);
  }

  private addOwnSnapshot(doc: Record<string, unknown>, file: string, prepared: PreparedObjects | undefined, position: string): void {
    if (doc.version !== 1) this.warn(`snapshot: ${file}: snapshot version ${String(doc.version)} is not 1; reading it as version 1`);
    const cluster = typeof doc.cluster === 'string' && doc.cluster !== '' ? doc.cluster : this.clusterName;
    const snapshot = emptySnapshot(cluster);
    snapshot.capturedAt = typeof doc.capturedAt === 'string' && !Number.isNaN(Date.parse(doc.capturedAt)) ? new Date(Date.parse(doc.capturedAt)).toISOString() : null;
    for (const key of ['context', 'server', 'serverVersion'] as const) {
      if (typeof doc[key] === 'string') snapshot[key] = doc[key] as string;
    }
    let newest = prepared?.newestBySnapshot.get(position) ?? -Infinity;
    const objects = isRecord(doc.objects) ? doc.objects : {};
    for (const [resource, list] of Object.entries(objects)) {
      if (!(RESOURCE_KINDS as readonly string[]).includes(resource)) {
        this.countIgnored(resource);
        continue;
      }
      if (!Array.isArray(list)) continue;
      const expectedKind = Object.keys(RESOURCE_OF_KIND).find((k) => RESOURCE_OF_KIND[k] === resource) as string;
      const target = snapshot.objects[resource as ResourceKind];
      for (const item of list) {
        if (!isRecord(item)) continue;
        if (!prepared?.objects.has(item)) newest = Math.max(newest, newestTimestampOf(item));
        const clean = this.clean(item, typeof item.kind === 'string' ? item.kind : expectedKind, prepared);
        if (clean && DROPPED_KINDS.has(clean.kind)) continue;
        if (clean && isRecord(clean.metadata) && typeof clean.metadata.name === 'string') target.push(clean);
      }
    }
    // Known fields only, commands redacted: a hand-edited or older snapshot must not carry credentials onward.
    snapshot.execSessions = recordsOf<Record<string, unknown>>(doc.execSessions, (r) => typeof r.namespace === 'string' && typeof r.pod === 'string' && typeof r.start === 'string').map(sanitizeExecSession);
    snapshot.auditActivities = recordsOf<Record<string, unknown>>(doc.auditActivities, (r) => typeof r.time === 'string').map(sanitizeAuditActivity);
    snapshot.gaps = recordsOf<Record<string, unknown>>(doc.gaps, (r) => typeof r.resource === 'string').map(sanitizeGap);
    snapshot.observedUntil = typeof doc.observedUntil === 'string' ? doc.observedUntil : isoOrNull(newest);
    this.own.push(snapshot);
  }

  finish(): ClusterSnapshot[] {
    for (const [kind, count] of [...this.ignoredKinds].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
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
      const documents = await readSnapshotFile(file, warn, (doc, prepared) => loader.addDocument(doc, file, prepared), {
        onSnapshot: (snapshot) => loader.addSnapshot(snapshot),
        ignored: (kind) => loader.countIgnored(kind),
        clusterName: options.clusterName ?? 'default',
      }, options.wholeFileBytes ?? WHOLE_FILE_BYTES);
      if (documents === 0) warn(`snapshot: ${file}: empty, skipped`);
    } catch (err) {
      // JSON.parse quotes the text around the error; a broken `kubectl get secrets` dump must not reach stderr that way.
      const reason = (err as Error).message.split('\n')[0].replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/, ' (not valid JSON)');
      warn(`snapshot: ${file}: cannot read: ${reason}`);
    }
  }
  return loader.finish();
}
