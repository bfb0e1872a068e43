import type { DateOrder } from './time.js';
import type { Alert } from './model.js';
import type { RawRecord, VendorProfile } from './vendors/profile.js';
import { detectProfile, profileById, profiles } from './vendors/index.js';
import { decodeUtf8, lines, LineFramer, openInput, type Frame, type Framer, type InputLimits } from './readers/input.js';
import { CsvFramer, decodeCsvRecords, headerColumns, sniffDelimiter } from './readers/csv.js';
import { ARRAY_KEYS, JsonFramer } from './readers/json.js';
import { looksLikeZeekTsv, parseZeekHeader, zeekRowToRecord, type ZeekHeader } from './readers/zeek-tsv.js';
import { csvItems, decodeFrame, mapItem, type DecodeSettings, type FrameFormat, type MapSettings, type RawItem, type RecordEvent } from '../parallel/decode.js';
import type { DecodeTask } from '../parallel/pool.js';
import { readerPool, type ReaderPool } from '../parallel/start.js';

export type InputFormat = 'csv' | 'json' | 'ndjson' | 'zeek-tsv' | 'cef';

export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

export interface ReadOptions extends InputLimits {
  /** Force a profile by id. */
  vendor?: string;
  /** A profile built from a --map file; used for every file. */
  customProfile?: VendorProfile;
  dateOrder?: DateOrder;
  /** Keep each alert's original record (`raw`, written by the csv report); default true. */
  keepRaw?: boolean;
  /** Longest record (line, CSV record, JSON element) in bytes before it is rejected rather than buffered. Default 16 MiB. */
  maxRecordBytes?: number;
  /** @deprecated the same limit under its former name (it was always applied to UTF-8 text). */
  maxRecordChars?: number;
  /**
   * Threads: 0 reads (and run() triages) in this thread. readAlerts: reader threads, default one per spare core;
   * run(): triage threads when given (else chosen by input size, see run.ts). KDR_TRIAGE_WORKERS overrides both.
   */
  workers?: number;
  /** Bytes per unit of work (default 16 KiB; KDR_TRIAGE_FRAME_BYTES overrides, for tests of many small frames). */
  frameBytes?: number;
}

export type ReadEvent =
  | { kind: 'file'; file: string; format: InputFormat; vendor: string; score: number }
  | { kind: 'alert'; alert: Alert }
  | { kind: 'rejected'; file: string; line: number; record: number; message: string }
  /** A well-formed record that is not an alert (a Suricata flow event, a Zeek log line other than a notice). */
  | { kind: 'skipped'; file: string; record: number }
  | { kind: 'refused'; file: string; message: string };

const DETECTION_SAMPLE = 20;

/**
 * Bytes per frame when reading alerts. A frame's alerts live until the last of them is triaged: at 1 MiB (≈ 2,000
 * alerts, ≈ 100 ms of triage, several frames waiting behind it) they outlive two scavenges and are promoted to the
 * old generation, which then grows by the whole export between full collections. And a reader thread's reply is a
 * structured clone ≈ 2.7 times the frame's bytes, which V8 deserialises straight into the old generation once it is
 * over 100 KB (64 KiB frames: ≈ 178 KB replies): 16 KiB keeps replies near 45 KB, in the young generation. 200,000 CSV
 * alerts against 150,000 pods, peak RSS: 0.85–0.90 GB at 1 MiB, 0.56–0.80 GB at 64 KiB, 0.60–0.68 GB at 16 KiB (it
 * varies with when full collections fall), the same CPU time; the old generation still grows between them.
 */
const READ_FRAME_BYTES = 16 * 1024;

function frameBytesFromEnv(): number {
  const n = Number(process.env.KDR_TRIAGE_FRAME_BYTES);
  return Number.isInteger(n) && n >= 256 ? n : READ_FRAME_BYTES;
}
/** Frames handed to reader threads ahead of the consumer, per thread: enough to keep them busy, little memory. */
const AHEAD_PER_WORKER = 8;

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

