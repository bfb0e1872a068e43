/**
 * Elastic Security alerts in ECS: Elastic Defend (endpoint) alerts, Defend for Containers (cloud_defend) alerts and
 * Kibana detection-engine alerts (kibana.alert.*). Keys may be nested objects, fully dotted, or dotted inside nested
 * objects ({"orchestrator":{"resource.name":…}}); getPath reads all three.
 * orchestrator.resource.name is a pod only when orchestrator.resource.type says "pod".
 */
import { normalizeSeverity } from '../fields.js';
import type { Alert, AlertAction, AlertSource, ProcessInfo } from '../model.js';
import { RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { addMitre, bool, finish, ip, ips, newAlert, objects, port, present, proc, str, strs, stripRuntime, time } from './common.js';
import { getPath } from '../fields.js';

const ID = 'elastic';

function processFrom(p: unknown, options: MapOptions | undefined): ProcessInfo | undefined {
  if (p === undefined) return undefined;
  const args = strs(p, 'args');
  return proc({
    name: str(p, 'name'),
    path: str(p, 'executable'),
    commandLine: str(p, 'command_line') ?? (args.length > 0 ? args.join(' ') : undefined),
    pid: str(p, 'pid'),
    user: str(p, 'user.name'),
    uid: str(p, 'user.id'),
    hash: str(p, 'hash.sha256', 'hash.sha1'),
    startTime: time(p, options, 'start') ?? undefined,
  });
}

/**
 * The object under `prefix`: nested ({"process":{…}}) when the record has it, otherwise gathered from flat dotted keys
 * ("process.parent.name" in a Kibana CSV report or a flattened export), so both shapes map the same way.
 */
function scope(record: RawRecord, prefix: string): unknown {
  const nested = getPath(record, prefix);
  if (nested !== null && typeof nested === 'object') return nested;
  const head = `${prefix}.`;
  let flat: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(record)) if (key.startsWith(head)) (flat ??= {})[key.slice(head.length)] = value;
  return flat;
}

function action(r: RawRecord): AlertAction {
  const responses = objects(getPath(r, 'Responses'));
  const succeeded = (name: RegExp): boolean =>
    responses.some((x) => name.test(str(x, 'action.action') ?? '') && (str(x, 'result') === undefined || str(x, 'result') === '0'));
  if (succeeded(/kill_process|kill/)) return 'killed';
  if (bool(r, 'file.Ext.quarantine_result') === true || succeeded(/quarantine/)) return 'quarantined';
  const types = strs(r, 'event.type');
  const eventAction = str(r, 'event.action');
  if (types.includes('denied') || eventAction === 'blocked' || eventAction === 'denied') return 'blocked';
  return 'detected';
}

