/**
 * Snapshots travel between teams: nothing secret may survive loading and saving. Every secret below carries a
 * marker ("LEAK-…" or a JWT); after loadSnapshots → writeSnapshot, after reading audit logs, and in every output
 * format of a run over those snapshots, no marker may be found.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditLogs } from '../../src/cluster/audit.js';
import { attachAudit } from '../../src/cluster/live-command.js';
import { loadSnapshots } from '../../src/cluster/load.js';
import { REDACTED, sanitizeObject } from '../../src/cluster/sanitize.js';
import { writeSnapshot } from '../../src/cluster/snapshot-file.js';
import { BUILT, runCli } from '../exit-codes/run-cli.js';
import { kubeconfigText, startKubeApiServer } from '../support/kube-api-server.js';
import { HAS_OPENSSL } from '../support/test-pki.js';
import { NODE_A } from '../fuzz/cluster.js';
import { scratch } from '../fuzz/support.js';

let n = 0;
/** A unique secret value; every one must vanish. */
const secret = (what: string) => `LEAK-${++n}-${what}`;
const jwt = (what: string) => `eyJhbGciOiJSUzI1NiIsImtpZCI6IkxFQUsifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6${Buffer.from(what).toString('base64url')}.c2lnbmF0dXJlLUxFQUs${++n}`;
const KUBECONFIG_WITH_CREDENTIALS = () =>
  `apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    token: ${secret('kubeconfig-token')}\n    client-key-data: ${secret('client-key')}\n    password: ${secret('kubeconfig-password')}\n`;
/** Anything matching this in an output is a leak. */
const LEAK = /LEAK-\d+|eyJhbGciOiJSUzI1NiIsImtpZCI6IkxFQUsifQ|c2lnbmF0dXJlLUxFQUs/;

const podTemplate = () => ({
  metadata: { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `{"env":[{"name":"X","value":"${secret('template-last-applied')}"}]}` } },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27',
        env: [
          { name: 'DB_PASSWORD', value: secret('template-env') },
          { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'db', key: 'password', value: secret('smuggled-in-ref') } } },
        ],
      },
    ],
  },
});

/** Every place a Kubernetes object (or a careless export) can hold a credential. */
function secretStuffedList(): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque', data: { password: Buffer.from(secret('secret-data')).toString('base64') }, stringData: { token: secret('secret-stringData') } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sa-token', namespace: 'shop', annotations: { 'kubernetes.io/service-account.name': 'web' } }, type: 'kubernetes.io/service-account-token', data: { token: jwt('secret-sa-token') } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubeconfig', namespace: 'kube-system' }, data: { kubeconfig: KUBECONFIG_WITH_CREDENTIALS() } },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'web-0',
          namespace: 'shop',
          uid: 'pod-uid-web-0',
          creationTimestamp: '2026-01-01T00:00:00Z',
          annotations: {
            'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ spec: { containers: [{ env: [{ name: 'API_KEY', value: secret('last-applied') }] }] } }),
            'example.com/service-account-token': jwt('annotation-token'),
            'example.com/kubeconfig': KUBECONFIG_WITH_CREDENTIALS(),
            'example.com/auth-header': `Bearer ${secret('annotation-bearer')}`,
            'example.com/harmless': 'team-web',
          },
          managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:spec': { [`k:{"name":"${secret('managed-fields')}"}`]: {} } }, time: '2026-01-01T00:00:00Z' }],
        },
        spec: {
          nodeName: NODE_A,
          serviceAccountName: 'web',
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27',
              env: [
                { name: 'DB_PASSWORD', value: secret('container-env') },
                { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
                { name: 'FROM_FIELD', valueFrom: { fieldRef: { fieldPath: 'status.podIP', value: secret('fieldref-extra') } } },
              ],
              envFrom: [{ secretRef: { name: 'db' } }],
            },
          ],
          initContainers: [{ name: 'init', image: 'busybox', env: [{ name: 'INIT_TOKEN', value: secret('init-env') }] }],
          ephemeralContainers: [{ name: 'debugger', image: 'busybox', env: [{ name: 'DEBUG_TOKEN', value: secret('ephemeral-env') }] }],
        },
        status: { phase: 'Running', podIP: '10.0.2.55', containerStatuses: [{ name: 'web', containerID: `containerd://${'cd'.repeat(32)}`, state: { running: { startedAt: '2026-01-01T00:00:05Z' } } }] },
      },
      // A malformed env (an object, not a list) must not smuggle a value through either.
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'odd-env', namespace: 'shop', uid: 'pod-uid-odd' }, spec: { nodeName: NODE_A, containers: [{ name: 'c', image: 'busybox', env: { name: 'X', value: secret('env-as-object') } }] } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', uid: 'dep-uid' }, spec: { template: podTemplate() } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: 'ops', uid: 'cj-uid' }, spec: { jobTemplate: { spec: { template: podTemplate() } } } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system', uid: 'ds-uid' }, spec: { template: podTemplate() } },
      { apiVersion: 'v1', kind: 'Node', metadata: { name: NODE_A, annotations: { 'example.com/bootstrap-token': jwt('node-annotation') } }, status: { addresses: [{ type: 'InternalIP', address: '10.0.1.10' }] } },
    ],
  };
}

