import type { Writable } from 'node:stream';
import type { TriageResult } from '../triage/model.js';
import { alertSubject, leadingReason, nodeName, podName, workloadName, workloadOrPod } from './describe.js';
import { escapeMarkdown, markdownCode, truncate } from './escape.js';
import type { ReportFormat, ReportOptions, ReportSink } from './model.js';
import type { Summary } from './summary.js';
import { coverageLines, headline, orderedEntries, summaryTables, warningLines, CAUSE_ORDER, type SummaryTable } from './summary-view.js';
import { TopCounter } from './top-counter.js';

/**
 * `--format markdown`: for a CI job summary or a pull-request comment. Summary first, then the genuine alerts with
 * their reasons, then the false positives grouped by cause and workload. Memory and output are bounded: genuine
 * alerts are written in full until their share of the size budget is spent, then counted by rule; false positives
 * are aggregated per cause and workload. The report says what it left out.
 */
export interface MarkdownLimits {
  /** Whole report, in bytes (default 1,000,000: GitHub's job-summary limit is 1 MiB). */
  maxBytes: number;
  /** Longest alert-derived string written (command lines, messages), in characters. */
  maxText: number;
  /** Reasons listed per genuine alert. */
  maxReasons: number;
  /** Workload groups listed per false-positive cause. */
  maxGroups: number;
}

export const DEFAULT_MARKDOWN_LIMITS: MarkdownLimits = { maxBytes: 1_000_000, maxText: 500, maxReasons: 12, maxGroups: 100 };

/** Bytes kept for the summary and the false-positive section; the genuine alerts may use the rest. */
const RESERVED_SHARE = 0.35;
const TRACKED_GROUPS = 5_000;

interface FpGroup {
  falsePositives: number;
  title: string;
  reason: string;
  subject: string;
}

const md = (s: string, max: number) => escapeMarkdown(truncate(s, max));
const code = (s: string, max: number, inTable = false) => markdownCode(truncate(s, max), { inTable }) || '—';

function table(t: SummaryTable, maxText: number): string {
  const header = `| ${t.columns.map((c) => md(c, maxText) || ' ').join(' | ')} |`;
  const rule = `|${t.numeric.map((n) => (n ? '---:' : '---')).join('|')}|`;
  const rows = t.rows.map((r) => `| ${r.map((c) => md(c, maxText)).join(' | ')} |`);
  return [`### ${md(t.title, maxText)}`, '', header, rule, ...rows, ...(t.note ? ['', md(t.note, maxText * 4)] : []), ''].join('\n');
}

class MarkdownSink implements ReportSink {
  private readonly genuineParts: string[] = [];
  private genuineBytes = 0;
  private genuineSeen = 0;
  private genuineCut = 0;
  private readonly cutByRule = new TopCounter(TRACKED_GROUPS, () => undefined);
  private readonly knownParts: string[] = [];
  private knownBytes = 0;
  private knownCut = 0;
  private readonly fpByCause = new Map<string, TopCounter<FpGroup>>();
  private readonly genuineBudget: number;

  constructor(
    private readonly out: Writable,
    private readonly options: ReportOptions,
    private readonly limits: MarkdownLimits,
  ) {
    this.genuineBudget = Math.floor(limits.maxBytes * (1 - RESERVED_SHARE));
  }

  add(result: TriageResult): void {
    if (result.verdict.label === 'genuine') this.addGenuine(result);
    else this.addFalsePositive(result);
  }

  private addGenuine(result: TriageResult): void {
    this.genuineSeen++;
    const known = this.options.baseline?.has(result) ?? false;
    if (known) {
      // Known genuine alerts were reported before: one line each, from a small share of the budget.
      const line = `- ${md(result.alert.title || '(untitled)', 200)} — ${code(result.alert.id, 100)}${workloadName(result) ? ` in ${code(workloadName(result) as string, 200)}` : ''}\n`;
      const bytes = Buffer.byteLength(line);
      if (this.knownBytes + bytes <= this.genuineBudget / 5) {
        this.knownParts.push(line);
        this.knownBytes += bytes;
      } else {
        this.knownCut++;
      }
      return;
    }
    if (this.genuineCut === 0) {
      const text = this.renderGenuine(result, this.genuineParts.length + 1);
      const bytes = Buffer.byteLength(text);
      if (this.genuineBytes + bytes <= this.genuineBudget) {
        this.genuineParts.push(text);
        this.genuineBytes += bytes;
        return;
      }
    }
    // Once one alert did not fit, the rest are counted, so the alerts shown are the first ones in input order.
    this.genuineCut++;
    this.cutByRule.add(`${result.alert.source.vendor}: ${truncate(result.alert.title || '(untitled)', 200)}`);
  }

