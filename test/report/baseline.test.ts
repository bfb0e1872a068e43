import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BaselineError, countsTowardsFailOn, fingerprint, hasProductId, loadBaseline } from '../../src/report/baseline.js';
import { toVerdictRecord } from '../../src/report/verdict-record.js';
import { makeResult, sampleResults, sampleSummary } from '../support/results.js';

const dir = mkdtempSync(join(tmpdir(), 'kdr-baseline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('fingerprint', () => {
  it('uses the product id when there is one', () => {
    const r = makeResult({ vendor: 'crowdstrike', id: 'ldt:abc:123' });
    expect(hasProductId(r.alert)).toBe(true);
    expect(fingerprint(r.alert)).toBe('crowdstrike:id:ldt:abc:123');
  });

  it('hashes what the alert is about when the id is only the reader’s file:record', () => {
    const a = makeResult({ file: 'monday.ndjson', record: 3, time: '2026-11-20T08:00:00Z', title: 'Shell', host: 'n1', commandLine: 'sh -i', namespace: 'shop', pod: 'web-1' });
    const b = makeResult({ file: 'tuesday.ndjson', record: 7, time: '2026-11-21T09:00:00Z', title: 'Shell', host: 'N1', commandLine: 'sh -i', namespace: 'shop', pod: 'web-1' });
    expect(hasProductId(a.alert)).toBe(false);
    expect(fingerprint(a.alert)).toMatch(/^falco:h:[0-9a-f]{32}$/);
    // Another file, another record, another day: the same finding.
    expect(fingerprint(b.alert)).toBe(fingerprint(a.alert));
    for (const change of [{ commandLine: 'sh -c id' }, { pod: 'web-2' }, { title: 'Other' }, { host: 'n2' }, { vendor: 'sysdig' }]) {
      const c = makeResult({ file: 'x', record: 1, title: 'Shell', host: 'n1', commandLine: 'sh -i', namespace: 'shop', pod: 'web-1', ...change });
      expect(fingerprint(c.alert)).not.toBe(fingerprint(a.alert));
    }
  });

  it('is carried by every verdict record', () => {
    const r = makeResult({ vendor: 'defender', id: 'da1' });
    expect(toVerdictRecord(r).fingerprint).toBe('defender:id:da1');
    expect(toVerdictRecord(r)).not.toHaveProperty('baseline');
    expect(toVerdictRecord(r, { baseline: { has: () => true } }).baseline).toBe('known');
  });
});

describe('loadBaseline', () => {
  const results = sampleResults();
  const previous = results.slice(0, 4);
  const records = previous.map((r) => toVerdictRecord(r));

  it('reads the --format json document', async () => {
    const path = write('prev.json', JSON.stringify({ summary: sampleSummary(previous), verdicts: records }, null, 2));
    const baseline = await loadBaseline(path);
    expect(baseline.size).toBe(4);
    expect(results.map((r) => baseline.has(r))).toEqual([true, true, true, true, false, false]);
    expect(baseline.previousLabel(results[3])).toBe('genuine');
    expect(baseline.warnings).toEqual([]);
  });

  it('reads a one-line json document', async () => {
    const baseline = await loadBaseline(write('compact.json', JSON.stringify({ verdicts: records, summary: {} })));
    expect(baseline.size).toBe(4);
  });

  it('reads NDJSON, with a BOM, CRLF, blank lines and a summary line', async () => {
    const text = '\ufeff' + records.map((r) => JSON.stringify(r)).join('\r\n') + '\r\n\r\n' + JSON.stringify({ summary: { triaged: 4 } }) + '\n';
    const baseline = await loadBaseline(write('prev.ndjson', text));
    expect(baseline.size).toBe(4);
    expect(baseline.warnings).toEqual([]);
  });

  it('falls back to the product id for records without a fingerprint, and says which records it could not use', async () => {
    const old = results.map((r) => {
      const { fingerprint: _f, ...rest } = toVerdictRecord(r);
      return rest;
    });
    const path = write('old.ndjson', [...old.map((r) => JSON.stringify(r)), 'not json', '[1]'].join('\n'));
    const baseline = await loadBaseline(path);
    // Defender alerts have product ids; the falco ones only had file:record.
    expect(results.map((r) => baseline.has(r))).toEqual([true, true, true, true, false, false]);
    expect(baseline.warnings).toEqual([
      `baseline ${path}, line 5: no fingerprint and no product alert id; record ignored`,
      `baseline ${path}, line 6: no fingerprint and no product alert id; record ignored`,
      `baseline ${path}, line 7: not a verdict record; record ignored`,
      `baseline ${path}, line 8: not a verdict record; record ignored`,
    ]);
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.json'), /^--baseline .*nope\.json: no such file$/],
    ['an empty file', () => write('empty.json', '\n\n'), /the file is empty/],
    ['not JSON', () => write('bad.json', 'hello\nworld'), /not JSON or NDJSON/],
    ['JSON of another shape', () => write('other.json', '{\n"items": []\n}'), /expected the output of --format json/],
  ])('rejects %s with a message naming the flag', async (_name, path, message) => {
    await expect(loadBaseline(path())).rejects.toThrow(BaselineError);
    await expect(loadBaseline(path())).rejects.toThrow(message);
  });
});

describe('countsTowardsFailOn', () => {
  it('counts genuine alerts, minus those the baseline holds', () => {
    const results = sampleResults();
    expect(results.filter(countsTowardsFailOn()).map((r) => r.alert.id)).toEqual(['da004', 'alerts/falco.ndjson:2']);
    expect(results.filter(countsTowardsFailOn({ has: (r) => r.alert.id === 'da004' })).map((r) => r.alert.id)).toEqual(['alerts/falco.ndjson:2']);
  });
});
