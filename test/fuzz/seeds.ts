/**
 * Alert files of every input format the readers accept, built record by record so a test knows exactly which
 * records are good, which are broken, and on which line each one starts.
 *
 * A good record is a real-looking alert of one product whose attacker-controlled text fields (command line, file
 * name, rule output, message) hold hostile text; a bad record is broken in a way its reader must reject on its own
 * (invalid JSON, a row with the wrong number of cells, a line that is not CEF) without losing its neighbours.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { KNOWN } from './cluster.js';
import { hostileString } from './support.js';

/** Attacker-controlled text put into one good record. */
export interface Texts {
  cmd: string;
  file: string;
  title: string;
  host: string;
  containerId: string;
  pod: string;
  namespace: string;
  ip: string;
  process: string;
}

/** Texts that keep line-based formats intact (no line breaks) while carrying every other hostile character. */
export function textsArb(options: { lineBreaks?: boolean } = {}): fc.Arbitrary<Texts> {
  const clean = (s: string) => (options.lineBreaks ? s : s.replace(/[\r\n\u2028\u2029\x85]/g, ' '));
  const text = (max: number) => hostileString(max).map(clean);
  const known = (values: string[]) => fc.oneof(fc.constantFrom(...values), text(20));
  return fc.record({
    cmd: fc.oneof(fc.constantFrom(...KNOWN.commands), text(120)),
    file: text(40),
    title: text(40),
    host: known(KNOWN.hosts),
    containerId: known(KNOWN.containerIds),
    pod: known(KNOWN.pods),
    namespace: known(KNOWN.namespaces),
    ip: known(KNOWN.ips),
    process: known(KNOWN.processes),
  });
}

export type Outcome = 'alert' | 'rejected' | 'skipped';

export interface RecordText {
  text: string;
  outcome: Outcome;
}

export interface FileKind {
  id: string;
  extension: string;
  /** The profile detection picks for it today (informational: new profiles may claim a kind). */
  vendor: string;
  /** Lines before the first record. */
  head: string[];
  /** Lines after the last record. */
  tail: string[];
  /** Separator written after every record but the last (JSON arrays: ","). */
  separator: string;
  good(t: Texts, n: number): string;
  /** Broken records, each rejected on its own. */
  bad: string[];
  /** Well-formed records that are not alerts (counted, never warned about). */
  notAlerts?: string[];
}

const json = (v: unknown) => JSON.stringify(v);
const TIME = '2026-01-01T12:00:00Z';

const falco: FileKind = {
  id: 'falco-ndjson',
  extension: '.ndjson',
  vendor: 'falco',
  head: [],
  tail: [],
  separator: '',
  good: (t, n) =>
    json({
      uuid: `f-${n}`,
      output: `Warning ${t.title} (command=${t.cmd})`,
      priority: 'Warning',
      rule: 'Terminal shell in container',
      source: 'syscall',
      tags: ['T1059', 'container'],
      time: TIME,
      hostname: t.host,
      output_fields: { 'container.id': t.containerId, 'proc.cmdline': t.cmd, 'proc.name': t.process, 'proc.exepath': t.file, 'k8s.pod.name': t.pod, 'k8s.ns.name': t.namespace, 'fd.name': `${t.ip}:443` },
    }),
  bad: ['{"rule": "unterminated', '[1, 2, 3]', '42', '"a string"', '{}', '{"rule":"x"}}', 'null'],
};

const suricata: FileKind = {
  id: 'suricata-eve',
  extension: '.json',
  vendor: 'suricata',
  head: [],
  tail: [],
  separator: '',
  good: (t, n) =>
    json({
      timestamp: '2026-01-01T12:00:00.000000+0000',
      flow_id: 1000 + n,
      event_type: 'alert',
      src_ip: t.ip,
      src_port: 51514,
      dest_ip: '203.0.113.99',
      dest_port: 443,
      proto: 'TCP',
      app_proto: 'tls',
      tls: { sni: t.file },
      alert: { action: 'allowed', gid: 1, signature_id: 2030000 + n, rev: 1, signature: t.title, category: t.cmd, severity: 1 },
      host: t.host,
    }),
  bad: ['{"event_type": "alert", "alert": {', '["alert"]', '{"no": "event type"}', 'true'],
  notAlerts: [json({ timestamp: TIME, flow_id: 7, event_type: 'flow', src_ip: '10.0.0.1', src_port: 1, dest_ip: '10.0.0.2', dest_port: 2, proto: 'TCP', flow: {} })],
};

