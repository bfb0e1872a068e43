/**
 * One Kubernetes API request as read from any audit-log shape: native `audit.k8s.io` Events (log backend, webhook
 * EventList, EKS CloudWatch), GKE Cloud Audit Logs and AKS diagnostic records. Everything else in the records is
 * dropped here; in particular no credential from `user.extra` survives except the bound pod's name and uid.
 */
import { parseTime } from '../alerts/time.js';
import { isObj, str, strings, type Obj } from './json-values.js';

export type AuditShape = 'native' | 'gke' | 'aks';

export interface AuditEvent {
  shape: AuditShape;
  auditId?: string;
  /** RequestReceived | ResponseStarted | ResponseComplete | Panic; absent for GKE. */
  stage?: string;
  verb?: string;
  user: string;
  groups: string[];
  impersonatedUser?: string;
  impersonatedGroups?: string[];
  tokenBoundPod?: string;
  tokenBoundPodUid?: string;
  sourceIps: string[];
  userAgent?: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  requestUri?: string;
  /** For a kubelet exec/attach reached through nodes/<node>/proxy and read as the pods request it amounts to: that node. */
  viaNode?: string;
  /** HTTP status; GKE gRPC codes are mapped to their HTTP equivalents. */
  code?: number;
  /** ISO-8601 UTC: when the API server received the request. */
  received?: string;
  /** ISO-8601 UTC: when this stage was written (ResponseComplete of a stream = when it closed). */
  stageTime?: string;
  requestObject?: unknown;
  responseObject?: unknown;
  decision?: string;
  authorization?: string;
  cluster?: string;
  /** GKE long-running operation markers. */
  operationFirst?: boolean;
  operationLast?: boolean;
}

function first(v: unknown): string | undefined {
  return Array.isArray(v) ? str(v[0]) : str(v);
}
function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}
function time(...values: unknown[]): string | undefined {
  for (const v of values) {
    const t = parseTime(v);
    if (t) return t;
  }
  return undefined;
}

/** gRPC status → HTTP status, as google.rpc.Code documents the mapping. */
const GRPC_TO_HTTP: Record<number, number> = {
  0: 200, 1: 499, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429, 9: 400, 10: 409, 11: 400, 12: 501, 13: 500, 14: 503, 15: 500, 16: 401,
};

const POD_NAME_EXTRA = 'authentication.kubernetes.io/pod-name';
const POD_UID_EXTRA = 'authentication.kubernetes.io/pod-uid';

export function fromNative(e: Obj, shape: AuditShape = 'native', cluster?: string): AuditEvent {
  const user = isObj(e.user) ? e.user : {};
  const extra = isObj(user.extra) ? user.extra : {};
  const imp = isObj(e.impersonatedUser) ? e.impersonatedUser : undefined;
  const ref = isObj(e.objectRef) ? e.objectRef : {};
  const status = isObj(e.responseStatus) ? e.responseStatus : {};
  const annotations = isObj(e.annotations) ? e.annotations : {};
  const meta = isObj(e.metadata) ? e.metadata : {};
  const received = time(e.requestReceivedTimestamp, e.timestamp, meta.creationTimestamp, e.stageTimestamp);
  return {
    shape,
    auditId: str(e.auditID),
    stage: str(e.stage),
    verb: str(e.verb),
    user: str(user.username) ?? '',
    groups: strings(user.groups),
    impersonatedUser: imp ? str(imp.username) : undefined,
    impersonatedGroups: imp && Array.isArray(imp.groups) ? strings(imp.groups) : undefined,
    tokenBoundPod: first(extra[POD_NAME_EXTRA]),
    tokenBoundPodUid: first(extra[POD_UID_EXTRA]),
    sourceIps: strings(e.sourceIPs),
    userAgent: str(e.userAgent),
    apiGroup: str(ref.apiGroup),
    resource: str(ref.resource),
    subresource: str(ref.subresource),
    namespace: str(ref.namespace),
    name: str(ref.name),
    requestUri: str(e.requestURI),
    code: num(status.code),
    received,
    stageTime: time(e.stageTimestamp) ?? received,
    requestObject: e.requestObject ?? undefined,
    responseObject: e.responseObject ?? undefined,
    decision: str(annotations['authorization.k8s.io/decision']),
    authorization: str(annotations['authorization.k8s.io/reason']),
    cluster,
  };
}

const VERSION = /^v\d+((alpha|beta)\d+)?$/;

