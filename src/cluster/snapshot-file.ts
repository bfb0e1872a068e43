/**
 * kdr-triage's own snapshot file, gzip-compressed when the path ends in `.gz`. Written in version 2 (one JSON value
 * per line, replicas' shared parts once: snapshot-lines.ts); version 1, one ClusterSnapshot (or, for several
 * contexts, a KdrTriageSnapshotList of them) as pretty-printed JSON, is still read, and written on request.
 *
 * Writing is deterministic: a fixed order of the top-level fields, object lists sorted by namespace/name/uid,
 * object keys sorted, so the same cluster state gives the same bytes whichever way it was captured. Both directions
 * stream: a 150,000-pod cluster is larger than the biggest string V8 can hold.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import { isLinesSnapshot, LINES_MAGIC, peekable, readLines, snapshotLines, SnapshotLinesReader } from './snapshot-lines.js';
import { RESOURCE_KINDS, type AuditActivity, type ClusterSnapshot, type ExecSession, type KubeObject, type ResourceKind, type SnapshotGap } from './model.js';

export const SNAPSHOT_KIND = 'KdrTriageSnapshot';
export const SNAPSHOT_LIST_KIND = 'KdrTriageSnapshotList';

export interface SnapshotList {
  kind: typeof SNAPSHOT_LIST_KIND;
  version: 1;
  snapshots: ClusterSnapshot[];
}

export class SnapshotFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotFormatError';
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Namespace, name, uid: a stable order whatever order the server (or a retry) produced. */
export function compareObjects(a: KubeObject, b: KubeObject): number {
  return (
    compareText(a.metadata?.namespace ?? '', b.metadata?.namespace ?? '') ||
    compareText(a.metadata?.name ?? '', b.metadata?.name ?? '') ||
    compareText(a.metadata?.uid ?? '', b.metadata?.uid ?? '')
  );
}

function compareBy<T>(...keys: ((item: T) => string | number | undefined)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const x = key(a) ?? '';
      const y = key(b) ?? '';
      if (x !== y) return typeof x === 'number' && typeof y === 'number' ? x - y : compareText(String(x), String(y));
    }
    return 0;
  };
}

const compareGaps = compareBy<SnapshotGap>((g) => RESOURCE_KINDS.indexOf(g.resource as ResourceKind), (g) => g.resource, (g) => g.cluster, (g) => g.reason);
const compareSessions = compareBy<ExecSession>((s) => s.start, (s) => s.namespace, (s) => s.pod, (s) => s.container, (s) => s.user, (s) => s.kind, (s) => s.end, (s) => JSON.stringify(s.command));
const compareActivities = compareBy<AuditActivity>((a) => a.time, (a) => a.user, (a) => a.verb, (a) => a.resource, (a) => a.subresource, (a) => a.namespace, (a) => a.name);

/** JSON.stringify replacer that emits object keys in sorted order. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  // Null prototype: a "__proto__" key (JSON.parse makes it an own property) must stay a plain key.
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(record).sort(compareText)) out[k] = record[k];
  return out;
}

const wrappers: { prefix: number; suffix: number }[] = [];

/**
 * `JSON.stringify(value, sortedKeys, 2)` as it reads when nested `level` levels deep. The value is wrapped in
 * `level` arrays so that JSON.stringify indents it itself, and the wrappers are cut off again: much cheaper than
 * re-indenting every line of a large object.
 */
function nested(value: unknown, level: number): string {
  let wrapped = value;
  for (let i = 0; i < level; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, sortedKeys, 2);
  if (level === 0) return text;
  let cut = wrappers[level];
  if (!cut) {
    let prefix = 0;
    let suffix = 0;
    for (let i = 0; i < level; i++) {
      prefix += 2 * i + 2; // indentation, "[", "\n"
      suffix += 2 * i + 2; // "\n", indentation, "]"
    }
    cut = { prefix: prefix + 2 * level, suffix };
    wrappers[level] = cut;
  }
  return text.slice(cut.prefix, text.length - cut.suffix);
}

