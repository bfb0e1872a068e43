/**
 * Kubernetes API audit logs → exec sessions and the API activity triage can use.
 *
 * Files or directories (recursive, in name order), plain or gzip (by magic bytes), read line by line: JSON lines
 * (native, EKS, AKS, GKE), CRI container-log lines wrapping them, or whole-file JSON (pretty-printed objects,
 * arrays). Control-plane chatter is recognised on the raw line and skipped before JSON.parse.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { AuditActivity, ChaosFaultSummary, ExecSession } from './model.js';
import { expandRecord, type AuditEvent, type AuditShape, type ExpandResult } from './audit-event.js';
import { BACKUP_DESTINATION_RESOURCES, DATABASE_BACKUP_KINDS } from '../knowledge/database-hooks.js';
import { chaosFaultKind, parseGoDuration } from '../knowledge/chaos-engineering.js';
import { identityKind, isPrivateAddress } from './audit-identities.js';
import { JsonObjectSplitter } from './audit-json.js';
import { mayMatter } from './audit-prefilter.js';
import { SessionAssembler, createdPodName, isEphemeralPatch, isStreamRequest, kubeletProxyStream, redactSecrets } from './audit-sessions.js';
import { isObj, str, strings, type Obj } from './json-values.js';

export interface AuditReadStats {
  files: number;
  lines: number;
  /** Lines skipped by the raw-line test, never parsed. */
  skippedFast: number;
  /** Lines or objects that were not valid JSON. */
  malformed: number;
  /** Valid JSON that was not an audit record. */
  unrecognised: number;
  events: number;
  shapes: Record<AuditShape, number>;
  /** Session records without a time or target pod. */
  undated: number;
  sessions: number;
  activities: number;
  /** Activities beyond `maxActivities`, not kept. */
  activitiesDropped: number;
}

export interface AuditLogResult {
  execSessions: ExecSession[];
  auditActivities: AuditActivity[];
  stats: AuditReadStats;
}

export interface ReadAuditOptions {
  /** Cap on kept activities (memory bound on huge logs full of human requests). */
  maxActivities?: number;
}


/** Resources whose access by a workload's service account is worth keeping (names only, never contents). */
const SENSITIVE_RESOURCES = new Set([
  'secrets',
  'roles',
  'rolebindings',
  'clusterroles',
  'clusterrolebindings',
  'selfsubjectrulesreviews',
  'selfsubjectaccessreviews',
  'certificatesigningrequests',
  'mutatingwebhookconfigurations',
  'validatingwebhookconfigurations',
]);
const SENSITIVE_SUBRESOURCES = new Set(['serviceaccounts/token', 'nodes/proxy', 'pods/proxy', 'services/proxy']);
/** ConfigMaps are read and written all day by leader elections; only enumerating or deleting them stands out. */
const SENSITIVE_CONFIGMAP_VERBS = new Set(['list', 'delete', 'deletecollection']);
const POD_LIFECYCLE_VERBS = new Set(['create', 'delete', 'deletecollection']);
/** Stages that close a non-streaming request; RequestReceived would count every request twice. */
const FINAL_STAGES = new Set(['ResponseComplete', 'Panic']);

const CRI_LINE = /^\d{4}-\d{2}-\d{2}T\S+ (?:stdout|stderr) ([FP]) (.*)$/;

async function listFiles(paths: string[], warn: (m: string) => void): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const entries = (await readdir(p, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const child = join(p, e.name);
      if (e.isDirectory()) await walk(child);
      else if (e.isFile()) out.push(child);
    }
  };
  for (const p of paths) {
    const s = await stat(p); // a missing path is a usage error: let it throw
    if (s.isDirectory()) await walk(p);
    else if (s.isFile()) out.push(p);
    else warn(`audit log ${p}: not a regular file, skipped`);
  }
  return out;
}

async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

function ownerOf(meta: Obj): { kind: string; name?: string } {
  const refs = Array.isArray(meta.ownerReferences) ? meta.ownerReferences.filter(isObj) : [];
  const ref = refs.find((r) => r.controller === true) ?? refs[0];
  return ref ? { kind: str(ref.kind) ?? 'unknown', name: str(ref.name) } : { kind: 'none' };
}

