/**
 * Benchmark helper: one capture in a fresh process. Fetches through the real client library, writes the snapshot
 * (plain and gzip), reads both back, and reports wall times, sizes and peak RSS after each phase as one JSON line.
 */
import { statSync } from 'node:fs';
import { fetchSnapshot, loadClientLibrary } from '../src/cluster/live.js';
import { readSnapshotFile, writeSnapshot } from '../src/cluster/snapshot-file.js';

const [kubeconfig, outputBase] = process.argv.slice(2);
const mib = (bytes: number): number => Math.round(bytes / 1048576);
const peakMiB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

let lastCpuSeconds = 0;
/** Wall seconds of `fn`; its CPU seconds (user + system) are left in lastCpuSeconds. */
async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const value = await fn();
  const cpu = process.cpuUsage(cpuBefore);
  lastCpuSeconds = Math.round((cpu.user + cpu.system) / 1000) / 1000;
  return [value, Math.round(performance.now() - started) / 1000];
}

const result: Record<string, number | string> = {};
// The ~0.9 s import of the client library is a one-off start-up cost; measured apart from the listing itself.
result.importSeconds = (await timed(() => loadClientLibrary()))[1];
const [snapshot, fetchSeconds] = await timed(() => fetchSnapshot({ kubeconfig, timeoutMs: 60_000, warn: (m) => process.stderr.write(`${m}\n`), env: {} }));
result.pods = snapshot.objects.pods.length;
result.nodes = snapshot.objects.nodes.length;
result.events = snapshot.objects.events.length;
result.fetchSeconds = fetchSeconds;
result.fetchCpuSeconds = lastCpuSeconds;
result.peakAfterFetchMiB = peakMiB();
result.heapAfterFetchMiB = mib(process.memoryUsage().heapUsed);

const plain = `${outputBase}.json`;
const gz = `${outputBase}.json.gz`;
result.writeJsonSeconds = (await timed(() => writeSnapshot(snapshot, plain)))[1];
result.writeJsonCpuSeconds = lastCpuSeconds;
result.jsonMiB = mib(statSync(plain).size);
result.writeGzSeconds = (await timed(() => writeSnapshot(snapshot, gz)))[1];
result.writeGzCpuSeconds = lastCpuSeconds;
result.gzMiB = mib(statSync(gz).size);
result.peakAfterWriteMiB = peakMiB();

const [readBack, readSeconds] = await timed(() => readSnapshotFile(gz));
result.readGzSeconds = readSeconds;
result.readGzCpuSeconds = lastCpuSeconds;
result.readPods = readBack[0].objects.pods.length;
result.peakOverallMiB = peakMiB();
process.stdout.write(`${JSON.stringify(result)}\n`);
