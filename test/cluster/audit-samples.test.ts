/**
 * The reader on real audit samples (../shared/k8s-samples/audit) and on the development corpus audit log.
 * Skipped when ../shared is absent.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { expandRecord, type ExpandResult } from '../../src/cluster/audit-event.js';
import { readAuditLogs } from '../../src/cluster/audit.js';
import type { ExecSession } from '../../src/cluster/model.js';

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const SAMPLES = join(SHARED, 'k8s-samples/audit');
const CORPUS_AUDIT = join(SHARED, 'corpus/eks-calico/audit.jsonl');

const tmp = mkdtempSync(join(tmpdir(), 'kdr-audit-samples-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const noWarn = (m: string) => {
  throw new Error(`unexpected warning: ${m}`);
};

describe.skipIf(!existsSync(SAMPLES))('real audit samples (../shared/k8s-samples/audit)', () => {
  const sample = (name: string) => join(SAMPLES, name);

  it('falco exec trace: old-style create exec with requestURI command and duplicated container', async () => {
    const r = await readAuditLogs([sample('falco-exec_pod.json')], noWarn);
    expect(r.execSessions).toEqual([
      expect.objectContaining({
        kind: 'exec',
        user: 'minikube-user',
        groups: ['system:masters', 'system:authenticated'],
        namespace: 'default',
        pod: 'nginx-deployment-7998647bdf-phvq7',
        container: 'nginx1',
        command: ['bash'],
        tty: true,
        start: '2018-10-26T13:38:34.867Z',
        code: 101,
      }),
    ]);
  });

  it('falco attach trace', async () => {
    const r = await readAuditLogs([sample('falco-attach_pod.json')], noWarn);
    expect(r.execSessions).toEqual([expect.objectContaining({ kind: 'attach', container: 'nginx1', command: [], start: '2018-10-26T13:42:46.764Z' })]);
  });

  it('falco pod creations: privileged, host network, host path, owner', async () => {
    const files = ['falco-create_nginx_pod_privileged.json', 'falco-create_nginx_pod_hostnetwork.json', 'falco-create_nginx_pod_sensitive_mount_2nd_container.json'];
    const r = await readAuditLogs(files.map(sample), noWarn);
    const specs = r.auditActivities.map((a) => a.podSpec);
    expect(r.auditActivities.every((a) => a.verb === 'create' && a.resource === 'pods' && a.user === 'system:serviceaccount:kube-system:replicaset-controller')).toBe(true);
    expect(specs).toContainEqual(expect.objectContaining({ privileged: true, owner: 'ReplicaSet' }));
    expect(specs).toContainEqual(expect.objectContaining({ hostNetwork: true }));
    expect(specs).toContainEqual(expect.objectContaining({ hostPaths: ['/etc'], images: ['nginx', 'mysql:latest'] }));
    // the server-assigned name comes from the response body
    expect(r.auditActivities.some((a) => a.name?.startsWith('nginx-deployment-'))).toBe(true);
  });

  it('falco RBAC change by a user is kept as an activity', async () => {
    const r = await readAuditLogs([sample('falco-create_cluster_role_pod_exec.json')], noWarn);
    expect(r.auditActivities).toEqual([expect.objectContaining({ user: 'minikube-user', verb: 'create', resource: 'clusterroles', name: 'some-reader', apiGroup: 'rbac.authorization.k8s.io' })]);
  });

  it('audit2rbac: every request impersonated, the denials kept with code 403', async () => {
    const r = await readAuditLogs([sample('audit2rbac-demo-impersonation.log')], noWarn);
    expect(r.stats.lines).toBe(37);
    expect(r.stats.malformed).toBe(0);
    expect(r.auditActivities.every((a) => a.user === 'system:admin' && a.impersonatedUser !== undefined)).toBe(true);
    const impersonated = new Set(r.auditActivities.map((a) => a.impersonatedUser));
    expect(impersonated).toEqual(new Set(['bob', 'alice', 'system:serviceaccount:ns1:sa1']));
    expect(r.auditActivities.filter((a) => a.code === 403).length).toBeGreaterThan(5);
  });

  it('elastic test lines: native, GKE and AKS envelopes normalise to one event shape', () => {
    const lines = readFileSync(sample('elastic-integrations-test-audit.log'), 'utf8').trim().split('\n');
    const out: ExpandResult = { events: [], unrecognised: 0 };
    for (const line of lines) expandRecord(JSON.parse(line), out);
    expect(out.unrecognised).toBe(0);
    expect(out.events.map((e) => e.shape)).toEqual(['native', 'native', 'native', 'gke', 'aks']);
    expect(out.events[3]).toMatchObject({ user: 'system:gke-master-healthcheck', verb: 'get', code: 200, cluster: 'test-cluster', sourceIps: ['67.43.156.1'], received: '2025-07-13T08:38:39.127Z' });
    expect(out.events[4]).toMatchObject({ user: 'aksService', verb: 'update', resource: 'leases', namespace: 'kube-system', cluster: 'test-aks', code: 200 });
    const aks: ExpandResult = { events: [], unrecognised: 0 };
    expandRecord(JSON.parse(readFileSync(sample('elastic-integrations-test-kube-audit-aks.log'), 'utf8')), aks);
    expect(aks.events).toEqual([expect.objectContaining({ shape: 'aks', user: 'aksService', resource: 'leases', auditId: 'ad26f7bc-f1c6-4097-90f1-e0924e12f257' })]);
  });

  it('panther cases (EKS, AKS string-in-string, GKE): commands from requestURI, requestObject and request.command', async () => {
    // The test cases carry no timestamps; give each one so the reader keeps it as a session.
    const records = readFileSync(sample('panther-testcases-exec-token-cp.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { _test_name: string; log: Record<string, unknown> });
    const lines = records.map((rec, i) => {
      const t = new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();
      const log = rec.log;
      if ('protoPayload' in log) return JSON.stringify({ ...log, timestamp: t });
      const props = log.properties as { log?: unknown } | undefined;
      if (props && typeof props.log === 'string') {
        const inner = { ...JSON.parse(props.log), requestReceivedTimestamp: t };
        return JSON.stringify({ ...log, properties: { ...props, log: JSON.stringify(inner) } });
      }
      return JSON.stringify({ ...log, requestReceivedTimestamp: t });
    });
    const file = join(tmp, 'panther.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    const r = await readAuditLogs([file], noWarn);
    const byPod = (ns: string, pod: string) => r.execSessions.filter((s) => s.namespace === ns && s.pod === pod);
    expect(byPod('production', 'webapp-pod').map((s) => s.command)).toContainEqual(['cat', '/var/run/secrets/kubernetes.io/serviceaccount/token']);
    expect(byPod('production', 'webapp-pod').map((s) => s.command)).toContainEqual(['tar', 'cf', '-', '/app/secrets/credentials.json']);
    expect(byPod('production', 'database').map((s) => s.command)).toContainEqual(['sh', '-c', 'cat /var/run/secrets/kubernetes.io/serviceaccount/token']);
    expect(byPod('default', 'api-pod').map((s) => s.command)).toContainEqual(['ls', '/var/run/secrets/kubernetes.io/serviceaccount']);
    const aksRealistic = byPod('default', 'nginx-pod').find((s) => s.user === 'masterclient');
    expect(aksRealistic).toMatchObject({ kind: 'exec', sourceIps: ['20.43.245.209', '172.31.52.37'], code: 101 });
    expect(byPod('default', 'nginx-pod').find((s) => s.user === 'user@company.com')).toMatchObject({ kind: 'exec', sourceIps: ['1.2.3.4'] });
    expect(r.execSessions.filter((s) => s.code === 403).length).toBe(2);
    const hostPid = r.auditActivities.filter((a) => a.podSpec?.hostPID);
    expect(hostPid.length).toBeGreaterThanOrEqual(3); // EKS, AKS and GKE shapes
    expect(r.auditActivities.some((a) => a.podSpec?.privileged && a.name === 'test-privileged-pod')).toBe(true);
  });
});

describe.skipIf(!existsSync(CORPUS_AUDIT))('corpus audit log (../shared/corpus/eks-calico/audit.jsonl)', async () => {
  const r = existsSync(CORPUS_AUDIT) ? await readAuditLogs([CORPUS_AUDIT], noWarn) : undefined;
  const sessions = r?.execSessions ?? [];
  const one = (pred: (s: ExecSession) => boolean) => {
    const found = sessions.filter(pred);
    expect(found).toHaveLength(1);
    return found[0];
  };

  it('parses every line and skips most of the control-plane noise before JSON.parse', () => {
    expect(r!.stats.malformed).toBe(0);
    expect(r!.stats.lines).toBe(702);
    expect(r!.stats.skippedFast).toBeGreaterThan(r!.stats.lines / 2);
  });

  it("bob's interactive bash in the ingress controller, 09:01:31 to 09:08:50 (SPDY, verb create)", () => {
    const s = one((x) => x.user === 'bob@example.com' && x.command.join(' ') === 'bash');
    expect(s).toMatchObject({ kind: 'exec', namespace: 'ingress-nginx', container: 'controller', tty: true });
    expect(s.start.slice(11, 19)).toBe('09:01:31');
    expect(s.end.slice(11, 19)).toBe('09:08:50');
  });

  it("bob's three nc retries into checkout between 09:20 and 09:23", () => {
    const nc = sessions.filter((x) => x.user === 'bob@example.com' && x.command[0] === 'nc');
    expect(nc.map((x) => x.start.slice(11, 19))).toEqual(['09:20:10', '09:21:01', '09:22:39']);
    expect(new Set(nc.map((x) => `${x.namespace}/${x.pod}`)).size).toBe(1);
    expect(nc.every((x) => x.code === 101 && !x.tty)).toBe(true);
  });

  it("alice's kubectl debug of cart-0: ephemeral container with its attach, 10:14:52 to 10:24:31", () => {
    const s = one((x) => x.kind === 'ephemeral-container');
    expect(s).toMatchObject({ user: 'alice@example.com', namespace: 'shop', pod: 'cart-0', targetContainer: 'redis' });
    expect(s.container).toMatch(/^debugger-/);
    expect(s.start.slice(11, 19)).toBe('10:14:52');
    expect(s.end.slice(11, 19)).toBe('10:24:31');
    expect(sessions.some((x) => x.kind === 'attach' && x.pod === 'cart-0')).toBe(false);
  });

  it("alice's kubectl debug node session on the node she investigated, 11:20:31 to 11:35:12", () => {
    const s = one((x) => x.kind === 'node-debug');
    expect(s.user).toBe('alice@example.com');
    expect(s.node).toBeDefined();
    expect(s.pod).toContain(s.node!);
    expect(s.start.slice(11, 19)).toBe('11:20:31');
    expect(s.end.slice(11, 19)).toBe('11:35:12');
  });

  it("alice's WebSocket exec (verb get) into checkout, 11:50:02 to 11:53:41", () => {
    const s = one((x) => x.user === 'alice@example.com' && x.kind === 'exec');
    expect(s).toMatchObject({ command: ['sh'], tty: true, code: 101 });
    expect(s.start.slice(11, 19)).toBe('11:50:02');
    expect(s.end.slice(11, 19)).toBe('11:53:41');
  });

  it('the backup CronJob exec and kubectl cp with a token bound to its own pod', () => {
    const backup = sessions.filter((x) => x.user.startsWith('system:serviceaccount:') && x.code === 101);
    expect(backup.map((x) => x.command[0])).toEqual(['redis-cli', 'tar']);
    expect(backup.every((x) => x.tokenBoundPod !== undefined && x.sourceIps.length === 1)).toBe(true);
  });

  it('the AWS role session exec into the privileged pod, and the denied service-account exec', () => {
    const role = one((x) => x.user.startsWith('arn:aws:sts::'));
    expect(role).toMatchObject({ kind: 'exec', command: ['sh'], tty: true });
    const denied = one((x) => x.code === 403);
    expect(denied.user).toMatch(/^system:serviceaccount:/);
    expect(JSON.stringify(r)).not.toMatch(/ASIA[A-Z0-9]{12}/); // no access key id from user.extra
  });

  it('keeps the naked pod creation, the token replay from a public address and the 403s as activities', () => {
    const acts = r!.auditActivities;
    const naked = acts.filter((a) => a.verb === 'create' && a.resource === 'pods' && a.podSpec?.owner === 'none');
    expect(naked.length).toBeGreaterThanOrEqual(1);
    expect(acts.filter((a) => a.code === 403).length).toBeGreaterThanOrEqual(3);
    expect(acts.some((a) => a.tokenBoundPod !== undefined && a.sourceIps.some((ip) => !ip.startsWith('10.')))).toBe(true);
  });
});
