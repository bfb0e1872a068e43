import type { TriageResult } from '../triage/model.js';
import { compareText, formatDuration, isFalsePositive, leadingReason, nodeName, workloadOrPod } from './describe.js';
import type { BaselineLookup } from './model.js';
import { truncate } from './escape.js';
import { TopCounter } from './top-counter.js';

/** A workload or detection rule with how many alerts it raised and how they were judged. */
export interface NoisyEntry {
  name: string;
  alerts: number;
  falsePositives: number;
  genuine: number;
}

export interface NoisyRule extends NoisyEntry {
  vendor: string;
  title: string;
}

/** A workload the EDR keeps killing while Kubernetes keeps restarting it. */
export interface PingPongFinding {
  workload: string;
  alerts: number;
  /** Alerts whose sensor action was `killed`. */
  kills: number;
  /** Nodes it happened on, sorted (at most MAX_NODES_PER_FINDING). */
  nodes: string[];
}

export interface SnapshotCoverage {
  cluster: string;
  capturedAt: string | null;
  /** How the capture time relates to the alerts, as a sentence fragment ("12 min after the last alert"). */
  relation: string;
}

export interface ContextCoverage {
  full: number;
  partial: number;
  none: number;
  /** Earliest and latest alert time (ISO UTC), null when no alert had a time. */
  firstAlert: string | null;
  lastAlert: string | null;
  alertsWithoutTime: number;
  snapshots: SnapshotCoverage[];
}

export interface BaselineCounts {
  new: number;
  known: number;
  newGenuine: number;
  knownGenuine: number;
}

/** Compact aggregates over a run: counters only, never the alerts themselves. */
export interface Summary {
  /** Records read: triaged + rejected + filteredOut, always. */
  alertsRead: number;
  triaged: number;
  rejected: number;
  /** Triaged but left out of the report by --only, --cause, --since, --until or --min-severity. */
  filteredOut?: number;
  byLabel: Record<string, number>;
  byCause: Record<string, number>;
  byVendor: Record<string, number>;
  byCluster: Record<string, number>;
  byContext: Record<string, number>;
  /** Share of alerts labelled likely-false-positive (0..1). */
  falsePositiveShare: number;
  /** First messages only (see warningsTotal). */
  warnings: string[];
  gaps: string[];
  /** Which profile read which file. */
  files: { file: string; vendor: string; records: number }[];
  bySeverity: Record<string, number>;
  /** Which kdr-triage rule gave the deciding reason of each false positive. */
  explainedBy: Record<string, number>;
  /** Workloads (or naked pods) raising the most alerts, most first. */
  topWorkloads: NoisyEntry[];
  /** Detection rules (product + title) raising the most alerts, most first. */
  topRules: NoisyRule[];
  /** True when there were too many distinct workloads or titles to count each exactly. */
  topApproximate: boolean;
  /** Alerts matched to no pod (host processes, unmatched alerts). */
  alertsWithoutWorkload: number;
  pingPong: PingPongFinding[];
  coverage: ContextCoverage;
  warningsTotal: number;
  warningsByKind: Record<string, number>;
  /** Only with --baseline. */
  baseline?: BaselineCounts;
}

export interface SummaryOptions {
  /** Length of topWorkloads / topRules (default 10). */
  top?: number;
  baseline?: BaselineLookup;
  /** How many warning messages to keep (default 1000); all are counted. */
  maxWarnings?: number;
}

/** Distinct names tracked exactly before pruning starts (memory stays bounded on any input). */
const TRACKED_NAMES = 10_000;
const MAX_PING_PONG = 1000;
export const MAX_NODES_PER_FINDING = 50;
/** Titles are attacker-controlled: cut before they become map keys. */
const MAX_KEY_LENGTH = 200;

function bump(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

function sorted(map: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => compareText(a, b)));
}

interface Judged {
  falsePositives: number;
}

interface PingPongAcc {
  alerts: number;
  kills: number;
  nodes: Set<string>;
}

