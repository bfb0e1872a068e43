import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { readAlerts, type ReadOptions } from './alerts/read.js';
import { expandInputs, InputError } from './alerts/readers/input.js';
import type { ClusterIndex, ClusterSnapshot } from './cluster/model.js';
import type { BaselineLookup, ReportFormat } from './report/model.js';
import { openOutputFile, OutputFileError } from './report/output-file.js';
import { SummaryBuilder, type Summary } from './report/summary.js';
import { UsageError } from './usage-error.js';
import { stat } from 'node:fs/promises';
import { correlateAlert, triageAlert } from './triage/pipeline.js';
import type { BatchStats, TriageResult } from './triage/model.js';
import { BatchCollector } from './triage/batch.js';
import { TriageProgress } from './report/progress.js';

export interface RunOptions {
  inputs: string[];
  read: ReadOptions;
  index?: ClusterIndex;
  clusterIndexes?: ClusterIndex[];
  snapshots: ClusterSnapshot[];
  policy?: unknown;
  format: ReportFormat;
  output?: string;
  /** Other files and directories the run reads (snapshots, audit logs, policy, baseline): -o must spare them. */
  contextPaths?: string[];
  color: boolean;
  explain: boolean;
  width?: number;
  filter?: (r: TriageResult) => boolean;
  warn: (message: string) => void;
  /** Counts toward --fail-on. */
  failOn?: (r: TriageResult) => boolean;
  baseline?: BaselineLookup;
  /** Printed by reports only when given (--timestamp). */
  timestamp?: string;
  /** Extra warnings to report in the summary (expired policy exceptions, baseline problems). */
  notices?: string[];
  /**
   * The first pass that finds the same command in several replicas of a workload: `auto` runs it for files up to
   * REPLICA_PASS_AUTO_BYTES in all (not for stdin), `on` always for files, `off` never.
   */
  replicaPass?: 'auto' | 'on' | 'off';
  /** A progress line on stderr (only drawn when stderr is a terminal). */
  progress?: boolean;
}

export interface RunOutcome {
  summary: Summary;
  failed: boolean;
  /** Inputs refused entirely (unknown format, unreadable). */
  refused: number;
}

export { UsageError } from './usage-error.js';

const HOUR_MS = 3_600_000;
const STALE_AFTER_MS = 24 * HOUR_MS;

/** Principle 4: say when the context is far newer or older than the alerts it explains. */
export function snapshotAgeWarnings(snapshots: ClusterSnapshot[], firstAlert: string | null, lastAlert: string | null): string[] {
  if (!firstAlert || !lastAlert) return [];
  const first = Date.parse(firstAlert);
  const last = Date.parse(lastAlert);
  const out: string[] = [];
  for (const s of snapshots) {
    // A plain kubectl dump has no capture time; its newest object timestamp is a lower bound of it.
    const when = s.capturedAt ?? s.observedUntil ?? null;
    if (!when) continue;
    const t = Date.parse(when);
    const what = s.capturedAt ? `was captured` : `holds objects updated until ${when}, so it was captured at least`;
    const hours = (ms: number) => `${Math.round(ms / HOUR_MS)} h`;
    if (t - last > STALE_AFTER_MS) out.push(`the ${s.cluster} snapshot ${what} ${hours(t - last)} after the last alert: pods, restarts and events may have changed since`);
    else if (s.capturedAt && first - t > HOUR_MS) out.push(`the ${s.cluster} snapshot was captured ${hours(first - t)} before the first alert: pods created since are unknown to it`);
  }
  return out;
}

function openOutput(path: string | undefined, inputs: string[], context: string[] = []): Writable {
  if (!path || path === '-') return process.stdout;
  try {
    return openOutputFile(path, { inputs, context });
  } catch (error) {
    if (error instanceof OutputFileError) throw new UsageError(error.message);
    throw error;
  }
}

/** Above this total input size `auto` skips the first pass: a second read would double the time of a huge batch. */
export const REPLICA_PASS_AUTO_BYTES = 32 * 1024 * 1024;

