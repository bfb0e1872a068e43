import { describe, expect, it } from 'vitest';
import { buildFilter, describeFilter, FilterError, parseIsoBound, type FilterOptions } from '../../src/report/filters.js';
import { makeResult } from '../support/results.js';

const ids = (options: FilterOptions) => {
  const keep = buildFilter(options);
  return RESULTS.filter(keep).map((r) => r.alert.id);
};

const RESULTS = [
  makeResult({ id: 'a', time: '2026-11-20T08:00:00.000Z', severity: 'low', label: 'likely-false-positive', cause: 'node-networking' }),
  makeResult({ id: 'b', time: '2026-11-20T12:00:00.000Z', severity: 'high', label: 'genuine', cause: 'attack' }),
  makeResult({ id: 'c', time: '2026-11-21T00:00:00.000Z', severity: 'critical', label: 'genuine', cause: 'unexplained' }),
  makeResult({ id: 'd', time: null, severity: 'unknown', label: 'likely-false-positive', cause: 'ping-pong' }),
  makeResult({ id: 'e', time: '2026-11-19T23:59:59.999Z', severity: 'medium', label: 'likely-false-positive', cause: 'admin-activity' }),
];

describe('buildFilter', () => {
  it.each<[string, FilterOptions, string[]]>([
    ['nothing', {}, ['a', 'b', 'c', 'd', 'e']],
    ['only genuine', { only: 'genuine' }, ['b', 'c']],
    ['only false positives', { only: 'false-positive' }, ['a', 'd', 'e']],
    ['the full label name', { only: 'Likely-False-Positive' }, ['a', 'd', 'e']],
    ['one cause', { cause: 'attack' }, ['b']],
    ['a comma list of causes', { cause: 'attack, ping-pong' }, ['b', 'd']],
    ['repeated causes', { cause: ['attack', 'unexplained'] }, ['b', 'c']],
    ['since a date (start of day, inclusive)', { since: '2026-11-20' }, ['a', 'b', 'c']],
    ['until a date (end of day, inclusive)', { until: '2026-11-20' }, ['a', 'b', 'e']],
    ['a time window', { since: '2026-11-20T08:00:00Z', until: '2026-11-20T12:00:00Z' }, ['a', 'b']],
    ['an offset', { since: '2026-11-20T13:00+01:00' }, ['b', 'c']],
    ['minutes without seconds, UTC', { until: '2026-11-20T08:00' }, ['a', 'e']],
    ['min severity high', { minSeverity: 'high' }, ['b', 'c']],
    ['min severity in any case', { minSeverity: 'MEDIUM' }, ['b', 'c', 'e']],
    ['unknown ranks lowest', { minSeverity: 'informational' }, ['a', 'b', 'c', 'e']],
    ['all combined', { only: 'genuine', cause: 'attack,unexplained', since: '2026-11-20', minSeverity: 'critical' }, ['c']],
  ])('%s', (_name, options, expected) => {
    expect(ids(options)).toEqual(expected);
  });

  it.each<[FilterOptions, string, RegExp]>([
    [{ only: 'maybe' }, '--only', /expected genuine or false-positive, got 'maybe'/],
    [{ cause: 'attack,bogus' }, '--cause', /unknown cause 'bogus'/],
    [{ cause: ' , ' }, '--cause', /expected one or more of/],
    [{ since: 'yesterday' }, '--since', /not an ISO-8601 date or time/],
    [{ since: '24h' }, '--since', /not an ISO-8601/],
    [{ until: '2026-02-30' }, '--until', /not a calendar date/],
    [{ until: '2026-11-20T25:00' }, '--until', /not a valid time/],
    [{ since: '2026-11-21', until: '2026-11-20' }, '--since', /is after --until/],
    [{ minSeverity: 'severe' }, '--min-severity', /unknown severity 'severe'; expected critical, high, medium, low, informational, unknown/],
  ])('rejects %j naming the flag', (options, flag, message) => {
    try {
      buildFilter(options);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FilterError);
      expect((error as FilterError).flag).toBe(flag);
      expect((error as Error).message.startsWith(`${flag}: `)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('parses fractional seconds and offsets without a colon', () => {
    expect(new Date(parseIsoBound('--since', '2026-11-20T08:00:00.123456-0130', false)).toISOString()).toBe('2026-11-20T09:30:00.123Z');
  });

  it('describes what it keeps', () => {
    expect(describeFilter({})).toBeNull();
    expect(describeFilter({ only: 'genuine', cause: 'attack', since: '2026-11-20', minSeverity: 'high' })).toBe(
      'only genuine; cause attack; since 2026-11-20T00:00:00.000Z; severity high or higher',
    );
  });
});