/** Container mounts of hostPath volumes: which host path appears where inside the containers. */
function hostMountsOf(spec: Obj, containers: Obj[]): { mountPath: string; hostPath: string; readOnly?: boolean }[] {
  const hostPathOf = new Map<string, string>();
  for (const v of Array.isArray(spec.volumes) ? spec.volumes.filter(isObj) : []) {
    const path = isObj(v.hostPath) ? str(v.hostPath.path) : undefined;
    if (path && str(v.name)) hostPathOf.set(str(v.name)!, path);
  }
  const out: { mountPath: string; hostPath: string; readOnly?: boolean }[] = [];
  const seen = new Set<string>();
  for (const c of containers) {
    for (const m of Array.isArray(c.volumeMounts) ? c.volumeMounts.filter(isObj) : []) {
      const hostPath = hostPathOf.get(str(m.name) ?? '');
      const mountPath = str(m.mountPath);
      if (!hostPath || !mountPath) continue;
      const key = `${mountPath}\0${hostPath}\0${m.readOnly === true}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(m.readOnly === true ? { mountPath, hostPath, readOnly: true } : { mountPath, hostPath });
    }
  }
  return out;
}

/**
 * The one node a pod is pinned to before the scheduler binds it: a `kubernetes.io/hostname` node selector, or a
 * required node affinity with a single term naming a single hostname (how the system-upgrade-controller, DaemonSet
 * controller and similar place their pods).
 */
function pinnedNode(spec: Obj): string | undefined {
  const selector = isObj(spec.nodeSelector) ? str(spec.nodeSelector['kubernetes.io/hostname']) : undefined;
  if (selector) return selector;
  const affinity = isObj(spec.affinity) && isObj(spec.affinity.nodeAffinity) ? spec.affinity.nodeAffinity : undefined;
  const required = affinity && isObj(affinity.requiredDuringSchedulingIgnoredDuringExecution) ? affinity.requiredDuringSchedulingIgnoredDuringExecution : undefined;
  const terms = required && Array.isArray(required.nodeSelectorTerms) ? required.nodeSelectorTerms.filter(isObj) : [];
  if (terms.length !== 1) return undefined;
  const expressions = [...(Array.isArray(terms[0].matchExpressions) ? terms[0].matchExpressions : []), ...(Array.isArray(terms[0].matchFields) ? terms[0].matchFields : [])].filter(isObj);
  const host = expressions.find((e) => (str(e.key) === 'kubernetes.io/hostname' || str(e.key) === 'metadata.name') && str(e.operator) === 'In');
  const values = host ? strings(host.values) : [];
  return values.length === 1 ? values[0] : undefined;
}

/** The security-relevant shape of a created pod. */
export function summarizePodSpec(body: unknown): NonNullable<AuditActivity['podSpec']> | undefined {
  if (!isObj(body) || !isObj(body.spec)) return undefined;
  const spec = body.spec;
  const meta = isObj(body.metadata) ? body.metadata : {};
  const containers = ['containers', 'initContainers', 'ephemeralContainers'].flatMap((k) => (Array.isArray(spec[k]) ? (spec[k] as unknown[]).filter(isObj) : []));
  const podSc = isObj(spec.securityContext) ? spec.securityContext : {};
  const summary: NonNullable<AuditActivity['podSpec']> = {};
  const images = [...new Set(containers.map((c) => str(c.image)).filter((x): x is string => !!x))];
  const commands = containers.map((c) => [...strings(c.command), ...strings(c.args)].map(redactSecrets)).filter((c) => c.length > 0);
  const hostPaths = (Array.isArray(spec.volumes) ? spec.volumes.filter(isObj) : []).map((v) => (isObj(v.hostPath) ? str(v.hostPath.path) : undefined)).filter((x): x is string => !!x);
  const caps = new Set<string>();
  let privileged = false;
  let runAsRoot = podSc.runAsUser === 0;
  for (const c of containers) {
    const sc = isObj(c.securityContext) ? c.securityContext : {};
    if (sc.privileged === true) privileged = true;
    if (sc.runAsUser === 0) runAsRoot = true;
    if (isObj(sc.capabilities)) for (const cap of strings(sc.capabilities.add)) caps.add(cap);
  }
  if (privileged) summary.privileged = true;
  if (spec.hostPID === true) summary.hostPID = true;
  if (spec.hostNetwork === true) summary.hostNetwork = true;
  if (spec.hostIPC === true) summary.hostIPC = true;
  if (hostPaths.length > 0) summary.hostPaths = hostPaths;
  if (images.length > 0) summary.images = images;
  if (commands.length > 0) summary.commands = commands;
  if (caps.size > 0) summary.capabilities = [...caps].sort();
  if (runAsRoot) summary.runAsRoot = true;
  const mounts = hostMountsOf(spec, containers);
  if (mounts.length > 0) summary.hostMounts = mounts;
  const node = str(spec.nodeName) ?? pinnedNode(spec);
  if (node) summary.nodeName = node;
  if (str(spec.serviceAccountName)) summary.serviceAccountName = str(spec.serviceAccountName);
  const owner = ownerOf(meta);
  summary.owner = owner.kind;
  if (owner.name) summary.ownerName = owner.name;
  if (str(meta.generateName)) summary.generateName = str(meta.generateName);
  return summary;
}

function isDatabaseBackup(apiGroup: string | undefined, resource: string): boolean {
  return DATABASE_BACKUP_KINDS.some((k) => k.apiGroup === apiGroup && k.resource === resource);
}

const DESTINATION_CHANGE_VERBS = new Set(['create', 'update', 'patch']);

/** A change to where backups go (a BackupStorageLocation, a database cluster's object store), not its status. */
function isBackupDestinationChange(apiGroup: string | undefined, resource: string, subresource: string | undefined, verb: string): boolean {
  return subresource === undefined && DESTINATION_CHANGE_VERBS.has(verb) && BACKUP_DESTINATION_RESOURCES.some((d) => d.apiGroup === apiGroup && d.resource === resource);
}

const KUBELET_READS = new Set(['secrets', 'configmaps']);
const KUBELET_READ_VERBS = new Set(['get', 'list', 'watch']);

/** Whether triage can use this request, and the activity record when it can. */
export function toActivity(ev: AuditEvent, source: { file: string; line: number }): AuditActivity | undefined {
  if (ev.stage !== undefined && !FINAL_STAGES.has(ev.stage)) return undefined;
  const time = ev.received ?? ev.stageTime;
  if (!time) return undefined;
  const kind = identityKind(ev.user, ev.groups);
  const resource = ev.resource ?? '';
  const verb = ev.verb ?? '';
  const denied = ev.code === 401 || ev.code === 403 || ev.decision === 'forbid';
  const podLifecycle = resource === 'pods' && !ev.subresource && POD_LIFECYCLE_VERBS.has(verb);
  const serviceAccount = kind === 'service-account' || kind === 'system-service-account';
  const sensitive =
    SENSITIVE_RESOURCES.has(resource) ||
    SENSITIVE_SUBRESOURCES.has(`${resource}/${ev.subresource ?? ''}`) ||
    (resource === 'configmaps' && SENSITIVE_CONFIGMAP_VERBS.has(verb));
  const keep =
    podLifecycle ||
    denied ||
    ev.impersonatedUser !== undefined ||
    kind === 'user' ||
    kind === 'anonymous' ||
    kind === 'cloud-role' ||
    (serviceAccount && ev.sourceIps.some((ip) => !isPrivateAddress(ip))) ||
    // A kubelet's reads for its pods from a public address: where a public API endpoint sees the cluster (cluster-egress).
    (kind === 'node' && KUBELET_READS.has(resource) && KUBELET_READ_VERBS.has(verb) && ev.sourceIps.some((ip) => !isPrivateAddress(ip))) ||
    (kind === 'service-account' && sensitive && verb !== 'watch') ||
    // A database operator starting a backup: the large upload to object storage that follows is explained by it.
    (serviceAccount && verb === 'create' && isDatabaseBackup(ev.apiGroup, resource)) ||
    // ... unless the store it goes to was changed first (a stolen operator token pointing the backups at a foreign bucket).
    (serviceAccount && isBackupDestinationChange(ev.apiGroup, resource, ev.subresource, verb)) ||
    // A chaos experiment created or removed: the privileged fault agent's actions are explained by it, and only by it.
    ((verb === 'create' || verb === 'delete') && chaosFaultKind(ev.apiGroup, resource) !== undefined);
  if (!keep) return undefined;
  // Non-resource requests (`/api`, `/version`, `/healthz`) are named by their path.
  const what = resource || (ev.requestUri ?? '').split('?')[0];
  const a: AuditActivity = { time, user: ev.user, groups: ev.groups, verb, resource: what, sourceIps: ev.sourceIps };
  if (ev.impersonatedUser) a.impersonatedUser = ev.impersonatedUser;
  if (ev.impersonatedGroups) a.impersonatedGroups = ev.impersonatedGroups;
  if (ev.subresource) a.subresource = ev.subresource;
  if (ev.apiGroup) a.apiGroup = ev.apiGroup;
  if (ev.namespace) a.namespace = ev.namespace;
  const name = resource === 'pods' && verb === 'create' ? createdPodName(ev) : ev.name;
  if (name) a.name = name;
  if (ev.userAgent) a.userAgent = ev.userAgent;
  if (ev.code !== undefined) a.code = ev.code;
  if (ev.tokenBoundPod) a.tokenBoundPod = ev.tokenBoundPod;
  if (ev.tokenBoundPodUid) a.tokenBoundPodUid = ev.tokenBoundPodUid;
  if (ev.auditId) a.auditId = ev.auditId;
  if (ev.cluster) a.cluster = ev.cluster;
  if (ev.decision) a.decision = ev.decision;
  if (ev.authorization) a.authorization = ev.authorization;
  if (podLifecycle && verb === 'create') {
    const spec = summarizePodSpec(ev.requestObject) ?? summarizePodSpec(ev.responseObject);
    if (spec) a.podSpec = spec;
  }
  if (verb === 'create') {
    const chaos = summarizeChaosFault(ev.requestObject, ev.namespace);
    if (chaos && chaosFaultKind(ev.apiGroup, resource)) a.chaos = chaos;
  }
  a.source = source;
  return a;
}

/** A LitmusChaos ChaosEngine: its application (appns, applabel), target nodes and TOTAL_CHAOS_DURATION (seconds). */
function summarizeChaosEngine(kind: string, spec: Obj, namespace: string | undefined): ChaosFaultSummary {
  const app = isObj(spec.appinfo) ? spec.appinfo : {};
  const env = new Map<string, string>();
  for (const e of Array.isArray(spec.experiments) ? spec.experiments.filter(isObj) : []) {
    const components = isObj(e.spec) && isObj(e.spec.components) ? e.spec.components : {};
    for (const v of Array.isArray(components.env) ? components.env.filter(isObj) : []) {
      const name = str(v.name);
      const value = str(v.value);
      if (name && value !== undefined && !env.has(name)) env.set(name, value);
    }
  }
  const labels: Record<string, string> = {};
  for (const pair of (str(app.applabel) ?? '').split(',')) {
    const [k, v] = pair.split('=');
    if (k?.trim() && v !== undefined) labels[k.trim()] = v.trim();
  }
  const nodes = (env.get('TARGET_NODES') ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  const selector: ChaosFaultSummary['selectors'][number] = { namespaces: [str(app.appns) ?? namespace ?? ''].filter(Boolean), labels };
  if (nodes.length) selector.nodes = nodes;
  const summary: ChaosFaultSummary = { kind, selectors: [selector] };
  const experiments = (Array.isArray(spec.experiments) ? spec.experiments.filter(isObj) : []).map((e) => str(e.name)).filter((n): n is string => !!n);
  if (experiments.length) summary.action = experiments.join(',');
  const seconds = Number(env.get('TOTAL_CHAOS_DURATION'));
  if (Number.isFinite(seconds) && seconds > 0) summary.durationMs = seconds * 1000;
  return summary;
}

/** A Chaos Mesh fault's selector, partition target and duration, from its creation request. */
export function summarizeChaosFault(body: unknown, namespace: string | undefined): ChaosFaultSummary | undefined {
  if (!isObj(body) || !isObj(body.spec)) return undefined;
  const spec = body.spec;
  const selectorOf = (sel: unknown): ChaosFaultSummary['selectors'][number] | undefined => {
    if (!isObj(sel)) return undefined;
    const namespaces = strings(sel.namespaces);
    const labels: Record<string, string> = {};
    if (isObj(sel.labelSelectors)) for (const [k, v] of Object.entries(sel.labelSelectors)) if (typeof v === 'string') labels[k] = v;
    const out: ChaosFaultSummary['selectors'][number] = { namespaces: namespaces.length ? namespaces : namespace ? [namespace] : [], labels };
    const nodes = strings(sel.nodes);
    if (nodes.length) out.nodes = nodes;
    if (isObj(sel.pods)) {
      const pods = Object.entries(sel.pods).flatMap(([ns, names]) => strings(names).map((n) => `${ns}/${n}`));
      if (pods.length) out.pods = pods;
    }
    return out;
  };
  if (isObj(spec.appinfo) || Array.isArray(spec.experiments)) return summarizeChaosEngine(str(body.kind) ?? 'ChaosEngine', spec, namespace);
  const selectors = [selectorOf(spec.selector), isObj(spec.target) ? selectorOf(spec.target.selector) : undefined].filter((s): s is NonNullable<typeof s> => !!s);
  const summary: ChaosFaultSummary = { kind: str(body.kind) ?? '', selectors };
  const action = str(spec.action);
  if (action) summary.action = action;
  const duration = parseGoDuration(str(spec.duration));
  if (duration !== undefined) summary.durationMs = duration;
  return summary;
}

class AuditCollector {
  readonly stats: AuditReadStats = {
    files: 0,
    lines: 0,
    skippedFast: 0,
    malformed: 0,
    unrecognised: 0,
    events: 0,
    shapes: { native: 0, gke: 0, aks: 0 },
    undated: 0,
    sessions: 0,
    activities: 0,
    activitiesDropped: 0,
  };
  private readonly sessions = new SessionAssembler();
  private readonly activities: AuditActivity[] = [];

  constructor(private readonly maxActivities: number) {}

  /** One JSON text (a line or a whole object). */
  record(text: string, file: string, line: number): boolean {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.stats.malformed++;
      return false;
    }
    const out: ExpandResult = { events: [], unrecognised: 0 };
    expandRecord(value, out);
    this.stats.unrecognised += out.unrecognised;
    for (const ev of out.events) this.event(ev, { file, line });
    return true;
  }

  private event(ev: AuditEvent, source: { file: string; line: number }): void {
    this.stats.events++;
    this.stats.shapes[ev.shape]++;
    if (isStreamRequest(ev)) return this.sessions.addStream(ev, source);
    if (isEphemeralPatch(ev)) return this.sessions.addEphemeral(ev, source);
    // Also kept as a nodes/proxy activity below: the session and the sensitive request are both facts.
    const proxied = kubeletProxyStream(ev);
    if (proxied) this.sessions.addStream(proxied, source);
    const final = ev.stage === undefined || FINAL_STAGES.has(ev.stage);
    const ok = ev.code === undefined || ev.code < 400;
    if (final && ok && ev.resource === 'pods' && !ev.subresource) {
      if (ev.verb === 'create') this.sessions.addPodCreate(ev, source);
      else if (ev.verb === 'delete') this.sessions.addPodDelete(ev);
    }
    const activity = toActivity(ev, source);
    if (!activity) return;
    if (this.activities.length >= this.maxActivities) {
      this.stats.activitiesDropped++;
      return;
    }
    this.activities.push(activity);
  }

  finish(warn: (m: string) => void): AuditLogResult {
    const execSessions = this.sessions.finish();
    this.stats.undated += this.sessions.undated;
    const auditActivities = this.activities.sort(
      (a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0) || (a.source!.file < b.source!.file ? -1 : a.source!.file > b.source!.file ? 1 : 0) || a.source!.line - b.source!.line,
    );
    this.stats.sessions = execSessions.length;
    this.stats.activities = auditActivities.length;
    if (this.stats.activitiesDropped > 0) warn(`audit logs: kept the first ${this.maxActivities} API activities, ${this.stats.activitiesDropped} more were dropped`);
    return { execSessions, auditActivities, stats: this.stats };
  }
}

type Mode = 'undecided' | 'lines' | 'cri' | 'whole';

/** Longest line kept while looking for its end; a longer one is dropped (a binary file, a log without newlines). */
const MAX_LINE_CHARS = 64 * 1024 * 1024;

/**
 * Calls `onLine` for every line of the stream (without `\n` / `\r\n`). Splitting chunks by hand, with one await
 * per chunk rather than per line, reads about twice as fast as readline's async iterator.
 */
async function forEachLine(input: Readable, onLine: (line: string) => void, onOverlong: () => void): Promise<void> {
  input.setEncoding('utf8');
  let rest = '';
  let overlong = false;
  for await (const chunk of input as AsyncIterable<string>) {
    const text = rest === '' ? chunk : rest + chunk;
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl >= 0) {
      if (overlong) overlong = false;
      else onLine(text.charCodeAt(nl - 1) === 13 && nl > start ? text.slice(start, nl - 1) : text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    rest = text.slice(start);
    if (rest.length > MAX_LINE_CHARS) {
      if (!overlong) onOverlong();
      overlong = true;
      rest = '';
    }
  }
  if (rest !== '' && !overlong) onLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
}

async function readFile(file: string, collector: AuditCollector, warn: (m: string) => void): Promise<void> {
  const stats = collector.stats;
  stats.files++;
  const malformedBefore = stats.malformed;
  let input: Readable = createReadStream(file, { highWaterMark: 256 * 1024 });
  if (await isGzip(file)) input = input.pipe(createGunzip());
  let mode: Mode = 'undecided';
  let lineNo = 0;
  let criPartial = '';
  const splitter = new JsonObjectSplitter();
  let objectStart = 0;
  const lineRecord = (text: string, at: number): void => {
    if (!mayMatter(text)) {
      stats.skippedFast++;
      return;
    }
    collector.record(text, file, at);
  };
  const wholeRecord = (json: string): void => {
    if (mayMatter(json)) collector.record(json, file, objectStart);
    else stats.skippedFast++;
  };
  const onLine = (raw: string): void => {
    lineNo++;
    stats.lines++;
    let line = lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (mode === 'whole') {
      if (!splitter.incomplete) objectStart = lineNo;
      splitter.push(line, wholeRecord);
      return;
    }
    line = line.trim();
    if (line === '') return;
    if (mode === 'undecided') {
      if (CRI_LINE.test(line)) mode = 'cri';
      else if (line.startsWith('{') && isCompleteJson(line)) mode = 'lines';
      else if (line.startsWith('{') || line.startsWith('[')) {
        mode = 'whole';
        objectStart = lineNo;
        splitter.push(line, wholeRecord);
        return;
      } else mode = 'lines';
    }
    if (mode === 'cri') {
      const m = CRI_LINE.exec(line);
      if (!m) {
        stats.malformed++;
        return;
      }
      criPartial += m[2];
      if (m[1] === 'F') {
        lineRecord(criPartial, lineNo);
        criPartial = '';
      }
      return;
    }
    lineRecord(line, lineNo);
  };
  try {
    await forEachLine(input, onLine, () => {
      stats.malformed++;
      warn(`audit log ${file}: a line after line ${lineNo} is longer than ${MAX_LINE_CHARS} characters, skipped`);
    });
  } catch (err) {
    warn(`audit log ${file}: read failed after line ${lineNo}: ${(err as Error).message}`);
  }
  if (splitter.incomplete) {
    stats.malformed++;
    warn(`audit log ${file}: ends inside a JSON object (line ${objectStart})`);
  }
  if (splitter.oversized > 0) warn(`audit log ${file}: ${splitter.oversized} oversized JSON object(s) skipped`);
  const bad = stats.malformed - malformedBefore;
  if (bad > 0) warn(`audit log ${file}: ${bad} line(s) or object(s) were not valid JSON and were skipped`);
}

function isCompleteJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/**
 * Read audit logs and distil exec sessions (one per request, ResponseStarted/ResponseComplete paired by auditID,
 * kubectl debug's attach folded into its ephemeral-container or node-debug session) and the API activity triage
 * can use. A missing path throws; unreadable or malformed content is reported through `warn`.
 */
export async function readAuditLogs(paths: string[], warn: (m: string) => void, options: ReadAuditOptions = {}): Promise<AuditLogResult> {
  const collector = new AuditCollector(options.maxActivities ?? 200_000);
  for (const file of await listFiles(paths, warn)) await readFile(file, collector, warn);
  return collector.finish(warn);
}
