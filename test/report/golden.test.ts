import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportFormats } from '../../src/report/formats.js';
import type { TriageResult } from '../../src/triage/model.js';
import { sampleResults, sampleSummary } from '../support/results.js';
import { render } from '../support/render.js';

/**
 * Golden files: every format over the hand-made sample run (test/support/results.ts), with and without a baseline.
 * After an intended change, regenerate with `UPDATE_GOLDEN=1 npx vitest run test/report/golden.test.ts` and review
 * the diff.
 */
const FIXTURES = new URL('../fixtures/report/', import.meta.url);
const EXTENSIONS: Record<string, string> = { markdown: 'md', csv: 'csv', html: 'html', junit: 'xml' };
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function golden(name: string, actual: string): void {
  const url = new URL(name, FIXTURES);
  if (UPDATE || (!existsSync(url) && !process.env.CI)) {
    mkdirSync(FIXTURES, { recursive: true });
    writeFileSync(url, actual);
  }
  expect(actual).toBe(readFileSync(url, 'utf8'));
}

describe('golden reports', () => {
  const baseline = { has: (r: TriageResult) => r.alert.id === 'da001' || r.alert.id === 'da004' };

  it.each(reportFormats.map((f) => [f.id, f] as const))('%s', async (id, format) => {
    golden(`sample.${EXTENSIONS[id] ?? id}`, await render(format, sampleResults(), sampleSummary()));
    const results = sampleResults();
    golden(`sample-baseline.${EXTENSIONS[id] ?? id}`, await render(format, results, sampleSummary(results, { baseline }), { baseline }));
  });

  it('summary', () => {
    golden('sample-summary.json', JSON.stringify(sampleSummary(), null, 2) + '\n');
  });
});
