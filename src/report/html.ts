import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { TriageResult } from '../triage/model.js';
import { alertSubject, compareText, nodeName, podName, workloadName } from './describe.js';
import { escapeHtml, stripControl, truncate } from './escape.js';
import { HTML_SCRIPT, HTML_STYLE } from './html-assets.js';
import type { ReportFormat, ReportOptions, ReportSink } from './model.js';
import type { Summary } from './summary.js';
import { coverageLines, headline, orderedEntries, summaryTables, warningLines, CAUSE_ORDER, SEVERITY_RANK } from './summary-view.js';
import { TimeHistogram } from './time-histogram.js';

/**
 * `--format html`: one self-contained page (no network: inline CSS, inline script, inline SVG charts) with the
 * summary, charts of alerts over time by label, by cause and by workload, and a sortable, filterable table of alerts
 * whose reasons open on demand (a details row under each alert).
 *
 * Safety: the summary and the charts are rendered here with every string HTML-escaped; the table rows travel as JSON
 * in a `<script type="application/json">` block (with `<`, `>` and `&` written as \u escapes, so no markup can close
 * it) and the page script inserts them with textContent only. A Content-Security-Policy allows just the page's own
 * script and stylesheet (by hash) and no network access, as a second line of defence.
 *
 * Size: charts aggregate every alert; the table holds at most `maxRows` alerts and `maxDataBytes` of text — genuine
 * alerts first, then likely false positives, each in input order — and the page says how many were left out.
 */
export interface HtmlLimits {
  maxRows: number;
  maxDataBytes: number;
  maxText: number;
  maxReasons: number;
}

const DEFAULT_LIMITS: HtmlLimits = { maxRows: 5000, maxDataBytes: 8 * 1024 * 1024, maxText: 2000, maxReasons: 12 };

interface Row {
  time: string | null;
  label: string;
  confidence: number;
  cause: string;
  context: string;
  severity: string;
  severityRank: number;
  vendor: string;
  title: string;
  node: string | null;
  pod: string | null;
  workload: string | null;
  baseline: string | null;
  id: string;
  file: string;
  record: number;
  what: string;
  reasons: [string, string, string, string][];
  moreReasons: number;
  /** Input position, to restore input order after picking which rows to keep. */
  seq: number;
}

const COLUMNS: { key: string; title: string; numeric?: boolean }[] = [
  { key: 'time', title: 'Time (UTC)' },
  { key: 'label', title: 'Verdict' },
  { key: 'confidence', title: 'Conf.', numeric: true },
  { key: 'cause', title: 'Cause' },
  { key: 'severityRank', title: 'Severity' },
  { key: 'vendor', title: 'Product' },
  { key: 'title', title: 'Alert' },
  { key: 'node', title: 'Node' },
  { key: 'pod', title: 'Pod' },
  { key: 'workload', title: 'Workload' },
];

const COLORS: Record<string, string> = { genuine: '#c62828', 'likely-false-positive': '#607d8b' };
const LABELS = ['genuine', 'likely-false-positive'];

