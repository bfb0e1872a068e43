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

/** Characters JSON.stringify writes escaped: quote, backslash, controls, and surrogates (a lone one is escaped). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(value), with plain strings quoted without a second pass over them. */
function json(value: unknown): string | undefined {
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
  return JSON.stringify(value);
}

/** `,"key":value`, or nothing when the value is undefined (JSON.stringify leaves such members out). */
function member(key: string, value: unknown): string {
  const text = json(value);
  return text === undefined ? '' : `,"${key}":${text}`;
}

/**
 * JSON.stringify(toVerdictRecord(result, options)), written directly: the same text (same members, same order), with
 * no record object built and no second pass over the message strings. The json and ndjson formats write verdicts with it.
 */
export function verdictRecordJson(result: TriageResult, options: VerdictRecordOptions = {}): string {
  const { alert, correlation, verdict } = result;
  // The first member of each object is written without a comma: when one of them is missing, take the plain way.
  if (alert.id === undefined || alert.source.file === undefined || verdict.reasons.some((r) => r.rule === undefined)) return JSON.stringify(toVerdictRecord(result, options));
  const s = correlation.subject;
  const pod = s.pod;
  let reasons = '';
  for (const r of verdict.reasons) {
    reasons += `${reasons ? ',' : ''}{"rule":${json(r.rule)}${member('direction', r.direction)}${member('strength', r.strength)}${member('message', r.message)}}`;
  }
  const workload = s.workload ? `${s.workload.kind}/${s.workload.namespace}/${s.workload.name}` : null;
  return (
    `{"id":${json(alert.id)},"source":{"file":${json(alert.source.file)}${member('record', alert.source.record)}${member('vendor', alert.source.vendor)}}` +
    `${member('time', alert.time)}${member('title', alert.title)}${member('severity', alert.severity)}${member('action', alert.action)}` +
    `${member('label', verdict.label)}${member('confidence', Math.round(verdict.confidence * 100) / 100)}${member('context', verdict.context)}${member('cause', verdict.cause)}` +
    `,"kubernetes":{"cluster":${json(correlation.cluster ?? null)}${member('node', s.node?.metadata.name ?? pod?.spec.nodeName ?? null)}${member('namespace', pod?.metadata.namespace ?? null)}` +
    `${member('pod', pod?.metadata.name ?? null)}${member('container', s.container?.spec.name ?? null)}${member('workload', workload)}}` +
    `,"reasons":[${reasons}]${correlation.notes.length ? member('notes', correlation.notes) : ''}${member('fingerprint', fingerprint(alert))}` +
    `${options.baseline ? member('baseline', options.baseline.has(result) ? 'known' : 'new') : ''}}`
  );
}
