import { SEVERITY_ORDER } from '../alerts/fields.js';
import type { Severity } from '../alerts/model.js';
import type { Cause, Label, TriageResult } from '../triage/model.js';

/**
 * Report filters, as given on the command line (all optional, combined with AND):
 *
 * - `--only genuine|false-positive` (also `likely-false-positive`)
 * - `--cause a,b` — one or more causes, comma-separated or repeated; an alert matches any of them
 * - `--since T` / `--until T` — ISO-8601 only: `2026-11-20`, `2026-11-20T08:00`, `2026-11-20T08:00:00.5+01:00`.
 *   Both bounds are inclusive; a date alone means the start of that day (UTC) for `--since` and its end for
 *   `--until`; a time without an offset is UTC. Alerts without a time are left out when either bound is given.
 * - `--min-severity S` — critical, high, medium, low, informational; alerts of unknown severity rank lowest and are
 *   left out by any minimum above `unknown`.
 */
export interface FilterOptions {
  only?: string;
  cause?: string | string[];
  since?: string;
  until?: string;
  minSeverity?: string;
}

/** A usage error that names the flag at fault (the CLI exits with code 2). */
export class FilterError extends Error {
  constructor(
    readonly flag: string,
    message: string,
  ) {
    super(`${flag}: ${message}`);
    this.name = 'FilterError';
  }
}

const LABEL_WORDS: Record<string, Label> = {
  genuine: 'genuine',
  'false-positive': 'likely-false-positive',
  'likely-false-positive': 'likely-false-positive',
};

export const CAUSES: readonly Cause[] = ['node-networking', 'privileged-root', 'workload-baseline', 'admin-activity', 'ping-pong', 'attack', 'unexplained'];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DAY_MS = 86_400_000;

function validDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Milliseconds since the epoch for an ISO bound; a date alone is its first (or, with `endOfDay`, last) millisecond. */
export function parseIsoBound(flag: string, value: string, endOfDay: boolean): number {
  const text = value.trim();
  const date = ISO_DATE.exec(text);
  if (date) {
    const [y, m, d] = [+date[1], +date[2], +date[3]];
    if (!validDate(y, m, d)) throw new FilterError(flag, `'${value}' is not a calendar date`);
    const start = Date.UTC(y, m - 1, d);
    return endOfDay ? start + DAY_MS - 1 : start;
  }
  const full = ISO_DATE_TIME.exec(text);
  if (!full) throw new FilterError(flag, `'${value}' is not an ISO-8601 date or time (e.g. 2026-11-20 or 2026-11-20T08:00:00Z)`);
  const [y, m, d, h, mi, s] = [+full[1], +full[2], +full[3], +full[4], +full[5], full[6] ? +full[6] : 0];
  if (!validDate(y, m, d) || h > 23 || mi > 59 || s > 59) throw new FilterError(flag, `'${value}' is not a valid time`);
  const ms = full[7] ? Number(full[7].padEnd(3, '0').slice(0, 3)) : 0;
  let offsetMinutes = 0;
  const tz = full[8];
  if (tz && tz.toUpperCase() !== 'Z') {
    const digits = tz.slice(1).replace(':', '');
    offsetMinutes = (tz.startsWith('-') ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  return Date.UTC(y, m - 1, d, h, mi, s, ms) - offsetMinutes * 60_000;
}

function parseCauses(value: string | string[]): Set<Cause> {
  const words = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((w) => w.trim().toLowerCase()).filter(Boolean);
  if (words.length === 0) throw new FilterError('--cause', `expected one or more of ${CAUSES.join(', ')}`);
  const causes = new Set<Cause>();
  for (const word of words) {
    const cause = CAUSES.find((c) => c === word);
    if (!cause) throw new FilterError('--cause', `unknown cause '${word}'; expected ${CAUSES.join(', ')}`);
    causes.add(cause);
  }
  return causes;
}

function parseSeverity(value: string): Severity {
  const word = value.trim().toLowerCase();
  const severity = SEVERITY_ORDER.find((s) => s === word);
  if (!severity) throw new FilterError('--min-severity', `unknown severity '${value}'; expected ${[...SEVERITY_ORDER].reverse().join(', ')}`);
  return severity;
}

export type ResultFilter = (result: TriageResult) => boolean;

/** Validates every option (throwing FilterError) and returns the predicate. */
export function buildFilter(options: FilterOptions): ResultFilter {
  const tests: ResultFilter[] = [];

  if (options.only !== undefined) {
    const label = LABEL_WORDS[options.only.trim().toLowerCase()];
    if (!label) throw new FilterError('--only', `expected genuine or false-positive, got '${options.only}'`);
    tests.push((r) => r.verdict.label === label);
  }
  if (options.cause !== undefined) {
    const causes = parseCauses(options.cause);
    tests.push((r) => causes.has(r.verdict.cause));
  }
  const since = options.since === undefined ? undefined : parseIsoBound('--since', options.since, false);
  const until = options.until === undefined ? undefined : parseIsoBound('--until', options.until, true);
  if (since !== undefined && until !== undefined && since > until) {
    throw new FilterError('--since', `${options.since} is after --until ${options.until}`);
  }
  if (since !== undefined || until !== undefined) {
    tests.push((r) => {
      if (r.alert.time === null) return false;
      const t = Date.parse(r.alert.time);
      if (!Number.isFinite(t)) return false;
      return (since === undefined || t >= since) && (until === undefined || t <= until);
    });
  }
  if (options.minSeverity !== undefined) {
    const min = SEVERITY_ORDER.indexOf(parseSeverity(options.minSeverity));
    tests.push((r) => SEVERITY_ORDER.indexOf(r.alert.severity) >= min);
  }
  return (r) => tests.every((test) => test(r));
}

/** One line saying what a filter keeps, for report headers; null when nothing is filtered. */
export function describeFilter(options: FilterOptions): string | null {
  const parts: string[] = [];
  if (options.only !== undefined) parts.push(`only ${options.only.trim().toLowerCase()}`);
  if (options.cause !== undefined) parts.push(`cause ${[...parseCauses(options.cause)].join(', ')}`);
  if (options.since !== undefined) parts.push(`since ${new Date(parseIsoBound('--since', options.since, false)).toISOString()}`);
  if (options.until !== undefined) parts.push(`until ${new Date(parseIsoBound('--until', options.until, true)).toISOString()}`);
  if (options.minSeverity !== undefined) parts.push(`severity ${parseSeverity(options.minSeverity)} or higher`);
  return parts.length ? parts.join('; ') : null;
}
