import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClusterUnreachableError, fetchSnapshot, fetchSnapshots, KubeconfigError, type FetchOptions } from '../../src/cluster/live.js';
import { RESOURCE_KINDS, type ClusterSnapshot, type KubeObject, type Pod, type ResourceKind } from '../../src/cluster/model.js';
import { kubeconfigText, startKubeApiServer, type KubeApiServer, type KubeApiServerOptions } from '../support/kube-api-server.js';
import { smallCluster } from '../support/kube-fixtures.js';
import { generatePki, HAS_OPENSSL, testPki } from '../support/test-pki.js';

const CLOCK = (): Date => new Date('2026-11-20T12:05:00.000Z');

describe.skipIf(!HAS_OPENSSL)('fetchSnapshot against a loopback Kubernetes API (needs the openssl CLI)', () => {
  let dir: string;
  const servers: KubeApiServer[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kdr-live-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      // The server polices the client: only GETs, never Secrets/ConfigMaps, only the endpoints we mean to read.
      expect(server.violations).toEqual([]);
      await server.close();
    }
  });

  async function serve(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
    const server = await startKubeApiServer({ resources: smallCluster(), ...options });
    servers.push(server);
    return server;
  }

  let configCount = 0;
  function writeKubeconfig(text: string): string {
    const path = join(dir, `config-${++configCount}`);
    writeFileSync(path, text);
    return path;
  }

  function kubeconfigFor(server: KubeApiServer, context = 'test', cluster = 'test-cluster'): string {
    return writeKubeconfig(kubeconfigText([{ context, cluster, server: server.url, caPem: server.caPem, token: server.token }]));
  }

  function options(kubeconfig: string, extra: Partial<FetchOptions> = {}): FetchOptions & { warnings: string[]; delays: number[] } {
    const warnings: string[] = [];
    const delays: number[] = [];
    return {
      kubeconfig,
      timeoutMs: 2000,
      pageSize: 2,
      warn: (m) => warnings.push(m),
      now: CLOCK,
      sleep: async (ms) => {
        delays.push(ms);
      },
      env: {},
      warnings,
      delays,
      ...extra,
    };
  }

  const names = (objects: KubeObject[]): string[] => objects.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);

  it('lists every resource with limit/continue paging, sorted, sanitized and with the cluster facts', async () => {
    const resources = smallCluster();
    const futurePod = resources.pods![1] as { spec: Record<string, unknown>; status: Record<string, unknown> };
    futurePod.spec.fieldFromTheFuture = { enabled: true };
    futurePod.status.resize = 'Proposed';
    const server = await serve({ gitVersion: 'v1.30.4-eks-a737599', resources });
    const progress: [string, number][] = [];
    const opts = options(kubeconfigFor(server, 'prod', 'prod-cluster'), { progress: (r, n) => progress.push([r, n]) });
    const snapshot = await fetchSnapshot(opts);

    expect(snapshot).toMatchObject({
      kind: 'KdrTriageSnapshot',
      version: 1,
      capturedAt: '2026-11-20T12:05:00.000Z',
      cluster: 'prod-cluster',
      context: 'prod',
      server: server.url,
      serverVersion: 'v1.30.4-eks-a737599',
      gaps: [],
      execSessions: [],
      auditActivities: [],
    });
    const fixture = smallCluster();
    for (const kind of RESOURCE_KINDS) expect(snapshot.objects[kind], kind).toHaveLength(fixture[kind]?.length ?? 0);
    expect(opts.warnings).toEqual([]);

    // 7 pods at 2 per page: 4 requests, each after the first carrying the previous page's continue token.
    const podRequests = server.requestsFor('pods');
    expect(podRequests.map((r) => r.query.limit)).toEqual(['2', '2', '2', '2']);
    expect(podRequests[0].query.continue).toBeUndefined();
    expect(podRequests.slice(1).every((r) => (r.query.continue ?? '') !== '')).toBe(true);
    expect(server.requests.every((r) => r.method === 'GET' && r.authorization === `Bearer ${server.token}`)).toBe(true);
    // Connections are kept alive and shared: at most one per parallel lane (plus /version), not one per page.
    expect(server.requests.length).toBeGreaterThan(15);
    expect(server.tlsConnections).toBeLessThanOrEqual(5);

    // Sorted by namespace/name whatever order the server used, with kind and apiVersion filled in.
    const pods = snapshot.objects.pods as Pod[];
    expect(names(pods)).toEqual([...names(pods)].sort());
    expect(pods.every((p) => p.kind === 'Pod' && p.apiVersion === 'v1')).toBe(true);
    expect(snapshot.objects.deployments[0]).toMatchObject({ kind: 'Deployment', apiVersion: 'apps/v1' });
    expect(snapshot.objects.cronjobs[0]).toMatchObject({ kind: 'CronJob', apiVersion: 'batch/v1' });

    // Env values, managedFields and last-applied annotations never make it into the snapshot; env names do.
    const text = JSON.stringify(snapshot);
    for (const secret of ['s3cr3t-', 'do-not-store', 'template-secret', 'init-secret', 'leaked', 'managedFields', 'last-applied-configuration']) {
      expect(text, secret).not.toContain(secret);
    }
    // Names stay; a downward-API reference is kept (it names a field, holds no value).
    expect(pods[0].spec.containers[0].env).toEqual([{ name: 'DATABASE_PASSWORD' }, { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } }]);
    expect(snapshot.objects.cronjobs[0].spec.jobTemplate.spec.template.spec.initContainers[0].env).toEqual([{ name: 'INIT_TOKEN' }]);
    expect(snapshot.objects.deployments[0].metadata.annotations).toEqual({ team: 'web' });

    // Objects are the server's JSON as sent: timestamps as the API writes them (no Date objects), fields the client
    // library does not know kept; only what sanitizing drops is gone.
    const expected = structuredClone(futurePod) as unknown as Pod;
    delete (expected.metadata as { managedFields?: unknown }).managedFields;
    for (const c of expected.spec.containers) c.env = c.env?.map((e) => (e.valueFrom ? { name: e.name, valueFrom: e.valueFrom } : { name: e.name }));
    expect(pods.find((p) => p.metadata.name === expected.metadata.name)).toEqual(expected);
    expect(pods[0].metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(JSON.parse(text)).toEqual(snapshot);

    // Progress: one report per page; pods climb 2, 4, 6, 7.
    expect(progress.filter(([r]) => r === 'pods').map(([, n]) => n)).toEqual([2, 4, 6, 7]);
  });

  it('is deterministic: two captures of the same cluster are identical', async () => {
    const server = await serve();
    const kubeconfig = kubeconfigFor(server);
    const first = await fetchSnapshot(options(kubeconfig, { concurrency: 1 }));
    const second = await fetchSnapshot(options(kubeconfig, { concurrency: 6, pageSize: 3 }));
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('survives 403, 410 on a continue token, 500 then success, 429 with Retry-After, and a stalled response', async () => {
    const server = await serve({
      faults: {
        cronjobs: [{ status: 403 }],
        pods: [{ on: 'continue', status: 410, times: 1 }],
        deployments: [{ status: 500, times: 1 }],
        services: [{ status: 429, retryAfter: '2', times: 1 }],
        events: [{ stall: 'before-headers' }],
        namespaces: [{ on: 'continue', stall: 'mid-body', times: 1 }],
      },
    });
    const opts = options(kubeconfigFor(server), { timeoutMs: 800 });
    const started = Date.now();
    const snapshot = await fetchSnapshot(opts);
    expect(Date.now() - started).toBeLessThan(10_000);

    expect(snapshot.gaps.map((g) => g.resource)).toEqual(['cronjobs', 'events']);
    expect(snapshot.gaps[0]).toMatchObject({ cluster: 'test-cluster' });
    expect(snapshot.gaps[0].reason).toMatch(/HTTP 403: cronjobs is forbidden/);
    expect(snapshot.gaps[1].reason).toMatch(/no response within 0\.80? s/);
    expect(snapshot.objects.cronjobs).toEqual([]);
    expect(snapshot.objects.events).toEqual([]);

    // 410: the pod list restarted from scratch and came back complete, without duplicates.
    expect(names(snapshot.objects.pods)).toHaveLength(7);
    expect(new Set(names(snapshot.objects.pods)).size).toBe(7);
    const podRequests = server.requestsFor('pods');
    expect(podRequests.map((r) => r.outcome)).toEqual([200, 410, 200, 200, 200, 200]);
    expect(podRequests[2].query.continue).toBeUndefined();
    // 500, then the retry succeeded.
    expect(server.requestsFor('deployments').map((r) => r.outcome)).toEqual([500, 200]);
    expect(snapshot.objects.deployments).toHaveLength(1);
    // 429 with Retry-After: 2 → waited 2 s (the injected sleep records it), then succeeded.
    expect(opts.delays).toContain(2000);
    expect(server.requestsFor('services').map((r) => r.outcome)).toEqual([429, 200]);
    expect(snapshot.objects.services).toHaveLength(2);
    // A stall mid-body on a continue page: timed out, retried once, succeeded.
    expect(server.requestsFor('namespaces').map((r) => r.outcome)).toEqual([200, 'stalled', 200]);
    expect(snapshot.objects.namespaces).toHaveLength(4);
    // The stalled resource was tried 1 + timeoutRetries times, then given up.
    expect(server.requestsFor('events').map((r) => r.outcome)).toEqual(['stalled', 'stalled']);

    const warnings = opts.warnings.join('\n');
    expect(warnings).toMatch(/continue token for pods expired \(410 Gone\) after 2 items; listing pods again/);
    expect(warnings).toMatch(/listing deployments: HTTP 500: injected fault 500 on deployments; trying again/);
    expect(warnings).toMatch(/listing services: HTTP 429.*trying again in 2 s/);
    expect(warnings).toMatch(/cannot read cronjobs: HTTP 403/);
    expect(warnings).toMatch(/cannot read events: no response within/);
  });

  it('gives up on a resource after bounded retries of a persistent 503, and on a continue token that keeps expiring', async () => {
    const server = await serve({ faults: { jobs: [{ status: 503 }], pods: [{ on: 'continue', status: 410 }] } });
    const opts = options(kubeconfigFor(server), { retry: { maxAttempts: 3, maxListRestarts: 2 } });
    const snapshot = await fetchSnapshot(opts);
    expect(snapshot.gaps.map((g) => g.resource)).toEqual(['pods', 'jobs']);
    expect(server.requestsFor('jobs')).toHaveLength(3);
    expect(snapshot.gaps[1].reason).toMatch(/HTTP 503.*after 3 attempts/);
    expect(opts.delays).toHaveLength(2);
    // first page, 410, then two restarts each ending in 410 again.
    expect(server.requestsFor('pods').map((r) => r.outcome)).toEqual([200, 410, 200, 410, 200, 410]);
    expect(snapshot.gaps[0].reason).toMatch(/continue token kept expiring \(HTTP 410\)/);
    expect(snapshot.objects.pods).toEqual([]);
  });

  it('gives up waiting when Retry-After exceeds the total retry budget', async () => {
    const server = await serve({ faults: { services: [{ status: 429, retryAfter: '120' }] } });
    const opts = options(kubeconfigFor(server));
    const snapshot = await fetchSnapshot(opts);
    expect(opts.delays).toEqual([]);
    expect(snapshot.gaps).toEqual([{ resource: 'services', cluster: 'test-cluster', reason: expect.stringMatching(/HTTP 429/) }]);
  });

  it('keeps going without a server version when /version is refused', async () => {
    const server = await serve({ faults: { version: [{ status: 403 }] } });
    const opts = options(kubeconfigFor(server));
    const snapshot = await fetchSnapshot(opts);
    expect(snapshot.serverVersion).toBeUndefined();
    expect(snapshot.objects.pods).toHaveLength(7);
    expect(opts.warnings.join('\n')).toMatch(/server version unknown \(HTTP 403/);
  });

  it('names the context and server when the cluster is unreachable', async () => {
    const server = await serve();
    const url = server.url;
    const kubeconfig = kubeconfigFor(server, 'gone', 'gone-cluster');
    await server.close();
    const error = await fetchSnapshot(options(kubeconfig)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect((error as Error).message).toContain('context "gone"');
    expect((error as Error).message).toContain(url);
    expect((error as Error).message).toMatch(/connection refused/);
  });

  it('fails with a clear message when the server does not answer /version in time', async () => {
    const server = await serve({ faults: { version: [{ stall: 'before-headers' }] } });
    const error = await fetchSnapshot(options(kubeconfigFor(server, 'slow'), { timeoutMs: 400 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect((error as Error).message).toMatch(/context "slow", server https:\/\/127\.0\.0\.1:\d+\) did not answer within 0\.40? s/);
  });

  it('verifies TLS: a server certificate from another CA is refused, with context and server named', async () => {
    const server = await serve();
    const otherCa = generatePki('some other CA').caPem;
    const kubeconfig = writeKubeconfig(kubeconfigText([{ context: 'tls', cluster: 'c', server: server.url, caPem: otherCa, token: server.token }]));
    const error = await fetchSnapshot(options(kubeconfig)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect((error as Error).message).toContain('context "tls"');
    expect((error as Error).message).toContain(server.url);
    expect((error as Error).message).toMatch(/TLS verification failed/);
    expect(server.requests).toEqual([]);
  });

  it('authenticates with a client certificate from the kubeconfig', async () => {
    const server = await serve();
    const pki = testPki();
    const credentials = {
      'client-certificate-data': Buffer.from(pki.clientCertPem).toString('base64'),
      'client-key-data': Buffer.from(pki.clientKeyPem).toString('base64'),
    };
    const kubeconfig = writeKubeconfig(kubeconfigText([{ context: 'cert', cluster: 'c', server: server.url, caPem: server.caPem, credentials }]));
    const snapshot = await fetchSnapshot(options(kubeconfig));
    expect(snapshot.objects.pods).toHaveLength(7);
    expect(server.requests.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('authenticates through an exec credential plugin (as aws eks get-token, kubelogin do)', async () => {
    const server = await serve();
    const plugin = join(dir, 'credential-plugin.mjs');
    writeFileSync(
      plugin,
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(server.token)} } }));\n`,
    );
    const credentials = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin], interactiveMode: 'Never' } };
    const kubeconfig = writeKubeconfig(kubeconfigText([{ context: 'exec', cluster: 'c', server: server.url, caPem: server.caPem, credentials }]));
    const snapshot = await fetchSnapshot(options(kubeconfig));
    expect(snapshot.objects.pods).toHaveLength(7);
    expect(server.requests.every((r) => r.authorization === `Bearer ${server.token}`)).toBe(true);
  });

  it('treats rejected credentials as fatal', async () => {
    const server = await serve();
    const kubeconfig = writeKubeconfig(kubeconfigText([{ context: 'bad', cluster: 'c', server: server.url, caPem: server.caPem, token: 'wrong' }]));
    const error = await fetchSnapshot(options(kubeconfig)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect((error as Error).message).toMatch(/context "bad".*rejected the credentials \(HTTP 401/);
  });

  describe('kubeconfig resolution', () => {
    it('uses KUBECONFIG (a path list, first file wins) when --kubeconfig is absent, and skips missing entries', async () => {
      const a = await serve();
      const b = await serve({ resources: { nodes: smallCluster().nodes } });
      const first = writeKubeconfig(kubeconfigText([{ context: 'alpha', cluster: 'alpha-cluster', server: a.url, caPem: a.caPem }], 'alpha'));
      const second = writeKubeconfig(
        kubeconfigText(
          [
            { context: 'beta', cluster: 'beta-cluster', server: b.url, caPem: b.caPem },
            // Same name as in the first file: the first file's definition wins.
            { context: 'alpha', cluster: 'alpha-cluster', server: 'https://127.0.0.1:1', caPem: b.caPem },
          ],
          'beta',
        ),
      );
      const env = { KUBECONFIG: [join(dir, 'missing'), first, second].join(':') };
      const current = await fetchSnapshot(options('', { kubeconfig: undefined, env }));
      expect(current).toMatchObject({ context: 'alpha', cluster: 'alpha-cluster', server: a.url });
      const beta = await fetchSnapshot(options('', { kubeconfig: undefined, env, context: 'beta' }));
      expect(beta).toMatchObject({ context: 'beta', cluster: 'beta-cluster', server: b.url });
      expect(beta.objects.pods).toEqual([]);
      expect(beta.objects.nodes).toHaveLength(3);
    });

    it('falls back to ~/.kube/config, and --kubeconfig beats KUBECONFIG', async () => {
      const server = await serve();
      const home = mkdtempSync(join(dir, 'home-'));
      const kubeDir = join(home, '.kube');
      writeFileSync(join(dir, 'placeholder'), '');
      await import('node:fs/promises').then((fs) => fs.mkdir(kubeDir));
      writeFileSync(join(kubeDir, 'config'), kubeconfigText([{ context: 'home', cluster: 'home-cluster', server: server.url, caPem: server.caPem }]));
      expect(await fetchSnapshot(options('', { kubeconfig: undefined, env: {}, homeDir: home }))).toMatchObject({ context: 'home' });

      const explicit = kubeconfigFor(server, 'explicit');
      const env = { KUBECONFIG: join(kubeDir, 'config') };
      expect(await fetchSnapshot(options(explicit, { env, homeDir: home }))).toMatchObject({ context: 'explicit' });
    });

    it('explains a missing context, a missing current-context and a missing file', async () => {
      const server = await serve();
      const kubeconfig = kubeconfigFor(server, 'only');
      await expect(fetchSnapshot(options(kubeconfig, { context: 'nope' }))).rejects.toThrow(/context "nope" is not in kubeconfig .*\(contexts: only\)/);
      const noCurrent = writeKubeconfig(kubeconfigText([{ context: 'x', cluster: 'x', server: server.url, caPem: server.caPem }], null));
      await expect(fetchSnapshot(options(noCurrent))).rejects.toThrow(/has no current-context; pass --context NAME/);
      await expect(fetchSnapshot(options(join(dir, 'does-not-exist')))).rejects.toBeInstanceOf(KubeconfigError);
      expect(server.requests).toEqual([]);
    });
  });

  it('fetchSnapshots reads several contexts, resolving "current" and dropping duplicates', async () => {
    const a = await serve();
    const b = await serve({ resources: { namespaces: smallCluster().namespaces } });
    const kubeconfig = writeKubeconfig(
      kubeconfigText(
        [
          { context: 'eu', cluster: 'eu-cluster', server: a.url, caPem: a.caPem },
          { context: 'us', cluster: 'us-cluster', server: b.url, caPem: b.caPem },
        ],
        'eu',
      ),
    );
    const opts = options(kubeconfig);
    const snapshots: ClusterSnapshot[] = await fetchSnapshots(['current', 'us', 'eu'], opts);
    expect(snapshots.map((s) => [s.context, s.cluster, s.server])).toEqual([
      ['eu', 'eu-cluster', a.url],
      ['us', 'us-cluster', b.url],
    ]);
    expect(snapshots[0].objects.pods).toHaveLength(7);
    expect(snapshots[1].objects.pods).toHaveLength(0);
    expect(snapshots[1].objects.namespaces).toHaveLength(4);
  });

  it('imports the Kubernetes client only on demand (type-only static imports)', () => {
    for (const file of ['live.ts', 'live-kubeconfig.ts', 'live-errors.ts', 'sanitize.ts', 'snapshot-file.ts', 'progress.ts', 'live-command.ts']) {
      let source: string;
      try {
        source = readFileSync(new URL(`../../src/cluster/${file}`, import.meta.url), 'utf8');
      } catch {
        continue;
      }
      const staticImports = source.split('\n').filter((line) => /^import\s(?!type\b).*['"]@kubernetes\/client-node['"]/.test(line));
      expect(staticImports, file).toEqual([]);
    }
  });
});

describe('cluster resource coverage', () => {
  it('reads exactly the resources of the snapshot model', async () => {
    const { LIST_PATHS } = await import('../support/kube-api-server.js');
    const served = Object.values(LIST_PATHS).map((r) => r.resource).sort();
    expect(served).toEqual([...RESOURCE_KINDS].sort() as ResourceKind[]);
  });
});
