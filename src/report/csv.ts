import type { Writable } from 'node:stream';
import type { TriageResult } from '../triage/model.js';
import { leadingReason, nodeName, workloadName } from './describe.js';
import { neutralizeCsvCell, stripControl, truncate } from './escape.js';
import type { ReportFormat, ReportOptions, ReportSink } from './model.js';

/**
 * `--format csv`: the analyst's own columns passed through, with the verdict appended.
 *
 * - Original columns (`alert.raw`): for CSV inputs the original header and cells; for JSON and NDJSON inputs the
 *   top-level fields, scalars as text and objects or arrays as compact JSON.
 * - The header is fixed by the first alert (the output streams, so the union of all keys cannot be known): its raw
 *   columns, then the verdict columns. Later alerts fill the columns they share by name and leave the others empty;
 *   their other fields are not written (`kdr_file`, `kdr_record` and `kdr_id` still identify every row).
 * - Cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR, or their
 *   full-width forms) get a leading `'`; terminal control sequences are removed; cells are cut at 32,000 characters
 *   (Excel holds 32,767).
 * - RFC 4180 quoting, `\n` line ends, UTF-8 without a byte-order mark.
 */
export const VERDICT_COLUMNS = [
  'kdr_label',
  'kdr_confidence',
  'kdr_cause',
  'kdr_context',
  'kdr_cluster',
  'kdr_node',
  'kdr_namespace',
  'kdr_pod',
  'kdr_workload',
  'kdr_reason',
  'kdr_file',
  'kdr_record',
  'kdr_vendor',
  'kdr_id',
] as const;
type VerdictColumn = (typeof VERDICT_COLUMNS)[number] | 'kdr_baseline';

const MAX_CELL = 32_000;

export function csvQuote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Clean, neutralise and quote one cell. */
export function csvCell(value: string): string {
  return csvQuote(neutralizeCsvCell(truncate(stripControl(value, { multiline: true }), MAX_CELL)));
}

/** A raw field as cell text: scalars as text, structures as compact JSON. */
export function rawCellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
  } catch {
    return '';
  }
}

/** The verdict cells of one result, `kdr_baseline` aside (a triage thread renders these; only the sink knows the baseline). */
export function verdictCellValues(result: TriageResult): Record<(typeof VERDICT_COLUMNS)[number], string> {
  const { alert, correlation, verdict } = result;
  const pod = correlation.subject.pod;
  return {
    kdr_label: verdict.label,
    kdr_confidence: (Math.round(verdict.confidence * 100) / 100).toFixed(2),
    kdr_cause: verdict.cause,
    kdr_context: verdict.context,
    kdr_cluster: correlation.cluster ?? '',
    kdr_node: nodeName(result) ?? '',
    kdr_namespace: pod?.metadata.namespace ?? '',
    kdr_pod: pod?.metadata.name ?? '',
    kdr_workload: workloadName(result) ?? '',
    kdr_reason: leadingReason(result)?.message ?? '',
    kdr_file: alert.source.file,
    kdr_record: String(alert.source.record),
    kdr_vendor: alert.source.vendor,
    kdr_id: alert.id,
  };
}

function verdictValues(result: TriageResult, baseline: ReportOptions['baseline']): Record<VerdictColumn, string> {
  return { ...verdictCellValues(result), kdr_baseline: baseline ? (baseline.has(result) ? 'known' : 'new') : '' };
}

class CsvSink implements ReportSink {
  private rawColumns: string[] | null = null;
  private verdictColumns: { name: string; key: VerdictColumn }[] = [];

  constructor(
    private readonly out: Writable,
    private readonly options: ReportOptions,
  ) {}

  private writeHeader(raw: Record<string, unknown>): void {
    this.rawColumns = Object.keys(raw);
    const taken = new Set(this.rawColumns);
    const keys: VerdictColumn[] = [...VERDICT_COLUMNS, ...(this.options.baseline ? (['kdr_baseline'] as const) : [])];
    this.verdictColumns = keys.map((key) => {
      // An input that already has a column of this name keeps it; ours gets a suffix.
      let name: string = key;
      for (let i = 2; taken.has(name); i++) name = `${key}_${i}`;
      taken.add(name);
      return { name, key };
    });
    const header = [...this.rawColumns, ...this.verdictColumns.map((c) => c.name)];
    this.out.write(header.map(csvCell).join(',') + '\n');
  }

  add(result: TriageResult): void {
    const raw = result.alert.raw ?? {};
    if (this.rawColumns === null) this.writeHeader(raw);
    const values = verdictValues(result, this.options.baseline);
    const cells = [
      ...(this.rawColumns as string[]).map((column) => (Object.prototype.hasOwnProperty.call(raw, column) ? rawCellText(raw[column]) : '')),
      ...this.verdictColumns.map((c) => values[c.key]),
    ];
    this.out.write(cells.map(csvCell).join(',') + '\n');
  }

  finish(): Promise<void> {
    if (this.rawColumns === null) this.writeHeader({});
    return new Promise((resolve, reject) => this.out.write('', (error) => (error ? reject(error) : resolve())));
  }
}

export const csvFormat: ReportFormat = {
  id: 'csv',
  description: "CSV: the input's own columns plus the verdict columns, safe to open in a spreadsheet",
  create: (out, options) => new CsvSink(out, options),
};
