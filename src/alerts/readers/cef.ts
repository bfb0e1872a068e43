/**
 * ArcSight Common Event Format (CEF), as SIEM connectors write it (CrowdStrike Falcon SIEM Connector, Darktrace):
 *
 *   [syslog prefix] CEF:Version|Vendor|Product|Version|SignatureID|Name|Severity|key=value key=value …
 *
 * Header fields escape "|" and "\" with a backslash; extension values escape "=", "\" and newlines ("\n", "\r").
 * Extension values may contain unescaped spaces, so a value runs until the next " key=".
 *
 * The same events exported from Microsoft Sentinel's CommonSecurityLog table arrive as CSV rows with long column
 * names (DeviceVendor, SourceIP, DeviceCustomString1…); fromCommonSecurityLog() turns such a row into the same
 * record shape so one vendor profile reads both.
 */
import type { RawRecord } from '../vendors/profile.js';

/** A CEF event: header fields, the extension keys as they appear, and labelled custom fields resolved. */
export interface CefRecord extends RawRecord {
  cefVersion: string;
  deviceVendor: string;
  deviceProduct: string;
  deviceVersion: string;
  deviceEventClassId: string;
  name: string;
  severity: string;
  /** Custom fields by their label: cs1Label=CommandLine cs1=… gives { CommandLine: … }. */
  cefLabels: Record<string, string>;
  /** Text before "CEF:" (syslog header), when there was any. */
  syslogPrefix?: string;
  /** An ISO-like timestamp found in the syslog prefix. */
  syslogTime?: string;
}

const HEADER_FIELDS = ['cefVersion', 'deviceVendor', 'deviceProduct', 'deviceVersion', 'deviceEventClassId', 'name', 'severity'] as const;

/** Custom-field keys that come with a "<key>Label" naming them. */
const LABELLED_KEY = /^(?:cs\d+|cn\d+|cfp\d+|c6a\d+|deviceCustomDate\d+|flexString\d+|flexNumber\d+|flexDate\d+|deviceCustomString\d+|deviceCustomNumber\d+|deviceCustomFloatingPoint\d+|deviceCustomIPv6Address\d+)$/;

function unescapeHeader(text: string): string {
  return text.replace(/\\([\\|])/g, '$1');
}

function unescapeValue(text: string): string {
  return text.replace(/\\([\\=nr])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

/** Parse one line holding a CEF event; undefined when the line has no complete CEF header. */
export function parseCefLine(line: string): CefRecord | undefined {
  const start = line.indexOf('CEF:');
  if (start === -1) return undefined;
  const header: string[] = [];
  let current = '';
  let i = start + 4;
  for (; i < line.length && header.length < 7; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length && (line[i + 1] === '|' || line[i + 1] === '\\')) {
      current += c + line[i + 1];
      i++;
    } else if (c === '|') {
      header.push(unescapeHeader(current).trim());
      current = '';
    } else {
      current += c;
    }
  }
  if (header.length < 7) return undefined;
  const record = {} as CefRecord;
  Object.assign(record, parseExtension(line.slice(i)));
  HEADER_FIELDS.forEach((field, n) => {
    record[field] = header[n];
  });
  record.cefLabels = resolveLabels(record);
  const prefix = line.slice(0, start).trim();
  if (prefix) {
    record.syslogPrefix = prefix;
    const t = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/.exec(prefix);
    if (t) record.syslogTime = t[0];
  }
  return record;
}

/** key=value pairs of a CEF extension. Keys are found after whitespace; "\=" inside a value is not a separator. */
export function parseExtension(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const keyPattern = /(?:^|\s)([A-Za-z0-9_.[\]-]+)=/g;
  const keys: { key: string; valueStart: number; matchStart: number }[] = [];
  for (const m of text.matchAll(keyPattern)) {
    const matchStart = m.index ?? 0;
    // "\=" is an escaped equals sign inside a value, never the end of a key.
    const eq = matchStart + m[0].length - 1;
    if (eq > 0 && text[eq - 1] === '\\') continue;
    keys.push({ key: m[1], valueStart: matchStart + m[0].length, matchStart });
  }
  keys.forEach((k, n) => {
    const end = n + 1 < keys.length ? keys[n + 1].matchStart : text.length;
    const value = unescapeValue(text.slice(k.valueStart, end).trim());
    if (!Object.prototype.hasOwnProperty.call(out, k.key)) out[k.key] = value;
  });
  return out;
}

function resolveLabels(record: Record<string, unknown>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const key of Object.keys(record)) {
    if (!LABELLED_KEY.test(key)) continue;
    const label = record[`${key}Label`];
    const value = record[key];
    if (typeof label === 'string' && label.trim() && typeof value === 'string' && value !== '') labels[label.trim()] = value;
  }
  return labels;
}