function relation(capturedAt: string | null, first: number | null, last: number | null): string {
  if (capturedAt === null) return 'capture time unknown';
  const t = Date.parse(capturedAt);
  if (!Number.isFinite(t)) return 'capture time unreadable';
  if (first === null || last === null) return 'no alert times to compare';
  if (t > last) return `${formatDuration(t - last)} after the last alert`;
  if (t < first) return `${formatDuration(first - t)} before the first alert`;
  return 'within the alert time range';
}

export class SummaryBuilder {
  private readonly s: Summary = {
    alertsRead: 0,
    triaged: 0,
    rejected: 0,
    byLabel: {},
    byCause: {},
    byVendor: {},
    byCluster: {},
    byContext: {},
    falsePositiveShare: 0,
    warnings: [],
    gaps: [],
    files: [],
    bySeverity: {},
    explainedBy: {},
    topWorkloads: [],
    topRules: [],
    topApproximate: false,
    alertsWithoutWorkload: 0,
    pingPong: [],
    coverage: { full: 0, partial: 0, none: 0, firstAlert: null, lastAlert: null, alertsWithoutTime: 0, snapshots: [] },
    warningsTotal: 0,
    warningsByKind: {},
  };
  private readonly workloads = new TopCounter<Judged>(TRACKED_NAMES, () => ({ falsePositives: 0 }));
  private readonly rules = new TopCounter<Judged & { vendor: string; title: string }>(TRACKED_NAMES, () => ({ falsePositives: 0, vendor: '', title: '' }));
  private readonly pingPong = new Map<string, PingPongAcc>();
  private pingPongOverflow = 0;
  private readonly snapshots: { cluster: string; capturedAt: string | null }[] = [];
  private firstTime: number | null = null;
  private lastTime: number | null = null;
  private baselineCounts: BaselineCounts | undefined;
  private readonly top: number;
  private readonly maxWarnings: number;

  constructor(private readonly options: SummaryOptions = {}) {
    this.top = options.top ?? 10;
    this.maxWarnings = options.maxWarnings ?? 1000;
    if (options.baseline) this.baselineCounts = { new: 0, known: 0, newGenuine: 0, knownGenuine: 0 };
  }

  add(result: TriageResult): void {
    const { alert, verdict } = result;
    const fp = isFalsePositive(result);
    this.s.triaged++;
    bump(this.s.byLabel, verdict.label);
    bump(this.s.byCause, verdict.cause);
    bump(this.s.byVendor, alert.source.vendor);
    bump(this.s.byContext, verdict.context);
    bump(this.s.bySeverity, alert.severity);
    if (result.correlation.cluster) bump(this.s.byCluster, result.correlation.cluster);
    if (fp) {
      const reason = leadingReason(result);
      if (reason) bump(this.s.explainedBy, reason.rule);
    }

    const workload = workloadOrPod(result);
    if (workload) {
      const entry = this.workloads.add(workload);
      if (fp) entry.data.falsePositives++;
    } else {
      this.s.alertsWithoutWorkload++;
    }
    const title = truncate(alert.title || '(untitled)', MAX_KEY_LENGTH);
    const rule = this.rules.add(`${alert.source.vendor}\u0000${title}`);
    rule.data.vendor = alert.source.vendor;
    rule.data.title = title;
    if (fp) rule.data.falsePositives++;

    if (verdict.cause === 'ping-pong') this.addPingPong(result, workload);

    const t = alert.time === null ? NaN : Date.parse(alert.time);
    if (Number.isFinite(t)) {
      if (this.firstTime === null || t < this.firstTime) this.firstTime = t;
      if (this.lastTime === null || t > this.lastTime) this.lastTime = t;
    } else {
      this.s.coverage.alertsWithoutTime++;
    }

    if (this.baselineCounts && this.options.baseline) {
      const known = this.options.baseline.has(result);
      const genuine = verdict.label === 'genuine';
      if (known) {
        this.baselineCounts.known++;
        if (genuine) this.baselineCounts.knownGenuine++;
      } else {
        this.baselineCounts.new++;
        if (genuine) this.baselineCounts.newGenuine++;
      }
    }
  }

