/**
 * CSV (RFC 4180) in two steps, so that the work can be spread over threads without changing a byte of the result:
 *
 *  1. CsvFramer cuts the byte stream into frames of whole records. A line break ends a record only outside a quoted
 *     cell, and that needs no parsing, only a four-state scan (cell start, unquoted, quoted, quote inside quoted): a quote
 *     opens a quoted cell only at the start of a cell, as csv-parse reads it, so a stray quote in an unquoted cell
 *     spoils that record alone. One pass over the bytes; it also counts the records of each frame, so every record's
 *     number is known before any frame is parsed, and it refuses a record larger than the limit without buffering it.
 *  2. decodeCsvRecords parses the records of one frame into cells, strictly: a quote inside an unquoted cell, text after
 *     a closing quote or a quote left open make that record a problem (with its line), and the record's end is found by
 *     the same scan as the framer's, so both always agree on where records start.
 *
 * Cells are kept as text; blank records are skipped; the first record is the header. A hand-written parser is used
 * rather than csv-parse: on a 15-column export it is several times faster, and csv-parse cannot be started in the
 * middle of a file (see bench/README.md for the measurements).
 */
import type { DataFrame, Frame, Framer } from './input.js';
import { FRAME_BYTES } from './input.js';
import type { RawRecord } from '../vendors/profile.js';

export interface CsvRow {
  record: Record<string, string>;
  /** 1-based data row (the header is not counted). */
  row: number;
  /** 1-based physical line where the row starts. */
  line: number;
}

export interface CsvProblem {
  error: string;
  line: number;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Scan states: where a byte falls in its record. Only in QUOTED does a line break not end the record. */
const CELL_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;

/** The scan state after byte `b` (not a line break) in state `state`. */
function nextState(state: number, b: number, delim: number): number {
  if (b === QUOTE) return state === CELL_START ? QUOTED : state === QUOTED ? QUOTE_IN_QUOTED : state === QUOTE_IN_QUOTED ? QUOTED : UNQUOTED;
  if (state === QUOTED) return QUOTED;
  if (b === delim) return CELL_START;
  return UNQUOTED;
}

/** Guess the delimiter from the header line: the most frequent of , ; tab | outside quotes. */
export function sniffDelimiter(head: string): string {
  const firstLine = head.split(/\r?\n/, 1)[0] ?? '';
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let quoted = false;
  for (const c of firstLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c in counts) counts[c]++;
  }
  let best = ',';
  for (const d of Object.keys(counts)) if (counts[d] > counts[best]) best = d;
  return best;
}

/** Cuts a CSV byte stream into frames of whole records (see the file comment). */
export class CsvFramer implements Framer {
  private parts: Buffer[] = [];
  private size = 0;
  private records = 0;
  private frameLine = 1;
  /** Line number of the next byte to scan, and of the first byte of the record in progress. */
  private line = 1;
  private recordLine = 1;
  /** Bytes of the record in progress that came in earlier buffers. */
  private carry: Buffer[] = [];
  private carrySize = 0;
  private state = CELL_START;
  /** The record in progress has content (a record of zero bytes is a blank line). */
  private filled = false;
  /** A CR ended the previous buffer: an LF starting the next one is the second half of its CRLF. */
  private pendingCr = false;
  /** The record in progress is over the limit: its bytes are dropped until it ends. */
  private skipping = false;
  /** The pending CR ended a record that went into the frame (not a refused one). */
  private crInFrame = false;

  private readonly delim: number;

  constructor(
    private readonly maxRecordBytes: number,
    private readonly frameBytes = FRAME_BYTES,
    delimiter = ',',
  ) {
    this.delim = delimiter.charCodeAt(0);
  }

