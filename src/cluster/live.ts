/**
 * Live cluster context: lists the resources kdr-triage reads through the Kubernetes API of one or more kubeconfig
 * contexts and returns them as ClusterSnapshots.
 *
 * The client library costs ~0.9 s to import, so it is imported here on demand and only types are imported
 * statically. Every request gets a timeout (the library has none); 429/5xx are retried with backoff honouring
 * Retry-After; an expired continue token restarts that list; what still cannot be read becomes a `gap`. Only a
 * cluster that cannot be reached at all (or rejects the credentials) is an error.
 */
import { Agent as HttpsAgent, type AgentOptions as HttpsAgentOptions } from 'node:https';
import type * as K8s from '@kubernetes/client-node';
import { ClusterUnreachableError, classifyFailure, describeFailure, formatSeconds, isTransient, type RequestFailure } from './live-errors.js';
import { loadKubeConfig, resolveKubeconfigFiles, selectContext, type K8sModule, type KubeconfigSource, type ResolvedContext } from './live-kubeconfig.js';
import { scrubPlainObject } from './sanitize.js';
import { compareObjects } from './snapshot-file.js';
import { RESOURCE_KINDS, type ClusterSnapshot, type KubeObject, type ResourceKind, type SnapshotGap } from './model.js';

export { ClusterUnreachableError } from './live-errors.js';
export { KubeconfigError } from './live-kubeconfig.js';

export interface RetryPolicy {
  /** Attempts per request for 429/5xx/connection resets, the first included. */
  maxAttempts: number;
  /** First backoff delay; doubles per attempt (±25 % jitter) up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Total time one request may spend waiting between attempts, Retry-After included. */
  maxTotalDelayMs: number;
  /** How often one list may restart after its continue token expired (410 Gone). */
  maxListRestarts: number;
  /** Extra attempts after a request timed out. */
  timeoutRetries: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxTotalDelayMs: 30_000,
  maxListRestarts: 3,
  timeoutRetries: 1,
};

export const DEFAULT_PAGE_SIZE = 500;
export const DEFAULT_CONCURRENCY = 4;

export interface FetchOptions {
  /** 'current' (or undefined) for the kubeconfig's current context, else a context name. */
  context?: string;
  /** Explicit kubeconfig file (`--kubeconfig`); otherwise KUBECONFIG, then ~/.kube/config. */
  kubeconfig?: string;
  /** Per-request timeout. */
  timeoutMs: number;
  pageSize?: number;
  /** Lists running at the same time. */
  concurrency?: number;
  progress?: (resource: ResourceKind, items: number) => void;
  warn: (message: string) => void;
  /** Clock for `capturedAt` (tests inject a fixed one). */
  now?: () => Date;
  retry?: Partial<RetryPolicy>;
  /** How to wait between attempts (tests record instead of sleeping). */
  sleep?: (ms: number) => Promise<void>;
  /** Environment and home directory for kubeconfig resolution (default: the process's). */
  env?: Record<string, string | undefined>;
  homeDir?: string;
}

let clientLibrary: Promise<K8sModule> | undefined;

/** The client library, imported once, on first use. */
export function loadClientLibrary(): Promise<K8sModule> {
  clientLibrary ??= import('@kubernetes/client-node');
  return clientLibrary;
}

interface Apis {
  core: K8s.CoreV1Api;
  apps: K8s.AppsV1Api;
  batch: K8s.BatchV1Api;
}

type ListParams = { limit?: number; _continue?: string };

interface ResourceSpec {
  kind: string;
  apiVersion: string;
  list(apis: Apis, params: ListParams, options: K8s.ConfigurationOptions): Promise<unknown>;
}

/** The only endpoints read: cluster-wide lists. Never Secrets or ConfigMaps. */
const RESOURCES: Record<ResourceKind, ResourceSpec> = {
  nodes: { kind: 'Node', apiVersion: 'v1', list: (a, p, o) => a.core.listNode(p, o) },
  pods: { kind: 'Pod', apiVersion: 'v1', list: (a, p, o) => a.core.listPodForAllNamespaces(p, o) },
  daemonsets: { kind: 'DaemonSet', apiVersion: 'apps/v1', list: (a, p, o) => a.apps.listDaemonSetForAllNamespaces(p, o) },
  deployments: { kind: 'Deployment', apiVersion: 'apps/v1', list: (a, p, o) => a.apps.listDeploymentForAllNamespaces(p, o) },
  replicasets: { kind: 'ReplicaSet', apiVersion: 'apps/v1', list: (a, p, o) => a.apps.listReplicaSetForAllNamespaces(p, o) },
  statefulsets: { kind: 'StatefulSet', apiVersion: 'apps/v1', list: (a, p, o) => a.apps.listStatefulSetForAllNamespaces(p, o) },
  jobs: { kind: 'Job', apiVersion: 'batch/v1', list: (a, p, o) => a.batch.listJobForAllNamespaces(p, o) },
  cronjobs: { kind: 'CronJob', apiVersion: 'batch/v1', list: (a, p, o) => a.batch.listCronJobForAllNamespaces(p, o) },
  services: { kind: 'Service', apiVersion: 'v1', list: (a, p, o) => a.core.listServiceForAllNamespaces(p, o) },
  events: { kind: 'Event', apiVersion: 'v1', list: (a, p, o) => a.core.listEventForAllNamespaces(p, o) },
  namespaces: { kind: 'Namespace', apiVersion: 'v1', list: (a, p, o) => a.core.listNamespace(p, o) },
};

