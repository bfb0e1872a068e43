import type { Writable } from 'node:stream';
import type { TriageResult } from '../triage/model.js';
import type { Summary } from './summary.js';

export interface ReportOptions {
  color: boolean;
  explain: boolean;
  /** Terminal width for human formats. */
  width?: number;
  /** From `--baseline`: alerts it holds are marked known, the others new. */
  baseline?: BaselineLookup;
  /** Generation time to print, only when `--timestamp` is given: reports never read the wall clock themselves. */
  timestamp?: string;
}

/** A set of alerts seen in an earlier run (see baseline.ts). */
export interface BaselineLookup {
  has(result: TriageResult): boolean;
}

/** A streaming report sink: add() per verdict in input order, finish() once with the summary. */
export interface ReportSink {
  add(result: TriageResult): void;
  finish(summary: Summary): void | Promise<void>;
}

/** One output format, one file, like Trivy's report writers. */
export interface ReportFormat {
  id: string;
  description: string;
  create(out: Writable, options: ReportOptions): ReportSink;
}
