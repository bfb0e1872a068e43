/**
 * The tool's alert fields by name ("host.name", "process.parent.commandLine", …) and how a raw value becomes each
 * of them. The generic mapping and user --map files both fill alerts through this table, so a field name means the
 * same thing everywhere and `kdr-triage formats` can list them.
 */
import { normalizeAction, normalizeSeverity } from '../fields.js';
import type { Alert, AlertAction, AlertApiRequest, AlertNetwork, ProcessInfo, Severity } from '../model.js';
import { parseTime } from '../time.js';
import type { DateOrder } from '../time.js';
import { bool, clean, ip, ips, mitre, stripRuntime, tacticIds, toPort } from './common.js';

export type EpochUnit = 's' | 'ms' | 'us' | 'ns';

export interface ValueContext {
  dateOrder?: DateOrder;
  /** Read bare numbers in time fields in this unit instead of guessing it from the magnitude. */
  epochUnit?: EpochUnit;
  /** Product words → severity, consulted before the built-in words. Keys are compared case-insensitively. */
  severityMap?: Record<string, Severity>;
  /** Product words → action, consulted before the built-in words. Keys are compared case-insensitively. */
  actionMap?: Record<string, AlertAction>;
}

type Setter = (alert: Alert, value: unknown, ctx: ValueContext) => boolean;

export interface TargetField {
  /** What the value must look like, shown in errors and in `kdr-triage formats`. */
  kind: 'text' | 'time' | 'severity' | 'action' | 'mitre' | 'ip' | 'ip list' | 'port' | 'number' | 'boolean' | 'text list';
  set: Setter;
}

function text(assign: (alert: Alert, v: string) => void): TargetField {
  return {
    kind: 'text',
    set: (alert, value) => {
      const v = clean(value);
      if (v === undefined) return false;
      assign(alert, v);
      return true;
    },
  };
}

function network(alert: Alert): AlertNetwork {
  alert.network ??= {};
  return alert.network;
}

function api(alert: Alert): AlertApiRequest {
  alert.apiRequest ??= {};
  return alert.apiRequest;
}

/** ancestors[n], creating unknown generations up to it. */
function ancestor(alert: Alert, n: number): ProcessInfo {
  while (alert.process.ancestors.length <= n) alert.process.ancestors.push({});
  return alert.process.ancestors[n];
}

const EPOCH_FACTOR: Record<EpochUnit, number> = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 };

export function readTime(value: unknown, ctx: ValueContext): string | null {
  const v = clean(value);
  if (v === undefined) return null;
  if (ctx.epochUnit !== undefined && /^-?\d+(\.\d+)?$/.test(v)) {
    const [intPart] = v.split('.');
    // Nanoseconds and microseconds: drop sub-millisecond digits as text so 19-digit values are not rounded.
    const ms =
      ctx.epochUnit === 'ns' ? Number(intPart.slice(0, -6) || '0') : ctx.epochUnit === 'us' ? Number(intPart.slice(0, -3) || '0') : Number(v) * EPOCH_FACTOR[ctx.epochUnit];
    return Number.isFinite(ms) ? new Date(Math.floor(ms)).toISOString() : null;
  }
  return parseTime(v, ctx.dateOrder);
}

function timeField(assign: (alert: Alert, iso: string) => void): TargetField {
  return {
    kind: 'time',
    set: (alert, value, ctx) => {
      const t = readTime(value, ctx);
      if (t === null) return false;
      assign(alert, t);
      return true;
    },
  };
}

