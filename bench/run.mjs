/**
 * npm run bench [-- --alerts N] [-- --nodes N] [-- --growth 100000,1000000,5000000] [-- --runs N]
 *
 * Generates the inputs into .bench/ (seeded, reused when present), then runs kdr-triage and the bare baselines side
 * by side on the same files and prints times, records/s, MB/s, CPU time and peak RSS, and the ratios of issue 7's
 * targets. Each case is a separate process; peak RSS is the child's (GNU time -v when installed, else VmHWM polled
 * from /proc). BENCH_ALERTS / BENCH_NODES / BENCH_RUNS set the same as the flags.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { clusterModel, generateSmall, writeAlerts, writeSnapshot } from './generate.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DIR = join(ROOT, '.bench');
const BIN = join(ROOT, 'bin', 'kdr-triage.js');
const SEED = 7;

function arg(name, env, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i > 0) return process.argv[i + 1];
  return process.env[env] ?? fallback;
}

const ALERTS = Number(arg('alerts', 'BENCH_ALERTS', '200000'));
const NODES = Number(arg('nodes', 'BENCH_NODES', '5000'));
const PODS_PER_NODE = 30;
const RUNS = Number(arg('runs', 'BENCH_RUNS', '1'));
const GROWTH = arg('growth', 'BENCH_GROWTH', '');

const GNU_TIME = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p) && spawnSync(p, ['-v', 'true'], { encoding: 'utf8' }).stderr?.includes('Maximum resident'));

/** Inputs for one size, generated once per seed and size (a manifest says what is there). */
async function inputs(alerts, formats) {
  mkdirSync(DIR, { recursive: true });
  const manifestPath = join(DIR, 'manifest.json');
  const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : {};
  const snapshot = join(DIR, `cluster-${NODES}x${PODS_PER_NODE}.json`);
  const paths = Object.fromEntries(formats.map((f) => [f, join(DIR, `alerts-${alerts}-n${NODES}.${f}`)]));
  const key = (name) => `${name}@seed${SEED}`;
  const missing = formats.filter((f) => !existsSync(paths[f]) || manifest[key(paths[f])] !== statSync(paths[f]).size);
  const needSnapshot = !existsSync(snapshot) || manifest[key(snapshot)] !== statSync(snapshot).size;
  if (missing.length || needSnapshot || !existsSync(join(DIR, 'small-alerts.csv'))) {
    process.stderr.write(`generating ${needSnapshot ? `a ${NODES * PODS_PER_NODE}-pod snapshot and ` : ''}${alerts} alerts as ${missing.join(', ') || '(none)'} in ${DIR} …\n`);
    const model = clusterModel(NODES, PODS_PER_NODE, SEED);
    // The alerts reference the container ids the snapshot writer draws: when the snapshot exists, replay the writer
    // into /dev/null so both come from the same random sequence.
    await writeSnapshot(needSnapshot ? snapshot : '/dev/null', model);
    manifest[key(snapshot)] = statSync(snapshot).size;
    if (missing.length) {
      await writeAlerts(Object.fromEntries(missing.map((f) => [f, paths[f]])), alerts, model, SEED);
      for (const f of missing) manifest[key(paths[f])] = statSync(paths[f]).size;
    }
    await generateSmall(DIR, SEED);
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  }
  return { snapshot, paths, small: { alerts: join(DIR, 'small-alerts.csv'), snapshot: join(DIR, 'small-cluster.json') } };
}

/** Runs a command; wall time, CPU time and the child's peak RSS. */
function measure(command, args, { env = {}, stdout = 'ignore' } = {}) {
  return new Promise((resolvePromise, reject) => {
    const full = GNU_TIME ? [GNU_TIME, ['-v', command, ...args]] : [command, args];
    const start = process.hrtime.bigint();
    const child = spawn(full[0], full[1], { env: { ...process.env, ...env }, stdio: ['ignore', stdout, 'pipe'] });
    let stderr = '';
    let peakKb = 0;
    child.stderr.on('data', (d) => (stderr += d));
    const poll = GNU_TIME
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) peakKb = Math.max(peakKb, Number(m[1]));
          } catch {
            /* exited */
          }
        }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const wall = Number(process.hrtime.bigint() - start) / 1e9;
      let cpu;
      if (GNU_TIME) {
        peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? 0);
        const user = Number(/User time \(seconds\): ([\d.]+)/.exec(stderr)?.[1] ?? NaN);
        const sys = Number(/System time \(seconds\): ([\d.]+)/.exec(stderr)?.[1] ?? NaN);
        cpu = user + sys;
        if (/Exit status: (\d+)/.exec(stderr)?.[1] !== undefined) code = Number(/Exit status: (\d+)/.exec(stderr)[1]);
      }
      const failed = code !== 0 && code !== 1;
      if (failed) process.stderr.write(`${command} ${args.join(' ')} exited with ${code}\n${stderr.split('\n').slice(-15).join('\n')}\n`);
      resolvePromise({ wall, cpu, peakMb: peakKb / 1024, stderr, failed });
    });
  });
}

