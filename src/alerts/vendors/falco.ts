/**
 * Falco JSON output (json_output: true) and Falcosidekick payloads: {time, rule, priority, source, hostname, output,
 * tags, output_fields{…}, uuid}. output_fields keys are dotted ("proc.cmdline", "k8s.ns.name", "proc.aname[2]");
 * Falcosidekick's Elasticsearch output may have rewritten "." to "_". evt.time is epoch nanoseconds (an integer
 * beyond 2^53, which the readers keep as a string).
 *
 * Which output_fields appear depends on the Falco version and rule set; older alerts carry container and
 * Kubernetes fields only in the output text, which is read as a fallback. `hostname` may be a node name or the
 * Falco DaemonSet pod's name. container.id "host" means the event did not come from a container.
 * The k8saudit source (ka.* fields) describes Kubernetes API requests and fills apiRequest.
 */
import { normalizeSeverity } from '../fields.js';
import type { Alert, AlertSource, ProcessInfo } from '../model.js';
import { RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { addMitre, bool, clean, finish, ip, ips, isRecord, newAlert, present, proc, str, strs, stripRuntime, time, toPort } from './common.js';

const ID = 'falco';

/** A field of output_fields by its Falco name, also under Falcosidekick's "_" spelling. */
function fieldReader(fields: RawRecord): (...names: string[]) => string | undefined {
  const underscored = !Object.keys(fields).some((k) => k.includes('.'));
  return (...names) => {
    for (const name of names) {
      const v = clean(fields[underscored ? name.replace(/\./g, '_') : name]);
      if (v !== undefined) return v;
    }
    return undefined;
  };
}

/** `key=value` in the output text, per key: built once. */
const OUTPUT_KEY_PATTERNS = new Map<string, RegExp>();
function outputKeyPattern(key: string): RegExp {
  let pattern = OUTPUT_KEY_PATTERNS.get(key);
  if (!pattern) OUTPUT_KEY_PATTERNS.set(key, (pattern = new RegExp(`(?:^|[\\s(])${key.replace(/[.[\]]/g, '\\$&')}=([^\\s)]+)`, 'g')));
  return pattern;
}

/**
 * The output text with the values output_fields gives for it taken out where they could carry a `key=value` of their
 * own (a command line, a file name): those are typed by whoever ran the process, not written by Falco.
 */
function falcoWrittenText(output: string | undefined, fields: RawRecord): string | undefined {
  if (!output) return undefined;
  let text = output;
  for (const value of Object.values(fields)) {
    if (typeof value === 'string' && value.includes('=') && text.includes(value)) text = text.split(value).join(' ');
  }
  return text;
}

/**
 * key=value pairs of the output text for single-token values (container_id=…, k8s.ns=…). A key the text gives two
 * different values (one of them typed into a command line the fields did not give) is read as neither.
 */
function outputValue(output: string | undefined, ...keys: string[]): string | undefined {
  if (!output) return undefined;
  for (const key of keys) {
    const values = new Set([...output.matchAll(outputKeyPattern(key))].map((m) => m[1]));
    if (values.size > 1) return undefined;
    const v = values.size === 1 ? clean([...values][0]) : undefined;
    if (v !== undefined) return v;
  }
  return undefined;
}

/** "10.0.19.42:38814->172.20.0.1:443" (IPv6 in brackets) → endpoints. */
export function parseFdName(name: string | undefined): { srcIp?: string; srcPort?: number; dstIp?: string; dstPort?: number } | undefined {
  if (!name || !name.includes('->')) return undefined;
  const [left, right] = name.split('->', 2);
  const endpoint = (s: string): { ip?: string; port?: number } => {
    const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(s.trim());
    return m ? { ip: ip(m[1]), port: toPort(m[2]) } : { ip: ip(s) };
  };
  const src = endpoint(left);
  const dst = endpoint(right);
  if (!src.ip && !dst.ip) return undefined;
  return { srcIp: src.ip, srcPort: src.port, dstIp: dst.ip, dstPort: dst.port };
}

function mapSyscall(f: ReturnType<typeof fieldReader>, fields: RawRecord, output: string | undefined, alert: Alert): void {
  const containerId = f('container.full_id', 'container.id') ?? outputValue(output, 'container_id', 'container.id');
  alert.container.id = containerId === 'host' ? undefined : stripRuntime(containerId);
  alert.container.name = f('container.name') ?? outputValue(output, 'container_name');
  const repository = f('container.image.repository');
  const tag = f('container.image.tag');
  alert.container.image = repository ? (tag ? `${repository}:${tag}` : repository) : f('container.image') ?? outputValue(output, 'container_image', 'image');
  alert.container.pod = f('k8s.pod.name') ?? outputValue(output, 'k8s_pod_name', 'k8s.pod');
  alert.container.namespace = f('k8s.ns.name') ?? outputValue(output, 'k8s_ns_name', 'k8s.ns');
  alert.container.podUid = f('k8s.pod.uid');
  alert.container.privileged = bool(fields, 'container.privileged', 'container_privileged');

  const tty = f('proc.tty');
  const ancestorNames: (ProcessInfo | undefined)[] = [];
  for (let n = 2; n <= 7; n++) ancestorNames.push(proc({ name: f(`proc.aname[${n}]`) }));
  const parent = proc({
    name: f('proc.pname'),
    path: f('proc.pexepath', 'proc.pexe'),
    commandLine: f('proc.pcmdline'),
    pid: f('proc.ppid'),
  });
  const ancestors: ProcessInfo[] = [parent ?? {}];
  for (const a of ancestorNames) {
    if (a === undefined) break;
    ancestors.push(a);
  }
  alert.process = {
    name: f('proc.name'),
    path: f('proc.exepath', 'proc.exe'),
    commandLine: f('proc.cmdline'),
    pid: f('proc.pid', 'thread.tid'),
    user: f('user.name'),
    uid: f('user.uid'),
    tty: tty === undefined ? undefined : tty !== '0',
    loginUid: f('user.loginuid'),
    ancestors,
  };
  // A process with no executable path but an absolute proc.exe is still a path.
  if (!alert.process.path && f('proc.exe')?.startsWith('/')) alert.process.path = f('proc.exe');

  const fdName = f('fd.name');
  const endpoints = parseFdName(fdName);
  const sip = ip(f('fd.sip'));
  const cip = ip(f('fd.cip'));
  if (endpoints || sip || cip || f('fd.rip')) {
    alert.network = {
      srcIp: endpoints?.srcIp ?? cip ?? ip(f('fd.lip')),
      srcPort: endpoints?.srcPort ?? toPort(f('fd.cport', 'fd.lport')),
      dstIp: endpoints?.dstIp ?? sip ?? ip(f('fd.rip')),
      dstPort: endpoints?.dstPort ?? toPort(f('fd.sport', 'fd.rport')),
      protocol: f('fd.l4proto')?.toLowerCase(),
    };
  } else if (fdName?.startsWith('/')) {
    alert.file = { path: fdName };
  }
}

function mapK8sAudit(f: ReturnType<typeof fieldReader>, fields: RawRecord, alert: Alert): void {
  const resource = f('ka.target.resource');
  const name = f('ka.target.name');
  const namespace = f('ka.target.namespace');
  const code = f('ka.response.code');
  alert.apiRequest = {
    user: f('ka.user.name'),
    groups: strs(fields, 'ka.user.groups'),
    verb: f('ka.verb'),
    resource,
    subresource: f('ka.target.subresource'),
    namespace,
    name,
    sourceIps: ips(fields['ka.sourceips'], fields['ka_sourceips']),
    userAgent: f('ka.useragent'),
    statusCode: code !== undefined && /^\d+$/.test(code) ? Number(code) : undefined,
    requestUri: f('ka.uri'),
  };
  if (resource === 'pods' && name) {
    alert.container.pod = name;
    alert.container.namespace = namespace;
  }
  // "kubectl exec" requests name the command run in the pod.
  const command = f('ka.uri.param[command]');
  if (command) alert.process.commandLine = command;
}

export const falco: VendorProfile = {
  id: ID,
  product: 'Falco (JSON output, Falcosidekick)',
  detect(record: RawRecord, _hints: DetectHints): number {
    const core = present(record, 'rule', 'priority', 'output');
    if (core === 3 && (isRecord(record.output_fields) || 'time' in record)) return 1;
    if (core >= 2 && isRecord(record.output_fields)) return 0.9;
    if (core === 3) return 0.8;
    return 0;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    const rule = str(record, 'rule');
    if (!rule) throw new RecordError('not a Falco alert: no "rule"');
    const fields = isRecord(record.output_fields) ? record.output_fields : {};
    const f = fieldReader(fields);
    const output = str(record, 'output');
    const alert = newAlert(record, source, ID);
    alert.id = str(record, 'uuid') ?? alert.id;
    alert.time = time(record, options, 'time') ?? time(fields, options, 'evt.time', 'evt.time.iso8601', 'evt_time');
    alert.title = rule;
    alert.description = output;
    alert.severity = normalizeSeverity(str(record, 'priority'));
    alert.action = 'detected';
    const tags = strs(record, 'tags');
    addMitre(alert, tags, tags.filter((t) => t.toLowerCase().startsWith('mitre_')));
    alert.host.name = str(record, 'hostname');
    const sourceName = str(record, 'source') ?? 'syscall';
    if (/k8s_?audit/i.test(sourceName) || Object.keys(fields).some((k) => k.startsWith('ka.') || k.startsWith('ka_'))) mapK8sAudit(f, fields, alert);
    else mapSyscall(f, fields, falcoWrittenText(output, fields), alert);
    // Falcosidekick's "customfields" (e.g. a cluster name) arrive as extra output_fields.
    alert.cluster = f('k8s.cluster.name', 'cluster', 'cluster_name');
    return finish(alert);
  },
  fields: {
    id: 'uuid (Falcosidekick)',
    time: 'time | output_fields["evt.time"] (epoch ns)',
    title: 'rule',
    description: 'output',
    severity: 'priority',
    action: '(always detected: Falco only detects)',
    'tactics/techniques': 'tags (T1059.004, TA0003, mitre_execution)',
    'host.name': 'hostname (node name, or the Falco pod name)',
    'container.id': 'container.full_id | container.id ("host" = not in a container)',
    'container.name/image': 'container.name | container.image.repository:tag',
    'container.pod/namespace/podUid': 'k8s.pod.name | k8s.ns.name | k8s.pod.uid (or k8s_pod_name=… in output)',
    'container.privileged': 'container.privileged',
    'process.name/path/commandLine/pid': 'proc.name | proc.exepath | proc.cmdline | proc.pid',
    'process.user/uid/tty': 'user.name | user.uid | proc.tty (non-zero = terminal)',
    'process.loginUid': 'user.loginuid (-1 = no login session)',
    'process.ancestors': 'proc.pname, proc.pexepath, proc.pcmdline, proc.ppid, proc.aname[2..7]',
    network: 'fd.name (ip:port->ip:port) | fd.sip, fd.cip, fd.sport, fd.cport, fd.rport, fd.l4proto',
    'file.path': 'fd.name when it is a path',
    apiRequest: 'ka.user.name, ka.verb, ka.target.{resource,subresource,namespace,name}, ka.uri, ka.uri.param[command], ka.sourceips, ka.response.code',
  },
};
