import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tableFormat } from '../../src/report/table.js';
import { sampleResults, sampleSummary } from '../support/results.js';

async function render(width: number, explain = false): Promise<string> {
  const chunks: string[] = [];
  const out = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) });
  const results = sampleResults();
  const sink = tableFormat.create(out, { color: false, explain, width });
  for (const r of results) sink.add(r);
  await sink.finish(sampleSummary(results));
  return chunks.join('');
}

describe('table format', () => {
  it('gives each reason a full-width row, readable on an 80-column terminal', async () => {
    const text = await render(80);
    const first = sampleResults()[0].verdict.reasons[0].message;
    const words = first.split(/\s+/).slice(0, 6).join(' ');
    expect(text.replace(/[│\s]+/g, ' ')).toContain(words);
    for (const line of text.split('\n').filter((l) => l.startsWith('│') || l.startsWith('┌'))) expect(line.length).toBeLessThanOrEqual(82);
  });
  it('numbers alerts in output order across files, and has no escape bytes without colour', async () => {
    const text = await render(140);
    const numbers = [...text.matchAll(/^│ (\d+)\s+│/gm)].map((m) => Number(m[1]));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(text).not.toContain('\x1b');
  });
  it('--explain shows every reason and the matching facts', async () => {
    const text = await render(140, true);
    expect(text).toContain('matched');
    for (const r of sampleResults()[0].verdict.reasons) expect(text.replace(/[│\s]+/g, ' ')).toContain(r.message.split(/\s+/).slice(0, 4).join(' '));
  });
});