/** `io.k8s.core.v1.pods.exec.create` → { apiGroup: '', resource: 'pods', subresource: 'exec', verb: 'create' }. */
export function parseGkeMethod(method: string): { apiGroup?: string; resource?: string; subresource?: string; verb?: string } {
  if (!method.startsWith('io.k8s.')) return {};
  const parts = method.slice('io.k8s.'.length).split('.');
  const v = parts.findIndex((p) => VERSION.test(p));
  if (v < 0) return { verb: parts[parts.length - 1] };
  const groupParts = parts.slice(0, v);
  const apiGroup = groupParts.length === 1 && groupParts[0] === 'core' ? '' : groupParts.join('.');
  const rest = parts.slice(v + 1);
  if (rest.length === 1) return { apiGroup, verb: rest[0] };
  if (rest.length === 2) return { apiGroup, resource: rest[0], verb: rest[1] };
  return { apiGroup, resource: rest[0], subresource: rest.slice(1, -1).join('.'), verb: rest[rest.length - 1] };
}

/** `core/v1/namespaces/<ns>/pods/<pod>/exec` → namespace, name, subresource. */
export function parseGkeResourceName(resourceName: string): { namespace?: string; name?: string; subresource?: string } {
  const parts = resourceName.split('/');
  const ns = parts.indexOf('namespaces');
  if (ns < 0) return {};
  const namespace = parts[ns + 1];
  if (parts.length <= ns + 3) {
    // `.../namespaces/<ns>` is the Namespace object itself; `.../namespaces/<ns>/pods` a collection.
    return parts.length === ns + 2 ? { name: namespace } : { namespace };
  }
  return { namespace, name: parts[ns + 3], subresource: parts[ns + 4] };
}

export function fromGke(entry: Obj): AuditEvent {
  const p = isObj(entry.protoPayload) ? entry.protoPayload : {};
  const auth = isObj(p.authenticationInfo) ? p.authenticationInfo : {};
  const meta = isObj(p.requestMetadata) ? p.requestMetadata : {};
  const status = isObj(p.status) ? p.status : undefined;
  const labels = isObj(entry.labels) ? entry.labels : {};
  const resourceLabels = isObj(entry.resource) && isObj(entry.resource.labels) ? entry.resource.labels : {};
  const operation = isObj(entry.operation) ? entry.operation : {};
  const method = parseGkeMethod(str(p.methodName) ?? '');
  const res = parseGkeResourceName(str(p.resourceName) ?? '');
  const grpc = status ? (num(status.code) ?? 0) : undefined;
  const subresource = res.subresource ?? method.subresource;
  // A successful streaming request is the 101 upgrade in native logs; say the same for GKE.
  const okCode = subresource === 'exec' || subresource === 'attach' || subresource === 'portforward' ? 101 : 200;
  const t = time(entry.timestamp, p.timestamp, entry.receiveTimestamp);
  const ip = str(meta.callerIp) ?? str(meta.callerIP);
  return {
    shape: 'gke',
    auditId: str(operation.id) ?? str(entry.insertId),
    verb: method.verb,
    user: str(auth.principalEmail) ?? '',
    groups: [],
    sourceIps: ip ? [ip] : [],
    userAgent: str(meta.callerSuppliedUserAgent),
    apiGroup: method.apiGroup,
    resource: method.resource,
    subresource,
    namespace: res.namespace,
    name: res.name,
    code: grpc === undefined ? undefined : grpc === 0 ? okCode : (GRPC_TO_HTTP[grpc] ?? 500),
    received: t,
    stageTime: t,
    requestObject: p.request ?? undefined,
    responseObject: p.response ?? undefined,
    decision: str(labels['authorization.k8s.io/decision']),
    authorization: str(labels['authorization.k8s.io/reason']),
    cluster: str(resourceLabels.cluster_name),
    operationFirst: operation.first === true ? true : undefined,
    operationLast: operation.last === true ? true : undefined,
  };
}

