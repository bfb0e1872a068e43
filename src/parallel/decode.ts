/**
 * Frame → records → alerts: the part of reading that can run anywhere. The same functions run in the main thread (small
 * inputs, the first frame, custom profiles) and in worker threads, so both paths give the same events byte for byte.
 */
import type { Alert } from '../alerts/model.js';
import type { DateOrder } from '../alerts/time.js';
import { csvRecord, decodeCsvRecords, type CsvItem } from '../alerts/readers/csv.js';
import type { DataFrame } from '../alerts/readers/input.js';
import { nestedDeeperThan, MAX_JSON_DEPTH, parseJsonRecord } from '../alerts/readers/json.js';
import { parseCefLine } from '../alerts/readers/cef.js';
import { NotAnAlert, type RawRecord, type VendorProfile } from '../alerts/vendors/profile.js';
import { alertProblem } from '../alerts/conform.js';

export type FrameFormat = 'csv' | 'json' | 'ndjson' | 'cef';

export interface RawItem {
  record?: RawRecord;
  error?: string;
  /** 1-based record position in the file (CSV data row, JSON array index + 1, non-blank line). */
  position: number;
  line: number;
}

/** The events a record turns into (a subset of ReadEvent, which read.ts re-exports). */
export type RecordEvent =
  | { kind: 'alert'; alert: Alert }
  | { kind: 'rejected'; file: string; line: number; record: number; message: string }
  | { kind: 'skipped'; file: string; record: number };

export interface DecodeSettings {
  format: FrameFormat;
  /** CSV: the delimiter and the header's column names. */
  delimiter?: string;
  columns?: string[];
}

/** The records of one frame, numbered from `firstPosition`. */
export function decodeFrame(frame: DataFrame, firstPosition: number, settings: DecodeSettings): RawItem[] {
  switch (settings.format) {
    case 'csv':
      return decodeCsvFrame(frame, firstPosition, settings.delimiter ?? ',', settings.columns ?? []);
    case 'json':
      return decodeJsonFrame(frame, firstPosition);
    default:
      return decodeLineFrame(frame, firstPosition, settings.format === 'cef');
  }
}

function decodeCsvFrame(frame: DataFrame, firstPosition: number, delimiter: string, columns: string[]): RawItem[] {
  return csvItems(decodeCsvRecords(frame.bytes.toString('utf8'), delimiter, firstPosition, frame.firstLine), columns);
}

/** Parsed CSV records as raw items keyed by the header's column names. */
export function csvItems(items: CsvItem[], columns: string[]): RawItem[] {
  const out: RawItem[] = [];
  for (const item of items) {
    if (item.error !== undefined) {
      out.push({ error: item.error, position: item.record, line: item.line });
      continue;
    }
    const record = csvRecord(item.cells!, columns);
    out.push(typeof record === 'string' ? { error: record, position: item.record, line: item.line } : { record, position: item.record, line: item.line });
  }
  return out;
}

/** One JSON text as a record: an object, or why not. */
export function jsonItem(text: string, position: number, line: number): RawItem {
  if (nestedDeeperThan(text)) return { error: `nested deeper than ${MAX_JSON_DEPTH} levels`, position, line };
  try {
    const value = parseJsonRecord(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return { record: value as RawRecord, position, line };
    return { error: 'not a JSON object', position, line };
  } catch (error) {
    return { error: `invalid JSON: ${(error as Error).message}`, position, line };
  }
}

function decodeJsonFrame(frame: DataFrame, firstPosition: number): RawItem[] {
  const e = frame.elements!;
  const out: RawItem[] = [];
  for (let k = 0, position = firstPosition; k < e.length; k += 3, position++) out.push(jsonItem(frame.bytes.toString('utf8', e[k], e[k + 1]), position, e[k + 2]));
  return out;
}

/** NDJSON or CEF lines: each non-blank line is a record (a syslog prefix before the JSON object is skipped). */
function decodeLineFrame(frame: DataFrame, firstPosition: number, cef: boolean): RawItem[] {
  const text = frame.bytes.toString('utf8');
  const out: RawItem[] = [];
  let position = firstPosition;
  let line = frame.firstLine;
  let start = 0;
  const n = text.length;
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  while (start < n) {
    if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
    if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
    let end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
    if (end === -1) end = n;
    const body = text.slice(start, end);
    // NDJSON comment lines (# …) are not records, as blank lines are not (the framer counts them the same way).
    if (body.trim() !== '' && (cef || !body.startsWith('#'))) {
      if (cef) {
        const record = parseCefLine(body);
        out.push(record ? { record, position, line } : { error: 'not a CEF record', position, line });
      } else {
        const brace = body.indexOf('{');
        out.push(jsonItem(brace > 0 ? body.slice(brace) : body, position, line));
      }
      position++;
    }
    line++;
    start = end < n && text.charCodeAt(end) === 13 && end + 1 < n && text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
  }
  return out;
}

export interface MapSettings {
  file: string;
  dateOrder?: DateOrder;
  /**
   * false: the alert leaves without its original record (`raw`), which only the csv report writes. A reader thread
   * otherwise sends every record twice (as read and as mapped), ≈ half of what crosses to the main thread.
   */
  keepRaw?: boolean;
}

/** One record through a product profile: an alert, a rejection with its place, or a non-alert record to skip. */
export function mapItem(item: RawItem, profile: VendorProfile, settings: MapSettings): RecordEvent {
  const file = settings.file;
  if (item.error || !item.record) return { kind: 'rejected', file, line: item.line, record: item.position, message: item.error ?? 'empty record' };
  try {
    const alert = profile.map(item.record, { file, record: item.position, line: item.line, vendor: profile.id }, { dateOrder: settings.dateOrder });
    if (settings.keepRaw === false) alert.raw = {};
    else if (!alert.raw || Object.keys(alert.raw).length === 0) alert.raw = item.record;
    const problem = alertProblem(alert);
    if (problem) return { kind: 'rejected', file, line: item.line, record: item.position, message: `the ${profile.id} profile read it into a malformed alert (${problem})` };
    return { kind: 'alert', alert };
  } catch (error) {
    if (error instanceof NotAnAlert) return { kind: 'skipped', file, record: item.position };
    return { kind: 'rejected', file, line: item.line, record: item.position, message: (error as Error).message };
  }
}