/** A typed list whose items carry no kind (kubectl get secrets -o json). */
const secretList = () => ({ apiVersion: 'v1', kind: 'SecretList', items: [{ metadata: { name: 'x', namespace: 'shop' }, data: { k: Buffer.from(secret('typed-list')).toString('base64') } }] });
const configMapYaml = () => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: shop\ndata:\n  password: ${secret('yaml-configmap')}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: shop\nstringData:\n  token: ${secret('yaml-secret')}\n`;

/** An own-format snapshot edited by hand (or by an older tool) with credentials in its session and activity records. */
function tamperedOwnSnapshot(): Record<string, unknown> {
  return {
    kind: 'KdrTriageSnapshot',
    version: 1,
    capturedAt: '2026-01-02T00:00:00Z',
    cluster: 'tampered',
    objects: { pods: [{ kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'c', env: [{ name: 'K', value: secret('own-format-env') }] }] } }], secrets: [{ metadata: { name: 's' }, data: { k: secret('own-format-secret-list') } }] },
    execSessions: [
      {
        kind: 'exec', user: 'alice', groups: [], sourceIps: [], namespace: 'shop', pod: 'p', container: 'c', start: '2026-01-01T12:00:00Z',
        command: ['sh', '-c', `curl -H "Authorization: Bearer ${secret('own-session-bearer')}" https://x`, `--token=${secret('own-session-flag')}`],
        token: secret('own-session-field'),
        requestObject: { spec: { env: [{ value: secret('own-session-request') }] } },
        userExtra: { 'example.com/token': [secret('own-session-extra')] },
      },
    ],
    auditActivities: [{ time: '2026-01-01T12:00:00Z', user: 'alice', groups: [], verb: 'create', resource: 'pods', sourceIps: [], requestObject: { data: secret('own-activity-request') }, headers: { Authorization: `Bearer ${secret('own-activity-header')}` } }],
    gaps: [],
  };
}

