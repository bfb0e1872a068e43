/**
 * Cilium Tetragon events (export file, `tetra getevents -o json`): one top-level key per event kind
 * (process_exec, process_kprobe, process_tracepoint, process_lsm, process_uprobe, process_exit) holding
 * {process{binary, arguments, pid, uid, cwd, start_time, pod{namespace, name, container{id "containerd://<64hex>",
 * name, image{name}}}}, parent{…}, function_name, args[], action, policy_name}, plus node_name and time.
 * The "docker" field is a truncated container id and is only used when the pod block is missing.
 */
import type { Alert, AlertAction, AlertSource, ProcessInfo } from '../model.js';
import { NotAnAlert, RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { bool, finish, ip, isRecord, newAlert, objects, port, proc, str, stripRuntime, time } from './common.js';

const ID = 'tetragon';
const EVENT_KINDS = ['process_kprobe', 'process_tracepoint', 'process_lsm', 'process_uprobe', 'process_exec', 'process_exit', 'process_loader'];

function eventOf(record: RawRecord): { kind: string; body: RawRecord } | undefined {
  for (const kind of EVENT_KINDS) {
    const body = record[kind];
    if (isRecord(body)) return { kind, body };
  }
  return undefined;
}

function processFrom(p: RawRecord | undefined, options: MapOptions | undefined): ProcessInfo | undefined {
  if (!p) return undefined;
  const binary = str(p, 'binary');
  const args = str(p, 'arguments');
  return proc({
    path: binary,
    commandLine: binary ? (args ? `${binary} ${args}` : binary) : undefined,
    pid: str(p, 'pid'),
    uid: str(p, 'uid'),
    startTime: time(p, options, 'start_time') ?? undefined,
  });
}

/** A string argument that is an absolute path (a file name passed to the hooked call), or undefined. */
function absolutePath(value: string | undefined): string | undefined {
  return value && value.startsWith('/') && !/\s/.test(value) ? value : undefined;
}

function action(value: string | undefined, kind: string): AlertAction {
  if (!value) return 'detected';
  const v = value.toUpperCase();
  if (v.includes('SIGKILL')) return 'killed';
  if (v.includes('OVERRIDE') || v.includes('DENY') || v.includes('NOTIFYENFORCER')) return 'blocked';
  return kind === 'process_exit' ? 'unknown' : 'detected';
}

export const tetragon: VendorProfile = {
  id: ID,
  product: 'Cilium Tetragon (JSON events)',
  detect(record: RawRecord, _hints: DetectHints): number {
    const event = eventOf(record);
    if (!event) return 0;
    return isRecord(event.body.process) ? 1 : 0.7;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    const event = eventOf(record);
    if (!event) {
      if (Object.keys(record).some((k) => k.startsWith('process_') || k === 'node_name')) throw new NotAnAlert('Tetragon event of an unmapped kind');
      throw new RecordError('not a Tetragon event: no process_exec / process_kprobe / … key');
    }
    const { kind, body } = event;
    const process = isRecord(body.process) ? body.process : undefined;
    const parent = isRecord(body.parent) ? body.parent : undefined;
    const alert = newAlert(record, source, ID);
    alert.time = time(record, options, 'time') ?? time(process, options, 'start_time');
    const fn = str(body, 'function_name', 'event', 'subsys');
    const policy = str(body, 'policy_name');
    const binary = process ? str(process, 'binary') : undefined;
    alert.title = [policy, kind.replace(/^process_/, ''), fn ?? binary].filter(Boolean).join(': ');
    alert.action = action(str(body, 'action'), kind);
    alert.host.name = str(record, 'node_name');

    const pod = process && isRecord(process.pod) ? process.pod : undefined;
    if (pod) {
      alert.container.pod = str(pod, 'name');
      alert.container.namespace = str(pod, 'namespace');
      alert.container.id = stripRuntime(str(pod, 'container.id'));
      alert.container.name = str(pod, 'container.name');
      alert.container.image = str(pod, 'container.image.name');
      alert.container.privileged = bool(pod, 'container.security_context.privileged');
    } else if (process) {
      alert.container.id = str(process, 'docker');
    }
    const main = processFrom(process, options) ?? {};
    const parentInfo = processFrom(parent, options);
    alert.process = { ...main, ancestors: parentInfo ? [parentInfo] : [] };
    const cwd = process ? str(process, 'cwd') : undefined;
    if (cwd && alert.process.path && !alert.process.path.startsWith('/')) alert.process.path = `${cwd.replace(/\/$/, '')}/${alert.process.path}`;

    for (const arg of objects(body.args)) {
      // A syscall hook (sys_openat, sys_execve, …) gets the path as the string the caller passed.
      const file = str(arg, 'file_arg.path', 'path_arg.path', 'linux_binprm_arg.path') ?? absolutePath(str(arg, 'string_arg'));
      if (file && !alert.file) alert.file = { path: file };
      const sock = isRecord(arg.sock_arg) ? arg.sock_arg : isRecord(arg.sockaddr_arg) ? arg.sockaddr_arg : undefined;
      if (sock && !alert.network) {
        alert.network = {
          srcIp: ip(str(sock, 'saddr')),
          srcPort: port(sock, 'sport'),
          dstIp: ip(str(sock, 'daddr', 'addr')),
          dstPort: port(sock, 'dport', 'port'),
          protocol: str(sock, 'protocol')?.replace(/^IPPROTO_/, '').toLowerCase(),
        };
      }
    }
    return finish(alert);
  },
  fields: {
    time: 'time | process.start_time',
    title: 'policy_name: event kind: function_name | binary',
    action: 'process_kprobe.action (KPROBE_ACTION_SIGKILL → killed, _OVERRIDE → blocked, else detected)',
    'host.name': 'node_name',
    'container.id/name/image': 'process.pod.container.id (runtime prefix removed), .name, .image.name | process.docker',
    'container.pod/namespace': 'process.pod.name, process.pod.namespace',
    'process.path/commandLine/pid/uid': 'process.binary, binary + arguments, pid, uid',
    'process.ancestors': 'parent{binary, arguments, pid, uid}',
    'file.path': 'args[].file_arg.path | path_arg.path | linux_binprm_arg.path | the first absolute-path string_arg',
    network: 'args[].sock_arg {saddr, sport, daddr, dport, protocol}',
  },
};
