/**
 * Streaming report formats split in two: a triage thread renders each verdict's text (the costly part), the main
 * thread writes the pieces in input order with what only it knows (the filter, the baseline, the CSV header fixed by
 * the first alert written, the JSON separators). The bytes are those of the formats' own sinks (src/report/ndjson.ts,
 * json.ts, csv.ts): test/perf/triage-workers.test.ts compares every format with the serial path.
 */
import type { Writable } from 'node:stream';
import { csvCell, rawCellText, VERDICT_COLUMNS, verdictCellValues } from '../report/csv.js';
import type { Summary } from '../report/summary.js';
import { verdictJson } from '../report/verdict-json.js';
import { toVerdictRecord } from '../report/verdict-record.js';
import type { TriageResult } from '../triage/model.js';

export type StreamFormat = 'ndjson' | 'json' | 'csv';

export function isStreamFormat(id: string): id is StreamFormat {
  return id === 'ndjson' || id === 'json' || id === 'csv';
}

/** One frame's verdicts as text, one piece per alert (ndjson: the record and its line end; json: the record; csv: the verdict cells). */
export interface RenderedPieces {
  text: string;
  /** End offset of each alert's piece in `text`. */
  ends: number[];
  /** csv: the distinct raw key lists of this frame, which one each alert has, and the alerts' raw cells in a row. */
  rawKeys?: string[][];
  rawKeyOf?: number[];
  rawCells?: string[];
}

/** The verdict cells of the csv format, without `kdr_baseline` (the main thread appends it). */
function csvVerdictCells(result: TriageResult): string {
  const values = verdictCellValues(result);
  return VERDICT_COLUMNS.map((c) => csvCell(values[c])).join(',');
}

/** Triage-thread side: collects the pieces of one frame. */
export class PieceRenderer {
  private parts: string[] = [];
  private ends: number[] = [];
  private length = 0;
  private rawKeys: string[][] = [];
  private rawKeyIds = new Map<string, number>();
  private rawKeyOf: number[] = [];
  private rawCells: string[] = [];

  constructor(private readonly format: StreamFormat) {}

  add(result: TriageResult): void {
    let piece: string;
    if (this.format === 'csv') {
      piece = csvVerdictCells(result);
      const raw = result.alert.raw ?? {};
      const keys = Object.keys(raw);
      const signature = keys.join('\u0000');
      let id = this.rawKeyIds.get(signature);
      if (id === undefined) {
        id = this.rawKeys.length;
        this.rawKeys.push(keys);
        this.rawKeyIds.set(signature, id);
      }
      this.rawKeyOf.push(id);
      for (const key of keys) this.rawCells.push(csvCell(rawCellText(raw[key])));
    } else {
      const record = verdictJson(toVerdictRecord(result));
      piece = this.format === 'ndjson' ? `${record}\n` : record;
    }
    this.parts.push(piece);
    this.length += piece.length;
    this.ends.push(this.length);
  }

  take(): RenderedPieces {
    const out: RenderedPieces = { text: this.parts.join(''), ends: this.ends };
    if (this.format === 'csv') Object.assign(out, { rawKeys: this.rawKeys, rawKeyOf: this.rawKeyOf, rawCells: this.rawCells });
    this.parts = [];
    this.ends = [];
    this.length = 0;
    this.rawKeys = [];
    this.rawKeyIds = new Map();
    this.rawKeyOf = [];
    this.rawCells = [];
    return out;
  }
}

/** Where an alert's raw cells start in its frame's rawCells, per alert (computed once per frame). */
function rawOffsets(pieces: RenderedPieces): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const id of pieces.rawKeyOf ?? []) {
    offsets.push(at);
    at += pieces.rawKeys![id].length;
  }
  return offsets;
}

const KNOWN_TAIL = ',"baseline":"known"}';
const NEW_TAIL = ',"baseline":"new"}';

/**
 * Main-thread side: writes the pieces it is given, in the order given, as the format's sink would have written the
 * results they came from. `known` is the baseline's answer for the alert, undefined without a baseline.
 */
