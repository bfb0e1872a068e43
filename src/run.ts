import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { readAlerts, readRecords, type FileEvent, type ReadEvent, type ReadOptions, type RecordRoute } from './alerts/read.js';
import { expandInputs, InputError } from './alerts/readers/input.js';
import type { ClusterIndex, ClusterSnapshot } from './cluster/model.js';
import type { BaselineLookup, ReportFormat } from './report/model.js';
import { openOutputFile, OutputFileError } from './report/output-file.js';
import { SummaryBuilder, type Summary } from './report/summary.js';
import { UsageError } from './usage-error.js';
import { statSync } from 'node:fs';
import { ATTACK_SIGNAL_RULES, correlateAlert, triageAlert } from './triage/pipeline.js';
import type { BatchStats, TriageResult } from './triage/model.js';
import { BatchCollector } from './triage/batch.js';
import { TriageProgress } from './report/progress.js';
import { digestView } from './report/digest.js';
import { knownComponents, NODE_COMPONENTS } from './knowledge/components.js';
import type { SnapshotFiles } from './parallel/context.js';
import { buildIndex } from './cluster/index.js';
import { isStreamFormat, PieceWriter, type StreamFormat } from './parallel/render.js';
import type { TriagePool } from './parallel/triage-pool.js';
import { threadCountFromEnv } from './parallel/threads.js';
import { RecordKind, type TriagedBatch } from './parallel/triage-protocol.js';

/**
 * With triage threads, run() takes the context over: once it is handed to the threads, `snapshots` is emptied and
 * `index` / `clusterIndexes` are cleared on the options given, so that this thread's copy can be collected.
 */
export interface RunOptions {
  inputs: string[];
  read: ReadOptions;
  index?: ClusterIndex;
  clusterIndexes?: ClusterIndex[];
  snapshots: ClusterSnapshot[];
  /**
   * Build `index` / `clusterIndexes` from `snapshots` only when this thread triages (indexesOf): with triage threads
   * each thread builds its own, and this thread's would be wasted time and memory.
   */
  indexLater?: boolean;
  /** Where the first snapshots were read from: triage threads read those files again rather than receive the objects. */
  snapshotFiles?: SnapshotFiles;
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
  /** Triage threads (--threads); 0 or undefined: triage in this thread (KDR_TRIAGE_WORKERS may still ask for them). */
  triageThreads?: number;
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

/**
 * From this many pods in the cluster context, records are read in the main thread unless threads are asked for. A
 * reader thread takes decoding and mapping off the triaging thread; that pays while the context is small and costs
 * memory once it is large: V8 lets a heap grow in proportion to what it holds, and the faster the main thread
 * allocates, the more. Measured (200,000 CSV alerts, 2 cores): 50,000 pods 15.7 s / 340 MiB with the thread against
 * 22.3 s / 283 MiB without; 150,000 pods 17.0 s / 624 MiB against 18.0 s / 458 MiB (1,000,000 alerts: 74.6 s /
 * 713 MiB against 79.8 s / 460 MiB).
 */
export const READER_THREADS_MAX_PODS = 100_000;

/** The read options of a run: reader threads left to their default only for a context under READER_THREADS_MAX_PODS. */
export function readOptionsFor(options: Pick<RunOptions, 'read' | 'snapshots' | 'index' | 'clusterIndexes'>): ReadOptions {
  if (options.read.workers !== undefined || threadCountFromEnv() !== undefined) return options.read;
  let pods = 0;
  for (const s of options.snapshots) pods += s.objects.pods.length;
  return pods >= READER_THREADS_MAX_PODS ? { ...options.read, workers: 0 } : options.read;
}

/** Above this total input size `auto` skips the first pass: a second read would double the time of a huge batch. */
export const REPLICA_PASS_AUTO_BYTES = 32 * 1024 * 1024;

/** One group per cluster when the snapshots hold several (each gets an index of its own), else undefined (one index). */
function clusterGroups(snapshots: ClusterSnapshot[]): string[][] | undefined {
  const clusters = [...new Set(snapshots.map((s) => s.cluster))].sort();
  return clusters.length > 1 ? clusters.map((c) => [c]) : undefined;
}

/** The indexes over `snapshots`: one, or one per cluster when there are several. */
export function indexesOf(snapshots: ClusterSnapshot[]): { index?: ClusterIndex; clusterIndexes?: ClusterIndex[] } {
  const groups = clusterGroups(snapshots);
  if (groups) return { clusterIndexes: groups.map(([cluster]) => buildIndex(snapshots.filter((s) => s.cluster === cluster))) };
  return { index: snapshots.length ? buildIndex(snapshots) : undefined };
}

/** Whether the run has a cluster context, built or to be built. */
function hasContext(options: RunOptions): boolean {
  return !!(options.index || options.clusterIndexes || (options.indexLater && options.snapshots.length));
}

/** Builds the indexes asked for later (indexLater), once. */
function ensureIndexes(options: RunOptions): void {
  if (!options.indexLater || options.index || options.clusterIndexes) return;
  Object.assign(options, indexesOf(options.snapshots));
}

/**
 * Inputs up to this size in all are read once: the first pass keeps what it read (events and alerts of at most a few
 * MiB) and the second triages from it, instead of reading, decoding and mapping every record again (a start-up cost).
 */
export const SINGLE_READ_BYTES = 1024 * 1024;

/** What the first pass found, and for small inputs the events it read, which the second pass reads instead of the files. */
interface FirstPass {
  stats: BatchStats;
  events?: ReadEvent[];
}

/** Pass 1: correlate every alert once and keep, per (workload, command), a bounded set of pods. Nothing else. */
async function collectReplicaStats(files: string[], options: RunOptions): Promise<FirstPass | undefined> {
  const mode = options.replicaPass ?? 'auto';
  if (mode === 'off' || !hasContext(options) || files.includes('-')) return undefined;
  let total = 0;
  for (const f of files) total += statSync(f).size;
  if (mode === 'auto' && total > REPLICA_PASS_AUTO_BYTES) return undefined;
  ensureIndexes(options);
  const events: ReadEvent[] | undefined = total <= SINGLE_READ_BYTES ? [] : undefined;
  const collector = new BatchCollector(ATTACK_SIGNAL_RULES);
  for await (const event of readAlerts(files, options.read)) {
    events?.push(event);
    if (event.kind !== 'alert') continue;
    const placed = correlateAlert(event.alert, options);
    if (placed) collector.add(event.alert, placed.correlation, placed.index);
  }
  return { stats: collector.stats, events };
}

/** Events of the run that are about files and rejected records, and the counts: the same on both paths. */
class RunState {
  genuine = 0;
  triaged = 0;
  rejected = 0;
  failed = false;
  refused = 0;
  readonly perFile = new Map<string, { vendor: string; records: number }>();

