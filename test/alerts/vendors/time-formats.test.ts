import { describe, expect, it } from 'vitest';
import { parseTime } from '../../../src/alerts/time.js';

describe('time forms added for vendor exports', () => {
  it.each([
    ['Nov 19 2021 10:49:19', '2021-11-19T10:49:19.000Z'],
    ['Jan 18 2024 11:07:53.123 UTC', '2024-01-18T11:07:53.123Z'],
    ['18 Jan 2024 11:07:53 +0100', '2024-01-18T10:07:53.000Z'],
    ['Sep 3, 2024 01:02:03 GMT', '2024-09-03T01:02:03.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['2021-09-18 20:38:52Z', '2021-09-18T20:38:52.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(parseTime(input)).toBe(expected);
  });
  it('rejects unknown month names instead of guessing in local time', () => {
    expect(parseTime('Foo 18 2024 11:07:53')).toBeNull();
  });
});
