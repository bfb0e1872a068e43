/**
 * Golden file for the summary of the eks-calico development corpus (issue 6). Rules that change a verdict change
 * this file on purpose: regenerate it with `UPDATE_GOLDEN=1 npx vitest run test/report/corpus-golden.test.ts` and
 * review the diff like any other change of behaviour.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORPUS = '../shared/corpus/eks-calico';
const GOLDEN = join('test', 'fixtures', 'report', 'corpus-summary.golden.json');
const BIN = join(process.cwd(), 'bin', 'kdr-triage.js');

describe.skipIf(!existsSync(CORPUS))('the corpus summary (golden; skipped without ../shared)', () => {
  it('is the recorded one, in json and in markdown', () => {
    const args = [`${CORPUS}/alerts`, '--snapshot', `${CORPUS}/cluster.json`, '--audit-log', `${CORPUS}/audit.jsonl`, '--cluster-name', 'shop-prod-eks', '-q'];
    const { summary } = JSON.parse(execFileSync(process.execPath, [BIN, ...args, '--format', 'json'], { encoding: 'utf8' })) as { summary: unknown };
    const markdown = execFileSync(process.execPath, [BIN, ...args, '--format', 'markdown'], { encoding: 'utf8' });
    const summaryMarkdown = markdown.slice(0, markdown.indexOf('\n## ', markdown.indexOf('## Summary') + 1));
    const current = `${JSON.stringify({ summary, summaryMarkdown }, null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === '1' && !process.env.CI) writeFileSync(GOLDEN, current);
    expect(current).toBe(readFileSync(GOLDEN, 'utf8'));
  });
});
