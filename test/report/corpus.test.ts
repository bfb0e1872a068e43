import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditLogs } from '../../src/cluster/audit.js';
import { buildIndex } from '../../src/cluster/index.js';
import { loadSnapshots } from '../../src/cluster/load.js';
import type { ClusterSnapshot } from '../../src/cluster/model.js';
import { reportFormats } from '../../src/report/formats.js';
import type { ReportFormat } from '../../src/report/model.js';
import type { Summary } from '../../src/report/summary.js';
import { run } from '../../src/run.js';

/**
 * Every report format over the development corpus, through the real pipeline: the formats agree with the summary,
 * stay within their limits, and two runs give byte-identical files. (Labels and causes are the rules' business and
 * are not checked here.)
 */
const CORPUS = resolve(process.cwd(), '../shared/corpus/eks-calico');

describe.skipIf(!existsSync(CORPUS))('report formats over the eks-calico corpus', () => {
  let dir: string;
  let snapshots: ClusterSnapshot[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kdr-corpus-'));
    const quiet = () => {};
    snapshots = await loadSnapshots([join(CORPUS, 'cluster.json')], quiet, { clusterName: 'shop-prod-eks' });
    const audit = await readAuditLogs([join(CORPUS, 'audit.jsonl')], quiet);
    snapshots[0].execSessions.push(...audit.execSessions);
    snapshots[0].auditActivities.push(...audit.auditActivities);
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function report(format: ReportFormat, name: string): Promise<{ text: string; summary: Summary }> {
    const output = join(dir, name);
    const outcome = await run({
      inputs: [join(CORPUS, 'alerts')],
      read: {},
      index: buildIndex(snapshots),
      snapshots,
      format,
      output,
      color: false,
      explain: false,
      warn: () => {},
    });
    return { text: readFileSync(output, 'utf8'), summary: outcome.summary };
  }

  it.each(reportFormats.map((f) => [f.id, f] as const))('%s agrees with the summary and is deterministic', async (id, format) => {
    const first = await report(format, `${id}-1`);
    const second = await report(format, `${id}-2`);
    expect(second.text).toBe(first.text);
    const s = first.summary;
    expect(s.alertsRead).toBe(s.triaged + s.rejected);
    expect(s.triaged).toBeGreaterThanOrEqual(80);
    const genuine = s.byLabel.genuine ?? 0;
    switch (id) {
      case 'markdown':
        expect(Buffer.byteLength(first.text)).toBeLessThan(1_000_000);
        expect(first.text).toContain(`## Genuine alerts (${genuine})`);
        expect(first.text.match(/^### \d+\. /gm)?.length ?? 0).toBe(genuine);
        break;
      case 'csv': {
        const rows: string[][] = parse(first.text);
        expect(rows.length).toBe(s.triaged + 1);
        expect(rows.every((r) => r.length === rows[0].length)).toBe(true);
        const label = rows[0].indexOf('kdr_label');
        expect(rows.slice(1).filter((r) => r[label] === 'genuine')).toHaveLength(genuine);
        for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
        break;
      }
      case 'html': {
        const data = JSON.parse(/id="kdr-data">([^<]*)</.exec(first.text)?.[1] ?? '{}') as { rows: unknown[] };
        expect(data.rows).toHaveLength(s.triaged);
        expect(first.text.match(/<rect class="bar"/g)?.length ?? 0).toBeGreaterThan(3);
        break;
      }
      case 'junit':
        expect(first.text.match(/<testcase /g)).toHaveLength(s.triaged);
        expect(first.text.match(/<failure /g)?.length ?? 0).toBe(genuine);
        break;
    }
  }, 60_000);
});
