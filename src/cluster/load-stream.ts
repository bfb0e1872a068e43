/**
 * Streaming reader for large JSON dumps. A `kubectl get pods -A -o json` of a big cluster is well over the ~512 MiB
 * a JavaScript string can hold, so the file is never decoded as one string: a byte scanner cuts the elements of the
 * big arrays (`items`, `objects.<resource>`, a top-level array) out of the stream and parses each on its own; the
 * rest of the document (its "skeleton", with those arrays left empty) is small and parsed at the end. Several JSON
 * values in one file (concatenated dumps, NDJSON) are read one after another.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
/** Bytes that matter inside an element: quotes and brackets. */
const STRUCTURAL = new Uint8Array(256);
for (const b of [QUOTE, OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY]) STRUCTURAL[b] = 1;
/** Keys longer than this are never one of the split paths; their bytes are not kept. */
const MAX_TRACKED_KEY = 64;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

interface Frame {
  isObject: boolean;
  /** Last key read in this object (undefined in arrays, or when the key was too long to matter). */
  key: string | undefined;
  expectKey: boolean;
  /** In arrays: the position of the current element. */
  index: number;
}

export interface JsonSplitHandlers {
  /** Whether the array at this key path (keys of the enclosing objects, outermost first) is split element by element. */
  split(path: readonly string[]): boolean;
  /**
   * One parsed element of a split array; `document` counts the top-level values of the file from 0; `path` locates
   * the array in its document: keys and, for arrays on the way, element positions, joined by dots (`items`,
   * `objects.pods`, `snapshots.1.objects.pods`; empty for a top-level array).
   */
  element(document: number, path: string, value: unknown): void;
  /** An element that is not valid JSON. */
  badElement(document: number, path: string, index: number, error: Error): void;
  /** A complete top-level value, with its split arrays empty. */
  document(document: number, skeleton: unknown): void;
}

export class JsonSplitter {
  private readonly stack: Frame[] = [];
  private inString = false;
  private escaped = false;
  /** Bytes of the key string being read (only outside split arrays). */
  private keyBytes: number[] | undefined;
  private keyTooLong = false;
  private stringIsKey = false;
  /** stack.length just inside the split array being cut, or -1. */
  private splitDepth = -1;
  private splitPath = '';
  private splitIndex = 0;
  /** Inside a split array, reading a non-object element. */
  private inPrimitive = false;
  /** Inside a split array: the pieces of the current element, or undefined between elements. */
  private elementPieces: Buffer[] | undefined;
  /** Brackets open inside the current element (its own included). */
  private elementDepth = 0;
  private skeletonPieces: Buffer[] = [];
  private documentIndex = 0;
  private started = false;
  private bomChecked = false;

  constructor(private readonly handlers: JsonSplitHandlers) {}

  /** Whether the scanner is in the middle of a top-level value. */
  get pending(): boolean {
    return this.started;
  }

