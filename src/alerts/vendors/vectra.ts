/**
 * Vectra AI (Detect) host detections as syslog-tagged JSON ("vectra_json_v2 -: {…}"; the reader removes the prefix):
 * {detection_id, d_type, d_type_vname, category, threat, certainty, severity (number or string, 0–10), host_name,
 * host_ip, dd_dst_ip, dd_dst_port, dd_dst_dns, dd_proto, dvchost (the Vectra brain/sensor), vectra_timestamp (epoch
 * seconds as a string), service_info (JSON inside a string)}. A network product: host_ip is the detected source.
 */
import { normalizeSeverity } from '../fields.js';
import type { Alert, AlertSource } from '../model.js';
import { RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { arr, finish, ip, newAlert, num, port, present, str, tacticIds, time } from './common.js';

const ID = 'vectra';

export const vectra: VendorProfile = {
  id: ID,
  product: 'Vectra AI Detect (syslog JSON host detections)',
  detect(record: RawRecord, _hints: DetectHints): number {
    if (!('d_type' in record || 'd_type_vname' in record)) return 0;
    return present(record, 'detection_id', 'vectra_timestamp', 'dvchost', 'threat', 'certainty', 'host_ip') >= 3 ? 1 : 0.6;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    if (!str(record, 'd_type', 'd_type_vname')) throw new RecordError('not a Vectra detection: no d_type');
    const alert = newAlert(record, source, ID);
    alert.id = str(record, 'detection_id') ?? alert.id;
    alert.time = time(record, options, 'vectra_timestamp', 'timestamp', 'first_timestamp');
    alert.title = str(record, 'd_type_vname', 'd_type') ?? 'Vectra detection';
    const accounts = arr(record.service_info)
      .map((s) => (typeof s === 'object' && s !== null ? str(s, 'account_uid') : undefined))
      .filter((a): a is string => a !== undefined);
    alert.description = [str(record, 'category'), str(record, 'host_name') && `host ${str(record, 'host_name')}`, accounts.length > 0 && `accounts ${accounts.join(', ')}`]
      .filter(Boolean)
      .join('; ');
    const severity = num(record, 'severity');
    alert.severity = severity !== undefined ? normalizeSeverity(severity, 'ten') : normalizeSeverity(num(record, 'threat'));
    alert.action = 'detected';
    alert.tactics.push(...tacticIds(str(record, 'category') ? [str(record, 'category') as string] : []));
    alert.sensor = str(record, 'dvchost');
    alert.network = {
      srcIp: ip(str(record, 'host_ip', 'src_ip')),
      dstIp: ip(str(record, 'dd_dst_ip')),
      dstPort: port(record, 'dd_dst_port'),
      protocol: str(record, 'dd_proto')?.toLowerCase(),
      domain: str(record, 'dd_dst_dns', 'proxied_dst'),
      httpMethod: str(record, 'http_method'),
    };
    // Sweeps report dd_dst_ip 0.0.0.0 and list what they touched in dst_ips ("10.0.1.5/32, 10.0.2.7/32"): the first
    // listed host places the flow, the rest go into the description.
    const swept = (str(record, 'dst_ips') ?? '')
      .split(/[,\s]+/)
      .map((c) => c.replace(/\/32$/, ''))
      .filter((c) => ip(c) !== undefined);
    if (alert.network.dstIp === '0.0.0.0' || alert.network.dstIp === undefined) {
      delete alert.network.dstIp;
      if (swept[0]) alert.network.dstIp = ip(swept[0]);
    }
    if (swept.length > 1) alert.description = [alert.description, `destinations ${swept.join(', ')}`].filter(Boolean).join('; ');
    return finish(alert);
  },
  fields: {
    id: 'detection_id',
    time: 'vectra_timestamp (epoch s string)',
    title: 'd_type_vname | d_type',
    description: 'category; host_name; service_info accounts',
    severity: 'severity (0–10, number or string) | threat',
    tactics: 'category (COMMAND & CONTROL, LATERAL MOVEMENT, …)',
    sensor: 'dvchost',
    'network.srcIp': 'host_ip',
    'network.dstIp/dstPort/protocol/domain': 'dd_dst_ip (0.0.0.0 for sweeps: the first host of dst_ips), dd_dst_port, dd_proto, dd_dst_dns',
  },
};