const crowdstrike: FileKind = {
  id: 'crowdstrike-json',
  extension: '.json',
  vendor: 'crowdstrike',
  head: ['['],
  tail: [']'],
  separator: ',',
  good: (t, n) =>
    json({
      agent_id: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      composite_id: `cid:ind:0a1b:${n}`,
      timestamp: TIME,
      display_name: t.title,
      name: 'SensorBasedMLHigh',
      severity: 70,
      severity_name: 'High',
      tactic_id: 'TA0002',
      technique_id: 'T1059',
      device: { device_id: '0a1b', hostname: t.host, local_ip: t.ip, instance_id: 'i-0bbbbbbbbbbbbbbb2' },
      filename: t.process,
      filepath: t.file,
      cmdline: t.cmd,
      local_process_id: '48812',
      user_name: 'www-data',
      parent_details: { filename: 'bash', filepath: '/usr/bin/bash', cmdline: t.cmd },
      pattern_disposition: 2048,
      container_id: t.containerId,
      pod_name: t.pod,
      namespace: t.namespace,
    }),
  bad: ['{"composite_id": "x",, "cmdline": "y"}', '[1]', '{}', '{"a": tru}', '42', '"just text, with [brackets] and {braces}"', 'null', 'true'],
};

const defenderGraph: FileKind = {
  id: 'defender-graph-wrapper',
  extension: '.json',
  vendor: 'defender-xdr',
  head: ['{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2",', '"value": ['],
  tail: [']}'],
  separator: ',',
  good: (t, n) =>
    json({
      '@odata.type': '#microsoft.graph.security.alert',
      id: `da-${n}`,
      title: t.title || 'Suspicious process',
      severity: 'high',
      category: 'Execution',
      mitreTechniques: ['T1059'],
      createdDateTime: TIME,
      firstActivityDateTime: TIME,
      serviceSource: 'microsoftDefenderForEndpoint',
      evidence: [
        { '@odata.type': '#microsoft.graph.security.processEvidence', processCommandLine: t.cmd, processId: 4242, imageFile: { fileName: t.process, filePath: t.file } },
        { '@odata.type': '#microsoft.graph.security.deviceEvidence', deviceDnsName: t.host },
        { '@odata.type': '#microsoft.graph.security.containerEvidence', containerId: t.containerId, name: 'web', image: { imageId: 'nginx:1.27' } },
        { '@odata.type': '#microsoft.graph.security.kubernetesPodEvidence', name: t.pod, namespace: { name: t.namespace } },
      ],
    }),
  bad: ['{"id": "x" "title": "y"}', '[]', '{}', '-1.5e3', '"]"'],
};

const HUNTING = ['Timestamp', 'AlertId', 'Title', 'Severity', 'DeviceName', 'LocalIP', 'AccountName', 'FileName', 'FolderPath', 'ProcessId', 'ProcessCommandLine', 'InitiatingProcessFileName'];

/** RFC 4180 cell: always quoted. */
export const csvCellText = (s: string) => `"${s.replace(/"/g, '""')}"`;

const defenderCsv: FileKind = {
  id: 'defender-hunting-csv',
  extension: '.csv',
  vendor: 'defender-xdr',
  head: [HUNTING.join(',')],
  tail: [],
  separator: '',
  good: (t, n) => [TIME, `da-${n}`, t.title, 'High', t.host, t.ip, 'root', t.process, t.file, '4242', t.cmd, 'containerd-shim-runc-v2'].map(csvCellText).join(','),
  bad: ['only,two', `${'x,'.repeat(HUNTING.length + 3)}x`, 'x,ab"c,d'],
};

/** CEF extension value: `\`, `=` escaped (line breaks are kept out by textsArb). */
const cefValue = (s: string) => s.replace(/\\/g, '\\\\').replace(/=/g, '\\=');
const cefHeader = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');

const crowdstrikeCef: FileKind = {
  id: 'crowdstrike-cef',
  extension: '.cef',
  vendor: 'crowdstrike',
  head: [],
  tail: [],
  separator: '',
  good: (t, n) =>
    `Jan 01 12:00:00 siem CEF:0|CrowdStrike|FalconHost|1.0|${n}|${cefHeader(t.title)}|7|rt=1767268800000 dhost=${cefValue(t.host)} src=${cefValue(t.ip)} fname=${cefValue(t.process)} filePath=${cefValue(t.file)} cs1Label=CommandLine cs1=${cefValue(t.cmd)} externalId=cs-${n}`,
  bad: ['this line is not CEF at all', 'CEF:0|only|three|fields'],
};

const zeekNotice: FileKind = {
  id: 'zeek-notice',
  extension: '.log',
  vendor: 'zeek',
  head: [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    '#path\tnotice',
    '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tnote\tmsg\tsub\thost',
    '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tstring\tstring',
  ],
  tail: ['#close\t2026-01-01-13-00-00'],
  separator: '',
  good: (t, n) => ['1767268800.123456', `C${n}`, t.ip, '51514', '203.0.113.99', '443', 'Scan::Port_Scan', zeekText(t.cmd), zeekText(t.title), zeekText(t.host)].join('\t'),
  bad: ['garbage'],
};