export class PieceWriter {
  private pending: string[] = [];
  private first = true;
  private rawColumns: string[] | null = null;
  private rawColumnsSignature = '';
  private frame: RenderedPieces | undefined;
  private frameRawOffsets: number[] = [];

  constructor(
    private readonly format: StreamFormat,
    private readonly out: Writable,
    private readonly baseline: boolean,
  ) {
    if (format === 'json') out.write('{\n  "verdicts": [');
  }

  add(pieces: RenderedPieces, n: number, known: boolean | undefined): void {
    let piece = pieces.text.slice(n === 0 ? 0 : pieces.ends[n - 1], pieces.ends[n]);
    switch (this.format) {
      case 'ndjson':
        if (this.baseline) piece = piece.slice(0, -2) + (known ? KNOWN_TAIL : NEW_TAIL) + '\n';
        this.pending.push(piece);
        break;
      case 'json':
        if (this.baseline) piece = piece.slice(0, -1) + (known ? KNOWN_TAIL : NEW_TAIL);
        this.pending.push(this.first ? '\n    ' : ',\n    ', piece);
        break;
      case 'csv':
        this.pending.push(this.csvRow(pieces, n, piece, known));
        break;
    }
    this.first = false;
  }

  /** A frame whose alerts are all written, in order: its text as it stands (ndjson without a baseline). */
  addAll(pieces: RenderedPieces): void {
    if (this.format === 'ndjson' && !this.baseline) {
      this.pending.push(pieces.text);
      if (pieces.ends.length) this.first = false;
      return;
    }
    for (let n = 0; n < pieces.ends.length; n++) this.add(pieces, n, undefined);
  }

  private csvRow(pieces: RenderedPieces, n: number, verdictCells: string, known: boolean | undefined): string {
    if (this.frame !== pieces) {
      this.frame = pieces;
      this.frameRawOffsets = rawOffsets(pieces);
    }
    const keys = pieces.rawKeys![pieces.rawKeyOf![n]];
    const at = this.frameRawOffsets[n];
    if (this.rawColumns === null) this.writeCsvHeader(keys);
    let raw: string[];
    if (keys.length === this.rawColumns!.length && keys.join('\u0000') === this.rawColumnsSignature) {
      raw = pieces.rawCells!.slice(at, at + keys.length);
    } else {
      const cellOf = new Map<string, string>();
      keys.forEach((k, i) => cellOf.set(k, pieces.rawCells![at + i]));
      raw = this.rawColumns!.map((column) => cellOf.get(column) ?? '');
    }
    raw.push(verdictCells);
    if (this.baseline) raw.push(known ? 'known' : 'new');
    return `${raw.join(',')}\n`;
  }

  /** As CsvSink.writeHeader: the first alert's raw columns, then the verdict columns (suffixed when a name is taken). */
  private writeCsvHeader(keys: string[]): void {
    this.rawColumns = keys;
    this.rawColumnsSignature = keys.join('\u0000');
    const taken = new Set(keys);
    const names: string[] = [];
    for (const key of [...VERDICT_COLUMNS, ...(this.baseline ? ['kdr_baseline'] : [])]) {
      let name = key;
      for (let i = 2; taken.has(name); i++) name = `${key}_${i}`;
      taken.add(name);
      names.push(name);
    }
    this.pending.push([...keys, ...names].map(csvCell).join(',') + '\n');
  }

  /** Writes what was added since the last flush; true when the stream wants a drain before more. */
  flush(): boolean {
    if (this.pending.length === 0) return false;
    const text = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
    this.pending = [];
    return !this.out.write(text);
  }

  finish(summary: Summary): Promise<void> {
    if (this.format === 'csv' && this.rawColumns === null) this.writeCsvHeader([]);
    if (this.format === 'json') this.pending.push(`${this.first ? '' : '\n  '}],\n  "summary": ${JSON.stringify(summary, null, 2).replace(/\n/g, '\n  ')}\n}\n`);
    const text = this.pending.join('');
    this.pending = [];
    return new Promise((resolve, reject) => this.out.write(text, (error) => (error ? reject(error) : resolve())));
  }
}
