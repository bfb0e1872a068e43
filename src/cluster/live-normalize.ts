/**
 * Turns what the client library returns (class instances with `Date` timestamps and unset properties) into plain
 * JSON data, dropping what must never be stored on the way: container `env` values (names are kept),
 * `metadata.managedFields` and the `kubectl.kubernetes.io/last-applied-configuration` annotation (a full copy of
 * the applied spec, env values included).
 *
 * A deliberately small, private sanitizer: `src/cluster/sanitize.ts` (`sanitizeObject`) is the project-wide one;
 * the lead unifies the two.
 */

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Keys holding container lists, wherever they occur (pod specs and every pod template). */
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function sanitizeEnv(env: unknown): PlainValue {
  if (!Array.isArray(env)) return null;
  const names: PlainValue[] = [];
  for (const entry of env) if (isPlainRecord(entry) && typeof entry.name === 'string') names.push({ name: entry.name });
  return names;
}

function container(value: unknown): PlainValue {
  if (!isPlainRecord(value)) return toPlain(value);
  const out: { [key: string]: PlainValue } = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v === undefined || typeof v === 'function') continue;
    out[key] = key === 'env' ? sanitizeEnv(v) : toPlain(v, key);
  }
  return out;
}

/** Plain, sanitized copy of `value` (`key` is the property it sits under, which decides what is dropped). */
export function toPlain(value: unknown, key?: string): PlainValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) {
    if (key !== undefined && CONTAINER_LISTS.has(key)) return value.map(container);
    return value.map((v) => toPlain(v));
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return Number(value);
    case 'object':
      break;
    default:
      return null;
  }
  const record = value as Record<string, unknown>;
  const out: { [key: string]: PlainValue } = {};
  for (const k of Object.keys(record)) {
    const v = record[k];
    if (v === undefined || typeof v === 'function' || k === 'managedFields') continue;
    if (k === 'annotations' && isPlainRecord(v) && LAST_APPLIED in v) {
      const { [LAST_APPLIED]: _dropped, ...rest } = v;
      out[k] = toPlain(rest, k);
      continue;
    }
    out[k] = toPlain(v, k);
  }
  return out;
}
