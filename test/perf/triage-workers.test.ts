/**
 * Triage threads (src/parallel/triage-*.ts) must not change a byte: the compiled CLI triages the same inputs in the
 * main thread (KDR_TRIAGE_WORKERS=0) and in one and two triage threads, in small frames so that the records spread
 * over many units and threads: every format, filters, --baseline with --fail-on, rejected records, several vendors
 * and clusters, audit logs, a policy with extra components, and Zeek rows (decoded in the main thread).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/kdr-triage.js');
const BUILT = existsSync(join(ROOT, 'dist/parallel/triage-worker.js'));
if (!BUILT) console.warn('test/perf/triage-workers: dist/ is not built (npm run build); skipping');

let dir: string;

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], workers: number): Outcome {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, KDR_TRIAGE_WORKERS: String(workers), KDR_TRIAGE_FRAME_BYTES: '16384', NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Serial and two threads (and one, when asked): the same status, stdout and stderr. */
function expectSameEverywhere(args: string[], threads = [2]): Outcome {
  const serial = cli(args, 0);
  expect(serial.status, serial.stderr).not.toBe(2);
  for (const n of threads) expect(cli(args, n)).toEqual(serial);
  return serial;
}

describe.skipIf(!BUILT)('triage threads give the serial bytes', () => {
  let csv: string;
  let ndjson: string;
  let snapshot: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kdr-triage-workers-'));
    const gen = spawnSync(process.execPath, [join(ROOT, 'bench/generate.mjs'), '--dir', dir, '--alerts', '600', '--nodes', '20', '--pods-per-node', '10'], { encoding: 'utf8' });
    expect(gen.status, gen.stderr).toBe(0);
    csv = join(dir, 'alerts-600.csv');
    ndjson = join(dir, 'alerts-600.ndjson');
    snapshot = join(dir, 'cluster-20x10.json');
  }, 60_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const format of ['ndjson', 'json', 'csv', 'junit']) {
    it(`--format ${format}`, () => {
      const out = expectSameEverywhere([csv, '--snapshot', snapshot, '--format', format], format === 'ndjson' ? [1, 2] : [2]);
      expect(out.stdout.length).toBeGreaterThan(50_000);
    }, 60_000);
  }

  it('--threads asks for triage threads on the command line (same bytes), and refuses a bad count', () => {
    const serial = cli([ndjson, '--snapshot', snapshot, '--format', 'ndjson'], 0);
    const unset: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', KDR_TRIAGE_FRAME_BYTES: '16384' };
    delete unset.KDR_TRIAGE_WORKERS;
    const threaded = spawnSync(process.execPath, [CLI, ndjson, '--snapshot', snapshot, '--format', 'ndjson', '--threads', '2'], { cwd: ROOT, env: unset, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    expect({ status: threaded.status, stdout: threaded.stdout, stderr: threaded.stderr }).toEqual(serial);
    const bad = spawnSync(process.execPath, [CLI, ndjson, '--snapshot', snapshot, '--threads', 'many'], { cwd: ROOT, env: unset, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--threads must be a whole number/);
  }, 60_000);

  it("--format csv writes each alert's original columns whichever thread read it (reader threads send them only for csv)", async () => {
    const header = (await readFile(csv, 'utf8')).split(/\r?\n/)[0].replace(/^\ufeff/, '').split(',');
    const readerThreads: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', KDR_TRIAGE_FRAME_BYTES: '4096' };
    delete readerThreads.KDR_TRIAGE_WORKERS;
    const viaReaders = spawnSync(process.execPath, [CLI, csv, '--snapshot', snapshot, '--format', 'csv'], { cwd: ROOT, env: readerThreads, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    expect(viaReaders.status, viaReaders.stderr).toBe(0);
    const serial = expectSameEverywhere([csv, '--snapshot', snapshot, '--format', 'csv']);
    expect(viaReaders.stdout).toBe(serial.stdout);
    const rows = parse(serial.stdout, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toHaveLength(600);
    expect(Object.keys(rows[0]).slice(0, header.length)).toEqual(header);
    expect(rows.every((r) => r[header[0]] !== '' && r[header[1]] !== '')).toBe(true);
  }, 60_000);

  it('filters, --baseline and --fail-on: the records written, the baseline marks, the exit code', async () => {
    // A baseline holding every other verdict of a first run.
    const first = cli([ndjson, '--snapshot', snapshot, '--format', 'ndjson'], 0);
    const baseline = join(dir, 'baseline.ndjson');
    await writeFile(baseline, first.stdout.split('\n').filter((line, i) => line && i % 2 === 0).join('\n') + '\n');
    for (const format of ['ndjson', 'json', 'csv']) {
      const out = expectSameEverywhere([ndjson, '--snapshot', snapshot, '--format', format, '--baseline', baseline, '--fail-on', 'genuine', '--min-severity', 'low', '--since', '2020-01-01', ...(format === 'json' ? ['--only', 'genuine'] : [])]);
      if (format === 'json') expect(JSON.parse(out.stdout).summary.filteredOut).toBeGreaterThan(0);
      expect(out.stdout).toMatch(/known/);
      expect(out.stdout).toMatch(/new/);
    }
  }, 120_000);

  it('rejected records keep their place, their warning and their count', async () => {
    const lines = (await readFile(ndjson, 'utf8')).split('\n').filter(Boolean);
    const broken = lines.map((line, i) => (i % 97 === 5 ? '{"not json' : i % 131 === 7 ? '[1, 2]' : line));
    const input = join(dir, 'broken.ndjson');
    await writeFile(input, broken.join('\n') + '\n');
    const out = expectSameEverywhere([input, '--snapshot', snapshot, '--format', 'json']);
    expect(out.stderr).toMatch(/record \d+ skipped: invalid JSON/);
    expect(out.stderr).toMatch(/not a JSON object/);
    expect(JSON.parse(out.stdout).summary.rejected).toBeGreaterThan(10);
  }, 60_000);

  it('several products and clusters, an audit log and a policy with its own components', async () => {
    const policy = join(dir, 'policy.yaml');
    await writeFile(
      policy,
      [
        'trusted:',
        '  namespaces: [monitoring]',
        'components:',
        '  - { id: test-agent, name: Test agent, role: monitoring, namespaces: [kube-system], workloads: [test-agent], images: [example/test-agent], binaries: [curl, bash] }',
        'exceptions:',
        '  - reason: the debugger team attaches to processes',
        '    cause: admin-activity',
        '    match: { vendor: crowdstrike, title: PtraceProcessAttachLinux }',
      ].join('\n'),
    );
    const context = ['--snapshot', 'samples/cluster.json', '--audit-log', 'samples/audit.jsonl', '--cluster-name', 'fintrack-prod', '--snapshot', 'test/fixtures/cluster/own-snapshot.json'];
    const plain = expectSameEverywhere(['samples/alerts', ...context, '--format', 'ndjson']);
    const withPolicy = expectSameEverywhere(['samples/alerts', ...context, '--policy', policy, '--format', 'csv']);
    expect(plain.stdout.split('\n').length).toBeGreaterThan(10);
    // The policy travelled to the threads: it changes verdicts.
    const plainCsv = cli(['samples/alerts', ...context, '--format', 'csv'], 0);
    expect(withPolicy.stdout).not.toBe(plainCsv.stdout);
  }, 60_000);

  it('a scenario with Zeek rows and gzipped audit logs', () => {
    const scenario = 'test/fixtures/scenarios/onprem-istio';
    const out = expectSameEverywhere([join(scenario, 'alerts'), '--snapshot', join(scenario, 'cluster'), '--audit-log', join(scenario, 'audit.log.gz'), '--format', 'ndjson']);
    expect(out.stdout).toMatch(/"vendor":"zeek/);
  }, 60_000);
});
