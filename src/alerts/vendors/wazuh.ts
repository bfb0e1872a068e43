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

/** auditd writes an argument with spaces, quotes or control characters as hex, others double-quoted. */
function decodeAuditArg(a: string): string {
  if (a.length >= 2 && a.startsWith('"') && a.endsWith('"')) return a.slice(1, -1);
  if (a.length % 2 === 0 && /^[0-9A-F]+$/.test(a) && a.length >= 2) {
    const text = Buffer.from(a, 'hex').toString('utf8');
    // Only decode what reads as text; a numeric argument made of hex digits stays as it is.
    if (/^[\x20-\x7e\t]*$/.test(text) && /[^0-9]/.test(a)) return text;
  }
  return a;
}

/** argv from the `type=EXECVE … argc=N a0=… a1=…` record of an auditd event. */
function execveFromLog(log: string | undefined): string[] | undefined {
  if (!log) return undefined;
  const at = log.indexOf('type=EXECVE');
  if (at < 0) return undefined;
  const end = log.indexOf(' type=', at + 11);
  const record = log.slice(at, end < 0 ? undefined : end);
  const argc = /\bargc=(\d+)/.exec(record);
  const out: string[] = [];
  for (const m of record.matchAll(/\ba(\d+)=("(?:[^"]*)"|[0-9A-Fa-f]+|\(null\))/g)) {
    const i = Number(m[1]);
    if (i !== out.length || i >= 4096) break;
    out.push(decodeAuditArg(m[2]));
  }
  if (argc && Number(argc[1]) !== out.length) return out.length ? out : undefined;
  return out.length ? out : undefined;
}

function joinArgv(argv: string[]): string {
  return argv.map((a) => (a === '' || /[\s"'\\]/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

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
      argv.push(decodeAuditArg(a));
    }
    // The decoder keeps a0–a3 only; the EXECVE record in full_log has them all.
    const fullArgv = execveFromLog(str(record, 'full_log'));
    const commandArgv = fullArgv && fullArgv.length >= argv.length ? fullArgv : argv;
    const tty = str(record, 'data.audit.tty');
    alert.process = {
      name: str(record, 'data.audit.command', 'predecoder.program_name'),
      path: str(record, 'data.audit.exe'),
      commandLine: commandArgv.length > 0 ? joinArgv(commandArgv) : undefined,
      pid: str(record, 'data.audit.pid'),
      uid: str(record, 'data.audit.euid', 'data.audit.uid'),
      user: str(record, 'data.audit.euser', 'data.audit.user'),
      tty: tty ? tty !== '(none)' && tty !== '' : undefined,
      loginUid: str(record, 'data.audit.auid'),
      ancestors: lineage(proc({ pid: str(record, 'data.audit.ppid') })),
    };
    const watched = str(record, 'data.audit.file.name');
    if (watched) alert.file = { path: watched };

    // File integrity monitoring: who-data names the writing process and its parent.
    const fim = isRecord(record.syscheck) ? record.syscheck : undefined;
    if (fim) {
      const path = str(fim, 'path');
      if (path) alert.file = { path, name: path.split('/').pop(), hash: str(fim, 'sha256_after') };
      const writer = str(fim, 'audit.process.name');
      if (writer) {
        alert.process = {
          name: writer.split('/').pop(),
          path: writer.startsWith('/') ? writer : undefined,
          pid: str(fim, 'audit.process.id'),
          user: str(fim, 'audit.effective_user.name', 'audit.user.name'),
          uid: str(fim, 'audit.effective_user.id', 'audit.user.id'),
          ancestors: lineage(proc({ pid: str(fim, 'audit.process.ppid'), path: str(fim, 'audit.process.parent_name'), name: str(fim, 'audit.process.parent_name')?.split('/').pop() })),
        };
      }
    }
    // sudo and other authentication records: the command run and who ran it.
    if (!alert.process.commandLine && str(record, 'data.command')) {
      alert.process.commandLine = str(record, 'data.command');
      alert.process.user ??= str(record, 'data.dstuser');
    }

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
    'process.*': 'data.audit.exe, command, execve.a0… (all arguments from the EXECVE record in full_log), pid, euid, tty, auid (login uid) | syscheck.audit.process.{name,id} | data.command',
    'process.ancestors': 'data.audit.ppid | syscheck.audit.process.{ppid,parent_name}',
    file: 'data.audit.file.name | syscheck.path, sha256_after',
    network: 'data.srcip, srcport, dstip, dstport, protocol',
  },
};
