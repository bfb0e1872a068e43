/**
 * Threads must not change a byte: the CLI (compiled, in dist/) triages the same generated export with no thread and
 * with two (triage threads for ndjson and csv; reader threads for the formats that stay on the main thread are
 * covered by test/perf/triage-workers.test.ts), in small frames so that the records spread over many threads and frames.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/kdr-triage.js');
const BUILT = existsSync(join(ROOT, 'dist/parallel/worker.js'));
if (!BUILT) console.warn('test/perf/parallel: dist/ is not built (npm run build); skipping');

let dir: string;

function triage(input: string, snapshot: string, workers: number, format = 'ndjson') {
  const result = spawnSync(process.execPath, [CLI, input, '--snapshot', snapshot, '--format', format], {
    env: { ...process.env, KDR_TRIAGE_WORKERS: String(workers), KDR_TRIAGE_FRAME_BYTES: '16384', NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.skipIf(!BUILT)('parallel and serial reading give byte-identical output', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kdr-parallel-'));
    const gen = spawnSync(process.execPath, [join(ROOT, 'bench/generate.mjs'), '--dir', dir, '--alerts', '2500', '--nodes', '30', '--pods-per-node', '12'], { encoding: 'utf8' });
    expect(gen.status, gen.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const ext of ['csv', 'ndjson', 'json']) {
    it(`${ext}: no reader thread and two reader threads`, () => {
      const input = join(dir, `alerts-2500.${ext}`);
      const snapshot = join(dir, 'cluster-30x12.json');
      const serial = triage(input, snapshot, 0);
      const parallel = triage(input, snapshot, 2);
      expect(serial.status).toBe(0);
      expect(serial.stdout.split('\n').filter(Boolean)).toHaveLength(2500);
      expect(parallel).toEqual(serial);
    }, 60_000);
  }

  it('csv report with the analyst columns passed through: no reader thread and two', () => {
    const input = join(dir, 'alerts-2500.csv');
    const snapshot = join(dir, 'cluster-30x12.json');
    expect(triage(input, snapshot, 2, 'csv')).toEqual(triage(input, snapshot, 0, 'csv'));
  }, 60_000);
});