/** Audit events carrying credentials where real logs (and exporters that add headers) put them. */
function auditEvents(): string[] {
  const base = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    sourceIPs: ['203.0.113.9'],
    userAgent: 'kubectl/v1.30.2',
    requestReceivedTimestamp: '2026-01-01T11:59:00.000000Z',
    annotations: { 'authorization.k8s.io/decision': 'allow', 'example.com/token': jwt('audit-annotation') },
  };
  const user = {
    username: 'system:serviceaccount:shop:web',
    groups: ['system:serviceaccounts'],
    extra: {
      'authentication.kubernetes.io/pod-name': ['web-0'],
      'authentication.kubernetes.io/pod-uid': ['pod-uid-web-0'],
      'authentication.kubernetes.io/credential-id': [`JTI=${secret('credential-id')}`],
      'example.com/bearer': [`Bearer ${secret('user-extra-bearer')}`],
      'example.com/jwt': [jwt('user-extra-jwt')],
    },
  };
  const exec = (stage: string, extra: Record<string, unknown> = {}) => ({
    ...base,
    auditID: 'exec-1',
    stage,
    stageTimestamp: stage === 'ResponseStarted' ? '2026-01-01T11:59:01.000000Z' : '2026-01-01T12:03:00.000000Z',
    verb: 'create',
    user,
    requestURI: `/api/v1/namespaces/shop/pods/web-0/exec?command=sh&command=-c&command=curl%20-H%20%22Authorization%3A%20Bearer%20${secret('exec-uri-bearer')}%22&command=--password%3D${secret('exec-uri-flag')}&container=web&stdin=true&tty=true`,
    objectRef: { resource: 'pods', namespace: 'shop', name: 'web-0', subresource: 'exec', apiVersion: 'v1' },
    responseStatus: { code: 101 },
    requestHeaders: { Authorization: [`Bearer ${secret('request-header')}`] },
    ...extra,
  });
  const createSecret = {
    ...base,
    auditID: 'secret-1',
    stage: 'ResponseComplete',
    stageTimestamp: '2026-01-01T12:00:00.000000Z',
    verb: 'create',
    user: { username: 'alice@example.com', groups: ['system:authenticated'], extra: { 'example.com/token': [secret('alice-extra')] } },
    requestURI: '/api/v1/namespaces/shop/secrets',
    objectRef: { resource: 'secrets', namespace: 'shop', name: 'db', apiVersion: 'v1' },
    responseStatus: { code: 201 },
    requestObject: { kind: 'Secret', data: { password: Buffer.from(secret('audit-request-secret')).toString('base64') }, stringData: { token: secret('audit-request-stringData') } },
    responseObject: { kind: 'Secret', data: { password: Buffer.from(secret('audit-response-secret')).toString('base64') } },
  };
  const createPod = {
    ...base,
    auditID: 'pod-1',
    stage: 'ResponseComplete',
    stageTimestamp: '2026-01-01T12:01:00.000000Z',
    verb: 'create',
    user: { username: 'mallory@example.com', groups: ['system:authenticated'] },
    requestURI: '/api/v1/namespaces/shop/pods',
    objectRef: { resource: 'pods', namespace: 'shop', name: 'evil', apiVersion: 'v1' },
    responseStatus: { code: 201 },
    requestObject: {
      kind: 'Pod',
      metadata: { name: 'evil', namespace: 'shop', annotations: { 'example.com/t': jwt('audit-pod-annotation') } },
      spec: { hostPID: true, containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', `curl -H 'Authorization: Bearer ${secret('audit-pod-command-bearer')}' https://x`], args: [`--token=${secret('audit-pod-arg')}`], env: [{ name: 'T', value: secret('audit-pod-env') }], securityContext: { privileged: true } }] },
    },
  };
  const tokenRequest = {
    ...base,
    auditID: 'token-1',
    stage: 'ResponseComplete',
    stageTimestamp: '2026-01-01T12:02:00.000000Z',
    verb: 'create',
    user: { username: 'mallory@example.com', groups: ['system:authenticated'] },
    requestURI: '/api/v1/namespaces/shop/serviceaccounts/web/token',
    objectRef: { resource: 'serviceaccounts', namespace: 'shop', name: 'web', subresource: 'token', apiVersion: 'v1' },
    responseStatus: { code: 201 },
    responseObject: { kind: 'TokenRequest', status: { token: jwt('token-request-response'), expirationTimestamp: '2026-01-01T13:00:00Z' } },
  };
  return [exec('ResponseStarted'), exec('ResponseComplete'), createSecret, createPod, tokenRequest].map((e) => JSON.stringify(e));
}

let dir: string;
let remove: () => void;
const paths: Record<string, string> = {};

beforeAll(() => {
  ({ dir, remove } = scratch('secrets'));
  paths.list = join(dir, 'list.json');
  writeFileSync(paths.list, JSON.stringify(secretStuffedList()));
  paths.typed = join(dir, 'secrets.json.gz');
  writeFileSync(paths.typed, gzipSync(JSON.stringify(secretList())));
  paths.yaml = join(dir, 'more.yaml');
  writeFileSync(paths.yaml, configMapYaml());
  paths.own = join(dir, 'own.json');
  writeFileSync(paths.own, JSON.stringify(tamperedOwnSnapshot()));
  paths.audit = join(dir, 'audit.jsonl');
  writeFileSync(paths.audit, `${auditEvents().join('\n')}\n`);
  paths.alerts = join(dir, 'alerts.ndjson');
  const alert = (cmd: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ rule: 'Terminal shell in container', priority: 'Warning', output: `shell ${cmd}`, time: '2026-01-01T12:00:30Z', hostname: NODE_A, output_fields: { 'proc.cmdline': cmd, 'container.id': 'cd'.repeat(6), 'k8s.pod.name': 'web-0', 'k8s.ns.name': 'shop', ...extra } });
  writeFileSync(paths.alerts, [alert('curl http://x'), alert('sh'), alert('cat /etc/passwd', { 'proc.name': 'cat' })].join('\n'));
});
afterAll(() => remove());