/** A request that failed for good, after the retries the policy allows. */
class RequestError extends Error {
  constructor(
    readonly failure: RequestFailure,
    readonly attempts: number,
  ) {
    super(describeFailure(failure));
  }
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Where a list call leaves the page exactly as the server sent it (see Requester.options). */
interface RawCapture {
  page?: { items?: unknown; metadata?: { continue?: unknown } };
}

/** Runs API calls with a per-attempt timeout and bounded, backed-off retries. */
class Requester {
  private agent: HttpsAgent | undefined;

  constructor(
    private readonly k8s: K8sModule,
    private readonly timeoutMs: number,
    private readonly policy: RetryPolicy,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly warn: (message: string) => void,
  ) {}

  /**
   * Per-call middleware. `pre`: the library has no request timeout, so an abort signal is attached once auth is
   * done; it covers the body download too. `post` (list calls): the page is kept as the server's raw JSON, the
   * way `kubectl get -o json` shows it, and the library gets the page without its items to deserialize: its typed
   * models would drop every field newer than the client, turn timestamps into Date objects, and cost more time
   * than the transfer itself. Errors (non-2xx) pass through untouched, for the library to raise.
   */
  private options(holder: { signal?: AbortSignal }, capture: RawCapture | undefined): K8s.ConfigurationOptions {
    const { Observable, ResponseContext } = this.k8s;
    const middleware: K8s.ObservableMiddleware = {
      pre: (ctx) => {
        this.shareConnection(ctx);
        const signal = AbortSignal.timeout(this.timeoutMs);
        holder.signal = signal;
        ctx.setSignal(signal);
        return new Observable(Promise.resolve(ctx));
      },
      post: (ctx) => {
        if (!capture || ctx.httpStatusCode < 200 || ctx.httpStatusCode > 299) return new Observable(Promise.resolve(ctx));
        const rewritten = ctx.body.text().then((text) => {
          const page = JSON.parse(text) as RawCapture['page'] & { apiVersion?: unknown; kind?: unknown };
          capture.page = page;
          const stub = JSON.stringify({ apiVersion: page?.apiVersion, kind: page?.kind, metadata: page?.metadata ?? {}, items: [] });
          return new ResponseContext(ctx.httpStatusCode, ctx.headers, { text: () => Promise.resolve(stub), binary: () => Promise.resolve(Buffer.from(stub)) });
        });
        return new Observable(rewritten);
      },
    };
    return { middleware: [middleware], middlewareMergeStrategy: 'append' };
  }

  /**
   * The library builds a new https.Agent for every request: a full TLS handshake per page, with no session reuse.
   * One keep-alive agent per context, with the same TLS options (CA, client certificate), serves all its requests.
   * Proxy agents are left alone.
   */
  private shareConnection(ctx: K8s.RequestContext): void {
    const made = ctx.getAgent();
    if (!(made instanceof HttpsAgent) || made.constructor !== HttpsAgent) return;
    const options = (made as HttpsAgent & { options: HttpsAgentOptions }).options;
    this.agent ??= new HttpsAgent({ ...options, keepAlive: true });
    ctx.setAgent(this.agent);
  }

  close(): void {
    this.agent?.destroy();
  }