/** Sentinel CommonSecurityLog columns and the CEF keys they hold. */
const COMMON_SECURITY_LOG: Record<string, string> = {
  DeviceVendor: 'deviceVendor',
  DeviceProduct: 'deviceProduct',
  DeviceVersion: 'deviceVersion',
  DeviceEventClassID: 'deviceEventClassId',
  Activity: 'name',
  LogSeverity: 'severity',
  DeviceAction: 'act',
  ApplicationProtocol: 'app',
  CommunicationDirection: 'deviceDirection',
  Computer: 'syslogHost',
  DestinationDnsDomain: 'destinationDnsDomain',
  DestinationHostName: 'dhost',
  DestinationIP: 'dst',
  DestinationMACAddress: 'dmac',
  DestinationNTDomain: 'dntdom',
  DestinationPort: 'dpt',
  DestinationProcessId: 'dpid',
  DestinationProcessName: 'dproc',
  DestinationServiceName: 'destinationServiceName',
  DestinationUserID: 'duid',
  DestinationUserName: 'duser',
  DeviceAddress: 'dvc',
  DeviceName: 'dvchost',
  DeviceExternalID: 'deviceExternalId',
  DeviceInboundInterface: 'deviceInboundInterface',
  DeviceOutboundInterface: 'deviceOutboundInterface',
  DeviceMacAddress: 'dvcmac',
  ExternalID: 'externalId',
  FileHash: 'fileHash',
  FileName: 'fname',
  FilePath: 'filePath',
  Message: 'msg',
  ProcessID: 'dvcpid',
  ProcessName: 'deviceProcessName',
  Protocol: 'proto',
  RequestClientApplication: 'requestClientApplication',
  RequestMethod: 'requestMethod',
  RequestURL: 'request',
  SourceHostName: 'shost',
  SourceIP: 'src',
  SourceMACAddress: 'smac',
  SourceNTDomain: 'sntdom',
  SourcePort: 'spt',
  SourceProcessId: 'spid',
  SourceProcessName: 'sproc',
  SourceUserID: 'suid',
  SourceUserName: 'suser',
  StartTime: 'start',
  EndTime: 'end',
  ReceiptTime: 'rt',
  TimeGenerated: 'rt',
  EventCount: 'cnt',
};

const CUSTOM_COLUMN = /^(DeviceCustomString|DeviceCustomNumber|DeviceCustomFloatingPoint|DeviceCustomIPv6Address|DeviceCustomDate|FlexString|FlexNumber|FlexDate)(\d+)(Label)?$/;
const CUSTOM_KEY: Record<string, string> = {
  DeviceCustomString: 'cs',
  DeviceCustomNumber: 'cn',
  DeviceCustomFloatingPoint: 'cfp',
  DeviceCustomIPv6Address: 'c6a',
  DeviceCustomDate: 'deviceCustomDate',
  FlexString: 'flexString',
  FlexNumber: 'flexNumber',
  FlexDate: 'flexDate',
};

/** Whether a CSV row looks like an export of Sentinel's CommonSecurityLog table. */
export function isCommonSecurityLog(row: RawRecord): boolean {
  let hits = 0;
  for (const k of ['DeviceEventClassID', 'LogSeverity', 'DeviceVendor', 'DeviceProduct', 'AdditionalExtensions', 'Activity', 'DeviceCustomString1']) {
    if (k in row) hits++;
  }
  return hits >= 3 || row.Type === 'CommonSecurityLog';
}

/** A CommonSecurityLog row (column → string) as a CefRecord; undefined when the row is not one. */
export function fromCommonSecurityLog(row: RawRecord): CefRecord | undefined {
  if (!isCommonSecurityLog(row)) return undefined;
  const record: Record<string, unknown> = {};
  for (const [rawColumn, value] of Object.entries(row)) {
    if (typeof value !== 'string' || value === '') continue;
    const column = rawColumn.replace(/\s*\[UTC\]\s*$/i, '');
    const mapped = COMMON_SECURITY_LOG[column];
    if (mapped !== undefined) {
      if (!(mapped in record)) record[mapped] = value;
      continue;
    }
    const custom = CUSTOM_COLUMN.exec(column);
    if (custom) record[`${CUSTOM_KEY[custom[1]]}${custom[2]}${custom[3] ?? ''}`] = value;
  }
  const additional = row.AdditionalExtensions;
  if (typeof additional === 'string') {
    for (const pair of additional.split(';')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const key = pair.slice(0, eq).trim();
      if (key && !(key in record)) record[key] = pair.slice(eq + 1).trim();
    }
  }
  const cef = record as CefRecord;
  cef.cefVersion = '0';
  for (const field of HEADER_FIELDS) if (typeof cef[field] !== 'string') cef[field] = '';
  cef.cefLabels = resolveLabels(cef);
  return cef;
}

/** A record as CEF: a parsed CEF line passes through; a CommonSecurityLog row is converted; else undefined. */
export function asCef(record: RawRecord): CefRecord | undefined {
  if (typeof record.cefVersion === 'string' && typeof record.deviceVendor === 'string' && isPlainLabels(record.cefLabels)) {
    // A JSON record can claim to be CEF: hold it to the shape parseCefLine gives (header fields and labels are text).
    if (!HEADER_FIELDS.every((f) => record[f] === undefined || typeof record[f] === 'string')) return undefined;
    if (!Object.values(record.cefLabels).every((v) => typeof v === 'string')) return undefined;
    return record as CefRecord;
  }
  return fromCommonSecurityLog(record);
}

function isPlainLabels(v: unknown): v is Record<string, string> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
