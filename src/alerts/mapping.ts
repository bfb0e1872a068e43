/**
 * User mapping files (`--map mapping.yaml`): read any product's export by naming which of its columns (CSV) or keys
 * (JSON, dotted paths reach into nested objects) hold the tool's fields. The result is a VendorProfile with id
 * "custom". YAML or JSON; the schema:
 *
 *   vendor: Acme EDR              # optional: product name shown in reports and `kdr-triage formats`
 *   dateOrder: dmy                # optional: dmy | mdy, for dates like 03/04/2026 (default: from the data, else mdy)
 *   timeFormat: epoch-ms          # optional: auto (default) | iso | epoch-s | epoch-ms | epoch-us | epoch-ns —
 *                                 #   how bare numbers in time fields are read (auto guesses from their size)
 *   fallback: generic             # optional: generic (default) also fills fields you did not map from common
 *                                 #   column names (hostname, pod, cmdline, …); none: only your mapping
 *   detect:                       # optional: when auto-detection should pick this mapping for a file
 *     require: [EventTime, Computer]   # columns that must all be present (default: most mapped columns present)
 *   fields:                       # required: tool field → source column
 *     time: EventTime             #   one column,
 *     title: [AlertName, RuleName]    # or a list: the first one with a value wins,
 *     cluster: { value: prod-eks }    # or a constant for every record
 *     host.name: Computer
 *     process.commandLine: [CmdLine, CommandLine]
 *     container.id: Container.Id  #   a dotted path reads nested JSON ({"Container":{"Id":…}})
 *   severity:                     # optional: product value → critical | high | medium | low | informational
 *     "1": critical
 *     Sev2: high
 *   action:                       # optional: product value → detected | blocked | killed | quarantined | unknown
 *     Blocked: blocked
 *     Terminated: killed
 *
 * Field names (the keys under `fields`):
 *   id, time, title, description, severity, action, tactics, techniques, cluster, sensor,
 *   host.name, host.ips, host.instanceId,
 *   container.id, container.name, container.image, container.pod, container.namespace, container.podUid,
 *   container.cgroupPath, container.privileged,
 *   process.name, process.path, process.commandLine, process.pid, process.user, process.uid, process.hash,
 *   process.tty, process.startTime, process.parent.{name,path,commandLine,pid,user,uid,hash},
 *   process.grandparent.{…same…}, file.path, file.name, file.hash,
 *   network.srcIp, network.srcPort, network.dstIp, network.dstPort, network.protocol, network.appProtocol,
 *   network.domain, network.url, network.httpMethod, network.userAgent, network.interface, network.direction,
 *   apiRequest.{user,groups,verb,resource,subresource,namespace,name,sourceIps,userAgent,statusCode,requestUri}.
 * Nested YAML (host: {name: Computer}) is the same as the dotted form. Values are attacker-controlled data and
 * are only ever read as text.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import { getPath } from './fields.js';
import type { AlertAction, Severity } from './model.js';
import type { DateOrder } from './time.js';
import { finish, newAlert } from './vendors/common.js';
import { GENERIC_CANDIDATES, fillFromCandidates, flattenRecord, normalizeKey } from './vendors/generic.js';
import { RecordError } from './vendors/profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './vendors/profile.js';
import { TARGET_FIELDS, TARGET_FIELD_NAMES } from './vendors/targets.js';
import type { EpochUnit, ValueContext } from './vendors/targets.js';

export class MappingError extends Error {}

export type FieldSource = { columns: string[] } | { value: string };

export interface MappingSpec {
  /** The mapping file's name, for messages. */
  file: string;
  vendor?: string;
  dateOrder?: DateOrder;
  epochUnit?: EpochUnit;
  fallback: 'generic' | 'none';
  require?: string[];
  fields: Record<string, FieldSource>;
  severity?: Record<string, Severity>;
  action?: Record<string, AlertAction>;
}

