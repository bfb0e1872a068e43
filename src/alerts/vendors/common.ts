/**
 * Small helpers shared by the vendor profiles. Every value read here is attacker-controlled: nothing is evaluated,
 * numbers that may exceed 2^53 stay strings, and odd shapes fall back to "absent" rather than throwing.
 */
import { isIP } from 'node:net';
import { asString, baseName, decodeJsonString, getPath, pickBoolean, unwrap } from '../fields.js';
import { emptyAlert } from '../model.js';
import type { Alert, AlertSource, ProcessInfo } from '../model.js';
import { parseTime } from '../time.js';
import type { MapOptions, RawRecord } from './profile.js';

/** Values products write for "nothing here" (Go's zero time included: Elastic's cloud_defend writes it). */
const PLACEHOLDERS = new Set(['<NA>', 'N/A', 'n/a', 'null', 'NULL', 'undefined', '0001-01-01T00:00:00Z']);
/** The longest placeholder: a longer value (a command line) is not hashed to find out that it is none of them. */
const LONGEST_PLACEHOLDER = Math.max(...[...PLACEHOLDERS].map((p) => p.length));

/** The first present, non-empty, non-placeholder string among several paths. */
export function str(record: unknown, ...paths: string[]): string | undefined {
  for (const p of paths) {
    const v = clean(getPath(record, p));
    if (v !== undefined) return v;
  }
  return undefined;
}

/** A value as a trimmed string, or undefined for empty / placeholder values. Arrays yield their first element. */
export function clean(value: unknown): string | undefined {
  const s = asString(value);
  return s === undefined || (s.length <= LONGEST_PLACEHOLDER && PLACEHOLDERS.has(s)) ? undefined : s;
}

/** All strings under the given paths (arrays flattened), de-duplicated, order kept. */
export function strs(record: unknown, ...paths: string[]): string[] {
  // A Set, not out.includes(): a record with 200,000 tags must not cost quadratic time; nesting is cut at
  // MAX_ARRAY_NESTING so a deeply nested array cannot exhaust the stack.
  const out = new Set<string>();
  const push = (v: unknown, depth: number): void => {
    if (Array.isArray(v)) {
      if (depth < MAX_ARRAY_NESTING) for (const x of v) push(x, depth + 1);
      return;
    }
    const s = clean(v);
    if (s !== undefined) out.add(s);
  };
  for (const p of paths) push(getPath(record, p), 0);
  return [...out];
}

/** How deep arrays inside arrays are flattened. */
export const MAX_ARRAY_NESTING = 16;

export function num(record: unknown, ...paths: string[]): number | undefined {
  for (const p of paths) {
    const s = clean(getPath(record, p));
    if (s === undefined) continue;
    const n = Number(s);
    if (Number.isFinite(n)) return n;
  }
  return undefined;
}

/** A TCP/UDP port: an integer 0–65535. */
export function port(record: unknown, ...paths: string[]): number | undefined {
  for (const p of paths) {
    const n = toPort(getPath(record, p));
    if (n !== undefined) return n;
  }
  return undefined;
}

export function toPort(value: unknown): number | undefined {
  const s = clean(value);
  if (s === undefined || !/^\d{1,5}$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 65535 ? n : undefined;
}

/** Booleans as products write them: true/false, 1/0, yes/no. */
export const bool = pickBoolean;

/** An IP address with stray whitespace removed (Darktrace exports write "127.0. 0.1"), or undefined. */
export function ip(value: unknown): string | undefined {
  const s = clean(value);
  if (s === undefined) return undefined;
  let t = s.replace(/\s+/g, '');
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  return isIP(t) ? t : undefined;
}

/** IP addresses from values that may be strings, arrays or comma lists; de-duplicated, order kept. */
export function ips(...values: unknown[]): string[] {
  const out = new Set<string>();
  const push = (v: unknown, depth: number): void => {
    if (Array.isArray(v)) {
      if (depth < MAX_ARRAY_NESTING) for (const x of v) push(x, depth + 1);
      return;
    }
    if (typeof v === 'string' && v.includes(',')) {
      for (const part of v.split(',')) push(part, depth + 1);
      return;
    }
    const a = ip(v);
    if (a !== undefined) out.add(a);
  };
  for (const v of values) push(v, 0);
  return [...out];
}

/** A plain object, decoding JSON carried inside a string (CSV cells, Defender AdditionalFields). */
export function obj(value: unknown): RawRecord | undefined {
  const v = decodeJsonString(value);
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as RawRecord) : undefined;
}

/** An array, decoding JSON carried inside a string; [] otherwise. */
export function arr(value: unknown): unknown[] {
  const v = decodeJsonString(value);
  return Array.isArray(v) ? v : [];
}

/** Objects of an array (other elements skipped). */
export function objects(value: unknown): RawRecord[] {
  return arr(value).filter((e): e is RawRecord => e !== null && typeof e === 'object' && !Array.isArray(e));
}

