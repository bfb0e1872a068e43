/**
 * Which literal strings a regular expression's every match must contain: the analysis behind
 * src/knowledge/indicator-literals.generated.ts, done on the pattern's syntax tree (regexpp, the parser ESLint uses),
 * so that the tool itself needs no regular-expression parser.
 *
 * `requiredLiterals(pattern)` returns ASCII strings in lower case such that any text the pattern matches contains at
 * least one of them (compared on the text in lower case), or null when no such set is known. Sound by construction:
 * - a sequence's match contains the match of each of its elements, so any one element's set (or a run of plain
 *   characters) will do, and the most selective is kept;
 * - an alternation's match is one of its branches': the union of the branches' sets, unknown if one branch's is;
 * - a quantified element counts only when it must occur (minimum ≥ 1);
 * - everything else (classes, `.`, `\s`, assertions, lookarounds, back-references, non-ASCII characters) is unknown
 *   and ends a run of plain characters.
 * Comparing in lower case is sound for a case-sensitive pattern too (a weaker filter, never a wrong one); texts with
 * non-ASCII characters are never filtered (case folding under the `i` flag is not plain ASCII there).
 */
import { RegExpParser, type AST } from '@eslint-community/regexpp';

type Literals = ReadonlySet<string> | null;

const parser = new RegExpParser({ ecmaVersion: 2025 });

export function requiredLiterals(pattern: RegExp): string[] | null {
  const literal = parser.parseLiteral(`/${pattern.source}/${pattern.flags}`);
  const found = ofAlternatives(literal.pattern.alternatives);
  return found ? [...found].sort() : null;
}

function ofAlternatives(alternatives: readonly AST.Alternative[]): Literals {
  const union = new Set<string>();
  for (const alternative of alternatives) {
    const found = ofSequence(alternative.elements);
    if (!found) return null;
    for (const text of found) union.add(text);
  }
  return union;
}

function ofSequence(elements: readonly AST.Element[]): Literals {
  const candidates: Literals[] = [];
  let run = '';
  const endRun = () => {
    if (run) candidates.push(new Set([run]));
    run = '';
  };
  for (const element of elements) {
    if (element.type === 'Character' && element.value < 0x80) {
      run += String.fromCharCode(element.value).toLowerCase();
      continue;
    }
    endRun();
    candidates.push(ofElement(element));
  }
  endRun();
  return mostSelective(candidates);
}

function ofElement(element: AST.Element): Literals {
  switch (element.type) {
    case 'Group':
    case 'CapturingGroup':
      return ofAlternatives(element.alternatives);
    case 'Quantifier':
      return element.min >= 1 ? ofElement(element.element) : null;
    case 'Character':
      return element.value < 0x80 ? new Set([String.fromCharCode(element.value).toLowerCase()]) : null;
    default:
      return null;
  }
}

/** The set whose shortest string is longest (fewer strings on a tie): the one fewest texts contain. */
function mostSelective(candidates: readonly Literals[]): Literals {
  let best: Literals = null;
  let bestShortest = 0;
  for (const candidate of candidates) {
    if (!candidate || candidate.size === 0) continue;
    const shortest = Math.min(...[...candidate].map((text) => text.length));
    if (!best || shortest > bestShortest || (shortest === bestShortest && candidate.size < best.size)) {
      best = candidate;
      bestShortest = shortest;
    }
  }
  return best;
}

/** The pattern without its zero-width parts (assertions, lookarounds), anchored: whole texts of a superset, to generate candidates. */
export function withoutAssertions(pattern: RegExp): RegExp {
  const literal = parser.parseLiteral(`/${pattern.source}/${pattern.flags}`);
  const ranges: [number, number][] = [];
  const visit = (node: AST.Node): void => {
    if (node.type === 'Assertion') {
      ranges.push([node.start, node.end]);
      return;
    }
    if ('alternatives' in node) for (const a of node.alternatives) visit(a);
    if (node.type === 'Alternative') for (const e of node.elements) visit(e);
    if (node.type === 'Quantifier') visit(node.element);
  };
  visit(literal.pattern);
  let source = literal.pattern.raw;
  const offset = literal.pattern.start;
  for (const [start, end] of ranges.sort((a, b) => b[0] - a[0])) source = source.slice(0, start - offset) + source.slice(end - offset);
  return new RegExp(`^(?:${source})$`, pattern.flags.replace(/[gyi]/g, ''));
}
