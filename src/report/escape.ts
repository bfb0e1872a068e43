/**
 * Escaping for every string that came from an alert (all of them are attacker-controlled): terminal control
 * sequences, HTML, Markdown, XML and spreadsheet formulas.
 */

/**
 * CSI sequences (ESC [ params final; 8-bit CSI): colours and cursor movement, no text of their own, removed whole.
 * Every other ESC sequence loses only its ESC and introducer; the text it carried stays visible, so a payload cannot
 * hide part of a command line from the analyst inside an OSC or DCS string.
 */
const CSI_SEQUENCE = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?/g;
const OTHER_ESCAPE = /\x1b[ -/]*[0-~]?/g;
/** Bidirectional overrides and isolates ("Trojan Source"): they reorder what the reader sees. */
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;
const OTHER_CONTROL = /[\x00-\x08\x0e-\x1f\x7f-\x9f]/g;

export interface StripControlOptions {
  /** Keep line breaks (normalised to \n) and tabs instead of turning them into spaces. */
  multiline?: boolean;
}

/**
 * Remove terminal control sequences and control characters. By default the result is one line: tabs and line breaks
 * become spaces, so an attacker cannot forge extra lines of output.
 */
export function stripControl(s: string, options: StripControlOptions = {}): string {
  let out = s.replace(CSI_SEQUENCE, '').replace(OTHER_ESCAPE, '').replace(BIDI_CONTROL, '');
  if (options.multiline) out = out.replace(LINE_BREAKS, '\n');
  else out = out.replace(LINE_BREAKS, ' ').replace(/\t/g, ' ');
  return out.replace(OTHER_CONTROL, '');
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute value for HTML; control characters removed, line breaks kept. */
export function escapeHtml(s: string): string {
  return stripControl(s, { multiline: true })
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

/** Characters that are not allowed anywhere in an XML 1.0 document (lone surrogates included). */
const XML_ILLEGAL = /[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

export function stripXmlIllegal(s: string): string {
  return s.replace(XML_ILLEGAL, '');
}

const XML_ENTITIES: Record<string, string> = { ...HTML_ENTITIES, "'": '&apos;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' };

/** Text content for XML: illegal characters and terminal sequences removed, markup escaped, line breaks kept. */
export function escapeXmlText(s: string): string {
  return stripXmlIllegal(stripControl(s, { multiline: true })).replace(/[&<>]/g, (c) => XML_ENTITIES[c]);
}

/** Attribute value for XML: one line; quotes escaped. */
export function escapeXmlAttr(s: string): string {
  return stripXmlIllegal(stripControl(s)).replace(/[&<>"']/g, (c) => XML_ENTITIES[c]);
}

/** Inline Markdown syntax: emphasis, code, links and images, raw HTML, entities, GFM tables, strikethrough, math. */
const MARKDOWN_INLINE = /[\\`*_[\]<>!|~&$]/g;

/**
 * Markdown (CommonMark + GitHub) text: one line in which no inline syntax can form (emphasis, link, image, HTML tag,
 * entity, table pipe, code, math), no autolink (`scheme://` and `www.` are broken up) and no block syntax when it
 * starts a line (heading, list item, quote). An `@` gets an invisible word joiner after it so that GitHub does not
 * turn alert text into a mention that notifies people.
 */
export function escapeMarkdown(s: string): string {
  return stripControl(s)
    .replace(MARKDOWN_INLINE, (c) => `\\${c}`)
    .replace(/\b([a-z][a-z0-9+.-]*):(?=\/\/)/gi, '$1\\:')
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\\.`)
    .replace(/@/g, '@\u2060')
    .replace(/^(\s*)([-+=#>])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/**
 * A Markdown code span: shows the text literally (command lines stay readable). Backticks inside are fenced by a
 * longer backtick run; inside a GFM table cell pipes must still be escaped as `\|` (the table splits on them first).
 */
export function markdownCode(s: string, options: { inTable?: boolean } = {}): string {
  let text = stripControl(s);
  if (options.inTable) text = text.replace(/\|/g, '\\|');
  if (text === '') return '';
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Leading characters that make a spreadsheet treat a cell as a formula (full-width forms: Japanese Excel). */
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/** Prefix a cell with `'` when a spreadsheet would otherwise evaluate it (OWASP CSV injection advice). */
export function neutralizeCsvCell(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** Cut a string to at most `max` characters (not splitting a surrogate pair), marking the cut with an ellipsis. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = Math.max(0, max - 1);
  if (end > 0 && /[\ud800-\udbff]/.test(s[end - 1])) end--;
  return `${s.slice(0, end)}…`;
}
