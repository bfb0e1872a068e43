import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseName } from '../../../src/alerts/fields.js';
import type { Alert, ProcessInfo } from '../../../src/alerts/model.js';
import { clean, compact, compacted, finish, mitre, present, presentAtLeast, proc, tacticIds } from '../../../src/alerts/vendors/common.js';

/** finish() as it was before it rebuilt the alert: compact() in place and deletes (the reference for its output). */
function finishInPlace(alert: Alert): Alert {
  compact(alert.host);
  compact(alert.container);
  compact(alert.process);
  const ancestors = alert.process.ancestors.map((a) => compact(a));
  while (ancestors.length > 0 && Object.keys(ancestors[ancestors.length - 1]).length === 0) ancestors.pop();
  alert.process.ancestors = ancestors;
  for (const p of [alert.process, ...ancestors]) if (p.name === undefined && p.path !== undefined) p.name = baseName(p.path);
  if (alert.network && Object.keys(compact(alert.network)).length === 0) delete alert.network;
  if (alert.file && Object.keys(compact(alert.file)).length === 0) delete alert.file;
  if (alert.apiRequest && Object.keys(compact(alert.apiRequest)).length === 0) delete alert.apiRequest;
  alert.tactics = [...new Set(alert.tactics)].sort();
  alert.techniques = [...new Set(alert.techniques)].sort();
  for (const k of ['cluster', 'description', 'sensor'] as const) if (alert[k] === undefined) delete alert[k];
  return alert;
}

/** Key order and undefined-valued keys included: what a structured clone and a later JSON.stringify see. */
const shape = (v: unknown) => inspect(v, { depth: null, breakLength: Infinity, maxArrayLength: null });

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const text = fc.constantFrom('a', 'sh', '/bin/sh', '/usr/bin/', 'C:\\\\x\\\\y.exe', '');
const processInfo: fc.Arbitrary<ProcessInfo> = fc
  .record({ name: maybe(text), path: maybe(text), commandLine: maybe(text), pid: maybe(text), extra: maybe(fc.constantFrom([], ['x'])), tty: maybe(fc.boolean()) }, { requiredKeys: [] })
  .map((p) => p as ProcessInfo);
const part = fc.dictionary(fc.constantFrom('srcIp', 'dstIp', 'ips', 'list', 'url', 'user'), fc.oneof(maybe(text), fc.constantFrom([], ['1.2.3.4'])), { maxKeys: 4 });

const alertArb: fc.Arbitrary<Alert> = fc
  .record(
    {
      host: fc.record({ ips: fc.constantFrom([], ['10.0.0.1']), name: maybe(text), instanceId: maybe(text) }, { requiredKeys: ['ips'] }),
      container: fc.record({ id: maybe(text), pod: maybe(text), namespace: maybe(text), labels: maybe(fc.constantFrom([], ['l'])) }, { requiredKeys: [] }),
      process: processInfo,
      ancestors: fc.array(fc.oneof(processInfo, fc.constant({})), { maxLength: 4 }),
      network: maybe(part),
      file: maybe(part),
      apiRequest: maybe(part),
      cluster: maybe(text),
      description: maybe(text),
      sensor: maybe(text),
      tactics: fc.array(fc.constantFrom('TA0002', 'TA0005'), { maxLength: 4 }),
      techniques: fc.array(fc.constantFrom('T1059', 'T1562.004'), { maxLength: 4 }),
      withOptionalKeys: fc.boolean(),
    },
    { requiredKeys: ['host', 'container', 'process', 'ancestors', 'tactics', 'techniques', 'withOptionalKeys'] },
  )
  .map((r) => {
    const alert: Record<string, unknown> = { id: 'x', source: { file: 'f', record: 1, vendor: 'v' }, time: null, title: 't', severity: 'low', tactics: r.tactics, techniques: r.techniques, action: 'unknown' };
    alert.host = r.host;
    alert.container = r.container;
    alert.process = { ...r.process, ancestors: r.ancestors };
    alert.raw = {};
    // Optional keys in the order mappings write them, present with undefined values or absent.
    for (const k of ['cluster', 'network', 'description', 'file', 'apiRequest', 'sensor'] as const) if (r.withOptionalKeys || r[k] !== undefined) alert[k] = r[k];
    return alert as unknown as Alert;
  });

