/**
 * A cheap first look before an attack indicator's pattern runs: every text its pattern can match contains one of a
 * few literal strings (INDICATOR_LITERALS, derived from the pattern's syntax tree by test/support/required-literals.ts
 * and checked against the patterns by test/knowledge/indicator-literals.test.ts). A text that contains none of them
 * cannot match, so its pattern need not run — nor be compiled: V8 compiles a regular expression on its first run and
 * again to machine code on its second, ≈ 0.3 ms per indicator, most of which a short run never needs (issue 7).
 *
 * An entry is used only while it was derived from the very pattern the indicator has now (its source and flags,
 * hashed): an indicator edited without regenerating the table is simply tested without a first look.
 */
import type { AttackIndicator } from './indicators.js';
import { INDICATOR_LITERALS } from './indicator-literals.generated.js';

/** FNV-1a (32 bits) of a pattern's flags and source: which pattern a table entry was derived from. */
export function patternHash(pattern: RegExp): number {
  const text = `${pattern.flags}/${pattern.source}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

const literalsByIndicator = new WeakMap<AttackIndicator, { pattern: RegExp; literals: readonly string[] | undefined }>();

/** The literals one of which every match of the indicator's pattern contains (ASCII, lower case), when known. */
export function requiredLiteralsOf(indicator: AttackIndicator): readonly string[] | undefined {
  const known = literalsByIndicator.get(indicator);
  if (known?.pattern === indicator.pattern) return known.literals;
  const entry = Object.hasOwn(INDICATOR_LITERALS, indicator.id) ? INDICATOR_LITERALS[indicator.id] : undefined;
  const literals = entry && entry.pattern === patternHash(indicator.pattern) ? entry.anyOf : undefined;
  literalsByIndicator.set(indicator, { pattern: indicator.pattern, literals });
  return literals;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** The text in lower case for the first look, or undefined when it has non-ASCII characters (never filtered). */
export function foldedForLiterals(text: string): string | undefined {
  return ASCII_ONLY.test(text) ? text.toLowerCase() : undefined;
}

/**
 * Whether the indicator's pattern matches `text`, after the first look; `folded` is foldedForLiterals(text), when the
 * caller tests several indicators on one text.
 */
export function indicatorMatches(indicator: AttackIndicator, text: string, folded: string | undefined = foldedForLiterals(text)): boolean {
  const literals = requiredLiteralsOf(indicator);
  if (folded !== undefined && literals && !mayMatch(folded, literals)) return false;
  return indicator.pattern.test(text);
}

/** False only when `folded` contains none of `literals`: the pattern cannot match the text. */
export function mayMatch(folded: string, literals: readonly string[]): boolean {
  for (const literal of literals) if (folded.includes(literal)) return true;
  return false;
}
