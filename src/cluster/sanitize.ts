/**
 * What must never be stored in a snapshot: Secrets and ConfigMaps, environment values, the last-applied
 * configuration (it repeats env values), managedFields (noise), annotation values that hold credentials (tokens,
 * kubeconfigs, keys), and in the exec sessions and audit activities of an own-format snapshot anything but their
 * known fields (commands with credentials redacted). Applied on load and before saving.
 */
import { redactSecrets } from './audit-sessions.js';
import type { AuditActivity, ExecSession, KubeObject, SnapshotGap } from './model.js';

/** Kinds dropped entirely: their payload is configuration or credentials, never context. */
export const DROPPED_KINDS: ReadonlySet<string> = new Set(['Secret', 'ConfigMap']);

const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

export const REDACTED = '<redacted>';

/** Annotation values that carry a credential: a JWT, a bearer token, kubeconfig or key material. */
const CREDENTIAL_VALUE = [
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/i,
  /^\s*(?:-\s*)?"?(?:token|client-key-data|client-certificate-data|password|id-token|refresh-token|access-token|client-secret|secret)"?\s*:/im,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

export function looksLikeCredential(value: string): boolean {
  return CREDENTIAL_VALUE.some((pattern) => pattern.test(value));
}

/** Drops the last-applied configuration and replaces credential-bearing annotation values, in place. */
export function scrubAnnotations(annotations: unknown): void {
  if (!isRecord(annotations)) return;
  for (const name of DROPPED_ANNOTATIONS) delete annotations[name];
  for (const [name, value] of Object.entries(annotations)) if (typeof value === 'string' && looksLikeCredential(value)) annotations[name] = REDACTED;
}
/** Top-level fields under which container specs (and so `env` lists) can appear; status and metadata never hold env. */
const ENV_BEARING_FIELDS = ['spec', 'template'];

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

/**
 * Every `env` list anywhere in the object (pod spec, templates, job templates): keep names and references only; an
 * `env` that is not a list is dropped. Template metadata loses what top-level metadata loses.
 */
function scrubEnv(node: Plain, depth: number): void {
  if (depth > 64 || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) scrubEnv(item, depth + 1);
    return;
  }
  for (const key of Object.keys(node)) scrubField(node, key, depth);
}

