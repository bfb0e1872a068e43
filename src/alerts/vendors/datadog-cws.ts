/**
 * Datadog Cloud Security Management Threats (Workload Protection, formerly CWS). Two shapes:
 *  - the agent's event JSON as forwarded or exported from logs: {agent{rule_id, rule_actions[]}, evt{name, category,
 *    outcome}, date, title, process{pid, ppid, comm, executable{path,name}, argv0, args, tty, credentials{user,uid},
 *    parent{…}, ancestors[], container{id}}, container{id}, network{source, destination}, dns, connect};
 *  - a security signal from the API: {id, type: "signal", attributes{timestamp, host, tags["kube_namespace:…",
 *    "pod_name:…"], custom|attributes{<the agent event>, title, status, workflow{rule{name}}}}}.
 * The agent schema has no pod or namespace field; Kubernetes context comes from the signal's tags when present.
 */
import { normalizeSeverity } from '../fields.js';
import type { Alert, AlertAction, AlertSource, ProcessInfo } from '../model.js';
import { RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { addMitre, finish, ip, isRecord, newAlert, objects, port, proc, str, strs, stripRuntime, time } from './common.js';

const ID = 'datadog-cws';

interface Parts {
  event: RawRecord;
  signal?: RawRecord;
}

function parts(record: RawRecord): Parts | undefined {
  const attributes = isRecord(record.attributes) ? record.attributes : undefined;
  // the v2 signals API puts the agent event under attributes.custom; older answers and exports under attributes.attributes
  for (const key of ['custom', 'attributes']) {
    const inner = attributes && isRecord(attributes[key]) ? attributes[key] : undefined;
    if (inner && (isRecord(inner.agent) || isRecord(inner.evt))) return { event: inner, signal: attributes };
  }
  if (attributes && (isRecord(attributes.agent) || isRecord(attributes.evt))) return { event: attributes, signal: attributes };
  if (isRecord(record.agent) && isRecord(record.evt)) return { event: record };
  if (isRecord(record.agent) && str(record, 'agent.rule_id') && isRecord(record.process)) return { event: record };
  return undefined;
}

/** "kube_namespace:shop" style tags as a map (first value wins). */
function tagMap(tags: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of tags) {
    const i = t.indexOf(':');
    if (i > 0 && !out.has(t.slice(0, i))) out.set(t.slice(0, i), t.slice(i + 1));
  }
  return out;
}

function processFrom(p: unknown): ProcessInfo | undefined {
  if (!isRecord(p)) return undefined;
  const args = strs(p, 'args');
  const argv0 = str(p, 'argv0');
  const argv = argv0 ? [argv0, ...args] : args;
  return proc({
    name: str(p, 'executable.name', 'comm'),
    path: str(p, 'executable.path', 'file.path'),
    commandLine: argv.length > 0 ? argv.join(' ') : undefined,
    pid: str(p, 'pid'),
    user: str(p, 'credentials.user', 'user'),
    uid: str(p, 'credentials.uid', 'uid'),
  });
}

function action(event: RawRecord): AlertAction {
  const actions = objects(event.agent && isRecord(event.agent) ? event.agent.rule_actions : undefined);
  if (actions.some((a) => isRecord(a.kill) || /kill/i.test(str(a, 'name', 'type') ?? ''))) return 'killed';
  const outcome = str(event, 'evt.outcome');
  if (outcome && /denied|blocked|refused/i.test(outcome)) return 'blocked';
  return 'detected';
}