export const elastic: VendorProfile = {
  id: ID,
  product: 'Elastic Security (ECS alerts: Elastic Defend, Defend for Containers, detection rules)',
  detect(record: RawRecord, _hints: DetectHints): number {
    if (str(record, 'kibana.alert.rule.name', 'kibana.alert.uuid', 'signal.rule.name')) return 1;
    const kind = str(record, 'event.kind');
    const ecs = present(record, 'ecs.version', 'agent.type', 'data_stream.dataset', 'elastic.agent.id', 'event.module', 'orchestrator');
    if ((kind === 'alert' || kind === 'signal') && ecs >= 1) return 1;
    if (kind === 'alert' || kind === 'signal') return 0.6;
    return 0;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    if (!str(record, 'event.kind', 'kibana.alert.uuid', 'kibana.alert.rule.name', '@timestamp')) throw new RecordError('not an ECS alert: no event.kind or @timestamp');
    const alert = newAlert(record, source, ID);
    alert.id = str(record, 'kibana.alert.uuid', 'event.id', '_id') ?? alert.id;
    alert.time = time(record, options, 'kibana.alert.original_time', '@timestamp', 'event.created', 'process.start');
    alert.title =
      str(record, 'kibana.alert.rule.name', 'rule.name', 'message') ??
      ([str(record, 'event.action'), strs(record, 'event.category').join('/'), str(record, 'process.name')].filter(Boolean).join(' ') || 'Elastic alert');
    alert.description = str(record, 'kibana.alert.reason', 'rule.description', 'message');
    const severityWord = normalizeSeverity(str(record, 'kibana.alert.severity'));
    alert.severity = severityWord !== 'unknown' ? severityWord : normalizeSeverity(str(record, 'event.severity', 'kibana.alert.risk_score', 'event.risk_score'));
    alert.action = action(record);
    const threats = objects(getPath(record, 'threat')).concat(objects(getPath(record, 'kibana.alert.rule.threat')));
    addMitre(
      alert,
      threats.flatMap((t) => [...strs(t, 'tactic.id'), ...objects(t.technique).flatMap((q) => [...strs(q, 'id'), ...objects(q.subtechnique).flatMap((s) => strs(s, 'id'))])]),
      threats.flatMap((t) => strs(t, 'tactic.name')),
    );

    alert.host.name = str(record, 'host.hostname', 'host.name');
    alert.host.ips = ips(getPath(record, 'host.ip'));
    alert.host.instanceId = str(record, 'cloud.instance.id');
    alert.cluster = str(record, 'orchestrator.cluster.name');
    alert.container.id = stripRuntime(str(record, 'container.id'));
    alert.container.name = str(record, 'container.name');
    const image = str(record, 'container.image.name');
    const tag = str(record, 'container.image.tag');
    alert.container.image = image ? (tag ? `${image}:${tag}` : image) : undefined;
    alert.container.namespace = str(record, 'orchestrator.namespace', 'kubernetes.namespace');
    const resourceType = str(record, 'orchestrator.resource.type')?.toLowerCase();
    alert.container.pod = resourceType === 'pod' ? str(record, 'orchestrator.resource.name') : str(record, 'kubernetes.pod.name');
    alert.container.podUid = str(record, 'kubernetes.pod.uid');

    const main = processFrom(scope(record, 'process'), options) ?? {};
    const parent = processFrom(scope(record, 'process.parent'), options);
    const grandparent = processFrom(scope(record, 'process.parent.parent'), options);
    alert.process = { ...main, ancestors: parent ? (grandparent ? [parent, grandparent] : [parent]) : [] };
    alert.process.user ??= str(record, 'user.name');
    alert.process.uid ??= str(record, 'user.id');
    if (getPath(record, 'process.tty') !== undefined) alert.process.tty = bool(record, 'process.tty') ?? true;
    // pid 0 with an empty executable is "no process" in endpoint malware alerts.
    if (alert.process.pid === '0' && !alert.process.path) delete alert.process.pid;

    const filePath = str(record, 'file.path');
    if (filePath) alert.file = { path: filePath, name: str(record, 'file.name'), hash: str(record, 'file.hash.sha256', 'file.hash.sha1') };
    const srcIp = ip(str(record, 'source.ip'));
    const dstIp = ip(str(record, 'destination.ip'));
    const domain = str(record, 'dns.question.name', 'destination.domain', 'url.domain');
    if (srcIp || dstIp || domain) {
      alert.network = {
        srcIp,
        srcPort: port(record, 'source.port'),
        dstIp,
        dstPort: port(record, 'destination.port'),
        protocol: str(record, 'network.transport')?.toLowerCase(),
        domain,
        url: str(record, 'url.full', 'url.original'),
        direction: str(record, 'network.direction'),
      };
    }
    return finish(alert);
  },
  fields: {
    id: 'kibana.alert.uuid | event.id',
    time: 'kibana.alert.original_time | @timestamp | event.created',
    title: 'kibana.alert.rule.name | rule.name | message',
    severity: 'kibana.alert.severity | event.severity | risk_score (0–100)',
    action: 'Responses[].action.action (kill_process) | file.Ext.quarantine_result | event.type "denied" | event.action "blocked"',
    'tactics/techniques': 'threat[].tactic.id, threat[].technique[].id',
    'host.name/ips/instanceId': 'host.hostname | host.name, host.ip[], cloud.instance.id',
    cluster: 'orchestrator.cluster.name',
    'container.id/name/image': 'container.id, container.name, container.image.name:tag',
    'container.pod/namespace': 'orchestrator.resource.name (when type is pod), orchestrator.namespace',
    'process.*': 'process.name, executable, command_line | args, pid, user.name, user.id',
    'process.ancestors': 'process.parent.*, process.parent.parent.*',
    network: 'source.ip/port, destination.ip/port, network.transport, dns.question.name, url.full',
  },
};
