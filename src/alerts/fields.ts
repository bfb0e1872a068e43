import type { AlertAction, Severity } from './model.js';

/**
 * Read a value by path. Accepts nested objects, dotted keys inside nested objects (Elastic's cloud_defend writes
 * {"container":{"image.name":…}}) and fully dotted keys ({"k8s.ns.name":…}).
 */
export function getPath(record: unknown, path: string): unknown {
  if (record === null || typeof record !== 'object') return undefined;
  const obj = record as Record<string, unknown>;
  let dot = path.indexOf('.');
  // Without a dot there is nothing else to try: `path in obj ? obj[path] : undefined` is obj[path], in one lookup.
  if (dot === -1) return obj[path];
  if (path in obj) return obj[path];
  while (dot !== -1) {
    const head = path.slice(0, dot);
    if (head in obj) {
      const found = getPath(obj[head], path.slice(dot + 1));
      if (found !== undefined) return found;
    }
    dot = path.indexOf('.', dot + 1);
  }
  return undefined;
}

/** First element when the value is an array (Cortex XDR wraps most fields in arrays). */
export function unwrap(value: unknown): unknown {
  while (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    value = value[0];
  }
  return value;
}

export function asString(value: unknown): string | undefined {
  value = unwrap(value);
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' || t === '-' || t === '(empty)' ? undefined : t;
  }
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The first present, non-empty string among several paths. */
export function pick(record: unknown, ...paths: string[]): string | undefined {
  for (const p of paths) {
    const v = asString(getPath(record, p));
    if (v !== undefined) return v;
  }
  return undefined;
}

export function pickNumber(record: unknown, ...paths: string[]): number | undefined {
  const s = pick(record, ...paths);
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

export function pickBoolean(record: unknown, ...paths: string[]): boolean | undefined {
  for (const p of paths) {
    const v = unwrap(getPath(record, p));
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'string') {
      const t = v.trim().toLowerCase();
      if (t === 'true' || t === '1' || t === 'yes') return true;
      if (t === 'false' || t === '0' || t === 'no') return false;
    }
  }
  return undefined;
}

/** All strings found under the paths, flattening arrays and splitting comma lists when asked. */
export function pickAll(record: unknown, paths: string[], split = false): string[] {
  // A Set (not includes(): quadratic on huge arrays) and bounded nesting (no stack exhaustion on deep arrays).
  const out = new Set<string>();
  const push = (v: unknown, depth: number): void => {
    if (Array.isArray(v)) {
      if (depth < 16) for (const x of v) push(x, depth + 1);
      return;
    }
    const s = asString(v);
    if (s === undefined) return;
    for (const part of split ? s.split(/[,\s]+/) : [s]) if (part) out.add(part);
  };
  for (const p of paths) push(getPath(record, p), 0);
  return [...out];
}

/** Decode a JSON value carried inside a string (Defender AdditionalFields, Vectra service_info). */
export function decodeJsonString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return value;
  try {
    return JSON.parse(t);
  } catch {
    return value;
  }
}

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: 'critical',
  crit: 'critical',
  emergency: 'critical',
  alert: 'critical',
  fatal: 'critical',
  high: 'high',
  error: 'high',
  severe: 'high',
  medium: 'medium',
  moderate: 'medium',
  warning: 'medium',
  warn: 'medium',
  low: 'low',
  notice: 'low',
  informational: 'informational',
  information: 'informational',
  info: 'informational',
  debug: 'informational',
  none: 'informational',
};

export const SEVERITY_ORDER: Severity[] = ['unknown', 'informational', 'low', 'medium', 'high', 'critical'];

/** Words map directly; numbers are read on a 0–100 scale unless `scale` says otherwise. */
export function normalizeSeverity(value: unknown, scale: 'percent' | 'ten' | 'suricata' = 'percent'): Severity {
  const s = asString(value);
  if (s === undefined) return 'unknown';
  const word = SEVERITY_WORDS[s.toLowerCase()];
  if (word) return word;
  const n = Number(s);
  if (!Number.isFinite(n)) return 'unknown';
  if (scale === 'suricata') return n <= 1 ? 'high' : n === 2 ? 'medium' : 'low';
  const pct = scale === 'ten' ? n * 10 : n;
  if (pct >= 90) return 'critical';
  if (pct >= 70) return 'high';
  if (pct >= 40) return 'medium';
  if (pct > 0) return 'low';
  return 'informational';
}

const ACTION_WORDS: [RegExp, AlertAction][] = [
  [/quarantin/i, 'quarantined'],
  [/kill|terminat/i, 'killed'],
  [/block|prevent|deny|denied|drop|reject/i, 'blocked'],
  [/detect|alert|allow|report|log|audit|monitor|none/i, 'detected'],
];

export function normalizeAction(value: unknown): AlertAction {
  const s = asString(value);
  if (!s) return 'unknown';
  for (const [re, action] of ACTION_WORDS) if (re.test(s)) return action;
  return 'unknown';
}

/** MITRE ids found anywhere in a list of strings: tactics TA####, techniques T####(.###). */
export function mitreIds(values: string[]): { tactics: string[]; techniques: string[] } {
  const tactics = new Set<string>();
  const techniques = new Set<string>();
  for (const v of values) {
    for (const m of v.matchAll(/\bTA\d{4}\b/g)) tactics.add(m[0]);
    for (const m of v.matchAll(/\bT\d{4}(?:\.\d{3})?\b/g)) techniques.add(m[0]);
  }
  return { tactics: [...tactics].sort(), techniques: [...techniques].sort() };
}

/** The last path segment of a Unix or Windows path. */
export function baseName(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || undefined;
}

/** Split a command line into argv, honouring simple quotes; good enough for matching, not for execution. */
export function splitCommandLine(cmd: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let has = false;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < cmd.length) cur += cmd[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (cur || has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
    }
  }
  if (cur || has) out.push(cur);
  return out;
}