/** The first path whose value parses as a time, as ISO-8601 UTC. */
export function time(record: unknown, options: MapOptions | undefined, ...paths: string[]): string | null {
  for (const p of paths) {
    const v = unwrap(getPath(record, p));
    if (v === undefined || v === null || (typeof v === 'string' && clean(v) === undefined)) continue;
    const t = parseTime(v, options?.dateOrder);
    if (t !== null) return t;
  }
  return null;
}

/** "containerd://abc…" / "docker://abc…" / "cri-o://abc…" → "abc…". */
export function stripRuntime(id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  const t = id.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').trim();
  return t === '' ? undefined : t;
}

/** Directory + file name, when the directory does not already end with the name. */
export function joinPath(dir: string | undefined, name: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  if (name === undefined) return dir;
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  const lastSegment = dir.split(/[\\/]/).pop();
  if (lastSegment === name) return dir;
  return dir.endsWith('/') || dir.endsWith('\\') ? dir + name : dir + sep + name;
}

/** A numeric user id ("0", "1000"), not a SID or a name. */
export function numericId(value: string | undefined): string | undefined {
  return value !== undefined && /^\d+$/.test(value) ? value : undefined;
}

/** Hexadecimal process ids ("0x1e99b", Defender for Cloud) as decimal strings; decimal strings pass through. */
export function decimalPid(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (/^0x[0-9a-f]+$/i.test(value)) return BigInt(value).toString();
  return /^\d+$/.test(value) ? value : undefined;
}

/** Whether compact() drops this entry: an undefined value, or an empty array other than `ancestors` and `ips`. */
function droppable(key: string, value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.length === 0 && key !== 'ancestors' && key !== 'ips');
}

export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (droppable(k as string, o[k])) delete o[k];
  return o;
}

/**
 * What compact(o) leaves, as a new object with the same keys in the same order. Deleting a property that is not the
 * last one added turns a V8 object into a slow dictionary; every alert's parts are read many times afterwards (rules,
 * the verdict, a thread's structured clone), so they are rebuilt instead.
 */
export function compacted<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  const source = o as Record<string, unknown>;
  for (const k of Object.keys(source)) {
    const v = source[k];
    if (!droppable(k, v)) out[k] = v;
  }
  return out as T;
}

function isEmptyObject(o: object): boolean {
  for (const _ in o) if (Object.hasOwn(o, _)) return false;
  return true;
}

/** A ProcessInfo with only the fields that have values, or undefined when none has. */
export function proc(p: ProcessInfo): ProcessInfo | undefined {
  const c = compacted(p);
  return isEmptyObject(c) ? undefined : c;
}

/** Ancestors, nearest first, stopping at the first unknown generation. */
export function lineage(...generations: (ProcessInfo | undefined)[]): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const g of generations) {
    if (g === undefined) break;
    out.push(g);
  }
  return out;
}

/** emptyAlert with the profile's id as vendor and the record kept as raw. */
export function newAlert(record: RawRecord, source: AlertSource, vendor: string): Alert {
  const alert = emptyAlert({ ...source, vendor });
  alert.raw = record;
  return alert;
}

/** Optional alert parts dropped when nothing is left in them. */
const DROPPED_WHEN_EMPTY = new Set(['network', 'file', 'apiRequest']);
/** Optional alert fields dropped when undefined. */
const DROPPED_WHEN_UNDEFINED = new Set(['cluster', 'description', 'sensor']);

/**
 * Drop empty optional parts so JSON output stays small and tests can compare shapes. The result is a new alert (and
 * new parts) with the keys in the order the mapping wrote them; callers use the returned alert.
 */
export function finish(alert: Alert): Alert {
  const replaced: Record<string, unknown> = {};
  replaced.host = compacted(alert.host);
  replaced.container = compacted(alert.container);
  const process = compacted(alert.process);
  // Trailing unknown generations are dropped; an unknown parent before a known grandparent keeps its place.
  const ancestors = alert.process.ancestors.map((a) => compacted(a));
  while (ancestors.length > 0 && isEmptyObject(ancestors[ancestors.length - 1])) ancestors.pop();
  process.ancestors = ancestors;
  if (process.name === undefined && process.path !== undefined) process.name = baseName(process.path);
  for (const p of ancestors) if (p.name === undefined && p.path !== undefined) p.name = baseName(p.path);
  replaced.process = process;
  for (const k of DROPPED_WHEN_EMPTY) {
    const part = alert[k as 'network' | 'file' | 'apiRequest'];
    if (part) replaced[k] = compacted(part);
  }
  replaced.tactics = [...new Set(alert.tactics)].sort();
  replaced.techniques = [...new Set(alert.techniques)].sort();
  const out: Record<string, unknown> = {};
  const source = alert as unknown as Record<string, unknown>;
  for (const k of Object.keys(source)) {
    if (Object.hasOwn(replaced, k)) {
      const v = replaced[k];
      if (DROPPED_WHEN_EMPTY.has(k) && isEmptyObject(v as object)) continue;
      out[k] = v;
    } else {
      const v = source[k];
      if (v === undefined && DROPPED_WHEN_UNDEFINED.has(k)) continue;
      out[k] = v;
    }
  }
  // emptyAlert writes both; a mapping that removed them gets them back last, as assigning them did.
  if (!Object.hasOwn(source, 'tactics')) out.tactics = replaced.tactics;
  if (!Object.hasOwn(source, 'techniques')) out.techniques = replaced.techniques;
  return out as unknown as Alert;
}

