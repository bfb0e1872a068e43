import { describe, expect, it } from 'vitest';
import { createMarkdownSink, markdownFormat } from '../../src/report/markdown.js';
import { makeResult, sampleResults, sampleSummary, XSS_COMMAND } from '../support/results.js';
import { render } from '../support/render.js';
import { SummaryBuilder } from '../../src/report/summary.js';
import type { TriageResult } from '../../src/triage/model.js';

const sectionOf = (md: string, heading: string) => {
  const start = md.indexOf(`\n## ${heading}`);
  const end = md.indexOf('\n## ', start + 1);
  return md.slice(start, end === -1 ? undefined : end);
};

describe('markdown report', () => {
  it('puts the summary first, then genuine alerts, then false positives by cause and workload', async () => {
    const md = await render(markdownFormat, sampleResults(), sampleSummary());
    const order = ['# kdr-triage report', '## Summary', '## Genuine alerts (2)', '## Likely false positives by cause and workload (4)'].map((h) => md.indexOf(h));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(md).toContain('**4 of 6 triaged alerts (66.7 %) are likely false positives; 2 are genuine.**');
    const fp = sectionOf(md, 'Likely false positives');
    expect(fp).toContain('### ping-pong (2)');
    expect(fp).toContain('| `Deployment/shop/payments` | 2 | Process killed | `/app/gateway --listen :8443` |');
    expect(md).toContain('| Deployment/shop/payments | 2 | 2 | ip-10-0-12-34.internal, ip-10-0-52-201.internal |');
    expect(md).toContain('Snapshot of shop-prod: captured 2026-11-20T12:05:00.000Z, 14 min 30 s after the last alert.');
  });

  it('lists genuine alerts with where, what and every reason', async () => {
    const genuine = sectionOf(await render(markdownFormat, sampleResults(), sampleSummary()), 'Genuine alerts');
    expect(genuine).toContain('- **Where:** cluster `shop-prod`, node `ip-10-0-52-201.internal`, pod `shop/web-5c8d7f9b6-abcde`, container `nginx`, workload `Deployment/shop/web`');
    expect(genuine).toContain('  - malicious, strong: The command line opens a reverse shell');
    expect(genuine).toContain('  - benign, weak: nginx runs sh in its entrypoint \\| sometimes. (workload-baseline)');
    expect(genuine).toContain('- **Where:** host `ip-10-0-3-15`');
    expect(genuine).toContain('confidence 0.40, no Kubernetes context');
  });

  it('escapes every alert-derived string', async () => {
    const md = await render(markdownFormat, sampleResults(), sampleSummary());
    expect(md).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(md).not.toContain('\u202e');
    // The HTML payload only appears inside a code span, verbatim.
    expect(md.split(XSS_COMMAND).length - 1).toBe(1);
    expect(md).toContain('`' + XSS_COMMAND + '`');
    expect(md.replace('`' + XSS_COMMAND + '`', '')).not.toMatch(/<script|onerror|<img/);
    // A title with a newline and terminal escapes becomes one heading line.
    expect(md).toContain('### 1. Reverse shell red 0;owned evil second line\n');
    expect(md).toContain('\\<b\\>from\\</b\\>');
    expect(md).toContain('Outbound connection to \\`pastebin\\`');
  });

  it('is byte-identical for the same input', async () => {
    const a = await render(markdownFormat, sampleResults(), sampleSummary());
    const b = await render(markdownFormat, sampleResults(), sampleSummary());
    expect(a).toBe(b);
  });

  it('prints the generation time only when given', async () => {
    expect(await render(markdownFormat, sampleResults(), sampleSummary())).not.toContain('Generated');
    expect(await render(markdownFormat, sampleResults(), sampleSummary(), { timestamp: '2026-11-21T00:00:00Z' })).toContain('Generated 2026-11-21T00:00:00Z.');
  });

  it('separates new from known genuine alerts with a baseline', async () => {
    const results = sampleResults();
    const baseline = { has: (r: TriageResult) => r.alert.id === 'da004' };
    const md = await render(markdownFormat, results, sampleSummary(results, { baseline }), { baseline });
    expect(md).toContain('## New genuine alerts (1)');
    expect(md).toContain('### 1. Outbound connection to \\`pastebin\\` — **new**');
    expect(md).toContain('## Known genuine alerts, already in the baseline (1)');
    expect(md).toContain('- Reverse shell red 0;owned evil second line — `da004` in `Deployment/shop/web`');
    expect(md).toContain('(1 new, 1 known from the baseline)');
  });

  it('stays under the size limit on a huge input and says what was cut', async () => {
    const builder = new SummaryBuilder();
    const results: TriageResult[] = [];
    for (let i = 0; i < 2000; i++) {
      const fp = i % 3 === 0;
      const r = makeResult({
        record: i + 1,
        title: `Rule ${i % 7}`,
        commandLine: `payload-${i} ` + 'A'.repeat(3000),
        namespace: 'ns',
        pod: `pod-${i % 500}`,
        workload: { kind: 'Deployment', name: `app-${i % 500}` },
        label: fp ? 'likely-false-positive' : 'genuine',
        cause: fp ? 'workload-baseline' : 'attack',
        reasons: [{ message: 'x'.repeat(2000) }, { message: 'y'.repeat(2000) }],
      });
      builder.add(r);
      results.push(r);
    }
    const md = await render(markdownFormat, results, builder.build());
    expect(Buffer.byteLength(md)).toBeLessThan(1_000_000);
    expect(md).toMatch(/\*\*\d+ more genuine alerts are not shown in full\*\* \(the report stays under 1000000 bytes\); by rule:/);
    expect(md).toMatch(/\| falco: Rule 1 \| \d+ \|/);
    expect(md).toMatch(/\d+ more alerts in \d+ smaller groups not shown\./);
  });

  it('cuts at a line boundary when a tiny limit is forced', async () => {
    const chunks: string[] = [];
    const sink = createMarkdownSink({ write: (c: string, cb: () => void) => (chunks.push(c), cb(), true) } as never, { color: false, explain: false }, { maxBytes: 3000 });
    for (const r of sampleResults()) sink.add(r);
    await sink.finish(sampleSummary());
    const md = chunks.join('');
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(3000);
    expect(md.endsWith('**The report was cut here to stay under the size limit.**\n')).toBe(true);
  });
});

