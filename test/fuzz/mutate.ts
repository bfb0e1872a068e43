/**
 * Structural mutations of parsed records: what a broken exporter, a schema change or an attacker does to a record
 * that still parses. Applied to real-looking records of every product.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parseCefLine } from '../../src/alerts/readers/cef.js';
import { parseJsonRecord } from '../../src/alerts/readers/json.js';
import { parseZeekHeader, zeekRowToRecord } from '../../src/alerts/readers/zeek-tsv.js';
import type { RawRecord } from '../../src/alerts/vendors/profile.js';
import { FILE_KINDS, type Texts } from './seeds.js';
import { deeplyNested, hostileString, wildValue } from './support.js';

const PLAIN: Texts = {
  cmd: 'bash -c id',
  file: '/usr/bin/bash',
  title: 'Shell',
  host: 'ip-10-0-1-10.eu-west-1.compute.internal',
  containerId: 'deadbeefdead',
  pod: 'web-0',
  namespace: 'shop',
  ip: '10.0.2.55',
  process: 'bash',
};

function recordOf(kindId: string, line: string): RawRecord | undefined {
  const kind = FILE_KINDS.find((k) => k.id === kindId)!;
  if (kind.extension === '.cef') return parseCefLine(line);
  if (kind.extension === '.log') {
    const header = parseZeekHeader(kind.head);
    return header ? zeekRowToRecord(line, header) : undefined;
  }
  if (kind.extension === '.csv') {
    const columns = kind.head[0].split(',');
    const cells = line.split(',').map((c) => c.replace(/^"|"$/g, ''));
    return Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
  }
  return parseJsonRecord(line) as RawRecord;
}

const FIXTURES = fileURLToPath(new URL('../fixtures/alerts/', import.meta.url));

/** Records from the repository's vendor fixtures, when present (they belong to the vendor tests). */
function fixtureRecords(): RawRecord[] {
  const out: RawRecord[] = [];
  const read = (name: string) => {
    try {
      return readFileSync(`${FIXTURES}${name}`, 'utf8');
    } catch {
      return undefined;
    }
  };
  for (const name of ['crowdstrike-variants.json', 'defender-graph-k8s.json']) {
    const text = read(name);
    if (!text) continue;
    const value = parseJsonRecord(text);
    for (const r of Array.isArray(value) ? value : [value]) if (r && typeof r === 'object') out.push(r as RawRecord);
  }
  for (const name of ['falco-variants.ndjson', 'suricata-variants.ndjson']) {
    const text = read(name);
    if (!text) continue;
    for (const line of text.split('\n')) if (line.trim().startsWith('{')) out.push(parseJsonRecord(line) as RawRecord);
  }
  return out;
}

/** One good record of every file kind, plus the vendor fixtures. */
export const SEED_RECORDS: RawRecord[] = [...FILE_KINDS.map((k) => recordOf(k.id, k.good(PLAIN, 1))).filter((r): r is RawRecord => r !== undefined), ...fixtureRecords()];

type Path = (string | number)[];

/** Every path to a value inside the record (objects and arrays), shallow first, at most `limit`. */
export function paths(value: unknown, limit = 400): Path[] {
  const out: Path[] = [];
  const queue: [unknown, Path][] = [[value, []]];
  while (queue.length && out.length < limit) {
    const [v, p] = queue.shift()!;
    if (v === null || typeof v !== 'object') continue;
    const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (const [k, child] of entries) {
      out.push([...p, k]);
      queue.push([child, [...p, k]]);
    }
  }
  return out;
}

function setAt(root: unknown, path: Path, replace: (old: unknown) => unknown | typeof DELETE): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  const next = replace(node[last]);
  if (next === DELETE) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else {
    node[last] = next;
  }
}

const DELETE = Symbol('delete');

export type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'set'; at: number; value: unknown }
  | { op: 'text'; at: number; value: string }
  | { op: 'huge'; at: number; size: number }
  | { op: 'nest'; at: number; depth: number; asArray: boolean }
  | { op: 'wrap-array'; at: number }
  | { op: 'stringify'; at: number }
  | { op: 'key'; key: string; value: unknown }
  | { op: 'truncate-string'; at: number; keep: number };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: wildValue }),
  fc.record({ op: fc.constant('text' as const), at: fc.nat(), value: hostileString(80) }),
  fc.record({ op: fc.constant('huge' as const), at: fc.nat(), size: fc.integer({ min: 10_000, max: 300_000 }) }),
  fc.record({ op: fc.constant('nest' as const), at: fc.nat(), depth: fc.integer({ min: 50, max: 20_000 }), asArray: fc.boolean() }),
  fc.record({ op: fc.constant('wrap-array' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('stringify' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('key' as const),
    key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'length', '', '.', 'a.b.c', 'output_fields', 'device', 'evidence', 'alert'), hostileString(20)),
    value: wildValue,
  }),
  fc.record({ op: fc.constant('truncate-string' as const), at: fc.nat(), keep: fc.nat(40) }),
);

/** A deep copy of the record with the mutations applied (paths picked modulo the paths that exist). */
export function mutate(record: RawRecord, mutations: Mutation[]): RawRecord {
  const copy = structuredClone(record);
  for (const m of mutations) {
    if (m.op === 'key') {
      // JSON.parse creates "__proto__" as an own property; so does defineProperty.
      Object.defineProperty(copy, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const all = paths(copy);
    if (all.length === 0) continue;
    const path = all[m.at % all.length];
    switch (m.op) {
      case 'delete':
        setAt(copy, path, () => DELETE);
        break;
      case 'set':
        setAt(copy, path, () => structuredClone(m.value));
        break;
      case 'text':
        setAt(copy, path, () => m.value);
        break;
      case 'huge':
        setAt(copy, path, (old) => (typeof old === 'string' && old ? old : 'A').repeat(Math.ceil(m.size / Math.max(1, typeof old === 'string' ? old.length : 1))).slice(0, m.size));
        break;
      case 'nest':
        setAt(copy, path, (old) => deeplyNested(m.depth, old, m.asArray));
        break;
      case 'wrap-array':
        setAt(copy, path, (old) => [old, old]);
        break;
      case 'stringify':
        setAt(copy, path, (old) => (typeof old === 'string' ? Number(old.length) : safeStringify(old)));
        break;
      case 'truncate-string':
        setAt(copy, path, (old) => (typeof old === 'string' ? old.slice(0, m.keep) : old));
        break;
    }
  }
  return copy;
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return '[unserialisable]';
  }
}
