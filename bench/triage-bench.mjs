/**
 * Per-alert cost of the triage itself — correlation, the rules, the verdict and the NDJSON record — apart from the
 * snapshot load and the reading of the export. Loads a snapshot once, reads the alerts into memory, then times:
 *
 *   read        decoding and mapping the export in this thread (once, after the timed passes)
 *   end-to-end  triageAlert + NDJSON line, one pass over the alerts as a run makes it (caches cold at the start);
 *               again with a fresh index (cold per-node and per-pod caches, code already compiled), and warm
 *   correlate   correlateAlert
 *   rules       every rule's evaluate() (and each rule alone)
 *   verdict     decide()
 *   record      JSON.stringify(toVerdictRecord()) + "\n"
 *
 *   npm run bench:triage                                  # generates 500 nodes × 30 pods and 20,000 alerts (seed 7)
 *   npm run bench:triage -- --nodes 1000 --alerts 40000   # another generated size
 *   npm run bench:triage -- --snapshot S.json --input A.csv [--limit 20000]   # existing files
 *   npm run bench:triage -- --profile triage.cpuprofile   # CPU profile of the timed passes only
 *   npm run bench:triage -- --runs 0                      # the first (cold) pass only
 *   node bench/triage-bench.mjs --dist /tmp/old/dist       # another build (before/after on the same inputs)
 *
 * Times are CPU time (user + system) of the process. Generated inputs go to $TMPDIR/kdr-triage-bench-<nodes>x<pods>-<alerts>/ and are reused. The sha256 printed is
 * that of the NDJSON lines of the end-to-end pass: equal before and after a change means identical verdicts.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { clusterModel, writeAlerts, writeSnapshot } from './generate.mjs';

const distArg = arg('dist', undefined);
const dist = distArg ? pathToFileURL(`${resolve(distArg)}/`) : new URL('../dist/', import.meta.url);
const load = (path) => import(new URL(path, dist).href);

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const flag = (name) => process.argv.includes(`--${name}`);

const nodes = Number(arg('nodes', '500'));
const podsPerNode = Number(arg('pods-per-node', '30'));
const alertCount = Number(arg('alerts', '20000'));
const seed = Number(arg('seed', '7'));
const runs = Math.max(0, Number(arg('runs', '3')));
const limit = Number(arg('limit', '0')) || Infinity;
const profilePath = arg('profile', undefined);

async function inputs() {
  const snapshot = arg('snapshot', undefined);
  const input = arg('input', undefined);
  if (snapshot && input) return { snapshot, input };
  if (snapshot || input) throw new Error('--snapshot and --input go together');
  const dir = join(tmpdir(), `kdr-triage-bench-${nodes}x${podsPerNode}-${alertCount}-s${seed}`);
  const paths = { snapshot: join(dir, 'cluster.json'), input: join(dir, 'alerts.csv') };
  if (!existsSync(join(dir, 'done'))) {
    mkdirSync(dir, { recursive: true });
    process.stderr.write(`generating ${nodes} nodes × ${podsPerNode} pods and ${alertCount} alerts in ${dir}\n`);
    const model = clusterModel(nodes, podsPerNode, seed);
    await writeSnapshot(paths.snapshot, model);
    await writeAlerts({ csv: paths.input }, alertCount, model, seed);
    writeFileSync(join(dir, 'done'), '');
  }
  return paths;
}

/** CPU time of this process (user + system), in ns: steadier than wall time on a machine shared with other jobs. */
const now = () => {
  const { user, system } = process.cpuUsage();
  return BigInt(user + system) * 1000n;
};
const micros = (ns, n) => (typeof ns === 'bigint' ? Number(ns) / 1000 / n : NaN);

