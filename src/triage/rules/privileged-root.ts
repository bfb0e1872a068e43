import type { Evidence, Rule } from '../model.js';
import { containerArgv, entrypointMatches } from '../correlate.js';
import { NODE_NETWORK_ROLES, type NodeComponent } from '../../knowledge/components.js';
import type { ClusterIndex, Node, Pod } from '../../cluster/model.js';
import type { Alert } from '../../alerts/model.js';
import { baseName, splitCommandLine } from '../../alerts/fields.js';
import { benign, clip, componentOfPod, malicious, componentPodsOnNode, describePod, executableNames, GENERIC_PROGRAMS, isStagingPath, moduleLoaderOnNode, pathsIn, securityFacts, sessionOpenIn, type ComponentMatch, type SecurityFacts } from './support.js';
import { isContainerRuntimeProcess } from '../../knowledge/container-runtime.js';

/** Detections whose subject is the container's privilege or identity rather than a behaviour. */
/** Detections of what privileged system agents do by design (load eBPF or kernel modules, open raw sockets). */
const PRIVILEGE_BEHAVIOUR = /bpf|kernel|module|driver|raw[ -]sockets?|packet[ -]sockets?|AF_PACKET|SOCK_RAW|ptrace|capabilit/i;
const PRIVILEGE_TITLE = /privileged|root|sensitive (?:mount|file)|host ?(?:path|pid|network)|mount|setuid|capabilit|kernel module|ebpf|bpf|driver|high privileges|read sensitive/i;

/** Findings about how the container was started (its privilege, its host mounts), not about something its process did. */
const CONTAINER_PRIVILEGE_TITLE = /privileged|sensitive (?:volume )?mount|host ?(?:path|pid|network|ipc)|run as root|root user|high privileges/i;
/** A file read or write is behaviour: the daemon's role must explain the file, which this explanation does not look at. */
const FILE_ACCESS_TITLE = /\b(?:read|write|access|modif|open)/i;
/** Detections of reading logs: a log collector's job. */
const LOG_READ = /\blog files?\b|\bcontainer logs?\b|\/var\/log\//i;
/** Generic programs a component may list as its daemon (an entry script's shell): they name no component. */
const INTERPRETERS = new Set(['sh', 'bash', 'ash', 'dash', 'busybox', 'python', 'python3', 'perl', 'java', 'node']);

/** What each privileged capability looks like in a command line or a detection name. */
const ACTION_PATTERNS: Record<NonNullable<NodeComponent['hostPrivilegedActions']>[number], RegExp> = {
  mkfs: /\bmkfs/i,
  mount: /\bmount/i,
  nsenter: /\bnsenter/i,
  modprobe: /\b(?:modprobe|insmod)\b|kernel module/i,
  bpf: /\b(?:e?bpf)/i,
  chroot: /\bchroot/i,
  sysctl: /\bsysctl|kernel parameter/i,
};
const ACTION_PURPOSE: Record<keyof typeof ACTION_PATTERNS, string> = {
  mkfs: 'format volumes before their first mount',
  mount: 'mount volumes',
  nsenter: 'enter host namespaces',
  modprobe: 'load its kernel modules',
  bpf: 'load eBPF programs',
  chroot: 'work in the host filesystem',
  sysctl: 'set kernel parameters',
};

