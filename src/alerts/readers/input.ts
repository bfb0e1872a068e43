import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export const ALERT_EXTENSIONS = ['.json', '.ndjson', '.jsonl', '.csv', '.tsv', '.log', '.txt', '.cef', '.gz'];

/** Expand positional inputs: files as given, directories recursively by extension (sorted for stable order). */
export async function expandInputs(paths: string[], warn: (m: string) => void): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(p);
      continue;
    }
    let st;
    try {
      st = await stat(p);
    } catch (error) {
      throw new InputError(`cannot read ${p}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    if (st.isDirectory()) {
      const found = await walk(p);
      if (found.length === 0) warn(`${p}: no alert files found (looked for ${ALERT_EXTENSIONS.join(' ')})`);
      out.push(...found);
    } else {
      out.push(p);
    }
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (ALERT_EXTENSIONS.some((ext) => e.name.toLowerCase().endsWith(ext))) out.push(full);
  }
  return out;
}

export class InputError extends Error {}

export interface OpenedInput {
  /** Decoded text chunks (UTF-8 / UTF-16 handled, BOM removed). */
  chunks: AsyncIterable<string>;
  /** The first part of the text, for format detection (also the first chunk(s) of `chunks`). */
  head: string;
}

const HEAD_BYTES = 64 * 1024;

/** Opens a file or stdin, gunzips when the content is gzip, decodes text, and exposes a head for detection. */
export async function openInput(path: string): Promise<OpenedInput> {
  const raw: Readable = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1024 * 1024 });
  const iterator = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const firstBufs: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < 4) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const b = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    firstBufs.push(b);
    size += b.length;
  }
  const first = Buffer.concat(firstBufs);
  async function* bytes(): AsyncGenerator<Buffer> {
    if (first.length) yield first;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    }
  }
  let source: AsyncIterable<Buffer> = bytes();
  if (first[0] === 0x1f && first[1] === 0x8b) {
    const gunzip = createGunzip();
    const input = source;
    (async () => {
      try {
        for await (const b of input) if (!gunzip.write(b)) await new Promise((r) => gunzip.once('drain', r));
        gunzip.end();
      } catch (error) {
        gunzip.destroy(error as Error);
      }
    })();
    source = gunzip;
  }
  const text = decodeText(source);
  const it = text[Symbol.asyncIterator]();
  const headParts: string[] = [];
  let headLen = 0;
  let ended = false;
  while (headLen < HEAD_BYTES) {
    const next = await it.next();
    if (next.done) {
      ended = true;
      break;
    }
    headParts.push(next.value);
    headLen += next.value.length;
  }
  async function* chunks(): AsyncGenerator<string> {
    yield* headParts;
    if (ended) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { chunks: chunks(), head: headParts.join('') };
}

async function* decodeText(source: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let decoder: InstanceType<typeof TextDecoder> | undefined;
  for await (const buf of source) {
    if (!decoder) {
      let encoding = 'utf-8';
      let skip = 0;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) skip = 3;
      else if (buf[0] === 0xff && buf[1] === 0xfe) [encoding, skip] = ['utf-16le', 2];
      else if (buf[0] === 0xfe && buf[1] === 0xff) [encoding, skip] = ['utf-16be', 2];
      decoder = new TextDecoder(encoding);
      const text = decoder.decode(buf.subarray(skip), { stream: true });
      if (text) yield text;
      continue;
    }
    const text = decoder.decode(buf, { stream: true });
    if (text) yield text;
  }
  if (decoder) {
    const rest = decoder.decode();
    if (rest) yield rest;
  }
}

/** Splits text chunks into lines (LF, CRLF or lone CR), numbered from 1. */
export async function* lines(chunks: AsyncIterable<string>, maxChars = Number.POSITIVE_INFINITY): AsyncGenerator<{ text: string; line: number; overlong?: boolean }> {
  let carry = '';
  let lineNo = 0;
  let pendingCr = false;
  // A line longer than maxChars is not buffered: its text is dropped as it streams and it comes out as `overlong`.
  let overlong = false;
  for await (const chunk of chunks) {
    let text = carry + chunk;
    carry = '';
    if (pendingCr && text.startsWith('\n')) text = text.slice(1);
    pendingCr = false;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        lineNo++;
        yield overlong ? { text: '', line: lineNo, overlong } : { text: text.slice(start, i), line: lineNo };
        overlong = false;
        if (c === 13) {
          if (i + 1 < text.length) {
            if (text.charCodeAt(i + 1) === 10) i++;
          } else {
            pendingCr = true;
          }
        }
        start = i + 1;
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
