import { csvFormat } from './csv.js';
import { htmlFormat } from './html.js';
import { junitFormat } from './junit.js';
import { markdownFormat } from './markdown.js';
import type { ReportFormat } from './model.js';

/** Every `--format`; the terminal table, json and ndjson are registered beside these. */
export const reportFormats: ReportFormat[] = [markdownFormat, csvFormat, htmlFormat, junitFormat];

export function findFormat(id: string): ReportFormat | undefined {
  return reportFormats.find((f) => f.id === id);
}
