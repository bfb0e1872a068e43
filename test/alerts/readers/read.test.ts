import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAlerts, type ReadEvent, type ReadOptions } from '../../../src/alerts/read.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kdr-read-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(name: string, content: string | Buffer, options: ReadOptions = {}): Promise<ReadEvent[]> {
  const path = join(dir, name);
  await writeFile(path, content);
  const out: ReadEvent[] = [];
  for await (const e of readAlerts([path], { workers: 0, ...options })) out.push(e);
  return out;
}

/** Each event as [kind, record, line] (line where known), for numbering checks. */
function places(events: ReadEvent[]): (string | number | undefined)[][] {
  return events.flatMap((e) => {
    if (e.kind === 'alert') return [['alert', e.alert.source.record, e.alert.source.line]];
    if (e.kind === 'rejected') return [['rejected', e.record, e.line]];
    if (e.kind === 'skipped') return [['skipped', e.record]];
    return [];
  });
}

const DEFENDER_HEADER = 'Timestamp,AlertId,Title,DeviceName,FileName,ProcessCommandLine';
const row = (i: number) => `2026-11-20T10:00:0${i % 10}Z,id-${i},Suspicious thing,node-${i},sh,"sh -c ""echo ${i}"""`;

describe('readAlerts: record numbering and problems stay exact', () => {
  it('numbers CSV data rows (header excluded, blank lines skipped) with the line where each starts, across many frames', async () => {
    const lines = [DEFENDER_HEADER, row(1), '', row(2), 'broken,"x"y,1,2,3,4', row(3), '"multi', 'line",a,b,c,d,e', row(4)];
    for (const frameBytes of [256, 300, 1 << 20]) {
      const events = await read('a.csv', `${lines.join('\r\n')}\r\n`, { frameBytes, vendor: 'defender-xdr' });
      expect(places(events)).toEqual([
        ['alert', 1, 2],
        ['alert', 2, 4],
        ['rejected', 3, 5],
        ['alert', 4, 6],
        ['alert', 5, 7],
        ['alert', 6, 9],
      ]);
    }
  });

  it('numbers non-blank NDJSON lines and says which line was not JSON, too deep or too long', async () => {
    const deep = `{"a":${'['.repeat(80)}${']'.repeat(80)}}`;
    const text = ['{"AlertId":"a","DeviceName":"n","Title":"t","FileName":"sh"}', '   ', 'not json', deep, `{"AlertId":"${'x'.repeat(400)}"}`, '[1,2]', '{"AlertId":"b","DeviceName":"n","Title":"t","FileName":"sh"}'].join('\n');
    const events = await read('a.ndjson', text, { vendor: 'defender-xdr', maxRecordBytes: 300, frameBytes: 256 });
    expect(places(events)).toEqual([
      ['alert', 1, 1],
      ['rejected', 2, 3],
      ['rejected', 3, 4],
      ['rejected', 4, 5],
      ['rejected', 5, 6],
      ['alert', 6, 7],
    ]);
    const messages = events.filter((e) => e.kind === 'rejected').map((e) => (e as { message: string }).message);
    expect(messages[0]).toMatch(/^invalid JSON/);
    expect(messages[1]).toBe('nested deeper than 64 levels');
    expect(messages[2]).toBe('line longer than 300 bytes');
    expect(messages[3]).toBe('not a JSON object');
  });

  it('numbers a JSON array by index + 1, primitives included', async () => {
    const doc = '[\n{"AlertId":"a","DeviceName":"n","Title":"t","FileName":"sh"},\n"oops",\n{"AlertId":"b","DeviceName":"n","Title":"t","FileName":"sh"}\n]';
    const events = await read('a.json', doc, { vendor: 'defender-xdr' });
    expect(places(events)).toEqual([
      ['alert', 1, 2],
      ['rejected', 2, 3],
      ['alert', 3, 4],
    ]);
  });

  it('stops at a gzip bomb with one rejection naming the file, keeping what was read before it', async () => {
    const events = await read('bomb.csv.gz', gzipSync(Buffer.concat([Buffer.from(`${DEFENDER_HEADER}\n${row(1)}\n`), Buffer.alloc(32 * 1024 * 1024, 0x20)])), {
      vendor: 'defender-xdr',
      ratioCheckAfterBytes: 1024 * 1024,
    });
    expect(places(events)).toEqual([
      ['alert', 1, 2],
      ['rejected', 2, 3],
    ]);
    expect((events[events.length - 1] as { message: string }).message).toMatch(/^the rest of the file cannot be read: .*bomb\.csv\.gz: gzip content inflates more than 100:1/);
  });
});
