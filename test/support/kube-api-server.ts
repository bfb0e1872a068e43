/**
 * A small HTTPS server on loopback that speaks enough of the Kubernetes API for list calls: `/version` and the
 * cluster-wide list endpoints of the resources kdr-triage reads, with `limit`/`continue` paging, bearer-token auth,
 * Kubernetes `Status` error bodies, and scripted faults (403, 410 on a continue token, 429/5xx, stalls).
 *
 * It also polices the client: every request that is not a GET, or that names Secrets or ConfigMaps, or that asks
 * for a path it does not serve, is recorded in `violations` (tests assert that list stays empty).
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ResourceKind } from '../../src/cluster/model.js';
import type { TLSSocket } from 'node:tls';
import { CLIENT_COMMON_NAME, testPki, type TestPki } from './test-pki.js';

/** Objects produced on demand, so a benchmark can serve 150,000 pods without holding them. */
export interface GeneratedList {
  count: number;
  item(index: number): Record<string, unknown>;
}

export type ListSource = Record<string, unknown>[] | GeneratedList;

export interface FaultRule {
  /** Which requests of the resource the rule applies to. Default `any`. */
  on?: 'any' | 'first-page' | 'continue';
  /** Answer with this HTTP status and a Kubernetes Status body. */
  status?: number;
  /** `Retry-After` header value (seconds or HTTP date) sent with `status`. */
  retryAfter?: string;
  /** Never answer (`before-headers`), or send headers and part of the body, then go silent (`mid-body`). */
  stall?: 'before-headers' | 'mid-body';
  /** How many matching requests the rule affects. Default: all of them. */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  /** What the server did: 200, an error status, or 'stalled'. */
  outcome?: number | 'stalled';
}

export interface KubeApiServerOptions {
  resources?: Partial<Record<ResourceKind, ListSource>>;
  faults?: Partial<Record<ResourceKind | 'version', FaultRule[]>>;
  /** Bearer token the server accepts. Default `test-token`. */
  token?: string;
  gitVersion?: string;
  pki?: TestPki;
}

export interface KubeApiServer {
  readonly url: string;
  readonly port: number;
  readonly caPem: string;
  readonly token: string;
  readonly requests: RecordedRequest[];
  readonly violations: string[];
  /** TLS connections accepted so far. */
  readonly tlsConnections: number;
  /** Requests that reached a list endpoint of `resource`. */
  requestsFor(resource: ResourceKind | 'version'): RecordedRequest[];
  close(): Promise<void>;
}

interface Route {
  resource: ResourceKind;
  apiVersion: string;
  kind: string;
}

export const LIST_PATHS: Record<string, Route> = {
  '/api/v1/nodes': { resource: 'nodes', apiVersion: 'v1', kind: 'Node' },
  '/api/v1/pods': { resource: 'pods', apiVersion: 'v1', kind: 'Pod' },
  '/api/v1/services': { resource: 'services', apiVersion: 'v1', kind: 'Service' },
  '/api/v1/events': { resource: 'events', apiVersion: 'v1', kind: 'Event' },
  '/api/v1/namespaces': { resource: 'namespaces', apiVersion: 'v1', kind: 'Namespace' },
  '/apis/apps/v1/daemonsets': { resource: 'daemonsets', apiVersion: 'apps/v1', kind: 'DaemonSet' },
  '/apis/apps/v1/deployments': { resource: 'deployments', apiVersion: 'apps/v1', kind: 'Deployment' },
  '/apis/apps/v1/replicasets': { resource: 'replicasets', apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  '/apis/apps/v1/statefulsets': { resource: 'statefulsets', apiVersion: 'apps/v1', kind: 'StatefulSet' },
  '/apis/batch/v1/jobs': { resource: 'jobs', apiVersion: 'batch/v1', kind: 'Job' },
  '/apis/batch/v1/cronjobs': { resource: 'cronjobs', apiVersion: 'batch/v1', kind: 'CronJob' },
};

const REASONS: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  410: 'Expired',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

function statusBody(code: number, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: REASONS[code] ?? 'Unknown', code });
}

