import type { TriageResult } from '../triage/model.js';

/** Compact aggregates over a run: counters only, never the alerts themselves. */
export interface Summary {
  alertsRead: number;
  triaged: number;
  rejected: number;
  byLabel: Record<string, number>;
  byCause: Record<string, number>;
  byVendor: Record<string, number>;
  byCluster: Record<string, number>;
  byContext: Record<string, number>;
  /** Share of alerts labelled likely-false-positive (0..1). */
  falsePositiveShare: number;
  warnings: string[];
  gaps: string[];
  /** Which profile read which file. */
  files: { file: string; vendor: string; records: number }[];
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

function sorted(map: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
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
  };

  add(result: TriageResult): void {
    this.s.triaged++;
    bump(this.s.byLabel, result.verdict.label);
    bump(this.s.byCause, result.verdict.cause);
    bump(this.s.byVendor, result.alert.source.vendor);
    bump(this.s.byContext, result.verdict.context);
    if (result.correlation.cluster) bump(this.s.byCluster, result.correlation.cluster);
  }

  rejected(): void {
    this.s.rejected++;
  }

  warning(message: string): void {
    if (this.s.warnings.length < 1000) this.s.warnings.push(message);
  }

  gap(message: string): void {
    if (!this.s.gaps.includes(message)) this.s.gaps.push(message);
  }

  file(file: string, vendor: string, records: number): void {
    this.s.files.push({ file, vendor, records });
  }

  build(): Summary {
    const s = this.s;
    return {
      ...s,
      alertsRead: s.triaged + s.rejected,
      byLabel: sorted(s.byLabel),
      byCause: sorted(s.byCause),
      byVendor: sorted(s.byVendor),
      byCluster: sorted(s.byCluster),
      byContext: sorted(s.byContext),
      falsePositiveShare: s.triaged ? (s.byLabel['likely-false-positive'] ?? 0) / s.triaged : 0,
    };
  }
}
