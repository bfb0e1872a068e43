import type { VerdictRecord } from './verdict-record.js';

/**
 * JSON.stringify(record) for a verdict record, written field by field: every verdict of a run is serialised, and the
 * generic serialiser spent more on walking the record's objects and checking each string than on the text itself
 * (≈ 4 µs of a 1 KB line). A string is quoted as it is unless a character needs an escape (a quote, a backslash, a
 * control character, a surrogate: JSON.stringify writes a lone one as \uXXXX), which JSON.stringify then escapes.
 * Anything the record type does not foresee (a value of another type, a missing one) falls back to JSON.stringify
 * of the whole record, so the text is always exactly what JSON.stringify gives (test/report/verdict-json.test.ts).
 */
export function verdictJson(record: VerdictRecord): string {
  return recordText(record) ?? JSON.stringify(record);
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON; undefined for anything else (the caller falls back to JSON.stringify). */
function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

function textOrNull(value: unknown): string | undefined {
  return value === null ? 'null' : text(value);
}

function num(value: unknown): string | undefined {
  if (typeof value !== 'number') return undefined;
  return Number.isFinite(value) ? String(value) : 'null';
}

/** How many own keys an object has (for…in over a record built from literals: own keys only). */
function keyCount(value: object): number {
  let n = 0;
  for (const key in value) if (Object.hasOwn(value, key)) n++;
  return n;
}

const OPTIONAL_KEYS = ['notes', 'fingerprint', 'baseline'] as const;

/**
 * The fields of VerdictRecord, in its order; undefined when one is not of its declared type, or when an object holds
 * a key this writer does not know (a field added to the record type later is never silently left out).
 */
function recordText(r: VerdictRecord): string | undefined {
  const s = r.source;
  const k = r.kubernetes;
  if (typeof s !== 'object' || s === null || typeof k !== 'object' || k === null || !Array.isArray(r.reasons)) return undefined;
  const optional = OPTIONAL_KEYS.reduce((n, key) => n + (key in r ? 1 : 0), 0);
  if (keyCount(r) !== 12 + optional || keyCount(s) !== 3 || keyCount(k) !== 6) return undefined;
  const id = text(r.id);
  const file = text(s.file);
  const record = num(s.record);
  const vendor = text(s.vendor);
  const time = textOrNull(r.time);
  const title = text(r.title);
  const severity = text(r.severity);
  const action = text(r.action);
  const label = text(r.label);
  const confidence = num(r.confidence);
  const context = text(r.context);
  const cause = text(r.cause);
  const cluster = textOrNull(k.cluster);
  const node = textOrNull(k.node);
  const namespace = textOrNull(k.namespace);
  const pod = textOrNull(k.pod);
  const container = textOrNull(k.container);
  const workload = textOrNull(k.workload);
  if (
    id === undefined ||
    file === undefined ||
    record === undefined ||
    vendor === undefined ||
    time === undefined ||
    title === undefined ||
    severity === undefined ||
    action === undefined ||
    label === undefined ||
    confidence === undefined ||
    context === undefined ||
    cause === undefined ||
    cluster === undefined ||
    node === undefined ||
    namespace === undefined ||
    pod === undefined ||
    container === undefined ||
    workload === undefined
  ) {
    return undefined;
  }
  let out = `{"id":${id},"source":{"file":${file},"record":${record},"vendor":${vendor}},"time":${time},"title":${title},"severity":${severity},"action":${action},"label":${label},"confidence":${confidence},"context":${context},"cause":${cause},"kubernetes":{"cluster":${cluster},"node":${node},"namespace":${namespace},"pod":${pod},"container":${container},"workload":${workload}},"reasons":[`;
  for (let i = 0; i < r.reasons.length; i++) {
    const reason = r.reasons[i];
    if (typeof reason !== 'object' || reason === null || keyCount(reason) !== 4) return undefined;
    const rule = text(reason.rule);
    const direction = text(reason.direction);
    const strength = text(reason.strength);
    const message = text(reason.message);
    if (rule === undefined || direction === undefined || strength === undefined || message === undefined) return undefined;
    out += `${i ? ',' : ''}{"rule":${rule},"direction":${direction},"strength":${strength},"message":${message}}`;
  }
  out += ']';
  if (r.notes !== undefined) {
    if (!Array.isArray(r.notes)) return undefined;
    out += ',"notes":[';
    for (let i = 0; i < r.notes.length; i++) {
      const note = text(r.notes[i]);
      if (note === undefined) return undefined;
      out += i ? `,${note}` : note;
    }
    out += ']';
  }
  if (r.fingerprint !== undefined) {
    const fingerprint = text(r.fingerprint);
    if (fingerprint === undefined) return undefined;
    out += `,"fingerprint":${fingerprint}`;
  }
  if (r.baseline !== undefined) {
    const baseline = text(r.baseline);
    if (baseline === undefined) return undefined;
    out += `,"baseline":${baseline}`;
  }
  return `${out}}`;
}