/** JSON that is safe inside a script element: no `<`, `>`, `&`, or JS line separators in the text. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const h = (s: string, max = 300) => escapeHtml(truncate(stripControl(s), max));
const fmtTime = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

function sizeLabel(ms: number): string {
  const minutes = ms / 60_000;
  return minutes < 60 ? `${minutes} min` : minutes < 1440 ? `${minutes / 60} h` : `${minutes / 1440} d`;
}

/** Stacked bars of alerts per time bucket, one colour per label. */
function timeChart(histogram: TimeHistogram): string {
  const { size, buckets } = histogram.bars(72);
  if (buckets.length === 0) return '<p class="muted">No alert has a time.</p>';
  const width = 720;
  const height = 220;
  const left = 44;
  const bottom = 36;
  const top = 10;
  const plotW = width - left - 10;
  const plotH = height - top - bottom;
  const max = Math.max(1, ...buckets.map((b) => LABELS.reduce((sum, l) => sum + (b.counts[l] ?? 0), 0)));
  const barW = plotW / buckets.length;
  const parts: string[] = [
    `<svg id="chart-time" viewBox="0 0 ${width} ${height}" role="img" aria-label="Alerts over time by verdict">`,
    `<line x1="${left}" y1="${top + plotH}" x2="${width - 10}" y2="${top + plotH}" stroke="#999"/>`,
    `<text x="${left - 4}" y="${top + 8}" text-anchor="end">${max}</text>`,
    `<text x="${left - 4}" y="${top + plotH}" text-anchor="end">0</text>`,
  ];
  buckets.forEach((b, i) => {
    let y = top + plotH;
    const x = left + i * barW;
    for (const l of LABELS) {
      const n = b.counts[l] ?? 0;
      if (n === 0) continue;
      const barH = (n / max) * plotH;
      y -= barH;
      parts.push(
        `<rect class="bar" data-label="${l}" data-count="${n}" x="${x.toFixed(2)}" y="${y.toFixed(2)}" width="${Math.max(1, barW - 1).toFixed(2)}" height="${barH.toFixed(2)}" fill="${COLORS[l]}"><title>${fmtTime(b.start)} UTC (+${sizeLabel(size)}): ${n} ${l}</title></rect>`,
      );
    }
  });
  const ticks = buckets.length === 1 ? [0] : [0, Math.floor((buckets.length - 1) / 2), buckets.length - 1];
  for (const i of [...new Set(ticks)]) {
    const x = left + i * barW + barW / 2;
    const anchor = i === 0 ? 'start' : i === buckets.length - 1 ? 'end' : 'middle';
    parts.push(`<text x="${x.toFixed(2)}" y="${height - bottom + 16}" text-anchor="${anchor}">${fmtTime(buckets[i].start)}</text>`);
  }
  parts.push(`<text x="${width - 10}" y="${height - 4}" text-anchor="end">bars of ${sizeLabel(size)}, UTC</text>`, '</svg>');
  return parts.join('\n');
}