/** Pass 1: correlate every alert once and keep, per (workload, command), a bounded set of pods. Nothing else. */
async function collectReplicaStats(files: string[], options: RunOptions): Promise<BatchStats | undefined> {
  const mode = options.replicaPass ?? 'auto';
  if (mode === 'off' || (!options.index && !options.clusterIndexes) || files.includes('-')) return undefined;
  if (mode === 'auto') {
    let total = 0;
    for (const f of files) total += (await stat(f)).size;
    if (total > REPLICA_PASS_AUTO_BYTES) return undefined;
  }
  const collector = new BatchCollector();
  for await (const event of readAlerts(files, options.read)) {
    if (event.kind !== 'alert') continue;
    const placed = correlateAlert(event.alert, options);
    if (placed) collector.add(event.alert, placed.correlation);
  }
  return collector.stats;
}

/** Read → triage → report, streaming: one alert in memory at a time (plus the report's bounded buffers). */
export async function run(options: RunOptions): Promise<RunOutcome> {
  let files: string[];
  try {
    files = await expandInputs(options.inputs, options.warn);
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(error.message);
    throw error;
  }
  const batch = await collectReplicaStats(files, options);
  const out = openOutput(options.output, files, options.contextPaths);
  const sink = options.format.create(out, { color: options.color, explain: options.explain, width: options.width, baseline: options.baseline, timestamp: options.timestamp });
  const summary = new SummaryBuilder({ baseline: options.baseline });
  for (const s of options.snapshots) {
    summary.snapshot(s.cluster, s.capturedAt);
    for (const g of s.gaps) summary.gap(`${g.cluster ?? s.cluster}: ${g.resource}: ${g.reason}`);
  }
  for (const notice of options.notices ?? []) summary.warning(notice, 'policy-exception-expired');
  const progress = new TriageProgress(process.stderr, options.progress === true && process.stderr.isTTY === true);
  const callerWarn = options.warn;
  options = { ...options, warn: (message: string) => (progress.clear(), callerWarn(message)) };
  let genuine = 0;
  let triagedCount = 0;
  let rejectedCount = 0;
  let failed = false;
  let refused = 0;
  const perFile = new Map<string, { vendor: string; records: number }>();
  for await (const event of readAlerts(files, options.read)) {
    switch (event.kind) {
      case 'file':
        perFile.set(event.file, { vendor: event.vendor, records: 0 });
        break;
      case 'refused':
        refused++;
        options.warn(`${event.file}: ${event.message}`);
        summary.warning(`${event.file}: ${event.message}`, 'refused-input');
        break;
      case 'rejected': {
        const message = `${event.file}:${event.line}: record ${event.record} skipped: ${event.message}`;
        options.warn(message);
        summary.warning(message, 'bad-record');
        summary.rejected();
        rejectedCount++;
        const f = perFile.get(event.file);
        if (f) f.records++;
        break;
      }
      case 'skipped':
        break;
      case 'alert': {
        const f = perFile.get(event.alert.source.file);
        if (f) f.records++;
        const result = triageAlert(event.alert, { index: options.index, clusterIndexes: options.clusterIndexes, policy: options.policy, batch });
        if (options.filter && !options.filter(result)) {
          summary.filtered();
          break;
        }
        summary.add(result);
        if (options.failOn?.(result)) failed = true;
        if (result.verdict.label === 'genuine') genuine++;
        progress.update(++triagedCount, genuine, rejectedCount);
        sink.add(result);
        // A file or a slow pipe: wait for it rather than buffer the report in memory.
        if (out.writableNeedDrain) await once(out, 'drain');
        break;
      }
    }
  }
  progress.clear();
  for (const [file, f] of perFile) summary.file(file, f.vendor, f.records);
  const built = summary.build();
  for (const warning of snapshotAgeWarnings(options.snapshots, built.coverage.firstAlert, built.coverage.lastAlert)) options.warn(warning);
  await sink.finish(built);
  if (out !== process.stdout) await new Promise<void>((resolveEnd, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolveEnd())));
  return { summary: built, failed, refused };
}