  private addPingPong(result: TriageResult, workload: string | null): void {
    const key = workload ?? `Node/${nodeName(result) ?? 'unknown'}`;
    let acc = this.pingPong.get(key);
    if (!acc) {
      if (this.pingPong.size >= MAX_PING_PONG) {
        this.pingPongOverflow++;
        return;
      }
      acc = { alerts: 0, kills: 0, nodes: new Set() };
      this.pingPong.set(key, acc);
    }
    acc.alerts++;
    if (result.alert.action === 'killed') acc.kills++;
    const node = nodeName(result) ?? result.alert.host.name;
    if (node && acc.nodes.size < MAX_NODES_PER_FINDING) acc.nodes.add(truncate(node, MAX_KEY_LENGTH));
  }

  rejected(): void {
    this.s.rejected++;
  }

  /** An alert triaged but left out of the report by a filter: still read, never lost from the counts. */
  filtered(): void {
    this.filteredOut++;
  }
  private filteredOut = 0;

  /** `kind` groups the counts: e.g. 'bad-record', 'policy-exception-expired'. */
  warning(message: string, kind = 'other'): void {
    this.s.warningsTotal++;
    bump(this.s.warningsByKind, kind);
    if (this.s.warnings.length < this.maxWarnings) this.s.warnings.push(message);
  }

  gap(message: string): void {
    if (!this.s.gaps.includes(message)) this.s.gaps.push(message);
  }

  file(file: string, vendor: string, records: number): void {
    this.s.files.push({ file, vendor, records });
  }

  /** One loaded snapshot: its capture time is compared with the alert times. */
  snapshot(cluster: string, capturedAt: string | null): void {
    this.snapshots.push({ cluster, capturedAt });
  }

  build(): Summary {
    const s = this.s;
    const byContext = sorted(s.byContext);
    const first = this.firstTime;
    const last = this.lastTime;
    const fpCount = s.byLabel['likely-false-positive'] ?? 0;
    const judged = <T extends Judged>(name: string, count: number, data: T): NoisyEntry => ({
      name,
      alerts: count,
      falsePositives: data.falsePositives,
      genuine: count - data.falsePositives,
    });
    const pingPong = [...this.pingPong.entries()]
      .map(([workload, acc]) => ({ workload, alerts: acc.alerts, kills: acc.kills, nodes: [...acc.nodes].sort(compareText) }))
      .sort((a, b) => b.alerts - a.alerts || compareText(a.workload, b.workload));
    if (this.pingPongOverflow > 0) pingPong.push({ workload: '(other workloads)', alerts: this.pingPongOverflow, kills: 0, nodes: [] });
    return {
      ...s,
      alertsRead: s.triaged + s.rejected + this.filteredOut,
      ...(this.filteredOut ? { filteredOut: this.filteredOut } : {}),
      byLabel: sorted(s.byLabel),
      byCause: sorted(s.byCause),
      byVendor: sorted(s.byVendor),
      byCluster: sorted(s.byCluster),
      byContext,
      bySeverity: sorted(s.bySeverity),
      explainedBy: sorted(s.explainedBy),
      warningsByKind: sorted(s.warningsByKind),
      warnings: [...s.warnings],
      gaps: [...s.gaps].sort(compareText),
      files: [...s.files],
      falsePositiveShare: s.triaged ? fpCount / s.triaged : 0,
      topWorkloads: this.workloads.top(this.top).map((e) => judged(e.key, e.count, e.data)),
      topRules: this.rules.top(this.top).map((e) => ({ ...judged(`${e.data.vendor}: ${e.data.title}`, e.count, e.data), vendor: e.data.vendor, title: e.data.title })),
      topApproximate: this.workloads.approximate || this.rules.approximate,
      pingPong,
      coverage: {
        full: byContext.full ?? 0,
        partial: byContext.partial ?? 0,
        none: byContext.none ?? 0,
        firstAlert: first === null ? null : new Date(first).toISOString(),
        lastAlert: last === null ? null : new Date(last).toISOString(),
        alertsWithoutTime: s.coverage.alertsWithoutTime,
        snapshots: [...this.snapshots]
          .sort((a, b) => compareText(a.cluster, b.cluster) || compareText(a.capturedAt ?? '', b.capturedAt ?? ''))
          .map((snap) => ({ ...snap, relation: relation(snap.capturedAt, first, last) })),
      },
      ...(this.baselineCounts ? { baseline: { ...this.baselineCounts } } : {}),
    };
  }
}
