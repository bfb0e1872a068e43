/**
 * Sysdig Secure runtime events (events API / event forwarder): {id, timestamp (epoch ns), timestampRFC3339Nano,
 * severity 0–7 (0–3 high, 4–5 medium, 6 low, 7 info), name (policy), containerId, content{ruleName, ruleTags,
 * output, fields{proc.*, user.*, container.*} as strings}, labels{"host.hostName", "kubernetes.*", cloud ids},
 * actions[]}. Labels are flat dotted keys. The node name is labels["host.hostName"]; the cloud instance name
 * (azure.instanceName "…vmss_1") is not the node name.
 */
import type { Alert, AlertAction, AlertSource, Severity } from '../model.js';
import { RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { addMitre, bool, clean, finish, ip, isRecord, lineage, newAlert, num, objects, present, proc, str, strs, stripRuntime, time } from './common.js';
import { parseFdName } from './falco.js';

const ID = 'sysdig';

function severity(value: number | undefined): Severity {
  if (value === undefined) return 'unknown';
  if (value <= 3) return 'high';
  if (value <= 5) return 'medium';
  if (value === 6) return 'low';
  return 'informational';
}

function action(actions: RawRecord[]): AlertAction {
  const done = actions.filter((a) => bool(a, 'successful') === true).map((a) => (str(a, 'type') ?? '').toUpperCase());
  if (done.some((t) => t.includes('KILL'))) return 'killed';
  if (done.some((t) => t.includes('STOP') || t.includes('PAUSE'))) return 'blocked';
  return 'detected';
}

const OUTPUT_ANCESTOR_KEYS: Readonly<Record<string, number>> = { gparent: 2, ggparent: 3, gggparent: 4 };
const OUTPUT_ANCESTOR = /(?:^|[\s(])(g{1,3}parent)=(\S+)/g;

/**
 * The grandparents Sysdig's managed rules print in their output (`proc.pname=pwsh gparent=containerd-shim
 * ggparent=<NA>`) but not in content.fields. The output also carries the command lines, which anyone can fill with
 * `gparent=…`: a key seen more than once is ambiguous and not read at all.
 */
function ancestorsFromOutput(output: string | undefined): Record<number, string | undefined> {
  const out: Record<number, string | undefined> = {};
  if (!output || !output.includes('parent=')) return out;
  const seen = new Map<number, string[]>();
  for (const m of output.matchAll(OUTPUT_ANCESTOR)) {
    const n = OUTPUT_ANCESTOR_KEYS[m[1]];
    const list = seen.get(n) ?? [];
    list.push(m[2].replace(/\)$/, ''));
    seen.set(n, list);
  }
  for (const [n, values] of seen) if (values.length === 1 && values[0] !== '<NA>' && values[0] !== '') out[n] = values[0];
  return out;
}

export const sysdig: VendorProfile = {
  id: ID,
  product: 'Sysdig Secure (runtime policy events)',
  detect(record: RawRecord, _hints: DetectHints): number {
    const content = isRecord(record.content) ? record.content : undefined;
    if (content && present(content, 'ruleName', 'ruleType', 'fields', 'policyOrigin') >= 2) return 1;
    if (present(record, 'timestampRFC3339Nano', 'machineId', 'agentId', 'originator', 'containerId') >= 3) return 0.8;
    return 0;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    const content = isRecord(record.content) ? record.content : undefined;
    if (!content && !str(record, 'name')) throw new RecordError('not a Sysdig event: no content or name');
    const fields = content && isRecord(content.fields) ? content.fields : {};
    const labels = isRecord(record.labels) ? record.labels : {};
    const f = (...keys: string[]): string | undefined => {
      for (const k of keys) {
        const v = clean(fields[k]);
        if (v !== undefined) return v;
      }
      return undefined;
    };
    const l = (...keys: string[]): string | undefined => {
      for (const k of keys) {
        const v = clean(labels[k]);
        if (v !== undefined) return v;
      }
      return undefined;
    };
    const alert = newAlert(record, source, ID);
    alert.id = str(record, 'id') ?? alert.id;
    alert.time = time(record, options, 'timestampRFC3339Nano', 'timestamp');
    alert.title = (content ? str(content, 'ruleName') : undefined) ?? str(record, 'name') ?? 'Sysdig event';
    alert.description = (content ? str(content, 'output') : undefined) ?? str(record, 'description');
    alert.severity = severity(num(record, 'severity'));
    alert.action = action(objects(record.actions));
    const tags = content ? strs(content, 'ruleTags') : [];
    addMitre(alert, tags, tags.filter((t) => /^MITRE_TA\d{4}_/i.test(t)).map((t) => t.replace(/^MITRE_TA\d{4}_/i, '')));

    alert.host.name = l('host.hostName', 'host.hostname', 'kubernetes.node.name');
    alert.host.instanceId = l('aws.instanceId', 'gcp.instanceId', 'azure.instanceId');
    alert.cluster = l('kubernetes.cluster.name');
    // A host process is reported with containerId "host".
    const containerId = str(record, 'containerId') ?? f('container.id');
    alert.container.id = containerId === 'host' ? undefined : stripRuntime(containerId);
    alert.container.name = f('container.name') ?? l('container.name', 'kubernetes.container.name');
    alert.container.image = f('container.image', 'container.image.repository') ?? l('container.image.repo', 'container.image');
    alert.container.pod = l('kubernetes.pod.name');
    alert.container.namespace = l('kubernetes.namespace.name');

    const tty = f('proc.tty');
    const outputAncestors = content ? ancestorsFromOutput(str(content, 'output')) : {};
    alert.process = {
      name: f('proc.name'),
      path: f('proc.exepath', 'proc.exe'),
      commandLine: f('proc.cmdline'),
      pid: f('proc.pid'),
      user: f('user.name'),
      uid: f('user.uid'),
      tty: tty === undefined ? undefined : tty !== '0',
      ancestors: lineage(
        proc({ name: f('proc.pname'), commandLine: f('proc.pcmdline'), pid: f('proc.ppid'), path: f('proc.pexepath') }),
        // Falco's ancestor names, when the rule's output lists them (proc.aname[2] is the grandparent).
        // Sysdig's managed rules print them only in the output text (gparent=… ggparent=… gggparent=…).
        ...[2, 3, 4, 5, 6, 7].map((n) => proc({ name: f(`proc.aname[${n}]`) ?? outputAncestors[n] })),
      ),
    };
    alert.container.privileged = f('container.privileged') === undefined ? undefined : f('container.privileged') === 'true';
    if (alert.container.privileged === undefined) delete alert.container.privileged;

    // content.fields are Falco fields: fd.name is a connection (ip:port->ip:port) or a file path.
    const fdName = f('fd.name');
    const endpoints = parseFdName(fdName);
    const sip = ip(f('fd.sip'));
    if (endpoints || sip) {
      alert.network = {
        srcIp: endpoints?.srcIp ?? ip(f('fd.cip')),
        srcPort: endpoints?.srcPort,
        dstIp: endpoints?.dstIp ?? sip,
        dstPort: endpoints?.dstPort ?? (f('fd.sport') && /^\d+$/.test(f('fd.sport')!) ? Number(f('fd.sport')) : undefined),
        domain: f('fd.sip.name'),
        protocol: f('fd.l4proto')?.toLowerCase(),
      };
    } else if (fdName?.startsWith('/')) {
      alert.file = { path: fdName };
    }
    return finish(alert);
  },
  fields: {
    id: 'id',
    time: 'timestampRFC3339Nano | timestamp (epoch ns)',
    title: 'content.ruleName | name (policy)',
    description: 'content.output',
    severity: 'severity (0–3 high, 4–5 medium, 6 low, 7 info)',
    action: 'actions[] successful KILL → killed, STOP/PAUSE → blocked; else detected',
    'tactics/techniques': 'content.ruleTags (MITRE_TA0002_execution, MITRE_T1059_…)',
    'host.name/instanceId': 'labels["host.hostName"], labels["<cloud>.instanceId"]',
    cluster: 'labels["kubernetes.cluster.name"]',
    'container.id/name/image': 'containerId, content.fields["container.name"], ["container.image.repository"]',
    'container.pod/namespace': 'labels["kubernetes.pod.name"], labels["kubernetes.namespace.name"]',
    'process.*': 'content.fields proc.name, proc.exepath, proc.cmdline, proc.pid, user.name, user.uid',
    'process.ancestors': 'content.fields proc.pname, proc.pcmdline, proc.ppid, proc.aname[2..7] (else gparent=/ggparent=/gggparent= in content.output)',
    network: 'content.fields fd.name (ip:port->ip:port) | fd.sip, fd.cip, fd.sport; fd.sip.name as the domain',
    'file.path': 'content.fields fd.name when it is a path',
    'container.privileged': 'content.fields container.privileged',
  },
};