function parseJsonObject(text: string): Obj | undefined {
  const t = text.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function looksNative(o: Obj): boolean {
  // A core/v1 Event (kubectl get events) is not an audit record.
  if (typeof o.apiVersion === 'string' && !o.apiVersion.startsWith('audit.k8s.io')) return false;
  return o.kind === 'Event' || 'auditID' in o || 'objectRef' in o || 'requestURI' in o || ('verb' in o && 'user' in o);
}

/** An AKSAudit row (Log Analytics) as the audit.k8s.io/v1 event it was made from. */
function fromAksAuditRow(row: Obj): Obj {
  const json = (v: unknown) => (typeof v === 'string' && /^[[{]/.test(v.trim()) ? (parseJsonObject(v) ?? safeArray(v)) : v);
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: row.Level,
    auditID: row.AuditId,
    stage: row.Stage,
    requestURI: row.RequestUri,
    verb: row.Verb,
    user: json(row.User),
    impersonatedUser: json(row.ImpersonatedUser),
    sourceIPs: json(row.SourceIps),
    userAgent: row.UserAgent,
    objectRef: json(row.ObjectRef),
    responseStatus: json(row.ResponseStatus),
    requestObject: json(row.RequestObject),
    requestReceivedTimestamp: row.RequestReceivedTime ?? row.TimeGenerated,
    stageTimestamp: row.StageReceivedTime ?? row.TimeGenerated,
    annotations: json(row.Annotations),
  };
}

/** A JSON array in a string (Log Analytics exports dynamic columns as text), or undefined. */
function safeArray(text: string): unknown[] | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** `/subscriptions/…/managedClusters/<name>` → name. */
function aksClusterName(resourceId: unknown): string | undefined {
  const m = /\/managedclusters\/([^/]+)/i.exec(str(resourceId) ?? '');
  return m ? m[1].toLowerCase() : undefined;
}

/** `/aws/eks/<cluster>/cluster` → cluster. */
function eksClusterName(logGroup: unknown): string | undefined {
  const m = /^\/aws\/eks\/([^/]+)\/cluster$/.exec(str(logGroup) ?? '');
  return m ? m[1] : undefined;
}

export interface ExpandResult {
  events: AuditEvent[];
  /** Records that were not recognised as audit events. */
  unrecognised: number;
}

/**
 * Turn one parsed JSON value into audit events, unwrapping the envelopes users really have: arrays, audit
 * EventLists (webhook backend), CloudWatch `filter-log-events` output and subscription payloads, AKS diagnostic
 * records (log as object or as a JSON string), container-log wrappers (`{"log": "..."}`), `message` strings and
 * Elasticsearch `_source` documents.
 */
export function expandRecord(value: unknown, out: ExpandResult, cluster?: string, depth = 0): void {
  if (depth > 4) {
    out.unrecognised++;
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) expandRecord(v, out, cluster, depth + 1);
    return;
  }
  if (!isObj(value)) {
    out.unrecognised++;
    return;
  }
  if (isObj(value.protoPayload)) {
    out.events.push(fromGke(value));
    return;
  }
  if (value.kind === 'EventList' && Array.isArray(value.items)) {
    for (const v of value.items) expandRecord(v, out, cluster, depth + 1);
    return;
  }
  if (looksNative(value)) {
    out.events.push(fromNative(value, 'native', cluster));
    return;
  }
  // Azure Monitor diagnostic settings deliver to Event Hub and storage as `{"records": [ … ]}` batches.
  if (Array.isArray(value.records)) {
    for (const v of value.records) expandRecord(v, out, cluster, depth + 1);
    return;
  }
  // Log Analytics, resource-specific table AKSAudit: the event's fields as PascalCase columns.
  if (value.Type === 'AKSAudit' || ('AuditId' in value && 'RequestUri' in value && 'Verb' in value)) {
    out.events.push(fromNative(fromAksAuditRow(value), 'aks', aksClusterName(value._ResourceId) ?? cluster));
    return;
  }
  const props = isObj(value.properties) ? value.properties : undefined;
  if (props && 'log' in props) {
    const inner = typeof props.log === 'string' ? parseJsonObject(props.log) : props.log;
    if (isObj(inner) && looksNative(inner)) out.events.push(fromNative(inner, 'aks', aksClusterName(value.resourceId) ?? cluster));
    else out.unrecognised++;
    return;
  }
  const batch = Array.isArray(value.logEvents) ? value.logEvents : Array.isArray(value.events) ? value.events : undefined;
  if (batch) {
    const c = eksClusterName(value.logGroup) ?? cluster;
    for (const v of batch) expandRecord(v, out, c, depth + 1);
    return;
  }
  // Log Analytics, legacy AzureDiagnostics table: the event as a JSON string in log_s (Category kube-audit).
  if (typeof value.log_s === 'string') {
    const inner = parseJsonObject(value.log_s);
    if (isObj(inner) && looksNative(inner)) out.events.push(fromNative(inner, 'aks', aksClusterName(value._ResourceId ?? value.ResourceId) ?? cluster));
    else out.unrecognised++;
    return;
  }
  for (const key of ['log', 'message', '_source', 'event'] as const) {
    const inner = value[key];
    if (inner === undefined) continue;
    const parsed = typeof inner === 'string' ? parseJsonObject(inner) : inner;
    if (parsed !== undefined) {
      expandRecord(parsed, out, cluster, depth + 1);
      return;
    }
  }
  out.unrecognised++;
}