const TOP_LEVEL_KEYS = ['vendor', 'dateOrder', 'timeFormat', 'fallback', 'detect', 'fields', 'severity', 'action'];
const TIME_FORMATS: Record<string, EpochUnit | undefined> = { auto: undefined, iso: undefined, 'epoch-s': 's', 'epoch-ms': 'ms', 'epoch-us': 'us', 'epoch-ns': 'ns' };
const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'informational', 'unknown'];
const ACTIONS: AlertAction[] = ['detected', 'blocked', 'killed', 'quarantined', 'unknown'];

class Problems {
  private readonly found: { line: number; text: string }[] = [];
  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}
  add(node: Node | null | undefined, where: string, message: string): void {
    const offset = node?.range?.[0];
    const line = offset === undefined ? 0 : this.lines.linePos(offset).line;
    this.found.push({ line, text: `${this.file}${line ? `:${line}` : ''}: ${where}: ${message}` });
  }
  /** In file order. */
  get list(): string[] {
    return [...this.found].sort((a, b) => a.line - b.line).map((p) => p.text);
  }
}

function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function describeList(values: readonly string[]): string {
  return values.join(', ');
}

/** Flatten `fields` (nested maps become dotted names) into name → value node. */
function fieldEntries(node: Node, prefix: string, out: [string, Node | null][], problems: Problems): void {
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const key = scalarText(pair.key);
    if (key === undefined) {
      problems.add(pair.key as Node, 'fields', 'field names must be text');
      continue;
    }
    const name = prefix ? `${prefix}.${key}` : key;
    const value = pair.value as Node | null;
    const isConstant = isMap(value) && value.items.length === 1 && scalarText(value.items[0].key) === 'value';
    if (isMap(value) && !isConstant && !(name in TARGET_FIELDS)) fieldEntries(value, name, out, problems);
    else out.push([name, value]);
  }
}

function fieldSource(name: string, node: Node | null, problems: Problems): FieldSource | undefined {
  const where = `fields.${name}`;
  if (isScalar(node) && node.value !== null) {
    const text = scalarText(node);
    if (text === undefined || text.trim() === '') {
      problems.add(node, where, 'must name a column (text), a list of columns, or { value: constant }');
      return undefined;
    }
    return { columns: [text] };
  }
  if (isSeq(node)) {
    const columns: string[] = [];
    for (const item of node.items) {
      const text = scalarText(item);
      if (text === undefined || text.trim() === '') problems.add(item as Node, where, 'every entry of the list must be a column name (text)');
      else columns.push(text);
    }
    if (node.items.length === 0) problems.add(node, where, 'the list of columns is empty');
    return columns.length > 0 ? { columns } : undefined;
  }
  if (isMap(node)) {
    const text = scalarText(node.items[0]?.value);
    if (node.items.length === 1 && scalarText(node.items[0].key) === 'value' && text !== undefined) return { value: text };
    problems.add(node, where, 'a map must be { value: constant }; to map a column write its name');
    return undefined;
  }
  problems.add(node, where, 'is empty: name a column, a list of columns, or { value: constant }');
  return undefined;
}

function valueMap<T extends string>(doc: Document, key: 'severity' | 'action', allowed: readonly T[], problems: Problems): Record<string, T> | undefined {
  const node = doc.get(key, true) as Node | undefined;
  if (node === undefined || node === null) return undefined;
  if (!isMap(node)) {
    problems.add(node, key, `must map product values to one of: ${describeList(allowed)}`);
    return undefined;
  }
  const out: Record<string, T> = {};
  for (const pair of node.items) {
    const from = scalarText(pair.key);
    const to = scalarText(pair.value)?.toLowerCase();
    if (from === undefined) problems.add(pair.key as Node, key, 'product values must be text or numbers');
    else if (to === undefined || !(allowed as readonly string[]).includes(to)) {
      problems.add((pair.value as Node) ?? (pair.key as Node), `${key}.${from}`, `"${scalarText(pair.value) ?? ''}" is not one of: ${describeList(allowed)}`);
    } else out[from] = to as T;
  }
  return out;
}

