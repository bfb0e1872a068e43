/**
 * Exec, attach, port-forward, ephemeral-container and node-debug sessions from audit events.
 *
 * A streaming request is audited twice under one auditID: `ResponseStarted` when the 101 upgrade is sent and
 * `ResponseComplete` when the stream closes, so the pair gives the session's window. `kubectl debug` first adds an
 * ephemeral container (patch `pods/ephemeralcontainers`) or creates a `node-debugger-<node>-xxxxx` pod, then
 * attaches to it; the attach is folded into that session so it carries image, target and the whole window.
 */
import type { ExecSession } from './model.js';
import type { AuditEvent } from './audit-event.js';
import { isObj, str, strings, type Obj } from './json-values.js';

export const STREAM_SUBRESOURCES: Record<string, ExecSession['kind']> = { exec: 'exec', attach: 'attach', portforward: 'portforward' };

/** kubectl's node debug pods: `node-debugger-<node>-<5 random chars>` (kubectl `generateNodeDebugPod`). */
const NODE_DEBUGGER = /^node-debugger-(.+)-[a-z0-9]{5}$/;

/** How long after `kubectl debug` created its container or pod the attach may start and still be its own. */
const ATTACH_AFTER_DEBUG_MS = 10 * 60_000;

function truthy(v: string | null | undefined): boolean | undefined {
  if (v === null || v === undefined) return undefined;
  return v === 'true' || v === '1';
}

const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const SECRET_FLAG = /^(--?(?:token|password|passwd|client-secret|secret|api-key)[= ])(.+)$/i;

/** Removes bearer tokens and JWTs from a command word, so a snapshot carries no credentials. */
export function redactSecrets(word: string): string {
  const flag = SECRET_FLAG.exec(word);
  if (flag) return `${flag[1]}<redacted>`;
  return word.replace(BEARER, '$1 <redacted>').replace(JWT, '<redacted-jwt>');
}

/** Query parameters of the request URI (JSON.parse has already turned `\u0026` into `&`). */
function queryOf(uri: string | undefined): URLSearchParams {
  if (!uri) return new URLSearchParams();
  const q = uri.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : uri.slice(q + 1));
}

interface Draft {
  session: ExecSession;
  /** ms, for ordering and folding. */
  startMs: number;
  endMs: number;
  /** For ephemeral-container anchors created from a Metadata-level patch: container not known yet. */
  openContainer?: boolean;
}

function ms(iso: string): number {
  return Date.parse(iso);
}

function identityFields(ev: AuditEvent): Pick<ExecSession, 'user' | 'groups' | 'impersonatedUser' | 'impersonatedGroups' | 'sourceIps' | 'userAgent' | 'tokenBoundPod' | 'tokenBoundPodUid'> {
  const out: ReturnType<typeof identityFields> = { user: ev.user, groups: ev.groups, sourceIps: ev.sourceIps };
  if (ev.impersonatedUser) out.impersonatedUser = ev.impersonatedUser;
  if (ev.impersonatedGroups) out.impersonatedGroups = ev.impersonatedGroups;
  if (ev.userAgent) out.userAgent = ev.userAgent;
  if (ev.tokenBoundPod) out.tokenBoundPod = ev.tokenBoundPod;
  if (ev.tokenBoundPodUid) out.tokenBoundPodUid = ev.tokenBoundPodUid;
  return out;
}

function optional(session: ExecSession, ev: AuditEvent, source: { file: string; line: number }): void {
  if (ev.auditId) session.auditId = ev.auditId;
  if (ev.cluster) session.cluster = ev.cluster;
  if (ev.decision) session.decision = ev.decision;
  if (ev.authorization) session.authorization = ev.authorization;
  if (ev.code !== undefined) session.code = ev.code;
  session.source = source;
}