describe('finish', () => {
  it('gives the alert the in-place version gave: same keys, same order, same values', () => {
    fc.assert(
      fc.property(alertArb, (alert) => {
        const copy = structuredClone(alert);
        expect(shape(finish(alert))).toBe(shape(finishInPlace(copy)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('compacted and proc', () => {
  it('leave what compact leaves, in the same order', () => {
    fc.assert(
      fc.property(processInfo, (p) => {
        const reference = compact(structuredClone(p));
        expect(shape(compacted(p))).toBe(shape(reference));
        expect(shape(proc({ ...p }))).toBe(shape(Object.keys(reference).length === 0 ? undefined : reference));
      }),
    );
  });
});

/** mitre() and tacticIds() as they were before the shared patterns and the per-name memo. */
function mitreBefore(values: string[]): { tactics: string[]; techniques: string[] } {
  const tactics = new Set<string>();
  const techniques = new Set<string>();
  for (const v of values) {
    if (!v.includes('T')) continue;
    for (const m of v.matchAll(/(?<![A-Za-z0-9])TA\d{4}(?!\d)/g)) tactics.add(m[0]);
    for (const m of v.matchAll(/(?<![A-Za-z0-9])T\d{4}(?:\.\d{3})?(?!\d)/g)) techniques.add(m[0]);
  }
  return { tactics: [...tactics], techniques: [...techniques] };
}

describe('mitre and tacticIds', () => {
  const word = fc.constantFrom('T1059', 'T1059.004', 'TA0002', 'TA00021', 'xT1059', 'T10591', 'T1059.00', 'MITRE_T1059_x', ' ', ',', '|', ';', 'Execution', 'Defense Evasion', 'mitre_execution', 'CommandControl', 'nope', '(T1562.004)');
  const text = fc.array(word, { maxLength: 8 }).map((w) => w.join(''));
  it('find the same ids in the same order as per-value patterns did', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 6 }), (values) => {
        expect(mitre(values)).toEqual(mitreBefore(values));
      }),
    );
  });
  it('give the same tactic ids for repeated names, past the memo bound, as for fresh names', () => {
    const names = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? 'Execution,DefenseEvasion' : i % 3 === 1 ? `x${i};Persistence|execution` : 'mitre_impact'));
    const expected = ['TA0002', 'TA0005', 'TA0003', 'TA0040'];
    expect(tacticIds(names)).toEqual(expected);
    for (const n of names) expect(tacticIds([n])).toEqual(tacticIds([` ${n}`.slice(1)]));
    expect(tacticIds(['Execution', 'DefenseEvasion'])).toEqual(['TA0002', 'TA0005']);
    expect(tacticIds(['DefenseEvasion', 'Execution', 'Defense Evasion'])).toEqual(['TA0005', 'TA0002']);
  });
});

describe('presentAtLeast', () => {
  it('agrees with present() >= n', () => {
    const key = fc.constantFrom('a', 'b', 'a.b', 'c', 'x.y');
    fc.assert(
      fc.property(fc.dictionary(key, fc.oneof(fc.constant(undefined), fc.constant(null), fc.string(), fc.dictionary(key, fc.string()))), fc.array(key), fc.integer({ min: 0, max: 4 }), (record, paths, n) => {
        expect(presentAtLeast(record, n, paths)).toBe(present(record, ...paths) >= n);
      }),
    );
  });
});

describe('clean', () => {
  it('drops every placeholder, the longest included, and keeps longer values', () => {
    for (const p of ['<NA>', 'N/A', 'n/a', 'null', 'NULL', 'undefined', '0001-01-01T00:00:00Z', ' 0001-01-01T00:00:00Z ', ['N/A']]) expect(clean(p)).toBeUndefined();
    expect(clean('0001-01-01T00:00:00Z0')).toBe('0001-01-01T00:00:00Z0');
    expect(clean(`sh -c ${'x'.repeat(40)}`)).toBe(`sh -c ${'x'.repeat(40)}`);
  });
});
