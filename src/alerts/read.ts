import type { Alert } from './model.js';
import type { DateOrder } from './time.js';
import type { RawRecord, VendorProfile } from './vendors/profile.js';
import { detectProfile, profileById, profiles } from './vendors/index.js';
import { openInput, lines } from './readers/input.js';
import { ARRAY_KEYS, parseJsonRecord, splitJsonDocument } from './readers/json.js';
import { readCsv, sniffDelimiter } from './readers/csv.js';
import { parseCefLine } from './readers/cef.js';
import { looksLikeZeekTsv, parseZeekHeader, zeekRowToRecord, type ZeekHeader } from './readers/zeek-tsv.js';
import { NotAnAlert } from './vendors/profile.js';
import { alertProblem } from './conform.js';

export type InputFormat = 'csv' | 'json' | 'ndjson' | 'zeek-tsv' | 'cef';

export interface ReadOptions {
  /** Force a profile by id. */
  vendor?: string;
  /** A profile built from a --map file; used for every file. */
  customProfile?: VendorProfile;
  dateOrder?: DateOrder;
  /** Longest record (characters) before it is rejected rather than buffered. */
  maxRecordChars?: number;
}

export type ReadEvent =
  | { kind: 'file'; file: string; format: InputFormat; vendor: string; score: number }
  | { kind: 'alert'; alert: Alert }
  | { kind: 'rejected'; file: string; line: number; record: number; message: string }
  /** A well-formed record that is not an alert (a Suricata flow event, a Zeek log line other than a notice). */
  | { kind: 'skipped'; file: string; record: number }
  | { kind: 'refused'; file: string; message: string };

interface RawItem {
  record?: RawRecord;
  error?: string;
  /** 1-based record position in the file. */
  position: number;
  line: number;
}

const DETECTION_SAMPLE = 20;

