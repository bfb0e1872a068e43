/**
 * Corelight sensor exports: Zeek logs as JSON with _path, _system_name (the sensor) and _write_ts, ISO "ts", often
 * behind a syslog prefix ("<134>Feb 15 05:59:33 sensor {…}", removed by the NDJSON reader). Alert-bearing logs are
 * notice (Zeek notices, with severity.level/name), suricata_corelight (Suricata alerts: alert.*), intel and
 * signatures; other logs (conn, dns, http…) are observations and are reported as NotAnAlert.
 */
import { normalizeSeverity } from '../fields.js';
import type { Alert, AlertSource } from '../model.js';
import { NotAnAlert, RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { addMitre, finish, ip, newAlert, port, present, str, strs, time } from './common.js';
import { fillIntel, fillNotice } from './zeek.js';

const ID = 'corelight';
const ALERT_PATHS = new Set(['notice', 'notice_alarm', 'suricata_corelight', 'intel', 'signatures']);

export const corelight: VendorProfile = {
  id: ID,
  product: 'Corelight (Zeek JSON with _path/_system_name: notice, suricata_corelight, intel)',
  detect(record: RawRecord, _hints: DetectHints): number {
    if (str(record, '_system_name') && str(record, '_path')) return 1;
    return present(record, '_path', '_write_ts', '_system_name') >= 2 ? 0.9 : 0;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    const path = str(record, '_path');
    if (!path) throw new RecordError('not a Corelight record: no _path');
    if (!ALERT_PATHS.has(path)) throw new NotAnAlert(`Corelight ${path} log record, not an alert`);
    const alert = newAlert(record, source, ID);
    alert.sensor = str(record, '_system_name');
    if (path === 'suricata_corelight') {
      // alert.* may be nested or flat dotted keys; getPath reads both.
      alert.id = str(record, 'suri_id') ?? alert.id;
      alert.time = time(record, options, 'ts');
      alert.title = str(record, 'alert.signature') ?? 'Suricata alert';
      alert.description = str(record, 'alert.category');
      alert.severity = normalizeSeverity(str(record, 'alert.severity'), 'suricata');
      alert.action = /block|drop/i.test(str(record, 'alert.action') ?? '') ? 'blocked' : 'detected';
      addMitre(alert, strs(record, 'alert.metadata.mitre_technique_id', 'alert.metadata.mitre_tactic_id'));
      alert.network = {
        srcIp: ip(str(record, 'id.orig_h')),
        srcPort: port(record, 'id.orig_p'),
        dstIp: ip(str(record, 'id.resp_h')),
        dstPort: port(record, 'id.resp_p'),
        protocol: str(record, 'proto')?.toLowerCase(),
        // HTTP details when the sensor attached them to the alert.
        url: str(record, 'http.url', 'http.uri'),
        httpMethod: str(record, 'http.method', 'http.http_method'),
        userAgent: str(record, 'http.user_agent', 'http.http_user_agent'),
        domain: str(record, 'http.hostname', 'http.host'),
      };
    } else if (path === 'intel') {
      // The same row as Zeek's intel.log: read alike, so a Corelight hit reaches the threat-intelligence indicator too.
      fillIntel(record, alert, options);
    } else {
      fillNotice(record.note === undefined && path === 'signatures' ? { ...record, note: str(record, 'sig_id') } : record, alert, options);
    }
    return finish(alert);
  },
  fields: {
    time: 'ts (ISO)',
    title: 'note | alert.signature | intel indicator',
    description: 'msg — sub | alert.category',
    severity: 'severity.name | alert.severity',
    action: 'actions[] | alert.action',
    sensor: '_system_name',
    network: 'id.orig_h, id.orig_p, id.resp_h, id.resp_p, proto; http.url, http.method, http.user_agent, http.hostname when present',
  },
};
