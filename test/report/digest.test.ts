/**
 * The compact record a triage thread sends back (src/report/digest.ts) and the streaming formats split in two
 * (src/parallel/render.ts): on real exports from several products, the summary, the filters, the fingerprints and
 * every byte of ndjson, json and csv must be what the full results give.
 */
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAlerts } from '../../src/alerts/read.js';
import { expandInputs } from '../../src/alerts/readers/input.js';
import { buildIndex } from '../../src/cluster/index.js';
import { loadSnapshots } from '../../src/cluster/load.js';
import { PieceRenderer, PieceWriter, type StreamFormat } from '../../src/parallel/render.js';
import { csvFormat } from '../../src/report/csv.js';
import { DIGEST_CELLS, digestView, pushDigest, type DigestCell } from '../../src/report/digest.js';
import { fingerprint } from '../../src/report/fingerprint.js';
import { buildFilter } from '../../src/report/filters.js';
import { jsonFormat } from '../../src/report/json.js';
import type { BaselineLookup, ReportFormat } from '../../src/report/model.js';
import { ndjsonFormat } from '../../src/report/ndjson.js';
import { SummaryBuilder } from '../../src/report/summary.js';
import type { TriageResult } from '../../src/triage/model.js';
import { triageAlert } from '../../src/triage/pipeline.js';

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

let results: TriageResult[] = [];
let views: TriageResult[] = [];
let baseline: BaselineLookup;

beforeAll(async () => {
  const snapshots = await loadSnapshots(['samples/cluster.json', 'test/fixtures/scenarios/aks-cilium/cluster.json'], () => undefined, { clusterName: 'fintrack-prod' });
  const index = buildIndex(snapshots);
  results = [];
  for (const dir of ['samples/alerts', 'test/fixtures/scenarios/aks-cilium/alerts', 'test/fixtures/scenarios/onprem-istio/alerts']) {
    for await (const event of readAlerts(await expandInputs([dir], () => undefined), { workers: 0 })) if (event.kind === 'alert') results.push(triageAlert(event.alert, { index }));
  }
  const cells: DigestCell[] = [];
  for (const r of results) pushDigest(cells, r);
  expect(cells).toHaveLength(results.length * DIGEST_CELLS);
  // Through a structured clone, as between threads.
  const travelled = structuredClone(cells);
  views = results.map((_, n) => digestView(travelled, n));
  const known = new Set(results.filter((_, i) => i % 3 === 0).map((r) => fingerprint(r.alert)));
  baseline = { has: (r) => known.has(fingerprint(r.alert)) };
}, 60_000);

describe('result digests', () => {
  it('cover a varied export (several products, placed and unplaced alerts, both labels)', () => {
    expect(results.length).toBeGreaterThan(50);
    expect(new Set(results.map((r) => r.alert.source.vendor)).size).toBeGreaterThan(4);
    expect(new Set(results.map((r) => r.verdict.label)).size).toBe(2);
    expect(results.some((r) => r.correlation.subject.workload) && results.some((r) => !r.correlation.subject.pod)).toBe(true);
  });

  it('give the same summary, with and without a baseline', () => {
    for (const options of [{}, { baseline }, { top: 3 }]) {
      const full = new SummaryBuilder(options);
      const compact = new SummaryBuilder(options);
      results.forEach((r) => full.add(r));
      views.forEach((v) => compact.add(v));
      expect(compact.build()).toEqual(full.build());
    }
  });

  it('give the same fingerprints and the same filter answers', () => {
    expect(views.map((v) => fingerprint(v.alert))).toEqual(results.map((r) => fingerprint(r.alert)));
    const filters = [{ only: 'genuine' }, { only: 'false-positive' }, { cause: ['attack', 'node-networking'] }, { since: '2026-10-14T08:30:00Z' }, { until: '2026-10-14' }, { minSeverity: 'high' }];
    for (const options of filters) {
      const keep = buildFilter(options);
      expect(views.map(keep), JSON.stringify(options)).toEqual(results.map(keep));
    }
  });
});

describe('rendered pieces written by the main thread', () => {
  const sinks: Record<StreamFormat, ReportFormat> = { ndjson: ndjsonFormat, json: jsonFormat, csv: csvFormat };

  async function viaSink(format: StreamFormat, chosen: TriageResult[], withBaseline: boolean): Promise<string> {
    const out = new Collect();
    const sink = sinks[format].create(out, { color: false, explain: false, baseline: withBaseline ? baseline : undefined });
    const summary = new SummaryBuilder();
    for (const r of chosen) {
      summary.add(r);
      sink.add(r);
    }
    await sink.finish(summary.build());
    return out.text;
  }

  /** Pieces rendered in frames of `frame` alerts, a filter applied in the main thread. */
  async function viaPieces(format: StreamFormat, keep: (i: number) => boolean, withBaseline: boolean, frame: number): Promise<string> {
    const out = new Collect();
    const writer = new PieceWriter(format, out, withBaseline);
    const renderer = new PieceRenderer(format);
    const summary = new SummaryBuilder();
    for (let start = 0; start < results.length; start += frame) {
      const batch = results.slice(start, start + frame);
      batch.forEach((r) => renderer.add(r));
      const pieces = structuredClone(renderer.take());
      if (!withBaseline && batch.every((_, k) => keep(start + k))) {
        writer.addAll(pieces);
        batch.forEach((r) => summary.add(r));
      } else {
        batch.forEach((r, k) => {
          if (!keep(start + k)) return;
          summary.add(r);
          writer.add(pieces, k, withBaseline ? baseline.has(r) : undefined);
        });
      }
      writer.flush();
    }
    await writer.finish(summary.build());
    return out.text;
  }

  for (const format of ['ndjson', 'json', 'csv'] as const) {
    it(`${format}: the sink's bytes, filtered or not, with or without a baseline`, async () => {
      for (const withBaseline of [false, true]) {
        expect(await viaPieces(format, () => true, withBaseline, 7)).toBe(await viaSink(format, results, withBaseline));
        const keep = (i: number) => i % 4 !== 1;
        expect(await viaPieces(format, keep, withBaseline, 5)).toBe(await viaSink(format, results.filter((_, i) => keep(i)), withBaseline));
        // The first alerts filtered out: the csv header comes from the first alert written.
        const late = (i: number) => i > 20;
        expect(await viaPieces(format, late, withBaseline, 9)).toBe(await viaSink(format, results.filter((_, i) => late(i)), withBaseline));
      }
    });
    it(`${format}: nothing written`, async () => {
      expect(await viaPieces(format, () => false, true, 4)).toBe(await viaSink(format, [], true));
    });
  }
});
