/**
 * Zeek's ASCII log format (notice.log and friends):
 *
 *   #separator \x09
 *   #set_separator	,
 *   #empty_field	(empty)
 *   #unset_field	-
 *   #path	notice
 *   #fields	ts	uid	id.orig_h	…
 *   #types	time	string	addr	…
 *   1320435875.879278	CHhAvVGS1DHFjwGM9	…
 *   #close	2011-11-04-19-44-37
 *
 * Rows become records keyed by the #fields names (dotted names stay flat keys, as in Zeek's JSON output).
 * Unset fields are left out, "(empty)" sets become [], set/vector columns become arrays, counts and ports become
 * numbers (as strings beyond 2^53), booleans become true/false, and `time` columns keep their text so no precision
 * is lost.
 */
import type { RawRecord } from '../vendors/profile.js';

export interface ZeekHeader {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
  path?: string;
  fields: string[];
  types: string[];
}

function unescapeZeek(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Whether the first lines of a file are a Zeek ASCII log header. */
export function looksLikeZeekTsv(firstLines: string[]): boolean {
  return firstLines.some((l) => l.startsWith('#separator')) && firstLines.some((l) => l.startsWith('#fields'));
}

/** Read the "#…" header lines (other lines are ignored). Undefined when there is no #fields line. */
export function parseZeekHeader(lines: string[]): ZeekHeader | undefined {
  const header: ZeekHeader = { separator: '\t', setSeparator: ',', emptyField: '(empty)', unsetField: '-', fields: [], types: [] };
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (!line.startsWith('#')) continue;
    if (line.startsWith('#separator')) {
      const value = line.slice('#separator'.length).trim();
      if (value) header.separator = unescapeZeek(value);
      continue;
    }
    const parts = line.split(header.separator);
    const key = parts[0].slice(1);
    const values = parts.slice(1);
    switch (key) {
      case 'set_separator':
        if (values[0] !== undefined) header.setSeparator = unescapeZeek(values[0]);
        break;
      case 'empty_field':
        if (values[0] !== undefined) header.emptyField = values[0];
        break;
      case 'unset_field':
        if (values[0] !== undefined) header.unsetField = values[0];
        break;
      case 'path':
        header.path = values[0];
        break;
      case 'fields':
        header.fields = values;
        break;
      case 'types':
        header.types = values;
        break;
      default:
        break;
    }
  }
  return header.fields.length > 0 ? header : undefined;
}

function convert(value: string, type: string | undefined, header: ZeekHeader): unknown {
  const t = type ?? 'string';
  if (/^(set|vector)\[/.test(t)) {
    if (value === header.emptyField) return [];
    const inner = t.slice(t.indexOf('[') + 1, -1);
    return value.split(header.setSeparator).map((v) => convert(v, inner, header));
  }
  const text = unescapeZeek(value);
  if (value === header.emptyField && t === 'string') return '';
  switch (t) {
    case 'count':
    case 'int':
    case 'port': {
      if (!/^-?\d+$/.test(text)) return text;
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : text;
    }
    case 'double':
    case 'interval': {
      const n = Number(text);
      return text !== '' && Number.isFinite(n) ? n : text;
    }
    case 'bool':
      return text === 'T' ? true : text === 'F' ? false : text;
    default:
      return text;
  }
}

/** One data line as a record; undefined for header, #close and empty lines. */
export function zeekRowToRecord(line: string, header: ZeekHeader): RawRecord | undefined {
  const text = line.replace(/\r$/, '');
  if (text === '' || text.startsWith('#')) return undefined;
  const values = text.split(header.separator);
  const record: RawRecord = {};
  header.fields.forEach((field, n) => {
    const value = values[n];
    if (value === undefined || value === header.unsetField) return;
    record[field] = convert(value, header.types[n], header);
  });
  return record;
}