export const datadogCws: VendorProfile = {
  id: ID,
  product: 'Datadog Workload Protection / CWS (agent events and security signals)',
  detect(record: RawRecord, _hints: DetectHints): number {
    const p = parts(record);
    if (!p) return 0;
    return str(p.event, 'agent.rule_id') ? 1 : 0.7;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    const p = parts(record);
    if (!p) throw new RecordError('not a Datadog CWS event: expected agent.rule_id and evt');
    const { event, signal } = p;
    const tags = tagMap([...strs(signal ?? {}, 'tags'), ...strs(record, 'tags'), ...strs(event, 'tags')]);
    const alert = newAlert(record, source, ID);
    alert.id = str(record, 'id') ?? str(event, 'evt.id') ?? alert.id;
    alert.time = time(signal ?? {}, options, 'timestamp') ?? time(event, options, 'date', 'timestamp', '@timestamp');
    alert.title = str(event, 'title', 'workflow.rule.name') ?? (signal ? str(signal, 'title', 'message') : undefined) ?? str(event, 'agent.rule_id') ?? 'Datadog CWS signal';
    alert.description = signal ? str(signal, 'message') : undefined;
    alert.severity = normalizeSeverity(str(event, 'status') ?? (signal ? str(signal, 'status') : undefined));
    alert.action = action(event);
    addMitre(alert, [...tags.keys()].flatMap((k) => (k.startsWith('technique') ? [tags.get(k) ?? ''] : [])), [...tags.keys()].flatMap((k) => (k === 'tactic' ? [tags.get(k) ?? ''] : [])));

    alert.host.name = (signal ? str(signal, 'host') : undefined) ?? str(event, 'host', 'hostname') ?? tags.get('host') ?? tags.get('kube_node');
    alert.cluster = tags.get('kube_cluster_name') ?? tags.get('cluster_name');
    alert.container.id = stripRuntime(str(event, 'container.id', 'process.container.id') ?? tags.get('container_id'));
    alert.container.name = tags.get('container_name') ?? tags.get('kube_container_name');
    const image = tags.get('image_name');
    const tag = tags.get('image_tag');
    alert.container.image = image ? (tag ? `${image}:${tag}` : image) : undefined;
    alert.container.pod = tags.get('pod_name');
    alert.container.namespace = tags.get('kube_namespace');
    alert.container.cgroupPath = str(event, 'cgroup.id', 'process.cgroup.id');

    const processRecord = isRecord(event.process) ? event.process : undefined;
    const main = processFrom(processRecord) ?? {};
    const ancestorRecords = processRecord ? objects(processRecord.ancestors) : [];
    const ancestors = (ancestorRecords.length > 0 ? ancestorRecords : processRecord && isRecord(processRecord.parent) ? [processRecord.parent] : []).map((a) => processFrom(a) ?? {});
    if (ancestors.length === 0 && processRecord && str(processRecord, 'ppid')) ancestors.push({ pid: str(processRecord, 'ppid') });
    alert.process = { ...main, ancestors };
    const tty = processRecord ? str(processRecord, 'tty') : undefined;
    if (tty !== undefined) alert.process.tty = tty !== '' && tty !== 'null';

    const file = str(event, 'file.path');
    if (file && event.file !== processRecord?.file) alert.file = { path: file, name: str(event, 'file.name') };
    const srcIp = ip(str(event, 'network.source.ip'));
    const dstIp = ip(str(event, 'network.destination.ip', 'connect.addr.ip'));
    const domain = str(event, 'dns.question.name');
    if (srcIp || dstIp || domain) {
      alert.network = {
        srcIp,
        srcPort: port(event, 'network.source.port'),
        dstIp,
        dstPort: port(event, 'network.destination.port', 'connect.addr.port'),
        protocol: str(event, 'network.l4_protocol', 'connect.protocol')?.toLowerCase(),
        domain,
      };
    }
    return finish(alert);
  },
  fields: {
    id: 'id (signal) | evt.id',
    time: 'attributes.timestamp | date',
    title: 'title | workflow.rule.name | agent.rule_id',
    severity: 'status',
    action: 'agent.rule_actions[] kill → killed | evt.outcome denied → blocked | detected',
    'host.name': 'attributes.host | host tag',
    cluster: 'kube_cluster_name tag',
    'container.id': 'container.id | process.container.id | container_id tag',
    'container.pod/namespace/name/image': 'pod_name, kube_namespace, container_name, image_name:image_tag tags',
    'process.*': 'process.executable.{path,name}, argv0 + args, pid, credentials.{user,uid}, tty',
    'process.ancestors': 'process.ancestors[] | process.parent | process.ppid',
    network: 'network.source/destination, connect.addr, dns.question.name',
  },
};
