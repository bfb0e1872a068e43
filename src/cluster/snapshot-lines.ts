/**
 * kdr-triage's snapshot format, version 2: built to load fast. One JSON value per line, so that every line is one
 * JSON.parse of a few hundred bytes; pods as the loader keeps them (sanitised, trimmed: see compact.ts); the parts that
 * replicas repeat (labels, owner references, container commands, probes, env names, volumes…) written once and
 * referenced by number.
 *
 * ```
 * {"kind":"KdrTriageSnapshot","version":2,"cluster":"prod",…,"objects":{"nodes":3,"pods":90,…}}   one per snapshot
 * ["=",7,"container.command",["java"]]          shared value 7, for the slot it is used in
 * ["nodes",{…a Node…}]                          an object of a resource
 * ["pods",{…,"spec":{"containers":[{"name":"app","command":7,"env":[[{"name":"X"}]],…}]}}]
 * ["execSessions",{…}]  ["auditActivities",{…}]
 * ```
 *
 * In a pod, a shared slot (SHARED_SLOTS) holds either the number of a shared value defined on an earlier line of the
 * same file, or its value wrapped in a one-element array (a value no other pod repeats). The header counts the lines
 * of each kind that follow it, so a truncated file is noticed. Everything is sanitised again on reading, each shared
 * value once: a hand-edited file carries no credentials onward. A line that is not valid JSON or refers to nothing is
 * reported by file and line number and skipped.
 *
 * Loading a version-2 file gives the same ClusterSnapshot (same objects, same order, same key order) that loading the
 * files it was converted from gave. Replicas share their parts by object identity, as the streaming loader's do.
 */
import { isAscii } from 'node:buffer';
import { CONTAINER_LISTS, SHARED_CONTAINER, SHARED_METADATA, SHARED_SPEC, slimPod } from './compact.js';
import { RESOURCE_KINDS, emptySnapshot, type AuditActivity, type ClusterSnapshot, type ExecSession, type KubeObject, type ResourceKind, type SnapshotGap } from './model.js';
import { DROPPED_KINDS, sanitizeAuditActivity, sanitizeExecSession, sanitizeGap, scrubFieldsExcept, scrubFieldValue, scrubListItem, scrubPlainObject } from './sanitize.js';

/** The first bytes of every version-2 file (the header's first two keys, as JSON.stringify writes them). */
export const LINES_MAGIC = '{"kind":"KdrTriageSnapshot","version":2,';
export const LINES_VERSION = 2;

/** Where a shared value sits in a pod, and how the sanitiser treats that place (see sanitize.ts, scrubFieldValue). */
export interface Slot {
  /** How the file names it: `container.command`. */
  name: string;
  key: string;
  /** Depth below `spec` (−1: in metadata). */
  depth: number;
  /** An element of a list (volumes, volumeMounts) rather than the value of a field. */
  item: boolean;
}

/** The slots of one object (metadata, spec, a container…): field name and slot. */
type SlotGroup = readonly (readonly [string, Slot])[];

function slots(prefix: string, keys: readonly string[], depth: number): SlotGroup {
  return keys.map((key) => [key, { name: `${prefix}.${key}`, key, depth, item: false }] as const);
}

function itemSlot(name: string, key: string, depth: number): Slot {
  return { name, key, depth, item: true };
}

/**
 * Besides the parts the streaming loader shares (compact.ts), values that replicas repeat and the file writes once:
 * strings (images, node names) and status parts. In memory they are shared too, which the loader's copies are not.
 */
const SHARED_METADATA_STRINGS = ['generateName'] as const;
const SHARED_SPEC_STRINGS = ['nodeName', 'serviceAccountName', 'serviceAccount'] as const;
const SHARED_CONTAINER_STRINGS = ['image'] as const;
const SHARED_STATUS = ['hostIP', 'startTime'] as const;
const SHARED_CONTAINER_STATUS = ['image', 'imageID', 'lastState', 'state'] as const;
const CONTAINER_STATUS_LISTS = ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses'] as const;
const METADATA_SLOTS = [...SHARED_METADATA, ...SHARED_METADATA_STRINGS];
const SPEC_SLOTS = [...SHARED_SPEC, ...SHARED_SPEC_STRINGS];
const CONTAINER_SLOTS = [...SHARED_CONTAINER, ...SHARED_CONTAINER_STRINGS];

