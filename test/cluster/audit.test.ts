import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readAuditLogs, type AuditLogResult } from '../../src/cluster/audit.js';
import type { ExecSession } from '../../src/cluster/model.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/audit/', import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);

const tmp = mkdtempSync(join(tmpdir(), 'kdr-audit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function read(...paths: string[]): Promise<AuditLogResult & { warnings: string[] }> {
  const warnings: string[] = [];
  const r = await readAuditLogs(paths, (m) => warnings.push(m));
  return { ...r, warnings };
}

function find(sessions: ExecSession[], namespace: string, pod: string, kind?: ExecSession['kind']): ExecSession[] {
  return sessions.filter((s) => s.namespace === namespace && s.pod === pod && (kind === undefined || s.kind === kind));
}

describe('readAuditLogs: native audit.k8s.io events', async () => {
  const r = await read(fixture('native-sessions.jsonl'));

  it('pairs ResponseStarted and ResponseComplete of one request into one session with start and end', () => {
    const [s] = find(r.execSessions, 'shop', 'web-1', 'exec').filter((x) => x.command[0] === '/bin/sh');
    expect(s).toMatchObject({
      kind: 'exec',
      user: 'dana@example.com',
      container: 'nginx',
      command: ['/bin/sh', '-c', 'cat /etc/os-release'],
      tty: true,
      stdin: true,
      start: '2026-03-02T10:01:00.000Z',
      end: '2026-03-02T10:04:30.500Z',
      code: 101,
      auditId: 'a-1',
      sourceIps: ['198.51.100.7'],
      authorization: 'RBAC: allowed by ClusterRoleBinding "devs" of ClusterRole "edit" to Group "oidc:devs"',
    });
    expect(r.execSessions.filter((x) => x.auditId === 'a-1')).toHaveLength(1);
  });

  it('reads the WebSocket form (verb get) and ends a lone ResponseStarted at its start', () => {
    const [s] = find(r.execSessions, 'staging', 'web-1');
    expect(s).toMatchObject({ kind: 'exec', user: 'erin@example.com', command: ['bash'], start: '2026-03-02T10:02:00.000Z', end: '2026-03-02T10:02:00.020Z' });
  });

  it('keeps the same pod name in another namespace apart', () => {
    expect(find(r.execSessions, 'staging', 'web-1')).toHaveLength(1);
    expect(find(r.execSessions, 'shop', 'web-1').every((s) => s.namespace === 'shop')).toBe(true);
  });

  it('keeps a service-account exec with its bound pod and no credentials', () => {
    const [s] = find(r.execSessions, 'shop', 'db-0').filter((x) => x.code === 101);
    expect(s).toMatchObject({
      user: 'system:serviceaccount:batch:backup',
      tokenBoundPod: 'backup-28000000-abcde',
      tokenBoundPodUid: '0b71ea55-0000-4000-8000-000000000001',
      command: ['tar', 'cf', '-', '/data/dump.rdb'],
      sourceIps: ['10.0.30.5'],
      start: '2026-03-02T10:03:00.000Z',
      end: '2026-03-02T10:03:02.000Z',
    });
    const text = JSON.stringify(r);
    expect(text).not.toContain('ASIAEXAMPLEKEY');
    expect(text).not.toContain('JTI=');
  });

  it('keeps a denied exec with code 403', () => {
    const [s] = find(r.execSessions, 'shop', 'db-0').filter((x) => x.code === 403);
    expect(s).toMatchObject({ user: 'system:serviceaccount:shop:web', decision: 'forbid', command: ['sh'], tokenBoundPod: 'web-1' });
  });

  it('reads attach and port-forward', () => {
    expect(find(r.execSessions, 'shop', 'web-2', 'attach')[0]).toMatchObject({ container: 'nginx', end: '2026-03-02T10:07:00.000Z', command: [] });
    expect(find(r.execSessions, 'shop', 'web-2', 'portforward')[0]).toMatchObject({ ports: ['8080', '9090'], start: '2026-03-02T10:08:00.000Z', end: '2026-03-02T10:18:00.000Z' });
  });

  it('keeps impersonation: the real caller and the impersonated user', () => {
    expect(find(r.execSessions, 'shop', 'web-3')[0]).toMatchObject({ user: 'ops-admin', impersonatedUser: 'frank@example.com', impersonatedGroups: ['oidc:devs'], command: ['id'] });
  });

  it('turns kubectl debug (ephemeral container) plus its attach into one session', () => {
    const sessions = find(r.execSessions, 'shop', 'cache-0');
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      kind: 'ephemeral-container',
      user: 'erin@example.com',
      container: 'debugger-abcde',
      targetContainer: 'redis',
      image: 'docker.io/nicolaka/netshoot:v0.13',
      command: ['bash'],
      tty: true,
      start: '2026-03-02T10:10:00.000Z',
      end: '2026-03-02T10:20:00.000Z',
    });
  });

  it('learns the ephemeral container from the attach when the patch was logged at Metadata level', () => {
    const sessions = find(r.execSessions, 'shop', 'cache-1');
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ kind: 'ephemeral-container', container: 'debugger-fghij', start: '2026-03-02T10:21:00.000Z', end: '2026-03-02T10:25:00.000Z' });
  });

  it('turns a kubectl debug node pod into a node-debug session that lasts until the pod is deleted', () => {
    const sessions = r.execSessions.filter((s) => s.pod.startsWith('node-debugger-'));
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      kind: 'node-debug',
      node: 'node-a.example.internal',
      container: 'debugger',
      image: 'busybox:1.36',
      start: '2026-03-02T10:30:00.000Z',
      end: '2026-03-02T10:45:00.000Z',
    });
  });

  it('redacts bearer tokens in exec commands', () => {
    const s = find(r.execSessions, 'shop', 'web-1').find((x) => x.command[0] === 'curl');
    expect(s?.command).toEqual(['curl', '-H', 'Authorization: Bearer <redacted>', 'https://kubernetes.default']);
    expect(JSON.stringify(r)).not.toContain('eyJhbGci');
  });

  it('keeps pod creations with a pod-spec summary, secret reads by workloads, and skips controller noise', () => {
    const create = r.auditActivities.find((a) => a.verb === 'create' && a.name === 'tools');
    expect(create?.podSpec).toEqual({
      privileged: true,
      runAsRoot: true,
      capabilities: ['SYS_ADMIN'],
      hostPaths: ['/var/run/containerd'],
      images: ['alpine:3.20'],
      commands: [['sh', '-c', 'sleep infinity']],
      owner: 'none',
    });
    expect(r.auditActivities.find((a) => a.resource === 'secrets')).toMatchObject({ user: 'system:serviceaccount:shop:web', verb: 'get', name: 'db-password' });
    const users = new Set(r.auditActivities.map((a) => a.user));
    expect(users.has('system:kube-controller-manager')).toBe(false);
    expect(users.has('system:node:node-a')).toBe(false);
    expect(users.has('system:serviceaccount:logging:fluent-bit')).toBe(false);
    expect(r.stats.skippedFast).toBeGreaterThanOrEqual(2);
    expect(r.stats.malformed).toBe(0);
  });

  it('orders sessions by start time', () => {
    const starts = r.execSessions.map((s) => s.start);
    expect([...starts].sort()).toEqual(starts);
  });
});

