/**
 * Which attack indicators a text shows, asked per field (command line, path, ancestry, …) for every alert. Three things
 * keep it cheap without changing an answer:
 * - a pattern runs only on a text that contains one of the literals every match of it contains
 *   (knowledge/indicator-literals.ts): most patterns are then never compiled in a short run;
 * - one combined pattern per field (the union of the patterns of the indicators that look at that field) rules most
 *   texts out with a single regular-expression run: when it does not match, none of its parts can (built after the
 *   first few texts, which are tested pattern by pattern);
 * - the answers for recent texts are remembered, per field (command lines, paths and titles repeat across an export).
 *   The memo is bounded and holds copies of the texts, never the alert or the buffer a text was cut from.
 */
import { foldedForLiterals, mayMatch, requiredLiteralsOf } from '../../knowledge/indicator-literals.js';
import { ATTACK_INDICATORS, type AttackIndicator, type IndicatorField } from '../../knowledge/indicators.js';

const NO_INDICATORS: readonly AttackIndicator[] = [];
/**
 * The patterns look at this many characters of a text at most. Most of them cost time that grows with the square of a
 * text built to defeat them (a command line repeating a pattern's first word), and a record may be megabytes: at this
 * length no crafted text costs more than a fraction of a second. The rule attack-indicators keeps every alert with a
 * longer text (test/knowledge/indicator-backtracking.test.ts measures the patterns at this length).
 */
export const MAX_EXAMINED_CHARS = 16_384;

/** The part of a text the patterns look at. */
export function examinedPart(text: string): string {
  return text.length > MAX_EXAMINED_CHARS ? text.slice(0, MAX_EXAMINED_CHARS) : text;
}
const MEMO_ENTRIES = 4096;
const MEMO_TEXT_CHARS = 1024;
/**
 * The combined pattern is built once a field has been asked about this many texts: compiling a union of a few dozen
 * patterns costs more than testing them one by one on the handful of texts of a small run (start-up, issue 7).
 */
const UNION_AFTER_TEXTS = 32;

interface FieldMatcher {
  /** The indicators that look at this field, in knowledge order. */
  indicators: readonly AttackIndicator[];
  /** Per indicator, the literals one of which a text must contain for its pattern to match (undefined: not known). */
  literals: readonly (readonly string[] | undefined)[];
  /** Matches whenever one of their patterns does (null when the patterns cannot be combined; undefined: not built yet). */
  any: RegExp | null | undefined;
  /** Texts tested so far, until the combined pattern is built. */
  tested: number;
  memo: Map<string, readonly AttackIndicator[]>;
}

let matchers: { source: readonly AttackIndicator[]; byField: Partial<Record<IndicatorField, FieldMatcher>> } | undefined;

function union(indicators: readonly AttackIndicator[]): RegExp | null {
  const flags = new Set(indicators.map((i) => i.pattern.flags.replace(/[gy]/g, '')));
  // Back-references and named groups would mean something else inside a union: test such patterns one by one.
  if (flags.size !== 1 || indicators.some((i) => /\\[1-9]|\\k<|\(\?</.test(i.pattern.source))) return null;
  try {
    return new RegExp(indicators.map((i) => `(?:${i.pattern.source})`).join('|'), [...flags][0]);
  } catch {
    return null;
  }
}

function matcherFor(field: IndicatorField): FieldMatcher {
  if (matchers?.source !== ATTACK_INDICATORS) matchers = { source: ATTACK_INDICATORS, byField: {} };
  let matcher = matchers.byField[field];
  if (!matcher) {
    const indicators = ATTACK_INDICATORS.filter((i) => i.fields.includes(field));
    matcher = { indicators, literals: indicators.map(requiredLiteralsOf), any: undefined, tested: 0, memo: new Map() };
    matchers.byField[field] = matcher;
  }
  return matcher;
}

/**
 * A copy of a text that shares no storage with the string it came from: a reader may cut its fields out of a
 * megabyte of input, which a remembered slice would keep alive. (Short substrings are always copies; the
 * concatenation is flattened into a new string, of which the result is a part.)
 */
function detached(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

function compute(matcher: FieldMatcher, text: string): readonly AttackIndicator[] {
  if (matcher.any === undefined && ++matcher.tested > UNION_AFTER_TEXTS) matcher.any = union(matcher.indicators);
  if (matcher.any && !matcher.any.test(text)) return NO_INDICATORS;
  const folded = foldedForLiterals(text);
  let found: AttackIndicator[] | undefined;
  for (let i = 0; i < matcher.indicators.length; i++) {
    const literals = matcher.literals[i];
    if (folded !== undefined && literals && !mayMatch(folded, literals)) continue;
    const indicator = matcher.indicators[i];
    if (indicator.pattern.test(text)) (found ??= []).push(indicator);
  }
  return found ?? NO_INDICATORS;
}

/** The indicators looking at `field` whose pattern matches `text`, in knowledge order. Shared: do not modify. */
export function indicatorsIn(field: IndicatorField, text: string): readonly AttackIndicator[] {
  const matcher = matcherFor(field);
  // A script passed with -c, or a CSV cell, can span lines: a line break separates commands as ';' does, and the
  // patterns (written for one line) then see the whole script.
  text = examinedPart(text);
  if (text.includes('\n') || text.includes('\r')) text = text.replace(/\s*[\r\n]+\s*/g, '; ');
  if (text.length > MEMO_TEXT_CHARS) return compute(matcher, text);
  const known = matcher.memo.get(text);
  if (known) return known;
  const found = compute(matcher, text);
  if (matcher.memo.size >= MEMO_ENTRIES) matcher.memo.clear();
  matcher.memo.set(detached(text), found);
  return found;
}