/** A path inside a container's host mount, as the host sees it (/rootfs/etc/x → /etc/x); host paths stay as they are. */
function hostFile(path: string, mounts: readonly { mountPath: string; hostPath: string }[]): string {
  const m = mounts.find((h) => h.mountPath !== '/' && (path === h.mountPath || path.startsWith(`${h.mountPath.replace(/\/$/, '')}/`)));
  return m ? `${m.hostPath.replace(/\/$/, '')}/${path.slice(m.mountPath.replace(/\/$/, '').length + 1)}`.replace(/^\/\//, '/') : path;
}

/** "hostPath /etc at /host/etc (read-only), …": once per container's list (node agents draw many alerts). */
function hostPathSetting(hostPaths: SecurityFacts['hostPaths']): string {
  let text = hostPathSettings.get(hostPaths);
  if (text === undefined) {
    text = `hostPath ${hostPaths.map((h) => `${h.hostPath} at ${h.mountPath}${h.readOnly ? ' (read-only)' : ''}`).join(', ')}`;
    hostPathSettings.set(hostPaths, text);
  }
  return text;
}
const hostPathSettings = new WeakMap<SecurityFacts['hostPaths'], string>();

/** The process is the confirmed component's daemon itself (not a tool it runs, not a generic interpreter). */
function isOwnDaemon(process: Parameters<typeof executableNames>[0], component: ReturnType<typeof componentOfPod>): boolean {
  if (component?.strength !== 'strong') return false;
  const names = executableNames(process);
  return names.some((n) => component.component.daemons.includes(n)) && !names.some((n) => INTERPRETERS.has(n));
}

/**
 * Paths under /proc that are process information (stat, status, cmdline), not another process's view of the host:
 * /proc/<pid>/root, cwd, environ, mem and fd reach the host's files, secrets and memory through hostPID.
 */
function readsProcessInformation(touched: readonly string[]): boolean {
  const proc = touched.filter((p) => /\/(?:host\/)?proc\//.test(p));
  return proc.length > 0 && proc.every((p) => !/\/proc\/(?:\d+|self|thread-self)\/(?:root|cwd|environ|mem|fd|map_files)(?:\/|$)/.test(p));
}

/** The process is one of the component's own programs other than a shell or CLI anyone runs (node-problem-detector lists sh). */
function ownDistinctProgram(alert: Alert, component: ComponentMatch): boolean {
  return component.strength === 'strong' && executableNames(alert.process).some((n) => !GENERIC_PROGRAMS.has(n) && (component.component.daemons.includes(n) || component.component.binaries.includes(n)));
}

export const privilegedRoot: Rule = {
  id: 'privileged-root',
  family: 'privileged-root',
  direction: 'both',
  description: '"Root on the host" that is a container running privileged, as UID 0, with hostPID or host mounts — explains who, combined with what the workload normally does',
  evaluate(ctx) {
    const { alert, correlation, index } = ctx;
    const { pod, container, node } = correlation.subject;
    if (!pod && node) {
      const writer = hostFileWriterOnNode(index, node, alert);
      if (writer) {
        return [
          benign(
            this.id,
            'privileged-root',
            writer.recent ? 'strong' : 'medium',
            `${alert.file!.path} is a host file ${writer.match.component.name} manages; the writer ${writer.process}${writer.parent ? ` (parent ${writer.parent})` : ''} is its own process, and ${describePod(index, writer.pod)} runs on ${node.metadata.name} with ${writer.settings}${writer.recent ? `; its container started at ${writer.started}, just before` : ''}.`,
            { component: writer.match.component.id, pod: writer.pod.metadata.name },
          ),
        ];
      }
      const agent = PRIVILEGE_BEHAVIOUR.test(alert.title) ? agentDaemonOnNode(index, node, alert) : undefined;
      if (agent) {
        return [
          benign(
            this.id,
            // A network component's own daemon setting up the node (a CNI's sysctls) is the node-networking story.
            NODE_NETWORK_ROLES.has(agent.match.component.role) ? 'node-networking' : 'privileged-root',
            'strong',
            `${alert.process.path ?? alert.process.name} is the daemon of ${agent.match.component.name}, started by the container runtime (${agent.launcher}), and ${describePod(index, agent.pod)} runs on ${node.metadata.name} with ${agent.settings}; ${clip(alert.title, 60)} is what that agent does by design${agent.started ? ` (its container started at ${agent.started})` : ''}.`,
            { component: agent.match.component.id, pod: agent.pod.metadata.name },
          ),
        ];
      }
      const loader = moduleLoaderOnNode(index, node, alert);
      if (!loader) return [];
      const settings = securityFacts(loader.pod, loader.match.container);
      return [
        benign(
          this.id,
          'privileged-root',
          'medium',
          loader.container
            ? `${clip(alert.process.commandLine ?? '', 100)} loads modules that ${describePod(index, loader.pod)} (${loader.match.component.name}) loads; its parent runs the command of that pod's ${loader.container} container, which started at ${loader.started}, just before.`
            : `${clip(alert.process.commandLine ?? '', 100)} loads modules that ${describePod(index, loader.pod)} (${loader.match.component.name}${settings.privileged ? ', privileged' : ''}) loads, and its container started at ${loader.started}, just before; the alert names no parent process to tie it closer.`,
        ),
      ];
    }
    if (!pod || !container) return [];
    const facts = securityFacts(pod, container.spec);
    const settings = [
      facts.privileged && 'privileged: true',
      facts.root && 'runAsUser 0',
      facts.hostPID && 'hostPID',
      facts.hostNetwork && 'hostNetwork',
      facts.hostPaths.length > 0 && hostPathSetting(facts.hostPaths),
      facts.capabilities.length > 0 && `capabilities ${facts.capabilities.join(', ')}`,
    ].filter(Boolean) as string[];
    if (settings.length === 0) return [];
    const who = `${describePod(index, pod)}, container ${container.spec.name}`;
    const out: Evidence[] = [];
    const isEntrypoint = entrypointMatches(alert.process.commandLine ?? alert.process.path, container.spec);
    const component = componentOfPod(index, pod, container.spec);

    // Files the alert is about that the spec mounts from the host or names in its own arguments.
    const touched = [alert.file?.path, ...pathsIn(alert.process.commandLine)].filter((p): p is string => !!p);
    const underHostPath = facts.hostPaths.length ? touched.find((p) => facts.hostPaths.some((h) => p === h.mountPath || p.startsWith(`${h.mountPath.replace(/\/$/, '')}/`))) : undefined;
    // The entrypoint's own arguments trivially name themselves: only the file it touched counts then.
    const named = (isEntrypoint ? [alert.file?.path].filter((p): p is string => !!p) : touched).filter((p) => p.length > 4);
    const argText = named.length ? containerArgv(container.spec).join(' ') : '';
    const namedInArgs = named.find((p) => argText.includes(p));

    // A listed program (mount, mkfs) typed at an interactive shell in the component's pod is someone's, not the component's.
    const ownDaemon = component?.strength === 'strong' && executableNames(alert.process).some((n) => component.component.daemons.includes(n) || component.component.binaries.includes(n)) && !typedAtShell(alert);
    const managed = alert.file?.path && component?.component.hostPathWrites?.find((prefix) => hostFile(alert.file!.path!, facts.hostPaths).startsWith(prefix));
    const action = component?.strength === 'strong' ? component.component.hostPrivilegedActions?.find((a) => ACTION_PATTERNS[a].test(`${alert.process.commandLine ?? alert.process.name ?? ''} ${alert.title}`)) : undefined;

    // An audit-log finding about the controller itself (created or updated with privileged settings): those settings
    // are its long-standing design when the controller is far older than the request.
    const req = alert.apiRequest;
    const workload = correlation.subject.workload;
    const aboutWorkload = req && workload && req.name === workload.name && req.namespace === workload.namespace && /^(?:create|update|patch)$/.test(req.verb ?? '') && !req.subresource;
    const age = aboutWorkload && workload.object?.metadata.creationTimestamp && alert.time ? Date.parse(alert.time) - Date.parse(workload.object.metadata.creationTimestamp) : undefined;
    if (aboutWorkload && PRIVILEGE_TITLE.test(alert.title) && age !== undefined && age > 24 * 3600_000) {
      out.push(
        benign(
          this.id,
          'privileged-root',
          component?.strength === 'strong' ? 'strong' : 'medium',
          `${workload!.kind} ${workload!.namespace}/${workload!.name} has existed since ${workload!.object!.metadata.creationTimestamp} and its pods (${who}) run with ${settings.join(', ')} by design; the alert is ${req!.user ?? 'a client'}'s ${req!.verb} of it${req!.userAgent ? ` (${req!.userAgent})` : ''}, not a new privileged workload.`,
        ),
      );
    } else if (
      CONTAINER_PRIVILEGE_TITLE.test(alert.title) &&
      !FILE_ACCESS_TITLE.test(alert.title) &&
      !alert.process.name &&
      !alert.process.commandLine &&
      !alert.process.path &&
      component?.strength === 'strong' &&
      longStanding(workload?.object?.metadata.creationTimestamp, alert.time)
    ) {
      // A finding about how a confirmed component's pod was started (a control-plane "privileged container" or
      // "sensitive mount" alert when its controller recreates the pod, on a new or reimaged node), naming no process:
      // the settings are the long-standing template of that component's controller.
      out.push(
        benign(
          this.id,
          'privileged-root',
          'strong',
          `The finding is how ${who} was started, not something it ran: ${workload!.kind} ${workload!.namespace}/${workload!.name} (${component.component.name}) has run its pods with ${settings.join(', ')} since ${workload!.object!.metadata.creationTimestamp}${pod.metadata.creationTimestamp ? `, and this pod is its controller's, created at ${pod.metadata.creationTimestamp}` : ''}.`,
        ),
      );
    } else if (component && ownDaemon && managed && (facts.privileged || facts.root)) {
      out.push(benign(this.id, 'privileged-root', 'strong', `${alert.file!.path} is a host file ${component.component.name} manages (${managed}…), written by its own process in ${who}, which the pod spec runs with ${settings.join(', ')}.`));
    } else if (component?.strength === 'strong' && ownDaemon && logCollection(component.component, alert, facts) && !sessionOpenIn(index, pod, alert.time)) {
      // A log collector's own daemon reading the logs its host mount gives it: its ordinary work, not a privilege story.
      out.push(
        benign(
          this.id,
          'workload-baseline',
          'strong',
          `${alert.process.name ?? 'The process'} is one of ${component.component.name}'s own processes (${component.component.daemons.join(', ')}) in ${who}, which mounts the host's logs (${hostPathSetting(facts.hostPaths)}); reading them is what a log collector is for, and no kubectl exec or debug session was open in the pod.`,
        ),
      );
    } else if (component?.strength === 'strong' && ownDaemon && (facts.privileged || facts.root) && ownPrivilegedBehaviour(component.component, alert) && !sessionOpenIn(index, pod, alert.time)) {
      out.push(
        benign(
          this.id,
          'privileged-root',
          'strong',
          `${alert.process.name ?? 'The process'} is one of ${component.component.name}'s own processes (${component.component.daemons.join(', ')}) in ${who}, whose pod spec sets ${settings.join(', ')}; ${clip(alert.title, 60)} is what that agent does by design, and no kubectl exec or debug session was open in the pod.`,
        ),
      );
    } else if (PRIVILEGE_TITLE.test(alert.title) && isEntrypoint) {
      out.push(benign(this.id, 'privileged-root', 'strong', `The alerting process is the entrypoint of ${who}, whose pod spec sets ${settings.join(', ')}; a privileged start is expected for it.`));
    } else if (CONTAINER_PRIVILEGE_TITLE.test(alert.title) && !FILE_ACCESS_TITLE.test(alert.title) && isOwnDaemon(alert.process, component)) {
      // The finding is the container's privilege or mounts, and the process is the confirmed component's own daemon
      // (its image runs it without a command in the spec): the privilege is the component's design.
      out.push(benign(this.id, 'privileged-root', 'strong', `${alert.process.name ?? 'The process'} is the daemon of ${component!.component.name} in ${who}, whose pod spec sets ${settings.join(', ')} by design.`));
    } else if (isEntrypoint && PRIVILEGE_BEHAVIOUR.test(alert.title) && (facts.privileged || facts.root) && component?.strength === 'strong') {
      out.push(benign(this.id, 'privileged-root', 'strong', `The alerting process is the entrypoint of ${who} (${component.component.name}), whose pod spec sets ${settings.join(', ')}.`));
    } else if (ownDaemon && PRIVILEGE_BEHAVIOUR.test(alert.title) && (facts.privileged || facts.root || facts.capabilities.length > 0)) {
      // Not the entrypoint, but one of the programs the component's daemon runs (ptp4l under the PTP daemon, a CNI
      // agent's helper), doing the privileged thing the component exists for.
      out.push(benign(this.id, 'privileged-root', 'strong', `${executableNames(alert.process)[0]} is a program of ${component!.component.name}, run in ${who}, whose pod spec sets ${settings.join(', ')} for this privileged work.`));
    } else if (underHostPath && hostProgramWrite(alert.process.commandLine, facts.hostPaths)) {
      // The mount explains reaching the host's files, not replacing the programs the host runs (kubelet, a shell,
      // a library every program loads): that is planting, whoever's pod it is.
      const target = hostProgramWrite(alert.process.commandLine, facts.hostPaths)!;
      out.push(malicious(this.id, 'medium', `${clip(alert.process.commandLine ?? '', 100)} writes ${target.path}, which is ${target.host} on ${node?.metadata.name ?? 'the node'}: a program or library of the host itself, replaced through the host mount of ${who}.`));
    } else if (underHostPath && (facts.root || facts.privileged || facts.hostPID) && !(typedAtShell(alert) && !isEntrypoint && !sessionOpenIn(index, pod, alert.time))) {
      // The mount explains how the host's file is reachable, not who reached it: a command typed at an interactive
      // shell in the pod while nobody had a kubectl exec or debug session open there is somebody the cluster cannot name.
      const h = facts.hostPaths.find((x) => underHostPath.startsWith(x.mountPath));
      out.push(
        benign(this.id, 'privileged-root', namedInArgs || component ? 'strong' : 'medium', `${underHostPath} is under host ${h?.hostPath} mounted at ${h?.mountPath} in ${who}, which the pod spec runs with ${settings.join(', ')}${namedInArgs ? '; its own arguments name this path' : ''}.`),
      );
    } else if (namedInArgs && (facts.root || facts.privileged)) {
      out.push(benign(this.id, 'privileged-root', 'strong', `${who} runs with ${settings.join(', ')} and its own arguments name ${namedInArgs}, so touching it is its configured behaviour.`));
    } else if (component && action && (facts.privileged || facts.root) && componentsOwnProgram(component.component, alert, ownDaemon || isEntrypoint) && !typedAtShell(alert) && !sessionOpenIn(index, pod, alert.time)) {
      // The component's own program or entrypoint doing the privileged thing it exists for; another tool (bpftrace, a shell) doing it in its pod is not.
      out.push(benign(this.id, 'privileged-root', 'strong', `${who} is ${component.component.name}, which is privileged (${settings.join(', ')}) precisely to ${ACTION_PURPOSE[action]}.`));
    } else if (facts.hostPID && component && component.component.hostPathReads?.length && readsProcessInformation(touched) && (isEntrypoint || ownDistinctProgram(alert, component))) {
      out.push(benign(this.id, 'privileged-root', 'medium', `${who} runs with hostPID and reads process information as its collector does.`));
    }
    return out;
  },
};

/**
 * A logging component reading logs through the host log directory it mounts (a path it declares it reads): the file the
 * alert names, when it names one, must lie there.
 */
function logCollection(component: NodeComponent, alert: Alert, facts: SecurityFacts): boolean {
  if (component.role !== 'logging' || !LOG_READ.test(`${alert.title} ${alert.description ?? ''}`)) return false;
  const reads = component.hostPathReads ?? [];
  const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir.replace(/\/$/, '')}/`);
  const logMounts = facts.hostPaths.filter((h) => h.hostPath !== '/' && reads.some((r) => under(h.mountPath, r) || under(r, h.mountPath)));
  if (logMounts.length === 0) return false;
  const file = alert.file?.path;
  return !file || logMounts.some((h) => under(file, h.mountPath));
}

/** The controller has existed for more than a day before the alert: its pod template is not the news. */
function longStanding(created: string | undefined, time: string | null): boolean {
  if (!created || !time) return false;
  return Date.parse(time) - Date.parse(created) > 24 * 3600_000;
}

/** The target of a write by a redirect, tee, cp, mv, install or ln in a command line. */
const WRITE_TARGETS = /(?:>>?\s*|\btee\s+(?:-a\s+)?|\b(?:cp|mv|install|ln)\s+(?:-\S+\s+)*[^\s;&|]+\s+)["']?(\/[^\s'";&|]+)/g;
/** Where the host keeps the programs and libraries it runs. */
const HOST_PROGRAM_DIRS = ['/usr/bin/', '/usr/sbin/', '/bin/', '/sbin/', '/usr/local/bin/', '/usr/local/sbin/', '/usr/lib/', '/usr/lib64/', '/lib/', '/lib64/', '/usr/libexec/'];

/** A write through a host mount (not to the host's / itself: the container's own files sit there) into the host's programs. */
function hostProgramWrite(commandLine: string | undefined, mounts: SecurityFacts['hostPaths']): { path: string; host: string } | undefined {
  if (!commandLine || mounts.length === 0) return undefined;
  for (const m of commandLine.matchAll(WRITE_TARGETS)) {
    const path = m[1];
    if (!mounts.some((h) => h.mountPath !== '/' && !h.readOnly && path.startsWith(`${h.mountPath.replace(/\/$/, '')}/`))) continue;
    const host = hostFile(path, mounts);
    if (HOST_PROGRAM_DIRS.some((d) => host.startsWith(d))) return { path, host };
  }
  return undefined;
}

const INTERACTIVE_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'busybox']);

/** The process holds a terminal, or its parent is a bare shell (no script, no -c): a command someone typed. */
function typedAtShell(alert: Alert): boolean {
  if (alert.process.tty === true) return true;
  const parent = alert.process.ancestors[0];
  const text = parent?.commandLine ?? parent?.name;
  if (!text) return false;
  const argv = splitCommandLine(text);
  const name = baseName(argv[0])?.replace(/^-/, '');
  return !!name && INTERACTIVE_SHELLS.has(name) && argv.slice(1).every((a) => a.startsWith('-') && a !== '-c');
}

const SHELLS_AND_INTERPRETERS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'busybox', 'python', 'python3', 'perl', 'ruby', 'node', 'php']);

/**
 * The process is the component's own: one of its listed programs or its entrypoint; for a component whose program
 * names are not documented (none listed), at least no shell or interpreter, which any intruder brings.
 */
function componentsOwnProgram(component: NodeComponent, alert: Alert, listedOrEntrypoint: boolean): boolean {
  const names = executableNames(alert.process);
  if (listedOrEntrypoint || names.length === 0) return true;
  return component.binaries.length === 0 && component.daemons.length === 0 && !names.some((n) => SHELLS_AND_INTERPRETERS.has(n));
}

/** Entering other processes' namespaces, as a detection names it (Falco "Change thread namespace", setns). */
const NAMESPACE_ENTRY = /\bsetns\b|thread namespace|namespace change|enter(?:ed|s)? (?:the )?namespaces? of/i;

/** Reading host files or other processes' memory, as a detection names it (an EDR agent's scan looks like theft). */
const HOST_SCAN = /\bsensitive files?\b|\bcredential files?\b|\bmemory (?:read|access)|process_vm_readv/i;

/**
 * Privileged work a system agent does by design (eBPF, packet sockets, modules; namespace entry when it declares it;
 * reading host files and process memory when it scans the host).
 */
function ownPrivilegedBehaviour(component: NodeComponent, alert: Alert): boolean {
  const text = `${alert.title} ${alert.description ?? ''}`;
  return (
    PRIVILEGE_BEHAVIOUR.test(alert.title) ||
    ((!!component.entersWorkloadNamespaces || !!component.hostPrivilegedActions?.includes('nsenter')) && NAMESPACE_ENTRY.test(text)) ||
    (!!component.scansHostFiles && HOST_SCAN.test(text))
  );
}

const RUNTIME_PARENTS = /^(?:containerd-shim(?:-runc-v2)?|runc|conmon|tini|dumb-init)$/;
const WRITER_WINDOW_MS = 15 * 60_000;

/**
 * A host file (FIM, or an EDR's file evidence) written by a host-level process whose name, and its parent's, are a
 * confirmed component's own, where that component manages the file (its hostPathWrites) and its privileged pod, with
 * the host mounted, runs on the node (Dynatrace OneAgent registering its library in /etc/ld.so.preload).
 */
export function hostFileWriterOnNode(
  index: ClusterIndex,
  node: Node,
  alert: Alert,
): { pod: Pod; match: ComponentMatch; process: string; parent?: string; settings: string; started?: string; recent: boolean } | undefined {
  const file = alert.file?.path;
  if (!file) return undefined;
  const own = (c: NodeComponent, names: readonly string[]) => names.some((n) => c.binaries.includes(n) || c.daemons.includes(n));
  const names = executableNames(alert.process);
  const parent = alert.process.ancestors[0];
  const parentNames = executableNames(parent);
  const candidates = componentPodsOnNode(index, node, (c) => !!c.hostPathWrites?.some((prefix) => file === prefix || file.startsWith(prefix)) && own(c, names));
  for (const { pod, match } of candidates) {
    if (match.strength !== 'strong') continue;
    const c = match.component;
    // The parent, when the sensor named it, must be the component's daemon or the container runtime.
    if (parentNames.length && !own(c, parentNames) && !parentNames.some((n) => RUNTIME_PARENTS.test(n))) continue;
    const container = match.container ?? pod.spec.containers[0];
    const facts = securityFacts(pod, container);
    const hostRoot = facts.hostPaths.some((h) => h.hostPath === '/' || file.startsWith(`${h.hostPath.replace(/\/$/, '')}/`));
    if (!(facts.privileged || facts.root) || !hostRoot) continue;
    const status = pod.status?.containerStatuses?.find((st) => st.name === container.name);
    const started = status?.state?.running?.startedAt ?? status?.state?.terminated?.startedAt;
    const recent = !!started && !!alert.time && Date.parse(alert.time) >= Date.parse(started) && Date.parse(alert.time) - Date.parse(started) <= WRITER_WINDOW_MS;
    const settings = [facts.privileged && 'privileged: true', facts.hostPID && 'hostPID', ...facts.hostPaths.map((h) => `host ${h.hostPath} at ${h.mountPath}`)].filter(Boolean).join(', ');
    return { pod, match, process: alert.process.path ?? alert.process.name ?? names[0], parent: parent?.path ?? parent?.name, settings, started, recent };
  }
  return undefined;
}

/** How a container's main process is started: the runtime's shim (an image's init, tini, sits between at most). */

/**
 * A node sensor's view of a system agent's own daemon doing the privileged work the agent exists for (a runtime
 * sensor loading its eBPF programs): the process is the component's daemon, its parent (or the init between) is the
 * container runtime, not a shell, and a confirmed pod of that component, privileged or root or with capabilities,
 * runs on the node. A look-alike binary run from a shell or from a staging directory is not it.
 */
export function agentDaemonOnNode(
  index: ClusterIndex,
  node: Node,
  alert: Alert,
): { pod: Pod; match: ComponentMatch; launcher: string; settings: string; started?: string } | undefined {
  const names = executableNames(alert.process);
  if (names.length === 0 || INTERPRETERS.has(names[0]) || isStagingPath(alert.process.path ?? '')) return undefined;
  const ancestors = alert.process.ancestors;
  if (ancestors.length === 0) return undefined;
  // Detection names run words together (SuspiciousEbpfProgramLoad): split them so each word can be matched.
  const text = `${alert.title} ${alert.title.replace(/([a-z])([A-Z])/g, '$1 $2')} ${alert.description ?? ''}`;
  const action = (Object.keys(ACTION_PATTERNS) as (keyof typeof ACTION_PATTERNS)[]).filter((a) => ACTION_PATTERNS[a].test(text));
  if (action.length === 0) return undefined;
  const candidates = componentPodsOnNode(index, node, (c) => names.some((n) => c.daemons.includes(n)) && !!c.hostPrivilegedActions?.some((a) => action.includes(a)));
  for (const { pod, match } of candidates) {
    if (match.strength !== 'strong') continue;
    // The parent is the runtime, or an init (tini) or the agent's own entry point whose parent is the runtime: a tini
    // started from a login shell is no container's.
    const first = executableNames(ancestors[0]);
    const launcher = first.some(isContainerRuntimeProcess)
      ? ancestors[0]
      : ancestors[1] && executableNames(ancestors[1]).some(isContainerRuntimeProcess) && !first.some((n) => INTERPRETERS.has(n))
        ? ancestors[1]
        : undefined;
    if (!launcher) continue;
    const container = match.container ?? pod.spec.containers[0];
    const facts = securityFacts(pod, container);
    if (!(facts.privileged || facts.root || facts.capabilities.length > 0)) continue;
    const settings = [facts.privileged && 'privileged: true', facts.root && 'runAsUser 0', facts.hostPID && 'hostPID', facts.capabilities.length > 0 && `capabilities ${facts.capabilities.join(', ')}`].filter(Boolean).join(', ');
    const status = pod.status?.containerStatuses?.find((st) => st.name === container.name);
    return { pod, match, launcher: launcher.name ?? launcher.path ?? 'runtime', settings, started: status?.state?.running?.startedAt };
  }
  return undefined;
}