  private backoff(attempt: number): number {
    const base = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  async call<T>(what: string, fn: (options: K8s.ConfigurationOptions) => Promise<T>, capture?: RawCapture): Promise<T> {
    let waited = 0;
    let timeouts = 0;
    for (let attempt = 1; ; attempt++) {
      const holder: { signal?: AbortSignal } = {};
      if (capture) capture.page = undefined;
      try {
        return await fn(this.options(holder, capture));
      } catch (error) {
        const failure = classifyFailure(error, holder.signal?.aborted === true, this.timeoutMs, Date.now());
        let delay = 0;
        if (failure.type === 'timeout') {
          if (timeouts >= this.policy.timeoutRetries) throw new RequestError(failure, attempt);
          timeouts++;
        } else {
          if (!isTransient(failure) || attempt >= this.policy.maxAttempts) throw new RequestError(failure, attempt);
          delay = failure.type === 'http' && failure.retryAfterMs !== undefined ? failure.retryAfterMs : this.backoff(attempt);
          if (waited + delay > this.policy.maxTotalDelayMs) throw new RequestError(failure, attempt);
        }
        this.warn(`${what}: ${describeFailure(failure)}; trying again${delay > 0 ? ` in ${formatSeconds(delay)}` : ''}`);
        waited += delay;
        if (delay > 0) await this.sleep(delay);
      }
    }
  }
}

function toKubeObject(item: unknown, spec: ResourceSpec): KubeObject {
  const record = (typeof item === 'object' && item !== null && !Array.isArray(item) ? item : {}) as Record<string, unknown>;
  scrubPlainObject(record);
  // List items arrive without kind/apiVersion; put them first, as `kubectl get -o json` does.
  return { apiVersion: spec.apiVersion, kind: spec.kind, ...record, metadata: (record.metadata ?? { name: '' }) as KubeObject['metadata'] };
}

interface ContextRun {
  apis: Apis;
  requester: Requester;
  resolved: ResolvedContext;
  pageSize: number;
  policy: RetryPolicy;
  options: FetchOptions;
}

async function listResource(run: ContextRun, resource: ResourceKind): Promise<KubeObject[]> {
  const spec = RESOURCES[resource];
  const items: KubeObject[] = [];
  let token: string | undefined;
  let restarts = 0;
  for (;;) {
    const capture: RawCapture = {};
    try {
      const params: ListParams = token === undefined ? { limit: run.pageSize } : { limit: run.pageSize, _continue: token };
      await run.requester.call(`context "${run.resolved.context}": listing ${resource}`, (o) => spec.list(run.apis, params, o), capture);
    } catch (error) {
      const expired = error instanceof RequestError && error.failure.type === 'http' && error.failure.status === 410 && token !== undefined;
      if (!expired || restarts >= run.policy.maxListRestarts) throw error;
      restarts++;
      run.options.warn(
        `context "${run.resolved.context}": the continue token for ${resource} expired (410 Gone) after ${items.length} items; listing ${resource} again from the start (restart ${restarts} of ${run.policy.maxListRestarts})`,
      );
      items.length = 0;
      token = undefined;
      run.options.progress?.(resource, 0);
      continue;
    }
    const page = capture.page;
    if (!page || !Array.isArray(page.items)) throw new RequestError({ type: 'other', message: `the answer for ${resource} is not a list` }, 1);
    for (const item of page.items) items.push(toKubeObject(item, spec));
    run.options.progress?.(resource, items.length);
    const next = page.metadata?.continue;
    if (typeof next !== 'string' || next === '') break;
    token = next;
  }
  return items.sort(compareObjects);
}

function gapReason(error: RequestError): string {
  const failure = error.failure;
  let reason = describeFailure(failure);
  if (failure.type === 'http' && failure.status === 410) reason = `continue token kept expiring (HTTP 410): ${failure.message}`;
  return error.attempts > 1 ? `${reason} (after ${error.attempts} attempts)` : reason;
}

async function runPool<T>(items: readonly T[], concurrency: number, worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) await worker(items[next++]);
  });
  await Promise.all(lanes);
}

function unreachable(resolved: ResolvedContext, failure: RequestFailure): ClusterUnreachableError {
  const where = `cluster "${resolved.cluster}" (context "${resolved.context}", server ${resolved.server})`;
  let message: string;
  if (failure.type === 'timeout') message = `${where} did not answer within ${formatSeconds(failure.timeoutMs)}; raise --timeout or check the connection`;
  else if (failure.type === 'http' && failure.status === 401) message = `${where} rejected the credentials (HTTP 401 Unauthorized); check the kubeconfig user's token, certificate or credential plugin`;
  else if (failure.type === 'network') message = `cannot reach ${where}: ${describeFailure(failure)}`;
  // Typically a credential plugin (aws, gcloud, kubelogin) that failed before any request was sent.
  else message = `cannot connect to ${where}: ${describeFailure(failure)}`;
  return new ClusterUnreachableError(resolved.context, resolved.server, failure, message);
}