/**
 * The frames of a byte stream. A stream that breaks part-way (a truncated or corrupt gzip, a read error, a
 * decompression bomb): the complete records read so far stand, and the unreadable rest becomes one final rejected record.
 */
async function* framesOf(bytes: AsyncIterable<Buffer>, framer: Framer): AsyncGenerator<Frame> {
  try {
    for await (const b of bytes) yield* framer.push(b);
  } catch (error) {
    yield* framer.flushComplete();
    yield { kind: 'problem', line: framer.nextLine, message: `the rest of the file cannot be read: ${(error as Error).message}`, records: 1, final: true };
    return;
  }
  yield* framer.end();
}

/** A problem after which nothing more of the file is read. */
function ends(frame: Frame): boolean {
  return frame.kind === 'problem' && (!frame.records || frame.final === true);
}

/** A frame's bytes in a buffer of their own, so they can be moved to a worker instead of copied. */
function ownBytes(bytes: Buffer): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  const own = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(own);
  return own;
}

/** A source of raw items in file order, decoded in this thread: the start of a file, and files read without workers. */
interface FramedFile {
  format: FrameFormat;
  frames: AsyncIterator<Frame>;
  settings: DecodeSettings;
  /** Position of the next record. */
  position: number;
}

/** Frame items in this thread; a record problem from the framer becomes a rejected item in its place. */
function itemsOfFrame(file: FramedFile, frame: Frame): RawItem[] {
  if (frame.kind === 'problem') {
    if (!frame.records) return [{ error: frame.message, position: file.position, line: frame.line }];
    return [{ error: frame.message, position: file.position++, line: frame.line }];
  }
  const items = decodeFrame(frame, file.position, file.settings);
  file.position += frame.records;
  return items;
}

/**
 * The CSV header is the first record of the file: decode the first frame here, take the header off, and number the
 * data rows after it (row 1 is the first record after the header).
 */
async function csvStart(file: FramedFile, head: string): Promise<{ pending: RawItem[]; refused?: string }> {
  const delimiter = sniffDelimiter(head);
  file.settings.delimiter = delimiter;
  for (;;) {
    const next = await file.frames.next();
    if (next.done) return { pending: [], refused: 'no readable record (empty)' };
    const frame = next.value;
    if (frame.kind === 'problem') return { pending: [], refused: `the CSV header at line ${frame.line} cannot be read: ${frame.message}` };
    const records = decodeCsvRecords(frame.bytes.toString('utf8'), delimiter, 0, frame.firstLine);
    if (records.length === 0) continue;
    const header = records[0];
    if (!header.cells) return { pending: [], refused: `the CSV header at line ${header.line} cannot be read: ${header.error}` };
    file.settings.columns = headerColumns(header.cells);
    file.position = frame.records;
    return { pending: csvItems(records.slice(1), file.settings.columns) };
  }
}

/** The events that are about a whole file; the records' own events come from the route. */
export type FileEvent = Extract<ReadEvent, { kind: 'file' | 'refused' }>;

/** A frame of whole records for another thread, with where its records are numbered from and how to read them. */
export type FrameTask = Omit<DecodeTask, 'id'>;

/**
 * Where a file's records go once its product is known. readAlerts maps them into alerts here or in reader threads;
 * run() can send them to triage threads instead (src/parallel/triage-pool.ts). Results come back in file order.
 */
export interface RecordRoute<E> {
  /** Records decoded in this thread (a file's first records, Zeek rows, record problems from the framer). */
  items(items: RawItem[], profile: VendorProfile, settings: MapSettings): E[] | Promise<E[]>;
  /** How frames of this profile leave the thread, or undefined to decode them here (then items() gets them). */
  frames(profile: VendorProfile): ((task: FrameTask) => Promise<E[]>) | undefined;
  /** Units of work in flight ahead of the consumer. */
  readonly ahead: number;
  /** How many Zeek rows go to items() at once. */
  readonly itemBatch: number;
}

