/**
 * Start-up stays cheap (issue 7, target 4). The CLI is bundled (build.mjs, into dist/bundle/): --help loads commander
 * and the option definitions, not the run, the formatters or the product profiles; an offline run loads only what it
 * uses; the Kubernetes client (≈ 1 s to import) only a run that reads a live cluster. Checked on what users run
 * (bin/kdr-triage.js and the bundle) with module hooks that log every file loaded, and each bundled file's source map,
 * which names the sources inside it. A wall-clock comparison with a bare `node -e ""` runs only under KDR_BENCH=1
 * (timings on a shared machine are too noisy for every run).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profiles } from '../../src/alerts/vendors/index.js';
import { reportFormats } from '../../src/report/formats.js';
import { jsonFormat } from '../../src/report/json.js';
import { ndjsonFormat } from '../../src/report/ndjson.js';
import { tableFormat } from '../../src/report/table.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/kdr-triage.js');
const HOOKS = join(ROOT, 'test/fixtures/perf/register-imports.mjs');
const SHARED = resolve(ROOT, '../shared');
const CORPUS = join(SHARED, 'corpus/eks-calico');
const BUNDLE = join(ROOT, 'dist/bundle');
const BUILT = existsSync(join(BUNDLE, 'cli.js'));
if (!BUILT) console.warn('test/perf/startup: dist/ is not built (npm run build); skipping');
const BENCH = process.env.KDR_BENCH === '1';

/**
 * What --help may load, in bytes of JavaScript: today ≈ 150 KB (bin, the CLI with commander, a few small chunks). The
 * product profiles alone are ≈ 140 KB and the formatters ≈ 250 KB, so a static import of either fails this.
 */
const HELP_BUDGET_BYTES = 200_000;
/** An offline NDJSON run: ≈ 600 KB today (commander, the run, the snapshot loader, the rules, the profiles). */
const OFFLINE_RUN_BUDGET_BYTES = 800_000;

let dir: string;
let run = 0;

interface Loaded {
  status: number | null;
  stdout: string;
  /** Every JavaScript file the process loaded, relative to the repository. */
  files: string[];
  /** Libraries (package names) loaded, bundled or from node_modules. */
  libraries: Set<string>;
  /** Source files (relative to the repository, e.g. src/cli.ts) inside the files loaded. */
  sources: Set<string>;
  bytes: number;
}

function packageOf(path: string): string | undefined {
  return /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
}