/** Parse and validate a mapping; every problem is reported at once, each with the file name and line. */
export function parseMapping(text: string, file: string): MappingSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  const name = basename(file);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new MappingError(`${name}:${e.linePos?.[0]?.line ?? '?'}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  const problems = new Problems(name, lines);
  const root = doc.contents as Node | null;
  if (!isMap(root)) throw new MappingError(`${name}: a mapping file must be a map with a "fields" section`);

  for (const pair of root.items) {
    const key = scalarText(pair.key);
    if (key === undefined || !TOP_LEVEL_KEYS.includes(key)) {
      problems.add(pair.key as Node, key ?? '(key)', `unknown setting; expected one of: ${describeList(TOP_LEVEL_KEYS)}`);
    }
  }

  const spec: MappingSpec = { file: name, fallback: 'generic', fields: {} };
  const vendorNode = doc.get('vendor', true) as Node | undefined;
  if (vendorNode !== undefined) {
    const vendor = scalarText(vendorNode);
    if (vendor === undefined || vendor.trim() === '') problems.add(vendorNode, 'vendor', 'must be text');
    else spec.vendor = vendor.trim();
  }
  const dateOrderNode = doc.get('dateOrder', true) as Node | undefined;
  if (dateOrderNode !== undefined) {
    const order = scalarText(dateOrderNode);
    if (order !== 'dmy' && order !== 'mdy') problems.add(dateOrderNode, 'dateOrder', `"${order ?? ''}" is not dmy or mdy`);
    else spec.dateOrder = order;
  }
  const timeFormatNode = doc.get('timeFormat', true) as Node | undefined;
  if (timeFormatNode !== undefined) {
    const format = scalarText(timeFormatNode);
    if (format === undefined || !(format in TIME_FORMATS)) problems.add(timeFormatNode, 'timeFormat', `"${format ?? ''}" is not one of: ${describeList(Object.keys(TIME_FORMATS))}`);
    else spec.epochUnit = TIME_FORMATS[format];
  }
  const fallbackNode = doc.get('fallback', true) as Node | undefined;
  if (fallbackNode !== undefined) {
    const fallback = scalarText(fallbackNode);
    if (fallback !== 'generic' && fallback !== 'none') problems.add(fallbackNode, 'fallback', `"${fallback ?? ''}" is not generic or none`);
    else spec.fallback = fallback;
  }
  const detectNode = doc.get('detect', true) as Node | undefined;
  if (detectNode !== undefined) {
    const requireNode = isMap(detectNode) ? (detectNode.get('require', true) as Node | undefined) : undefined;
    const required = isSeq(requireNode) ? requireNode.items.map(scalarText) : isScalar(requireNode) ? [scalarText(requireNode)] : undefined;
    if (!isMap(detectNode) || detectNode.items.some((p) => scalarText(p.key) !== 'require')) problems.add(detectNode, 'detect', 'must be { require: [column, …] }');
    else if (!required || required.length === 0 || required.some((r) => r === undefined)) problems.add(requireNode ?? detectNode, 'detect.require', 'must be a list of column names');
    else spec.require = required as string[];
  }

  const fieldsNode = doc.get('fields', true) as Node | undefined;
  if (fieldsNode === undefined || fieldsNode === null) problems.add(root, 'fields', 'is missing: map at least one tool field to a column');
  else if (!isMap(fieldsNode) || fieldsNode.items.length === 0) problems.add(fieldsNode, 'fields', 'must map tool fields to columns, e.g. "host.name: Computer"');
  else {
    const entries: [string, Node | null][] = [];
    fieldEntries(fieldsNode, '', entries, problems);
    for (const [field, node] of entries) {
      if (!(field in TARGET_FIELDS)) {
        const suggestion = TARGET_FIELD_NAMES.find((t) => normalizeKey(t) === normalizeKey(field));
        problems.add(node, `fields.${field}`, suggestion ? `unknown tool field; did you mean "${suggestion}"?` : `unknown tool field; known fields: ${describeList(TARGET_FIELD_NAMES)}`);
        continue;
      }
      const source = fieldSource(field, node, problems);
      if (source) spec.fields[field] = source;
    }
  }
  const severity = valueMap(doc, 'severity', SEVERITIES, problems);
  if (severity) spec.severity = severity;
  const action = valueMap(doc, 'action', ACTIONS, problems);
  if (action) spec.action = action;

  if (problems.list.length > 0) throw new MappingError(problems.list.join('\n'));
  return spec;
}

/** A column of the record: exact key, a dotted path into nested JSON, or a header differing only in case,
 *  separators or a " [UTC]" suffix. */
function columnValue(record: RawRecord, column: string): unknown {
  if (Object.prototype.hasOwnProperty.call(record, column)) return record[column];
  const nested = getPath(record, column);
  if (nested !== undefined) return nested;
  const wanted = normalizeKey(column);
  for (const key of Object.keys(record)) if (normalizeKey(key) === wanted) return record[key];
  return undefined;
}

function columnPresent(record: RawRecord, column: string): boolean {
  const v = columnValue(record, column);
  return v !== undefined && v !== null && v !== '';
}

export function mappingProfile(spec: MappingSpec): VendorProfile {
  const mappedColumns = Object.values(spec.fields).flatMap((s) => ('columns' in s ? [s.columns] : []));
  const fieldsDoc: Record<string, string> = {};
  for (const [field, source] of Object.entries(spec.fields)) fieldsDoc[field] = 'columns' in source ? source.columns.join(' | ') : `"${source.value}" (constant)`;
  if (spec.fallback === 'generic') fieldsDoc['(other fields)'] = 'common column names, as the generic mapping reads them';

  return {
    id: 'custom',
    product: spec.vendor ? `${spec.vendor} (mapping ${spec.file})` : `Custom mapping ${spec.file}`,
    fields: fieldsDoc,
    detect(record: RawRecord, _hints: DetectHints): number {
      if (spec.require) return spec.require.every((c) => columnPresent(record, c)) ? 0.95 : 0;
      if (mappedColumns.length === 0) return 0;
      const present = mappedColumns.filter((columns) => columns.some((c) => columnPresent(record, c))).length / mappedColumns.length;
      return present >= 0.5 ? 0.5 + 0.45 * present : 0;
    },
    map(record: RawRecord, source, options?: MapOptions) {
      const alert = newAlert(record, source, 'custom');
      const ctx: ValueContext = {
        dateOrder: spec.dateOrder ?? options?.dateOrder,
        epochUnit: spec.epochUnit,
        severityMap: spec.severity,
        actionMap: spec.action,
      };
      const filled = new Set<string>();
      for (const [field, from] of Object.entries(spec.fields)) {
        const target = TARGET_FIELDS[field];
        if ('value' in from) {
          if (target.set(alert, from.value, ctx)) filled.add(field);
          continue;
        }
        for (const column of from.columns) {
          const value = columnValue(record, column);
          if (value !== undefined && value !== null && target.set(alert, value, ctx)) {
            filled.add(field);
            break;
          }
        }
      }
      const mappedAny = filled.size > 0;
      if (spec.fallback === 'generic') {
        const skip = new Set([...filled, ...Object.keys(spec.fields)]);
        for (const f of fillFromCandidates(alert, flattenRecord(record), GENERIC_CANDIDATES, ctx, skip)) filled.add(f);
      }
      if (!mappedAny && filled.size === 0) {
        const looked = mappedColumns.flat().slice(0, 6).join(', ');
        throw new RecordError(`no mapped column has a value in this record (looked for ${looked}${mappedColumns.flat().length > 6 ? ', …' : ''})`);
      }
      if (!alert.title) alert.title = spec.vendor ? `${spec.vendor} alert` : 'alert';
      return finish(alert);
    },
  };
}

/** Read, validate and turn a mapping file into a profile. Throws MappingError naming the file. */
export async function loadMapping(path: string): Promise<VendorProfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new MappingError(`${path}: cannot read the mapping file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return mappingProfile(parseMapping(text, path));
}