/** The text of one snapshot nested `level` levels deep, in pieces; objects one at a time. */
function* snapshotPieces(snapshot: ClusterSnapshot, level: number): Generator<string> {
  const pad = '  '.repeat(level + 1);
  const header: [string, unknown][] = [
    ['kind', SNAPSHOT_KIND],
    ['version', snapshot.version ?? 1],
    ['capturedAt', snapshot.capturedAt ?? null],
    ['cluster', snapshot.cluster],
    ['context', snapshot.context],
    ['server', snapshot.server],
    ['serverVersion', snapshot.serverVersion],
    ['gaps', [...(snapshot.gaps ?? [])].sort(compareGaps)],
    ['execSessions', [...(snapshot.execSessions ?? [])].sort(compareSessions)],
    ['auditActivities', [...(snapshot.auditActivities ?? [])].sort(compareActivities)],
  ];
  yield '{\n';
  for (const [key, value] of header) {
    if (value !== undefined) yield `${pad}${JSON.stringify(key)}: ${nested(value, level + 1)},\n`;
  }
  yield `${pad}"objects": {\n`;
  for (let k = 0; k < RESOURCE_KINDS.length; k++) {
    const kind = RESOURCE_KINDS[k];
    const list = [...(snapshot.objects?.[kind] ?? [])].sort(compareObjects);
    const comma = k < RESOURCE_KINDS.length - 1 ? ',' : '';
    if (list.length === 0) {
      yield `${pad}  "${kind}": []${comma}\n`;
      continue;
    }
    yield `${pad}  "${kind}": [\n`;
    for (let i = 0; i < list.length; i++) yield `${pad}    ${nested(list[i], level + 3)}${i < list.length - 1 ? ',' : ''}\n`;
    yield `${pad}  ]${comma}\n`;
  }
  yield `${pad}}\n${'  '.repeat(level)}}`;
}

/** The whole document in pieces: exactly `JSON.stringify(canonical, null, 2)` plus a final newline. */
export function* snapshotDocument(snapshots: ClusterSnapshot | readonly ClusterSnapshot[]): Generator<string> {
  const list = Array.isArray(snapshots) ? snapshots : [snapshots as ClusterSnapshot];
  if (list.length === 1) {
    yield* snapshotPieces(list[0], 0);
  } else {
    yield `{\n  "kind": "${SNAPSHOT_LIST_KIND}",\n  "version": 1,\n  "snapshots": [`;
    if (list.length > 0) yield '\n';
    for (let i = 0; i < list.length; i++) {
      yield '    ';
      yield* snapshotPieces(list[i], 2);
      yield i < list.length - 1 ? ',\n' : '\n  ';
    }
    yield ']\n}';
  }
  yield '\n';
}

/** Groups small pieces into ~256 KiB strings: far fewer stream writes. */
function* batched(pieces: Iterable<string>, size = 256 * 1024): Generator<string> {
  let buffer: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    buffer.push(piece);
    length += piece.length;
    if (length >= size) {
      yield buffer.join('');
      buffer = [];
      length = 0;
    }
  }
  if (length > 0) yield buffer.join('');
}

export interface WriteOptions {
  /** Where `-` writes (default process.stdout). */
  stdout?: NodeJS.WritableStream;
  /** zlib level for `.gz` (default 6). */
  gzipLevel?: number;
  /** File format version: 2 (default, fast to load) or 1 (one pretty-printed JSON document). */
  formatVersion?: 1 | 2;
  /**
   * Version 2: sort objects, gaps, sessions and activities (default true, as for a live capture). A conversion keeps
   * the order of its sources, so that the converted file loads into exactly what they load into.
   */
  sort?: boolean;
}

/** The text of a version-2 file, in pieces. */
export function* snapshotLinesDocument(snapshots: ClusterSnapshot | readonly ClusterSnapshot[], sort = true): Generator<string> {
  const list = Array.isArray(snapshots) ? snapshots : [snapshots as ClusterSnapshot];
  for (const line of snapshotLines(list, { sort, compareObjects, compareGaps, compareSessions, compareActivities })) yield `${line}\n`;
}

/**
 * Writes one snapshot, or several as a KdrTriageSnapshotList, to `path` (`-` = stdout, never gzipped).
 * The file is written beside its destination and renamed into place, so a failed run leaves no half file.
 */