  constructor(
    readonly summary: SummaryBuilder,
    readonly warn: (message: string) => void,
  ) {}

  fileEvent(event: FileEvent): void {
    if (event.kind === 'file') {
      this.perFile.set(event.file, { vendor: event.vendor, records: 0 });
      return;
    }
    this.refused++;
    this.warn(`${event.file}: ${event.message}`);
    this.summary.warning(`${event.file}: ${event.message}`, 'refused-input');
  }

  rejectedRecord(file: string, line: number, record: number, message: string): void {
    const text = `${file}:${line}: record ${record} skipped: ${message}`;
    this.warn(text);
    this.summary.warning(text, 'bad-record');
    this.summary.rejected();
    this.rejected++;
    const f = this.perFile.get(file);
    if (f) f.records++;
  }

  /** An alert read from `file`; false when a filter leaves it out of the report. */
  triagedAlert(file: string, result: TriageResult, options: RunOptions): boolean {
    const f = this.perFile.get(file);
    if (f) f.records++;
    if (options.filter && !options.filter(result)) {
      this.summary.filtered();
      return false;
    }
    this.summary.add(result);
    if (options.failOn?.(result)) this.failed = true;
    if (result.verdict.label === 'genuine') this.genuine++;
    this.triaged++;
    return true;
  }
}

/** Snapshot facts the run needs after the snapshots themselves are handed to the triage threads. */
type SnapshotFacts = Pick<ClusterSnapshot, 'cluster' | 'capturedAt' | 'observedUntil'>;

/** Read → triage → report, streaming: one alert in memory at a time (plus the report's bounded buffers). */
export async function run(options: RunOptions): Promise<RunOutcome> {
  const given = options;
  let files: string[];
  try {
    files = await expandInputs(options.inputs, options.warn);
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(error.message);
    throw error;
  }
  options = { ...options, read: readOptionsFor(options) };
  const firstPass = await collectReplicaStats(files, options);
  const batch = firstPass?.stats;
  const workers = await triageWorkerCount(files, options);
  if (workers === 0) ensureIndexes(options);
  const out = openOutput(options.output, files, options.contextPaths);
  const summary = new SummaryBuilder({ baseline: options.baseline });
  const snapshotFacts = summarizeSnapshots(options.snapshots, summary);
  for (const notice of options.notices ?? []) summary.warning(notice, 'policy-exception-expired');
  const progress = new TriageProgress(process.stderr, options.progress === true && process.stderr.isTTY === true);
  const callerWarn = options.warn;
  options = { ...options, warn: (message: string) => (progress.clear(), callerWarn(message)) };
  const state = new RunState(summary, options.warn);
  let finish: (built: Summary) => void | Promise<void>;
  const streamFormat = options.format.id;
  if (workers > 0 && isStreamFormat(streamFormat)) {
    // The triage threads' code (node:v8 to hand the context over, node:worker_threads) loads only when they start.
    const { collectGarbage } = await import('./parallel/release.js');
    const pool = await startPool(workers, options, batch, streamFormat);
    // The threads hold the context now: this thread lets its copy go, and collects it once this frame is suspended
    // (a frame's stale registers would keep it alive until then).
    release(options);
    release(given);
    setImmediate(collectGarbage);
    finish = await triageInThreads(files, options, pool, streamFormat, out, state, progress);
  } else {
    finish = await triageHere(firstPass?.events ?? readAlerts(files, options.read), options, batch, out, state, progress);
  }
  progress.clear();
  for (const [file, f] of state.perFile) summary.file(file, f.vendor, f.records);
  const built = summary.build();
  for (const warning of snapshotAgeWarnings(snapshotFacts as ClusterSnapshot[], built.coverage.firstAlert, built.coverage.lastAlert)) options.warn(warning);
  await finish(built);
  if (out !== process.stdout) await new Promise<void>((resolveEnd, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolveEnd())));
  return { summary: built, failed: state.failed, refused: state.refused };
}

