import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHtmlSink, htmlFormat, jsonForScript } from '../../src/report/html.js';
import type { TriageResult } from '../../src/triage/model.js';
import { makeResult, sampleResults, sampleSummary, XSS_COMMAND } from '../support/results.js';
import { render } from '../support/render.js';

const dataOf = (html: string) => {
  const m = /<script type="application\/json" id="kdr-data">([^<]*)<\/script>/.exec(html);
  if (!m) throw new Error('no data block');
  return JSON.parse(m[1]) as { rows: Record<string, unknown>[] };
};

describe('html report', () => {
  it('is one self-contained file: no external resource of any kind', async () => {
    const html = await render(htmlFormat, sampleResults(), sampleSummary());
    // The alert data (which holds URLs and payload text) is checked separately below.
    const page = html.replace(/<script type="application\/json" id="kdr-data">[^<]*<\/script>/, '');
    expect(page).not.toMatch(/\b(src|href|action|srcset)\s*=/i);
    expect(page).not.toMatch(/@import|url\(|https?:\/\//i);
    expect(html.match(/<script/g)).toHaveLength(2);
  });

  it('allows only its own script and style by hash', async () => {
    const html = await render(htmlFormat, sampleResults(), sampleSummary());
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(csp).toContain("default-src 'none'");
  });

  it('keeps payloads out of the markup and inside the JSON block only as escaped text', async () => {
    const html = await render(htmlFormat, sampleResults(), sampleSummary());
    const outsideData = html.replace(/<script type="application\/json" id="kdr-data">[^<]*<\/script>/, '');
    expect(outsideData).not.toMatch(/<img|onerror|__pwned|<b>/);
    const block = /id="kdr-data">([^<]*)</.exec(html)?.[1] ?? '';
    expect(block).not.toMatch(/[<>&]/);
    const rows = dataOf(html).rows;
    expect(rows.find((r) => r.id === 'da004')?.what).toBe(XSS_COMMAND);
    expect(html).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/);
    expect(html).toContain('Reverse shell red 0;owned evil second line');
  });

  it('draws the three charts server-side with data', async () => {
    const html = await render(htmlFormat, sampleResults(), sampleSummary());
    for (const id of ['chart-time', 'chart-cause', 'chart-workload']) {
      const svg = new RegExp(`<svg id="${id}"[\\s\\S]*?</svg>`).exec(html)?.[0] ?? '';
      expect(svg.match(/<rect class="bar"/g)?.length ?? 0).toBeGreaterThan(0);
    }
    const time = /<svg id="chart-time"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    const counts = [...time.matchAll(/data-count="(\d+)"/g)].reduce((s, m) => s + Number(m[1]), 0);
    expect(counts).toBe(5); // one alert has no time
  });

  it('jsonForScript cannot close the script element', () => {
    const out = jsonForScript({ s: '</script><!-- \u2028 & >' });
    expect(out).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(out)).toEqual({ s: '</script><!-- \u2028 & >' });
  });

  it('caps the table, genuine alerts first, and says what was cut', async () => {
    const results: TriageResult[] = [];
    for (let i = 0; i < 30; i++) results.push(makeResult({ record: i + 1, label: i < 20 ? 'likely-false-positive' : 'genuine', cause: i < 20 ? 'node-networking' : 'attack' }));
    const chunks: string[] = [];
    const sink = createHtmlSink({ write: (c: string, cb: () => void) => (chunks.push(c), cb(), true) } as never, { color: false, explain: false }, { maxRows: 12 });
    for (const r of results) sink.add(r);
    await sink.finish(sampleSummary(results));
    const html = chunks.join('');
    const rows = dataOf(html).rows;
    expect(rows).toHaveLength(12);
    expect(rows.filter((r) => r.label === 'genuine')).toHaveLength(10);
    // Input order is kept among the rows that stay.
    expect(rows.map((r) => r.record)).toEqual([1, 2, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    expect(html).toContain('18 of 30 alerts are not in the table');
  });

  it('is byte-identical for the same input and prints the time only when asked', async () => {
    const a = await render(htmlFormat, sampleResults(), sampleSummary());
    expect(a).toBe(await render(htmlFormat, sampleResults(), sampleSummary()));
    expect(a).not.toContain('Generated');
    expect(await render(htmlFormat, sampleResults(), sampleSummary(), { timestamp: '2026-11-21T00:00:00Z' })).toContain('Generated 2026-11-21T00:00:00Z.');
  });

  it('adds a baseline column when a baseline is given', async () => {
    const results = sampleResults();
    const baseline = { has: (r: TriageResult) => r.alert.id === 'da001' };
    const html = await render(htmlFormat, results, sampleSummary(results, { baseline }), { baseline });
    expect(html).toContain('<th data-key="baseline">Baseline</th>');
    expect(dataOf(html).rows.map((r) => r.baseline)).toEqual(['known', 'new', 'new', 'new', 'new', 'new']);
  });
});
