import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvCell, csvFormat, rawCellText, VERDICT_COLUMNS } from '../../src/report/csv.js';
import type { TriageResult } from '../../src/triage/model.js';
import { makeResult, sampleResults, sampleSummary, XSS_COMMAND } from '../support/results.js';
import { render } from '../support/render.js';

const parseCsv = (text: string): string[][] => parse(text, { relax_column_count: false });

describe('csv report', () => {
  it('passes the first file’s columns through and appends the verdict columns', async () => {
    const rows = parseCsv(await render(csvFormat, sampleResults(), sampleSummary()));
    expect(rows[0]).toEqual(['Timestamp', 'AlertId', 'Title', 'DeviceName', 'ProcessCommandLine', ...VERDICT_COLUMNS]);
    expect(rows).toHaveLength(7);
    const header = rows[0];
    const row = (i: number) => Object.fromEntries(header.map((h, j) => [h, rows[i][j]]));
    expect(row(1)).toMatchObject({
      AlertId: 'da001',
      ProcessCommandLine: 'iptables-restore --noflush --wait 10',
      kdr_label: 'likely-false-positive',
      kdr_confidence: '0.85',
      kdr_cause: 'node-networking',
      kdr_context: 'full',
      kdr_cluster: 'shop-prod',
      kdr_node: 'ip-10-0-12-34.internal',
      kdr_namespace: 'kube-system',
      kdr_pod: 'calico-node-x7k2p',
      kdr_workload: 'DaemonSet/kube-system/calico-node',
      kdr_reason: 'iptables-restore is run by container calico-node of DaemonSet kube-system/calico-node on this node.',
      kdr_file: 'alerts/defender.csv',
      kdr_record: '1',
      kdr_vendor: 'defender',
      kdr_id: 'da001',
    });
    // The ping-pong alert's first reason is the benign one that decided it.
    expect(row(2).kdr_reason).toMatch(/^payments-7d4b9c6f58-rk9vz restarted 44 times/);
    // Rows from another file fill only the columns they share, and stay identifiable.
    expect(row(5)).toMatchObject({ Timestamp: '', AlertId: '', kdr_file: 'alerts/falco.ndjson', kdr_record: '1', kdr_label: 'likely-false-positive' });
  });

  it('neutralises formulas and keeps payloads as inert text', async () => {
    const rows = parseCsv(await render(csvFormat, sampleResults(), sampleSummary()));
    const genuine = rows[4];
    expect(genuine[2]).toBe(`'=HYPERLINK("http://evil.example/x","click")`);
    expect(genuine[4]).toBe(XSS_COMMAND);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it.each([
    ['quotes', 'say "hi"', '"say ""hi"""'],
    ['commas', 'a,b', '"a,b"'],
    ['newlines kept inside quotes', 'a\nb', '"a\nb"'],
    ['CR LF normalised', 'a\r\nb', '"a\nb"'],
    ['terminal escapes removed', '\x1b[31mred\x1b[0m', 'red'],
    ['formula', '=1+1', "'=1+1"],
    ['formula after a stripped escape', '\x1b[0m=1+1', "'=1+1"],
    ['leading tab', '\tx', "'\tx"],
    ['plain', 'plain', 'plain'],
  ])('cell: %s', (_name, input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('cuts giant cells below the spreadsheet limit', () => {
    expect(csvCell('x'.repeat(100_000)).length).toBeLessThanOrEqual(32_000);
  });

  it.each([
    ['string', 'a', 'a'],
    ['number', 42, '42'],
    ['boolean', false, 'false'],
    ['null', null, ''],
    ['object', { a: [1, 'b'] }, '{"a":[1,"b"]}'],
    ['bigint', 12345678901234567890n, '12345678901234567890'],
  ])('raw %s', (_name, value, expected) => {
    expect(rawCellText(value)).toBe(expected);
  });

  it('flattens JSON records to their top-level fields', async () => {
    const results = sampleResults().slice(4);
    const rows = parseCsv(await render(csvFormat, results, sampleSummary(results)));
    expect(rows[0].slice(0, 5)).toEqual(['time', 'rule', 'priority', 'output_fields', 'tags']);
    expect(rows[1].slice(0, 5)).toEqual(['2026-11-20T11:50:30Z', 'Terminal shell in container', 'Notice', '{"proc.cmdline":"sh -c jcmd 1 GC.heap_info"}', '["shell","mitre_execution"]']);
    // The second record's extra fields (hostname, extra) are not columns of the first: dropped, documented.
    expect(rows[0]).not.toContain('extra');
  });

  it('renames a verdict column that the input already has', async () => {
    const r = makeResult({ raw: { kdr_label: 'mine', x: '1' } });
    const rows = parseCsv(await render(csvFormat, [r], sampleSummary([r])));
    expect(rows[0].slice(0, 4)).toEqual(['kdr_label', 'x', 'kdr_label_2', 'kdr_confidence']);
    expect(rows[1].slice(0, 3)).toEqual(['mine', '1', 'genuine']);
  });

  it('neutralises header cells too', async () => {
    const r = makeResult({ raw: { '=cmd|calc': 'v' } });
    const rows = parseCsv(await render(csvFormat, [r], sampleSummary([r])));
    expect(rows[0][0]).toBe("'=cmd|calc");
  });

  it('writes the verdict header alone for an empty run, and a baseline column when asked', async () => {
    expect(await render(csvFormat, [], sampleSummary([]))).toBe(VERDICT_COLUMNS.join(',') + '\n');
    const results = sampleResults();
    const baseline = { has: (r: TriageResult) => r.alert.id === 'da001' };
    const rows = parseCsv(await render(csvFormat, results, sampleSummary(results), { baseline }));
    const col = rows[0].indexOf('kdr_baseline');
    expect(rows.slice(1).map((r) => r[col])).toEqual(['known', 'new', 'new', 'new', 'new', 'new']);
  });

  it('is byte-identical for the same input', async () => {
    expect(await render(csvFormat, sampleResults(), sampleSummary())).toBe(await render(csvFormat, sampleResults(), sampleSummary()));
  });
});