/** The serial path: records mapped here (or in reader threads), every alert triaged in this thread. */
async function triageHere(events: AsyncIterable<ReadEvent> | Iterable<ReadEvent>, options: RunOptions, batch: BatchStats | undefined, out: Writable, state: RunState, progress: TriageProgress): Promise<(built: Summary) => void | Promise<void>> {
  const sink = options.format.create(out, { color: options.color, explain: options.explain, width: options.width, baseline: options.baseline, timestamp: options.timestamp });
  const triage = { index: options.index, clusterIndexes: options.clusterIndexes, policy: options.policy, batch };
  for await (const event of events) {
    switch (event.kind) {
      case 'file':
      case 'refused':
        state.fileEvent(event);
        break;
      case 'rejected':
        state.rejectedRecord(event.file, event.line, event.record, event.message);
        break;
      case 'skipped':
        break;
      case 'alert': {
        const result = triageAlert(event.alert, triage);
        if (!state.triagedAlert(event.alert.source.file, result, options)) break;
        progress.update(state.triaged, state.genuine, state.rejected);
        sink.add(result);
        // A file or a slow pipe: wait for it rather than buffer the report in memory.
        if (out.writableNeedDrain) await once(out, 'drain');
        break;
      }
    }
  }
  return (built) => sink.finish(built);
}

/**
 * How many triage threads: none unless asked for (--threads, or KDR_TRIAGE_WORKERS), since every thread holds its
 * own copy of the cluster context (150,000 pods: ≈ 600 MB each); none for what they cannot take (a --map profile,
 * stdin) or for formats that need every verdict at the end (table, markdown, html, junit).
 */
async function triageWorkerCount(files: string[], options: RunOptions): Promise<number> {
  const asked = options.triageThreads ?? threadCountFromEnv();
  if (!asked || !isStreamFormat(options.format.id) || options.read.customProfile || files.includes('-')) return 0;
  // The threads rebuild the indexes from the snapshots: an index given without its snapshots stays here.
  if (hasContext(options) && options.snapshots.length === 0) return 0;
  if (!(await import('./parallel/triage-pool.js')).triageWorkersAvailable()) return 0;
  return asked;
}

/** Items per unit when the main thread decoded them (Zeek rows). */
const ITEMS_PER_UNIT = 256;
/** Units in flight per triage thread: enough to keep it busy, little memory. */
const AHEAD_PER_THREAD = 4;
/**
 * Bytes per frame for triage threads: a unit's records, alerts and results live until it is done, and at 1 MiB (the
 * reading default) that is enough to be promoted and pile up in every thread's old generation (1.39 GB peak against
 * 0.76 GB at 64 KiB, 100,000 alerts, 30,000 pods, 2 threads); a message per 64 KiB costs < 1 % of its triage.
 */