const METADATA_GROUP = slots('metadata', METADATA_SLOTS, -1);
const SPEC_GROUP = slots('spec', SPEC_SLOTS, 0);
const CONTAINER_GROUP = slots('container', CONTAINER_SLOTS, 2);
const VOLUME_SLOT = itemSlot('spec.volumes[]', 'volumes', 2);
const VOLUME_MOUNT_SLOT = itemSlot('container.volumeMounts[]', 'volumeMounts', 4);
// Status is not sanitised (nothing in it is a credential): depth −1 leaves these values as they are.
const STATUS_GROUP = slots('status', SHARED_STATUS, -1);
const CONTAINER_STATUS_GROUP = slots('containerStatus', SHARED_CONTAINER_STATUS, -1);

export const SHARED_SLOTS: ReadonlyMap<string, Slot> = new Map<string, Slot>(
  [...METADATA_GROUP, ...SPEC_GROUP, ...CONTAINER_GROUP, ...STATUS_GROUP, ...CONTAINER_STATUS_GROUP].map(([, slot]) => [slot.name, slot] as const).concat([
    [VOLUME_SLOT.name, VOLUME_SLOT],
    [VOLUME_MOUNT_SLOT.name, VOLUME_MOUNT_SLOT],
  ]),
);

const SPEC_OWN = new Set<string>([...SPEC_SLOTS, ...CONTAINER_LISTS, 'volumes']);
const CONTAINER_OWN = new Set<string>([...CONTAINER_SLOTS, 'volumeMounts']);

type Record_ = Record<string, unknown>;

