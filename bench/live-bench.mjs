#!/usr/bin/env node
/**
 * Benchmark (not a test): capture simulated clusters of 10k, 50k and 150k pods (30 pods per node, so 5,000 nodes at
 * the top) from the loopback test API server through the real client library, and report fetch time, snapshot
 * write/read time and size, and peak RSS of the capturing process.
 *
 *   node bench/live-bench.mjs [pods…]        e.g. node bench/live-bench.mjs 10000 50000 150000
 *
 * Compiles the TypeScript sources into a temporary directory first (tsc), then runs the server and each capture in
 * their own processes so that every figure belongs to one capture alone.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
// Everything (compiled sources, kubeconfigs, snapshots) goes to a temporary directory, never into the repository.
const work = mkdtempSync(join(tmpdir(), 'kdr-live-bench-'));
const build = join(work, 'build');
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (sizes.length === 0) sizes.push(10_000, 50_000, 150_000);

const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json'), '--outDir', build, '--noEmit', 'false'], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
writeFileSync(join(build, 'package.json'), '{"type":"module"}\n');
symlinkSync(join(root, 'node_modules'), join(build, 'node_modules'), 'dir');

function kubeconfig(info) {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'bench', cluster: { server: info.url, 'certificate-authority-data': Buffer.from(info.caPem).toString('base64') } }],
    users: [{ name: 'bench', user: { token: info.token } }],
    contexts: [{ name: 'bench', context: { cluster: 'bench', user: 'bench' } }],
    'current-context': 'bench',
  });
}

async function runSize(pods) {
  const nodes = Math.max(1, Math.round(pods / 30));
  const server = spawn(process.execPath, [join(build, 'bench/live-bench.server.js'), String(nodes), String(pods)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: server.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('the benchmark server did not start');
  const info = JSON.parse(first.value);
  const configPath = join(work, `kubeconfig-${pods}`);
  writeFileSync(configPath, kubeconfig(info));
  const client = spawnSync(process.execPath, [join(build, 'bench/live-bench.client.js'), configPath, join(work, `snapshot-${pods}`)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  server.stdin.end();
  const second = await lines.next();
  if (client.status !== 0) throw new Error(`capture of ${pods} pods failed (exit ${client.status})`);
  rmSync(join(work, `snapshot-${pods}.json`), { force: true });
  rmSync(join(work, `snapshot-${pods}.json.gz`), { force: true });
  const result = JSON.parse(client.stdout.trim().split('\n').pop());
  return second.done ? result : { ...result, ...JSON.parse(second.value) };
}

const rows = [];
for (const pods of sizes) {
  const r = await runSize(pods);
  rows.push(r);
  process.stderr.write(`${JSON.stringify(r)}\n`);
}
const columns = [
  ['pods', 'pods'],
  ['nodes', 'nodes'],
  ['events', 'events'],
  ['importSeconds', 'client import s'],
  ['fetchSeconds', 'fetch s'],
  ['fetchCpuSeconds', 'fetch CPU s'],
  ['serverCpuSeconds', 'server CPU s'],
  ['peakAfterFetchMiB', 'peak RSS after fetch MiB'],
  ['heapAfterFetchMiB', 'heap held MiB'],
  ['writeJsonSeconds', 'write .json s'],
  ['writeJsonCpuSeconds', 'CPU s'],
  ['jsonMiB', '.json MiB'],
  ['writeGzSeconds', 'write .gz s'],
  ['writeGzCpuSeconds', 'CPU s'],
  ['gzMiB', '.gz MiB'],
  ['readGzSeconds', 'read .gz s'],
  ['readGzCpuSeconds', 'CPU s'],
  ['peakOverallMiB', 'peak RSS overall MiB'],
];
// Wall times depend on what else the machine is doing; CPU seconds much less so.
console.log(`Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end\n`);
console.log(`| ${columns.map(([, title]) => title).join(' | ')} |`);
console.log(`|${columns.map(() => '---:').join('|')}|`);
for (const r of rows) console.log(`| ${columns.map(([key]) => (typeof r[key] === 'number' ? r[key].toLocaleString('en-US') : r[key])).join(' | ')} |`);
