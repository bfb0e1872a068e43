import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochToMs, parseTime } from '../../src/alerts/time.js';

describe('parseTime', () => {
  it.each([
    ['2025-11-24T13:22:11.153390386Z', '2025-11-24T13:22:11.153Z'],
    ['2023-09-18T06:13:41.532140+0000', '2023-09-18T06:13:41.532Z'],
    ['2022-05-11T12:29:19.905+0200', '2022-05-11T10:29:19.905Z'],
    ['2022-11-08T08:44:14.9047460Z', '2022-11-08T08:44:14.904Z'],
    ['2026-11-20 11:31:48', '2026-11-20T11:31:48.000Z'],
    [1795162507412803117n, '2026-11-20T08:15:07.412Z'],
    ['1795162507412803117', '2026-11-20T08:15:07.412Z'],
    [1700000000, '2023-11-14T22:13:20.000Z'],
    ['1700000000.5', '2023-11-14T22:13:20.500Z'],
    [1700000000123, '2023-11-14T22:13:20.123Z'],
    ['13/06/2026, 08:18:17.083', '2026-06-13T08:18:17.083Z'],
    ['06/13/2026, 08:18:17', '2026-06-13T08:18:17.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(parseTime(input)).toBe(expected);
  });
  it('uses the given order for ambiguous slashed dates', () => {
    expect(parseTime('11/06/2026, 08:18:17', 'dmy')).toBe('2026-06-11T08:18:17.000Z');
    expect(parseTime('11/06/2026, 08:18:17', 'mdy')).toBe('2026-11-06T08:18:17.000Z');
  });
  it('returns null for nothing usable', () => {
    expect(parseTime('')).toBeNull();
    expect(parseTime('yesterday-ish')).toBeNull();
    expect(parseTime({})).toBeNull();
  });
  it('reads epoch nanoseconds without float rounding', () => {
    expect(epochToMs('1795162507412803117')).toBe(1795162507412);
  });
});

/** The ISO branch of parseTime as it was before the canonical fast path (the reference for that path). */
function isoBefore(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?|UTC)?$/.exec(text);
  if (!m) return 'no match';
  const [y, mo, d, h, mi] = [+m[1], +m[2], +m[3], +m[4], +m[5]];
  const s = m[6] ? +m[6] : 0;
  if (m[8] !== 'Z') return 'not UTC';
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const ms = m[7] ? Math.floor(Number((m[7] + '000').slice(0, 3))) : 0;
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  date.setUTCFullYear(y);
  const t = date.getTime();
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

describe('parseTime canonical UTC fast path', () => {
  const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
  const canonical = fc
    .tuple(fc.integer({ min: 0, max: 9999 }), two(13), two(32), two(25), two(61), two(61), fc.option(fc.stringMatching(/^[0-9]{1,12}$/), { nil: undefined }))
    .map(([y, mo, d, h, mi, s, frac]) => `${String(y).padStart(4, '0')}-${mo}-${d}T${h}:${mi}:${s}${frac === undefined ? '' : `.${frac}`}Z`);
  it('gives what the ISO branch gave, for valid and impossible dates alike (leap days, day 31, second 60)', () => {
    fc.assert(
      fc.property(canonical, (text) => {
        expect(parseTime(text)).toBe(isoBefore(text));
      }),
      { numRuns: 5000 },
    );
    for (const text of ['2024-02-29T23:59:59.9999Z', '2023-02-29T00:00:00Z', '2000-02-29T12:00:00.1Z', '1900-02-29T00:00:00Z', '0000-02-29T00:00:00.12Z', '2026-04-31T00:00:00Z', '2026-12-31T23:59:60Z', '2026-11-20T00:00:00.3470000Z']) {
      expect(parseTime(text), text).toBe(isoBefore(text));
    }
    expect(parseTime('2026-11-20T00:00:00.3470000Z')).toBe('2026-11-20T00:00:00.347Z');
    expect(parseTime(' 2026-11-20T00:00:00Z ')).toBe('2026-11-20T00:00:00.000Z');
  });
});