  private renderGenuine(result: TriageResult, n: number): string {
    const { alert, verdict } = result;
    const max = this.limits.maxText;
    const lines: string[] = [];
    const badge = this.options.baseline ? ' — **new**' : '';
    lines.push(`### ${n}. ${md(alert.title || '(untitled)', 300)}${badge}`, '');
    lines.push(
      `- **Verdict:** genuine (${md(verdict.cause, 50)}), confidence ${verdict.confidence.toFixed(2)}, ${verdict.context === 'none' ? 'no' : md(verdict.context, 20)} Kubernetes context; severity ${md(alert.severity, 20)}, action ${md(alert.action, 20)}`,
    );
    lines.push(`- **Alert:** ${code(alert.id, 200)} from ${md(alert.source.vendor, 50)}, ${code(alert.source.file, 300)} record ${alert.source.record}${alert.time ? `, ${md(alert.time, 40)}` : ', no time'}`);
    const where: string[] = [];
    if (result.correlation.cluster) where.push(`cluster ${code(result.correlation.cluster, 200)}`);
    const node = nodeName(result) ?? alert.host.name;
    if (node) where.push(`${nodeName(result) ? 'node' : 'host'} ${code(node, 200)}`);
    const pod = podName(result);
    if (pod) where.push(`pod ${code(pod, 300)}`);
    const container = result.correlation.subject.container?.spec.name;
    if (container) where.push(`container ${code(container, 200)}`);
    const workload = workloadName(result);
    if (workload) where.push(`workload ${code(workload, 300)}`);
    lines.push(`- **Where:** ${where.length ? where.join(', ') : 'not matched to the cluster'}`);
    const subject = alertSubject(result);
    if (subject) lines.push(`- **What:** ${code(subject, max)}`);
    const reasons = verdict.reasons.slice(0, this.limits.maxReasons);
    if (reasons.length) {
      lines.push('- **Reasons:**');
      for (const r of reasons) {
        lines.push(`  - ${md(r.direction, 20)}, ${md(r.strength, 20)}: ${md(r.message, max)} (${md(r.rule, 80)})`);
      }
      if (verdict.reasons.length > reasons.length) lines.push(`  - … ${verdict.reasons.length - reasons.length} more reasons not shown`);
    }
    lines.push('', '');
    return lines.join('\n');
  }

  private addFalsePositive(result: TriageResult): void {
    const cause = result.verdict.cause;
    let groups = this.fpByCause.get(cause);
    if (!groups) {
      groups = new TopCounter<FpGroup>(TRACKED_GROUPS, () => ({ falsePositives: 0, title: '', reason: '', subject: '' }));
      this.fpByCause.set(cause, groups);
    }
    const node = nodeName(result) ?? result.alert.host.name;
    const key = workloadOrPod(result) ?? (node ? `Node/${node}` : '(not matched)');
    const group = groups.add(truncate(key, 300));
    group.data.falsePositives++;
    if (group.count === 1) {
      // The first alert of a group stands for it: deterministic, and no per-alert memory.
      group.data.title = truncate(result.alert.title || '(untitled)', 200);
      group.data.reason = truncate(leadingReason(result)?.message ?? '', this.limits.maxText);
      group.data.subject = truncate(alertSubject(result), 200);
    }
  }

  private summarySection(summary: Summary): string {
    const max = 200;
    const parts: string[] = ['## Summary', '', `**${md(headline(summary), 1000)}**`, ''];
    for (const t of summaryTables(summary)) parts.push(table(t, max));
    parts.push('### Context coverage', '', ...coverageLines(summary).map((l) => `- ${md(l, 500)}`), '');
    const warnings = warningLines(summary);
    if (warnings.length) {
      parts.push('### Warnings', '', md(warnings[0], 500), '', ...warnings.slice(1).map((l) => `- ${md(l, 500)}`), '');
    }
    return parts.join('\n');
  }