/** The ephemeral containers named in a patch/update body: strategic-merge, JSON patch or a whole Pod. */
function ephemeralContainersOf(body: unknown): Obj[] {
  if (Array.isArray(body)) {
    const out: Obj[] = [];
    for (const op of body) {
      if (!isObj(op) || !String(op.path ?? '').startsWith('/spec/ephemeralContainers')) continue;
      if (Array.isArray(op.value)) out.push(...op.value.filter(isObj));
      else if (isObj(op.value)) out.push(op.value);
    }
    return out;
  }
  if (isObj(body) && isObj(body.spec) && Array.isArray(body.spec.ephemeralContainers)) return body.spec.ephemeralContainers.filter(isObj);
  return [];
}

function podSpecOf(ev: AuditEvent): { name?: string; spec?: Obj } {
  for (const body of [ev.requestObject, ev.responseObject]) {
    if (!isObj(body)) continue;
    const meta = isObj(body.metadata) ? body.metadata : {};
    return { name: str(meta.name), spec: isObj(body.spec) ? body.spec : undefined };
  }
  return {};
}

export function isStreamRequest(ev: AuditEvent): boolean {
  return ev.resource === 'pods' && ev.subresource !== undefined && ev.subresource in STREAM_SUBRESOURCES;
}

/**
 * The kubelet's own streaming endpoints reached through the API server's node proxy
 * (`/api/v1/nodes/<node>/proxy/exec/<namespace>/<pod>/<container>?command=…`): an exec or attach into that pod that
 * bypasses pods/exec (and its RBAC), recorded only as a nodes/proxy request.
 */
const KUBELET_PROXY_STREAM = /^\/api\/v1\/nodes\/([^/?]+)\/proxy\/(exec|attach|run)\/([^/?]+)\/([^/?]+)\/([^/?]+)/;

/** A nodes/proxy request to the kubelet's exec/attach/run endpoint, as the pods/exec|attach request it amounts to. */
export function kubeletProxyStream(ev: AuditEvent): AuditEvent | undefined {
  if (ev.resource !== 'nodes' || ev.subresource !== 'proxy' || !ev.requestUri) return undefined;
  const m = KUBELET_PROXY_STREAM.exec(ev.requestUri);
  if (!m) return undefined;
  const decode = (x: string) => {
    try {
      return decodeURIComponent(x);
    } catch {
      return x;
    }
  };
  const [node, endpoint, namespace, pod, container] = [m[1], m[2], m[3], m[4], m[5]].map(decode);
  const kubelet = queryOf(ev.requestUri);
  const q = new URLSearchParams();
  for (const c of kubelet.getAll('command')) q.append('command', c);
  q.set('container', container);
  // The kubelet's names for the streams: input / output / tty.
  if (truthy(kubelet.get('input') ?? kubelet.get('stdin'))) q.set('stdin', 'true');
  if (truthy(kubelet.get('tty'))) q.set('tty', 'true');
  const subresource = endpoint === 'attach' ? 'attach' : 'exec';
  return { ...ev, resource: 'pods', subresource, namespace, name: pod, viaNode: node, requestUri: `/api/v1/namespaces/${namespace}/pods/${pod}/${subresource}?${q.toString()}` };
}

export function isEphemeralPatch(ev: AuditEvent): boolean {
  return ev.resource === 'pods' && ev.subresource === 'ephemeralcontainers' && (ev.verb === 'patch' || ev.verb === 'update' || ev.verb === undefined);
}

/** The name of a created pod (objectRef, request body, or response body). */
export function createdPodName(ev: AuditEvent): string | undefined {
  if (ev.name) return ev.name;
  // generateName'd pods are named by the server: only the response body has the name.
  for (const body of [ev.requestObject, ev.responseObject]) {
    if (isObj(body) && isObj(body.metadata) && str(body.metadata.name)) return str(body.metadata.name);
  }
  return undefined;
}

export function isNodeDebugPodName(name: string | undefined): boolean {
  return name !== undefined && NODE_DEBUGGER.test(name);
}

export class SessionAssembler {
  private readonly streams = new Map<string, Draft>();
  private readonly anchors: Draft[] = [];
  /** namespace/name → delete times of node-debugger pods. */
  private readonly debugPodDeletes = new Map<string, number[]>();
  /** Session records without any usable time. */
  undated = 0;