async function main() {
  const { snapshot, input } = await inputs();
  const { loadSnapshots } = await load('cluster/load.js');
  const { buildIndex } = await load('cluster/index.js');
  const { readAlerts } = await load('alerts/read.js');
  const { correlateAlert, triageAlert } = await load('triage/pipeline.js');
  const { RULES } = await load('triage/rules/index.js');
  const { decide } = await load('triage/verdict.js');
  const { toVerdictRecord } = await load('report/verdict-record.js');
  /** The NDJSON line as the ndjson format writes it. */
  const line = (result) => JSON.stringify(toVerdictRecord(result));
  const { BatchCollector } = await load('triage/batch.js');

  let t = now();
  const snapshots = await loadSnapshots([snapshot], (m) => process.stderr.write(`${m}\n`));
  const index = buildIndex(snapshots);
  const loadMs = Number(now() - t) / 1e6;

  t = now();
  const alerts = [];
  for await (const event of readAlerts([input])) {
    if (event.kind === 'alert') alerts.push(event.alert);
    if (alerts.length >= limit) break;
  }
  const readMs = Number(now() - t) / 1e6;
  const n = alerts.length;

  if (n === 0) throw new Error(`no alerts read from ${input}`);
  process.stdout.write(`snapshot ${snapshot}: ${index.pods.length} pods, ${index.nodes.length} nodes, loaded and indexed in ${loadMs.toFixed(0)} ms\n`);
  process.stdout.write(`alerts ${input}: ${n} read in ${readMs.toFixed(0)} ms\n`);

  let batch;
  if (flag('batch')) {
    const collector = new BatchCollector();
    for (const alert of alerts) {
      const placed = correlateAlert(alert, { index });
      if (placed) collector.add(alert, placed.correlation);
    }
    batch = collector.stats;
  }

  let session;
  if (profilePath) {
    const { Session } = await import('node:inspector/promises');
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
  }

  // One pass as a run makes it: caches are cold for the first alerts of every node and spec.
  const hash = createHash('sha256');
  t = now();
  for (const alert of alerts) hash.update(`${line(triageAlert(alert, { index, batch }))}\n`);
  const firstPass = now() - t;
  const digest = hash.digest('hex');

  const rows = { 'end-to-end, fresh index': [], 'end-to-end (warm)': [], correlate: [], rules: [], verdict: [], record: [] };
  const perRule = new Map(RULES.map((r) => [r.id, []]));
  let sink = 0;
  for (let run = 0; run < runs; run++) {
    // A new index over the same objects: its per-node and per-pod caches start empty, the compiled code does not.
    const fresh = buildIndex(snapshots);
    t = now();
    for (const alert of alerts) sink += line(triageAlert(alert, { index: fresh, batch })).length;
    rows['end-to-end, fresh index'].push(now() - t);

    t = now();
    for (const alert of alerts) sink += line(triageAlert(alert, { index, batch })).length;
    rows['end-to-end (warm)'].push(now() - t);

    t = now();
    const placed = alerts.map((alert) => correlateAlert(alert, { index }));
    rows.correlate.push(now() - t);

    const evidence = alerts.map(() => []);
    let rulesTotal = 0n;
    for (const rule of RULES) {
      t = now();
      for (let i = 0; i < n; i++) {
        const p = placed[i];
        if (p) evidence[i].push(...rule.evaluate({ alert: alerts[i], correlation: p.correlation, index: p.index, batch }));
      }
      const spent = now() - t;
      perRule.get(rule.id).push(spent);
      rulesTotal += spent;
    }
    rows.rules.push(rulesTotal);

    t = now();
    const results = alerts.map((alert, i) => {
      const correlation = placed[i]?.correlation ?? { subject: { via: [] }, notes: [] };
      return { alert, correlation, verdict: decide(alert, correlation, evidence[i], placed[i]?.index) };
    });
    rows.verdict.push(now() - t);

    t = now();
    for (const result of results) sink += `${line(result)}\n`.length;
    rows.record.push(now() - t);
  }

  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profilePath, JSON.stringify(profile));
    session.disconnect();
    process.stdout.write(`profile written to ${profilePath}\n`);
  }

  // The same alerts read again in this thread only (no reader threads): decoding and mapping per alert, in CPU time.
  // Last, so that its garbage does not weigh on the passes above.
  t = now();
  let readHere = 0;
  for await (const event of readAlerts([input], { workers: 0 })) {
    if (event.kind === 'alert' && ++readHere >= n) break;
  }
  const readHereNs = now() - t;

  const best = (list) => (list.length ? list.reduce((a, b) => (b < a ? b : a)) : NaN);
  const row = (name, ns) => `${name.padEnd(34)}${micros(ns, n).toFixed(2).padStart(10)} µs/alert\n`;
  process.stdout.write(`\n${n} alerts, best of ${runs} warm passes (first pass: caches cold)\n`);
  process.stdout.write(row('read (decode + map, one thread)', readHereNs));
  process.stdout.write(row('end-to-end, first pass', firstPass));
  for (const [name, list] of Object.entries(rows)) process.stdout.write(row(name, best(list)));
  for (const [id, list] of perRule) process.stdout.write(row(`  rule ${id}`, best(list)));
  process.stdout.write(`\nsha256 of the NDJSON lines: ${digest}\n`);
  if (sink < 0) process.stdout.write('');
}

await main();
