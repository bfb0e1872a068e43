import type { Writable } from 'node:stream';
import type { TriageResult } from '../triage/model.js';
import type { Summary } from './summary.js';

export interface ReportOptions {
  color: boolean;
  explain: boolean;
  /** Terminal width for human formats. */
  width?: number;
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
