import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verdictJson } from '../../src/report/verdict-json.js';
import type { VerdictRecord } from '../../src/report/verdict-record.js';

/** Texts with everything JSON escapes or may escape: quotes, backslashes, control characters, lone and paired surrogates. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('a', ' ', '"', '\\', '/', '\n', '\r', '\t', '\u0000', '\u001f', '\u007f', '…', 'é', '\u2028', '\u2029', '\ud800', '\udfff', '😀'),
    fc.string({ unit: 'binary', maxLength: 3 }),
  ),
  maxLength: 60,
});
const nullable = fc.option(text, { nil: null });
const reason = fc.record({ rule: text, direction: text, strength: text, message: text });

const record: fc.Arbitrary<VerdictRecord> = fc.record(
  {
    id: text,
    source: fc.record({ file: text, record: fc.oneof(fc.integer(), fc.double()), vendor: text }),
    time: nullable,
    title: text,
    severity: text,
    action: text,
    label: text,
    confidence: fc.oneof(fc.double(), fc.constantFrom(0, -0, 0.85, 1, Number.NaN, Infinity)),
    context: text,
    cause: text,
    kubernetes: fc.record({ cluster: nullable, node: nullable, namespace: nullable, pod: nullable, container: nullable, workload: nullable }),
    reasons: fc.array(reason, { maxLength: 4 }),
    notes: fc.array(text, { maxLength: 3 }),
    fingerprint: text,
    baseline: fc.constantFrom('new' as const, 'known' as const),
  },
  { requiredKeys: ['id', 'source', 'time', 'title', 'severity', 'action', 'label', 'confidence', 'context', 'cause', 'kubernetes', 'reasons'] },
);

describe('verdictJson', () => {
  it('gives exactly what JSON.stringify gives for any verdict record', () => {
    fc.assert(
      fc.property(record, (r) => {
        expect(verdictJson(r)).toBe(JSON.stringify(r));
      }),
      { numRuns: 2000 },
    );
  });

  it('falls back to JSON.stringify for values the record type does not foresee', () => {
    const base: VerdictRecord = {
      id: 'a',
      source: { file: 'f.csv', record: 1, vendor: 'v' },
      time: null,
      title: 't',
      severity: 'low',
      action: 'unknown',
      label: 'genuine',
      confidence: 0.5,
      context: 'none',
      cause: 'unexplained',
      kubernetes: { cluster: null, node: null, namespace: null, pod: null, container: null, workload: null },
      reasons: [{ rule: 'r', direction: 'malicious', strength: 'weak', message: 'm' }],
      fingerprint: 'v:id:a',
    };
    const odd: unknown[] = [
      { ...base, title: undefined },
      { ...base, time: 12 },
      { ...base, fingerprint: undefined },
      { ...base, kubernetes: { ...base.kubernetes, pod: undefined } },
      { ...base, reasons: [{ rule: 'r', direction: 'benign', strength: 'weak', message: undefined }] },
      { ...base, notes: ['x', 3] },
      { ...base, source: { ...base.source, record: '7' } },
    ];
    for (const r of odd) expect(verdictJson(r as VerdictRecord)).toBe(JSON.stringify(r));
    expect(verdictJson(base)).toBe(JSON.stringify(base));
  });
});

describe('verdictJson and the records the tool builds', () => {
  const base = {
    id: 'a',
    source: { file: 'f.csv', record: 1, vendor: 'v' },
    time: null,
    title: 't',
    severity: 'low',
    action: 'unknown',
    label: 'genuine',
    confidence: 0.5,
    context: 'none',
    cause: 'unexplained',
    kubernetes: { cluster: null, node: null, namespace: null, pod: null, container: null, workload: null },
    reasons: [{ rule: 'r', direction: 'malicious', strength: 'weak', message: 'm' }],
  };
  it('never leaves out a key it does not know, at any level (a field added to the record later)', () => {
    const extra: unknown[] = [
      { ...base, incident: 'x' },
      { ...base, source: { ...base.source, line: 3 } },
      { ...base, kubernetes: { ...base.kubernetes, uid: 'u' } },
      { ...base, reasons: [{ ...base.reasons[0], facts: { a: 1 } }] },
      { ...base, notes: undefined },
    ];
    for (const r of extra) expect(verdictJson(r as VerdictRecord)).toBe(JSON.stringify(r));
  });
});