  /** A pods/exec|attach|portforward request (one stage of it). */
  addStream(ev: AuditEvent, source: { file: string; line: number }): void {
    if (!ev.received || !ev.namespace || !ev.name) {
      this.undated++;
      return;
    }
    const key = [ev.cluster ?? '', ev.auditId ?? `${ev.user}|${ev.namespace}/${ev.name}|${ev.requestUri ?? ''}|${ev.received}`].join('|');
    const stageMs = ms(ev.stageTime ?? ev.received);
    const receivedMs = ms(ev.received);
    const existing = this.streams.get(key);
    if (existing) {
      if (receivedMs < existing.startMs) {
        existing.startMs = receivedMs;
        existing.session.start = ev.received;
      }
      if (stageMs > existing.endMs) {
        existing.endMs = stageMs;
        existing.session.end = new Date(stageMs).toISOString();
      }
      // A denial or failure on any stage is the request's outcome.
      if (ev.code !== undefined && (existing.session.code === undefined || ev.code >= 400)) existing.session.code = ev.code;
      return;
    }
    const kind = STREAM_SUBRESOURCES[ev.subresource ?? ''];
    const q = queryOf(ev.requestUri);
    const body = isObj(ev.requestObject) ? ev.requestObject : {};
    const queryCommand = q.getAll('command');
    const command = (queryCommand.length > 0 ? queryCommand : strings(body.command)).map(redactSecrets);
    const container = q.get('container') ?? str(body.container);
    const tty = truthy(q.get('tty')) ?? (body.tty === true);
    const stdin = truthy(q.get('stdin')) ?? (typeof body.stdin === 'boolean' ? body.stdin : undefined);
    const ports = q.getAll('ports');
    const endIso = new Date(Math.max(stageMs, receivedMs)).toISOString();
    const session: ExecSession = {
      kind,
      ...identityFields(ev),
      namespace: ev.namespace,
      pod: ev.name,
      ...(container ? { container } : {}),
      command,
      tty,
      start: ev.received,
      end: endIso,
    };
    if (stdin !== undefined) session.stdin = stdin;
    if (ports.length > 0) session.ports = ports;
    if (ev.viaNode) session.viaNodeProxy = ev.viaNode;
    optional(session, ev, source);
    this.streams.set(key, { session, startMs: receivedMs, endMs: Math.max(stageMs, receivedMs) });
  }

  /** `kubectl debug <pod>`: a patch of pods/ephemeralcontainers. */
  addEphemeral(ev: AuditEvent, source: { file: string; line: number }): void {
    if (!ev.received || !ev.namespace || !ev.name) {
      this.undated++;
      return;
    }
    const containers = ephemeralContainersOf(ev.requestObject);
    const t = ms(ev.received);
    const base = {
      kind: 'ephemeral-container' as const,
      ...identityFields(ev),
      namespace: ev.namespace,
      pod: ev.name,
      tty: false,
      start: ev.received,
      end: ev.received,
    };
    if (containers.length === 0) {
      const session: ExecSession = { ...base, command: [] };
      optional(session, ev, source);
      this.anchors.push({ session, startMs: t, endMs: t, openContainer: true });
      return;
    }
    for (const c of containers) {
      const command = [...strings(c.command), ...strings(c.args)].map(redactSecrets);
      const session: ExecSession = { ...base, command, tty: c.tty === true };
      const name = str(c.name);
      if (name) session.container = name;
      if (str(c.image)) session.image = str(c.image);
      if (str(c.targetContainerName)) session.targetContainer = str(c.targetContainerName);
      if (typeof c.stdin === 'boolean') session.stdin = c.stdin;
      optional(session, ev, source);
      this.anchors.push({ session, startMs: t, endMs: t });
    }
  }

