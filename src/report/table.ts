import Table from 'cli-table3';
import { Chalk } from 'chalk';
import type { ReportFormat } from './model.js';
import type { Summary } from './summary.js';
import { stripControl } from './escape.js';
import type { TriageResult } from '../triage/model.js';

const BATCH = 200;

function clip(text: string, max: number): string {
  const clean = stripControl(text).replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function where(result: TriageResult): string {
  const s = result.correlation.subject;
  if (s.pod) return `${s.pod.metadata.namespace}/${s.pod.metadata.name}`;
  if (s.node) return s.node.metadata.name;
  return result.alert.host.name ?? result.alert.network?.srcIp ?? '-';
}

/** Human table: one row per alert with its first reason; --explain adds the full chain of evidence. */
export const tableFormat: ReportFormat = {
  id: 'table',
  description: 'a readable table with one line of reason per alert, then the summary (default on a terminal)',
  create(out, options) {
    const chalk = new Chalk({ level: options.color ? 1 : 0 });
    // Fits the terminal: fixed columns for the verdict, the rest shared by the alert and where it ran; the reason
    // gets a full-width row of its own under each alert, so it stays readable on a narrow terminal.
    const width = Math.max(80, Math.min(options.width ?? 160, 220));
    const fixed = [6, 11, 19, 6];
    const flexible = width - fixed.reduce((a, b) => a + b, 0) - 7;
    const alertWidth = Math.max(16, Math.floor(flexible * 0.55));
    const whereWidth = Math.max(14, flexible - alertWidth);
    let rows: TriageResult[] = [];
    let count = 0;
    const labelText = (r: TriageResult) =>
      r.verdict.label === 'genuine' ? chalk.red.bold('GENUINE') : chalk.green('likely FP');
    const flush = () => {
      if (rows.length === 0) return;
      const table = new Table({
        head: count === rows.length ? ['#', 'verdict', 'cause', 'conf', 'alert', 'where'].map((h) => chalk.bold(h)) : [],
        colWidths: [...fixed, alertWidth, whereWidth],
        wordWrap: true,
        style: { head: [], border: [] },
      });
      const first = count - rows.length;
      rows.forEach((r, i) => {
        table.push([
          String(first + i + 1),
          labelText(r),
          r.verdict.cause,
          r.verdict.confidence.toFixed(2),
          clip(r.alert.title || r.alert.process.name || '-', alertWidth * 2),
          clip(where(r), whereWidth * 2),
        ]);
        const lines = options.explain
          ? [
              `${chalk.bold('alert')} ${clip(r.alert.id, 120)} (${clip(r.alert.source.file, 80)} record ${r.alert.source.record}, ${r.alert.source.vendor}) at ${r.alert.time ?? 'unknown time'}`,
              r.alert.process.commandLine ? `${chalk.bold('command')} ${clip(r.alert.process.commandLine, 300)}` : '',
              `${chalk.bold('matched')} ${r.correlation.subject.via.length ? r.correlation.subject.via.map((v) => clip(v, 200)).join('; ') : 'nothing in the cluster'}`,
              ...r.correlation.notes.map((n) => `${chalk.bold('note')} ${clip(n, 300)}`),
              ...r.verdict.reasons.map((e) => `${e.direction === 'malicious' ? chalk.red('✗') : chalk.green('✓')} [${e.rule}, ${e.strength}] ${clip(e.message, 600)}`),
            ].filter(Boolean)
          : [clip(r.verdict.reasons[0]?.message ?? '', 400)];
        table.push([{ colSpan: 6, content: lines.join('\n') }]);
      });
      out.write(`${table.toString()}\n`);
      rows = [];
    };
    return {
      add(result) {
        rows.push(result);
        count++;
        if (rows.length >= BATCH) flush();
      },
      finish(summary: Summary) {
        flush();
        out.write(`\n${renderSummary(summary, chalk)}\n`);
      },
    };
  },
};

function renderSummary(s: Summary, chalk: InstanceType<typeof Chalk>): string {
  const fp = s.byLabel['likely-false-positive'] ?? 0;
  const genuine = s.byLabel['genuine'] ?? 0;
  const lines = [
    chalk.bold(`${s.alertsRead} alerts read: ${s.triaged} triaged, ${s.rejected} rejected`),
    `${chalk.green(`${fp} likely false positive`)} (${(s.falsePositiveShare * 100).toFixed(1)}% of the noise explained), ${chalk.red(`${genuine} genuine`)}`,
    `by cause: ${Object.entries(s.byCause).map(([k, v]) => `${k} ${v}`).join(', ') || '-'}`,
    `by product: ${Object.entries(s.byVendor).map(([k, v]) => `${k} ${v}`).join(', ') || '-'}`,
    `context: ${Object.entries(s.byContext).map(([k, v]) => `${k} ${v}`).join(', ') || '-'}`,
  ];
  for (const f of s.files) lines.push(`read ${stripControl(f.file)} as ${f.vendor} (${f.records} records)`);
  for (const g of s.gaps) lines.push(chalk.yellow(`gap: ${stripControl(g)}`));
  if (s.warnings.length) lines.push(chalk.yellow(`${s.warnings.length} warning(s); see stderr`));
  return lines.join('\n');
}