/** Runs the CLI with these arguments and tells what it loaded. */
function load(args: string[]): Loaded {
  const log = join(dir, `imports-${run++}.log`);
  const result = spawnSync(process.execPath, ['--import', HOOKS, CLI, ...args], { env: { ...process.env, KDR_IMPORT_LOG: log, NO_COLOR: '1' }, encoding: 'utf8', timeout: 30_000 });
  const urls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  const paths = [...new Set(urls.map((u) => fileURLToPath(u)))].filter((p) => !p.startsWith(join(ROOT, 'test/')));
  const libraries = new Set<string>();
  const sources = new Set<string>();
  for (const path of paths) {
    const library = packageOf(path);
    if (library) libraries.add(library);
    const map = `${path}.map`;
    if (!path.startsWith(join(ROOT, 'dist/')) || !existsSync(map)) continue;
    for (const source of (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources) {
      const file = relative(ROOT, resolve(dirname(path), source));
      sources.add(file);
      const bundled = packageOf(file);
      if (bundled) libraries.add(bundled);
    }
  }
  const bytes = paths.reduce((sum, p) => sum + statSync(p).size, 0);
  return { status: result.status, stdout: result.stdout, files: paths.map((p) => relative(ROOT, p)), libraries, sources, bytes };
}

/** The values of an option's "(choices: ...)" in --help, which commander wraps over several lines. */
function helpChoices(help: string, option: string): string[] {
  const text = help.replace(/\s+/g, ' ');
  const at = text.indexOf(option);
  const choices = /\(choices: ([^)]*)\)/.exec(text.slice(at))?.[1] ?? '';
  return [...choices.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

/** Median wall time of a command, run alternately with the others so that load on the machine hits them alike. */
function medians(commands: string[][], runs: number): number[] {
  const times: number[][] = commands.map(() => []);
  for (let i = 0; i < runs + 2; i++) {
    commands.forEach((argv, c) => {
      const start = process.hrtime.bigint();
      const result = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      expect(result.status).toBe(0);
      if (i >= 2) times[c].push(ms); // two warm-up rounds
    });
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]);
}

describe.skipIf(!BUILT)('start-up', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kdr-startup-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('--help loads commander and the option definitions only, within its byte budget', () => {
    const help = load(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: kdr-triage');
    expect(help.sources).toContain('src/cli.ts');
    expect(help.libraries).toContain('commander');
    for (const library of ['@kubernetes/client-node', 'yaml', 'chalk', 'cli-table3']) expect(help.libraries).not.toContain(library);
    const heavy = [...help.sources].filter((s) => /^src\/(run\.ts|triage\/|cluster\/|parallel\/|knowledge\/|alerts\/vendors\/|report\/(table|json|ndjson|html|markdown|csv|junit)\.ts)/.test(s));
    expect(heavy).toEqual([]);
    expect(help.bytes, `--help loaded ${help.bytes} bytes: ${help.files.join(', ')}`).toBeLessThan(HELP_BUDGET_BYTES);
  });

  it('--help lists every output format and product profile (the CLI names them without loading them)', () => {
    const help = load(['--help']);
    expect(helpChoices(help.stdout, '--format <format>')).toEqual([tableFormat, jsonFormat, ndjsonFormat, ...reportFormats].map((f) => f.id));
    expect(helpChoices(help.stdout, '--vendor <id>')).toEqual(profiles.map((p) => p.id));
  });

  it.skipIf(!existsSync(CORPUS))('an offline NDJSON run loads neither the Kubernetes client, YAML nor the table formatter', () => {
    const offline = load([join(CORPUS, 'alerts/defender-alerts.csv'), '--snapshot', join(CORPUS, 'cluster.json'), '--format', 'ndjson']);
    expect(offline.status).toBe(0);
    expect(offline.sources).toContain('src/run.ts');
    for (const library of ['@kubernetes/client-node', 'yaml', 'chalk', 'cli-table3']) expect(offline.libraries).not.toContain(library);
    // The live-cluster code, and the audit-log reader when there is no --audit-log.
    expect([...offline.sources].filter((s) => /^src\/cluster\/(live|audit\.ts)/.test(s))).toEqual([]);
    expect(offline.bytes, `the run loaded ${offline.bytes} bytes: ${offline.files.join(', ')}`).toBeLessThan(OFFLINE_RUN_BUDGET_BYTES);
  });

  it('the table format loads its libraries when it prints', () => {
    const sample = load([join(ROOT, 'samples/alerts'), '--snapshot', join(ROOT, 'samples/cluster.json'), '--format', 'table', '-q']);
    expect(sample.status).toBe(0);
    expect(sample.libraries).toContain('cli-table3');
    expect(sample.libraries).toContain('chalk');
  });

  it('reader threads start from the bundle: every thread module sits where the code that starts it looks', async () => {
    for (const file of readdirSync(BUNDLE, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))) {
      for (const [, name] of readFileSync(join(BUNDLE, file), 'utf8').matchAll(/new URL\("\.\/([\w.-]+\.js)", import\.meta\.url\)/g)) {
        expect(existsSync(join(BUNDLE, dirname(file), name)), `${name} beside ${file}`).toBe(true);
      }
    }
    // Small frames, so that records past the detection sample go to the one reader thread (--threads 0: no triage
    // threads, which KDR_TRIAGE_WORKERS alone would ask for).
    const falco = readFileSync(join(ROOT, 'samples/alerts/falco-events.ndjson'), 'utf8');
    const alerts = join(dir, 'falco-x10.ndjson');
    await writeFile(alerts, falco.repeat(10));
    const log = join(dir, `imports-${run++}.log`);
    const result = spawnSync(process.execPath, ['--import', HOOKS, CLI, alerts, '--format', 'ndjson', '-q', '--threads', '0'], {
      env: { ...process.env, KDR_IMPORT_LOG: log, KDR_TRIAGE_WORKERS: '1', KDR_TRIAGE_FRAME_BYTES: '256' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(falco.trim().split('\n').length * 10);
    expect(readFileSync(log, 'utf8')).toContain('/dist/bundle/parallel/worker.js');
  });

  it('a run with a live context does load the Kubernetes client (the hooks see it)', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      ['apiVersion: v1', 'kind: Config', 'current-context: lab', 'contexts:', '- name: lab', '  context: {cluster: lab, user: lab}', 'clusters:', '- name: lab', '  cluster: {server: "https://127.0.0.1:1"}', 'users:', '- name: lab', '  user: {token: x}', ''].join('\n'),
    );
    const alerts = join(dir, 'alerts.ndjson');
    await writeFile(alerts, '{"AlertId":"a","DeviceName":"n","Title":"t","FileName":"sh"}\n');
    const live = load([alerts, '--context', 'lab', '--kubeconfig', kubeconfig, '--timeout', '500', '--format', 'ndjson']);
    expect(live.libraries).toContain('@kubernetes/client-node');
  }, 60_000);

  // Issue 7, target 4: --help and a 10-alert run within 1.5× of a bare `node -e ""`, in wall time (medians of alternating
  // runs). The 10-alert run is not there yet (≈ 3×: the snapshot loader and the first alert's rule set up, not the
  // imports), so it only fails past RUN_LIMIT, a bad regression.
  it.skipIf(!BENCH)('KDR_BENCH=1: --help within 1.5× of node -e "", and a 10-alert run within its limit', async () => {
    const HELP_TARGET = 1.5;
    const RUN_LIMIT = 4;
    const falco = join(dir, 'falco-5.ndjson');
    await writeFile(falco, `${readFileSync(join(ROOT, 'samples/alerts/falco-events.ndjson'), 'utf8').split('\n').slice(0, 5).join('\n')}\n`);
    const tenAlerts = [join(ROOT, 'samples/alerts/defender-alerts.csv'), falco, '--snapshot', join(ROOT, 'samples/cluster.json'), '--format', 'ndjson', '-q'];
    const node = process.execPath;
    const [bare, help, ten] = medians([[node, '-e', ''], [node, CLI, '--help'], [node, CLI, ...tenAlerts]], 15);
    console.log(`start-up medians: node -e "" ${bare.toFixed(0)} ms, --help ${help.toFixed(0)} ms (${(help / bare).toFixed(2)}×), 10 alerts ${ten.toFixed(0)} ms (${(ten / bare).toFixed(2)}×)`);
    expect(help / bare).toBeLessThan(HELP_TARGET);
    expect(ten / bare).toBeLessThan(RUN_LIMIT);
  }, 120_000);
});