  /** A pod creation: becomes a node-debug session when it is kubectl's node debugger pod. */
  addPodCreate(ev: AuditEvent, source: { file: string; line: number }): void {
    const name = createdPodName(ev);
    const m = name ? NODE_DEBUGGER.exec(name) : null;
    if (!m || !name || !ev.received || !ev.namespace) return;
    const { spec } = podSpecOf(ev);
    const containers = spec && Array.isArray(spec.containers) ? spec.containers.filter(isObj) : [];
    const main = containers[0] ?? {};
    const t = ms(ev.received);
    const session: ExecSession = {
      kind: 'node-debug',
      ...identityFields(ev),
      namespace: ev.namespace,
      pod: name,
      command: [...strings(main.command), ...strings(main.args)].map(redactSecrets),
      tty: main.tty === true,
      start: ev.received,
      end: ev.received,
      node: str(spec?.nodeName) ?? m[1],
    };
    if (str(main.name)) session.container = str(main.name);
    if (str(main.image)) session.image = str(main.image);
    if (typeof main.stdin === 'boolean') session.stdin = main.stdin;
    optional(session, ev, source);
    this.anchors.push({ session, startMs: t, endMs: t });
  }

  addPodDelete(ev: AuditEvent): void {
    if (!ev.received || !ev.namespace || !isNodeDebugPodName(ev.name) || (ev.code !== undefined && ev.code >= 400)) return;
    const key = `${ev.cluster ?? ''}|${ev.namespace}/${ev.name}`;
    const list = this.debugPodDeletes.get(key) ?? [];
    list.push(ms(ev.received));
    this.debugPodDeletes.set(key, list);
  }

  finish(): ExecSession[] {
    const streams = [...this.streams.values()];
    const folded = new Set<Draft>();
    const anchors = dedupeAnchors(this.anchors).sort(byStart);
    for (const anchor of anchors) {
      const a = anchor.session;
      if (a.code !== undefined && a.code >= 400) continue;
      for (const s of streams) {
        const x = s.session;
        if (folded.has(s) || x.kind === 'portforward') continue;
        if (x.pod !== a.pod || x.namespace !== a.namespace || x.cluster !== a.cluster || x.user !== a.user) continue;
        if (s.startMs < anchor.startMs - 5_000) continue;
        if (a.kind === 'ephemeral-container') {
          // Without the patch body the container is unknown: only an attach soon after the patch is kubectl debug's own.
          if (anchor.openContainer && s.startMs > anchor.startMs + ATTACH_AFTER_DEBUG_MS) continue;
          if (anchor.openContainer && x.kind === 'attach' && x.container) {
            a.container = x.container;
            anchor.openContainer = false;
          }
          if (x.container !== a.container) continue;
        }
        if (s.endMs > anchor.endMs) {
          anchor.endMs = s.endMs;
          a.end = x.end;
        }
        if (x.kind === 'attach') {
          a.tty ||= x.tty;
          folded.add(s);
        }
      }
      if (a.kind === 'node-debug') {
        const deletes = this.debugPodDeletes.get(`${a.cluster ?? ''}|${a.namespace}/${a.pod}`) ?? [];
        const deleted = deletes.filter((d) => d >= anchor.startMs).sort((x, y) => x - y)[0];
        if (deleted !== undefined && deleted > anchor.endMs) {
          anchor.endMs = deleted;
          a.end = new Date(deleted).toISOString();
        }
      }
    }
    return [...anchors, ...streams.filter((s) => !folded.has(s))].sort(byStart).map((d) => d.session);
  }
}

/** An update of the whole ephemeral-container list repeats older containers: keep each container's first appearance. */
function dedupeAnchors(anchors: Draft[]): Draft[] {
  const seen = new Set<string>();
  const out: Draft[] = [];
  for (const d of [...anchors].sort(byStart)) {
    const s = d.session;
    if (s.kind === 'ephemeral-container' && s.container) {
      const key = `${s.cluster ?? ''}|${s.namespace}/${s.pod}/${s.container}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(d);
  }
  return out;
}

function byStart(a: Draft, b: Draft): number {
  return (
    a.startMs - b.startMs ||
    a.endMs - b.endMs ||
    cmp(a.session.cluster, b.session.cluster) ||
    cmp(a.session.namespace, b.session.namespace) ||
    cmp(a.session.pod, b.session.pod) ||
    cmp(a.session.container, b.session.container) ||
    cmp(a.session.user, b.session.user) ||
    cmp(a.session.auditId, b.session.auditId) ||
    cmp(a.session.kind, b.session.kind)
  );
}

function cmp(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}