function lookup<T>(map: Record<string, T> | undefined, value: string): T | undefined {
  if (!map) return undefined;
  const lower = value.toLowerCase();
  for (const [k, v] of Object.entries(map)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function ipField(assign: (alert: Alert, v: string) => void): TargetField {
  return {
    kind: 'ip',
    set: (alert, value) => {
      const v = ip(Array.isArray(value) ? value[0] : value);
      if (v === undefined) return false;
      assign(alert, v);
      return true;
    },
  };
}

function portField(assign: (alert: Alert, v: number) => void): TargetField {
  return {
    kind: 'port',
    set: (alert, value) => {
      const v = toPort(value);
      if (v === undefined) return false;
      assign(alert, v);
      return true;
    },
  };
}

function boolField(assign: (alert: Alert, v: boolean) => void): TargetField {
  return {
    kind: 'boolean',
    set: (alert, value) => {
      const v = bool({ v: value }, 'v');
      if (v === undefined) return false;
      assign(alert, v);
      return true;
    },
  };
}

function textList(value: unknown): string[] {
  const out: string[] = [];
  const push = (v: unknown, depth: number): void => {
    if (Array.isArray(v)) {
      // Bounded: a deeply nested array must not exhaust the stack.
      if (depth < 16) for (const x of v) push(x, depth + 1);
      return;
    }
    const s = clean(v);
    if (s !== undefined) out.push(s);
  };
  push(value, 0);
  return out;
}

function processFields(prefix: string, get: (alert: Alert) => ProcessInfo): Record<string, TargetField> {
  return {
    [`${prefix}.name`]: text((a, v) => (get(a).name = v)),
    [`${prefix}.path`]: text((a, v) => (get(a).path = v)),
    [`${prefix}.commandLine`]: text((a, v) => (get(a).commandLine = v)),
    [`${prefix}.pid`]: text((a, v) => (get(a).pid = v)),
    [`${prefix}.user`]: text((a, v) => (get(a).user = v)),
    [`${prefix}.uid`]: text((a, v) => (get(a).uid = v)),
    [`${prefix}.hash`]: text((a, v) => (get(a).hash = v)),
  };
}

export const TARGET_FIELDS: Record<string, TargetField> = {
  id: text((a, v) => (a.id = v)),
  time: timeField((a, t) => (a.time = t)),
  title: text((a, v) => (a.title = v)),
  description: text((a, v) => (a.description = v)),
  severity: {
    kind: 'severity',
    set: (alert, value, ctx) => {
      const v = clean(value);
      if (v === undefined) return false;
      const s = lookup(ctx.severityMap, v) ?? normalizeSeverity(v);
      if (s === 'unknown') return false;
      alert.severity = s;
      return true;
    },
  },
  action: {
    kind: 'action',
    set: (alert, value, ctx) => {
      const v = clean(value);
      if (v === undefined) return false;
      const a = lookup(ctx.actionMap, v) ?? normalizeAction(v);
      if (a === 'unknown') return false;
      alert.action = a;
      return true;
    },
  },
  tactics: {
    kind: 'mitre',
    set: (alert, value) => {
      const values = textList(value);
      const ids = [...mitre(values).tactics, ...tacticIds(values)];
      alert.tactics.push(...ids);
      return ids.length > 0;
    },
  },
  techniques: {
    kind: 'mitre',
    set: (alert, value) => {
      const found = mitre(textList(value));
      alert.techniques.push(...found.techniques);
      alert.tactics.push(...found.tactics);
      return found.techniques.length > 0;
    },
  },
  cluster: text((a, v) => (a.cluster = v)),
  sensor: text((a, v) => (a.sensor = v)),
  'host.name': text((a, v) => (a.host.name = v)),
  'host.ips': {
    kind: 'ip list',
    set: (alert, value) => {
      const found = ips(value).filter((i) => !alert.host.ips.includes(i));
      alert.host.ips.push(...found);
      return found.length > 0;
    },
  },
  'host.instanceId': text((a, v) => (a.host.instanceId = v)),
  'container.id': text((a, v) => (a.container.id = stripRuntime(v))),
  'container.name': text((a, v) => (a.container.name = v)),
  'container.image': text((a, v) => (a.container.image = v)),
  'container.pod': text((a, v) => (a.container.pod = v)),
  'container.namespace': text((a, v) => (a.container.namespace = v)),
  'container.podUid': text((a, v) => (a.container.podUid = v)),
  'container.cgroupPath': text((a, v) => (a.container.cgroupPath = v)),
  'container.privileged': boolField((a, v) => (a.container.privileged = v)),
  ...processFields('process', (a) => a.process),
  'process.tty': boolField((a, v) => (a.process.tty = v)),
  'process.startTime': timeField((a, t) => (a.process.startTime = t)),
  ...processFields('process.parent', (a) => ancestor(a, 0)),
  ...processFields('process.grandparent', (a) => ancestor(a, 1)),
  'file.path': text((a, v) => ((a.file ??= {}).path = v)),
  'file.name': text((a, v) => ((a.file ??= {}).name = v)),
  'file.hash': text((a, v) => ((a.file ??= {}).hash = v)),
  'network.srcIp': ipField((a, v) => (network(a).srcIp = v)),
  'network.srcPort': portField((a, v) => (network(a).srcPort = v)),
  'network.dstIp': ipField((a, v) => (network(a).dstIp = v)),
  'network.dstPort': portField((a, v) => (network(a).dstPort = v)),
  'network.protocol': text((a, v) => (network(a).protocol = v.toLowerCase())),
  'network.appProtocol': text((a, v) => (network(a).appProtocol = v)),
  'network.domain': text((a, v) => (network(a).domain = v)),
  'network.url': text((a, v) => (network(a).url = v)),
  'network.httpMethod': text((a, v) => (network(a).httpMethod = v)),
  'network.userAgent': text((a, v) => (network(a).userAgent = v)),
  'network.interface': text((a, v) => (network(a).interface = v)),
  'network.direction': text((a, v) => (network(a).direction = v)),
  'apiRequest.user': text((a, v) => (api(a).user = v)),
  'apiRequest.groups': {
    kind: 'text list',
    set: (alert, value) => {
      const groups = textList(value);
      if (groups.length === 0) return false;
      api(alert).groups = groups;
      return true;
    },
  },
  'apiRequest.verb': text((a, v) => (api(a).verb = v)),
  'apiRequest.resource': text((a, v) => (api(a).resource = v)),
  'apiRequest.subresource': text((a, v) => (api(a).subresource = v)),
  'apiRequest.namespace': text((a, v) => (api(a).namespace = v)),
  'apiRequest.name': text((a, v) => (api(a).name = v)),
  'apiRequest.sourceIps': {
    kind: 'ip list',
    set: (alert, value) => {
      const found = ips(value);
      if (found.length === 0) return false;
      api(alert).sourceIps = found;
      return true;
    },
  },
  'apiRequest.userAgent': text((a, v) => (api(a).userAgent = v)),
  'apiRequest.statusCode': {
    kind: 'number',
    set: (alert, value) => {
      const v = clean(value);
      const n = v === undefined ? NaN : Number(v);
      if (!Number.isInteger(n)) return false;
      api(alert).statusCode = n;
      return true;
    },
  },
  'apiRequest.requestUri': text((a, v) => (api(a).requestUri = v)),
};

export const TARGET_FIELD_NAMES = Object.keys(TARGET_FIELDS);
