import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export const ALERT_EXTENSIONS = ['.json', '.ndjson', '.jsonl', '.csv', '.tsv', '.log', '.txt', '.cef', '.gz'];

/**
 * Expand positional inputs: files as given, directories recursively by extension (sorted for stable order). Looked up
 * synchronously: nothing else runs yet, and each asynchronous stat is a round trip through libuv's thread pool, which a
 * busy machine schedules late (a start-up spends more waiting than statting).
 */
export async function expandInputs(paths: string[], warn: (m: string) => void): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(p);
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch (error) {
      throw new InputError(`cannot read ${p}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    if (st.isDirectory()) {
      const found = walk(p);
      if (found.length === 0) warn(`${p}: no alert files found (looked for ${ALERT_EXTENSIONS.join(' ')})`);
      out.push(...found);
    } else {
      out.push(p);
    }
  }
  return out;
}

function walk(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(full));
    else if (ALERT_EXTENSIONS.some((ext) => e.name.toLowerCase().endsWith(ext))) out.push(full);
  }
  return out;
}

export class InputError extends Error {}

/** A gzip input that inflates far beyond what alert exports do: refused before it fills memory or disk. */
export class DecompressionRatioError extends Error {}

export interface InputLimits {
  /** Refuse gzip input whose output/input ratio exceeds this once `ratioCheckAfterBytes` have been inflated. Default 100. */
  maxDecompressionRatio?: number;
  /** Default 8 MiB: small files legitimately reach high ratios (a header and a few repeated rows). */
  ratioCheckAfterBytes?: number;
}

export interface OpenedInput {
  /** The content as UTF-8 bytes (gunzipped, UTF-16 transcoded, byte-order mark removed), in read order. */
  bytes: AsyncIterable<Buffer>;
  /** The first part of the text, for format detection (its bytes are also the first bytes of `bytes`). */
  head: string;
}

const HEAD_BYTES = 64 * 1024;
export const DEFAULT_MAX_DECOMPRESSION_RATIO = 100;
const DEFAULT_RATIO_CHECK_AFTER = 8 * 1024 * 1024;

async function* rawBytes(source: Readable): AsyncGenerator<Buffer> {
  for await (const chunk of source) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
}

/** Reads a few first bytes without losing them: returns them and an iterator that replays them first. */
async function peek(source: AsyncIterable<Buffer>, min: number): Promise<{ first: Buffer; bytes: AsyncGenerator<Buffer> }> {
  const iterator = source[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < min) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    parts.push(next.value);
    size += next.value.length;
  }
  const first = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  async function* bytes(): AsyncGenerator<Buffer> {
    if (first.length) yield first;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { first, bytes: bytes() };
}

/** Inflates gzip as it streams, refusing a decompression bomb by its ratio instead of inflating it whole. */
async function* gunzip(source: AsyncIterable<Buffer>, name: string, limits: InputLimits): AsyncGenerator<Buffer> {
  const maxRatio = limits.maxDecompressionRatio ?? DEFAULT_MAX_DECOMPRESSION_RATIO;
  const checkAfter = limits.ratioCheckAfterBytes ?? DEFAULT_RATIO_CHECK_AFTER;
  const inflater = createGunzip({ chunkSize: 256 * 1024 });
  let inBytes = 0;
  let outBytes = 0;
  let failed: Error | undefined;
  const feed = (async () => {
    try {
      for await (const b of source) {
        inBytes += b.length;
        if (inflater.destroyed) return;
        if (!inflater.write(b)) {
          await new Promise<void>((r) => {
            const done = () => {
              inflater.off('drain', done);
              inflater.off('close', done);
              r();
            };
            inflater.once('drain', done);
            inflater.once('close', done);
          });
        }
      }
      inflater.end();
    } catch (error) {
      failed = error as Error;
      inflater.destroy(error as Error);
    }
  })();
  try {
    for await (const chunk of inflater) {
      const b = chunk as Buffer;
      outBytes += b.length;
      if (outBytes > checkAfter && outBytes > maxRatio * Math.max(inBytes, 1)) {
        throw new DecompressionRatioError(
          `${name}: gzip content inflates more than ${maxRatio}:1 (${inBytes} compressed bytes gave ${outBytes} so far); refused as a possible decompression bomb`,
        );
      }
      yield b;
    }
  } finally {
    inflater.destroy();
    await feed;
  }
  if (failed) throw failed;
}

/** UTF-16 text (by its byte-order mark) becomes UTF-8 bytes, so every reader scans one encoding. */
async function* transcodeUtf16(source: AsyncIterable<Buffer>, encoding: 'utf-16le' | 'utf-16be', skip: number): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding);
  let first = true;
  for await (const buf of source) {
    const text = decoder.decode(first ? buf.subarray(skip) : buf, { stream: true });
    first = false;
    if (text) yield Buffer.from(text, 'utf8');
  }
  const rest = decoder.decode();
  if (rest) yield Buffer.from(rest, 'utf8');
}

async function* skipBytes(source: AsyncIterable<Buffer>, skip: number): AsyncGenerator<Buffer> {
  let left = skip;
  for await (const buf of source) {
    if (left > 0) {
      const part = buf.subarray(Math.min(left, buf.length));
      left -= buf.length - part.length;
      if (part.length) yield part;
      continue;
    }
    yield buf;
  }
}

const READ_BUFFER_BYTES = 1024 * 1024;

/** Read buffers of 1 MiB, or the size of a smaller file: a 5 KB alert file need not allocate a megabyte (start-up). */
function readBufferBytes(path: string): number {
  try {
    const info = statSync(path);
    return info.isFile() ? Math.max(16 * 1024, Math.min(READ_BUFFER_BYTES, info.size + 1)) : READ_BUFFER_BYTES;
  } catch {
    return READ_BUFFER_BYTES; // createReadStream reports the error
  }
}

/** Opens a file or stdin, gunzips when the content is gzip, normalises the text to UTF-8, and exposes a head for detection. */
export async function openInput(path: string, limits: InputLimits = {}): Promise<OpenedInput> {
  const raw: Readable = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: readBufferBytes(path) });
  let { first, bytes } = await peek(rawBytes(raw), 4);
  if (first[0] === 0x1f && first[1] === 0x8b) ({ first, bytes } = await peek(gunzip(bytes, path === '-' ? 'stdin' : path, limits), 4));
  let text: AsyncIterable<Buffer> = bytes;
  if (first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) text = skipBytes(bytes, 3);
  else if (first[0] === 0xff && first[1] === 0xfe) text = transcodeUtf16(bytes, 'utf-16le', 2);
  else if (first[0] === 0xfe && first[1] === 0xff) text = transcodeUtf16(bytes, 'utf-16be', 2);
  const headPeek = await peek(text, HEAD_BYTES);
  const headBytes = headPeek.first.subarray(0, HEAD_BYTES);
  // A multi-byte character cut at the end of the head only affects detection, never the records.
  return { bytes: headPeek.bytes, head: new TextDecoder('utf-8').decode(headBytes) };
}

/** UTF-8 bytes → text chunks, characters cut between chunks kept whole. */
export async function* decodeUtf8(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const b of bytes) {
    const text = decoder.decode(b, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * Splits text chunks into lines (LF, CRLF or lone CR), numbered from 1. A line longer than maxChars is not buffered:
 * its text is dropped as it streams and it comes out as `overlong`.
 */
export async function* lines(chunks: AsyncIterable<string>, maxChars = Number.POSITIVE_INFINITY): AsyncGenerator<{ text: string; line: number; overlong?: boolean }> {
  let carry = '';
  let lineNo = 0;
  let pendingCr = false;
  let overlong = false;
  for await (const chunk of chunks) {
    let text = carry + chunk;
    carry = '';
    if (pendingCr && text.startsWith('\n')) text = text.slice(1);
    pendingCr = false;
    let start = 0;
    let lf = text.indexOf('\n');
    let cr = text.indexOf('\r');
    for (;;) {
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) break;
      lineNo++;
      yield overlong ? { text: '', line: lineNo, overlong } : { text: text.slice(start, end), line: lineNo };
      overlong = false;
      if (end === cr) {
        if (end + 1 < text.length) start = text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
        else {
          pendingCr = true;
          start = end + 1;
        }
      } else {
        start = end + 1;
      }
    }
    carry = overlong ? '' : text.slice(start);
    if (carry.length > maxChars) {
      overlong = true;
      carry = '';
    }
  }
  if (overlong) yield { text: '', line: lineNo + 1, overlong };
  else if (carry.length) yield { text: carry, line: lineNo + 1 };
}

// ---------------------------------------------------------------------------------------------------------------
// Record-aligned frames: the unit of work handed to a decoder, in this thread or a worker.

/** Whole records as bytes: the decoder numbers them from firstLine / firstPosition. */
export interface DataFrame {
  kind: 'data';
  bytes: Buffer;
  /** Physical line of the frame's first byte (1-based). */
  firstLine: number;
  /** Records the frame holds (what advances `source.record`). */
  records: number;
  /** JSON frames: [start, end, line] of each element within `bytes`. */
  elements?: Int32Array;
  /** JSON frames: the key of the array the elements come from ('' for a top-level array). */
  source?: string;
}

/** One record the framer refused without buffering it (too large, too deeply nested) or a stop in the document. */
export interface RecordProblem {
  kind: 'problem';
  line: number;
  message: string;
  /** 1 when the problem takes the place of a record (its position is counted), 0 for a document-level stop. */
  records: 0 | 1;
  /** Nothing of the file is read after it (the input broke part-way). */
  final?: boolean;
}

/** What every framer offers: bytes in, frames out; at a break, the complete records so far and where the rest began. */
export interface Framer {
  push(buf: Buffer): Frame[];
  end(): Frame[];
  /** The input broke: frames of the complete records buffered so far (a partial last record is dropped). */
  flushComplete(): Frame[];
  /** Line of the first byte not in any frame (where a broken rest begins). */
  readonly nextLine: number;
}

export type Frame = DataFrame | RecordProblem;

/** The default size of a frame: big enough to amortise a message to a worker, small enough to keep memory flat. */
export const FRAME_BYTES = 1024 * 1024;

function isAsciiSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0b || b === 0x0c || b === 0x0d || b === 0x0a;
}

/** Whether bytes [start, end) are blank the way String.prototype.trim sees it (Unicode spaces too). */
export function blankBytes(buf: Uint8Array, start: number, end: number): boolean {
  let high = false;
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b >= 0x80) high = true;
    else if (!isAsciiSpace(b)) return false;
  }
  return !high || Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8').trim() === '';
}

/** Finds line breaks (LF, CR) in one buffer, remembering the next of each so a scan stays linear. */
export class BreakScanner {
  private lf = -2;
  private cr = -2;

  constructor(private readonly buf: Uint8Array) {}

  /** Index of the next LF or CR at or after `from`, or -1. */
  next(from: number): number {
    const buf = this.buf as Buffer;
    if (this.lf !== -1 && this.lf < from) this.lf = buf.indexOf(0x0a, from);
    if (this.cr !== -1 && this.cr < from) this.cr = buf.indexOf(0x0d, from);
    if (this.cr === -1) return this.lf;
    if (this.lf === -1) return this.cr;
    return this.cr < this.lf ? this.cr : this.lf;
  }
}

/**
 * Frames a line-oriented stream (NDJSON, CEF): cuts only after a line break (LF, CRLF or lone CR), counts the non-blank
 * lines (each is a record) and the physical lines, and refuses a line longer than `maxLineBytes` without buffering it.
 */
export class LineFramer implements Framer {
  private parts: Buffer[] = [];
  private size = 0;
  private records = 0;
  /** Line number of the first byte not yet framed. */
  private line = 1;
  private frameLine = 1;
  /** The unfinished last line, carried to the next buffer. */
  private carry: Buffer | undefined;
  /** A CR ended the previous buffer: an LF starting the next one belongs to it. */
  private pendingCr = false;
  /** Inside a line already refused as too long: its bytes are dropped up to its end. */
  private skippingFrom = 0;
  /** The pending CR ended a line that went into the frame. */
  private crInFrame = false;

  constructor(
    private readonly maxLineBytes: number,
    private readonly frameBytes = FRAME_BYTES,
    /** Lines starting with # are comments, not records (NDJSON; not CEF, whose syslog prefix may start anyhow). */
    private readonly hashComments = false,
  ) {}

  private isRecord(buf: Buffer, start: number, end: number): boolean {
    if (this.hashComments && end > start && buf[start] === 0x23) return false;
    return !blankBytes(buf, start, end);
  }

  push(input: Buffer): Frame[] {
    const out: Frame[] = [];
    let buf = input;
    if (this.pendingCr && buf.length) {
      this.pendingCr = false;
      // The LF completing a CRLF stays with the frame holding its CR, so no decoder sees the two apart.
      if (buf[0] === 0x0a) {
        if (this.crInFrame && !this.skippingFrom) this.take(buf.subarray(0, 1));
        buf = buf.subarray(1);
      }
      if (this.size >= this.frameBytes) this.flush(out);
    }
    if (this.skippingFrom) {
      const scanner = new BreakScanner(buf);
      const br = scanner.next(0);
      if (br === -1) return out;
      this.flush(out);
      out.push({ kind: 'problem', line: this.skippingFrom, message: `line longer than ${this.maxLineBytes} bytes`, records: 1 });
      this.skippingFrom = 0;
      this.line++;
      this.frameLine = this.line;
      const next = this.after(buf, br);
      this.crInFrame = false;
      buf = buf.subarray(next);
    }
    const data = this.carry ? Buffer.concat([this.carry, buf]) : buf;
    this.carry = undefined;
    const scanner = new BreakScanner(data);
    let segment = 0;
    let pos = 0;
    for (;;) {
      const br = scanner.next(pos);
      if (br === -1) break;
      if (br - pos > this.maxLineBytes) {
        this.take(data.subarray(segment, pos));
        this.flush(out);
        out.push({ kind: 'problem', line: this.line, message: `line longer than ${this.maxLineBytes} bytes`, records: 1 });
        this.line++;
        this.frameLine = this.line;
        pos = segment = this.after(data, br);
        this.crInFrame = false;
        if (pos >= data.length) break;
        continue;
      }
      if (this.isRecord(data, pos, br)) this.records++;
      this.line++;
      pos = this.after(data, br);
      this.crInFrame = this.pendingCr;
      if (this.size + (pos - segment) >= this.frameBytes && !this.pendingCr) {
        this.take(data.subarray(segment, pos));
        this.flush(out);
        segment = pos;
      }
      if (pos >= data.length) break;
    }
    if (segment < pos) this.take(data.subarray(segment, pos));
    if (pos < data.length) {
      if (data.length - pos > this.maxLineBytes) this.skippingFrom = this.line;
      else this.carry = data.subarray(pos);
    }
    return out;
  }

  end(): Frame[] {
    const out: Frame[] = [];
    if (this.skippingFrom) {
      this.flush(out);
      out.push({ kind: 'problem', line: this.skippingFrom, message: `line longer than ${this.maxLineBytes} bytes`, records: 1 });
      this.skippingFrom = 0;
      return out;
    }
    if (this.carry) {
      if (this.isRecord(this.carry, 0, this.carry.length)) this.records++;
      this.take(this.carry);
      this.carry = undefined;
    }
    this.flush(out);
    return out;
  }

  flushComplete(): Frame[] {
    const out: Frame[] = [];
    this.flush(out);
    this.carry = undefined;
    return out;
  }

  get nextLine(): number {
    return this.skippingFrom || this.line;
  }

  /** Position after the break at `at`; a CR at the very end may be the first half of a CRLF split between buffers. */
  private after(buf: Buffer, at: number): number {
    if (buf[at] === 0x0d) {
      if (at + 1 >= buf.length) {
        this.pendingCr = true;
        return at + 1;
      }
      return buf[at + 1] === 0x0a ? at + 2 : at + 1;
    }
    return at + 1;
  }

  private take(bytes: Buffer): void {
    if (bytes.length === 0) return;
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
    this.frameLine = this.line;
  }
}
