/**
 * Every output format rendered from the same results, and the safety properties each must keep whatever the alert
 * data held: no terminal control from alert text in human output, escaped HTML and Markdown, neutralised CSV cells,
 * valid JSON, legal XML.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { expect } from 'vitest';
import { csvFormat } from '../../src/report/csv.js';
import { htmlFormat } from '../../src/report/html.js';
import { jsonFormat } from '../../src/report/json.js';
import { junitFormat } from '../../src/report/junit.js';
import { markdownFormat } from '../../src/report/markdown.js';
import type { ReportFormat } from '../../src/report/model.js';
import { ndjsonFormat } from '../../src/report/ndjson.js';
import type { Summary } from '../../src/report/summary.js';
import { tableFormat } from '../../src/report/table.js';
import type { TriageResult } from '../../src/triage/model.js';
import { render } from '../support/render.js';

export interface Outputs {
  table: string;
  tableExplain: string;
  tableColor: string;
  json: string;
  ndjson: string;
  csv: string;
  markdown: string;
  html: string;
  junit: string;
}

/** How many results the --explain tables render: cli-table3 takes ~30 ms per explained alert. */
const EXPLAINED = 3;

export async function renderAll(results: TriageResult[], summary: Summary): Promise<Outputs> {
  const r = (format: ReportFormat, options: { explain?: boolean; color?: boolean } = {}) => render(format, options.explain ? results.slice(0, EXPLAINED) : results, summary, { width: 160, ...options });
  return {
    table: await r(tableFormat),
    tableExplain: await r(tableFormat, { explain: true }),
    tableColor: await r(tableFormat, { explain: true, color: true }),
    json: await r(jsonFormat),
    ndjson: await r(ndjsonFormat),
    csv: await r(csvFormat),
    markdown: await r(markdownFormat),
    html: await r(htmlFormat),
    junit: await r(junitFormat),
  };
}

/**
 * Characters that steer a terminal or reorder what it shows: C0 controls but tab and newline, DEL, C1 controls
 * (8-bit CSI, OSC, NEL), bidirectional embeddings, overrides, isolates and marks.
 */
export const TERMINAL_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** The only escape sequences a coloured table may hold: SGR colour codes. */
const SGR = /\x1b\[[0-9;]*m/g;

export function controlIn(text: string): string | undefined {
  const m = TERMINAL_CONTROL.exec(text);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${m.index}: ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 40))}` : undefined;
}

/** Tags the HTML report's own template writes; anything else came from data. */
const HTML_TAGS = new Set(
  'html head meta title style script body header main section h1 h2 h3 p div span ul li table thead tbody tr th td svg rect line text g path figure figcaption input select option label noscript small strong em code a button details summary br title circle polyline nav footer'.split(' '),
);
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

export function assertSafeReports(o: Outputs): void {
  for (const [name, text] of [['table', o.table], ['table --explain', o.tableExplain], ['markdown', o.markdown]] as const) {
    expect(controlIn(text), `terminal control in ${name}`).toBeUndefined();
  }
  expect(controlIn(o.tableColor.replace(SGR, '')), 'terminal control in the coloured table').toBeUndefined();

  const json = JSON.parse(o.json) as { verdicts: unknown[]; summary: unknown };
  expect(Array.isArray(json.verdicts)).toBe(true);
  for (const line of o.ndjson.split('\n').filter(Boolean)) JSON.parse(line);
  expect(o.ndjson.split('\n').filter(Boolean)).toHaveLength(json.verdicts.length);

  const rows = parseCsv(o.csv, { relax_column_count: false }) as string[][];
  for (const row of rows) for (const cell of row) expect(FORMULA_START.test(cell), `CSV cell ${JSON.stringify(cell.slice(0, 40))}`).toBe(false);
  expect(rows.length - 1).toBe(json.verdicts.length);

  // Markdown: outside code spans (shown literally), no HTML tag or autolink can form from data (escaped as \<).
  const outsideCode = o.markdown.replace(/(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/g, '');
  const tag = /(?<!\\)<[a-zA-Z!/?]/.exec(outsideCode);
  expect(tag ? outsideCode.slice(Math.max(0, tag.index - 40), tag.index + 40) : null, 'raw HTML in markdown').toBeNull();

  const tags = [...o.html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase());
  for (const tag of tags) expect(HTML_TAGS.has(tag), `<${tag}> in the HTML report`).toBe(true);
  expect((o.html.match(/<script/g) ?? []).length).toBe((o.html.match(/<\/script>/g) ?? []).length);
  // An event handler inside a tag (escaped text such as "&lt;svg onload=" is inert and allowed).
  expect(/<[a-zA-Z][^>]*\son[a-z]+\s*=/i.test(o.html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '')), 'event handler attribute in HTML').toBe(false);
  const data = /<script type="application\/json" id="kdr-data">([\s\S]*?)<\/script>/.exec(o.html);
  expect(data, 'the HTML data block').not.toBeNull();
  expect(/[<>&]/.test(data![1]), 'markup characters inside the HTML data block').toBe(false);
  JSON.parse(data![1]);

  expect(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.test(o.junit), 'XML-illegal character in junit').toBe(false);
  expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(o.junit), 'lone surrogate in junit').toBe(false);
}
