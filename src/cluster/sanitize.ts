/**
 * What must never be stored in a snapshot: Secrets and ConfigMaps, environment values, the last-applied
 * configuration (it repeats env values), managedFields (noise). Applied on load and before saving.
 */
import type { KubeObject } from './model.js';

/** Kinds dropped entirely: their payload is configuration or credentials, never context. */
export const DROPPED_KINDS: ReadonlySet<string> = new Set(['Secret', 'ConfigMap']);

const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

/** Which fields of each `env[].valueFrom` source are references (names), not values. */
const VALUE_FROM_REFERENCE_FIELDS: Record<string, readonly string[]> = {
  secretKeyRef: ['name', 'key', 'optional'],
  configMapKeyRef: ['name', 'key', 'optional'],
  fieldRef: ['fieldPath', 'apiVersion'],
  resourceFieldRef: ['resource', 'containerName', 'divisor'],
  fileKeyRef: ['path', 'key', 'volumeName', 'optional'],
};

type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

/** Deep copy into plain JSON data: Date → ISO string, class instances → plain objects, undefined/functions dropped. */
function toPlain(value: unknown, depth: number): Plain | undefined {
  if (value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return undefined;
  }
  if (depth > 64) return undefined;
  if (Array.isArray(value)) {
    const out: Plain[] = [];
    for (const item of value) {
      const v = toPlain(item, depth + 1);
      out.push(v === undefined ? null : v);
    }
    return out;
  }
  const out: { [key: string]: Plain } = {};
  for (const key of Object.keys(value as object)) {
    const v = toPlain((value as Record<string, unknown>)[key], depth + 1);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sanitizeValueFrom(valueFrom: unknown): Plain | undefined {
  if (!isRecord(valueFrom)) return undefined;
  const out: { [key: string]: Plain } = {};
  for (const [source, fields] of Object.entries(VALUE_FROM_REFERENCE_FIELDS)) {
    const ref = valueFrom[source];
    if (!isRecord(ref)) continue;
    const kept: { [key: string]: Plain } = {};
    for (const field of fields) {
      const v = ref[field];
      if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') kept[field] = v;
    }
    out[source] = kept;
  }
  return out;
}

/** Every `env` list anywhere in the object (pod spec, templates, job templates): keep names and references only. */
function scrubEnv(node: Plain, depth: number): void {
  if (depth > 64 || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) scrubEnv(item, depth + 1);
    return;
  }
  for (const [key, child] of Object.entries(node)) {
    if (key === 'env' && Array.isArray(child)) {
      node[key] = child.map((entry) => {
        if (!isRecord(entry)) return null;
        const kept: { [key: string]: Plain } = {};
        if (typeof entry.name === 'string') kept.name = entry.name;
        const valueFrom = sanitizeValueFrom(entry.valueFrom);
        if (valueFrom !== undefined) kept.valueFrom = valueFrom;
        return kept;
      });
    } else {
      scrubEnv(child, depth + 1);
    }
  }
}

/**
 * A plain, storable copy of a Kubernetes object with nothing sensitive left, or undefined when the object must not be
 * kept at all (Secret, ConfigMap) or is not an object. The input is not modified.
 */
export function sanitizeObject(obj: unknown): KubeObject | undefined {
  if (!isRecord(obj)) return undefined;
  if (typeof obj.kind === 'string' && DROPPED_KINDS.has(obj.kind)) return undefined;
  const plain = toPlain(obj, 0);
  if (!isRecord(plain)) return undefined;
  const metadata = plain.metadata;
  if (isRecord(metadata)) {
    delete metadata.managedFields;
    const annotations = metadata.annotations;
    if (isRecord(annotations)) {
      for (const name of DROPPED_ANNOTATIONS) delete annotations[name];
    }
  }
  scrubEnv(plain as Plain, 0);
  // ConfigMap-like payloads never belong in context objects.
  delete plain.data;
  delete plain.stringData;
  delete plain.binaryData;
  return plain as unknown as KubeObject;
}

/**
 * sanitizeObject for an object fresh from JSON.parse that nothing else holds (snapshot files, streamed): the same
 * result, without the deep copy. Undefined when the object must not be kept.
 */
export function sanitizeParsed(obj: unknown): KubeObject | undefined {
  if (!isRecord(obj)) return undefined;
  if (typeof obj.kind === 'string' && DROPPED_KINDS.has(obj.kind)) return undefined;
  // Only delete what is there: a delete turns an object into a slower, larger dictionary.
  const metadata = obj.metadata;
  if (isRecord(metadata)) {
    if ('managedFields' in metadata) delete metadata.managedFields;
    const annotations = metadata.annotations;
    if (isRecord(annotations)) {
      for (const name of DROPPED_ANNOTATIONS) if (name in annotations) delete annotations[name];
    }
  }
  scrubEnv(obj as Plain, 0);
  for (const key of ['data', 'stringData', 'binaryData']) if (key in obj) delete obj[key];
  return obj as unknown as KubeObject;
}
