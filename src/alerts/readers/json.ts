/**
 * JSON and NDJSON readers. Integers beyond 2^53 (epoch nanoseconds, 64-bit process ids) are kept exact by turning
 * them into strings before JSON.parse; a JSON document is split into records as it streams, so a large array
 * export is never held whole.
 */

import { FRAME_BYTES, type Frame, type Framer } from './input.js';

const BIG_INT_CANDIDATE = /\d{16}/;
const STRING_OR_BIG_INT = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])(-?\d{16,})(?![\d.eE])/g;

export function protectBigInts(text: string): string {
  if (!BIG_INT_CANDIDATE.test(text)) return text;
  return text.replace(STRING_OR_BIG_INT, (match, digits: string | undefined) => {
    if (digits === undefined) return match;
    const n = Number(digits);
    return Number.isSafeInteger(n) ? match : `"${digits}"`;
  });
}

/**
 * In valid JSON a bare number starts the text or follows `:`, `[` or `,` (and whitespace): where neither pattern
 * matches, protectBigInts has nothing to change, and its scan of every string (most of a record's parse time) is
 * skipped. Text that then fails to parse takes the full path, so errors and lenient repairs stay as they were.
 */
const BARE_BIG_INT_AFTER_PUNCTUATION = /[:[,]\s*-?\d{16}/;
const BARE_BIG_INT_AT_START = /^\s*-?\d{16}/;

export function mayHoldBareBigInt(text: string): boolean {
  return BARE_BIG_INT_AFTER_PUNCTUATION.test(text) || BARE_BIG_INT_AT_START.test(text);
}

export function parseJsonRecord(text: string): unknown {
  if (!mayHoldBareBigInt(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Not valid as it stands: parsed below exactly as before (same value or same error).
    }
  }
  return JSON.parse(protectBigInts(text));
}

/** Keys under which exports wrap their list of alerts. */
export const ARRAY_KEYS = new Set([
  'resources',
  'alerts',
  'data',
  'items',
  'value',
  'results',
  'records',
  'hits',
  'findings',
  'Findings',
  'detections',
  'threats',
  'incidents',
  'signals',
]);

export interface JsonElement {
  text: string;
  /** 1-based line where the element starts. */
  line: number;
}

/** Records nested deeper than this are refused before any parser or printer walks them. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LF = 0x0a;
const CR = 0x0d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(b: number): boolean {
  return b === 0x20 || b === LF || b === CR || b === 0x09;
}

interface Container {
  kind: number;
  emit: boolean;
  key?: string;
}

interface Capture {
  parts: Buffer[];
  size: number;
  line: number;
  depth: number;
  maxDepth: number;
  /** A string, number or literal element (no brackets of its own). */
  primitive: boolean;
  /** Over the size limit: bytes are no longer kept. */
  skipping: boolean;
}

/**
 * Streams the records of a JSON document as byte frames: the elements of a top-level array, the elements of an array
 * held by a top-level object under a known key (possibly nested one level, e.g. {"reply":{"alerts":[…]}}), or, when
 * the document holds no such array, the top-level values themselves (a single object, or concatenated objects).
 * One pass over the bytes; no element is parsed here. An element over the size limit or nested deeper than
 * MAX_JSON_DEPTH becomes a problem in its place, without being buffered or parsed.
 */
export interface JsonFramerOptions {
  /**
   * Which arrays hold the records, by the key naming them, the depth of the object holding that key (1 = the
   * top-level object) and that object's own key. Default: the alert exports' wrapper keys (ARRAY_KEYS) at depth ≤ 2.
   */
  wrapperArray?: (key: string, depth: number, parentKey: string | undefined) => boolean;
  /**
   * Keep the document minus its records (each records array left empty) for skeleton(); and never treat a top-level
   * object as a record itself. For documents whose header matters (a kubectl List, a snapshot).
   */
  skeleton?: boolean;
}

function alertWrapper(key: string, depth: number): boolean {
  return depth <= 2 && ARRAY_KEYS.has(key);
}

