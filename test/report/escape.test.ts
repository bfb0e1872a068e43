import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  escapeMarkdown,
  escapeXmlAttr,
  escapeXmlText,
  markdownCode,
  neutralizeCsvCell,
  stripControl,
  stripXmlIllegal,
  truncate,
} from '../../src/report/escape.js';

const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

describe('stripControl', () => {
  it.each([
    ['colours', 'a\x1b[31mred\x1b[0m b', 'ared b'],
    ['cursor movement and erase', 'x\x1b[2K\x1b[1A\x1b[10;20Hy', 'xy'],
    ['OSC title keeps its text visible', 'a\x1b]0;owned\x07b', 'a0;ownedb'],
    ['OSC 8 hyperlink', '\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\', '8;;http://evilclick8;;'],
    ['8-bit CSI', 'a\x9b31mb', 'ab'],
    ['lone ESC', 'a\x1bb', 'a'],
    ['carriage return cannot overwrite the line', 'benign\rmalicious', 'benign malicious'],
    ['newlines become spaces', 'one\ntwo\r\nthree', 'one two three'],
    ['tabs become spaces', 'a\tb', 'a b'],
    ['NUL, BEL, backspace', 'a\x00b\x07c\x08d', 'abcd'],
    ['bidi overrides', 'abc\u202edcba\u202c\u2066x\u2069', 'abcdcbax'],
    ['ordinary unicode is kept', 'Grüße — 日本 🚀', 'Grüße — 日本 🚀'],
  ])('%s', (_name, input, expected) => {
    expect(stripControl(input)).toBe(expected);
  });

  it('keeps line breaks (normalised) and tabs when multiline', () => {
    expect(stripControl('a\r\nb\rc\td\x1b[1m', { multiline: true })).toBe('a\nb\nc\td');
  });

  it('never leaves a control character (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(CONTROL.test(stripControl(s))).toBe(false);
        expect(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(stripControl(s, { multiline: true }))).toBe(false);
      }),
    );
  });
});

describe('escapeHtml', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&amp;`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;amp;');
  });

  it('leaves no markup character unescaped (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = escapeHtml(s);
        expect(/[<>"']/.test(out)).toBe(false);
        expect(/&(?!(amp|lt|gt|quot|#39);)/.test(out)).toBe(false);
        expect(/\x1b/.test(out)).toBe(false);
      }),
    );
  });
});

describe('escapeMarkdown', () => {
  it.each([
    ['emphasis and code', '**bold** _it_ `code`', '\\*\\*bold\\*\\* \\_it\\_ \\`code\\`'],
    ['links and images', '[x](javascript:alert(1)) ![i](http://e/i.png)', '\\[x\\](javascript:alert(1)) \\!\\[i\\](http\\://e/i.png)'],
    ['raw HTML', '<script>alert(1)</script>', '\\<script\\>alert(1)\\</script\\>'],
    ['entities', '&lt;b&gt;', '\\&lt;b\\&gt;'],
    ['table pipes', 'a | b', 'a \\| b'],
    ['newline cannot start a block', 'x\n# heading', 'x # heading'],
    ['heading at the start', '# title', '\\# title'],
    ['list item at the start', '- item', '\\- item'],
    ['ordered list at the start', '1. item', '1\\. item'],
    ['quote at the start', '> quoted', '\\> quoted'],
    ['autolinks are broken up', 'see https://evil.example and www.evil.example', 'see https\\://evil.example and www\\.evil.example'],
    ['mentions get a word joiner', 'ping @security-team', 'ping @\u2060security-team'],
    ['math', '$x$', '\\$x\\$'],
    ['plain words untouched', 'kube-system/calico-node (DaemonSet), 3.5 %', 'kube-system/calico-node (DaemonSet), 3.5 %'],
  ])('%s', (_name, input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it('leaves no active character unescaped and stays on one line (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii' }), (s) => {
        const out = escapeMarkdown(s);
        expect(out.includes('\n')).toBe(false);
        // Remove escaped pairs: what is left must hold no inline syntax character.
        expect(/[\\`*_[\]<>!|~&$]/.test(out.replace(/\\[!-/:-@[-`{-~]/g, ''))).toBe(false);
      }),
    );
  });
});

describe('markdownCode', () => {
  it.each([
    ['plain', 'ls -la', '`ls -la`'],
    ['a backtick inside', 'echo `id`', '`` echo `id` ``'],
    ['a double backtick inside', 'a``b', '```a``b```'],
    ['newlines and escapes', 'a\nb\x1b[31m', '`a b`'],
    ['empty', '', ''],
  ])('%s', (_name, input, expected) => {
    expect(markdownCode(input)).toBe(expected);
  });

  it('escapes pipes inside tables only', () => {
    expect(markdownCode('a | b', { inTable: true })).toBe('`a \\| b`');
    expect(markdownCode('a | b')).toBe('`a | b`');
  });
});

describe('neutralizeCsvCell', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '＝1+1', '=HYPERLINK("http://e","x")'])('neutralises %j', (cell) => {
    expect(neutralizeCsvCell(cell)).toBe(`'${cell}`);
  });

  it.each(['', 'a=1', 'ls -la', ' =1', "'=1", '1-2'])('leaves %j alone', (cell) => {
    expect(neutralizeCsvCell(cell)).toBe(cell);
  });
});

describe('XML', () => {
  it('removes characters illegal in XML 1.0', () => {
    expect(stripXmlIllegal('a\x00b\x0bc\ufffed\ud800e\u{1F680}')).toBe('abcde\u{1F680}');
  });

  it('escapes text and attributes', () => {
    expect(escapeXmlText('<a> & "b"\nc')).toBe('&lt;a&gt; &amp; "b"\nc');
    expect(escapeXmlAttr(`<a> & "b" 'c'\nd`)).toBe('&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; d');
  });

  it('only emits legal XML characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        for (const out of [escapeXmlText(s), escapeXmlAttr(s)]) {
          expect(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.test(out)).toBe(false);
          expect(/[<>]/.test(out)).toBe(false);
        }
      }),
    );
  });
});

describe('truncate', () => {
  it('cuts with an ellipsis and keeps surrogate pairs whole', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(truncate('ab🚀cd', 4)).toBe('ab…');
  });
});
