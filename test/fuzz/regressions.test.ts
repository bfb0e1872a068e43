/**
 * Failures the fuzz suites found, pinned as plain examples so they stay fixed whatever the random seed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAlerts, type ReadEvent } from '../../src/alerts/read.js';
import { falco } from '../../src/alerts/vendors/falco.js';
import { scratch } from './support.js';

let dir: string;
let remove: () => void;
beforeAll(() => {
  ({ dir, remove } = scratch('regressions'));
});
afterAll(() => remove());

async function read(name: string, text: string | Buffer): Promise<ReadEvent[]> {
  const path = join(dir, name);
  writeFileSync(path, text);
  const events: ReadEvent[] = [];
  for await (const e of readAlerts([path])) events.push(e);
  return events;
}

const summary = (events: ReadEvent[]) =>
  events.map((e) => (e.kind === 'alert' ? `alert ${e.alert.source.record}@${e.alert.source.line}` : e.kind === 'rejected' ? `rejected ${e.record}@${e.line}` : e.kind));

const falcoLine = (n: number) => JSON.stringify({ rule: 'Terminal shell in container', priority: 'Warning', output: `shell ${n}`, time: '2026-01-01T12:00:00Z', output_fields: { 'proc.cmdline': 'sh' } });

describe('old Mac line ends (a lone CR)', () => {
  it('NDJSON: every line is its own record, numbered by line (was: read as one concatenated JSON document)', async () => {
    const events = await read('cr.ndjson', [falcoLine(1), '{broken', falcoLine(3)].join('\r'));
    expect(summary(events)).toEqual(['file', 'alert 1@1', 'rejected 2@2', 'alert 3@3']);
  });

  it('a JSON wrapper object: elements carry their own line (was: the file was taken for NDJSON and every line rejected)', async () => {
    const events = await read('cr.json', ['{"value": [', `${falcoLine(1)},`, falcoLine(2), ']}'].join('\r'));
    expect(summary(events)).toEqual(['file', 'alert 1@2', 'alert 2@3']);
  });

  it('a JSON array: line numbers count CR, CRLF and LF alike', async () => {
    const events = await read('mixed.json', `[\r${falcoLine(1)},\r\n${falcoLine(2)},\n${falcoLine(3)}\r]`);
    expect(summary(events)).toEqual(['file', 'alert 1@2', 'alert 2@3', 'alert 3@4']);
  });
});

describe('Zeek logs with old Mac line ends', () => {
  it('the header is recognised and rows are read (was: refused as an unknown format)', async () => {
    const log = ['#separator \\x09', '#set_separator\t,', '#path\tnotice', '#fields\tts\tnote\tmsg\tsrc', '#types\ttime\tenum\tstring\taddr', '1767268800.123456\tScan::Port_Scan\tscan\t10.0.0.1', '#close\t2026-01-01-13-00-00'];
    const events = await read('cr-notice.log', log.join('\r'));
    expect(summary(events)).toEqual(['file', 'alert 1@6']);
  });
});

describe('CSV: a row the CSV parser rejects is reported in file order', () => {
  const header = 'Timestamp,AlertId,Title,DeviceName,ProcessCommandLine,InitiatingProcessFileName';
  const row = (n: number) => `2026-01-01T12:00:0${n}Z,da-${n},Shell,node-a,sh -c id,containerd-shim`;

  it('a bad quote between two good rows: row 2 rejected on line 3, rows 1 and 3 read (was: reported as row 1, before it)', async () => {
    const events = await read('quote.csv', [header, row(1), 'x,ab"c,d', row(3)].join('\n'));
    expect(summary(events)).toEqual(['file', 'alert 1@2', 'rejected 2@3', 'alert 3@4']);
  });
});

describe('vendor field helpers on hostile shapes', () => {
  const base = { rule: 'Terminal shell in container', priority: 'Warning', output: 'shell', time: '2026-01-01T12:00:00Z', output_fields: { 'proc.cmdline': 'sh' } };
  const map = (record: Record<string, unknown>) => falco.map(record, { file: 'x.ndjson', record: 1, vendor: 'falco' });

  it('tags nested 20,000 arrays deep map to an alert (was: RangeError, maximum call stack size exceeded)', () => {
    let tags: unknown = 'T1059';
    for (let i = 0; i < 20_000; i++) tags = [tags];
    expect(map({ ...base, tags }).title).toBe('Terminal shell in container');
  });

  it('150,000 distinct tags take linear time (was: quadratic de-duplication, minutes for one record)', () => {
    const tags = Array.from({ length: 150_000 }, (_, i) => `tag-${i}`);
    const started = performance.now();
    map({ ...base, tags: [...tags, 'T1059'] });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('a gzip export that breaks part-way', () => {
  // Larger than the 64 KiB the reader decodes up front, so the damage is met while streaming.
  const lines = Array.from({ length: 2000 }, (_, i) => falcoLine(i + 1)).join('\n');
  const gz = gzipSync(lines);

  it('truncated: the records before the cut are read, the rest is one rejection (was: an exception, nothing reported)', async () => {
    const events = await read('cut.ndjson.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const alerts = events.filter((e) => e.kind === 'alert').length;
    const rejected = events.filter((e) => e.kind === 'rejected');
    expect(events[0].kind).toBe('file');
    expect(alerts).toBeGreaterThan(500);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ record: alerts + 1, line: alerts + 1 });
    expect((rejected[0] as { message: string }).message).toMatch(/the rest of the file cannot be read: unexpected end of file/);
  });

  it('corrupt: reading stops at the damage with one rejection naming the gzip error', async () => {
    const bad = Buffer.from(gz);
    for (let i = Math.floor(bad.length * 0.6); i < Math.floor(bad.length * 0.6) + 64; i++) bad[i] ^= 0x5a;
    const events = await read('corrupt.ndjson.gz', bad);
    const last = events[events.length - 1];
    expect(last.kind).toBe('rejected');
    expect((last as { message: string }).message).toMatch(/the rest of the file cannot be read/);
  });
});
