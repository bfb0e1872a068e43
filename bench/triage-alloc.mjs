/**
 * Bytes allocated per alert by the triage, by stage and by rule, and where (issue 7: minor GC is a large share of the
 * per-alert CPU). Loads a snapshot, reads the alerts, warms the code on the first 3,000, then on a fresh index:
 *
 *   --mode stages   heap growth per stage (correlate, each rule, verdict, record) over chunks of 200 alerts, with a
 *                   young generation large enough that no collection runs inside a chunk (needs the node flags below)
 *   --mode sites    V8's sampling heap profiler over one end-to-end pass, objects later collected included: bytes per
 *                   alert by allocating function (self), the top --top (default 40)
 *
 *   node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 bench/triage-alloc.mjs \
 *     --snapshot S --input A [--limit 20000] [--mode stages|sites] [--dist DIR]
 *
 * With --dist DIR another build is measured on the same inputs (before/after). Figures vary by ±100–300 B between
 * runs (compiled code and feedback vectors are allocated on the same heap); compare rows, not single bytes.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const distArg = arg('dist', undefined);
const dist = distArg ? pathToFileURL(`${resolve(distArg)}/`) : new URL('../dist/', import.meta.url);
const load = (path) => import(new URL(path, dist).href);

const snapshot = arg('snapshot', undefined);
const input = arg('input', undefined);
if (!snapshot || !input) throw new Error('usage: triage-alloc.mjs --snapshot S --input A [--limit N] [--mode stages|sites] [--dist DIR]');
const limit = Number(arg('limit', '20000'));
const mode = arg('mode', 'stages');
const CHUNK = 200;
const WARM = 3000;

const { loadSnapshots } = await load('cluster/load.js');
const { buildIndex } = await load('cluster/index.js');
const { readAlerts } = await load('alerts/read.js');
const { triageAlert, correlateAlert } = await load('triage/pipeline.js');
const { RULES } = await load('triage/rules/index.js');
const { decide } = await load('triage/verdict.js');
const { toVerdictRecord } = await load('report/verdict-record.js');
const line = (result) => JSON.stringify(toVerdictRecord(result));

const snapshots = await loadSnapshots([snapshot], () => {});
const alerts = [];
for await (const event of readAlerts([input], { workers: 0 })) {
  if (event.kind === 'alert') alerts.push(event.alert);
  if (alerts.length >= limit) break;
}
const n = alerts.length;
{
  const warmIndex = buildIndex(snapshots);
  for (const alert of alerts.slice(0, WARM)) line(triageAlert(alert, { index: warmIndex }));
}
const index = buildIndex(snapshots);
const perAlert = (bytes) => `${(bytes / n).toFixed(0).padStart(8)} B/alert`;

if (mode === 'stages') {
  if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc --min-semi-space-size=64 --max-semi-space-size=64');
  const used = () => process.memoryUsage().heapUsed;
  const NO_CONTEXT = { subject: { via: [] }, notes: [] };
  const stages = { correlate: 0, rules: 0, verdict: 0, record: 0 };
  const perRule = new Map(RULES.map((r) => [r.id, 0]));
  let sink = 0;
  for (let start = 0; start < n; start += CHUNK) {
    const chunk = alerts.slice(start, start + CHUNK);
    globalThis.gc();
    let before = used();
    const placed = chunk.map((alert) => correlateAlert(alert, { index }));
    stages.correlate += used() - before;
    const evidence = chunk.map(() => []);
    for (const rule of RULES) {
      before = used();
      for (let i = 0; i < chunk.length; i++) {
        const p = placed[i];
        if (p) for (const e of rule.evaluate({ alert: chunk[i], correlation: p.correlation, index: p.index })) evidence[i].push(e);
      }
      const spent = used() - before;
      perRule.set(rule.id, perRule.get(rule.id) + spent);
      stages.rules += spent;
    }
    before = used();
    const results = chunk.map((alert, i) => {
      const correlation = placed[i]?.correlation ?? NO_CONTEXT;
      return { alert, correlation, verdict: decide(alert, correlation, evidence[i], placed[i]?.index) };
    });
    stages.verdict += used() - before;
    before = used();
    for (const result of results) sink += `${line(result)}\n`.length;
    stages.record += used() - before;
  }
  let total = 0;
  process.stdout.write(`${n} alerts, heap growth per stage (chunks of ${CHUNK}, no collection inside a chunk)\n`);
  for (const [name, bytes] of Object.entries(stages)) {
    total += bytes;
    process.stdout.write(`${name.padEnd(30)}${perAlert(bytes)}\n`);
  }
  process.stdout.write(`${'total'.padEnd(30)}${perAlert(total)}\n`);
  for (const [id, bytes] of perRule) process.stdout.write(`${`  rule ${id}`.padEnd(30)}${perAlert(bytes)}\n`);
  if (sink < 0) process.stdout.write('');
} else if (mode === 'sites') {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  let sink = 0;
  for (const alert of alerts) sink += line(triageAlert(alert, { index })).length;
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  const bySite = new Map();
  let total = 0;
  const walk = (node) => {
    const frame = node.callFrame;
    const site = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/dist\//, '')}:${frame.lineNumber + 1}`;
    total += node.selfSize;
    if (node.selfSize) bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  process.stdout.write(`${n} alerts, one end-to-end pass: ${perAlert(total)} sampled\n`);
  const top = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, Number(arg('top', '40')));
  for (const [site, bytes] of top) process.stdout.write(`${perAlert(bytes)}  ${site}\n`);
  if (sink < 0) process.stdout.write('');
} else {
  throw new Error(`--mode stages or sites, not ${mode}`);
}