export async function writeSnapshot(snapshots: ClusterSnapshot | readonly ClusterSnapshot[], path: string, options: WriteOptions = {}): Promise<void> {
  const chunks = batched(options.formatVersion === 1 ? snapshotDocument(snapshots) : snapshotLinesDocument(snapshots, options.sort ?? true));
  if (path === '-') {
    const out = options.stdout ?? process.stdout;
    for (const chunk of chunks) if (!out.write(chunk)) await once(out, 'drain');
    return;
  }
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  try {
    const source = Readable.from(chunks);
    if (path.endsWith('.gz')) await pipeline(source, createGzip({ level: options.gzipLevel ?? 6 }), createWriteStream(temporary));
    else await pipeline(source, createWriteStream(temporary));
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

interface Frame {
  array: boolean;
  /** Last key read in this object. */
  key?: string;
  /** The key this container sits under in its parent object. */
  parentKey?: string;
  /** For an `objects.<kind>` array: where its elements go. */
  collect?: unknown[];
}

const STRING_END = /["\\]/g;
const STRUCTURE = /["{}[\]]/g;

/**
 * Splits the document as it streams in: each element of an `objects.<kind>` array is parsed on its own, everything
 * else (the small "skeleton") is kept as text with those arrays left empty and parsed at the end. No string ever
 * holds more than one Kubernetes object or the skeleton.
 */
class SnapshotSplitter {
  private readonly frames: Frame[] = [];
  private readonly skeleton: string[] = [];
  /** One map per `objects` object met, in document order: kind → elements. */
  readonly groups: Record<string, unknown[]>[] = [];
  private inString = false;
  private escaped = false;
  private expectKey = false;
  private keyParts: string[] | null = null;
  private capture: { depth: number; parts: string[]; into: unknown[] } | null = null;
  private first = true;

  push(text: string): void {
    let s = text;
    if (this.first) {
      this.first = false;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    const n = s.length;
    const top = (): Frame | undefined => this.frames[this.frames.length - 1];
    let skeletonFrom = this.capture || top()?.collect ? -1 : 0;
    let captureFrom = this.capture ? 0 : -1;
    let keyFrom = this.keyParts ? 0 : -1;
    let i = 0;
    while (i < n) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          i++;
          continue;
        }
        STRING_END.lastIndex = i;
        const m = STRING_END.exec(s);
        if (!m) {
          i = n;
          break;
        }
        i = m.index;
        if (s.charCodeAt(i) === 92) {
          this.escaped = true;
          i++;
          continue;
        }
        this.inString = false;
        if (this.keyParts) {
          this.keyParts.push(s.slice(keyFrom, i));
          const frame = top();
          if (frame) frame.key = JSON.parse(`"${this.keyParts.join('')}"`) as string;
          this.keyParts = null;
          keyFrom = -1;
        }
        i++;
        continue;
      }
      if (this.capture) {
        STRUCTURE.lastIndex = i;
        const m = STRUCTURE.exec(s);
        if (!m) {
          i = n;
          break;
        }
        i = m.index;
        const c = s.charCodeAt(i);
        if (c === 34) this.inString = true;
        else if (c === 123 || c === 91) this.capture.depth++;
        else if (--this.capture.depth === 0) {
          this.capture.parts.push(s.slice(captureFrom, i + 1));
          this.capture.into.push(JSON.parse(this.capture.parts.join('')));
          this.capture = null;
          captureFrom = -1;
        }
        i++;
        continue;
      }
      const c = s.charCodeAt(i);
      const frame = top();
      if (frame?.collect) {
        if (c === 123) {
          this.capture = { depth: 1, parts: [], into: frame.collect };
          captureFrom = i;
        } else if (c === 93) {
          this.frames.pop();
          skeletonFrom = i;
        } else if (c !== 32 && c !== 10 && c !== 13 && c !== 9 && c !== 44) {
          throw new SnapshotFormatError(`objects.${frame.parentKey ?? '?'} must hold Kubernetes objects`);
        }
        i++;
        continue;
      }
      switch (c) {
        case 34:
          this.inString = true;
          if (frame && !frame.array && this.expectKey) {
            this.keyParts = [];
            keyFrom = i + 1;
          }
          break;
        case 58:
          this.expectKey = false;
          break;
        case 44:
          this.expectKey = frame !== undefined && !frame.array;
          break;
        case 123: {
          const parentKey = frame && !frame.array ? frame.key : undefined;
          this.frames.push({ array: false, parentKey });
          this.expectKey = true;
          if (parentKey === 'objects') this.groups.push({});
          break;
        }
        case 91: {
          const parentKey = frame && !frame.array ? frame.key : undefined;
          if (frame && !frame.array && frame.parentKey === 'objects' && parentKey !== undefined && this.groups.length > 0) {
            const list: unknown[] = [];
            this.groups[this.groups.length - 1][parentKey] = list;
            this.frames.push({ array: true, parentKey, collect: list });
            this.skeleton.push(s.slice(skeletonFrom, i + 1));
            skeletonFrom = -1;
          } else {
            this.frames.push({ array: true, parentKey });
          }
          this.expectKey = false;
          break;
        }
        case 125:
        case 93:
          this.frames.pop();
          this.expectKey = false;
          break;
        default:
          break;
      }
      i++;
    }
    if (skeletonFrom >= 0 && skeletonFrom < n) this.skeleton.push(s.slice(skeletonFrom));
    if (this.capture && captureFrom >= 0) this.capture.parts.push(s.slice(captureFrom));
    if (this.keyParts && keyFrom >= 0) this.keyParts.push(s.slice(keyFrom));
  }

  finish(): unknown {
    if (this.inString || this.capture || this.frames.length > 0) throw new SnapshotFormatError('the file ends in the middle of the JSON document');
    const text = this.skeleton.join('');
    if (text.trim() === '') throw new SnapshotFormatError('the file is empty');
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new SnapshotFormatError(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function completeSnapshot(value: unknown, objects: Record<string, unknown[]> | undefined): ClusterSnapshot {
  if (!isRecord(value) || value.kind !== SNAPSHOT_KIND) throw new SnapshotFormatError(`not a ${SNAPSHOT_KIND}`);
  if (value.version !== 1) throw new SnapshotFormatError(`${SNAPSHOT_KIND} version ${String(value.version)} is not supported (this kdr-triage reads version 1)`);
  if (typeof value.cluster !== 'string') throw new SnapshotFormatError(`${SNAPSHOT_KIND} without a cluster name`);
  const filled = Object.fromEntries(
    RESOURCE_KINDS.map((kind) => {
      const list = objects?.[kind];
      return [kind, (Array.isArray(list) ? list : []) as KubeObject[]];
    }),
  ) as Record<ResourceKind, KubeObject[]>;
  const snapshot: ClusterSnapshot = {
    ...(value as unknown as ClusterSnapshot),
    capturedAt: typeof value.capturedAt === 'string' ? value.capturedAt : null,
    objects: filled,
    execSessions: Array.isArray(value.execSessions) ? (value.execSessions as ExecSession[]) : [],
    auditActivities: Array.isArray(value.auditActivities) ? (value.auditActivities as AuditActivity[]) : [],
    gaps: Array.isArray(value.gaps) ? (value.gaps as SnapshotGap[]) : [],
  };
  return snapshot;
}

/** True for the first bytes of a gzip stream. */
function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

async function readHead(path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(path, { start: 0, end: 1 })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function documentsOf(splitter: SnapshotSplitter, label: string): ClusterSnapshot[] {
  const root = splitter.finish();
  let documents: unknown[];
  if (isRecord(root) && root.kind === SNAPSHOT_LIST_KIND) {
    if (root.version !== 1 || !Array.isArray(root.snapshots)) throw new SnapshotFormatError(`${label}: unsupported ${SNAPSHOT_LIST_KIND}`);
    documents = root.snapshots;
  } else {
    documents = [root];
  }
  if (splitter.groups.length !== documents.length) throw new SnapshotFormatError(`${label}: not a kdr-triage snapshot (no objects, or objects that do not line up with snapshots)`);
  try {
    return documents.map((doc, i) => completeSnapshot(doc, splitter.groups[i]));
  } catch (error) {
    if (error instanceof SnapshotFormatError) throw new SnapshotFormatError(`${label}: ${error.message}`);
    throw error;
  }
}

function pushAll(splitter: SnapshotSplitter, chunk: string, label: string): void {
  try {
    splitter.push(chunk);
  } catch (error) {
    if (error instanceof SyntaxError) throw new SnapshotFormatError(`${label}: not valid JSON: ${error.message}`);
    if (error instanceof SnapshotFormatError) throw new SnapshotFormatError(`${label}: ${error.message}`);
    throw error;
  }
}

/** Parses snapshot text given in pieces (any split), as readSnapshotFile does with a file. */
export function parseSnapshotText(pieces: Iterable<string>, label = 'snapshot'): ClusterSnapshot[] {
  const splitter = new SnapshotSplitter();
  for (const piece of pieces) pushAll(splitter, piece, label);
  return documentsOf(splitter, label);
}

/**
 * Reads a kdr-triage snapshot file (plain or gzip, recognised by content), streaming: every snapshot of a version-2
 * file, or one snapshot or every snapshot of a version-1 KdrTriageSnapshotList. Throws SnapshotFormatError for
 * anything else. In a version-2 file a bad line is passed to `warn` and skipped; without `warn` it throws.
 */
export async function readSnapshotFile(path: string, warn?: (message: string) => void): Promise<ClusterSnapshot[]> {
  const gzipped = isGzip(await readHead(path));
  const open = (): NodeJS.ReadableStream => {
    const input = createReadStream(path, { highWaterMark: 1 << 20 });
    const stream = gzipped ? input.pipe(createGunzip()) : input;
    input.on('error', (error) => stream.destroy(error));
    return stream;
  };
  const stream = await peekable(open() as AsyncIterable<Buffer>, LINES_MAGIC.length + 3);
  if (isLinesSnapshot(stream.head)) {
    const reader = new SnapshotLinesReader({
      file: path,
      warn:
        warn ??
        ((message) => {
          throw new SnapshotFormatError(message);
        }),
    });
    await readLines(stream, reader);
    return reader.finish();
  }
  const decoder = new StringDecoder('utf8');
  const splitter = new SnapshotSplitter();
  for await (const chunk of stream) {
    const text = decoder.write(chunk);
    if (text !== '') pushAll(splitter, text, path);
  }
  const rest = decoder.end();
  if (rest !== '') pushAll(splitter, rest, path);
  return documentsOf(splitter, path);
}