/** Results of units handed out in order, yielded in that order however they complete. */
class InOrder<E> {
  private readonly queue: (E[] | Promise<E[]>)[] = [];
  get size(): number {
    return this.queue.length;
  }
  push(result: E[] | Promise<E[]>): void {
    // Rejections are observed when the unit is reached; keep them from being reported as unhandled before that.
    if (result instanceof Promise) result.catch(() => undefined);
    this.queue.push(result);
  }
  async *drain(keep = 0): AsyncGenerator<E> {
    while (this.queue.length > keep) yield* await this.queue.shift()!;
  }
}

/** The route of readAlerts: alerts mapped in this thread, frames of built-in profiles decoded in reader threads. */
function alertRoute(getPool: () => ReaderPool | undefined, currentPool: () => ReaderPool | undefined): RecordRoute<RecordEvent> {
  return {
    items: (items, profile, settings) => items.map((item) => mapItem(item, profile, settings)),
    frames(profile) {
      const workers = profile === profileById(profile.id) ? getPool() : undefined;
      return workers && ((task) => workers.run(task));
    },
    // Without reader threads each frame's alerts are handed out before the next frame is read.
    get ahead() {
      return (currentPool()?.size ?? 0) * AHEAD_PER_WORKER;
    },
    itemBatch: 1,
  };
}

/** Reads every input in order, detecting each file's format and product, and yields alerts and problems. */
export async function* readAlerts(paths: string[], options: ReadOptions = {}): AsyncGenerator<ReadEvent> {
  let pool: ReaderPool | undefined;
  let poolTried = false;
  const getPool = (): ReaderPool | undefined => {
    if (!poolTried) {
      poolTried = true;
      pool = readerPool(options.workers);
    }
    return pool;
  };
  try {
    yield* readRecords(paths, options, alertRoute(getPool, () => pool));
  } finally {
    await pool?.close();
  }
}