  private genuineSection(): string {
    const parts: string[] = [];
    const newCount = this.genuineSeen - this.knownParts.length - this.knownCut;
    const heading = this.options.baseline ? `## New genuine alerts (${newCount})` : `## Genuine alerts (${newCount})`;
    parts.push(heading, '');
    if (newCount === 0) parts.push('None.', '');
    parts.push(...this.genuineParts);
    if (this.genuineCut) {
      parts.push(
        `**${this.genuineCut} more genuine alert${this.genuineCut === 1 ? ' is' : 's are'} not shown in full** (the report stays under ${this.limits.maxBytes} bytes); by rule:`,
        '',
        '| rule | alerts |',
        '|---|---:|',
      );
      const top = this.cutByRule.top(50);
      for (const e of top) parts.push(`| ${md(e.key, 250)} | ${e.count} |`);
      const rest = this.genuineCut - top.reduce((sum, e) => sum + e.count, 0);
      if (rest > 0) parts.push(`| (other rules) | ${rest} |`);
      parts.push('');
    }
    if (this.options.baseline) {
      const known = this.knownParts.length + this.knownCut;
      parts.push(`## Known genuine alerts, already in the baseline (${known})`, '');
      parts.push(...this.knownParts);
      if (this.knownCut) parts.push(`- … ${this.knownCut} more not shown`);
      parts.push('');
    }
    return parts.join('\n');
  }

  private falsePositiveSection(summary: Summary): string {
    const total = summary.byLabel['likely-false-positive'] ?? 0;
    const parts: string[] = [`## Likely false positives by cause and workload (${total})`, ''];
    if (this.fpByCause.size === 0) parts.push('None.', '');
    const causes = orderedEntries(Object.fromEntries([...this.fpByCause.keys()].map((k) => [k, 0])), CAUSE_ORDER).map(([k]) => k);
    for (const cause of causes) {
      const groups = this.fpByCause.get(cause) as TopCounter<FpGroup>;
      const ranked = groups.ranked();
      const count = ranked.reduce((sum, g) => sum + g.count, 0) + groups.otherCount;
      parts.push(`### ${md(cause, 50)} (${count})`, '', '| workload | alerts | first alert | what | reason |', '|---|---:|---|---|---|');
      const shown = ranked.slice(0, this.limits.maxGroups);
      for (const g of shown) {
        parts.push(`| ${code(g.key, 300, true)} | ${g.count} | ${md(g.data.title, 200)} | ${code(g.data.subject, 200, true)} | ${md(g.data.reason, this.limits.maxText)} |`);
      }
      const restGroups = ranked.length - shown.length;
      const restAlerts = ranked.slice(shown.length).reduce((sum, g) => sum + g.count, 0) + groups.otherCount;
      if (restAlerts > 0) parts.push('', `${restAlerts} more alerts in ${restGroups > 0 ? `${restGroups}${groups.approximate ? '+' : ''}` : 'other'} smaller groups not shown.`);
      parts.push('');
    }
    return parts.join('\n');
  }

  finish(summary: Summary): Promise<void> {
    const head = ['# kdr-triage report', ''];
    if (this.options.timestamp) head.push(`Generated ${md(this.options.timestamp, 40)}.`, '');
    let text = [head.join('\n'), this.summarySection(summary), this.genuineSection(), this.falsePositiveSection(summary)].join('\n').replace(/\n{3,}/g, '\n\n');
    text = text.trimEnd() + '\n';
    if (Buffer.byteLength(text) > this.limits.maxBytes) text = cutToBytes(text, this.limits.maxBytes);
    return new Promise((resolve, reject) => {
      this.out.write(text, (error) => (error ? reject(error) : resolve()));
    });
  }
}

/** Last resort: cut at a line boundary and say so. */
function cutToBytes(text: string, maxBytes: number): string {
  const note = '\n\n**The report was cut here to stay under the size limit.**\n';
  const budget = maxBytes - Buffer.byteLength(note);
  let cut = Buffer.from(text).subarray(0, budget).toString('utf8');
  cut = cut.replace(/\ufffd$/, '');
  const lastLine = cut.lastIndexOf('\n');
  return (lastLine > 0 ? cut.slice(0, lastLine) : cut) + note;
}

export function createMarkdownSink(out: Writable, options: ReportOptions, limits: Partial<MarkdownLimits> = {}): ReportSink {
  return new MarkdownSink(out, options, { ...DEFAULT_MARKDOWN_LIMITS, ...limits });
}

export const markdownFormat: ReportFormat = {
  id: 'markdown',
  description: 'Markdown report for CI job summaries and pull-request comments (summary, genuine alerts, false positives by cause)',
  create: (out, options) => createMarkdownSink(out, options),
};
