import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { LineFramer, lines, openInput, type Frame } from '../../../src/alerts/readers/input.js';

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

async function referenceLines(text: string) {
  const out: { text: string; line: number }[] = [];
  for await (const l of lines(once(text))) out.push(l);
  return out;
}

/** Records (non-blank lines) through the framer, with the line numbers a decoder derives from each frame. */
function framedLines(bytes: Buffer, cuts: number[], frameBytes: number, max = 1 << 20) {
  const framer = new LineFramer(max, frameBytes);
  const frames: Frame[] = [];
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b).concat(bytes.length)) {
    frames.push(...framer.push(bytes.subarray(at, cut)));
    at = cut;
  }
  frames.push(...framer.end());
  const out: { text?: string; problem?: string; line: number }[] = [];
  for (const f of frames) {
    if (f.kind === 'problem') {
      out.push({ problem: f.message, line: f.line });
      continue;
    }
    let count = 0;
    let line = f.firstLine;
    const text = f.bytes.toString('utf8');
    const parts = text.split(/\r\n|\n|\r/);
    if (parts[parts.length - 1] === '') parts.pop();
    for (const p of parts) {
      if (p.trim() !== '') {
        out.push({ text: p, line });
        count++;
      }
      line++;
    }
    expect(count).toBe(f.records);
  }
  return out;
}

describe('LineFramer', () => {
  it('cuts only at line breaks and numbers lines as lines() does (LF, CRLF, lone CR, blank and Unicode-blank lines)', async () => {
    const line = fc.oneof(fc.constantFrom('', ' ', '\t', '\u00a0', '{"a":1}', 'x y', 'é漢🙂'), fc.string({ maxLength: 10 }).map((s) => s.replace(/[\r\n]/g, '')));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 20 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.integer({ min: 1, max: 50 }),
        async (parts, lastBreak, cuts, frameBytes) => {
          let text = parts.map(([l, eol]) => l + eol).join('');
          if (!lastBreak && parts.length) text += parts[0][0];
          const bytes = Buffer.from(text, 'utf8');
          const expected = (await referenceLines(text)).filter((l) => l.text.trim() !== '');
          expect(framedLines(bytes, cuts.map((c) => c % (bytes.length + 1)), frameBytes)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a line over the limit in its place without buffering it, and keeps counting lines', () => {
    const long = 'x'.repeat(300);
    const bytes = Buffer.from(`{"a":1}\n${long}\n{"b":2}\r\n${long}`);
    for (const cuts of [[], [3, 100, 200, 320], [9, 10, 309]]) {
      expect(framedLines(bytes, cuts, 8, 100)).toEqual([
        { text: '{"a":1}', line: 1 },
        { problem: 'line longer than 100 bytes', line: 2 },
        { text: '{"b":2}', line: 3 },
        { problem: 'line longer than 100 bytes', line: 4 },
      ]);
    }
  });
});

describe('openInput', () => {
  let dir: string;
  const file = async (name: string, content: Buffer | string) => {
    dir ??= await mkdtemp(join(tmpdir(), 'kdr-input-'));
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const readAll = async (path: string, limits = {}) => {
    const input = await openInput(path, limits);
    const parts: Buffer[] = [];
    for await (const b of input.bytes) parts.push(b);
    return { head: input.head, text: Buffer.concat(parts).toString('utf8') };
  };

  it('streams gzip, drops a UTF-8 byte-order mark and transcodes UTF-16 to UTF-8', async () => {
    expect(await readAll(await file('a.csv.gz', gzipSync('a,b\n1,2\n')))).toEqual({ head: 'a,b\n1,2\n', text: 'a,b\n1,2\n' });
    expect((await readAll(await file('bom.csv', Buffer.from('\ufeffa,b\n', 'utf8')))).text).toBe('a,b\n');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,é\n', 'utf16le')]);
    expect(await readAll(await file('u16.csv', utf16))).toEqual({ head: 'a,é\n', text: 'a,é\n' });
  });

  it('refuses gzip input that inflates beyond the ratio limit, naming the file, before inflating it all', async () => {
    const bomb = await file('bomb.json.gz', gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)));
    await expect(readAll(bomb, { maxDecompressionRatio: 100, ratioCheckAfterBytes: 1024 * 1024 })).rejects.toThrow(/bomb\.json\.gz: gzip content inflates more than 100:1/);
    // An ordinary export compresses far less than that.
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"id":${i},"host":"node-${i % 97}","cmd":"/bin/sh -c run-${(i * 7919) % 10007}"}`).join('\n');
    const ok = await file('ok.ndjson.gz', gzipSync(lines));
    expect((await readAll(ok, { maxDecompressionRatio: 100, ratioCheckAfterBytes: 64 * 1024 })).text).toBe(lines);
  });
});
