import { compareText, percent } from './describe.js';
import type { Summary } from './summary.js';

/**
 * The summary as rows of plain cells, shared by the human formats (each escapes the cells for its own syntax).
 * Strings inside come from alerts and cluster objects: escape before output.
 */
export interface SummaryTable {
  title: string;
  columns: string[];
  /** Which columns are numbers (right-aligned). */
  numeric: boolean[];
  rows: string[][];
  /** A sentence under the table (what was left out). */
  note?: string;
}

export const LABEL_ORDER = ['genuine', 'likely-false-positive'];
export const CAUSE_ORDER = ['attack', 'unexplained', 'node-networking', 'privileged-root', 'workload-baseline', 'admin-activity', 'ping-pong'];
export const CONTEXT_ORDER = ['full', 'partial', 'none'];
export const SEVERITY_RANK = ['critical', 'high', 'medium', 'low', 'informational', 'unknown'];

/** Keys in a known order first, then any others by name. */
export function orderedEntries(map: Record<string, number>, order: string[] = []): [string, number][] {
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.entries(map).sort(([a], [b]) => rank(a) - rank(b) || compareText(a, b));
}

/** The headline: how much of the noise was explained. */
export function headline(summary: Summary): string {
  const fp = summary.byLabel['likely-false-positive'] ?? 0;
  const genuine = summary.byLabel.genuine ?? 0;
  let text = `${fp} of ${summary.triaged} triaged alerts (${percent(summary.falsePositiveShare)}) are likely false positives; ${genuine} ${genuine === 1 ? 'is' : 'are'} genuine`;
  if (summary.baseline) text += ` (${summary.baseline.newGenuine} new, ${summary.baseline.knownGenuine} known from the baseline)`;
  return `${text}.`;
}

export function summaryTables(summary: Summary, limits: { rows: number; nodes: number } = { rows: 50, nodes: 10 }): SummaryTable[] {
  const tables: SummaryTable[] = [];
  const counts = (title: string, name: string, map: Record<string, number>, order?: string[]): void => {
    const entries = orderedEntries(map, order);
    if (entries.length === 0) return;
    const shown = entries.slice(0, limits.rows);
    tables.push({
      title,
      columns: [name, 'alerts'],
      numeric: [false, true],
      rows: shown.map(([k, v]) => [k, String(v)]),
      ...(entries.length > shown.length ? { note: `${entries.length - shown.length} more not shown.` } : {}),
    });
  };

  tables.push({
    title: 'Alerts',
    columns: ['', 'alerts'],
    numeric: [false, true],
    rows: [
      ['records read', String(summary.alertsRead)],
      ['triaged', String(summary.triaged)],
      ['rejected (unreadable records)', String(summary.rejected)],
      ...orderedEntries(summary.byLabel, LABEL_ORDER).map(([k, v]) => [k, String(v)]),
      ...(summary.baseline
        ? [
            ['new since the baseline', String(summary.baseline.new)],
            ['known from the baseline', String(summary.baseline.known)],
          ]
        : []),
    ],
  });
  counts('By cause', 'cause', summary.byCause, CAUSE_ORDER);
  counts('By product', 'product', summary.byVendor);
  counts('By cluster', 'cluster', summary.byCluster);
  counts('By severity', 'severity', summary.bySeverity, SEVERITY_RANK);

  if (summary.topWorkloads.length) {
    tables.push({
      title: 'Noisiest workloads',
      columns: ['workload', 'alerts', 'false positives', 'genuine'],
      numeric: [false, true, true, true],
      rows: summary.topWorkloads.map((w) => [w.name, String(w.alerts), String(w.falsePositives), String(w.genuine)]),
      note:
        `${summary.alertsWithoutWorkload} alert${summary.alertsWithoutWorkload === 1 ? ' was' : 's were'} matched to no pod.` +
        (summary.topApproximate ? ' Counts are approximate: there were too many distinct names to count each one.' : ''),
    });
  }
  if (summary.topRules.length) {
    tables.push({
      title: 'Noisiest detection rules',
      columns: ['product', 'rule', 'alerts', 'false positives', 'genuine'],
      numeric: [false, false, true, true, true],
      rows: summary.topRules.map((r) => [r.vendor, r.title, String(r.alerts), String(r.falsePositives), String(r.genuine)]),
    });
  }
  if (summary.pingPong.length) {
    const shown = summary.pingPong.slice(0, limits.rows);
    tables.push({
      title: 'Ping-pong: workloads the EDR keeps killing and Kubernetes keeps restarting',
      columns: ['workload', 'alerts', 'kills', 'nodes'],
      numeric: [false, true, true, false],
      rows: shown.map((p) => [
        p.workload,
        String(p.alerts),
        String(p.kills),
        p.nodes.slice(0, limits.nodes).join(', ') + (p.nodes.length > limits.nodes ? ` and ${p.nodes.length - limits.nodes} more` : ''),
      ]),
      ...(summary.pingPong.length > shown.length ? { note: `${summary.pingPong.length - shown.length} more not shown.` } : {}),
    });
  }
  if (Object.keys(summary.explainedBy).length) {
    counts('False positives explained by', 'kdr-triage rule', summary.explainedBy);
  }
  return tables;
}

/** Context coverage as sentences (alert time range, snapshot age, gaps). */
export function coverageLines(summary: Summary, maxGaps = 50): string[] {
  const c = summary.coverage;
  const lines: string[] = [`Context: ${c.full} alerts with full, ${c.partial} with partial and ${c.none} with no Kubernetes context.`];
  if (c.firstAlert && c.lastAlert) lines.push(`Alert times: ${c.firstAlert} to ${c.lastAlert}.`);
  if (c.alertsWithoutTime) lines.push(`${c.alertsWithoutTime} alert${c.alertsWithoutTime === 1 ? ' has' : 's have'} no time.`);
  for (const snap of c.snapshots) {
    lines.push(`Snapshot of ${snap.cluster}: captured ${snap.capturedAt ?? 'at an unknown time'}, ${snap.relation}.`);
  }
  const gaps = summary.gaps.slice(0, maxGaps);
  for (const gap of gaps) lines.push(`Gap: ${gap}.`);
  if (summary.gaps.length > gaps.length) lines.push(`${summary.gaps.length - gaps.length} more gaps not shown.`);
  return lines;
}

/** Warning lines: the counts by kind, then the first messages. */
export function warningLines(summary: Summary, maxMessages = 20): string[] {
  if (summary.warningsTotal === 0) return [];
  const kinds = orderedEntries(summary.warningsByKind)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const lines = [`${summary.warningsTotal} warning${summary.warningsTotal === 1 ? '' : 's'} (${kinds}).`];
  const shown = summary.warnings.slice(0, maxMessages);
  lines.push(...shown);
  if (summary.warningsTotal > shown.length) lines.push(`${summary.warningsTotal - shown.length} more warnings not shown.`);
  return lines;
}