async function best(command, args, options, runs = RUNS) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await measure(command, args, options));
  results.sort((a, b) => a.wall - b.wall);
  return results[Math.floor(results.length / 2)];
}

const rows = [];
function row(name, r, records, bytes) {
  rows.push({ name, ...r, records, bytes });
  const rate = records ? `${Math.round(records / r.wall).toLocaleString('en-US')}/s` : '';
  process.stderr.write(`  ${name}: ${r.wall.toFixed(2)} s ${rate}\n`);
  return r;
}

function printTable() {
  const head = ['case', 'wall s', 'cpu s', 'records/s', 'MB/s', 'peak RSS MiB'];
  const lines = rows.map((r) => [
    r.name,
    r.wall.toFixed(2),
    Number.isFinite(r.cpu) ? r.cpu.toFixed(2) : '-',
    r.records ? Math.round(r.records / r.wall).toLocaleString('en-US') : '',
    r.bytes ? (r.bytes / 1048576 / r.wall).toFixed(1) : '',
    r.peakMb.toFixed(0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(fmt(head));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const l of lines) console.log(fmt(l));
}

function ratio(name, value, target, good) {
  return `| ${name} | ${value} | ${target} | ${good ? 'met' : 'not met'} |`;
}

async function main() {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('build first: npm run build');
  const node = process.execPath;
  const sizes = GROWTH ? GROWTH.split(',').map(Number) : [];
  const files = await inputs(ALERTS, ['csv', 'ndjson', 'json']);
  const csvBytes = statSync(files.paths.csv).size;
  const ndjsonBytes = statSync(files.paths.ndjson).size;
  const jsonBytes = statSync(files.paths.json).size;
  process.stderr.write(`machine: ${spawnSync('nproc').stdout?.toString().trim()} cores, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}; peak RSS from ${GNU_TIME ? 'GNU time -v' : '/proc VmHWM'}\n`);

  const start = { runs: Math.max(RUNS, 5) };
  const nodeE = row('node -e ""', await best(node, ['-e', ''], {}, start.runs));
  const help = row('kdr-triage --help', await best(node, [BIN, '--help'], {}, start.runs));
  const small = row('kdr-triage 10 alerts, 20-node snapshot', await best(node, [BIN, files.small.alerts, '--snapshot', files.small.snapshot, '--format', 'ndjson'], {}, start.runs), 10);
  const pods = NODES * PODS_PER_NODE;
  // The fast path for repeated triage: the kubectl dump converted once into kdr-triage's own snapshot (version 2).
  const converted = files.snapshot.replace(/\.json$/, '.kdr.json');
  const convert = existsSync(converted) && statSync(converted).mtimeMs > statSync(files.snapshot).mtimeMs ? undefined : row(`convert kubectl dump → kdr snapshot (once)`, await measure(node, [BIN, 'snapshot', '--from', files.snapshot, '-o', converted, '-q']), pods, statSync(files.snapshot).size);
  const loadRaw = row(`load + index, kubectl dump (${pods} pods)`, await best(node, [join(ROOT, 'bench/baselines/load-snapshot.mjs'), files.snapshot]), pods, statSync(files.snapshot).size);
  const load = row(`load + index, kdr snapshot (${pods} pods)`, await best(node, [join(ROOT, 'bench/baselines/load-snapshot.mjs'), converted]), pods, statSync(converted).size);
  const csvParse = row(`csv-parse columns:true, ${ALERTS} rows`, await best(node, [join(ROOT, 'bench/baselines/csv-parse.mjs'), files.paths.csv]), ALERTS, csvBytes);
  const readline = row(`readline + JSON.parse, ${ALERTS} lines`, await best(node, [join(ROOT, 'bench/baselines/ndjson-readline.mjs'), files.paths.ndjson]), ALERTS, ndjsonBytes);
  const triage = (input, snapshot = converted) => [BIN, input, '--snapshot', snapshot, '--format', 'ndjson', '--quiet'];
  const csv = row(`kdr-triage CSV → NDJSON`, await best(node, triage(files.paths.csv)), ALERTS, csvBytes);
  row(`kdr-triage CSV → NDJSON, against the kubectl dump`, await best(node, triage(files.paths.csv, files.snapshot)), ALERTS, csvBytes);
  // At 150,000 pods the default reads in the main thread (run.ts READER_THREADS_MAX_PODS); triage threads are opt-in.
  const csvThreads = row(`kdr-triage CSV → NDJSON, --threads 2`, await best(node, [...triage(files.paths.csv), '--threads', '2']), ALERTS, csvBytes);
  const ndjson = row(`kdr-triage NDJSON → NDJSON`, await best(node, triage(files.paths.ndjson)), ALERTS, ndjsonBytes);
  const json = row(`kdr-triage JSON array → NDJSON`, await best(node, triage(files.paths.json)), ALERTS, jsonBytes);
  // The floor under the ratio targets: what every alert costs before any correlation or rule — read, map to the alert
  // model, decide with no context, write the NDJSON line — in one thread (no cluster context runs no rule: pipeline.ts).
  const floorEnv = { env: { KDR_TRIAGE_WORKERS: '0' } };
  const floorArgs = (input) => [BIN, input, '--format', 'ndjson', '--quiet'];
  const ndjsonFloor = row(`kdr-triage NDJSON → NDJSON, no cluster context, one thread`, await best(node, floorArgs(files.paths.ndjson), floorEnv), ALERTS, ndjsonBytes);
  const csvFloor = row(`kdr-triage CSV → NDJSON, no cluster context, one thread`, await best(node, floorArgs(files.paths.csv), floorEnv), ALERTS, csvBytes);

  const growth = [];
  for (const size of sizes) {
    const g = await inputs(size, ['csv']);
    const r = row(`kdr-triage CSV → NDJSON, ${size} rows`, await best(node, triage(g.paths.csv)), size, statSync(g.paths.csv).size);
    growth.push({ size, ...r });
  }

  console.log(`\n## kdr-triage bench: ${ALERTS} alerts (CSV ${(csvBytes / 1e6).toFixed(0)} MB, NDJSON ${(ndjsonBytes / 1e6).toFixed(0)} MB), ${NODES}-node / ${NODES * PODS_PER_NODE}-pod snapshot\n`);
  printTable();
  console.log('\n| target | measured | goal | |');
  console.log('|---|---:|---|---|');
  console.log(ratio('CSV triage time / csv-parse columns:true', (csv.wall / csvParse.wall).toFixed(2), '< 1', csv.wall < csvParse.wall));
  console.log(ratio('NDJSON triage time / readline + JSON.parse', (ndjson.wall / readline.wall).toFixed(2), '≤ 1.5', ndjson.wall <= 1.5 * readline.wall));
  console.log(ratio('JSON triage time / readline + JSON.parse', (json.wall / readline.wall).toFixed(2), '≤ 1.5', json.wall <= 1.5 * readline.wall));
  console.log(ratio('floor: NDJSON, no context, one thread / readline + JSON.parse', (ndjsonFloor.wall / readline.wall).toFixed(2), '(≤ 1.5 leaves the triage nothing)', ndjsonFloor.wall <= 1.5 * readline.wall));
  console.log(ratio('floor: CSV, no context, one thread / csv-parse columns:true', (csvFloor.wall / csvParse.wall).toFixed(2), '(< 1 leaves the triage nothing)', csvFloor.wall < csvParse.wall));
  console.log(ratio('peak RSS, CSV triage', `${csv.peakMb.toFixed(0)} MiB`, '< 512 MiB', csv.peakMb < 512));
  console.log(ratio('--help / node -e ""', (help.wall / nodeE.wall).toFixed(2), '≤ 1.5', help.wall <= 1.5 * nodeE.wall));
  console.log(ratio('10 alerts / node -e ""', (small.wall / nodeE.wall).toFixed(2), '≤ 1.5', small.wall <= 1.5 * nodeE.wall));
  console.log(ratio('snapshot load + index (kdr snapshot)', `${load.wall.toFixed(2)} s`, '< 3 s', load.wall < 3));
  console.log(ratio('snapshot load + index (kubectl dump)', `${loadRaw.wall.toFixed(2)} s`, '< 3 s', loadRaw.wall < 3));
  console.log(ratio('--threads 2 speed-up (default / threads), peak RSS', `${(csv.wall / csvThreads.wall).toFixed(2)}×, ${csvThreads.peakMb.toFixed(0)} MiB`, 'opt-in', csvThreads.wall < csv.wall));
  if (convert) console.log(`\nThe dump was converted once with \`kdr-triage snapshot --from\` in ${convert.wall.toFixed(1)} s; the triage cases use the converted file unless they say otherwise.`);
  if (growth.length) {
    console.log('\n| rows | wall s | cpu s | µs per alert | peak RSS MiB |');
    console.log('|---:|---:|---:|---:|---:|');
    for (const g of growth) console.log(`| ${g.size} | ${g.wall.toFixed(2)} | ${Number.isFinite(g.cpu) ? g.cpu.toFixed(2) : '-'} | ${((g.wall * 1e6) / g.size).toFixed(1)} | ${g.peakMb.toFixed(0)} |`);
  }
  if (rows.some((r) => r.failed)) process.exitCode = 1;
}

await main();
