/**
 * Issue 5's end-to-end promise: triaging against a live cluster and against the snapshot captured from it give the
 * same verdicts. The "cluster" is the loopback Kubernetes API test server serving the demo scenario's objects.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceKind } from '../../src/cluster/model.js';
import { kubeconfigText, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { HAS_OPENSSL } from '../support/test-pki.js';
import { RESOURCE_OF_KIND } from '../../src/cluster/load.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'kdr-triage.js');


async function cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe.skipIf(!HAS_OPENSSL)('live context and its snapshot give the same verdicts', () => {
  let server: KubeApiServer;
  let dir: string;
  let kubeconfig: string;

  beforeAll(async () => {
    const list = JSON.parse(readFileSync(join(ROOT, 'samples', 'cluster.json'), 'utf8')) as { items: { kind: string }[] };
    const resources: Partial<Record<ResourceKind, Record<string, unknown>[]>> = {};
    for (const item of list.items) (resources[RESOURCE_OF_KIND[item.kind]] ??= []).push(item as Record<string, unknown>);
    server = await startKubeApiServer({ resources });
    dir = mkdtempSync(join(tmpdir(), 'kdr-live-e2e-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigText([{ context: 'demo', cluster: 'fintrack-prod', server: server.url, caPem: server.caPem, token: server.token }]));
  });

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('--context current, then `snapshot -o` and --snapshot: byte-identical verdicts', async () => {
    const common = ['samples/alerts', '--audit-log', 'samples/audit.jsonl', '--format', 'ndjson'];
    const live = await cli([...common, '--context', 'current', '--kubeconfig', kubeconfig]);
    expect(live.code, live.stderr).toBe(0);
    const snapshotFile = join(dir, 'fintrack.json.gz');
    const captured = await cli(['snapshot', '--context', 'demo', '--kubeconfig', kubeconfig, '-o', snapshotFile]);
    expect(captured.code, captured.stderr).toBe(0);
    const offline = await cli([...common, '--snapshot', snapshotFile]);
    expect(offline.code, offline.stderr).toBe(0);
    const verdicts = live.stdout.trim().split('\n');
    expect(verdicts.length).toBeGreaterThan(20);
    expect(offline.stdout).toBe(live.stdout);
    // And they are real verdicts: the demo's kill-restart loop and its CNI noise are explained, its attack is kept.
    const causes = new Set(verdicts.map((l) => (JSON.parse(l) as { cause: string }).cause));
    expect([...causes]).toEqual(expect.arrayContaining(['ping-pong', 'node-networking', 'attack', 'admin-activity']));
    // The test server saw only GETs and never a Secret or ConfigMap.
    expect(server.violations).toEqual([]);
  });

  it('an unreachable cluster exits 2 naming the context and the server', async () => {
    const closed = join(dir, 'closed-kubeconfig');
    writeFileSync(closed, kubeconfigText([{ context: 'gone', cluster: 'gone', server: 'https://127.0.0.1:9', caPem: server.caPem }]));
    const r = await cli(['samples/alerts', '--context', 'gone', '--kubeconfig', closed, '--timeout', '2000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/gone/);
    expect(r.stderr).toContain('127.0.0.1:9');
  });
});
