/**
 * Failures the fuzz suites found, pinned as plain examples so they stay fixed whatever the random seed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAlerts, type ReadEvent } from '../../src/alerts/read.js';
import { lines } from '../../src/alerts/readers/input.js';
import { falco } from '../../src/alerts/vendors/falco.js';
import type { VendorProfile } from '../../src/alerts/vendors/profile.js';
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

describe('JSON arrays with elements that are not objects', () => {
  it('each scalar is one rejection with its line, and record numbers stay the array positions (was: skipped silently)', async () => {
    const events = await read('scalars.json', `[\n${falcoLine(1)},\n42,\n"text, with ] and }",\nnull,\n${falcoLine(5)}\n]`);
    expect(summary(events)).toEqual(['file', 'alert 1@2', 'rejected 2@3', 'rejected 3@4', 'rejected 4@5', 'alert 5@6']);
  });
  it('the same inside a wrapper object on one line, as Graph API responses come (was: the whole response refused as one NDJSON record)', async () => {
    const events = await read('wrapped-scalars.json', `{"value": [${falcoLine(1)}, true, ${falcoLine(3)}]}`);
    expect(summary(events)).toEqual(['file', 'alert 1@1', 'rejected 2@1', 'alert 3@1']);
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

describe('a record over the size limit is rejected, not buffered', () => {
  const limit = 2_000;
  async function readWithLimit(name: string, text: string): Promise<string[]> {
    const path = join(dir, name);
    writeFileSync(path, text);
    const events: ReadEvent[] = [];
    for await (const e of readAlerts([path], { maxRecordChars: limit })) events.push(e);
    return summary(events);
  }
  const huge = 'A'.repeat(limit * 3);
  const big = (n: number) => JSON.stringify({ rule: 'Terminal shell in container', priority: 'Warning', output: huge, time: '2026-01-01T12:00:00Z', n });

  it('NDJSON: the long line is one rejection, its neighbours are read', async () => {
    expect(await readWithLimit('long.ndjson', [falcoLine(1), big(2), falcoLine(3)].join('\n'))).toEqual(['file', 'alert 1@1', 'rejected 2@2', 'alert 3@3']);
  });
  it('CEF: the same', async () => {
    const cef = (n: number, msg = 'x') => `CEF:0|CrowdStrike|FalconHost|1.0|${n}|Detection|7|rt=1767268800000 dhost=node-a msg=${msg}`;
    expect(await readWithLimit('long.cef', [cef(1), cef(2, huge), cef(3)].join('\n'))).toEqual(['file', 'alert 1@1', 'rejected 2@2', 'alert 3@3']);
  });
  it('a JSON array: an element over the limit is one rejection naming its line (was: accepted when it fitted in one chunk)', async () => {
    const events = await readWithLimit('long.json', `[\n${falcoLine(1)},\n${big(2)},\n${falcoLine(3)}\n]`);
    expect(events).toEqual(['file', 'alert 1@2', 'rejected 2@3', 'alert 3@4']);
  });
  it('CSV: a record over the limit is one rejection, and the rows after it are read (was: later rows dropped without a word)', async () => {
    const header = 'Timestamp,AlertId,Title,DeviceName,ProcessCommandLine,InitiatingProcessFileName';
    const row = (n: number, cmd = 'sh -c id') => `2026-01-01T12:00:0${n}Z,da-${n},Shell,node-a,${cmd},containerd-shim`;
    const path = join(dir, 'long.csv');
    writeFileSync(path, [header, row(1), row(2, huge), row(3), row(4)].join('\n'));
    const events: ReadEvent[] = [];
    for await (const e of readAlerts([path], { maxRecordChars: limit })) events.push(e);
    // The reader finds record boundaries itself (readers/csv.ts), so an oversized record no longer ends the file.
    expect(summary(events)).toEqual(['file', 'alert 1@2', 'rejected 2@3', 'alert 3@4', 'alert 4@5']);
    expect((events[2] as { message: string }).message).toBe(`record larger than ${limit} bytes`);
  });
  it('Zeek TSV: a row over the limit is one rejection (was: read whole, no limit)', async () => {
    const log = ['#separator \\x09', '#path\tnotice', '#fields\tts\tnote\tmsg\tsrc', '#types\ttime\tenum\tstring\taddr'];
    const rowOf = (n: number, msg = 'scan') => `176726880${n}.123456\tScan::Port_Scan\t${msg}\t10.0.0.${n}`;
    expect(await readWithLimit('long.log', [...log, rowOf(1), rowOf(2, huge), rowOf(3)].join('\n'))).toEqual(['file', 'alert 1@5', 'rejected 2@6', 'alert 3@7']);
  });
});

describe('lines(): a line over the limit is dropped as it streams, never held', () => {
  it('yields an overlong marker for it and goes on with the next line', async () => {
    async function* chunks(): AsyncGenerator<string> {
      yield 'first\n';
      for (let i = 0; i < 1_000; i++) yield 'x'.repeat(100);
      yield '\nthird\r';
      for (let i = 0; i < 10; i++) yield 'y'.repeat(100);
    }
    const out: { text: string; line: number; overlong?: boolean }[] = [];
    for await (const l of lines(chunks(), 500)) out.push(l);
    expect(out).toEqual([{ text: 'first', line: 1 }, { text: '', line: 2, overlong: true }, { text: 'third', line: 3 }, { text: '', line: 4, overlong: true }]);
  });
});

describe('a profile that produces a malformed alert', () => {
  it('a JSON record posing as CEF with a list for its name is not taken for CEF (was: title became a list, every report crashed)', async () => {
    const record = JSON.stringify({ cefVersion: '0', deviceVendor: 'CrowdStrike', deviceProduct: 'FalconHost', deviceVersion: '1.0', deviceEventClassId: '1', name: ['Shell', 'Shell'], severity: '7', cefLabels: {}, rt: '1767268800000', dhost: 'node-a' });
    const events = await read('cef-posing.ndjson', `${record}\n${falcoLine(2)}\n`);
    for (const e of events) if (e.kind === 'alert') expect(typeof e.alert.title).toBe('string');
    for (const e of events) if (e.kind === 'rejected') expect(e.message).not.toMatch(/malformed alert/);
  });

  it('is rejected with one warning naming the field, never passed on to the reports', async () => {
    const path = join(dir, 'custom.ndjson');
    writeFileSync(path, `${falcoLine(1)}\n${falcoLine(2)}\n`);
    const sloppy: VendorProfile = {
      id: 'sloppy',
      product: 'a profile with a bug',
      fields: {},
      detect: () => 1,
      map: (record, source) => {
        const alert = falco.map(record, source);
        if (source.record === 2) (alert as unknown as Record<string, unknown>).title = ['not', 'text'];
        return alert;
      },
    };
    const events: ReadEvent[] = [];
    for await (const e of readAlerts([path], { customProfile: sloppy })) events.push(e);
    expect(summary(events)).toEqual(['file', 'alert 1@1', 'rejected 2@2']);
    expect((events[2] as { message: string }).message).toBe('the sloppy profile read it into a malformed alert (title)');
  });
});
