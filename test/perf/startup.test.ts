/**
 * Start-up stays cheap (issue 7, target 4). The CLI is one classic script (build.mjs: dist/bundle/cli.script.cjs)
 * that bin/load-cli.js compiles with the V8 code cache the build writes beside it; what the CLI imports lazily is
 * bundled behind an initialiser of its own (esbuild's `__esm`/`__commonJS` wrappers, named after the source file), run
 * when first imported. So what a command loads is what it initialises: the tests run bin/kdr-triage.js with
 * NODE_V8_COVERAGE and read which initialisers ran (and how many bytes of the script they span), which files came
 * from node_modules, and how many threads wrote coverage. --help initialises commander and the option definitions,
 * not the run, the formatters or the product profiles; an offline run only what it uses; the Kubernetes client
 * (≈ 1 s to import) only a run that reads a live cluster; a small input starts no thread. A wall-clock comparison with
 * a bare `node -e ""` runs only under KDR_BENCH=1 (timings on a shared machine are too noisy for every run).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profiles } from '../../src/alerts/vendors/index.js';
import { reportFormats } from '../../src/report/formats.js';
import { jsonFormat } from '../../src/report/json.js';
import { ndjsonFormat } from '../../src/report/ndjson.js';
import { tableFormat } from '../../src/report/table.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/kdr-triage.js');
const SHARED = join(ROOT, '../shared');
const CORPUS = join(SHARED, 'corpus/eks-calico');
const BUNDLE = join(ROOT, 'dist/bundle');
const SCRIPT = join(BUNDLE, 'cli.script.cjs');
const BUILT = existsSync(SCRIPT);
if (!BUILT) console.warn('test/perf/startup: dist/ is not built (npm run build); skipping');
const BENCH = process.env.KDR_BENCH === '1';

/**
 * What --help may initialise, in bytes of the script its initialisers span (a module's top-level code; a CommonJS
 * library's whole body): today ≈ 126 KB, mostly commander. The product profiles alone are ≈ 90 KB and the table
 * formatter with its libraries ≈ 60 KB, so a static import of either fails this.
 */
const HELP_BUDGET_BYTES = 160_000;
/**
 * An offline NDJSON run: ≈ 611 KB today (commander, the run, the snapshot loader, forty-three rules and their
 * knowledge, the profiles; 506 KB with nineteen rules). A static import of the live client (≈ 1 MB) fails this; the
 * table formatter and YAML are checked by name.
 */
const OFFLINE_RUN_BUDGET_BYTES = 700_000;

/** Source files that --help must not initialise: the run and everything only a run needs. */
const RUN_ONLY = /^src\/(run\.ts|triage\/|cluster\/|parallel\/|knowledge\/|alerts\/vendors\/|report\/(table|json|ndjson|html|markdown|csv|junit)\.ts)/;

let dir: string;
let run = 0;

interface Loaded {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Every bundled module (source path or node_modules path, as esbuild names its initialiser) and its size in bytes. */
  modules: Map<string, number>;
  /** The bundled modules whose initialiser ran. */
  initialised: Set<string>;
  /** Libraries (package names) initialised in the bundle or loaded from node_modules. */
  libraries: Set<string>;
  /** Bytes of the script spanned by the initialisers that ran. */
  bytes: number;
  /** How often each function of the script ran, by name (as bundled). */
  calls: Map<string, number>;
  /** Threads that wrote coverage: the main thread and every worker thread started. */
  threads: number;
}

function packageOf(path: string): string | undefined {
  return /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
}

interface Coverage {
  result: { url: string; functions: { functionName: string; ranges: { startOffset: number; endOffset: number; count: number }[] }[] }[];
}

