/**
 * Darktrace model breaches, two shapes:
 *  - model-breach JSON (API / syslog JSON): {pbid, time / creationTime (epoch ms), score (0–1), model{name, category,
 *    priority, description, actions{antigena}}, device{did (-1 = none), ip, hostname, …}, triggeredComponents[]
 *    {triggeredFilters[]{filterType, trigger{value}}}, mitreTechniques[]{techniqueID}, breachUrl};
 *  - CEF, as syslog lines (readers/cef.ts) or Sentinel's CommonSecurityLog CSV export (IPs there may contain
 *    stray spaces: "127.0. 0.1").
 * Darktrace is a network product: the breach device goes to network.srcIp, the host stays empty.
 */
import { normalizeSeverity } from '../fields.js';
import type { Alert, AlertSource, Severity } from '../model.js';
import { asCef } from '../readers/cef.js';
import type { CefRecord } from '../readers/cef.js';
import { RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { addMitre, finish, ip, isRecord, newAlert, num, objects, port, str, time, toPort } from './common.js';

const ID = 'darktrace';

function darktraceCef(record: RawRecord): CefRecord | undefined {
  const cef = asCef(record);
  if (!cef) return undefined;
  return /darktrace/i.test(cef.deviceVendor) || typeof cef.darktraceUrl === 'string' ? cef : undefined;
}

function isBreach(record: RawRecord): boolean {
  return isRecord(record.model) && str(record, 'model.name') !== undefined && ('pbid' in record || 'breachUrl' in record || 'triggeredComponents' in record);
}

function severityOf(category: string | undefined, score: number | undefined): Severity {
  const word = normalizeSeverity(category);
  if (word !== 'unknown') return word;
  return score === undefined ? 'unknown' : normalizeSeverity(score <= 1 ? score * 100 : score);
}

function mapBreach(r: RawRecord, alert: Alert, options: MapOptions | undefined): void {
  alert.id = str(r, 'pbid') ?? alert.id;
  alert.time = time(r, options, 'time', 'creationTime');
  alert.title = str(r, 'model.name') ?? 'Darktrace model breach';
  alert.description = str(r, 'model.description');
  alert.severity = severityOf(str(r, 'model.category'), num(r, 'score'));
  const antigena = isRecord(r.model) && isRecord(r.model.actions) ? r.model.actions.antigena : undefined;
  alert.action = isRecord(antigena) && Object.keys(antigena).length > 0 ? 'blocked' : 'detected';
  addMitre(alert, objects(r.mitreTechniques).flatMap((m) => [str(m, 'techniqueID') ?? '', str(m, 'technique') ?? '']));
  const deviceIp = str(r, 'device.did') === '-1' ? undefined : ip(str(r, 'device.ip'));
  const filters = objects(r.triggeredComponents).flatMap((c) => objects(c.triggeredFilters));
  const trigger = (type: RegExp): string | undefined => filters.map((f) => (type.test(str(f, 'filterType') ?? '') ? str(f, 'trigger.value') : undefined)).find((v) => v !== undefined);
  alert.network = {
    srcIp: deviceIp,
    dstIp: ip(trigger(/^destination ip$/i)),
    dstPort: toPort(trigger(/^destination port$/i)),
    domain: trigger(/hostname|domain/i),
    protocol: trigger(/^protocol$/i)?.toLowerCase(),
    direction: trigger(/^direction$/i),
  };
}

function mapCef(cef: CefRecord, alert: Alert, options: MapOptions | undefined): void {
  alert.id = str(cef, 'externalId', 'externalID') ?? alert.id;
  alert.time = time(cef, options, 'rt', 'start', 'end', 'syslogTime');
  alert.title = cef.name || 'Darktrace model breach';
  alert.description = str(cef, 'msg', 'message');
  alert.severity = normalizeSeverity(cef.severity, 'ten');
  alert.action = /block|antigena|respond/i.test(str(cef, 'act') ?? '') ? 'blocked' : 'detected';
  alert.network = {
    srcIp: ip(str(cef, 'src')),
    srcPort: port(cef, 'spt'),
    dstIp: ip(str(cef, 'dst')),
    dstPort: port(cef, 'dpt'),
    protocol: str(cef, 'proto')?.toLowerCase(),
    domain: str(cef, 'dhost', 'destinationDnsDomain'),
  };
}

export const darktrace: VendorProfile = {
  id: ID,
  product: 'Darktrace (model breach JSON, CEF lines, Sentinel CommonSecurityLog CSV)',
  detect(record: RawRecord, _hints: DetectHints): number {
    if (isBreach(record)) return 1;
    if (darktraceCef(record)) return 0.95;
    return 0;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    const alert = newAlert(record, source, ID);
    if (isBreach(record)) mapBreach(record, alert, options);
    else {
      const cef = darktraceCef(record);
      if (!cef) throw new RecordError('not a Darktrace model breach: no model.name, CEF header or darktraceUrl');
      mapCef(cef, alert, options);
    }
    return finish(alert);
  },
  fields: {
    id: 'pbid | CEF externalId',
    time: 'time | creationTime (epoch ms) | CEF rt, start',
    title: 'model.name | CEF name (Activity)',
    description: 'model.description | CEF msg',
    severity: 'model.category | score (0–1) | CEF severity (0–10)',
    action: 'model.actions.antigena (non-empty → blocked), else detected',
    techniques: 'mitreTechniques[].techniqueID',
    'network.srcIp': 'device.ip (did -1 = no device) | CEF src',
    'network.dstIp/dstPort/domain': 'triggeredFilters "Destination IP", "Destination port", "Connection hostname" | CEF dst, dpt, dhost',
  },
};