/** Zeek escapes the separator inside values. */
function zeekText(s: string): string {
  const v = s.replace(/\\/g, '\\x5c').replace(/\t/g, '\\x09');
  return v === '' || v === '-' || v === '(empty)' ? 'x' : v;
}

const genericNdjson: FileKind = {
  id: 'generic-ndjson',
  extension: '.jsonl',
  vendor: 'generic',
  head: [],
  tail: [],
  separator: '',
  good: (t, n) => json({ event_id: `g-${n}`, '@timestamp': TIME, hostname: t.host, alert_name: t.title || 'x', command_line: t.cmd, process_name: t.process, container_id: t.containerId, pod_name: t.pod, namespace: t.namespace, src_ip: t.ip }),
  bad: ['{"@timestamp": ', '{"nothing": "recognisable"}', '[]'],
};

export const FILE_KINDS: FileKind[] = [falco, suricata, crowdstrike, defenderGraph, defenderCsv, crowdstrikeCef, zeekNotice, genericNdjson];

export type LineEnding = '\n' | '\r\n' | '\r';
export type Encoding = 'utf8' | 'utf8-bom' | 'utf16le-bom' | 'utf16be-bom';

export interface Layout {
  /** FileKind id (an id, so that counterexamples print short). */
  kind: string;
  /** Per record: which good/bad/notAlert it is. */
  records: { outcome: Outcome; pick: number; texts: Texts }[];
  eol: LineEnding;
  encoding: Encoding;
  gzip: boolean;
  finalNewline: boolean;
}

export interface BuiltFile {
  bytes: Buffer;
  text: string;
  /** Per record, in order: its outcome and the 1-based line it starts on. */
  expected: { outcome: Outcome; line: number }[];
}

/** Encode text the way exports arrive: UTF-8 with or without BOM, UTF-16 with BOM, optionally gzipped. */
export function encode(text: string, encoding: Encoding, gzip: boolean): Buffer {
  let bytes: Buffer;
  switch (encoding) {
    case 'utf8':
      bytes = Buffer.from(text, 'utf8');
      break;
    case 'utf8-bom':
      bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
      break;
    case 'utf16le-bom':
      bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      break;
    case 'utf16be-bom':
      bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
      break;
  }
  return gzip ? gzipSync(bytes) : bytes;
}

export function kindById(id: string): FileKind {
  const kind = FILE_KINDS.find((k) => k.id === id);
  if (!kind) throw new Error(`no file kind ${id}`);
  return kind;
}

export function buildFile(layout: Layout): BuiltFile {
  const kind = kindById(layout.kind);
  const lines = [...kind.head];
  const expected: BuiltFile['expected'] = [];
  layout.records.forEach((r, i) => {
    let text: string;
    if (r.outcome === 'alert') text = kind.good(r.texts, i + 1);
    else if (r.outcome === 'rejected') text = kind.bad[r.pick % kind.bad.length];
    else text = (kind.notAlerts ?? [])[r.pick % (kind.notAlerts?.length ?? 1)];
    expected.push({ outcome: r.outcome, line: lines.length + 1 });
    lines.push(i < layout.records.length - 1 ? text + kind.separator : text);
  });
  lines.push(...kind.tail);
  const text = lines.join(layout.eol) + (layout.finalNewline ? layout.eol : '');
  return { bytes: encode(text, layout.encoding, layout.gzip), text, expected };
}

/** A file of one kind: the first record good (so the product can be detected), the rest a random mix. */
export function layoutArb(kind: FileKind, options: { maxRecords?: number } = {}): fc.Arbitrary<Layout> {
  const outcomes: Outcome[] = kind.notAlerts ? ['alert', 'rejected', 'skipped'] : ['alert', 'rejected'];
  const record = fc.record({ outcome: fc.constantFrom(...outcomes), pick: fc.nat(20), texts: textsArb() });
  const first = fc.record({ outcome: fc.constant<Outcome>('alert'), pick: fc.constant(0), texts: textsArb() });
  return fc.record({
    kind: fc.constant(kind.id),
    records: fc.tuple(first, fc.array(record, { maxLength: options.maxRecords ?? 12 })).map(([a, rest]) => [a, ...rest]),
    eol: fc.constantFrom<LineEnding>('\n', '\r\n', '\r'),
    encoding: fc.constantFrom<Encoding>('utf8', 'utf8-bom', 'utf16le-bom', 'utf16be-bom'),
    gzip: fc.boolean(),
    finalNewline: fc.boolean(),
  });
}