export function detectFormat(head: string): InputFormat | undefined {
  let text = head.replace(/^\s+/, '');
  if (text === '') return undefined;
  if (text.startsWith('#')) {
    const leading = text.split(/\r\n|\r|\n/, 20);
    if (looksLikeZeekTsv(leading)) return 'zeek-tsv';
    // Comment lines before the data (Tracee's examples): detect on what follows them.
    text = text.replace(/^(?:#[^\r\n]*(?:\r\n|\r|\n)\s*)+/, '');
    if (text === '') return undefined;
  }
  if (text.startsWith('[')) return 'json';
  const firstLine = text.split(/\r\n|\r|\n/, 1)[0];
  if (/\bCEF:\s*\d+\|/.test(firstLine)) return 'cef';
  if (text.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(firstLine);
    } catch {
      return 'json';
    }
    // A whole API response on one line ({"value":[…]} from Graph, {"resources":[…]}): a wrapper, not one record.
    const wrapped = Object.entries(value as Record<string, unknown>).some(([k, v]) => ARRAY_KEYS.has(k) && Array.isArray(v) && v.some((e) => e !== null && typeof e === 'object' && !Array.isArray(e)));
    return wrapped ? 'json' : 'ndjson';
  }
  // syslog-wrapped JSON lines (Corelight, Vectra): a prefix, then an object on each line.
  const brace = firstLine.indexOf('{');
  if (brace > 0) {
    try {
      JSON.parse(firstLine.slice(brace));
      return 'ndjson';
    } catch {
      /* not JSON lines */
    }
  }
  if (/[,;\t|]/.test(firstLine)) return 'csv';
  return undefined;
}

async function* rawItems(format: InputFormat, chunks: AsyncIterable<string>, head: string, maxRecordChars: number): AsyncGenerator<RawItem> {
  if (format === 'csv') {
    let position = 0;
    for await (const item of readCsv(chunks, sniffDelimiter(head), maxRecordChars)) {
      position = 'row' in item ? item.row : position + 1;
      if ('error' in item) yield { error: item.error, position, line: item.line };
      else yield { record: item.record, position: item.row, line: item.line };
    }
    return;
  }
  if (format === 'json') {
    let position = 0;
    for await (const el of splitJsonDocument(chunks, maxRecordChars)) {
      if ('error' in el) {
        yield { error: el.error, position: position + 1, line: el.line };
        return;
      }
      position++;
      // The splitter checks the limit as chunks arrive; an element that fits in one chunk is checked here.
      if (el.text.length > maxRecordChars) {
        yield { error: `record longer than ${maxRecordChars} characters`, position, line: el.line };
        continue;
      }
      try {
        const value = parseJsonRecord(el.text);
        if (value && typeof value === 'object' && !Array.isArray(value)) yield { record: value as RawRecord, position, line: el.line };
        else yield { error: 'not a JSON object', position, line: el.line };
      } catch (error) {
        yield { error: `invalid JSON: ${(error as Error).message}`, position, line: el.line };
      }
    }
    return;
  }
  if (format === 'zeek-tsv') {
    yield* zeekItems(chunks, maxRecordChars);
    return;
  }
  let position = 0;
  for await (const { text, line, overlong } of lines(chunks, maxRecordChars)) {
    if (!overlong && (text.trim() === '' || (format === 'ndjson' && text.startsWith('#')))) continue;
    position++;
    if (overlong || text.length > maxRecordChars) {
      yield { error: `line longer than ${maxRecordChars} characters`, position, line };
      continue;
    }
    if (format === 'cef') {
      const record = parseCefLine(text);
      yield record ? { record, position, line } : { error: 'not a CEF record', position, line };
      continue;
    }
    const brace = text.indexOf('{');
    const body = brace > 0 ? text.slice(brace) : text;
    try {
      const value = parseJsonRecord(body);
      if (value && typeof value === 'object' && !Array.isArray(value)) yield { record: value as RawRecord, position, line };
      else yield { error: 'not a JSON object', position, line };
    } catch (error) {
      yield { error: `invalid JSON: ${(error as Error).message}`, position, line };
    }
  }
}

/** Zeek ASCII logs: a block of #header lines (repeated when a log rotates inside one file), then tab-separated rows. */
async function* zeekItems(chunks: AsyncIterable<string>, maxRecordChars: number): AsyncGenerator<RawItem> {
  let headerLines: string[] = [];
  let header: ZeekHeader | undefined;
  let position = 0;
  for await (const { text, line, overlong } of lines(chunks, maxRecordChars)) {
    if (text.startsWith('#') && !overlong) {
      if (header) {
        header = undefined;
        headerLines = [];
      }
      headerLines.push(text);
      continue;
    }
    if (text.trim() === '' && !overlong) continue;
    header ??= parseZeekHeader(headerLines);
    position++;
    if (overlong || text.length > maxRecordChars) {
      yield { error: `line longer than ${maxRecordChars} characters`, position, line };
      continue;
    }
    const record = header ? zeekRowToRecord(text, header) : undefined;
    yield record ? { record, position, line } : { error: header ? 'row does not match the #fields header' : 'no #fields header before the first row', position, line };
  }
}

/**
 * A file that breaks part-way (a truncated or corrupt gzip, a read error): the records read so far stand, and the
 * unreadable rest becomes one rejected record instead of an exception that would abort the whole run.
 */
async function* untilBroken(items: AsyncGenerator<RawItem>): AsyncGenerator<RawItem> {
  let last: RawItem | undefined;
  try {
    for await (const item of items) {
      last = item;
      yield item;
    }
  } catch (error) {
    yield { error: `the rest of the file cannot be read: ${(error as Error).message}`, position: (last?.position ?? 0) + 1, line: (last?.line ?? 0) + 1 };
  }
}

export function describeFormatsExpected(): string {
  return `expected CSV, JSON (an array or an object holding one), NDJSON, CEF lines or a Zeek TSV log, from one of: ${profiles.map((p) => p.id).join(', ')}`;
}

/** Reads every input in order, detecting each file's format and product, and yields alerts and problems. */
export async function* readAlerts(paths: string[], options: ReadOptions = {}): AsyncGenerator<ReadEvent> {
  const maxRecordChars = options.maxRecordChars ?? 16 * 1024 * 1024;
  const forced = options.customProfile ?? (options.vendor ? profileById(options.vendor) : undefined);
  if (options.vendor && !forced) throw new Error(`unknown vendor "${options.vendor}"; known: ${profiles.map((p) => p.id).join(', ')}`);
  for (const file of paths) {
    const display = file === '-' ? '-' : file;
    let input;
    try {
      input = await openInput(file);
    } catch (error) {
      yield { kind: 'refused', file: display, message: `cannot read: ${(error as Error).message}` };
      continue;
    }
    const format = detectFormat(input.head);
    if (!format) {
      yield { kind: 'refused', file: display, message: input.head.trim() === '' ? 'the file is empty' : `unknown format; ${describeFormatsExpected()}` };
      continue;
    }
    const items = untilBroken(rawItems(format, input.chunks, input.head, maxRecordChars));
    const sample: RawItem[] = [];
    let exhausted = false;
    while (sample.length < DETECTION_SAMPLE) {
      const next = await items.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      sample.push(next.value);
    }
    let profile = forced;
    let score = 1;
    if (!profile) {
      const records = sample.filter((s) => s.record).map((s) => s.record!);
      const columns = format === 'csv' && records[0] ? Object.keys(records[0]) : undefined;
      const detected = records.length ? detectProfile(records, { fileName: display, columns }) : undefined;
      if (!detected) {
        const firstError = sample.find((s) => s.error);
        yield {
          kind: 'refused',
          file: display,
          message: records.length ? `no product profile recognises these records; ${describeFormatsExpected()}` : `no readable record (${firstError ? `line ${firstError.line}: ${firstError.error}` : 'empty'})`,
        };
        continue;
      }
      profile = detected.profile;
      score = detected.score;
    }
    yield { kind: 'file', file: display, format, vendor: profile.id, score };
    const mapItem = (item: RawItem): ReadEvent => {
      if (item.error || !item.record) return { kind: 'rejected', file: display, line: item.line, record: item.position, message: item.error ?? 'empty record' };
      try {
        const alert = profile!.map(item.record, { file: display, record: item.position, line: item.line, vendor: profile!.id }, { dateOrder: options.dateOrder });
        if (!alert.raw || Object.keys(alert.raw).length === 0) alert.raw = item.record;
        const problem = alertProblem(alert);
        if (problem) return { kind: 'rejected', file: display, line: item.line, record: item.position, message: `the ${profile!.id} profile read it into a malformed alert (${problem})` };
        return { kind: 'alert', alert };
      } catch (error) {
        if (error instanceof NotAnAlert) return { kind: 'skipped', file: display, record: item.position };
        return { kind: 'rejected', file: display, line: item.line, record: item.position, message: (error as Error).message };
      }
    };
    for (const item of sample) yield mapItem(item);
    if (exhausted) continue;
    for await (const item of items) yield mapItem(item);
  }
}