function expectNoLeak(text: string, where: string): void {
  const found = [...text.matchAll(new RegExp(LEAK.source, 'g'))].map((m) => text.slice(Math.max(0, m.index - 80), m.index + 40));
  expect(found, `secrets in ${where}`).toEqual([]);
}

describe('sanitizeObject, the gate every stored object passes', () => {
  it('keeps no Secret or ConfigMap at all, whatever their shape', () => {
    for (const item of secretStuffedList().items as Record<string, unknown>[]) {
      if (item.kind === 'Secret' || item.kind === 'ConfigMap') expect(sanitizeObject(item), String(item.kind)).toBeUndefined();
    }
  });
  it('redacts credential-bearing annotation values and keeps the others', () => {
    const pod = (secretStuffedList().items as Record<string, unknown>[]).find((o) => o.kind === 'Pod')!;
    const clean = sanitizeObject(pod)!;
    const annotations = clean.metadata.annotations ?? {};
    expect(annotations['example.com/service-account-token']).toBe(REDACTED);
    expect(annotations['example.com/kubeconfig']).toBe(REDACTED);
    expect(annotations['example.com/auth-header']).toBe(REDACTED);
    expect(annotations['example.com/harmless']).toBe('team-web');
    expect(annotations['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();
    expect((clean.metadata as unknown as Record<string, unknown>).managedFields).toBeUndefined();
  });
});

describe('secrets never survive a snapshot', () => {
  it('the fixtures really hold the secrets (the test would notice them)', () => {
    expect(LEAK.test(readFileSync(paths.list, 'utf8'))).toBe(true);
    expect(LEAK.test(readFileSync(paths.own, 'utf8'))).toBe(true);
    expect(LEAK.test(readFileSync(paths.audit, 'utf8'))).toBe(true);
  });

  it('loadSnapshots → writeSnapshot keeps none of them, and keeps the context', async () => {
    const warnings: string[] = [];
    const snapshots = await loadSnapshots([paths.list, paths.typed, paths.yaml, paths.own], (m) => warnings.push(m));
    const out = join(dir, 'saved.json');
    await writeSnapshot(snapshots, out);
    const text = readFileSync(out, 'utf8');
    expectNoLeak(text, 'the written snapshot');
    expectNoLeak(warnings.join('\n'), 'load warnings');
    // Still useful: names and references stay.
    expect(text).toContain('"DB_PASSWORD"');
    expect(text).toContain('"secretKeyRef"');
    expect(text).toContain('"web-0"');
    expect(text).toContain('team-web');
    // A second round trip is stable.
    const again = join(dir, 'saved-again.json');
    await writeSnapshot(await loadSnapshots([out], () => undefined), again);
    expect(readFileSync(again, 'utf8')).toBe(text);
  });

  it('audit logs: no bearer token, JWT, user.extra credential, header or request/response body survives into sessions and activities', async () => {
    const warnings: string[] = [];
    const audit = await readAuditLogs([paths.audit], (m) => warnings.push(m));
    expect(audit.execSessions.length).toBeGreaterThan(0);
    expectNoLeak(JSON.stringify(audit.execSessions), 'exec sessions');
    expectNoLeak(JSON.stringify(audit.auditActivities), 'audit activities');
    expectNoLeak(warnings.join('\n'), 'audit warnings');
    // The session is still there for triage: who, which pod, the command (with the credential redacted).
    expect(audit.execSessions[0]).toMatchObject({ namespace: 'shop', pod: 'web-0', tokenBoundPod: 'web-0' });
    const snapshots = await loadSnapshots([paths.list], () => undefined);
    attachAudit(snapshots, audit, () => undefined);
    const out = join(dir, 'with-audit.json');
    await writeSnapshot(snapshots, out);
    expectNoLeak(readFileSync(out, 'utf8'), 'snapshot with audit sessions');
  });
});

describe.skipIf(!BUILT)('secrets never reach any output', () => {
  const formats = ['table', 'json', 'ndjson', 'csv', 'markdown', 'html', 'junit'];
  for (const format of formats) {
    it(`${format}, with --explain where it applies`, async () => {
      const r = await runCli([paths.alerts, '--snapshot', paths.list, '--snapshot', paths.own, '--snapshot', paths.yaml, '--audit-log', paths.audit, '--format', format, '--explain']);
      expect(r.code, r.stderr).toBe(0);
      expectNoLeak(r.stdout, `--format ${format}`);
      expectNoLeak(r.stderr, 'stderr');
      if (format === 'json') expect((JSON.parse(r.stdout) as { verdicts: { kubernetes: { pod: string | null } }[] }).verdicts[0].kubernetes.pod).toBe('web-0');
    });
  }
});

describe.skipIf(!BUILT || !HAS_OPENSSL)('a live capture (kdr-triage snapshot) stores no credential', () => {
  it('kubeconfig token, env values, annotation tokens: none in the file or on stderr', async () => {
    const list = secretStuffedList().items as Record<string, unknown>[];
    const of = (kind: string) => list.filter((o) => o.kind === kind);
    const token = secret('kubeconfig-bearer');
    const server = await startKubeApiServer({ token, resources: { nodes: of('Node'), pods: of('Pod'), deployments: of('Deployment'), cronjobs: of('CronJob'), daemonsets: of('DaemonSet') } });
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, kubeconfigText([{ context: 'prod', cluster: 'prod', server: server.url, caPem: server.caPem, token }]));
      const out = join(dir, 'live.json');
      const r = await runCli(['snapshot', '--kubeconfig', kubeconfig, '--context', 'prod', '-o', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(server.violations).toEqual([]);
      const text = readFileSync(out, 'utf8');
      expect(text).toContain('"web-0"');
      expectNoLeak(text, 'the live snapshot');
      expectNoLeak(r.stderr, 'stderr of the capture');
    } finally {
      await server.close();
    }
  });
});

describe.skipIf(!BUILT)('error messages never quote credentials', () => {
  it('a kubeconfig that does not parse: the parser error, not the lines around it (was: token quoted on stderr)', async () => {
    const kubeconfig = join(dir, 'broken-kubeconfig.yaml');
    writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: ${secret('broken-kubeconfig-token')}\n    password: [unclosed ${secret('broken-kubeconfig-password')}\ncontexts: {\n`);
    const r = await runCli([paths.alerts, '--kubeconfig', kubeconfig, '--context', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot read kubeconfig ${kubeconfig}`);
    expectNoLeak(r.stderr, 'stderr');
  });

  it('a server URL with a password in it is shown (and stored) without it', async () => {
    const kubeconfig = join(dir, 'userinfo-kubeconfig.yaml');
    writeFileSync(kubeconfig, JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: { server: `https://admin:${secret('url-password')}@127.0.0.1:1` } }], users: [{ name: 'u', user: {} }], contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }] }));
    const r = await runCli([paths.alerts, '--kubeconfig', kubeconfig, '--context', 'x', '--timeout', '3000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('server https://127.0.0.1:1');
    expectNoLeak(r.stderr, 'stderr');
  });

  it('a broken secrets dump given as a snapshot: the warning names the file, not its content', async () => {
    const json = join(dir, 'broken-secrets.json');
    writeFileSync(json, `{"kind":"SecretList","items":[{"kind":"Secret","data":{"password":"${secret('broken-dump-json')}"} x ]}`);
    const yaml = join(dir, 'broken-secrets.yaml');
    writeFileSync(yaml, `kind: List\nitems:\n- kind: Secret\n  data: {password: ${secret('broken-dump-yaml')}}\n  x: [unclosed\n`);
    const r = await runCli([paths.alerts, '--snapshot', json, '--snapshot', yaml, '--format', 'json']);
    expect(r.stderr).toContain(json);
    expect(r.stderr).toContain(yaml);
    expectNoLeak(r.stderr, 'stderr');
    expectNoLeak(r.stdout, 'stdout');
  });
});
