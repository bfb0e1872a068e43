import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { readAlerts, type ReadOptions } from './alerts/read.js';
import { expandInputs, InputError } from './alerts/readers/input.js';
import type { ClusterIndex, ClusterSnapshot } from './cluster/model.js';
import type { BaselineLookup, ReportFormat } from './report/model.js';
import { SummaryBuilder, type Summary } from './report/summary.js';
import { UsageError } from './usage-error.js';
import { triageAlert } from './triage/pipeline.js';
import type { TriageResult } from './triage/model.js';

export interface RunOptions {
  inputs: string[];
  read: ReadOptions;
  index?: ClusterIndex;
  snapshots: ClusterSnapshot[];
  policy?: unknown;
  format: ReportFormat;
  output?: string;
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
}

export interface RunOutcome {
  summary: Summary;
  failed: boolean;
  /** Inputs refused entirely (unknown format, unreadable). */
  refused: number;
}

export { UsageError } from './usage-error.js';

function openOutput(path: string | undefined, inputs: string[]): Writable {
  if (!path || path === '-') return process.stdout;
  const target = resolve(path);
  if (inputs.some((i) => i !== '-' && resolve(i) === target)) throw new UsageError(`-o ${path} would overwrite an input file`);
  return createWriteStream(path);
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
  const out = openOutput(options.output, files);
  const sink = options.format.create(out, { color: options.color, explain: options.explain, width: options.width, baseline: options.baseline, timestamp: options.timestamp });
  const summary = new SummaryBuilder({ baseline: options.baseline });
  for (const s of options.snapshots) {
    summary.snapshot(s.cluster, s.capturedAt);
    for (const g of s.gaps) summary.gap(`${g.cluster ?? s.cluster}: ${g.resource}: ${g.reason}`);
  }
  for (const notice of options.notices ?? []) summary.warning(notice, 'policy');
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
        const f = perFile.get(event.file);
        if (f) f.records++;
        break;
      }
      case 'skipped':
        break;
      case 'alert': {
        const f = perFile.get(event.alert.source.file);
        if (f) f.records++;
        const result = triageAlert(event.alert, { index: options.index, policy: options.policy });
        if (options.filter && !options.filter(result)) break;
        summary.add(result);
        if (options.failOn?.(result) && !options.baseline?.has(result)) failed = true;
        sink.add(result);
        // A file or a slow pipe: wait for it rather than buffer the report in memory.
        if (out.writableNeedDrain) await once(out, 'drain');
        break;
      }
    }
  }
  for (const [file, f] of perFile) summary.file(file, f.vendor, f.records);
  const built = summary.build();
  await sink.finish(built);
  if (out !== process.stdout) await new Promise<void>((resolveEnd, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolveEnd())));
  return { summary: built, failed, refused };
}