  push(input: Buffer): Frame[] {
    const out: Frame[] = [];
    let buf = input;
    let first = 0;
    if (this.pendingCr && buf.length) {
      this.pendingCr = false;
      // The LF completes the CRLF whose CR already counted the line: inside quotes it is cell content (but not a second
      // line); after a record it ends the frame that holds that record's CR (so no decoder ever sees the two apart).
      if (buf[0] === LF) {
        if (this.state === QUOTED) first = 1;
        else {
          if (this.crInFrame) this.take(buf.subarray(0, 1));
          buf = buf.subarray(1);
        }
      }
      if (this.state !== QUOTED && this.size >= this.frameBytes) this.flush(out);
    }
    const n = buf.length;
    const delim = this.delim;
    let state = this.state;
    let filled = this.filled;
    /** Start in buf of the record in progress (its earlier bytes, if any, are in the carry). */
    let recordStart = 0;
    for (let i = first; i < n; i++) {
      const b = buf[i];
      if (b !== LF && b !== CR) {
        if (state === QUOTED && b !== QUOTE) {
          // Inside a quoted cell only a quote or a line break changes anything: the other bytes keep QUOTED.
          let j = i + 1;
          while (j < n) {
            const c = buf[j];
            if (c === QUOTE || c === LF || c === CR) break;
            j++;
          }
          filled = true;
          i = j - 1;
          continue;
        }
        if (state !== QUOTED && b !== QUOTE && b !== delim) {
          // An unquoted run: every byte up to a quote, a delimiter or a line break leaves the state UNQUOTED.
          let j = i + 1;
          while (j < n) {
            const c = buf[j];
            if (c === QUOTE || c === delim || c === LF || c === CR) break;
            j++;
          }
          state = UNQUOTED;
          filled = true;
          i = j - 1;
          continue;
        }
        state = nextState(state, b, delim);
        filled = true;
        continue;
      }
      let end = i + 1;
      if (b === CR) {
        if (i + 1 < n) {
          if (buf[i + 1] === LF) end = i + 2;
        } else {
          this.pendingCr = true;
        }
      }
      this.line++;
      if (state === QUOTED) {
        i = end - 1;
        continue;
      }
      state = CELL_START;
      // The record ends here.
      this.crInFrame = false;
      if (this.skipping) {
        this.refuse(out);
        this.skipping = false;
      } else if (this.carrySize + (i - recordStart) > this.maxRecordBytes) {
        this.carry = [];
        this.carrySize = 0;
        this.refuse(out);
      } else {
        if (filled) this.records++;
        for (const c of this.carry) this.take(c);
        this.carry = [];
        this.carrySize = 0;
        this.take(buf.subarray(recordStart, end));
        this.crInFrame = this.pendingCr;
        if (this.size >= this.frameBytes && !this.pendingCr) this.flush(out);
      }
      filled = false;
      recordStart = end;
      this.recordLine = this.line;
      i = end - 1;
    }
    this.state = state;
    this.filled = filled;
    if (!this.skipping && recordStart < n) {
      if (this.carrySize + (n - recordStart) > this.maxRecordBytes) {
        this.carry = [];
        this.carrySize = 0;
        this.skipping = true;
      } else {
        this.carry.push(buf.subarray(recordStart));
        this.carrySize += n - recordStart;
      }
    }
    return out;
  }

  end(): Frame[] {
    const out: Frame[] = [];
    if (this.skipping) {
      this.refuse(out);
      this.skipping = false;
    } else if (this.carrySize > 0) {
      if (this.filled) this.records++;
      for (const c of this.carry) this.take(c);
      this.carry = [];
      this.carrySize = 0;
    }
    this.flush(out);
    return out;
  }

  flushComplete(): Frame[] {
    const out: Frame[] = [];
    this.flush(out);
    this.carry = [];
    this.carrySize = 0;
    return out;
  }

  get nextLine(): number {
    return this.recordLine;
  }

  private refuse(out: Frame[]): void {
    this.flush(out);
    out.push({ kind: 'problem', line: this.recordLine, message: `record larger than ${this.maxRecordBytes} bytes`, records: 1 });
  }

  /** Whole records (or blank lines) starting at the record line. */
  private take(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.size === 0) this.frameLine = this.recordLine;
    this.parts.push(bytes);
    this.size += bytes.length;
  }

  private flush(out: Frame[]): void {
    if (this.size > 0) {
      const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
      out.push({ kind: 'data', bytes, firstLine: this.frameLine, records: this.records });
    }
    this.parts = [];
    this.size = 0;
    this.records = 0;
  }
}

/** A parsed record (or a problem) with its place in the file. */
export interface CsvItem {
  cells?: string[];
  error?: string;
  /** 1-based record number in the file, counting the header. */
  record: number;
  line: number;
}

/**
 * Parses the records of one frame (whole records only). `firstRecord` is the file-wide number of its first record
 * (the header is record 1), `firstLine` the physical line of its first byte.
 */
