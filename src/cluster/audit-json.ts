/**
 * Splits a stream of text lines into top-level JSON objects: pretty-printed single events, concatenated objects,
 * or the elements of a top-level array (gcloud `--format=json`, Falco's test traces). Only the object being read
 * is held in memory.
 */

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export class JsonObjectSplitter {
  /** Depth at which top-level objects start: 0, or 1 inside a top-level array. */
  private base = 0;
  private depth = 0;
  private capturing = false;
  private inString = false;
  private escaped = false;
  private chunks: string[] = [];
  private size = 0;
  /** The current object outgrew the limit: keep tracking its end, drop its text. */
  private discarding = false;
  /** Objects dropped for exceeding the size limit. */
  oversized = 0;

  constructor(private readonly maxChars = 64 * 1024 * 1024) {}

  /** Feed one line (without its newline); calls `emit` for every object completed on it. */
  push(line: string, emit: (json: string) => void): void {
    let segment = 0;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (!this.capturing) {
        if (c === OPEN_BRACE) {
          this.capturing = true;
          this.depth = this.base + 1;
          this.inString = false;
          this.escaped = false;
          segment = i;
        } else if (c === OPEN_BRACKET && this.base === 0) {
          this.base = 1;
        } else if (c === CLOSE_BRACKET && this.base === 1) {
          this.base = 0;
        }
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth === this.base) {
          if (this.discarding) {
            this.oversized++;
            this.reset();
            continue;
          }
          this.chunks.push(line.slice(segment, i + 1));
          const text = this.chunks.join('');
          this.reset();
          emit(text);
        }
      }
    }
    if (this.capturing && !this.discarding) {
      const rest = line.slice(segment);
      this.size += rest.length + 1;
      if (this.size > this.maxChars) {
        this.discarding = true;
        this.chunks = [];
        return;
      }
      this.chunks.push(rest, '\n');
    }
  }

  /** True when input ended in the middle of an object. */
  get incomplete(): boolean {
    return this.capturing;
  }

  private reset(): void {
    this.capturing = false;
    this.discarding = false;
    this.chunks = [];
    this.size = 0;
    this.depth = this.base;
  }
}
