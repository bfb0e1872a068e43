/** Test helpers: read the real samples in ../shared/formats the way the readers will hand them to profiles. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { Alert, AlertSource } from '../../../src/alerts/model.js';
import type { MapOptions, RawRecord, VendorProfile } from '../../../src/alerts/vendors/profile.js';

export const SHARED = fileURLToPath(new URL('../../../../shared/', import.meta.url));
export const FORMATS = `${SHARED}formats/`;
export const CORPUS = `${SHARED}corpus/eks-calico/alerts/`;
export const FIXTURES = fileURLToPath(new URL('../../fixtures/alerts/', import.meta.url));
export const hasShared = existsSync(FORMATS);
if (!hasShared) console.warn(`skipping sample-based vendor tests: ${FORMATS} is absent`);

/** JSON.parse that keeps integers beyond 2^53 as strings, as the project's readers do. */
export function parseJsonBig(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      const token = m ? m[0] : c;
      const digits = token.replace('-', '');
      out += /^\d+$/.test(digits) && !Number.isSafeInteger(Number(token)) ? `"${token}"` : token;
      i += token.length;
    } else {
      out += c;
      i++;
    }
  }
  return JSON.parse(out);
}

/** NDJSON: one record per non-empty line; '#' comment lines skipped; a syslog prefix before the first '{' dropped. */
export function readNdjson(path: string): RawRecord[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => parseJsonBig(l.slice(l.indexOf('{'))) as RawRecord);
}

export function readJson(path: string): RawRecord[] {
  const v = parseJsonBig(readFileSync(path, 'utf8'));
  return Array.isArray(v) ? (v as RawRecord[]) : [v as RawRecord];
}

export function readCsv(path: string): RawRecord[] {
  return parse(readFileSync(path), { columns: true, bom: true, relax_column_count: true }) as RawRecord[];
}

export function src(file: string, record = 1): AlertSource {
  return { file, record, vendor: 'test' };
}

export function mapAll(profile: VendorProfile, records: RawRecord[], file = 'sample', options?: MapOptions): Alert[] {
  return records.map((r, n) => profile.map(r, src(file, n + 1), options));
}