/** Reads every input in order, detecting each file's format and product; the records go through `route`. */
export async function* readRecords<E>(paths: string[], options: ReadOptions, route: RecordRoute<E>): AsyncGenerator<FileEvent | E> {
  const maxRecordBytes = options.maxRecordBytes ?? options.maxRecordChars ?? DEFAULT_MAX_RECORD_BYTES;
  const frameBytes = options.frameBytes ?? frameBytesFromEnv();
  const forced = options.customProfile ?? (options.vendor ? profileById(options.vendor) : undefined);
  if (options.vendor && !forced) throw new Error(`unknown vendor "${options.vendor}"; known: ${profiles.map((p) => p.id).join(', ')}`);
  for (const file of paths) yield* readFile(file);

  async function* readFile(file: string): AsyncGenerator<FileEvent | E> {
    const display = file === '-' ? '-' : file;
    let input;
    try {
      input = await openInput(file, options);
    } catch (error) {
      yield { kind: 'refused', file: display, message: `cannot read: ${(error as Error).message}` };
      return;
    }
    const format = detectFormat(input.head);
    if (!format) {
      yield { kind: 'refused', file: display, message: input.head.trim() === '' ? 'the file is empty' : `unknown format; ${describeFormatsExpected()}` };
      return;
    }
    try {
      if (format === 'zeek-tsv') yield* readItems(display, format, untilBroken(zeekItems(decodeUtf8(input.bytes), maxRecordBytes)));
      else yield* readFramed(display, format, input.bytes, input.head);
    } catch (error) {
      // The input failed part-way (unreadable, a decompression bomb): what was read stands, the rest is refused.
      yield { kind: 'refused', file: display, message: `cannot read: ${(error as Error).message}` };
    }
  }

  /** Detect the product from the first records, or say why nothing recognises them. */
  function detect(display: string, sample: RawItem[], tabular: boolean): { profile: VendorProfile; score: number } | string {
    if (forced) return { profile: forced, score: 1 };
    const records = sample.filter((s) => s.record).map((s) => s.record as RawRecord);
    const detected = records.length ? detectProfile(records, { fileName: display, columns: tabular && records[0] ? Object.keys(records[0]) : undefined }) : undefined;
    if (detected) return detected;
    const firstError = sample.find((s) => s.error);
    return records.length ? `no product profile recognises these records; ${describeFormatsExpected()}` : `no readable record (${firstError ? `line ${firstError.line}: ${firstError.error}` : 'empty'})`;
  }

  /** Files read as a plain item stream in this thread (Zeek logs). */
  async function* readItems(display: string, format: InputFormat, items: AsyncGenerator<RawItem>): AsyncGenerator<FileEvent | E> {
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
    const detected = detect(display, sample, false);
    if (typeof detected === 'string') {
      yield { kind: 'refused', file: display, message: detected };
      return;
    }
    yield { kind: 'file', file: display, format, vendor: detected.profile.id, score: detected.score };
    const settings = { file: display, dateOrder: options.dateOrder, keepRaw: options.keepRaw };
    const results = new InOrder<E>();
    results.push(route.items(sample, detected.profile, settings));
    if (!exhausted) {
      let batch: RawItem[] = [];
      for await (const item of items) {
        batch.push(item);
        if (batch.length < route.itemBatch) continue;
        results.push(route.items(batch, detected.profile, settings));
        batch = [];
        yield* results.drain(route.ahead);
      }
      if (batch.length) results.push(route.items(batch, detected.profile, settings));
    }
    yield* results.drain();
  }

  async function* readFramed(display: string, format: FrameFormat, bytes: AsyncIterable<Buffer>, head: string): AsyncGenerator<FileEvent | E> {
    const framer: Framer = format === 'csv' ? new CsvFramer(maxRecordBytes, frameBytes, sniffDelimiter(head)) : format === 'json' ? new JsonFramer(maxRecordBytes, frameBytes) : new LineFramer(maxRecordBytes, frameBytes, format === 'ndjson');
    const file: FramedFile = { format, frames: framesOf(bytes, framer), settings: { format }, position: 1 };
    const sample: RawItem[] = [];
    if (format === 'csv') {
      const start = await csvStart(file, head);
      if (start.refused) {
        yield { kind: 'refused', file: display, message: start.refused };
        return;
      }
      sample.push(...start.pending);
    }
    let exhausted = false;
    let stopped = false;
    while (sample.length < DETECTION_SAMPLE && !stopped) {
      const next = await file.frames.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      sample.push(...itemsOfFrame(file, next.value));
      // A document-level stop (truncated, oversized wrapper, a broken input) ends the file.
      if (ends(next.value)) stopped = true;
    }
    const detected = detect(display, sample.slice(0, DETECTION_SAMPLE), format === 'csv');
    if (typeof detected === 'string') {
      yield { kind: 'refused', file: display, message: detected };
      return;
    }
    const profile = detected.profile;
    yield { kind: 'file', file: display, format, vendor: profile.id, score: detected.score };
    const settings = { file: display, dateOrder: options.dateOrder, keepRaw: options.keepRaw };
    const results = new InOrder<E>();
    results.push(route.items(sample, profile, settings));
    if (exhausted || stopped) {
      yield* results.drain();
      return;
    }

    // The rest of the file: in other threads when the route has them for this profile.
    const send = route.frames(profile);
    for (;;) {
      const next = await file.frames.next();
      if (next.done) break;
      const frame = next.value;
      if (!send || frame.kind === 'problem') {
        results.push(route.items(itemsOfFrame(file, frame), profile, settings));
      } else {
        const firstPosition = file.position;
        file.position += frame.records;
        results.push(
          send({
            bytes: ownBytes(frame.bytes),
            firstLine: frame.firstLine,
            records: frame.records,
            elements: frame.elements,
            firstPosition,
            decode: file.settings,
            map: settings,
            profile: profile.id,
          }),
        );
      }
      if (ends(frame)) break;
      yield* results.drain(route.ahead);
    }
    yield* results.drain();
  }
}