describe('readAuditLogs: provider envelopes and file forms', () => {
  it('reads GKE Cloud Audit Logs: methodName, resourceName, request.command, gRPC status codes', async () => {
    const r = await read(fixture('gke.jsonl'));
    expect(r.stats.shapes.gke).toBeGreaterThan(0);
    const api = find(r.execSessions, 'payments', 'api-7d9f-abcde');
    const ok = api.find((s) => s.kind === 'exec' && s.code === 101);
    expect(ok).toMatchObject({
      user: 'grace@example.com',
      cluster: 'prod-gke',
      container: 'api',
      command: ['sh', '-c', 'env | grep DB_'],
      tty: true,
      start: '2026-04-01T09:01:00.123Z',
      end: '2026-04-01T09:06:30.000Z',
      sourceIps: ['35.190.1.2'],
    });
    const denied = api.find((s) => s.code === 403);
    expect(denied).toMatchObject({ user: 'ci-deployer@acme-prod.iam.gserviceaccount.com', decision: 'forbid' });
    expect(api.find((s) => s.kind === 'ephemeral-container')).toMatchObject({ container: 'debugger-q1w2e', targetContainer: 'api', image: 'busybox:1.36' });
    const create = r.auditActivities.find((a) => a.verb === 'create');
    expect(create).toMatchObject({ resource: 'pods', namespace: 'payments', name: 'hostpid-tool', code: 200, podSpec: { hostPID: true, owner: 'none' } });
    expect(r.auditActivities.find((a) => a.resource === 'secrets')).toMatchObject({ verb: 'list', namespace: 'payments' });
    expect(r.auditActivities.some((a) => a.user === 'system:clustermaster')).toBe(false);
  });

  it('reads AKS diagnostic records with the event as a JSON string and as an object', async () => {
    const r = await read(fixture('aks.jsonl'));
    const [s] = find(r.execSessions, 'web', 'front-5c9-xk2lp');
    expect(s).toMatchObject({ user: 'heidi@contoso.com', cluster: 'prod-aks', command: ['/bin/bash'], start: '2026-05-01T08:00:00.000Z', end: '2026-05-01T08:12:00.000Z' });
    expect(r.execSessions).toHaveLength(1);
    expect(r.stats.shapes.aks).toBe(2);
  });

  it('reads gzip files (by magic bytes, whatever the name) and directories recursively', async () => {
    const dir = join(tmp, 'logs', 'nested');
    rmSync(join(tmp, 'logs'), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'audit-2026-03-02.log'), gzipSync(readFileSync(fixture('native-sessions.jsonl'))));
    writeFileSync(join(tmp, 'logs', 'aks.json.gz'), gzipSync(readFileSync(fixture('aks.jsonl'))));
    const r = await read(join(tmp, 'logs'));
    const plain = await read(fixture('native-sessions.jsonl'), fixture('aks.jsonl'));
    expect(r.stats.files).toBe(2);
    expect(r.execSessions.map((s) => ({ ...s, source: undefined }))).toEqual(plain.execSessions.map((s) => ({ ...s, source: undefined })));
  });

  it('reads pretty-printed JSON arrays, CRI container-log lines and CloudWatch filter-log-events output', async () => {
    const r = await read(fixture('pretty-array.json'), fixture('cri.log'), fixture('cloudwatch-filter-log-events.json'));
    expect(find(r.execSessions, 'dev', 'api-0')[0]).toMatchObject({ user: 'ivan@example.com', command: ['ls'], end: '2026-06-01T12:00:05.000Z' });
    expect(find(r.execSessions, 'dev', 'api-1')[0]).toMatchObject({ user: 'judy@example.com', command: ['whoami'], end: '2026-06-01T13:00:01.000Z' });
    expect(find(r.execSessions, 'prod', 'api-2')[0]).toMatchObject({ user: 'mallory@example.com', command: ['env'], start: '2026-06-01T14:00:00.000Z' });
    expect(r.stats.unrecognised).toBe(1);
    expect(r.stats.malformed).toBe(0);
  });

  it('warns about malformed lines and keeps reading', async () => {
    const file = join(tmp, 'broken.jsonl');
    const good = readFileSync(fixture('cri.log'), 'utf8').split('\n')[0].replace(/^\S+ stdout F /, '');
    writeFileSync(file, `${good}\n{"kind":"Event","requestURI":"/api/v1/namespaces/x/pods/y/exec?command=ls",\nnot json at all exec\n`);
    const r = await read(file);
    expect(r.execSessions).toHaveLength(1);
    expect(r.stats.malformed).toBe(2);
    expect(r.warnings.join('\n')).toMatch(/2 line\(s\).*not valid JSON/);
  });

  it('throws on a missing path', async () => {
    await expect(readAuditLogs([join(tmp, 'does-not-exist.log')], () => {})).rejects.toThrow();
  });
});
