/**
 * Property tests over every reader (CSV, JSON array, JSON wrapper object, NDJSON, CEF, Zeek TSV) through
 * readAlerts, the function the CLI uses: files are written to disk in every encoding and line ending.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAlerts, type ReadEvent } from '../../src/alerts/read.js';
import { SummaryBuilder } from '../../src/report/summary.js';
import type { TriageResult } from '../../src/triage/model.js';
import { triageAlert } from '../../src/triage/pipeline.js';
import { fuzzIndex } from './cluster.js';
import { assertSafeReports, renderAll } from './reports.js';
import { buildFile, encode, FILE_KINDS, kindById, layoutArb, type Encoding } from './seeds.js';
import { check, scratch, Tally, TIMEOUT } from './support.js';

const tally = new Tally('readers');
let dir: string;
let remove: () => void;
let fileNo = 0;

beforeAll(() => {
  ({ dir, remove } = scratch('readers'));
});
afterAll(() => {
  tally.report();
  remove();
});

function writeTemp(bytes: Buffer, extension: string): string {
  const path = join(dir, `f${++fileNo}${extension}`);
  writeFileSync(path, bytes);
  return path;
}

async function collect(path: string, options: Parameters<typeof readAlerts>[1] = {}): Promise<ReadEvent[]> {
  const events: ReadEvent[] = [];
  for await (const e of readAlerts([path], options)) events.push(e);
  return events;
}

/** Every event names its file; problems carry a line; every alert survives triage against a real index. */
function assertWellFormed(events: ReadEvent[], path: string, results: TriageResult[] = []): void {
  for (const e of events) {
    switch (e.kind) {
      case 'file':
      case 'refused':
        expect(e.file).toBe(path);
        break;
      case 'rejected':
        expect(e.file).toBe(path);
        expect(Number.isInteger(e.line) && e.line >= 1, `line of ${JSON.stringify(e)}`).toBe(true);
        expect(Number.isInteger(e.record) && e.record >= 1).toBe(true);
        expect(typeof e.message).toBe('string');
        tally.add('rejected');
        break;
      case 'skipped':
        tally.add('skipped');
        break;
      case 'alert': {
        expect(e.alert.source.file).toBe(path);
        expect(e.alert.source.record).toBeGreaterThanOrEqual(1);
        const result = triageAlert(e.alert, { index: fuzzIndex });
        expect(['likely-false-positive', 'genuine']).toContain(result.verdict.label);
        results.push(result);
        tally.add('alerts');
        break;
      }
    }
  }
}

describe('readers: every good record is read, every bad one is one rejection with its line', () => {
  for (const kind of FILE_KINDS) {
    it(
      kind.id,
      async () => {
        await check(
          fc.asyncProperty(layoutArb(kind), async (layout) => {
            tally.add('files');
            const built = buildFile(layout);
            tally.add('records', built.expected.length);
            const path = writeTemp(built.bytes, kind.extension);
            const events = await collect(path);
            const results: TriageResult[] = [];
            assertWellFormed(events, path, results);
            // The hostile text of every good record goes through every report format.
            const summary = new SummaryBuilder();
            for (const r of results) summary.add(r);
            assertSafeReports(await renderAll(results, summary.build()));
            const [head, ...rest] = events;
            expect(head, `first event of ${kind.id}`).toMatchObject({ kind: 'file', file: path });
            const got = rest.map((e) => (e.kind === 'alert' ? { outcome: 'alert', record: e.alert.source.record, line: e.alert.source.line } : e.kind === 'rejected' ? { outcome: 'rejected', record: e.record, line: e.line } : e.kind === 'skipped' ? { outcome: 'skipped', record: e.record } : { outcome: e.kind }));
            const want = built.expected.map((x, i) => (x.outcome === 'skipped' ? { outcome: x.outcome, record: i + 1 } : { outcome: x.outcome, record: i + 1, line: x.line }));
            expect(got).toEqual(want);
          }),
          8,
          tally,
        );
      },
      TIMEOUT,
    );
  }
});

/** Byte-level damage to a valid file: truncation, flipped bytes, inserted garbage, NULs, invalid UTF-8. */
const damage = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ op: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bytes: fc.uint8Array({ maxLength: 16 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bytes: fc.constantFrom(Uint8Array.of(0), Uint8Array.of(0xff, 0xfe), Uint8Array.of(0xc3), Uint8Array.of(0xed, 0xa0, 0x80), Uint8Array.of(0x22), Uint8Array.of(0x0d), Uint8Array.of(0x7b, 0x5b)) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.nat(200) }),
);
type Damage = typeof damage extends fc.Arbitrary<infer T> ? T : never;

function applyDamage(bytes: Buffer, d: Damage): Buffer {
  const at = Math.floor(d.at * bytes.length);
  switch (d.op) {
    case 'truncate':
      return bytes.subarray(0, at);
    case 'flip': {
      const copy = Buffer.from(bytes);
      if (copy.length) copy[Math.min(at, copy.length - 1)] = d.byte;
      return copy;
    }
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(d.bytes), bytes.subarray(at)]);
    case 'duplicate':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + d.length), bytes.subarray(at)]);
  }
}

describe('readers: damaged and arbitrary files never throw', () => {
  it(
    'valid files of every kind with byte-level damage (to the text or to the gzip stream)',
    async () => {
      const arb = fc.constantFrom(...FILE_KINDS).chain((kind) => fc.tuple(layoutArb(kind, { maxRecords: 6 }), fc.array(damage, { minLength: 1, maxLength: 4 }), fc.boolean()));
      await check(
        fc.asyncProperty(arb, async ([layout, damages, afterGzip]) => {
          tally.add('damaged');
          const built = buildFile({ ...layout, gzip: false });
          // The damage hits the text, or (a cut download, a bad disk) the compressed bytes.
          let bytes = layout.gzip && afterGzip ? gzipSync(built.bytes) : built.bytes;
          for (const d of damages) bytes = applyDamage(bytes, d);
          const path = writeTemp(layout.gzip && !afterGzip ? gzipSync(bytes) : bytes, kindById(layout.kind).extension);
          const events = await collect(path);
          assertWellFormed(events, path);
          // A file is read (one 'file' event, then its records) or refused once; never both, never twice.
          const heads = events.filter((e) => e.kind === 'file' || e.kind === 'refused');
          expect(heads).toHaveLength(1);
          expect(events[0]).toBe(heads[0]);
        }),
        40,
        tally,
      );
    },
    TIMEOUT,
  );

  it(
    'random bytes and random text in any encoding',
    async () => {
      const text = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.array(fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', '\n', '\r', 'CEF:0|', '|', '#fields\t', '#separator \\x09\n', 'a', '1', ' ', '\t', '\0'), { maxLength: 300 }).map((a) => a.join('')),
      );
      const arb = fc.oneof(
        fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
        fc.tuple(text, fc.constantFrom<Encoding>('utf8', 'utf8-bom', 'utf16le-bom', 'utf16be-bom'), fc.boolean()).map(([t, e, g]) => encode(t, e, g)),
      );
      await check(
        fc.asyncProperty(arb, fc.constantFrom('.json', '.csv', '.log', '.ndjson'), async (bytes, extension) => {
          tally.add('random');
          const path = writeTemp(bytes, extension);
          const events = await collect(path);
          assertWellFormed(events, path);
        }),
        60,
        tally,
      );
    },
    TIMEOUT,
  );
});
