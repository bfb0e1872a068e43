/**
 * Wazuh 4.x alerts.json (one alert per line, or the same documents from the indexer): {timestamp ("+0000" offset),
 * rule{level 0–15, id, description, groups[], mitre{id[], tactic[], technique[]}}, agent{id ("000" = manager), name,
 * ip}, manager{name}, id, full_log, predecoder{hostname}, decoder, location, data{srcip, dstip, srcport, dstport,
 * srcuser, audit{exe, command, pid, ppid, euid, execve{a0…}}, docker{Actor{ID, Attributes{name, image}}}}}.
 * Docker events of pods started through dockershim name their container "k8s_<container>_<pod>_<namespace>_<uid>_<n>";
 * that name is read for the pod and namespace. Wazuh's active response is logged separately: alerts are detections.
 */
import type { Alert, AlertSource, Severity } from '../model.js';
import { RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { addMitre, finish, ip, ips, isRecord, lineage, newAlert, num, port, present, proc, str, strs, stripRuntime, time } from './common.js';

const ID = 'wazuh';

/** Rule levels: 0–3 informational, 4–6 low, 7–11 medium, 12–14 high, 15 critical. */
function severity(level: number | undefined): Severity {
  if (level === undefined) return 'unknown';
  if (level >= 15) return 'critical';
  if (level >= 12) return 'high';
  if (level >= 7) return 'medium';
  if (level >= 4) return 'low';
  return 'informational';
}

const DOCKERSHIM_NAME = /^\/?k8s_([^_]+)_([^_]+)_([^_]+)_([0-9a-f-]{36})_\d+$/i;

export const wazuh: VendorProfile = {
  id: ID,
  product: 'Wazuh 4.x (alerts.json)',
  detect(record: RawRecord, _hints: DetectHints): number {
    const rule = isRecord(record.rule) ? record.rule : undefined;
    if (!rule || !('level' in rule)) return 0;
    return present(record, 'agent', 'manager', 'decoder', 'location', 'full_log', 'predecoder') >= 2 ? 1 : 0.6;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    if (!isRecord(record.rule)) throw new RecordError('not a Wazuh alert: no rule');
    const alert = newAlert(record, source, ID);
    alert.id = str(record, 'id', '_id') ?? alert.id;
    alert.time = time(record, options, 'timestamp', '@timestamp');
    alert.title = str(record, 'rule.description') ?? `Wazuh rule ${str(record, 'rule.id') ?? ''}`.trim();
    alert.description = str(record, 'full_log');
    alert.severity = severity(num(record, 'rule.level'));
    alert.action = 'detected';
    addMitre(alert, strs(record, 'rule.mitre.id'), strs(record, 'rule.mitre.tactic'));

    alert.host.name = str(record, 'agent.name', 'predecoder.hostname', 'manager.name');
    alert.host.ips = ips(str(record, 'agent.ip'));
    alert.cluster = str(record, 'cluster.name');

    const dockerName = str(record, 'data.docker.Actor.Attributes.name', 'data.docker.name');
    alert.container.id = stripRuntime(str(record, 'data.docker.Actor.ID', 'data.docker.id'));
    alert.container.image = str(record, 'data.docker.Actor.Attributes.image', 'data.docker.from');
    const shim = dockerName ? DOCKERSHIM_NAME.exec(dockerName) : null;
    if (shim) {
      alert.container.name = shim[1];
      alert.container.pod = shim[2];
      alert.container.namespace = shim[3];
      alert.container.podUid = shim[4];
    } else {
      alert.container.name = dockerName;
    }
    alert.container.pod ??= str(record, 'data.docker.Actor.Attributes.io.kubernetes.pod.name');
    alert.container.namespace ??= str(record, 'data.docker.Actor.Attributes.io.kubernetes.pod.namespace');

    const argv: string[] = [];
    for (let n = 0; n < 32; n++) {
      const a = str(record, `data.audit.execve.a${n}`);
      if (a === undefined) break;
      argv.push(a);
    }
    alert.process = {
      name: str(record, 'data.audit.command', 'predecoder.program_name'),
      path: str(record, 'data.audit.exe'),
      commandLine: argv.length > 0 ? argv.join(' ') : undefined,
      pid: str(record, 'data.audit.pid'),
      uid: str(record, 'data.audit.euid', 'data.audit.uid'),
      user: str(record, 'data.audit.euser', 'data.audit.user'),
      tty: str(record, 'data.audit.tty') ? str(record, 'data.audit.tty') !== '(none)' : undefined,
      ancestors: lineage(proc({ pid: str(record, 'data.audit.ppid') })),
    };

    const srcIp = ip(str(record, 'data.srcip'));
    const dstIp = ip(str(record, 'data.dstip'));
    if (srcIp || dstIp) {
      alert.network = { srcIp, srcPort: port(record, 'data.srcport'), dstIp, dstPort: port(record, 'data.dstport'), protocol: str(record, 'data.protocol')?.toLowerCase() };
    }
    return finish(alert);
  },
  fields: {
    id: 'id',
    time: 'timestamp',
    title: 'rule.description',
    description: 'full_log',
    severity: 'rule.level (0–3 info, 4–6 low, 7–11 medium, 12–14 high, 15 critical)',
    action: '(detected: active response is logged separately)',
    'tactics/techniques': 'rule.mitre.id[], rule.mitre.tactic[]',
    'host.name/ips': 'agent.name | predecoder.hostname, agent.ip',
    'container.*': 'data.docker.Actor.ID, Attributes.name (k8s_<container>_<pod>_<namespace>_<uid>_<n>), Attributes.image',
    'process.*': 'data.audit.exe, command, execve.a0…, pid, euid',
    'process.ancestors': 'data.audit.ppid',
    network: 'data.srcip, srcport, dstip, dstport, protocol',
  },
};
