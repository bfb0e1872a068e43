import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(process.cwd(), 'bin', 'kdr-triage.js');

describe('--max-record-size', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdr-flags-'));
  const file = join(dir, 'falco.ndjson');
  const line = (rule: string, output: string) => JSON.stringify({ time: '2026-01-01T00:00:00Z', rule, priority: 'Notice', output, output_fields: {} });
  writeFileSync(file, `${line('big', 'a'.repeat(3000))}\n${line('small', 'ok')}\n`);

  it('rejects an oversized record with a warning naming file and line, and triages the rest', () => {
    const r = spawnSync(process.execPath, [BIN, file, '--max-record-size', '1000', '--format', 'ndjson'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`${file}:1: record 1 skipped`);
    const verdicts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { title: string; source: { record: number } });
    expect(verdicts.map((v) => [v.title, v.source.record])).toEqual([['small', 2]]);
  });

  it('keeps both records under the default limit', () => {
    const out = execFileSync(process.execPath, [BIN, file, '--format', 'ndjson', '-q'], { encoding: 'utf8' });
    expect(out.trim().split('\n')).toHaveLength(2);
  });

  it('refuses a value that is not a positive whole number (exit 2)', () => {
    const r = spawnSync(process.execPath, [BIN, file, '--max-record-size', 'lots'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--max-record-size must be a positive whole number');
  });
});

describe('filters keep the accounting whole', () => {
  it('alerts left out by --only still count as read (read = triaged + rejected + filtered out)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kdr-filter-'));
    const file = join(dir, 'falco.ndjson');
    const line = (rule: string) => JSON.stringify({ time: '2026-01-01T00:00:00Z', rule, priority: 'Notice', output: 'x', output_fields: {} });
    writeFileSync(file, `${line('a')}\n${line('b')}\n`);
    const out = execFileSync(process.execPath, [BIN, file, '--only', 'false-positive', '--format', 'json', '-q'], { encoding: 'utf8' });
    const { summary, verdicts } = JSON.parse(out) as { summary: { alertsRead: number; triaged: number; rejected: number; filteredOut?: number }; verdicts: unknown[] };
    expect(verdicts).toEqual([]);
    expect(summary).toMatchObject({ alertsRead: 2, triaged: 0, rejected: 0, filteredOut: 2 });
  });
});

describe('--map', () => {
  it('reads an unknown export through a mapping file', () => {
    const out = execFileSync(process.execPath, [BIN, 'test/fixtures/alerts/acme-export.csv', '--map', 'samples/mapping-example.yaml', '--format', 'ndjson', '-q'], { encoding: 'utf8' });
    const first = JSON.parse(out.split('\n')[0]) as { id: string; source: { vendor: string }; time: string; title: string; severity: string; action: string };
    expect(first).toMatchObject({ id: 'a-1', source: { vendor: 'custom' }, time: '2026-02-13T10:00:00.000Z', title: 'Reverse shell', severity: 'critical', action: 'killed' });
  });
  it('refuses a mapping with an unknown field (exit 2, naming the file and the field)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kdr-map-'));
    const map = join(dir, 'bad.yaml');
    writeFileSync(map, 'fields: { bogus: X }\n');
    const r = spawnSync(process.execPath, [BIN, 'test/fixtures/alerts/acme-export.csv', '--map', map], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:1: fields\.bogus: unknown tool field/);
  });
});