async function captureContext(k8s: K8sModule, source: KubeconfigSource, options: FetchOptions): Promise<ClusterSnapshot> {
  const kc = loadKubeConfig(k8s, source);
  const resolved = selectContext(kc, options.context, source);
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const warn = options.warn;
  if (resolved.skipTlsVerify) warn(`context "${resolved.context}": TLS verification is disabled by the kubeconfig (insecure-skip-tls-verify)`);
  const env = options.env ?? process.env;
  if (env.NODE_TLS_REJECT_UNAUTHORIZED === '0') warn('NODE_TLS_REJECT_UNAUTHORIZED=0 is set: server certificates are not verified');

  const requester = new Requester(k8s, options.timeoutMs, policy, options.sleep ?? defaultSleep, warn);
  const apis: Apis = { core: kc.makeApiClient(k8s.CoreV1Api), apps: kc.makeApiClient(k8s.AppsV1Api), batch: kc.makeApiClient(k8s.BatchV1Api) };
  const run: ContextRun = { apis, requester, resolved, pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE, policy, options };
  try {
    return await readCluster(run, kc.makeApiClient(k8s.VersionApi));
  } finally {
    requester.close();
  }
}

async function readCluster(run: ContextRun, versionApi: K8s.VersionApi): Promise<ClusterSnapshot> {
  const { requester, resolved, options } = run;
  const warn = options.warn;
  // /version first: it tells whether the cluster is there at all before eleven lists fail one by one.
  let serverVersion: string | undefined;
  try {
    const info = await requester.call(`context "${resolved.context}": reading /version`, (o) => versionApi.getCode({}, o));
    serverVersion = info.gitVersion;
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    const failure = error.failure;
    if (failure.type !== 'http' || failure.status === 401) throw unreachable(resolved, failure);
    warn(`context "${resolved.context}": server version unknown (${gapReason(error)})`);
  }

  const objects = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, [] as KubeObject[]])) as Record<ResourceKind, KubeObject[]>;
  const gaps: SnapshotGap[] = [];
  await runPool(RESOURCE_KINDS, options.concurrency ?? DEFAULT_CONCURRENCY, async (resource) => {
    try {
      objects[resource] = await listResource(run, resource);
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      const reason = gapReason(error);
      gaps.push({ resource, reason, cluster: resolved.cluster });
      warn(`context "${resolved.context}": cannot read ${resource}: ${reason}; verdicts that need ${resource} will say so`);
    }
  });
  gaps.sort((a, b) => RESOURCE_KINDS.indexOf(a.resource as ResourceKind) - RESOURCE_KINDS.indexOf(b.resource as ResourceKind));
  if (gaps.length === RESOURCE_KINDS.length) warn(`context "${resolved.context}": no resource could be read; the snapshot carries no cluster context`);

  const snapshot: ClusterSnapshot = {
    kind: 'KdrTriageSnapshot',
    version: 1,
    capturedAt: (options.now ?? (() => new Date()))().toISOString(),
    cluster: resolved.cluster,
    context: resolved.context,
    server: resolved.server,
    objects,
    execSessions: [],
    auditActivities: [],
    gaps,
  };
  if (serverVersion !== undefined) snapshot.serverVersion = serverVersion;
  return snapshot;
}

/** Reads one context's cluster. Throws ClusterUnreachableError / KubeconfigError when there is nothing to read. */
export async function fetchSnapshot(options: FetchOptions): Promise<ClusterSnapshot> {
  const source = resolveKubeconfigFiles(options.kubeconfig, options.env, options.homeDir);
  const k8s = await loadClientLibrary();
  return captureContext(k8s, source, options);
}

/** Context names as `contexts` resolve in the kubeconfig ('current' → its current-context), duplicates removed. */
export async function resolveContextNames(contexts: readonly string[], options: Pick<FetchOptions, 'kubeconfig' | 'env' | 'homeDir'>): Promise<string[]> {
  const source = resolveKubeconfigFiles(options.kubeconfig, options.env, options.homeDir);
  const k8s = await loadClientLibrary();
  const kc = loadKubeConfig(k8s, source);
  const names: string[] = [];
  for (const requested of contexts.length > 0 ? contexts : ['current']) {
    const name = selectContext(kc, requested, source).context;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** Reads every context in turn (each context's lists run in parallel). */
export async function fetchSnapshots(contexts: readonly string[], options: Omit<FetchOptions, 'context'>): Promise<ClusterSnapshot[]> {
  const names = await resolveContextNames(contexts, options);
  const snapshots: ClusterSnapshot[] = [];
  for (const context of names) snapshots.push(await fetchSnapshot({ ...options, context }));
  return snapshots;
}