export class JsonFramer implements Framer {
  private readonly stack: Container[] = [];
  private readonly wrapperArray: (key: string, depth: number, parentKey: string | undefined) => boolean;
  private readonly keepSkeleton: boolean;
  private skeletonParts: Buffer[] = [];
  private skeletonSize = 0;
  private inString = false;
  private escape = false;
  private line = 1;
  private cap: Capture | undefined;
  /** The top-level object, kept while it may turn out to be the record itself (no wrapper array in it). */
  private top: Capture | undefined;
  private topLevelEmitting = false;
  private sawWrapperArray = false;
  private key: number[] | undefined;
  private lastString = '';
  private stopped = false;
  private pendingCr = false;
  // The frame being filled.
  private parts: Buffer[] = [];
  private size = 0;
  private offsets: number[] = [];
  private frameLine = 1;

  constructor(
    private readonly maxRecordBytes: number,
    private readonly frameBytes = FRAME_BYTES,
    options: JsonFramerOptions = {},
  ) {
    this.wrapperArray = options.wrapperArray ?? alertWrapper;
    this.keepSkeleton = options.skeleton ?? false;
  }

  /** The document without its records (skeleton mode), once the input has ended. */
  skeleton(): string {
    return Buffer.concat(this.skeletonParts, this.skeletonSize).toString('utf8');
  }

  /** Which records array the current frame's elements come from ('' for a top-level array). */
  private source = '';

  push(buf: Buffer): Frame[] {
    const out: Frame[] = [];
    if (this.stopped) return out;
    if (this.keepSkeleton) return this.pushKeepingSkeleton(buf, out);
    return this.scan(buf, out);
  }

  /** Scan, then copy to the skeleton every byte that is not inside a records array. */
  private pushKeepingSkeleton(buf: Buffer, out: Frame[]): Frame[] {
    this.skeletonStart = this.inRecords() ? -1 : 0;
    this.scan(buf, out);
    if (this.skeletonStart !== -1) this.addSkeleton(buf.subarray(this.skeletonStart));
    return out;
  }

  private skeletonStart = 0;

  private inRecords(): boolean {
    const parent = this.stack[this.stack.length - 1];
    return !!parent?.emit;
  }

  private addSkeleton(bytes: Buffer): void {
    if (!bytes.length) return;
    if (this.skeletonSize + bytes.length > this.maxRecordBytes) {
      this.stopped = true;
      throw new Error(`the document outside its records is larger than ${this.maxRecordBytes} bytes`);
    }
    this.skeletonParts.push(bytes);
    this.skeletonSize += bytes.length;
  }

