/**
 * Zeek notice.log, as JSON (one object per line) or as the ASCII TSV format (rows turned into records by
 * readers/zeek-tsv.ts). Notices are network observations: no host or container identity, so network endpoints are
 * filled (id.orig_h/p → source, id.resp_h/p → destination, else src/dst/p) and correlation uses IPs and time.
 * Shared with the Corelight profile, which adds a sensor name and ISO times.
 */
import type { Alert, AlertAction, AlertSource } from '../model.js';
import { NotAnAlert, RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { addMitre, finish, ip, newAlert, port, present, str, strs, time } from './common.js';
import { normalizeSeverity } from '../fields.js';

const ID = 'zeek';

function action(actions: string[]): AlertAction {
  if (actions.some((a) => /DROP|BLOCK|SHUNT/i.test(a))) return 'blocked';
  return 'detected';
}

/** Map a Zeek notice record onto an alert that newAlert() created. */
export function fillNotice(record: RawRecord, alert: Alert, options: MapOptions | undefined): void {
  const note = str(record, 'note');
  if (!note) throw new RecordError('not a Zeek notice: no "note"');
  alert.time = time(record, options, 'ts');
  alert.title = note;
  alert.description = [str(record, 'msg'), str(record, 'sub')].filter(Boolean).join(' — ') || undefined;
  alert.severity = normalizeSeverity(str(record, 'severity.name', 'severity.level'));
  alert.action = action(strs(record, 'actions'));
  addMitre(alert, strs(record, 'mitre_technique', 'mitre_techniques'), strs(record, 'mitre_tactic', 'mitre_tactics'));
  alert.network = {
    srcIp: ip(str(record, 'id.orig_h')) ?? ip(str(record, 'src')),
    srcPort: port(record, 'id.orig_p'),
    dstIp: ip(str(record, 'id.resp_h')) ?? ip(str(record, 'dst')),
    dstPort: port(record, 'id.resp_p', 'p'),
    protocol: str(record, 'proto')?.toLowerCase(),
  };
}

/**
 * A Zeek intel.log row: every row is a match of a traffic observable against a loaded threat-intelligence feed. It is
 * titled as Zeek's own notice for such a hit (Intel::Notice, "Intel hit on … at …") so that both logs read alike.
 */
export function fillIntel(record: RawRecord, alert: Alert, options: MapOptions | undefined): void {
  const indicator = str(record, 'seen.indicator');
  if (!indicator) throw new RecordError('not a Zeek intel match: no "seen.indicator"');
  const type = str(record, 'seen.indicator_type');
  const where = str(record, 'seen.where');
  const sources = strs(record, 'sources');
  alert.time = time(record, options, 'ts');
  alert.title = 'Intel::Notice';
  alert.description = `Intel hit on ${indicator}${where ? ` at ${where}` : ''}${type ? ` (${type})` : ''}${sources.length ? ` — sources: ${sources.join(', ')}` : ''}`;
  alert.action = 'detected';
  alert.network = {
    srcIp: ip(str(record, 'id.orig_h')),
    srcPort: port(record, 'id.orig_p'),
    dstIp: ip(str(record, 'id.resp_h')),
    dstPort: port(record, 'id.resp_p'),
    domain: type === 'Intel::DOMAIN' ? indicator : undefined,
    url: type === 'Intel::URL' ? indicator : undefined,
  };
}

export const zeek: VendorProfile = {
  id: ID,
  product: 'Zeek notice.log and intel.log (JSON or TSV)',
  detect(record: RawRecord, _hints: DetectHints): number {
    if (str(record, '_system_name', '_write_ts')) return 0;
    if ('seen.indicator' in record) return present(record, 'ts', 'seen.indicator_type', 'seen.where', 'matched', 'sources') >= 3 ? 1 : 0.6;
    if (!('note' in record)) return present(record, 'ts', 'uid', 'id.orig_h', 'id.resp_h') >= 3 ? 0.3 : 0;
    return present(record, 'ts', 'msg', 'actions', 'suppress_for', 'peer_descr', 'src', 'id.orig_h') >= 3 ? 1 : 0.6;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    const intelHit = !('note' in record) && 'seen.indicator' in record;
    if (!('note' in record) && !intelHit && present(record, 'ts', 'uid') === 2) throw new NotAnAlert('Zeek log line without a notice');
    const alert = newAlert(record, source, ID);
    if (intelHit) fillIntel(record, alert, options);
    else fillNotice(record, alert, options);
    alert.sensor = str(record, 'peer_descr');
    return finish(alert);
  },
  fields: {
    time: 'ts (epoch seconds)',
    title: 'note | Intel::Notice for an intel.log match',
    description: 'msg — sub | Intel hit on seen.indicator at seen.where (seen.indicator_type) — sources',
    action: 'actions[] (ACTION_DROP → blocked, else detected)',
    sensor: 'peer_descr',
    'network.srcIp/srcPort': 'id.orig_h, id.orig_p | src',
    'network.dstIp/dstPort': 'id.resp_h, id.resp_p | dst, p',
    'network.protocol': 'proto',
  },
};
