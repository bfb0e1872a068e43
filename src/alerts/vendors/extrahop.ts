/**
 * ExtraHop Reveal(x) detections (REST API): {id, title, type, description (markdown), risk_score (0–99),
 * start_time / create_time (epoch ms), categories[], properties{client_port, server_port, …}, participants[]{role
 * (offender|victim), endpoint (client|server|sender|receiver), object_type (device|ipaddr), object_value (an IP),
 * hostname, external}, mitre_tactics[]{id}, mitre_techniques[]{id}, ticket_id (number or string)}.
 * A network product: the client/sender participant is the source, the server/receiver the destination.
 */
import { normalizeSeverity } from '../fields.js';
import type { Alert, AlertSource } from '../model.js';
import { RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { addMitre, finish, ip, newAlert, num, objects, port, present, str, time } from './common.js';

const ID = 'extrahop';

export const extrahop: VendorProfile = {
  id: ID,
  product: 'ExtraHop Reveal(x) (detections API)',
  detect(record: RawRecord, _hints: DetectHints): number {
    const participants = objects(record.participants);
    if (participants.length > 0 && participants.some((p) => 'object_type' in p || 'object_value' in p)) {
      return present(record, 'risk_score', 'type', 'start_time', 'title') >= 3 ? 1 : 0.7;
    }
    return 0;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    const participants = objects(record.participants);
    if (participants.length === 0 && !str(record, 'risk_score')) throw new RecordError('not an ExtraHop detection: no participants or risk_score');
    const alert = newAlert(record, source, ID);
    alert.id = str(record, 'id') ?? alert.id;
    alert.time = time(record, options, 'start_time', 'create_time', 'update_time');
    alert.title = str(record, 'title', 'type') ?? 'ExtraHop detection';
    alert.description = str(record, 'description');
    alert.severity = normalizeSeverity(num(record, 'risk_score'));
    alert.action = 'detected';
    addMitre(alert, [...objects(record.mitre_tactics), ...objects(record.mitre_techniques)].map((m) => str(m, 'id') ?? ''));
    const endpoint = (re: RegExp, role: string): RawRecord | undefined =>
      participants.find((p) => re.test(str(p, 'endpoint') ?? '')) ?? participants.find((p) => str(p, 'role') === role);
    const src = endpoint(/^(client|sender)$/i, 'offender');
    const dst = endpoint(/^(server|receiver)$/i, 'victim');
    alert.network = {
      srcIp: src && src !== dst ? ip(str(src, 'object_value')) : undefined,
      srcPort: port(record, 'properties.client_port'),
      dstIp: dst ? ip(str(dst, 'object_value')) : undefined,
      dstPort: port(record, 'properties.server_port'),
      domain: dst && str(dst, 'external') === 'true' ? str(dst, 'hostname') : undefined,
    };
    return finish(alert);
  },
  fields: {
    id: 'id',
    time: 'start_time | create_time (epoch ms)',
    title: 'title | type',
    description: 'description',
    severity: 'risk_score (0–99)',
    'tactics/techniques': 'mitre_tactics[].id, mitre_techniques[].id',
    'network.srcIp/srcPort': 'participant with endpoint client|sender (else the offender), properties.client_port',
    'network.dstIp/dstPort/domain': 'participant with endpoint server|receiver (else the victim), properties.server_port, hostname when external',
  },
};