export function decodeCsvRecords(text: string, delimiter: string, firstRecord: number, firstLine: number): CsvItem[] {
  const delim = delimiter.charCodeAt(0);
  const n = text.length;
  const out: CsvItem[] = [];
  let i = 0;
  let line = firstLine;
  let record = firstRecord;
  while (i < n) {
    const c0 = text.charCodeAt(i);
    // A blank record: just a line break.
    if (c0 === LF) {
      line++;
      i++;
      continue;
    }
    if (c0 === CR) {
      line++;
      i += i + 1 < n && text.charCodeAt(i + 1) === LF ? 2 : 1;
      continue;
    }
    const start = i;
    const startLine = line;
    const cells: string[] = [];
    let error: string | undefined;
    for (;;) {
      // One cell starting at i.
      if (i < n && text.charCodeAt(i) === QUOTE) {
        let value = '';
        let from = i + 1;
        let closed = false;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q === -1) break;
          line += countBreaks(text, from, q);
          if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          closed = true;
          break;
        }
        if (!closed) {
          error = 'a quoted cell is never closed';
          i = n;
          break;
        }
        cells.push(value);
        const after = i < n ? text.charCodeAt(i) : -1;
        if (after === delim) {
          i++;
          continue;
        }
        if (after === -1 || after === LF || after === CR) break;
        error = `unexpected text after the closing quote of cell ${cells.length}`;
        break;
      }
      let j = i;
      let ch = -1;
      while (j < n) {
        ch = text.charCodeAt(j);
        if (ch === delim || ch === LF || ch === CR || ch === QUOTE) break;
        j++;
      }
      if (j < n && ch === QUOTE) {
        error = `a quote inside unquoted cell ${cells.length + 1}`;
        i = j;
        break;
      }
      cells.push(text.slice(i, j));
      i = j;
      if (j < n && ch === delim) {
        i++;
        continue;
      }
      break;
    }
    if (error !== undefined) {
      // Resynchronise exactly as the framer does: the record ends at the first line break outside a quoted cell.
      i = start;
      line = startLine;
      let state = CELL_START;
      while (i < n) {
        const ch = text.charCodeAt(i);
        if (ch === LF || ch === CR) {
          if (state !== QUOTED) break;
          line++;
          if (ch === CR && i + 1 < n && text.charCodeAt(i + 1) === LF) i++;
        } else {
          state = nextState(state, ch, delim);
        }
        i++;
      }
      out.push({ error, record, line: startLine });
    } else {
      out.push({ cells, record, line: startLine });
    }
    record++;
    // The record's line break.
    if (i < n) {
      const ch = text.charCodeAt(i);
      line++;
      i += ch === CR && i + 1 < n && text.charCodeAt(i + 1) === LF ? 2 : 1;
    }
  }
  return out;
}

function countBreaks(text: string, from: number, to: number): number {
  // A loop over [from, to) only: indexOf would search on past `to` (to the end of the frame when it holds no CR).
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) count++;
    else if (c === CR) {
      count++;
      if (i + 1 < to && text.charCodeAt(i + 1) === LF) i++;
    }
  }
  return count;
}

/** Column names from a header record: trimmed, blanks named columnN. */
export function headerColumns(cells: string[]): string[] {
  return cells.map((c, i) => c.trim() || `column${i + 1}`);
}

/** A data record keyed by column names, or why it cannot be one. */
export function csvRecord(cells: string[], columns: string[]): RawRecord | string {
  if (cells.length !== columns.length) return `expected ${columns.length} columns, found ${cells.length}`;
  const record: Record<string, string> = {};
  for (let i = 0; i < columns.length; i++) record[columns[i]] = cells[i];
  return record;
}

/**
 * Streams CSV rows as column → value objects from text chunks. Broken rows become problems; the rest of the file goes
 * on. (The readers use the framer and decoder directly; this is the same thing for callers holding text.)
 */
export async function* readCsv(chunks: AsyncIterable<string>, delimiter: string, maxRecordBytes = 16 * 1024 * 1024): AsyncGenerator<CsvRow | CsvProblem> {
  const framer = new CsvFramer(maxRecordBytes, undefined, delimiter);
  let columns: string[] | undefined;
  let record = 1;
  function* rows(frames: Frame[]): Generator<CsvRow | CsvProblem> {
    for (const frame of frames) {
      if (frame.kind === 'problem') {
        if (frame.records) record++;
        yield { error: frame.message, line: frame.line };
        continue;
      }
      for (const item of decodeCsvRecords(frame.bytes.toString('utf8'), delimiter, record, frame.firstLine)) {
        if (!columns) {
          if (item.cells) columns = headerColumns(item.cells);
          else yield { error: item.error!, line: item.line };
          continue;
        }
        if (item.error !== undefined) {
          yield { error: item.error, line: item.line };
          continue;
        }
        const r = csvRecord(item.cells!, columns);
        if (typeof r === 'string') yield { error: r, line: item.line };
        else yield { record: r as Record<string, string>, row: item.record - 1, line: item.line };
      }
      record += frame.records;
    }
  }
  for await (const chunk of chunks) yield* rows(framer.push(Buffer.from(chunk, 'utf8')));
  yield* rows(framer.end());
}

export type { DataFrame };
