/**
 * The independent validation scenarios (test/fixtures/scenarios/<name>, each with its README and expected verdicts):
 * labelled by analysts who had not read the rule sources. The built CLI runs over a scenario and is scored the way
 * ../shared/tools/score.py scores the development corpus (key = basename of source.file + source.record; an
 * `either` row accepts any label).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'kdr-triage.js');

export interface ScenarioOptions {
  /** Folder under test/fixtures/scenarios. */
  name: string;
  /** CLI arguments after the alert folder, relative to the scenario folder (snapshot, audit log). */
  context: string[];
  alerts: number;
  /** Label accuracy the tool must keep; raised as the rules improve. */
  minAccuracy: number;
  /** Alerts whose label and cause must both be right (the cause is what an analyst reads first); raised as it improves. */
  minLabelAndCause?: number;
}

interface LabelRow {
  file: string;
  record: string;
  expected: 'likely-false-positive' | 'genuine' | 'either';
  cause: string;
  note: string;
}

interface Verdict {
  source: { file: string; record: number; vendor: string };
  label: string;
  cause: string;
  reasons: { rule: string; message: string }[];
}

interface Miss {
  key: string;
  expected: string;
  got: string;
  reason: string;
}

interface Score {
  total: number;
  missing: string[];
  genuine: number;
  genuineKept: number;
  falsePositives: number;
  falsePositivesFound: number;
  correct: number;
  labelAndCause: number;
  misses: Miss[];
  /** expected cause → "label/cause" the tool gave → count */
  confusion: Map<string, Map<string, number>>;
}

const keyOf = (file: string, record: number | string): string => `${basename(file)}#${Number(record)}`;

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

function score(labels: LabelRow[], verdicts: Verdict[]): Score {
  const got = new Map(verdicts.map((v) => [keyOf(v.source.file, v.source.record), v]));
  const s: Score = {
    total: labels.length,
    missing: [],
    genuine: 0,
    genuineKept: 0,
    falsePositives: 0,
    falsePositivesFound: 0,
    correct: 0,
    labelAndCause: 0,
    misses: [],
    confusion: new Map(),
  };
  for (const row of labels) {
    const key = keyOf(row.file, row.record);
    const v = got.get(key);
    if (!v) s.missing.push(key);
    const label = v?.label ?? 'MISSING';
    const cause = v?.cause ?? 'MISSING';
    const byCause = s.confusion.get(row.cause) ?? new Map<string, number>();
    byCause.set(`${label}/${cause}`, (byCause.get(`${label}/${cause}`) ?? 0) + 1);
    s.confusion.set(row.cause, byCause);
    const ok = row.expected === 'either' ? label === 'genuine' || label === 'likely-false-positive' : label === row.expected;
    if (ok) s.correct++;
    if (ok && cause === row.cause) s.labelAndCause++;
    if (row.expected === 'genuine') {
      s.genuine++;
      if (ok) s.genuineKept++;
    } else if (row.expected === 'likely-false-positive') {
      s.falsePositives++;
      if (ok) s.falsePositivesFound++;
    }
    if (!ok) s.misses.push({ key, expected: `${row.expected}/${row.cause}`, got: `${label}/${cause}`, reason: v?.reasons[0]?.message ?? '' });
  }
  return s;
}

function report(name: string, s: Score): string {
  const lines = [`${name}: per-cause confusion (expected cause → label/cause given)`];
  for (const cause of [...s.confusion.keys()].sort()) {
    const cells = [...(s.confusion.get(cause) ?? new Map<string, number>()).entries()].sort(([a], [b]) => a.localeCompare(b));
    lines.push(`  ${cause.padEnd(20)} ${cells.map(([k, n]) => `${k}=${n}`).join(', ')}`);
  }
  for (const m of s.misses) lines.push(`  miss ${m.key}: expected ${m.expected}, got ${m.got} — ${m.reason.slice(0, 160)}`);
  lines.push(
    `  alerts ${s.total}, missing ${s.missing.length}, genuine kept ${s.genuineKept}/${s.genuine}, ` +
      `false positives identified ${s.falsePositivesFound}/${s.falsePositives}, accuracy ${((100 * s.correct) / s.total).toFixed(1)}%, ` +
      `label+cause ${s.labelAndCause}/${s.total}`,
  );
  return lines.join('\n');
}

export function scenarioSuite(options: ScenarioOptions): void {
  const dir = join(ROOT, 'test', 'fixtures', 'scenarios', options.name);
  describe(`${options.name} validation scenario (built CLI)`, () => {
    let labels: LabelRow[];
    let result: Score;

    beforeAll(async () => {
      if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` (npm test builds before running vitest)');
      labels = parse(readFileSync(join(dir, 'expected-verdicts.csv'), 'utf8'), { columns: true, skip_empty_lines: true }) as LabelRow[];
      const args = options.context.map((a) => (a.startsWith('--') ? a : join(dir, a)));
      const run = await runCli([join(dir, 'alerts'), ...args, '--format', 'ndjson']);
      expect(run.code, run.stderr).toBe(0);
      const verdicts = run.stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Verdict);
      result = score(labels, verdicts);
      console.log(report(options.name, result));
    }, 60_000);

    it('has a labelled verdict for every alert', () => {
      expect(labels).toHaveLength(options.alerts);
      expect(result.missing).toEqual([]);
    });

    it('keeps every expected-genuine alert genuine', () => {
      const dismissed = result.misses.filter((m) => m.expected.startsWith('genuine/'));
      expect(dismissed).toEqual([]);
      expect(result.genuineKept).toBe(result.genuine);
    });

    it(`labels at least ${options.minAccuracy * 100} % of the alerts right`, () => {
      expect(result.correct / result.total).toBeGreaterThanOrEqual(options.minAccuracy);
    });

    it.runIf(options.minLabelAndCause !== undefined)(`gives the right label and cause to at least ${options.minLabelAndCause} alerts`, () => {
      expect(result.labelAndCause).toBeGreaterThanOrEqual(options.minLabelAndCause!);
    });
  });
}