  push(chunk: Buffer): void {
    let i = 0;
    if (!this.bomChecked && chunk.length > 0) {
      this.bomChecked = true;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    let skeletonFrom = this.splitDepth < 0 ? i : -1;
    let elementFrom = this.elementPieces ? i : -1;
    const n = chunk.length;
    while (i < n) {
      if (this.inString) {
        // Jump to the next quote; a quote preceded by an odd number of backslashes is escaped.
        if (this.escaped) {
          this.escaped = false;
          if (this.keyBytes && !this.keyTooLong) this.pushKeyByte(chunk[i]);
          i++;
          continue;
        }
        const quote = chunk.indexOf(QUOTE, i);
        const end = quote < 0 ? n : quote;
        if (this.keyBytes && !this.keyTooLong) for (let k = i; k < end; k++) this.pushKeyByte(chunk[k]);
        if (quote < 0) {
          this.escaped = trailingBackslashes(chunk, i, n) % 2 === 1;
          i = n;
          continue;
        }
        if (trailingBackslashes(chunk, i, quote) % 2 === 1) {
          if (this.keyBytes && !this.keyTooLong) this.pushKeyByte(QUOTE);
          i = quote + 1;
          continue;
        }
        this.inString = false;
        if (this.stringIsKey) this.finishKey();
        i = quote + 1;
        continue;
      }
      if (this.elementPieces !== undefined) {
        // Inside an element only strings and brackets matter: skip everything else quickly, count brackets.
        while (i < n && STRUCTURAL[chunk[i]] === 0) i++;
        if (i >= n) break;
        const c = chunk[i++];
        if (c === QUOTE) {
          this.inString = true;
          this.stringIsKey = false;
          this.keyBytes = undefined;
        } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
          this.elementDepth++;
        } else if (--this.elementDepth === 0) {
          this.elementPieces.push(chunk.subarray(elementFrom, i));
          this.finishElement();
          elementFrom = -1;
        }
        continue;
      }
      const b = chunk[i];
      if (isSpace(b)) {
        i++;
        continue;
      }
      if (this.splitDepth >= 0 && this.stack.length === this.splitDepth && this.elementPieces === undefined) {
        // Directly inside a split array, between elements.
        if (b === COMMA) {
          this.inPrimitive = false;
          i++;
          continue;
        }
        if (b === CLOSE_ARRAY) {
          this.inPrimitive = false;
          this.stack.pop();
          this.splitDepth = -1;
          i++;
          if (this.stack.length === 0) {
            this.skeletonPieces.push(chunk.subarray(i - 1, i));
            this.finishDocument();
          }
          skeletonFrom = this.stack.length === 0 ? i : i - 1;
          continue;
        }
        if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
          this.elementPieces = [];
          this.elementDepth = 1;
          elementFrom = i;
          i++;
          continue;
        } else if (!this.inPrimitive) {
          // A string, number or literal where an object belongs: reported once, then skipped like any other value.
          this.inPrimitive = true;
          this.handlers.element(this.documentIndex, this.splitPath, null);
          this.splitIndex++;
        }
      }
      if (!this.started) {
        this.started = true;
        if (b !== OPEN_OBJECT && b !== OPEN_ARRAY) {
          throw new Error(`not JSON: unexpected '${String.fromCharCode(b)}' at the start of a value`);
        }
      }
      switch (b) {
        case QUOTE: {
          this.inString = true;
          const top = this.stack[this.stack.length - 1];
          this.stringIsKey = this.splitDepth < 0 && top !== undefined && top.isObject && top.expectKey;
          this.keyBytes = this.stringIsKey ? [] : undefined;
          this.keyTooLong = false;
          i++;
          break;
        }
        case OPEN_OBJECT:
        case OPEN_ARRAY: {
          const isObject = b === OPEN_OBJECT;
          if (this.splitDepth < 0 && !isObject && this.split()) {
            // Keep "[" in the skeleton and cut everything up to the matching "]".
            this.stack.push({ isObject: false, key: undefined, expectKey: false, index: 0 });
            this.skeletonPieces.push(chunk.subarray(skeletonFrom, i + 1));
            skeletonFrom = -1;
            this.splitDepth = this.stack.length;
            this.splitPath = this.stack
              .slice(0, -1)
              .map((f) => (f.isObject ? (f.key ?? '') : String(f.index)))
              .join('.');
            this.splitIndex = 0;
          } else {
            this.stack.push({ isObject, key: undefined, expectKey: isObject, index: 0 });
          }
          i++;
          break;
        }
        case CLOSE_OBJECT:
        case CLOSE_ARRAY: {
          this.stack.pop();
          i++;
          if (this.stack.length === 0) {
            this.skeletonPieces.push(chunk.subarray(skeletonFrom, i));
            this.finishDocument();
            skeletonFrom = i;
          }
          break;
        }
        case COMMA: {
          const top = this.stack[this.stack.length - 1];
          if (top && this.splitDepth < 0) {
            if (top.isObject) top.expectKey = true;
            else top.index++;
          }
          i++;
          break;
        }
        case COLON:
        default:
          i++;
          break;
      }
    }
    if (elementFrom >= 0 && this.elementPieces !== undefined) this.elementPieces.push(chunk.subarray(elementFrom, n));
    if (skeletonFrom >= 0 && skeletonFrom < n && this.started) this.skeletonPieces.push(chunk.subarray(skeletonFrom, n));
  }

  /** Call at the end of input; throws when a value was left open (truncated file). */
  end(): void {
    if (this.started) throw new Error('unexpected end of file (truncated JSON)');
  }

  private pushKeyByte(b: number): void {
    if (!this.keyBytes) return;
    if (this.keyBytes.length >= MAX_TRACKED_KEY) {
      this.keyTooLong = true;
      return;
    }
    this.keyBytes.push(b);
  }

  private finishKey(): void {
    const top = this.stack[this.stack.length - 1];
    if (top) {
      top.key = this.keyTooLong || !this.keyBytes ? undefined : decodeKey(this.keyBytes);
      top.expectKey = false;
    }
    this.keyBytes = undefined;
    this.stringIsKey = false;
  }

  private split(): boolean {
    const path: string[] = [];
    for (const frame of this.stack) {
      if (frame.isObject) {
        if (frame.key === undefined) return false;
        path.push(frame.key);
      }
    }
    return this.handlers.split(path);
  }

  private finishElement(): void {
    const pieces = this.elementPieces ?? [];
    this.elementPieces = undefined;
    const index = this.splitIndex++;
    let value: unknown;
    try {
      value = JSON.parse(pieces.length === 1 ? pieces[0].toString('utf8') : Buffer.concat(pieces).toString('utf8'));
    } catch (err) {
      this.handlers.badElement(this.documentIndex, this.splitPath, index, err as Error);
      return;
    }
    this.handlers.element(this.documentIndex, this.splitPath, value);
  }

  private finishDocument(): void {
    const text = Buffer.concat(this.skeletonPieces).toString('utf8');
    this.skeletonPieces = [];
    this.started = false;
    this.handlers.document(this.documentIndex++, JSON.parse(text));
  }
}

function trailingBackslashes(chunk: Buffer, from: number, to: number): number {
  let count = 0;
  for (let k = to - 1; k >= from && chunk[k] === BACKSLASH; k--) count++;
  return count;
}

function decodeKey(bytes: number[]): string {
  const raw = Buffer.from(bytes).toString('utf8');
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
