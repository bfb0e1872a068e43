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
