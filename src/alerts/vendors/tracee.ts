/**
 * Aqua Tracee JSON events and signature findings: {timestamp (epoch ns), processName, processId / hostProcessId,
 * parentProcessId / hostParentProcessId, userId, hostName, executable.path, container{id,name,image} +
 * kubernetes{podName,podNamespace,podUID} (newer) or containerId/containerName/containerImage/podName/podNamespace/
 * podUID at the top level (older), eventName, args[{name,type,value}], metadata{Description, Properties{Severity,
 * "MITRE ATT&CK", signatureName, external_id}} for signatures}. Pids are the host's view (hostProcessId) when given.
 */
import { baseName } from '../fields.js';
import type { Alert, AlertSource, Severity } from '../model.js';
import { RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { addMitre, clean, finish, isRecord, lineage, newAlert, num, objects, present, proc, str, strs, stripRuntime, time } from './common.js';

const ID = 'tracee';
const SEVERITIES: Severity[] = ['informational', 'low', 'medium', 'high', 'critical'];

/**
 * A plain event (no signature) says what happened only with the policy that selected it and its arguments:
 * `packet-sockets: security_socket_create (AF_PACKET, SOCK_RAW)`, as Tetragon's titles name their policy.
 */
function plainEventTitle(record: RawRecord, eventName: string, args: RawRecord[]): string {
  const policies = Array.isArray(record.matchedPolicies) ? record.matchedPolicies.filter((p): p is string => typeof p === 'string' && p !== '') : [];
  const family = argValue(args, 'family');
  const type = argValue(args, 'type');
  const socket = typeof family === 'string' && family.startsWith('AF_') ? ` (${[family, typeof type === 'string' ? type : undefined].filter(Boolean).join(', ')})` : '';
  return `${policies.length ? `${policies.join(', ')}: ` : ''}${eventName}${socket}`;
}

function argValue(args: RawRecord[], name: string): unknown {
  return args.find((a) => a.name === name)?.value;
}

export const tracee: VendorProfile = {
  id: ID,
  product: 'Aqua Tracee (JSON events and signatures)',
  detect(record: RawRecord, _hints: DetectHints): number {
    const core = present(record, 'eventName', 'processName', 'hostProcessId', 'mountNamespace', 'pidNamespace', 'threadId', 'matchedPolicies', 'argsNum');
    return core >= 4 ? 1 : core >= 3 ? 0.7 : 0;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    const eventName = str(record, 'eventName');
    if (!eventName) throw new RecordError('not a Tracee event: no eventName');
    const metadata = isRecord(record.metadata) ? record.metadata : {};
    const properties = isRecord(metadata.Properties) ? metadata.Properties : {};
    // A signature event carries the event that triggered it in args[triggeredBy]; its args describe what happened.
    const ownArgs = objects(record.args);
    const trigger = argValue(ownArgs, 'triggeredBy');
    const args = isRecord(trigger) ? [...ownArgs, ...objects(trigger.args)] : ownArgs;
    const alert = newAlert(record, source, ID);
    alert.time = time(record, options, 'timestamp');
    alert.title = str(properties, 'signatureName') ?? str(metadata, 'Description') ?? plainEventTitle(record, eventName, args);
    alert.description = str(metadata, 'Description');
    const level = num(properties, 'Severity');
    alert.severity = level !== undefined && Number.isInteger(level) && level >= 0 ? SEVERITIES[Math.min(level, 4)] : 'unknown';
    alert.action = 'detected';
    addMitre(alert, strs(properties, 'external_id', 'Technique', 'MITRE ATT&CK'), strs(properties, 'Category', 'MITRE ATT&CK').map((t) => t.split(':')[0]));

    alert.host.name = str(record, 'hostName');
    alert.container.id = stripRuntime(str(record, 'container.id', 'containerId'));
    alert.container.name = str(record, 'container.name', 'containerName');
    alert.container.image = str(record, 'container.image', 'containerImage');
    alert.container.pod = str(record, 'kubernetes.podName', 'podName');
    alert.container.namespace = str(record, 'kubernetes.podNamespace', 'podNamespace');
    alert.container.podUid = str(record, 'kubernetes.podUID', 'podUID');

    const argv = argValue(args, 'argv');
    const commandLine = Array.isArray(argv) ? argv.map((a) => clean(a) ?? '').join(' ').trim() || undefined : undefined;
    const pathname = clean(argValue(args, 'pathname'));
    const isExec = eventName === 'execve' || eventName === 'sched_process_exec' || eventName === 'execveat';
    // An execve event is reported by the calling process; the program it starts is in the arguments.
    alert.process = {
      name: isExec && pathname ? baseName(pathname) : str(record, 'processName'),
      path: isExec && pathname ? pathname : str(record, 'executable.path'),
      commandLine,
      pid: str(record, 'hostProcessId', 'processId'),
      uid: str(record, 'userId'),
      ancestors: lineage(proc({ pid: str(record, 'hostParentProcessId', 'parentProcessId') })),
    };
    if (pathname && !isExec) alert.file = { path: pathname };
    // A rename (security_inode_rename, rename/renameat2): the file is where it lands.
    const renamedTo = clean(argValue(args, 'new_path') ?? argValue(args, 'newpath'));
    if (!alert.file && renamedTo) alert.file = { path: renamedTo };
    // security_socket_connect / connect: the peer as a sockaddr.
    const remote = argValue(args, 'remote_addr') ?? argValue(args, 'addr');
    if (isRecord(remote)) {
      const dstIp = str(remote, 'sin_addr', 'sin6_addr');
      const dstPort = num(remote, 'sin_port', 'sin6_port');
      if (dstIp) alert.network = { dstIp, dstPort: dstPort !== undefined && Number.isInteger(dstPort) ? dstPort : undefined, protocol: 'tcp' };
    }
    return finish(alert);
  },
  fields: {
    time: 'timestamp (epoch ns)',
    title: 'metadata.Properties.signatureName | metadata.Description | matchedPolicies: eventName (socket family, type)',
    severity: 'metadata.Properties.Severity (0 info … 3 high, 4 critical)',
    action: '(detected)',
    'tactics/techniques': 'metadata.Properties.external_id, "MITRE ATT&CK", Category',
    'host.name': 'hostName',
    'container.id/name/image': 'container.id | containerId, container.name, container.image',
    'container.pod/namespace/podUid': 'kubernetes.podName | podName, kubernetes.podNamespace, kubernetes.podUID',
    'process.*': 'processName, executable.path, args argv, hostProcessId | processId, userId',
    'process.ancestors': 'hostParentProcessId | parentProcessId',
    'file.path': 'args pathname (non-exec events; signatures: args.triggeredBy.args) | new_path of a rename',
    'network.dstIp/dstPort': 'args remote_addr {sin_addr|sin6_addr, sin_port|sin6_port}',
  },
};
