import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachAudit, runSnapshotCommand, type AuditDigest } from '../../src/cluster/live-command.js';
import { ClusterUnreachableError } from '../../src/cluster/live.js';
import { emptySnapshot, type ExecSession, type KubeObject } from '../../src/cluster/model.js';
import { readSnapshotFile } from '../../src/cluster/snapshot-file.js';
import { kubeconfigText, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { smallCluster } from '../support/kube-fixtures.js';
import { HAS_OPENSSL } from '../support/test-pki.js';

function session(namespace: string, pod: string, user = 'alice'): ExecSession {
  return { kind: 'exec', user, groups: ['system:authenticated'], sourceIps: ['10.0.0.9'], namespace, pod, command: ['sh'], tty: true, start: '2026-11-20T10:00:00.000Z', end: '2026-11-20T10:02:00.000Z' };
}

function fakeStderr(isTTY: boolean): { stream: { isTTY: boolean; columns: number; write(chunk: string): boolean }; text: () => string } {
  const pieces: string[] = [];
  return {
    stream: {
      isTTY,
      columns: 200,
      write(chunk: string) {
        pieces.push(chunk);
        return true;
      },
    },
    text: () => pieces.join(''),
  };
}

describe('attachAudit', () => {
  const withPods = (cluster: string, pods: [string, string][]) => {
    const s = emptySnapshot(cluster);
    s.objects.pods = pods.map(([namespace, name]) => ({ kind: 'Pod', metadata: { namespace, name } }) as KubeObject);
    return s;
  };

  it('gives everything to the only cluster', () => {
    const only = withPods('a', []);
    attachAudit([only], { execSessions: [session('x', 'y')], auditActivities: [] }, () => undefined);
    expect(only.execSessions).toHaveLength(1);
  });

  it('with several clusters, attributes entries by the pod they name, and keeps the rest everywhere with a warning', () => {
    const eu = withPods('eu', [['shop', 'web-1']]);
    const us = withPods('us', [['shop', 'web-2']]);
    const warnings: string[] = [];
    const audit: AuditDigest = {
      execSessions: [session('shop', 'web-1'), session('shop', 'web-2'), session('shop', 'gone-pod')],
      auditActivities: [
        { time: '2026-11-20T10:00:00.000Z', user: 'bob', groups: [], verb: 'create', resource: 'pods', namespace: 'shop', name: 'web-2', sourceIps: [] },
        { time: '2026-11-20T10:00:00.000Z', user: 'bob', groups: [], verb: 'list', resource: 'secrets', sourceIps: [] },
      ],
    };
    attachAudit([eu, us], audit, (m) => warnings.push(m));
    expect(eu.execSessions.map((s) => s.pod)).toEqual(['web-1', 'gone-pod']);
    expect(us.execSessions.map((s) => s.pod)).toEqual(['web-2', 'gone-pod']);
    expect(eu.auditActivities.map((a) => a.resource)).toEqual(['secrets']);
    expect(us.auditActivities.map((a) => a.resource)).toEqual(['pods', 'secrets']);
    expect(warnings).toEqual(['2 audit-log entries name no pod found in any of the 2 clusters; they were kept with every cluster']);
  });

  it('gives an entry whose log names its cluster (EKS log group) to that cluster only, even when both have the pod', () => {
    const prod = withPods('arn:aws:eks:eu-west-1:480915672304:cluster/shop-prod', [['shop', 'orders-db-0']]);
    const staging = withPods('arn:aws:eks:eu-west-1:735204168891:cluster/shop-staging', [['shop', 'orders-db-0']]);
    const named = { ...session('shop', 'orders-db-0', 'kpatel'), cluster: 'shop-staging' };
    const unnamed = session('shop', 'orders-db-0', 'alice');
    const elsewhere = { ...session('shop', 'orders-db-0', 'dave'), cluster: 'shop-dev' };
    attachAudit([prod, staging], { execSessions: [named, unnamed, elsewhere], auditActivities: [] }, () => undefined);
    expect(prod.execSessions.map((s) => s.user)).toEqual(['alice', 'dave']);
    expect(staging.execSessions.map((s) => s.user)).toEqual(['kpatel', 'alice', 'dave']);
  });
});

describe.skipIf(!HAS_OPENSSL)('runSnapshotCommand (needs the openssl CLI)', () => {
  let dir: string;
  let server: KubeApiServer;
  let kubeconfig: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kdr-snapcmd-'));
    server = await startKubeApiServer({ resources: smallCluster(), faults: { cronjobs: [{ status: 403 }] } });
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigText([{ context: 'prod', cluster: 'prod-cluster', server: server.url, caPem: server.caPem, token: server.token }]));
  });
  afterAll(async () => {
    expect(server.violations).toEqual([]);
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('captures the context, embeds audit findings, writes gzip and reports on stderr', async () => {
    const stderr = fakeStderr(false);
    const output = join(dir, 'prod.json.gz');
    const readPaths: string[][] = [];
    const code = await runSnapshotCommand({
      contexts: ['current'],
      kubeconfig,
      output,
      timeoutMs: 2000,
      pageSize: 3,
      auditLogs: ['audit.jsonl'],
      readAudit: async (paths) => {
        readPaths.push(paths);
        return { execSessions: [session('team-0', 'x')], auditActivities: [] };
      },
      stderr: stderr.stream,
      now: () => new Date('2026-11-20T12:05:00Z'),
      env: {},
    });
    expect(code).toBe(0);
    expect(readPaths).toEqual([['audit.jsonl']]);
    const [snapshot] = await readSnapshotFile(output);
    expect(snapshot).toMatchObject({ context: 'prod', cluster: 'prod-cluster', capturedAt: '2026-11-20T12:05:00.000Z', serverVersion: 'v1.30.4' });
    expect(snapshot.execSessions).toEqual([session('team-0', 'x')]);
    expect(snapshot.objects.pods).toHaveLength(7);
    expect(snapshot.gaps.map((g) => g.resource)).toEqual(['cronjobs']);

    const text = stderr.text();
    expect(text).toContain('warning: context "prod": cannot read cronjobs: HTTP 403');
    expect(text).toMatch(/context "prod" \(cluster prod-cluster, Kubernetes v1\.30\.4\): 3 nodes, 7 pods, .*1 exec sessions; missing: cronjobs \(HTTP 403/);
    expect(text).toContain(`wrote ${output}`);
    // Not a terminal: no progress line.
    expect(text).not.toContain('\x1b[2K');
  });

  it("writes to stdout for '-' and shows progress on a terminal", async () => {
    const stderr = fakeStderr(true);
    const chunks: string[] = [];
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString());
        callback();
      },
    });
    await runSnapshotCommand({ contexts: [], kubeconfig, output: '-', timeoutMs: 2000, pageSize: 2, stderr: stderr.stream, stdout, env: {} });
    // Version 2: the header line counts the object lines that follow it.
    const [header, ...lines] = chunks.join('').trimEnd().split('\n');
    const written = JSON.parse(header) as { kind: string; version: number; objects: { pods: number } };
    expect(written).toMatchObject({ kind: 'KdrTriageSnapshot', version: 2 });
    expect(written.objects.pods).toBe(7);
    expect(lines.filter((l) => l.startsWith('["pods",'))).toHaveLength(7);
    expect(stderr.text()).toMatch(/\r\x1b\[2Kkdr-triage prod: listing \w+, \d+ so far/);
    expect(stderr.text()).not.toContain('wrote');
  });

  it('refuses --audit-log without a reader, and lets an unreachable cluster throw', async () => {
    await expect(runSnapshotCommand({ contexts: [], kubeconfig, output: join(dir, 'x.json'), timeoutMs: 2000, auditLogs: ['a.log'], env: {} })).rejects.toThrow(/--audit-log/);
    const dead = join(dir, 'dead-kubeconfig');
    writeFileSync(dead, kubeconfigText([{ context: 'dead', cluster: 'dead', server: 'https://127.0.0.1:1', caPem: server.caPem }]));
    const stderr = fakeStderr(false);
    const error = await runSnapshotCommand({ contexts: ['dead'], kubeconfig: dead, output: join(dir, 'dead.json'), timeoutMs: 2000, stderr: stderr.stream, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect((error as Error).message).toMatch(/context "dead", server https:\/\/127\.0\.0\.1:1\).*connection refused/);
  });
});
