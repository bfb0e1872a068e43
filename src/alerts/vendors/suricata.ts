/**
 * Suricata EVE JSON (eve.json, one event per line). Only event_type "alert" (and "drop") records are alerts; other
 * EVE events (flow, dns, http, stats…) are reported as NotAnAlert. Suricata sees packets, not hosts: `host` is the
 * sensor's name and goes to alert.sensor, while the host and container stay empty and correlation uses the IPs.
 */
import { normalizeSeverity } from '../fields.js';
import type { Alert, AlertAction, AlertSource } from '../model.js';
import { NotAnAlert, RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { addMitre, finish, ip, isRecord, newAlert, port, present, str, strs, time } from './common.js';

const ID = 'suricata';

/** The name of the first query record of an array (`dns.query[0].rrname`, `dns.queries[0].rrname`). */
function firstQueryName(dns: Record<string, unknown>): string | undefined {
  for (const key of ['query', 'queries']) {
    const list = dns[key];
    if (Array.isArray(list) && isRecord(list[0])) {
      const name = str(list[0], 'rrname');
      if (name !== undefined) return name;
    }
  }
  return undefined;
}

function action(value: string | undefined, eventType: string | undefined): AlertAction {
  const v = value?.toLowerCase();
  if (v === 'blocked' || v === 'drop' || v === 'dropped' || v === 'reject' || eventType === 'drop') return 'blocked';
  if (v === 'allowed' || v === 'pass' || v === 'alert') return 'detected';
  return v === undefined ? 'detected' : 'unknown';
}

export const suricata: VendorProfile = {
  id: ID,
  product: 'Suricata (EVE JSON alerts)',
  detect(record: RawRecord, _hints: DetectHints): number {
    const eventType = str(record, 'event_type');
    const alert = isRecord(record.alert) ? record.alert : undefined;
    if (alert && present(alert, 'signature_id', 'signature', 'gid') >= 2 && (eventType === 'alert' || eventType === 'drop')) return 1;
    if (eventType && present(record, 'flow_id', 'src_ip', 'dest_ip', 'proto', 'in_iface', 'community_id') >= 3) return 0.6;
    return 0;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    const eventType = str(record, 'event_type');
    const rule = isRecord(record.alert) ? record.alert : undefined;
    if (!rule) {
      if (eventType) throw new NotAnAlert(`Suricata ${eventType} event, not an alert`);
      throw new RecordError('not a Suricata alert: no "alert" object and no event_type');
    }
    const alert = newAlert(record, source, ID);
    alert.time = time(record, options, 'timestamp', 'flow.start');
    alert.title = str(rule, 'signature') ?? `Suricata signature ${str(rule, 'signature_id') ?? 'unknown'}`;
    alert.description = str(rule, 'category');
    alert.severity = normalizeSeverity(str(rule, 'severity'), 'suricata');
    alert.action = action(str(rule, 'action'), eventType);
    const metadata = isRecord(rule.metadata) ? rule.metadata : {};
    addMitre(
      alert,
      strs(metadata, 'mitre_tactic_id', 'mitre_technique_id'),
      strs(metadata, 'mitre_tactic_name'),
    );
    alert.sensor = str(record, 'host');
    const http = isRecord(record.http) ? record.http : {};
    const tls = isRecord(record.tls) ? record.tls : {};
    // Suricata 7 alerts carry `dns.query` as an array of query records, Suricata 8 `dns.queries`; older ones one object.
    const dnsQuery = isRecord(record.dns) ? (str(record.dns, 'rrname', 'query.rrname', 'queries.rrname') ?? firstQueryName(record.dns)) : undefined;
    alert.network = {
      srcIp: ip(str(record, 'src_ip')),
      srcPort: port(record, 'src_port'),
      dstIp: ip(str(record, 'dest_ip')),
      dstPort: port(record, 'dest_port'),
      protocol: str(record, 'proto')?.toLowerCase(),
      appProtocol: str(record, 'app_proto'),
      domain: str(http, 'hostname') ?? str(tls, 'sni') ?? dnsQuery,
      url: str(http, 'url'),
      httpMethod: str(http, 'http_method'),
      userAgent: str(http, 'http_user_agent'),
      interface: str(record, 'in_iface'),
      direction: str(record, 'direction'),
    };
    return finish(alert);
  },
  fields: {
    time: 'timestamp',
    title: 'alert.signature',
    description: 'alert.category',
    severity: 'alert.severity (1 = high, 2 = medium, 3+ = low)',
    action: 'alert.action (allowed → detected, blocked → blocked)',
    'tactics/techniques': 'alert.metadata.mitre_tactic_id, mitre_technique_id',
    sensor: 'host',
    'network.srcIp/srcPort/dstIp/dstPort': 'src_ip, src_port, dest_ip, dest_port',
    'network.protocol/appProtocol': 'proto, app_proto',
    'network.domain/url/httpMethod/userAgent': 'http.hostname | tls.sni | dns.rrname, http.url, http.http_method, http.http_user_agent',
    'network.interface/direction': 'in_iface, direction',
  },
};
