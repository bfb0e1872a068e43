import { describe, expect, it } from 'vitest';
import { createJunitSink, junitFormat } from '../../src/report/junit.js';
import type { TriageResult } from '../../src/triage/model.js';
import { makeResult, sampleResults, sampleSummary } from '../support/results.js';
import { render } from '../support/render.js';

/** Well-formedness as far as these tests need it: balanced tags, entities only, legal characters. */
function assertWellFormed(xml: string): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  expect(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.test(xml)).toBe(false);
  expect(/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(xml)).toBe(false);
  const body = xml.slice(xml.indexOf('?>') + 2);
  const stack: string[] = [];
  for (const m of body.matchAll(/<(\/?)([a-zA-Z-]+)((?:\s+[a-z-]+="[^"<]*")*)\s*(\/?)>|<|>/g)) {
    if (m[0] === '<') throw new Error(`stray < at ${m.index}`);
    if (m[0] === '>') throw new Error(`stray > at ${m.index}`);
    if (m[4]) continue;
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else stack.push(m[2]);
  }
  expect(stack).toEqual([]);
}

const attrs = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag} ([^>]*?)/?>`, 'g'))].map((m) => Object.fromEntries([...m[1].matchAll(/([a-z]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])));

describe('junit report', () => {
  it('writes one test case per alert, a suite per file, genuine alerts as failures', async () => {
    const xml = await render(junitFormat, sampleResults(), sampleSummary());
    assertWellFormed(xml);
    expect(attrs(xml, 'testsuites')[0]).toEqual({ name: 'kdr-triage', tests: '6', failures: '2', errors: '0', skipped: '0' });
    expect(attrs(xml, 'testsuite')).toEqual([
      { name: 'defender/alerts/defender.csv', tests: '4', failures: '1', errors: '0', skipped: '0' },
      { name: 'falco/alerts/falco.ndjson', tests: '2', failures: '1', errors: '0', skipped: '0' },
    ]);
    const cases = attrs(xml, 'testcase');
    expect(cases).toHaveLength(6);
    expect(cases[0]).toEqual({ classname: 'defender/alerts/defender.csv', name: 'Suspicious iptables modification [da001]' });
    expect(xml.match(/<failure /g)).toHaveLength(2);
    expect(xml).toContain('<failure message="genuine (attack): The command line opens a reverse shell to 203.0.113.7:4444 &lt;b&gt;from&lt;/b&gt; pod shop/web-5c8d7f9b6-abcde." type="attack">');
  });

  it('escapes payloads and drops characters XML cannot hold', async () => {
    const r = makeResult({ title: 'a\x00b\x1b[31m<c>&"d"\ufffe', commandLine: ']]></failure><script>x</script>', reasons: [{ message: 'bad \ud800 surrogate' }] });
    const xml = await render(junitFormat, [r], sampleSummary([r]));
    assertWellFormed(xml);
    expect(xml).toContain('name="ab&lt;c&gt;&amp;&quot;d&quot; [alerts/falco.ndjson:1]"');
    expect(xml).toContain('what: ]]&gt;&lt;/failure&gt;&lt;script&gt;x&lt;/script&gt;');
  });

  it('skips known genuine alerts with a baseline', async () => {
    const results = sampleResults();
    const baseline = { has: (r: TriageResult) => r.alert.id === 'da004' };
    const xml = await render(junitFormat, results, sampleSummary(results, { baseline }), { baseline });
    assertWellFormed(xml);
    expect(attrs(xml, 'testsuites')[0]).toMatchObject({ tests: '6', failures: '1', skipped: '1' });
    expect(xml).toContain('<skipped message="known from the baseline; genuine (attack):');
  });

  it('streams without counts once the buffer limit is passed, staying well-formed', async () => {
    const results: TriageResult[] = [];
    for (let i = 0; i < 40; i++) results.push(makeResult({ file: i < 20 ? 'a.json' : 'b.json', record: i + 1, label: i % 2 ? 'genuine' : 'likely-false-positive' }));
    const chunks: string[] = [];
    const sink = createJunitSink({ write: (c: string, cb?: () => void) => (chunks.push(c), cb?.(), true) } as never, { color: false, explain: false }, { maxBufferedBytes: 2000 });
    for (const r of results) sink.add(r);
    await sink.finish(sampleSummary(results));
    const xml = chunks.join('');
    assertWellFormed(xml);
    expect(xml.match(/<testcase /g)).toHaveLength(40);
    expect(xml.match(/<failure /g)).toHaveLength(20);
    expect(attrs(xml, 'testsuites')[0]).toEqual({ name: 'kdr-triage' });
    expect(attrs(xml, 'testsuite').map((s) => s.name)).toEqual(['falco/a.json', 'falco/b.json']);
  });

  it('handles an empty run and is deterministic', async () => {
    const empty = await render(junitFormat, [], sampleSummary([]));
    assertWellFormed(empty);
    expect(empty).toContain('tests="0"');
    expect(await render(junitFormat, sampleResults(), sampleSummary())).toBe(await render(junitFormat, sampleResults(), sampleSummary()));
  });
});