function encodeContinue(resource: string, offset: number): string {
  return Buffer.from(JSON.stringify({ r: resource, o: offset })).toString('base64url');
}

function decodeContinue(token: string, resource: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { r?: unknown; o?: unknown };
    return parsed.r === resource && typeof parsed.o === 'number' && parsed.o >= 0 ? parsed.o : undefined;
  } catch {
    return undefined;
  }
}

function sourceCount(source: ListSource | undefined): number {
  if (!source) return 0;
  return Array.isArray(source) ? source.length : source.count;
}

function sourceItem(source: ListSource, index: number): Record<string, unknown> {
  return Array.isArray(source) ? source[index] : source.item(index);
}

export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const pki = options.pki ?? testPki();
  const token = options.token ?? 'test-token';
  const resources = options.resources ?? {};
  const remainingFaults = new Map<string, { rule: FaultRule; left: number }[]>();
  for (const [resource, rules] of Object.entries(options.faults ?? {})) {
    remainingFaults.set(resource, (rules ?? []).map((rule) => ({ rule, left: rule.times ?? Number.POSITIVE_INFINITY })));
  }
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const byResource = new Map<string, RecordedRequest[]>();
  const sockets = new Set<Socket>();

  function track(resource: string, record: RecordedRequest): void {
    const list = byResource.get(resource);
    if (list) list.push(record);
    else byResource.set(resource, [record]);
  }

  function pickFault(resource: string, isContinue: boolean): FaultRule | undefined {
    for (const entry of remainingFaults.get(resource) ?? []) {
      const on = entry.rule.on ?? 'any';
      const applies = on === 'any' || (on === 'continue') === isContinue;
      if (applies && entry.left > 0) {
        entry.left -= 1;
        return entry.rule;
      }
    }
    return undefined;
  }

  function send(res: ServerResponse, record: RecordedRequest, code: number, body: string, headers: Record<string, string> = {}): void {
    record.outcome = code;
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(body);
  }

  /** Applies a fault; true when the request has been dealt with. */
  function applyFault(fault: FaultRule | undefined, res: ServerResponse, record: RecordedRequest, what: string): boolean {
    if (!fault) return false;
    if (fault.stall === 'before-headers') {
      record.outcome = 'stalled';
      return true;
    }
    if (fault.stall === 'mid-body') {
      record.outcome = 'stalled';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"kind":"List","apiVersion":"v1","metadata":{},"items":[');
      return true;
    }
    if (fault.status !== undefined) {
      const code = fault.status;
      const message =
        code === 410
          ? 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'
          : code === 403
            ? `${what} is forbidden: User "system:serviceaccount:test:kdr-triage" cannot list resource "${what}" in API group "" at the cluster scope`
            : `injected fault ${code} on ${what}`;
      send(res, record, code, statusBody(code, message), fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {});
      return true;
    }
    return false;
  }

  /** Certificate authentication: a client certificate our CA issued to the test user. */
  function hasClientCertificate(req: IncomingMessage): boolean {
    const socket = req.socket as TLSSocket;
    return socket.authorized === true && socket.getPeerCertificate().subject?.CN === CLIENT_COMMON_NAME;
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
    };
    requests.push(record);
    if (record.method !== 'GET') violations.push(`${record.method} ${record.path}: only GET is allowed`);
    if (/\/(secrets|configmaps)(\/|$)/i.test(url.pathname)) violations.push(`${record.method} ${record.path}: Secrets and ConfigMaps must never be read`);
    if (record.method !== 'GET') {
      send(res, record, 405, statusBody(405, 'method not allowed'));
      return;
    }
    if (req.headers.authorization !== `Bearer ${token}` && !hasClientCertificate(req)) {
      send(res, record, 401, statusBody(401, 'Unauthorized'));
      return;
    }
    if (url.pathname === '/version') {
      track('version', record);
      if (applyFault(pickFault('version', false), res, record, 'version')) return;
      send(res, record, 200, JSON.stringify({ major: '1', minor: '30', gitVersion: options.gitVersion ?? 'v1.30.4', platform: 'linux/amd64' }));
      return;
    }
    const route = LIST_PATHS[url.pathname];
    if (!route) {
      violations.push(`${record.method} ${record.path}: not an endpoint kdr-triage should read`);
      send(res, record, 404, statusBody(404, 'the server could not find the requested resource'));
      return;
    }
    track(route.resource, record);
    const continueToken = url.searchParams.get('continue') ?? '';
    if (applyFault(pickFault(route.resource, continueToken !== ''), res, record, route.resource)) return;

    const source = resources[route.resource];
    const total = sourceCount(source);
    let offset = 0;
    if (continueToken !== '') {
      const decoded = decodeContinue(continueToken, route.resource);
      if (decoded === undefined) {
        send(res, record, 400, statusBody(400, 'invalid continue token'));
        return;
      }
      offset = decoded;
    }
    const limitParam = Number(url.searchParams.get('limit') ?? '0');
    const end = limitParam > 0 ? Math.min(total, offset + limitParam) : total;
    const parts: string[] = [];
    for (let i = offset; i < end; i++) {
      const item = sourceItem(source as ListSource, i);
      // List items come without kind/apiVersion from a real API server.
      const { kind: _kind, apiVersion: _apiVersion, ...rest } = item;
      parts.push(JSON.stringify(rest));
    }
    const metadata: Record<string, unknown> = { resourceVersion: '1000' };
    if (end < total) {
      metadata.continue = encodeContinue(route.resource, end);
      metadata.remainingItemCount = total - end;
    }
    const body = `{"kind":"${route.kind}List","apiVersion":"${route.apiVersion}","metadata":${JSON.stringify(metadata)},"items":[${parts.join(',')}]}`;
    send(res, record, 200, body);
  }

  // Client certificates are asked for (and checked against the CA) but optional: tokens work too.
  const server: Server = createServer({ key: pki.serverKeyPem, cert: pki.serverCertPem, ca: pki.caPem, requestCert: true, rejectUnauthorized: false }, handle);
  let tlsConnections = 0;
  server.on('secureConnection', () => {
    tlsConnections++;
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Handshake failures (clients that reject our CA) are expected in some tests.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `https://127.0.0.1:${port}`,
    port,
    caPem: pki.caPem,
    token,
    requests,
    violations,
    get tlsConnections() {
      return tlsConnections;
    },
    requestsFor: (resource) => byResource.get(resource) ?? [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface KubeconfigEntry {
  context: string;
  cluster: string;
  server: string;
  caPem?: string;
  token?: string;
  user?: string;
  /** The kubeconfig `user` stanza, instead of `token` (client certificates, exec plugins). */
  credentials?: Record<string, unknown>;
}

/** A kubeconfig (JSON is YAML) with one cluster/user/context per entry; `current` null leaves current-context unset. */
export function kubeconfigText(entries: KubeconfigEntry[], current: string | null = entries[0]?.context ?? null): string {
  const config: Record<string, unknown> = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: entries.map((e) => ({
      name: e.cluster,
      cluster: { server: e.server, ...(e.caPem ? { 'certificate-authority-data': Buffer.from(e.caPem).toString('base64') } : {}) },
    })),
    users: entries.map((e) => ({ name: e.user ?? `${e.context}-user`, user: e.credentials ?? { token: e.token ?? 'test-token' } })),
    contexts: entries.map((e) => ({ name: e.context, context: { cluster: e.cluster, user: e.user ?? `${e.context}-user` } })),
  };
  if (current !== null) config['current-context'] = current;
  return JSON.stringify(config, null, 2);
}
