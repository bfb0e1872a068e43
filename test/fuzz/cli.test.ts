/**
 * The real executable on fuzzed exports: a directory of files of several kinds, encodings and line ends, read
 * with a snapshot. The JSON summary must account for every record (read = triaged + rejected, and both equal
 * what was written), every rejection must be one warning naming file and line, stderr must carry no terminal
 * control, and the run must succeed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSnapshot } from '../../src/cluster/snapshot-file.js';
import { BUILT, runCli } from '../exit-codes/run-cli.js';
import { fuzzSnapshot } from './cluster.js';
import { controlIn } from './reports.js';
import { buildFile, FILE_KINDS, kindById, layoutArb } from './seeds.js';
import { check, scratch, Tally, TIMEOUT } from './support.js';

const tally = new Tally('cli');
let dir: string;
let remove: () => void;
let snapshotPath: string;
let runNo = 0;

beforeAll(async () => {
  ({ dir, remove } = scratch('cli'));
  snapshotPath = join(dir, 'cluster.json');
  await writeSnapshot(fuzzSnapshot(), snapshotPath);
});
afterAll(() => {
  tally.report();
  remove();
});

interface JsonReport {
  verdicts: { source: { file: string; record: number } }[];
  summary: { alertsRead: number; triaged: number; rejected: number; warnings: string[]; warningsByKind: Record<string, number>; files: { file: string; records: number }[] };
}

describe.skipIf(!BUILT)('CLI on fuzzed exports', () => {
  it(
    'accounts for every record and warns once per bad record, with file and line',
    async () => {
      const files = fc.uniqueArray(fc.constantFrom(...FILE_KINDS.map((k) => k.id)), { minLength: 1, maxLength: 3 }).chain((ids) => fc.tuple(...ids.map((id) => layoutArb(kindById(id), { maxRecords: 8 }))));
      await check(
        fc.asyncProperty(files, async (layouts) => {
          const runDir = join(dir, `run${++runNo}`);
          mkdirSync(runDir);
          let alerts = 0;
          let rejected = 0;
          const expectedWarnings: string[] = [];
          layouts.forEach((layout, i) => {
            const built = buildFile(layout);
            // Sorted names: the directory walk reads them in this order.
            const path = join(runDir, `${i}-${layout.kind}${kindById(layout.kind).extension}`);
            writeFileSync(path, built.bytes);
            built.expected.forEach((e, n) => {
              if (e.outcome === 'alert') alerts++;
              if (e.outcome === 'rejected') {
                rejected++;
                expectedWarnings.push(`kdr-triage: warning: ${path}:${e.line}: record ${n + 1} skipped: `);
              }
            });
          });
          tally.add('records', alerts + rejected);
          const result = await runCli([runDir, '--snapshot', snapshotPath, '--format', 'json']);
          expect(result.code, result.stderr).toBe(0);
          const report = JSON.parse(result.stdout) as JsonReport;
          expect(report.summary.alertsRead).toBe(report.summary.triaged + report.summary.rejected);
          expect({ triaged: report.summary.triaged, rejected: report.summary.rejected }).toEqual({ triaged: alerts, rejected });
          expect(report.verdicts).toHaveLength(alerts);
          expect(report.summary.warningsByKind['bad-record'] ?? 0).toBe(rejected);
          const warningLines = result.stderr.split('\n').filter((l) => l.includes(': skipped: ') || / record \d+ skipped: /.test(l));
          expect(warningLines).toHaveLength(rejected);
          warningLines.forEach((line, i) => expect(line.startsWith(expectedWarnings[i]), `${line}\n  expected to start with\n${expectedWarnings[i]}`).toBe(true));
          expect(controlIn(result.stderr), 'terminal control on stderr').toBeUndefined();
          tally.add('alerts', alerts);
          tally.add('rejected', rejected);
        }),
        4,
        tally,
        { shrink: false },
      );
    },
    TIMEOUT,
  );
});