/** Horizontal bars; each item may be split into label segments. */
function barChart(id: string, aria: string, items: { name: string; segments: [string, number][] }[]): string {
  if (items.length === 0) return '<p class="muted">Nothing to show.</p>';
  const width = 720;
  const row = 22;
  const labelW = 260;
  const plotW = width - labelW - 60;
  const height = items.length * row + 8;
  const max = Math.max(1, ...items.map((it) => it.segments.reduce((s, [, n]) => s + n, 0)));
  const parts = [`<svg id="${id}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${h(aria)}">`];
  items.forEach((it, i) => {
    const y = 4 + i * row;
    parts.push(`<text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${h(it.name, 45)}<title>${h(it.name, 500)}</title></text>`);
    let x = labelW;
    let total = 0;
    for (const [series, n] of it.segments) {
      if (n === 0) continue;
      const w = (n / max) * plotW;
      parts.push(
        `<rect class="bar" data-label="${h(series, 40)}" data-count="${n}" x="${x.toFixed(2)}" y="${y + 2}" width="${w.toFixed(2)}" height="${row - 6}" fill="${COLORS[series] ?? '#546e7a'}"><title>${h(it.name, 500)}: ${n} ${h(series, 40)}</title></rect>`,
      );
      x += w;
      total += n;
    }
    parts.push(`<text x="${(x + 4).toFixed(2)}" y="${y + 14}">${total}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

class HtmlSink implements ReportSink {
  private readonly histogram = new TimeHistogram();
  private readonly genuine: Row[] = [];
  private readonly falsePositives: Row[] = [];
  private genuineBytes = 0;
  private fpBytes = 0;
  private seq = 0;
  private total = 0;
  private readonly causeLabels = new Map<string, Record<string, number>>();

  constructor(
    private readonly out: Writable,
    private readonly options: ReportOptions,
    private readonly limits: HtmlLimits,
  ) {}

  add(result: TriageResult): void {
    const { alert, verdict } = result;
    this.total++;
    const t = alert.time === null ? NaN : Date.parse(alert.time);
    if (Number.isFinite(t)) this.histogram.add(t, verdict.label);
    const perCause = this.causeLabels.get(verdict.cause) ?? {};
    perCause[verdict.label] = (perCause[verdict.label] ?? 0) + 1;
    this.causeLabels.set(verdict.cause, perCause);

    const genuine = verdict.label === 'genuine';
    const list = genuine ? this.genuine : this.falsePositives;
    const used = genuine ? this.genuineBytes : this.fpBytes;
    // Genuine rows may use the whole budget; false positives fill what genuine rows leave at the end.
    if (list.length >= this.limits.maxRows || used >= this.limits.maxDataBytes) {
      this.seq++;
      return;
    }
    const row = this.toRow(result);
    const bytes = JSON.stringify(row).length;
    if (genuine) this.genuineBytes += bytes;
    else this.fpBytes += bytes;
    list.push(row);
  }

  private toRow(result: TriageResult): Row {
    const { alert, verdict } = result;
    const max = this.limits.maxText;
    const text = (s: string | null | undefined, limit = 300) => (s === null || s === undefined ? null : truncate(stripControl(s), limit));
    const reasons = verdict.reasons.slice(0, this.limits.maxReasons);
    const rank = SEVERITY_RANK.indexOf(alert.severity);
    return {
      time: alert.time,
      label: verdict.label,
      confidence: Math.round(verdict.confidence * 100) / 100,
      cause: verdict.cause,
      context: verdict.context,
      severity: alert.severity,
      // Sorting ascending puts critical first.
      severityRank: rank === -1 ? SEVERITY_RANK.length : rank,
      vendor: text(alert.source.vendor, 100) as string,
      title: text(alert.title || '(untitled)') as string,
      node: text(nodeName(result) ?? alert.host.name),
      pod: text(podName(result)),
      workload: text(workloadName(result)),
      baseline: this.options.baseline ? (this.options.baseline.has(result) ? 'known' : 'new') : null,
      id: text(alert.id) as string,
      file: text(alert.source.file, 500) as string,
      record: alert.source.record,
      what: text(alertSubject(result), max) as string,
      reasons: reasons.map((r) => [text(r.direction, 20), text(r.strength, 20), text(r.rule, 100), text(r.message, max)] as [string, string, string, string]),
      moreReasons: verdict.reasons.length - reasons.length,
      seq: this.seq++,
    };
  }

  private pickRows(): Row[] {
    const rows = [...this.genuine];
    let bytes = this.genuineBytes;
    for (const row of this.falsePositives) {
      if (rows.length >= this.limits.maxRows || bytes >= this.limits.maxDataBytes) break;
      rows.push(row);
      bytes += JSON.stringify(row).length;
    }
    return rows.sort((a, b) => a.seq - b.seq);
  }

  private summaryHtml(summary: Summary): string {
    const parts: string[] = [];
    for (const t of summaryTables(summary)) {
      parts.push(`<div><h3>${h(t.title)}</h3><table><thead><tr>`);
      parts.push(t.columns.map((c, i) => `<th${t.numeric[i] ? ' class="num"' : ''}>${h(c)}</th>`).join(''));
      parts.push('</tr></thead><tbody>');
      for (const r of t.rows) parts.push(`<tr>${r.map((c, i) => `<td${t.numeric[i] ? ' class="num"' : ''}>${h(c)}</td>`).join('')}</tr>`);
      parts.push('</tbody></table>');
      if (t.note) parts.push(`<p class="note">${h(t.note, 1000)}</p>`);
      parts.push('</div>');
    }
    return parts.join('\n');
  }

  finish(summary: Summary): Promise<void> {
    const rows = this.pickRows();
    const left = this.total - rows.length;
    const withBaseline = Boolean(this.options.baseline);
    const columns = withBaseline ? [...COLUMNS, { key: 'baseline', title: 'Baseline' }] : COLUMNS;
    const data = jsonForScript({ rows: rows.map(({ seq: _seq, ...row }) => row) });
    const style = HTML_STYLE;
    const script = HTML_SCRIPT;
    const csp = `default-src 'none'; style-src ${sha256(style)}; script-src ${sha256(script)}; img-src data:; base-uri 'none'; form-action 'none'`;

    const causes = [...this.causeLabels.entries()].sort(([a], [b]) => {
      const rank = (c: string) => (CAUSE_ORDER.includes(c) ? CAUSE_ORDER.indexOf(c) : CAUSE_ORDER.length);
      return rank(a) - rank(b) || compareText(a, b);
    });
    const causeChart = barChart(
      'chart-cause',
      'Alerts by cause',
      causes.map(([cause, counts]) => ({ name: cause, segments: LABELS.map((l) => [l, counts[l] ?? 0] as [string, number]) })),
    );
    const workloadChart = barChart(
      'chart-workload',
      'Alerts by workload',
      summary.topWorkloads.map((w) => ({
        name: w.name,
        segments: [
          ['genuine', w.genuine],
          ['likely-false-positive', w.falsePositives],
        ],
      })),
    );
    const causeOptions = orderedEntries(summary.byCause, CAUSE_ORDER)
      .map(([c]) => `<option value="${h(c, 100)}">${h(c, 100)}</option>`)
      .join('');
    const warnings = warningLines(summary);
    const legend = '<div class="legend"><span><span class="swatch genuine"></span>genuine</span><span><span class="swatch fp"></span>likely false positive</span></div>';

    const html = [
      '<!DOCTYPE html>',
      '<html lang="en">',
      '<head>',
      '<meta charset="utf-8">',
      `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      '<meta name="referrer" content="no-referrer">',
      '<title>kdr-triage report</title>',
      `<style>${style}</style>`,
      '</head>',
      '<body>',
      '<header>',
      '<h1>kdr-triage report</h1>',
      `<p class="headline">${h(headline(summary), 1000)}</p>`,
      this.options.timestamp ? `<p class="muted">Generated ${h(this.options.timestamp, 60)}.</p>` : '',
      '</header>',
      '<main>',
      '<section id="charts">',
      '<h2>Charts</h2>',
      legend,
      '<div class="charts">',
      `<figure><figcaption>Alerts over time by verdict</figcaption>${timeChart(this.histogram)}</figure>`,
      `<figure><figcaption>Alerts by cause</figcaption>${causeChart}</figure>`,
      `<figure><figcaption>Noisiest workloads</figcaption>${workloadChart}</figure>`,
      '</div>',
      '</section>',
      '<section id="summary">',
      '<h2>Summary</h2>',
      `<div class="grid">${this.summaryHtml(summary)}</div>`,
      '<h3>Context coverage</h3>',
      `<ul>${coverageLines(summary)
        .map((l) => `<li>${h(l, 1000)}</li>`)
        .join('')}</ul>`,
      warnings.length ? `<h3>Warnings</h3><p>${h(warnings[0], 1000)}</p><ul>${warnings.slice(1).map((l) => `<li>${h(l, 1000)}</li>`).join('')}</ul>` : '',
      '</section>',
      '<section id="alerts">',
      '<h2>Alerts</h2>',
      '<noscript><p>The alert table needs JavaScript; the summary and charts above do not.</p></noscript>',
      '<div class="controls">',
      '<input id="filter-text" type="search" placeholder="Filter: title, pod, command, reason…" aria-label="Filter alerts">',
      '<select id="filter-label" aria-label="Verdict"><option value="">all verdicts</option><option value="genuine">genuine</option><option value="likely-false-positive">likely false positive</option></select>',
      `<select id="filter-cause" aria-label="Cause"><option value="">all causes</option>${causeOptions}</select>`,
      '<span id="shown-count" class="muted"></span>',
      '</div>',
      left > 0
        ? `<p class="note" id="rows-cut">${left} of ${this.total} alerts are not in the table (it holds at most ${this.limits.maxRows} alerts, genuine ones first); the summary and charts count every alert.</p>`
        : '',
      '<table id="alerts-table"><thead><tr>',
      columns.map((c) => `<th data-key="${c.key}"${c.numeric ? ' class="num"' : ''}>${h(c.title)}</th>`).join(''),
      '</tr></thead><tbody></tbody></table>',
      '</section>',
      '</main>',
      `<script type="application/json" id="kdr-data">${data}</script>`,
      `<script>${script}</script>`,
      '</body>',
      '</html>',
      '',
    ]
      .filter((line) => line !== '')
      .join('\n');
    return new Promise((resolve, reject) => this.out.write(html + '\n', (error) => (error ? reject(error) : resolve())));
  }
}

export function createHtmlSink(out: Writable, options: ReportOptions, limits: Partial<HtmlLimits> = {}): ReportSink {
  return new HtmlSink(out, options, { ...DEFAULT_LIMITS, ...limits });
}

export const htmlFormat: ReportFormat = {
  id: 'html',
  description: 'Self-contained HTML page: summary, charts over time, by cause and by workload, sortable and filterable alert table',
  create: (out, options) => createHtmlSink(out, options),
};