  private scan(buf: Buffer, out: Frame[]): Frame[] {
    const n = buf.length;
    /** Start in buf of the bytes of the capture (or top object) in progress. */
    let capStart = 0;
    let topStart = 0;
    let i = 0;
    if (this.pendingCr && n) {
      this.pendingCr = false;
      if (buf[0] === LF) i = 1;
    }
    for (; i < n; i++) {
      if (this.inString && !this.escape && this.cap !== undefined) {
        // Inside a string of a record only a quote, a backslash or a line break changes anything: skip the rest.
        let j = i;
        while (j < n) {
          const c = buf[j];
          if (c === QUOTE || c === BACKSLASH || c === LF || c === CR) break;
          j++;
        }
        if (j === n) break;
        i = j;
      }
      const b = buf[i];
      if (this.cap?.primitive && !this.inString && (b === COMMA || b === CLOSE_ARRAY || b === CLOSE_OBJECT || isSpace(b))) {
        // A number or literal ends before the byte that follows it, which is then read as usual.
        this.endCapture(out, buf, capStart, i);
      }
      if (b === LF || b === CR) {
        if (b === CR) {
          if (i + 1 < n) {
            if (buf[i + 1] === LF) i++;
          } else this.pendingCr = true;
        }
        this.line++;
        continue;
      }
      const cap = this.cap;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === BACKSLASH) this.escape = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (cap?.primitive) this.endCapture(out, buf, capStart, i + 1);
          else if (!cap && this.key) {
            this.lastString = String.fromCharCode(...this.key);
            this.key = undefined;
          }
        } else if (!cap && this.key && this.key.length < 256) this.key.push(b);
        continue;
      }
      if (cap) {
        if (cap.primitive) continue;
        if (b === QUOTE) this.inString = true;
        else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
          if (++cap.depth > cap.maxDepth) cap.maxDepth = cap.depth;
        } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
          if (--cap.depth === 0) this.endCapture(out, buf, capStart, i + 1);
        }
        continue;
      }
      // Outside any record.
      const parent = this.stack[this.stack.length - 1];
      const emitting = parent ? parent.emit : this.topLevelEmitting;
      if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
        if (emitting) {
          this.cap = { parts: [], size: 0, line: this.line, depth: 1, maxDepth: 1, primitive: false, skipping: false };
          capStart = i;
          continue;
        }
        if (this.stack.length === 0 && b === OPEN_OBJECT && !this.keepSkeleton) {
          this.top = { parts: [], size: 0, line: this.line, depth: 1, maxDepth: 1, primitive: false, skipping: false };
          topStart = i;
        } else if (this.top && ++this.top.depth > this.top.maxDepth) this.top.maxDepth = this.top.depth;
        let emit = false;
        if (this.stack.length === 0 && b === OPEN_ARRAY) emit = true;
        else if (b === OPEN_ARRAY && parent?.kind === OPEN_OBJECT && parent.key !== undefined && this.wrapperArray(parent.key, this.stack.length, this.stack[this.stack.length - 2]?.key)) {
          emit = true;
          this.sawWrapperArray = true;
          this.top = undefined;
        }
        this.stack.push({ kind: b, emit });
        if (emit) {
          const source = this.stack.length === 1 ? '' : (parent?.key ?? '');
          if (source !== this.source) {
            this.flush(out);
            this.source = source;
          }
          if (this.keepSkeleton && this.skeletonStart !== -1) {
            // The skeleton keeps the brackets of a records array, not what is between them.
            this.addSkeleton(buf.subarray(this.skeletonStart, i + 1));
            this.skeletonStart = -1;
          }
        }
        continue;
      }
      if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
        if (this.keepSkeleton && parent?.emit) this.skeletonStart = i;
        this.stack.pop();
        if (this.top) this.top.depth--;
        if (this.stack.length === 0 && b === CLOSE_OBJECT && this.top) {
          if (!this.sawWrapperArray) {
            this.cap = this.top;
            this.top = undefined;
            this.endCapture(out, buf, topStart, i + 1);
            this.topLevelEmitting = true;
          }
          this.top = undefined;
        }
        continue;
      }
      if (b === QUOTE) {
        this.inString = true;
        if (emitting && parent) {
          this.cap = { parts: [], size: 0, line: this.line, depth: 0, maxDepth: 0, primitive: true, skipping: false };
          capStart = i;
        } else if (this.stack.length > 0) this.key = [];
        continue;
      }
      if (b === COLON) {
        if (parent?.kind === OPEN_OBJECT) parent.key = this.lastString;
        continue;
      }
      if (b === COMMA || isSpace(b)) continue;
      if (emitting && parent) {
        // A number or literal element.
        this.cap = { parts: [], size: 0, line: this.line, depth: 0, maxDepth: 0, primitive: true, skipping: false };
        capStart = i;
      }
    }
    // Keep the unfinished capture's bytes for the next buffer.
    const cap = this.cap;
    if (cap && !cap.skipping) this.keep(cap, buf.subarray(capStart));
    const top = this.top;
    if (top && !top.skipping) {
      this.keep(top, buf.subarray(topStart));
      if (top.skipping) {
        this.flush(out);
        out.push({ kind: 'problem', line: top.line, message: `object starting at line ${top.line} is larger than ${this.maxRecordBytes} bytes`, records: 0 });
        this.stopped = true;
      }
    }
    return out;
  }

  private keep(cap: Capture, bytes: Buffer): void {
    if (cap.size + bytes.length > this.maxRecordBytes) {
      cap.skipping = true;
      cap.parts = [];
      return;
    }
    if (bytes.length) {
      cap.parts.push(bytes);
      cap.size += bytes.length;
    }
  }

  /** The capture in progress ends at buf[end) (it started at buf[start], or in an earlier buffer). */
  private endCapture(out: Frame[], buf: Buffer, start: number, end: number): void {
    const cap = this.cap!;
    this.cap = undefined;
    // A capture that began in an earlier buffer continues from this buffer's first byte.
    const from = cap.parts.length > 0 || cap.skipping ? 0 : start;
    const tail = buf.subarray(from, end);
    const size = cap.size + tail.length;
    if (cap.skipping || size > this.maxRecordBytes) {
      this.flush(out);
      out.push({ kind: 'problem', line: cap.line, message: `record starting at line ${cap.line} is larger than ${this.maxRecordBytes} bytes`, records: 1 });
      return;
    }
    if (cap.maxDepth > MAX_JSON_DEPTH) {
      this.flush(out);
      out.push({ kind: 'problem', line: cap.line, message: `record starting at line ${cap.line} is nested deeper than ${MAX_JSON_DEPTH} levels`, records: 1 });
      return;
    }
    if (this.offsets.length === 0) this.frameLine = cap.line;
    const at = this.size;
    for (const p of cap.parts) this.parts.push(p);
    this.parts.push(tail);
    this.size += size;
    this.offsets.push(at, at + size, cap.line);
    if (this.size >= this.frameBytes) this.flush(out);
  }

  private flush(out: Frame[]): void {
    if (this.offsets.length > 0) {
      const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size);
      out.push({ kind: 'data', bytes, firstLine: this.frameLine, records: this.offsets.length / 3, elements: Int32Array.from(this.offsets), source: this.source });
    }
    this.parts = [];
    this.size = 0;
    this.offsets = [];
  }

  flushComplete(): Frame[] {
    const out: Frame[] = [];
    this.flush(out);
    return out;
  }

  get nextLine(): number {
    return this.cap?.line ?? this.line;
  }

  end(): Frame[] {
    const out: Frame[] = [];
    if (this.stopped) return out;
    if (this.cap?.primitive && !this.inString) this.endCapture(out, Buffer.alloc(0), 0, 0);
    this.flush(out);
    if (this.cap || this.stack.length > 0 || this.inString) {
      out.push({ kind: 'problem', line: this.line, message: 'the JSON document ends before it is complete (truncated file?)', records: 1 });
    }
    return out;
  }
}

