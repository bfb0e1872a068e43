/**
 * Time parsing for every form the products write: ISO-8601 with 0–9 fractional digits, offsets with or without a
 * colon, epoch seconds / milliseconds / microseconds / nanoseconds as numbers or strings, and CSV dates.
 * Always returns ISO-8601 UTC with millisecond precision, or null.
 */

export type DateOrder = 'dmy' | 'mdy';

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?|UTC)?$/;
/** CEF and syslog style: "Nov 19 2021 10:49:19", "Jan 18 2024 11:07:53.123 UTC", "18 Jan 2024 11:07:53 +0100". */
const MONTH_NAMED = /^(?:(\d{1,2})\s+)?([A-Za-z]{3})[a-z]*\.?\s+(?:(\d{1,2}),?\s+)?(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const SLASHED = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(?:(AM|PM|am|pm)\s*)?(Z|UTC)?$/;

function fromParts(y: number, mo: number, d: number, h: number, mi: number, s: number, frac: string | undefined, offsetMinutes: number): string | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const ms = frac ? Math.floor(Number((frac + '000').slice(0, 3))) : 0;
  // Date.UTC maps years 0–99 to 1900–1999; set the year separately so "0001-01-01" stays year 1.
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  date.setUTCFullYear(y);
  const t = date.getTime() - offsetMinutes * 60_000;
  if (!Number.isFinite(t)) return null;
  return new Date(t).toISOString();
}

/** The value of `length` ASCII digits at `at`, or -1 when one of them is not a digit. */
function digitsAt(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * The form most exports write, `YYYY-MM-DDTHH:MM:SS[.f…]Z`, read without a pattern or a Date: for a date that exists
 * (no day 31 in April, no second 60), what fromParts() returns is the text itself with the fraction cut or padded to
 * milliseconds. undefined for anything else, which then takes the general path.
 */
function canonicalUtc(text: string): string | undefined {
  const n = text.length;
  if (n < 20 || n > 30 || text.charCodeAt(n - 1) !== 90 /* Z */) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  if (n === 20) return `${text.slice(0, 19)}.000Z`;
  // A fraction: "." and at least one digit, all digits up to the Z.
  if (text.charCodeAt(19) !== 46 || n < 22 || digitsAt(text, 20, n - 21) < 0) return undefined;
  const fraction = n >= 24 ? text.slice(20, 23) : (text.slice(20, n - 1) + '00').slice(0, 3);
  return `${text.slice(0, 19)}.${fraction}Z`;
}

function parseOffset(tz: string | undefined): number {
  if (!tz || tz === 'Z' || tz === 'z' || tz === 'UTC') return 0;
  const sign = tz.startsWith('-') ? -1 : 1;
  const digits = tz.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes);
}

/** Epoch value of unknown unit → ms, judged by magnitude (valid for dates between 1973 and 2286). */
export function epochToMs(value: number | bigint | string): number | null {
  let text = typeof value === 'string' ? value.trim() : value.toString();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  const [intPart, fracPart = ''] = text.split('.');
  const digits = intPart.replace('-', '').length;
  let ms: number;
  if (digits <= 11) ms = Number(text) * 1000; // seconds
  else if (digits <= 14) ms = Number(text); // milliseconds
  else if (digits <= 17) ms = Number(intPart.slice(0, -3)) + Number(`0.${intPart.slice(-3)}${fracPart}`); // microseconds
  else ms = Number(intPart.slice(0, -6)); // nanoseconds: drop sub-ms digits textually, no float rounding
  text = '';
  return Number.isFinite(ms) ? Math.floor(ms) : null;
}

export function parseTime(value: unknown, dateOrder?: DateOrder): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'number' || typeof value === 'bigint') {
    const ms = epochToMs(value);
    return ms === null ? null : new Date(ms).toISOString();
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const canonical = canonicalUtc(text);
  if (canonical !== undefined) return canonical;
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    const ms = epochToMs(text);
    return ms === null ? null : new Date(ms).toISOString();
  }
  let m = ISO.exec(text);
  if (m) {
    return fromParts(+m[1], +m[2], +m[3], +m[4], +m[5], m[6] ? +m[6] : 0, m[7], parseOffset(m[8]));
  }
  m = SLASHED.exec(text);
  if (m) {
    let a = +m[1];
    let b = +m[2];
    const order: DateOrder = a > 12 ? 'dmy' : b > 12 ? 'mdy' : dateOrder ?? 'mdy';
    if (order === 'dmy') [a, b] = [b, a];
    let hour = +m[4];
    const ampm = m[8]?.toLowerCase();
    if (ampm === 'pm' && hour < 12) hour += 12;
    if (ampm === 'am' && hour === 12) hour = 0;
    return fromParts(+m[3], a, b, hour, +m[5], m[6] ? +m[6] : 0, m[7], 0);
  }
  m = MONTH_NAMED.exec(text);
  if (m && (m[1] === undefined) !== (m[3] === undefined)) {
    const month = MONTHS.indexOf(m[2].toLowerCase()) + 1;
    if (month === 0) return null;
    const tz = m[9] === 'GMT' ? 'Z' : m[9];
    return fromParts(+m[4], month, +(m[1] ?? m[3]), +m[5], +m[6], m[7] ? +m[7] : 0, m[8], parseOffset(tz));
  }
  // Other forms ("Jan 5 2026 10:00:00", RFC 2822): without a zone, JavaScript would read the machine's local time,
  // so the same export would give different times in different TZs. Read them as UTC, like the forms above.
  const parsed = hasZone(text) ? Date.parse(text) : Date.parse(`${text} UTC`);
  return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
}

const ZONE_NAME = /\b(?:UTC?|GMT|Z|[ECMP][SD]T)\b/i;
const OFFSET_AFTER_TIME = /\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:(?:AM|PM)\s*)?[+-]\d{2}:?\d{2}\b/i;

/** Whether a free-form date names its zone (a zone name JavaScript knows, or an offset after the time). */
function hasZone(text: string): boolean {
  const withoutComments = text.replace(/\([^)]*\)/g, '');
  return ZONE_NAME.test(withoutComments) || OFFSET_AFTER_TIME.test(withoutComments);
}

/** For a slashed date, which order it proves (a field over 12), or null when ambiguous or not slashed. */
export function dateOrderEvidence(value: string): DateOrder | null {
  const m = SLASHED.exec(value.trim());
  if (!m) return null;
  if (+m[1] > 12) return 'dmy';
  if (+m[2] > 12) return 'mdy';
  return null;
}

export function isAmbiguousSlashedDate(value: string): boolean {
  const m = SLASHED.exec(value.trim());
  return !!m && +m[1] <= 12 && +m[2] <= 12 && m[1] !== m[2];
}
