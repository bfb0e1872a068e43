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
  return s === undefined || PLACEHOLDERS.has(s) ? undefined : s;
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

export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) {
    const v = o[k];
    if (v === undefined || (Array.isArray(v) && v.length === 0 && k !== 'ancestors' && k !== 'ips')) delete o[k];
  }
  return o;
}

/** A ProcessInfo with only the fields that have values, or undefined when none has. */
export function proc(p: ProcessInfo): ProcessInfo | undefined {
  compact(p);
  return Object.keys(p).length === 0 ? undefined : p;
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

/** Drop empty optional parts so JSON output stays small and tests can compare shapes. */
export function finish(alert: Alert): Alert {
  compact(alert.host);
  compact(alert.container);
  compact(alert.process);
  // Trailing unknown generations are dropped; an unknown parent before a known grandparent keeps its place.
  const ancestors = alert.process.ancestors.map((a) => compact(a));
  while (ancestors.length > 0 && Object.keys(ancestors[ancestors.length - 1]).length === 0) ancestors.pop();
  alert.process.ancestors = ancestors;
  for (const p of [alert.process, ...ancestors]) if (p.name === undefined && p.path !== undefined) p.name = baseName(p.path);
  if (alert.network && Object.keys(compact(alert.network)).length === 0) delete alert.network;
  if (alert.file && Object.keys(compact(alert.file)).length === 0) delete alert.file;
  if (alert.apiRequest && Object.keys(compact(alert.apiRequest)).length === 0) delete alert.apiRequest;
  alert.tactics = [...new Set(alert.tactics)].sort();
  alert.techniques = [...new Set(alert.techniques)].sort();
  for (const k of ['cluster', 'description', 'sensor'] as const) if (alert[k] === undefined) delete alert[k];
  return alert;
}

/** How many of the paths are present (any value but undefined) in the record. */
export function present(record: unknown, ...paths: string[]): number {
  let n = 0;
  for (const p of paths) if (getPath(record, p) !== undefined) n++;
  return n;
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

/** MITRE tactic ids from tactic names as products write them ("Defense Evasion", "DefenseEvasion", "mitre_execution"). */
export function tacticIds(names: string[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    for (const part of n.split(/[,;|]/)) {
      const key = part
        .toLowerCase()
        .replace(/^\s*mitre[_\s-]*/, '')
        .replace(/[^a-z]/g, '');
      const id = TACTIC_BY_NAME.get(key);
      if (id !== undefined && !out.includes(id)) out.push(id);
    }
  }
  return out;
}

/**
 * MITRE ids inside free strings. Unlike fields.mitreIds this treats "_" as a separator, so Sysdig's
 * "MITRE_T1059_command…" and Falco's "T1059.004" both count, while CrowdStrike's own "CST0004" does not.
 */
export function mitre(values: string[]): { tactics: string[]; techniques: string[] } {
  const tactics = new Set<string>();
  const techniques = new Set<string>();
  for (const v of values) {
    if (!v.includes('T')) continue;
    for (const m of v.matchAll(/(?<![A-Za-z0-9])TA\d{4}(?!\d)/g)) tactics.add(m[0]);
    for (const m of v.matchAll(/(?<![A-Za-z0-9])T\d{4}(?:\.\d{3})?(?!\d)/g)) techniques.add(m[0]);
  }
  return { tactics: [...tactics], techniques: [...techniques] };
}

/** Add MITRE ids found in the values (and tactic names) to the alert. */
export function addMitre(alert: Alert, values: string[], tacticNames: string[] = []): void {
  const found = mitre(values);
  alert.tactics.push(...found.tactics, ...tacticIds(tacticNames));
  alert.techniques.push(...found.techniques);
}
