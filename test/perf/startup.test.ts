/**
 * Start-up stays cheap: the Kubernetes client (≈ 1 s to import) is loaded only by runs that read a live cluster, and
 * --help or an offline run do not load the run-time libraries they do not use. Checked on the compiled CLI with module
 * hooks that log every library resolved.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/kdr-triage.js');
const HOOKS = join(ROOT, 'test/fixtures/perf/register-imports.mjs');
const SHARED = resolve(ROOT, '../shared');
const CORPUS = join(SHARED, 'corpus/eks-calico');
const BUILT = existsSync(join(ROOT, 'dist/cli.js'));
if (!BUILT) console.warn('test/perf/startup: dist/ is not built (npm run build); skipping');

let dir: string;
let run = 0;

/** Libraries (package names) the CLI resolved while running with these arguments. */
function librariesLoaded(args: string[]): { status: number | null; libraries: Set<string> } {
  const log = join(dir, `imports-${run++}.log`);
  const result = spawnSync(process.execPath, ['--import', HOOKS, CLI, ...args], { env: { ...process.env, KDR_IMPORT_LOG: log, NO_COLOR: '1' }, encoding: 'utf8', timeout: 30_000 });
  const urls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  const libraries = new Set(urls.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)?.[1] ?? u));
  return { status: result.status, libraries };
}

describe.skipIf(!BUILT)('start-up imports', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kdr-startup-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('--help loads neither the Kubernetes client nor YAML', () => {
    const { status, libraries } = librariesLoaded(['--help']);
    expect(status).toBe(0);
    expect(libraries).toContain('commander');
    expect(libraries).not.toContain('@kubernetes/client-node');
    expect(libraries).not.toContain('yaml');
  });

  it.skipIf(!existsSync(CORPUS))('an offline run against a JSON snapshot does not load the Kubernetes client or YAML', () => {
    const { status, libraries } = librariesLoaded([join(CORPUS, 'alerts/defender-alerts.csv'), '--snapshot', join(CORPUS, 'cluster.json'), '--format', 'ndjson']);
    expect(status).toBe(0);
    expect(libraries).not.toContain('@kubernetes/client-node');
    expect(libraries).not.toContain('yaml');
  });

  it('a run with a live context does load the Kubernetes client (the hooks see it)', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      ['apiVersion: v1', 'kind: Config', 'current-context: lab', 'contexts:', '- name: lab', '  context: {cluster: lab, user: lab}', 'clusters:', '- name: lab', '  cluster: {server: "https://127.0.0.1:1"}', 'users:', '- name: lab', '  user: {token: x}', ''].join('\n'),
    );
    const alerts = join(dir, 'alerts.ndjson');
    await writeFile(alerts, '{"AlertId":"a","DeviceName":"n","Title":"t","FileName":"sh"}\n');
    const { libraries } = librariesLoaded([alerts, '--context', 'lab', '--kubeconfig', kubeconfig, '--timeout', '500', '--format', 'ndjson']);
    expect(libraries).toContain('@kubernetes/client-node');
  }, 60_000);
});