function isRecord(value: unknown): value is Record_ {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type SlotMap = (slot: Slot, value: unknown) => unknown;

/** Replaces the slots of `group` present in `obj`. */
function mapGroup(obj: Record_, group: SlotGroup, map: SlotMap): void {
  for (let i = 0; i < group.length; i++) {
    const [key, slot] = group[i];
    const value = obj[key];
    if (value !== undefined) obj[key] = map(slot, value);
  }
}

/** Replaces every element of a list (a copy when `copy`). */
function mapItems(list: unknown[], slot: Slot, map: SlotMap, copy: boolean): unknown[] {
  const out = copy ? new Array<unknown>(list.length) : list;
  for (let i = 0; i < list.length; i++) out[i] = map(slot, list[i]);
  return out;
}

/** Applies `mapOne` to every object in a list (copies of list and objects when `copy`). */
function mapRecords(list: unknown[], copy: boolean, mapOne: (obj: Record_) => void): unknown[] {
  const out = copy ? list.slice() : list;
  for (let i = 0; i < out.length; i++) {
    const item = out[i];
    if (!isRecord(item)) continue;
    const x = copy ? { ...item } : item;
    mapOne(x);
    out[i] = x;
  }
  return out;
}

/**
 * Visits the shared slots of a pod in a fixed order, replacing each value with what `map` returns: in copies of the
 * objects on the way when `copy` (writing), in place otherwise (reading).
 */
function mapPodSlots(pod: Record_, map: SlotMap, copy: boolean): Record_ {
  const out = copy ? { ...pod } : pod;
  const metadata = out.metadata;
  if (isRecord(metadata)) {
    const m = copy ? { ...metadata } : metadata;
    mapGroup(m, METADATA_GROUP, map);
    out.metadata = m;
  }
  const spec = out.spec;
  if (isRecord(spec)) {
    const s = copy ? { ...spec } : spec;
    mapGroup(s, SPEC_GROUP, map);
    for (const list of CONTAINER_LISTS) {
      const containers = s[list];
      if (!Array.isArray(containers)) continue;
      s[list] = mapRecords(containers, copy, (c) => {
        mapGroup(c, CONTAINER_GROUP, map);
        if (Array.isArray(c.volumeMounts)) c.volumeMounts = mapItems(c.volumeMounts, VOLUME_MOUNT_SLOT, map, copy);
      });
    }
    if (Array.isArray(s.volumes)) s.volumes = mapItems(s.volumes, VOLUME_SLOT, map, copy);
    out.spec = s;
  }
  const status = out.status;
  if (isRecord(status)) {
    const s = copy ? { ...status } : status;
    mapGroup(s, STATUS_GROUP, map);
    for (const list of CONTAINER_STATUS_LISTS) {
      const statuses = s[list];
      if (Array.isArray(statuses)) s[list] = mapRecords(statuses, copy, (c) => mapGroup(c, CONTAINER_STATUS_GROUP, map));
    }
    out.status = s;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

export interface LinesOptions {
  /**
   * Sort objects (namespace/name/uid), gaps, sessions and activities, as a live capture does so that the same
   * cluster state gives the same bytes. Off for conversions, which keep the order the source files gave.
   */
  sort?: boolean;
  /** Order of objects when sorting. */
  compareObjects?: (a: KubeObject, b: KubeObject) => number;
  compareGaps?: (a: SnapshotGap, b: SnapshotGap) => number;
  compareSessions?: (a: ExecSession, b: ExecSession) => number;
  compareActivities?: (a: AuditActivity, b: AuditActivity) => number;
}

/** Numbers shared values in order of first use; values only one pod has are written in place. */
class SharedTable {
  private readonly textOf = new WeakMap<object, string>();
  private readonly entries = new Map<string, { uses: number; id: number }>();
  private next = 0;

  private key(slot: Slot, value: unknown): string {
    if (value === null || typeof value !== 'object') return `${slot.name}\u0000${JSON.stringify(value)}`;
    let text = this.textOf.get(value);
    if (text === undefined) this.textOf.set(value, (text = JSON.stringify(value)));
    return `${slot.name}\u0000${text}`;
  }

  count(slot: Slot, value: unknown): unknown {
    const key = this.key(slot, value);
    const entry = this.entries.get(key);
    if (entry) entry.uses++;
    else this.entries.set(key, { uses: 1, id: -1 });
    return value;
  }

  /** The reference for `value` in `slot`; a definition line goes to `define` the first time. */
  reference(slot: Slot, value: unknown, define: (line: string) => void): unknown {
    const entry = this.entries.get(this.key(slot, value));
    if (!entry || entry.uses < 2) return [value];
    if (entry.id < 0) {
      entry.id = this.next++;
      define(JSON.stringify(['=', entry.id, slot.name, value]));
    }
    return entry.id;
  }
}

function headerOf(snapshot: ClusterSnapshot, objects: Record<ResourceKind, KubeObject[]>, gaps: SnapshotGap[], sessions: number, activities: number): string {
  const counts: Record<string, number> = {};
  for (const kind of RESOURCE_KINDS) counts[kind] = objects[kind].length;
  counts.execSessions = sessions;
  counts.auditActivities = activities;
  const header: Record<string, unknown> = { kind: 'KdrTriageSnapshot', version: LINES_VERSION, cluster: snapshot.cluster, capturedAt: snapshot.capturedAt ?? null };
  if (snapshot.observedUntil !== undefined) header.observedUntil = snapshot.observedUntil;
  for (const key of ['context', 'server', 'serverVersion'] as const) if (typeof snapshot[key] === 'string') header[key] = snapshot[key];
  header.gaps = gaps;
  header.objects = counts;
  return JSON.stringify(header);
}

/**
 * The lines of a version-2 file (each without its line break), snapshot after snapshot. Pods are trimmed as the
 * loader trims them (slimPod); everything else is written as it is, so sanitise first (live captures and the loader do).
 */
export function* snapshotLines(snapshots: readonly ClusterSnapshot[], options: LinesOptions = {}): Generator<string> {
  const table = new SharedTable();
  const prepared = snapshots.map((snapshot) => {
    const objects = {} as Record<ResourceKind, KubeObject[]>;
    for (const kind of RESOURCE_KINDS) {
      let list = snapshot.objects?.[kind] ?? [];
      if (kind === 'pods') list = list.map((p) => slimPod(p as never) as unknown as KubeObject);
      if (options.sort && options.compareObjects) list = [...list].sort(options.compareObjects);
      objects[kind] = list;
    }
    for (const pod of objects.pods) if (isRecord(pod)) mapPodSlots(pod, (slot, value) => table.count(slot, value), true);
    const sorted = <T>(list: T[] | undefined, compare: ((a: T, b: T) => number) | undefined): T[] => (options.sort && compare ? [...(list ?? [])].sort(compare) : [...(list ?? [])]);
    return {
      snapshot,
      objects,
      gaps: sorted(snapshot.gaps, options.compareGaps),
      sessions: sorted(snapshot.execSessions, options.compareSessions),
      activities: sorted(snapshot.auditActivities, options.compareActivities),
    };
  });
  for (const { snapshot, objects, gaps, sessions, activities } of prepared) {
    yield headerOf(snapshot, objects, gaps, sessions.length, activities.length);
    for (const kind of RESOURCE_KINDS) {
      for (const obj of objects[kind]) {
        if (kind === 'pods' && isRecord(obj)) {
          const definitions: string[] = [];
          const encoded = mapPodSlots(obj, (slot, value) => table.reference(slot, value, (line) => definitions.push(line)), true);
          yield* definitions;
          yield JSON.stringify(['pods', encoded]);
        } else {
          yield JSON.stringify([kind, obj]);
        }
      }
    }
    for (const session of sessions) yield JSON.stringify(['execSessions', session]);
    for (const activity of activities) yield JSON.stringify(['auditActivities', activity]);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

/** A line that cannot be used; the reader names it and goes on. */
class BadLine extends Error {}

export interface LinesReaderOptions {
  /** Label for messages (the file name). */
  file: string;
  warn: (message: string) => void;
  /** Objects of kinds kdr-triage does not keep (counted by the caller, as for other formats). */
  ignored?: (kind: string) => void;
  /** Cluster name for a header without one. */
  defaultCluster?: string;
}

/** Longest line accepted: one object, or one shared value. */
export const MAX_LINE_BYTES = 64 * 2 ** 20;
/** Bad lines reported one by one; beyond this, one summary per file. */
const MAX_LINE_WARNINGS = 20;

const LINE_TAGS = new Set<string>([...RESOURCE_KINDS, 'execSessions', 'auditActivities', '=']);

interface Section {
  snapshot: ClusterSnapshot;
  expected: Record<string, number>;
  seen: Record<string, number>;
  line: number;
}

/**
 * Reads a version-2 file line by line (push whole lines, in order). `finish()` returns the snapshots read.
 * Usable in a worker thread: it only needs the lines.
 */
export class SnapshotLinesReader {
  private readonly shared: { slot: Slot; value: unknown }[] = [];
  private readonly resolver: SlotMap = (slot, value) => this.resolve(slot, value);
  private readonly sections: Section[] = [];
  private lineNumber = 0;
  private badLines = 0;

  constructor(private readonly options: LinesReaderOptions) {}

  /** One line (without its line break); `lineNumber` counts from 1. */
  line(text: string, lineNumber = this.lineNumber + 1): void {
    this.lineNumber = lineNumber;
    if (text.length === 0 || (text.length < 4 && text.trim() === '')) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.bad(`not valid JSON (${(error as Error).message.split('\n')[0].replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/, '')})`);
      return;
    }
    try {
      this.record(value);
    } catch (error) {
      if (error instanceof BadLine) this.bad(error.message);
      else throw error;
    }
  }

  /** A line longer than MAX_LINE_BYTES (its bytes were not kept). */
  tooLong(lineNumber: number): void {
    this.lineNumber = lineNumber;
    this.bad(`longer than ${MAX_LINE_BYTES / 2 ** 20} MiB`);
  }

  finish(): ClusterSnapshot[] {
    for (const section of this.sections) {
      const missing = Object.entries(section.expected).filter(([kind, n]) => (section.seen[kind] ?? 0) < n);
      if (missing.length > 0) {
        const what = missing.map(([kind, n]) => `${kind} ${section.seen[kind] ?? 0} of ${n}`).join(', ');
        this.options.warn(`snapshot: ${this.options.file}:${section.line}: snapshot of cluster ${section.snapshot.cluster} is incomplete (${what}); keeping what was read`);
      }
    }
    if (this.badLines > MAX_LINE_WARNINGS) this.options.warn(`snapshot: ${this.options.file}: ${this.badLines - MAX_LINE_WARNINGS} more bad line(s) skipped`);
    return this.sections.map((s) => s.snapshot);
  }

  private bad(reason: string): void {
    this.badLines++;
    if (this.badLines <= MAX_LINE_WARNINGS) this.options.warn(`snapshot: ${this.options.file}:${this.lineNumber}: ${reason}, skipped`);
  }

  private record(value: unknown): void {
    if (isRecord(value)) {
      this.header(value);
      return;
    }
    if (!Array.isArray(value) || typeof value[0] !== 'string') throw new BadLine('not a line of a kdr-triage snapshot');
    const tag = value[0];
    if (!LINE_TAGS.has(tag)) {
      this.options.ignored?.(tag);
      return;
    }
    if (tag === '=') {
      this.define(value);
      return;
    }
    const section = this.sections[this.sections.length - 1];
    if (!section) throw new BadLine('a record before the snapshot header');
    if (value.length !== 2 || !isRecord(value[1])) throw new BadLine(`a ${tag} record that is not one object`);
    const body = value[1];
    section.seen[tag] = (section.seen[tag] ?? 0) + 1;
    if (tag === 'execSessions') {
      if (typeof body.namespace === 'string' && typeof body.pod === 'string' && typeof body.start === 'string') section.snapshot.execSessions.push(sanitizeExecSession(body));
      else throw new BadLine('an exec session without namespace, pod and start');
      return;
    }
    if (tag === 'auditActivities') {
      if (typeof body.time === 'string') section.snapshot.auditActivities.push(sanitizeAuditActivity(body));
      else throw new BadLine('an audit activity without a time');
      return;
    }
    const resource = tag as ResourceKind;
    if (resource === 'pods') this.decodePod(body);
    else scrubPlainObject(body);
    if (typeof body.kind !== 'string') throw new BadLine(`an object of ${resource} without a kind`);
    if (DROPPED_KINDS.has(body.kind)) {
      this.options.ignored?.(body.kind);
      return;
    }
    if (!isRecord(body.metadata) || typeof body.metadata.name !== 'string') throw new BadLine(`a ${body.kind} without metadata.name`);
    section.snapshot.objects[resource].push(body as unknown as KubeObject);
  }

  private header(doc: Record_): void {
    if (doc.kind !== 'KdrTriageSnapshot' || doc.version !== LINES_VERSION) throw new BadLine(`not a version-${LINES_VERSION} snapshot header`);
    const cluster = typeof doc.cluster === 'string' && doc.cluster !== '' ? doc.cluster : (this.options.defaultCluster ?? 'default');
    // Fields in the order the other loaders give them.
    const snapshot = emptySnapshot(cluster);
    snapshot.capturedAt = typeof doc.capturedAt === 'string' && !Number.isNaN(Date.parse(doc.capturedAt)) ? new Date(Date.parse(doc.capturedAt)).toISOString() : null;
    snapshot.gaps = Array.isArray(doc.gaps) ? doc.gaps.filter((g): g is Record_ => isRecord(g) && typeof g.resource === 'string').map(sanitizeGap) : [];
    for (const key of ['context', 'server', 'serverVersion'] as const) if (typeof doc[key] === 'string') snapshot[key] = doc[key] as string;
    if ('observedUntil' in doc) snapshot.observedUntil = typeof doc.observedUntil === 'string' ? doc.observedUntil : null;
    const expected: Record<string, number> = {};
    if (isRecord(doc.objects)) for (const [kind, n] of Object.entries(doc.objects)) if (typeof n === 'number' && LINE_TAGS.has(kind)) expected[kind] = n;
    this.sections.push({ snapshot, expected, seen: {}, line: this.lineNumber });
  }

  private define(value: unknown[]): void {
    const [, id, slot, shared] = value;
    if (value.length !== 4 || typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0 || typeof slot !== 'string') throw new BadLine('a shared value without a number and a slot');
    const where = SHARED_SLOTS.get(slot);
    if (!where) throw new BadLine(`a shared value for an unknown slot ${JSON.stringify(slot.slice(0, 40))}`);
    if (this.shared[id] !== undefined) throw new BadLine(`shared value ${id} defined twice`);
    if (id > this.shared.length + 1_000_000) throw new BadLine(`shared value ${id} is out of sequence`);
    this.shared[id] = { slot: where, value: scrubShared(where, shared) };
  }

  /** Resolves the shared slots of a pod and sanitises the rest of it, in place. */
  private decodePod(pod: Record_): void {
    const metadata = pod.metadata;
    if (isRecord(metadata)) delete metadata.managedFields;
    const spec = pod.spec;
    if (isRecord(spec)) {
      scrubFieldsExcept(spec, SPEC_OWN, 0);
      for (const list of CONTAINER_LISTS) {
        const containers = spec[list];
        if (containers === undefined) continue;
        if (!Array.isArray(containers)) {
          spec[list] = scrubFieldValue(list, containers, 0);
          continue;
        }
        for (const c of containers) {
          if (!isRecord(c)) scrubListItem(c, 2);
          else {
            scrubFieldsExcept(c, CONTAINER_OWN, 2);
            if (c.volumeMounts !== undefined && !Array.isArray(c.volumeMounts)) c.volumeMounts = scrubFieldValue('volumeMounts', c.volumeMounts, 2);
          }
        }
      }
      if (spec.volumes !== undefined && !Array.isArray(spec.volumes)) spec.volumes = scrubFieldValue('volumes', spec.volumes, 0);
    } else if (spec !== undefined) {
      scrubListItem(spec, 0);
    }
    if ('template' in pod) scrubListItem(pod.template, 0);
    delete pod.data;
    delete pod.stringData;
    delete pod.binaryData;
    mapPodSlots(pod, this.resolver, false);
  }

  private resolve(slot: Slot, value: unknown): unknown {
    if (typeof value === 'number') {
      const entry = value >= 0 && value < this.shared.length ? this.shared[value] : undefined;
      if (!entry) throw new BadLine(`refers to shared value ${value}, which is not defined before it`);
      if (entry.slot !== slot) throw new BadLine(`uses shared value ${value} (${entry.slot.name}) as ${slot.name}`);
      return entry.value;
    }
    if (Array.isArray(value) && value.length === 1) return scrubShared(slot, value[0]);
    throw new BadLine(`${slot.name} is neither a shared value number nor a value in [ ]`);
  }
}

function scrubShared(slot: Slot, value: unknown): unknown {
  if (slot.item) {
    scrubListItem(value, slot.depth);
    return value;
  }
  return scrubFieldValue(slot.key, value, slot.depth);
}

/** Whether the start of a file (after any BOM) is a version-2 snapshot. */
export function isLinesSnapshot(head: Buffer): boolean {
  let start = 0;
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) start = 3;
  return head.length - start >= LINES_MAGIC.length && head.toString('latin1', start, start + LINES_MAGIC.length) === LINES_MAGIC;
}

/**
 * Feeds a byte stream to a reader line by line (lines over MAX_LINE_BYTES are reported, not kept). Chunks are decoded
 * a whole run of lines at a time.
 */
export async function readLines(chunks: AsyncIterable<Buffer>, reader: SnapshotLinesReader): Promise<void> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false;
  let lineNumber = 0;
  let first = true;
  for await (const raw of chunks) {
    let chunk = raw;
    if (first && chunk.length > 0) {
      first = false;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    const lastBreak = chunk.lastIndexOf(0x0a);
    if (lastBreak < 0) {
      if (!skipping) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes > MAX_LINE_BYTES) {
          skipping = true;
          pending = [];
          pendingBytes = 0;
        }
      }
      continue;
    }
    const firstBreak = chunk.indexOf(0x0a);
    let from = 0;
    if (skipping || pendingBytes > 0) {
      lineNumber++;
      if (skipping) reader.tooLong(lineNumber);
      else if (pendingBytes + firstBreak > MAX_LINE_BYTES) reader.tooLong(lineNumber);
      else {
        pending.push(chunk.subarray(0, firstBreak));
        reader.line(stripCr(Buffer.concat(pending).toString('utf8')), lineNumber);
      }
      skipping = false;
      pending = [];
      pendingBytes = 0;
      from = firstBreak + 1;
    }
    if (from <= lastBreak) {
      // Most snapshots are ASCII: then latin1 is the same text, and a plain copy instead of a UTF-8 decode. Each line
      // is its own small string: one string per chunk would sit in large-object space until a full GC.
      const encoding = isAscii(chunk.subarray(from, lastBreak)) ? 'latin1' : 'utf8';
      let at = from;
      while (at <= lastBreak) {
        const end = at === lastBreak ? lastBreak : chunk.indexOf(0x0a, at);
        lineNumber++;
        reader.line(stripCr(chunk.toString(encoding, at, end)), lineNumber);
        at = end + 1;
      }
    }
    if (lastBreak + 1 < chunk.length) {
      pending.push(chunk.subarray(lastBreak + 1));
      pendingBytes = chunk.length - lastBreak - 1;
    }
  }
  if (!skipping && pendingBytes > 0) reader.line(stripCr(Buffer.concat(pending).toString('utf8')), ++lineNumber);
  else if (skipping) reader.tooLong(++lineNumber);
}

function stripCr(line: string): string {
  return line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

/** A byte stream whose first `bytes` bytes (or fewer, at the end) can be looked at before it is read. */
export async function peekable(source: AsyncIterable<Buffer>, bytes: number): Promise<AsyncIterable<Buffer> & { head: Buffer }> {
  const iterator = source[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    first.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(first);
  return {
    head,
    async *[Symbol.asyncIterator]() {
      if (head.length > 0) yield head;
      if (done) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    },
  };
}
