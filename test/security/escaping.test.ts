/**
 * Markup and formulas from alert data stay inert in every document format, end to end through the CLI:
 * HTML (no tag, attribute or script from data), Markdown (no HTML, link, image, autolink or mention), CSV (no cell a
 * spreadsheet would run: = + - @ tab CR and their full-width forms), JUnit XML (escaped, legal characters only).
 */
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { BUILT, runCli } from '../exit-codes/run-cli.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/hostile/', import.meta.url));
const MARKUP = `${FIXTURES}markup.ndjson`;
const FORMULAS = `${FIXTURES}formulas.csv`;

async function report(input: string, format: string): Promise<string> {
  const r = await runCli([input, '--format', format]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

/** Markdown with code spans removed: what a renderer would interpret. */
function outsideCodeSpans(md: string): string {
  return md.replace(/(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/g, '');
}

describe.skipIf(!BUILT)('markup from alerts is inert', () => {
  it('HTML: no element, attribute or script comes from the data', async () => {
    const html = await report(MARKUP, 'html');
    for (const raw of ['<script>alert', '<img src=x', '<svg onload', '<iframe', '</script><script>', ']]><x>', '<!--']) expect(html).not.toContain(raw);
    const tags = new Set([...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase()));
    for (const injected of ['img', 'iframe', 'x']) expect(tags.has(injected), `<${injected}>`).toBe(false);
    expect((html.match(/<script/g) ?? []).length).toBe((html.match(/<\/script>/g) ?? []).length);
    const data = /<script type="application\/json" id="kdr-data">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(data).not.toMatch(/[<>&]/);
    // The payloads are there, as data: the analyst can still read them.
    expect(JSON.stringify(JSON.parse(data))).toContain('<img src=x onerror=alert(2)>');
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'/);
  });

  it('Markdown: no HTML, link, image, autolink, heading, quote or mention forms from the data', async () => {
    const md = outsideCodeSpans(await report(MARKUP, 'markdown'));
    expect(md).not.toMatch(/(?<!\\)<[a-zA-Z!/?]/);
    expect(md).not.toMatch(/(?<!\\)\]\(/);
    expect(md).not.toMatch(/(?<!\\)!\[/);
    expect(md).not.toMatch(/(?<![\\])https?:\/\//);
    expect(md).not.toMatch(/\bwww\.evil/);
    expect(md).not.toMatch(/@(everyone|here)\b/);
    expect(md).not.toMatch(/(?<!\\)\*\*bold/);
    expect(md).not.toMatch(/(?<!\\)~~strike/);
    for (const line of md.split('\n')) expect(line, 'a data line starting a block').not.toMatch(/^(# heading|> quote|1\. list)/);
  });

  it('JUnit: markup escaped, only legal XML characters', async () => {
    const xml = await report(MARKUP, 'junit');
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('<img');
    expect(xml).toContain('&lt;script&gt;');
    expect(xml).not.toMatch(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u);
  });
});

describe.skipIf(!BUILT)('CSV output: no cell a spreadsheet would evaluate', () => {
  it('the input columns, their names, and the verdict columns are all neutralised', async () => {
    const csv = await report(FORMULAS, 'csv');
    const rows = parseCsv(csv) as string[][];
    expect(rows.length).toBe(13);
    for (const row of rows) for (const cell of row) expect(cell, JSON.stringify(cell)).not.toMatch(/^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/);
    // Neutralised with a leading apostrophe, the text itself kept.
    expect(rows[0]).toContain(`'=HYPERLINK("http://evil.example/h","h")`);
    expect(rows[1]).toContain("'=1+1");
    expect(rows[3]).toContain("'-1+1");
    const idColumn = rows[0].indexOf('kdr_id');
    expect(rows.slice(1).map((r) => r[idColumn])).toContain("'@SUM(A1)");
  });

  it('JSON alert fields become CSV cells safely too', async () => {
    const rows = parseCsv(await report(MARKUP, 'csv')) as string[][];
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});