const TRIAGE_FRAME_BYTES = 64 * 1024;

/**
 * The parallel path: the context goes to the triage threads once, and this thread's reference to it is dropped (it
 * only frames the input, keeps the summary and writes the report from the threads' pieces, in input order).
 */
/** Registers the snapshots with the summary (in a frame of its own: no register of run() keeps a snapshot). */
function summarizeSnapshots(snapshots: ClusterSnapshot[], summary: SummaryBuilder): SnapshotFacts[] {
  for (const s of snapshots) {
    summary.snapshot(s.cluster, s.capturedAt);
    for (const g of s.gaps) summary.gap(`${g.cluster ?? s.cluster}: ${g.resource}: ${g.reason}`);
  }
  return snapshots.map((s) => ({ cluster: s.cluster, capturedAt: s.capturedAt, observedUntil: s.observedUntil }));
}

/** Drops the context from run options handed over to the triage threads: the objects, not only this variable. */
function release(options: RunOptions): void {
  options.snapshots.length = 0;
  options.clusterIndexes?.splice(0);
  options.index = undefined;
  options.clusterIndexes = undefined;
}

/**
 * Triage threads holding the context the main thread has, sent once as a shared buffer (from a frame of its own: the
 * buffer must not stay referenced here once every thread has read it).
 */
async function startPool(size: number, options: RunOptions, batch: BatchStats | undefined, format: StreamFormat): Promise<TriagePool> {
  const [{ encodeContext }, { TriagePool }] = await Promise.all([import('./parallel/context.js'), import('./parallel/triage-pool.js')]);
  const components = knownComponents();
  // Indexes not built yet (indexLater) are grouped as indexesOf would group them.
  const later = options.indexLater && !options.index && !options.clusterIndexes;
  const groups = later ? clusterGroups(options.snapshots) : options.clusterIndexes?.map((i) => [...i.clusters]);
  const context = encodeContext({
    snapshots: options.snapshots,
    single: later ? !groups && options.snapshots.length > 0 : options.index !== undefined,
    groups,
    files: options.snapshotFiles,
    policy: options.policy,
    batch,
    extraComponents: components === NODE_COMPONENTS ? [] : components.slice(NODE_COMPONENTS.length),
  });
  return new TriagePool(size, context, format);
}

/**
 * The parallel path: the triage threads hold the context; this thread only frames the input, keeps the summary and
 * writes the report from the threads' pieces, in input order.
 */
async function triageInThreads(files: string[], options: RunOptions, pool: TriagePool, format: StreamFormat, out: Writable, state: RunState, progress: TriageProgress): Promise<(built: Summary) => Promise<void>> {
  const writer = new PieceWriter(format, out, options.baseline !== undefined);
  const route: RecordRoute<TriagedBatch> = {
    items: (items, profile, settings) => pool.items(items, settings, profile.id).then((b) => [b]),
    frames: () => (frame) => pool.frame(frame).then((b) => [b]),
    ahead: pool.size * AHEAD_PER_THREAD,
    itemBatch: ITEMS_PER_UNIT,
  };
  const streamAll = !options.filter && !options.baseline;
  try {
    const read = { ...options.read, frameBytes: options.read.frameBytes ?? (process.env.KDR_TRIAGE_FRAME_BYTES ? undefined : TRIAGE_FRAME_BYTES) };
    for await (const event of readRecords(files, read, route)) {
      if (event.kind !== 'triaged') {
        state.fileEvent(event);
        continue;
      }
      const { kinds, digests, pieces } = event;
      let rejected = 0;
      let alert = 0;
      for (let i = 0; i < kinds.length; i++) {
        if (kinds[i] === RecordKind.rejected) {
          const r = event.rejected[rejected++];
          state.rejectedRecord(event.file, r.line, r.record, r.message);
        } else if (kinds[i] === RecordKind.alert) {
          const view = digestView(digests, alert);
          if (state.triagedAlert(event.file, view, options) && !streamAll) writer.add(pieces, alert, options.baseline?.has(view));
          alert++;
        }
      }
      if (streamAll) writer.addAll(pieces);
      progress.update(state.triaged, state.genuine, state.rejected);
      if (writer.flush()) await once(out, 'drain');
    }
  } finally {
    await pool.close();
  }
  return (built) => writer.finish(built);
}