/** What scrubEnv does to one field of an object met `depth` levels deep. */
function scrubField(node: { [key: string]: Plain }, key: string, depth: number): void {
  const child = node[key];
  if (key === 'metadata' && isRecord(child)) {
    delete child.managedFields;
    scrubAnnotations(child.annotations);
  }
  if (key === 'env' && !Array.isArray(child)) {
    node[key] = [];
  } else if (key === 'env' && Array.isArray(child)) {
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

/**
 * Scrubs the fields of `node` (an object `depth` levels below an env-bearing field) except those in `skip`, which the
 * caller scrubs on its own (see scrubFieldValue): a pod whose shared parts are scrubbed once, not once per replica.
 */
export function scrubFieldsExcept(node: Record<string, unknown>, skip: ReadonlySet<string>, depth: number): void {
  for (const key of Object.keys(node)) if (!skip.has(key)) scrubField(node as { [key: string]: Plain }, key, depth);
}

/**
 * The value of field `key` of an object `depth` levels below an env-bearing field, scrubbed as scrubPlainObject would
 * scrub it in place (`metadata.annotations`: pass key "annotations" and depth -1). May return a new value (env lists).
 */
export function scrubFieldValue(key: string, value: unknown, depth: number): unknown {
  if (depth < 0) {
    if (key === 'annotations') scrubAnnotations(value);
    return value;
  }
  const holder: { [key: string]: Plain } = { [key]: value as Plain };
  scrubField(holder, key, depth);
  return holder[key];
}

/** Scrubs one element of a list met `depth` levels deep (volumes, volume mounts), in place. */
export function scrubListItem(value: unknown, depth: number): void {
  scrubEnv(value as Plain, depth);
}

/**
 * Remove in place what must never be stored, from an object that is already plain JSON data (from JSON.parse or a
 * YAML parser). Kind-independent, so it can run before the kind of a typed list's items is known.
 */
export function scrubPlainObject(obj: Record<string, unknown>): void {
  const metadata = obj.metadata;
  if (isRecord(metadata)) {
    delete metadata.managedFields;
    scrubAnnotations(metadata.annotations);
  }
  // Environment lists live in pod specs and pod templates (spec.template…, spec.jobTemplate…, PodTemplate.template).
  for (const key of ENV_BEARING_FIELDS) if (key in obj) scrubEnv(obj[key] as Plain, 0);
  // ConfigMap- and Secret-like payloads never belong in context objects.
  delete obj.data;
  delete obj.stringData;
  delete obj.binaryData;
}

/**
 * A plain, storable copy of a Kubernetes object with nothing sensitive left, or undefined when the object must not be
 * kept at all (Secret, ConfigMap) or is not an object. The input is not modified; Date values become ISO strings.
 */
export function sanitizeObject(obj: unknown): KubeObject | undefined {
  if (!isRecord(obj)) return undefined;
  if (typeof obj.kind === 'string' && DROPPED_KINDS.has(obj.kind)) return undefined;
  const plain = toPlain(obj, 0);
  if (!isRecord(plain)) return undefined;
  scrubPlainObject(plain);
  return plain as unknown as KubeObject;
}

// ---------------------------------------------------------------------------------------------------------------
// Sessions, activities and gaps read back from an own-format snapshot: known fields only, commands redacted.

const SESSION_FIELDS = [
  'kind', 'user', 'groups', 'impersonatedUser', 'sourceIps', 'userAgent', 'namespace', 'pod', 'container', 'command', 'tty', 'start', 'end', 'code', 'image',
  'node', 'tokenBoundPod', 'tokenBoundPodUid', 'impersonatedGroups', 'auditId', 'cluster', 'targetContainer', 'ports', 'stdin', 'decision', 'authorization', 'source',
] as const satisfies readonly (keyof ExecSession)[];
const ACTIVITY_FIELDS = [
  'time', 'user', 'groups', 'impersonatedUser', 'verb', 'resource', 'subresource', 'namespace', 'name', 'sourceIps', 'userAgent', 'code', 'tokenBoundPod', 'podSpec',
  'tokenBoundPodUid', 'impersonatedGroups', 'apiGroup', 'auditId', 'cluster', 'decision', 'authorization', 'source', 'chaos',
] as const satisfies readonly (keyof AuditActivity)[];
const POD_SPEC_FIELDS = [
  'privileged', 'hostPID', 'hostNetwork', 'hostPaths', 'images', 'commands', 'owner', 'hostIPC', 'capabilities', 'runAsRoot', 'nodeName', 'serviceAccountName', 'ownerName', 'generateName', 'hostMounts',
] as const satisfies readonly (keyof NonNullable<AuditActivity['podSpec']>)[];

function pickFields(record: Record<string, unknown>, fields: readonly string[]): { [key: string]: Plain } {
  const out: { [key: string]: Plain } = {};
  for (const field of fields) {
    const v = toPlain(record[field], 0);
    if (v !== undefined) out[field] = v;
  }
  if (isRecord(out.source)) out.source = pickFields(out.source, ['file', 'line']);
  return out;
}

const redactWords = (words: Plain | undefined): Plain[] => (Array.isArray(words) ? words.map((w) => (typeof w === 'string' ? redactSecrets(w) : w)) : []);

export function sanitizeExecSession(record: Record<string, unknown>): ExecSession {
  const out = pickFields(record, SESSION_FIELDS);
  out.command = redactWords(out.command);
  return out as unknown as ExecSession;
}

export function sanitizeAuditActivity(record: Record<string, unknown>): AuditActivity {
  const out = pickFields(record, ACTIVITY_FIELDS);
  if (isRecord(out.podSpec)) {
    const spec = pickFields(out.podSpec, POD_SPEC_FIELDS);
    if (Array.isArray(spec.commands)) spec.commands = spec.commands.map(redactWords);
    out.podSpec = spec;
  }
  return out as unknown as AuditActivity;
}

export function sanitizeGap(record: Record<string, unknown>): SnapshotGap {
  return pickFields(record, ['resource', 'reason', 'cluster']) as unknown as SnapshotGap;
}