/** Runs the CLI with these arguments under V8 coverage and tells what it initialised and loaded. */
function load(args: string[], env: Record<string, string> = {}): Loaded {
  const coverage = join(dir, `coverage-${run++}`);
  const result = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, NODE_V8_COVERAGE: coverage, NO_COLOR: '1', ...env }, encoding: 'utf8', timeout: 30_000 });
  const files = existsSync(coverage) ? readdirSync(coverage).filter((f) => f.endsWith('.json')) : [];
  const modules = new Map<string, number>();
  const initialised = new Set<string>();
  const libraries = new Set<string>();
  const calls = new Map<string, number>();
  for (const file of files) {
    for (const script of (JSON.parse(readFileSync(join(coverage, file), 'utf8')) as Coverage).result) {
      if (script.url.startsWith('file:') && !script.url.startsWith(`file://${ROOT}/dist/`)) {
        const library = packageOf(fileURLToPath(script.url));
        if (library) libraries.add(library);
      }
      if (script.url !== `file://${SCRIPT}`) continue;
      for (const f of script.functions) {
        calls.set(f.functionName, (calls.get(f.functionName) ?? 0) + f.ranges[0].count);
        if (!/^(src|node_modules)\/.+\.[cm]?[jt]s$/.test(f.functionName)) continue;
        const { startOffset, endOffset, count } = f.ranges[0];
        modules.set(f.functionName, endOffset - startOffset);
        if (count > 0) initialised.add(f.functionName);
      }
    }
  }
  for (const name of initialised) {
    const library = packageOf(name);
    if (library) libraries.add(library);
  }
  const bytes = [...initialised].reduce((sum, name) => sum + (modules.get(name) ?? 0), 0);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, modules, initialised, libraries, bytes, calls, threads: files.length };
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

  it('the modules a run only imports lazily are bundled behind initialisers (else the checks below see nothing)', () => {
    const help = load(['--help']);
    for (const source of ['src/run.ts', 'src/cluster/load.ts', 'src/cluster/live.ts', 'src/cluster/audit.ts', 'src/report/table.ts', 'src/report/ndjson.ts', 'src/alerts/vendors/index.ts', 'src/parallel/threads.ts']) {
      expect(help.modules.has(source), source).toBe(true);
    }
    for (const library of ['commander', 'chalk', 'cli-table3']) expect([...help.modules.keys()].some((m) => packageOf(m) === library), library).toBe(true);
  });

  it('bin/kdr-triage.js runs the script with its code cache, which V8 accepts', () => {
    const probe = `import { loadCli } from ${JSON.stringify(pathToFileURL(join(ROOT, 'bin/load-cli.js')).href)}; process.stdout.write(String(loadCli().cacheAccepted));`;
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { env, encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('true');
  });

  it('changes no V8 flag at run time (a second load in the same process still takes the cache)', () => {
    // --no-regexp-tier-up set after start saved ≈ 10 ms of a small run, but made 2 of 360 concurrent runs segfault.
    const probe = `import { loadCli } from ${JSON.stringify(pathToFileURL(join(ROOT, 'bin/load-cli.js')).href)}; const first = loadCli().cacheAccepted; process.stdout.write(\`\${first} \${loadCli().cacheAccepted}\`);`;
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { env, encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('true true');
  });

  it('--help initialises commander and the option definitions only, within its byte budget', () => {
    const help = load(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: kdr-triage');
    expect(help.libraries).toContain('commander');
    for (const library of ['@kubernetes/client-node', 'yaml', 'chalk', 'cli-table3']) expect(help.libraries).not.toContain(library);
    expect([...help.initialised].filter((s) => RUN_ONLY.test(s))).toEqual([]);
    expect(help.bytes, `--help initialised ${help.bytes} bytes: ${[...help.initialised].join(', ')}`).toBeLessThan(HELP_BUDGET_BYTES);
  });

  it('--help lists every output format and product profile (the CLI names them without loading them)', () => {
    const help = load(['--help']);
    expect(helpChoices(help.stdout, '--format <format>')).toEqual([tableFormat, jsonFormat, ndjsonFormat, ...reportFormats].map((f) => f.id));
    expect(helpChoices(help.stdout, '--vendor <id>')).toEqual(profiles.map((p) => p.id));
  });

  it.skipIf(!existsSync(CORPUS))('an offline NDJSON run loads neither the Kubernetes client, YAML nor the table formatter', () => {
    const offline = load([join(CORPUS, 'alerts/defender-alerts.csv'), '--snapshot', join(CORPUS, 'cluster.json'), '--format', 'ndjson']);
    expect(offline.status).toBe(0);
    expect(offline.initialised).toContain('src/run.ts');
    for (const library of ['@kubernetes/client-node', 'yaml', 'chalk', 'cli-table3']) expect(offline.libraries).not.toContain(library);
    // The live-cluster code, and the audit-log reader when there is no --audit-log.
    expect([...offline.initialised].filter((s) => /^src\/cluster\/(live|audit\.ts)/.test(s))).toEqual([]);
    expect(offline.bytes, `the run initialised ${offline.bytes} bytes: ${[...offline.initialised].join(', ')}`).toBeLessThan(OFFLINE_RUN_BUDGET_BYTES);
  });

  it('a small input is read once, and read and triaged in the main thread: no reader or triage thread starts', () => {
    const sample = load([join(ROOT, 'samples/alerts'), '--snapshot', join(ROOT, 'samples/cluster.json'), '--format', 'ndjson', '-q']);
    expect(sample.status).toBe(0);
    expect(sample.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(10);
    expect(sample.threads).toBe(1);
    // Read once: the replica pass keeps what it read for the triage pass (run.ts, SINGLE_READ_BYTES); each file's
    // format is detected once per read.
    expect(sample.calls.get('detectFormat')).toBe(readdirSync(join(ROOT, 'samples/alerts')).length);
    expect([...sample.initialised].filter((s) => /^src\/parallel\/(pool|start|threads|triage-pool)\.ts$/.test(s)).length).toBeGreaterThan(0);
  });

  it('the table format loads its libraries when it prints', () => {
    const sample = load([join(ROOT, 'samples/alerts'), '--snapshot', join(ROOT, 'samples/cluster.json'), '--format', 'table', '-q']);
    expect(sample.status).toBe(0);
    expect(sample.libraries).toContain('cli-table3');
    expect(sample.libraries).toContain('chalk');
  });

  it('reader and triage threads start from the bundle: every thread module sits where the code that starts it looks', async () => {
    for (const file of readdirSync(BUNDLE, { recursive: true, encoding: 'utf8' }).filter((f) => /\.c?js$/.test(f))) {
      for (const [, name] of readFileSync(join(BUNDLE, file), 'utf8').matchAll(/new URL\("\.\/([\w.-]+\.js)", (?:import\.meta\.url|__kdrScriptUrl)\)/g)) {
        expect(existsSync(join(BUNDLE, dirname(file), name)), `${name} beside ${file}`).toBe(true);
      }
    }
    // Small frames, so that records past the detection sample go to the threads: one reader thread (triage here,
    // --threads 0), then one triage thread (--threads 1). Each thread writes its own coverage.
    const falco = readFileSync(join(ROOT, 'samples/alerts/falco-events.ndjson'), 'utf8');
    const alerts = join(dir, 'falco-x10.ndjson');
    await writeFile(alerts, falco.repeat(10));
    for (const threads of ['0', '1']) {
      const result = load([alerts, '--format', 'ndjson', '-q', '--threads', threads], { KDR_TRIAGE_WORKERS: '1', KDR_TRIAGE_FRAME_BYTES: '256' });
      expect(result.status).toBe(0);
      expect(result.stdout.trim().split('\n')).toHaveLength(falco.trim().split('\n').length * 10);
      expect(result.threads, `--threads ${threads}`).toBe(2);
    }
  });

  it('a run with a live context does load the Kubernetes client', async () => {
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
  // runs). The 10-alert run is not there yet (≈ 2.3× here at load average 11, ≈ 2.7× in CPU time against the bench's
  // small snapshot: the snapshot's scrubbing and slimming, the first alerts' rules and their regular expressions in
  // code that has not warmed up, the code cache's deserialisation), so it only fails past RUN_LIMIT, a regression (it
  // was ≈ 2.8× before the code cache).
  it.skipIf(!BENCH)('KDR_BENCH=1: --help within 1.5× of node -e "", and a 10-alert run within its limit', async () => {
    const HELP_TARGET = 1.5;
    const RUN_LIMIT = 3;
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