/**
 * Streams the records of a JSON document from text chunks (see JsonFramer). Kept for callers holding text; the
 * readers use the framer directly.
 */
export async function* splitJsonDocument(chunks: AsyncIterable<string>, maxRecordBytes = 64 * 1024 * 1024): AsyncGenerator<JsonElement | { error: string; line: number }> {
  const framer = new JsonFramer(maxRecordBytes);
  function* elements(frames: Frame[]): Generator<JsonElement | { error: string; line: number }> {
    for (const frame of frames) {
      if (frame.kind === 'problem') {
        yield { error: frame.message, line: frame.line };
        continue;
      }
      const e = frame.elements!;
      for (let k = 0; k < e.length; k += 3) yield { text: frame.bytes.toString('utf8', e[k], e[k + 1]), line: e[k + 2] };
    }
  }
  for await (const chunk of chunks) yield* elements(framer.push(Buffer.from(chunk, 'utf8')));
  yield* elements(framer.end());
}

/** Bytes of a JSON value nested deeper than `max` (strings skipped): checked before JSON.parse builds it. */
export function nestedDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  // Cheap pre-check: fewer brackets than the limit cannot nest that deep.
  let brackets = 0;
  for (let at = text.indexOf('[', 0); at !== -1 && brackets <= max; at = text.indexOf('[', at + 1)) brackets++;
  for (let at = text.indexOf('{', 0); at !== -1 && brackets <= max; at = text.indexOf('{', at + 1)) brackets++;
  if (brackets <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return false;
}
