import type { TriageResult } from '../triage/model.js';
import { fingerprint } from './fingerprint.js';
import type { BaselineLookup } from './model.js';

/** The machine-readable verdict: json and ndjson carry exactly these names (other tools and CI read them). */
export interface VerdictRecord {
  id: string;
  source: { file: string; record: number; vendor: string };
  time: string | null;
  title: string;
  severity: string;
  action: string;
  label: string;
  confidence: number;
  context: string;
  cause: string;
  kubernetes: {
    cluster: string | null;
    node: string | null;
    namespace: string | null;
    pod: string | null;
    container: string | null;
    workload: string | null;
  };
  reasons: { rule: string; direction: string; strength: string; message: string }[];
  /** What correlation could not settle (a reused pod name, a host that is not the pod's node), when anything. */
  notes?: string[];
  /** Stable identity across runs (see fingerprint.ts); `--baseline` reads it back. */
  fingerprint?: string;
  /** Only with `--baseline`: whether the baseline already held this alert. */
  baseline?: 'new' | 'known';
}

export interface VerdictRecordOptions {
  baseline?: BaselineLookup;
}

export function toVerdictRecord(result: TriageResult, options: VerdictRecordOptions = {}): VerdictRecord {
  const { alert, correlation, verdict } = result;
  const s = correlation.subject;
  const pod = s.pod;
  return {
    id: alert.id,
    source: { file: alert.source.file, record: alert.source.record, vendor: alert.source.vendor },
    time: alert.time,
    title: alert.title,
    severity: alert.severity,
    action: alert.action,
    label: verdict.label,
    confidence: Math.round(verdict.confidence * 100) / 100,
    context: verdict.context,
    cause: verdict.cause,
    kubernetes: {
      cluster: correlation.cluster ?? null,
      node: s.node?.metadata.name ?? pod?.spec.nodeName ?? null,
      namespace: pod?.metadata.namespace ?? null,
      pod: pod?.metadata.name ?? null,
      container: s.container?.spec.name ?? null,
      workload: s.workload ? `${s.workload.kind}/${s.workload.namespace}/${s.workload.name}` : null,
    },
    reasons: verdict.reasons.map((r) => ({ rule: r.rule, direction: r.direction, strength: r.strength, message: r.message })),
    ...(correlation.notes.length ? { notes: [...correlation.notes] } : {}),
    fingerprint: fingerprint(alert),
    ...(options.baseline ? { baseline: options.baseline.has(result) ? ('known' as const) : ('new' as const) } : {}),
  };
}