/** How many of the paths are present (any value but undefined) in the record. */
export function present(record: unknown, ...paths: string[]): number {
  let n = 0;
  for (const p of paths) if (getPath(record, p) !== undefined) n++;
  return n;
}

/** present(record, ...paths) >= n, stopping at the n-th path found. */
export function presentAtLeast(record: unknown, n: number, paths: readonly string[]): boolean {
  if (n <= 0) return true;
  let found = 0;
  for (const p of paths) if (getPath(record, p) !== undefined && ++found >= n) return true;
  return false;
}

export function isRecord(value: unknown): value is RawRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const MITRE_TACTICS: [string, string][] = [
  ['TA0043', 'reconnaissance'],
  ['TA0042', 'resourcedevelopment'],
  ['TA0001', 'initialaccess'],
  ['TA0002', 'execution'],
  ['TA0003', 'persistence'],
  ['TA0004', 'privilegeescalation'],
  ['TA0005', 'defenseevasion'],
  ['TA0006', 'credentialaccess'],
  ['TA0007', 'discovery'],
  ['TA0008', 'lateralmovement'],
  ['TA0009', 'collection'],
  ['TA0011', 'commandandcontrol'],
  ['TA0010', 'exfiltration'],
  ['TA0040', 'impact'],
];
const TACTIC_BY_NAME = new Map<string, string>(MITRE_TACTICS.map(([id, name]) => [name, id]));
TACTIC_BY_NAME.set('commandcontrol', 'TA0011');
TACTIC_BY_NAME.set('defenceevasion', 'TA0005');

/** The tactic ids of one name text, in order, without repeats (tacticIds merges them). */
function tacticIdsOfName(name: string): readonly string[] {
  const out: string[] = [];
  for (const part of name.split(/[,;|]/)) {
    const key = part
      .toLowerCase()
      .replace(/^\s*mitre[_\s-]*/, '')
      .replace(/[^a-z]/g, '');
    const id = TACTIC_BY_NAME.get(key);
    if (id !== undefined && !out.includes(id)) out.push(id);
  }
  return out;
}

/** Alerts repeat a handful of tactic names ("Execution", "DefenseEvasion"): their ids are kept per text, bounded. */
const tacticIdsByName = new Map<string, readonly string[]>();
const TACTIC_NAME_MEMO_ENTRIES = 1024;
const MAX_MEMO_NAME_CHARS = 128;

function memoTacticIds(name: string): readonly string[] {
  if (name.length > MAX_MEMO_NAME_CHARS) return tacticIdsOfName(name);
  let ids = tacticIdsByName.get(name);
  if (ids === undefined) {
    ids = tacticIdsOfName(name);
    if (tacticIdsByName.size >= TACTIC_NAME_MEMO_ENTRIES) tacticIdsByName.clear();
    // A copy of the text: a key cut out of a large input must not keep that input alive.
    tacticIdsByName.set(` ${name}`.slice(1), ids);
  }
  return ids;
}

/** MITRE tactic ids from tactic names as products write them ("Defense Evasion", "DefenseEvasion", "mitre_execution"). */
export function tacticIds(names: string[]): string[] {
  const out: string[] = [];
  for (const n of names) for (const id of memoTacticIds(n)) if (!out.includes(id)) out.push(id);
  return out;
}

const TACTIC_ID = /(?<![A-Za-z0-9])TA\d{4}(?!\d)/g;
const TECHNIQUE_ID = /(?<![A-Za-z0-9])T\d{4}(?:\.\d{3})?(?!\d)/g;

/**
 * MITRE ids inside free strings. Unlike fields.mitreIds this treats "_" as a separator, so Sysdig's
 * "MITRE_T1059_command…" and Falco's "T1059.004" both count, while CrowdStrike's own "CST0004" does not.
 */
export function mitre(values: string[]): { tactics: string[]; techniques: string[] } {
  const tactics = new Set<string>();
  const techniques = new Set<string>();
  for (const v of values) {
    if (!v.includes('T')) continue;
    // Module-level global patterns walked with exec (no pattern or iterator made per value); exec leaves lastIndex at 0.
    TACTIC_ID.lastIndex = 0;
    for (let m = TACTIC_ID.exec(v); m !== null; m = TACTIC_ID.exec(v)) tactics.add(m[0]);
    TECHNIQUE_ID.lastIndex = 0;
    for (let m = TECHNIQUE_ID.exec(v); m !== null; m = TECHNIQUE_ID.exec(v)) techniques.add(m[0]);
  }
  return { tactics: [...tactics], techniques: [...techniques] };
}

/** Add MITRE ids found in the values (and tactic names) to the alert. */
export function addMitre(alert: Alert, values: string[], tacticNames: string[] = []): void {
  const found = mitre(values);
  alert.tactics.push(...found.tactics, ...tacticIds(tacticNames));
  alert.techniques.push(...found.techniques);
}
