import type { Alert, ProcessInfo } from '../../alerts/model.js';
import { splitCommandLine } from '../../alerts/fields.js';
import { lastSegment, observe, splitArgv } from '../argv.js';
import type { ClusterIndex, ContainerRef, ContainerSpec, KubeObject, Node, Pod } from '../../cluster/model.js';
import { imageMatches, imageRepository, isPayloadImage, knownComponents, nameMatches, NODE_NETWORK_ROLES, type NodeComponent } from '../../knowledge/components.js';
import { STRENGTH_WEIGHT, type BenignCause, type Evidence, type Strength } from '../model.js';
import { isPrivateAddress } from '../../cluster/audit-identities.js';
import { placeAddress } from '../correlate.js';

export function benign(rule: string, cause: BenignCause, strength: Strength, message: string, facts?: Evidence['facts']): Evidence {
  return { rule, direction: 'benign', strength, message, cause, facts };
}

export function malicious(rule: string, strength: Strength, message: string, facts?: Evidence['facts']): Evidence {
  return { rule, direction: 'malicious', strength, message, facts };
}

/** Executable base names a process is known by: its name, its path, and argv[0] (xtables-nft-multi runs as "iptables"). */
export function executableNames(p: ProcessInfo | undefined): readonly string[] {
  if (!p) return NO_NAMES;
  // Several rules ask for the names of the same process: the last few answers are kept, by the texts they come from
  // (not by the process object, which would keep a part of an alert alive).
  for (const entry of recentNames) {
    if (entry.commandLine === p.commandLine && entry.name === p.name && entry.path === p.path) return entry.names;
  }
  const names: string[] = [];
  addName(names, p.name);
  addName(names, lastSegment(p.path));
  if (p.commandLine) addName(names, observe(p.commandLine).firstBase);
  // Linux keeps 15 bytes of a process name (comm): `cluster-proport` is cluster-proportional-autoscaler when the path says so.
  const truncated = names.findIndex((n) => n.length === COMM_LENGTH && names.some((m) => m.length > COMM_LENGTH && m.startsWith(n)));
  if (truncated !== -1) names.splice(truncated, 1);
  const slot = recentNames[nextNamesSlot];
  slot.name = p.name;
  slot.path = p.path;
  slot.commandLine = p.commandLine;
  slot.names = names;
  nextNamesSlot = (nextNamesSlot + 1) % recentNames.length;
  return names;
}

function addName(names: string[], n: string | undefined): void {
  if (!n) return;
  const name = n.toLowerCase();
  if (!names.includes(name)) names.push(name);
}

const NO_NAMES: readonly string[] = [];
/** TASK_COMM_LEN - 1: the longest process name the kernel reports. */
const COMM_LENGTH = 15;
/** The processes of the alert being triaged (the process and its nearest ancestors); the next alert replaces them. */
const recentNames: { name?: string; path?: string; commandLine?: string; names: readonly string[] }[] = Array.from({ length: 4 }, () => ({ name: '', path: undefined, commandLine: undefined, names: NO_NAMES }));
let nextNamesSlot = 0;

export function podLabel(pod: Pod): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

export function workloadLabel(index: ClusterIndex, pod: Pod): string {
  const w = index.workloadOf(pod);
  return w ? `${w.kind} ${w.namespace}/${w.name}` : 'no controller (a naked pod)';
}

/** "calico-node-p8zr6 (DaemonSet calico-system/calico-node) on ip-10-0-52-201…" */
export function describePod(index: ClusterIndex, pod: Pod): string {
  // Several rules describe the same pod for one alert: the last description is kept, per index (held weakly).
  const last = lastDescribed.get(index);
  if (last?.pod === pod) return last.text;
  const text = podDescription(index, pod);
  lastDescribed.set(index, { pod, text });
  return text;
}

const lastDescribed = new WeakMap<ClusterIndex, { pod: Pod; text: string }>();

function podDescription(index: ClusterIndex, pod: Pod): string {
  const w = index.workloadOf(pod);
  const staticPod = pod.metadata.ownerReferences?.some((o) => o.kind === 'Node') || !!pod.metadata.annotations?.['kubernetes.io/config.mirror'];
  const what = w ? `${w.kind} ${w.namespace}/${w.name}` : staticPod ? `static pod in ${pod.metadata.namespace}` : `naked pod in ${pod.metadata.namespace}`;
  return `${pod.metadata.name} (${what}) on ${pod.spec.nodeName ?? 'an unknown node'}`;
}

export function allContainerSpecs(pod: Pod): ContainerSpec[] {
  return [...pod.spec.containers, ...(pod.spec.initContainers ?? []), ...(pod.spec.ephemeralContainers ?? [])];
}

export interface ComponentMatch {
  component: NodeComponent;
  /** How much of the claim the cluster confirmed: namespace, workload and image all match → strong. */
  strength: Strength;
  container?: ContainerSpec;
}

/** Which known component this pod is, judged by namespace, owning workload and image together. */
export function componentOfPod(index: ClusterIndex, pod: Pod, container?: ContainerSpec): ComponentMatch | undefined {
  const components = knownComponents();
  // Several rules ask about the same pod (and container) for one alert: the last few answers are kept, per index
  // (held weakly, as describePod's).
  let recent = recentComponents.get(index);
  if (!recent) recentComponents.set(index, (recent = { entries: [], next: 0 }));
  for (const entry of recent.entries) {
    if (entry.pod === pod && entry.container === container && entry.components === components) return entry.match;
  }
  const match = judgeComponent(components, index, pod, container);
  recent.entries[recent.next] = { components, pod, container, match };
  recent.next = (recent.next + 1) % RECENT_COMPONENTS;
  return match;
}

/** The alert being triaged asks with and without its container, and about its peer: the next alerts replace them. */
const RECENT_COMPONENTS = 4;
const recentComponents = new WeakMap<ClusterIndex, { entries: { components: NodeComponent[]; pod: Pod; container: ContainerSpec | undefined; match: ComponentMatch | undefined }[]; next: number }>();

function judgeComponent(components: NodeComponent[], index: ClusterIndex, pod: Pod, container: ContainerSpec | undefined): ComponentMatch | undefined {
  const containers = container ? [container] : allContainerSpecs(pod);
  // The components whose images the containers run, in the order of the component list (most pods run none).
  let candidates: readonly number[] = NO_COMPONENTS;
  for (const c of containers) {
    const found = componentsOfImage(components, c.image);
    if (found.length === 0) continue;
    candidates = candidates.length === 0 ? found : [...new Set([...candidates, ...found])].sort((a, b) => a - b);
  }
  if (candidates.length === 0) return payloadComponentOfPod(index, pod, containers);
  const workload = index.workloadOf(pod);
  let best: ComponentMatch | undefined;
  for (const i of candidates) {
    const component = components[i];
    const image = containers.find((c) => componentsOfImage(components, c.image).includes(i))!;
    const nsOk = component.namespaces.includes('*') || component.namespaces.includes(pod.metadata.namespace ?? '');
    const workloadOk = (!!workload && verifiableOwner(workload) && nameMatches(component.workloads, workload.name)) || ownedBy(index, pod, component);
    const strength: Strength = nsOk && workloadOk ? 'strong' : nsOk || workloadOk ? 'medium' : 'weak';
    if (!best || STRENGTH_WEIGHT[strength] > STRENGTH_WEIGHT[best.strength]) best = { component, strength, container: image };
  }
  return best ?? payloadComponentOfPod(index, pod, containers);
}

/**
 * The story a container's own baseline (its entrypoint, its script, a child of its daemon) tells: node networking for
 * a network component the cluster confirms beyond its image (a CNI agent compiling its BPF programs, an install-cni
 * script), else the workload's baseline — also for an application container beside a mesh sidecar, and for probes,
 * which the kubelet runs in any pod. Only the cause changes, never the strength.
 */
export function baselineCause(index: ClusterIndex, pod: Pod, container?: ContainerSpec): 'node-networking' | 'workload-baseline' {
  const match = componentOfPod(index, pod, container);
  return match && match.strength !== 'weak' && NODE_NETWORK_ROLES.has(match.component.role) ? 'node-networking' : 'workload-baseline';
}

/**
 * The built-in controllers. An owner reference is whatever the pod's creator wrote: one to a built-in controller the
 * cluster does not have is garbage-collected within moments, but one to a custom resource's kind (which no snapshot
 * holds) is left alone — `ownerReferences: [{kind: Installation, name: calico-node}]` on a hand-made pod.
 */
export const BUILT_IN_CONTROLLERS: ReadonlySet<string> = new Set(['ReplicaSet', 'Deployment', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob', 'ReplicationController']);

/** An owner whose name says something: one the snapshot holds, or a built-in controller (see BUILT_IN_CONTROLLERS). */
export function verifiableOwner(w: { kind: string; object?: unknown }): boolean {
  return !!w.object || BUILT_IN_CONTROLLERS.has(w.kind);
}

/** A controller lower in the chain carries the component's name: an operator's custom resource can own its DaemonSet. */
function ownedBy(index: ClusterIndex, pod: Pod, component: NodeComponent): boolean {
  return index.ownerChain(pod).some((w) => verifiableOwner(w) && nameMatches(component.workloads, w.name));
}

/**
 * A release-payload image names no component (every OpenShift component ships from one repository): the pod's own
 * namespace, listed by name (not '*'), and its controller must name it.
 */
function payloadComponentOfPod(index: ClusterIndex, pod: Pod, containers: ContainerSpec[]): ComponentMatch | undefined {
  const payload = containers.find((c) => isPayloadImage(c.image));
  if (!payload) return undefined;
  const namespace = pod.metadata.namespace ?? '';
  const component = knownComponents().find((c) => c.namespaces.includes(namespace) && ownedBy(index, pod, c));
  return component ? { component, strength: 'strong', container: payload } : undefined;
}

const NO_COMPONENTS: readonly number[] = [];
const REPOSITORY_MEMO_SIZE = 10_000;
/** Per component list: image repository → positions of the components whose image it is (asked for every container). */
const componentsByRepository = new WeakMap<NodeComponent[], Map<string, readonly number[]>>();
function componentsOfImage(components: NodeComponent[], image: string | undefined): readonly number[] {
  const repository = imageRepository(image);
  if (!repository) return NO_COMPONENTS;
  let byRepository = componentsByRepository.get(components);
  if (!byRepository) componentsByRepository.set(components, (byRepository = new Map()));
  let found = byRepository.get(repository);
  if (!found) {
    const positions: number[] = [];
    components.forEach((component, i) => {
      if (imageMatches(component, image)) positions.push(i);
    });
    found = positions.length ? positions : NO_COMPONENTS;
    if (byRepository.size >= REPOSITORY_MEMO_SIZE) byRepository.clear();
    byRepository.set(repository, found);
  }
  return found;
}

/** Pods of a component on a node, with the confirmation strength. */
export function componentPodsOnNode(index: ClusterIndex, node: Node | undefined, filter: (c: NodeComponent) => boolean): { pod: Pod; match: ComponentMatch }[] {
  if (!node) return [];
  return liveComponentPods(index, node).filter(({ match }) => filter(match.component));
}

/** The live pods of known components on a node, remembered per component list, index and node (asked for each alert). */
const componentPodsMemo = new WeakMap<NodeComponent[], WeakMap<ClusterIndex, WeakMap<Node, { pod: Pod; match: ComponentMatch }[]>>>();
function liveComponentPods(index: ClusterIndex, node: Node): { pod: Pod; match: ComponentMatch }[] {
  const components = knownComponents();
  let byIndex = componentPodsMemo.get(components);
  if (!byIndex) componentPodsMemo.set(components, (byIndex = new WeakMap()));
  let byNode = byIndex.get(index);
  if (!byNode) byIndex.set(index, (byNode = new WeakMap()));
  let list = byNode.get(node);
  if (!list) {
    list = [];
    for (const pod of index.podsOnNode(node.metadata.name)) {
      const match = componentOfPod(index, pod);
      if (match && podIsLive(pod)) list.push({ pod, match });
    }
    byNode.set(node, list);
  }
  return list;
}

export function podIsLive(pod: Pod): boolean {
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

export function ancestorsText(alert: Alert): string[] {
  return alert.process.ancestors.map((a) => a.commandLine ?? a.path ?? a.name ?? '').filter(Boolean);
}

export const RUNTIME_PARENTS = /^(?:containerd-shim(?:-runc-v2)?|runc(?::\[\d:\w+\])?|conmon|crio|docker-containerd-shim|containerd|dockerd|runc:\[2:INIT\])$/;

/** The process was started directly by the container runtime (entrypoint, exec probe or kubectl exec). */
export function startedByRuntime(alert: Alert): boolean {
  const parent = alert.process.ancestors[0];
  if (!parent) return false;
  return executableNames(parent).some((n) => RUNTIME_PARENTS.test(n));
}

export function timeBetween(time: string | null, start: string | undefined, end: string | undefined, skewMs = 0): boolean {
  if (!time) return false;
  const t = Date.parse(time);
  const s = start ? Date.parse(start) - skewMs : -Infinity;
  const e = end ? Date.parse(end) + skewMs : Infinity;
  return t >= s && t <= e;
}

/** Tolerance between the sensor's clock and the audit log's around a kubectl session. */
const SESSION_SKEW_MS = 60_000;

/** Someone had a kubectl exec, attach or debug session open in the pod at `time` (port-forwards run no process). */
export function sessionOpenIn(index: ClusterIndex, pod: Pod, time: string | null): boolean {
  return index.execSessionsForPod(pod.metadata.namespace ?? '', pod.metadata.name).some((s) => s.kind !== 'portforward' && timeBetween(time, s.start, s.end, SESSION_SKEW_MS));
}

export interface SecurityFacts {
  privileged: boolean;
  root: boolean;
  hostPID: boolean;
  hostNetwork: boolean;
  /** Shared by every alert from that container (and its replicas): read only. */
  hostPaths: readonly HostPathMount[];
  capabilities: readonly string[];
}

export interface HostPathMount {
  readonly mountPath: string;
  readonly hostPath: string;
  readonly readOnly: boolean;
}

const NO_HOST_PATHS: readonly HostPathMount[] = [];
const NO_CAPABILITIES: readonly string[] = [];

const NO_SECURITY_CONTEXT: NonNullable<ContainerSpec['securityContext']> = {};

export function securityFacts(pod: Pod, container: ContainerSpec | undefined): SecurityFacts {
  const sc = container?.securityContext ?? NO_SECURITY_CONTEXT;
  const podSc = pod.spec.securityContext ?? NO_SECURITY_CONTEXT;
  const runAsUser = sc.runAsUser ?? podSc.runAsUser;
  return {
    privileged: sc.privileged === true,
    root: runAsUser === 0 || (runAsUser === undefined && sc.privileged === true),
    hostPID: pod.spec.hostPID === true,
    hostNetwork: pod.spec.hostNetwork === true,
    hostPaths: hostPathMounts(pod, container),
    capabilities: sc.capabilities?.add ?? NO_CAPABILITIES,
  };
}

/** The container's mounts of hostPath volumes (most pods have none: no map is built for them). */
function hostPathMounts(pod: Pod, container: ContainerSpec | undefined): SecurityFacts['hostPaths'] {
  const volumes = pod.spec.volumes;
  const mounts = container?.volumeMounts;
  if (!volumes || !mounts?.length) return NO_HOST_PATHS;
  // Node agents with host mounts draw many alerts: their list is worked out once per container and volume list.
  const known = hostPathsOf.get(mounts);
  if (known?.volumes === volumes) return known.hostPaths;
  if (!volumes.some((v) => v.hostPath)) return NO_HOST_PATHS;
  const hostPathVolumes = new Map(volumes.filter((v) => v.hostPath).map((v) => [v.name, v.hostPath!.path]));
  const hostPaths: readonly HostPathMount[] = mounts.filter((m) => hostPathVolumes.has(m.name)).map((m) => ({ mountPath: m.mountPath, hostPath: hostPathVolumes.get(m.name)!, readOnly: m.readOnly === true }));
  hostPathsOf.set(mounts, { volumes, hostPaths });
  return hostPaths;
}
const hostPathsOf = new WeakMap<object, { volumes: object; hostPaths: SecurityFacts['hostPaths'] }>();

export function objectName(o: KubeObject): string {
  return `${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

export function subjectContainer(ref: ContainerRef | undefined): ContainerSpec | undefined {
  return ref?.spec;
}

export { imageRepository as imageRepoOf } from '../../knowledge/components.js';

/** Module names as modprobe takes them: '-' and '_' are the same. */
function moduleName(name: string): string {
  return name.replace(/\.ko(?:\.xz|\.zst|\.gz)?$/, '').replace(/_/g, '-').toLowerCase();
}

/** The modules a `modprobe` / `insmod` command line loads (options and module parameters skipped). */
export function loadedModules(commandLine: string | undefined): string[] {
  if (!commandLine) return [];
  const argv = splitArgv(commandLine);
  const tool = lastSegment(argv[0]);
  if (tool !== 'modprobe' && tool !== 'insmod') return [];
  const words = argv.slice(1).filter((a) => !a.startsWith('-') && !a.includes('='));
  return (tool === 'insmod' ? words.slice(0, 1).map((w) => lastSegment(w) ?? w) : words).map(moduleName);
}

/** Shells whose argv[0] says nothing about the script they run: `sh -c …` is matched on the whole command. */
const SCRIPT_SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'busybox']);

/**
 * The container's own command is this process: its entrypoint binary, or the script an interpreter runs
 * (`/bin/bash /usr/local/bin/install_cni` for command ["install_cni"]); a shell command must match in full.
 */
export function runsContainerCommand(process: ProcessInfo, container: ContainerSpec): boolean {
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  if (argv.length === 0 || !process.commandLine) return false;
  const entry = lastSegment(argv[0]);
  if (!entry) return false;
  if (SCRIPT_SHELLS.has(entry)) return process.commandLine.trim() === argv.join(' ');
  return splitArgv(process.commandLine)
    .slice(0, 2)
    .some((token) => lastSegment(token) === entry);
}

/**
 * A host-level process the sensor could not place in a container (auditd names only the parent pid, a node EDR shows
 * the process tree): the component pod on the node that loads exactly these kernel modules, when one of its
 * containers (init containers too) started shortly before the alert. When the alert names the parent, that parent
 * must run the command of the container that started: a module load under any other process is not the component's.
 */
export function moduleLoaderOnNode(
  index: ClusterIndex,
  node: Node,
  alert: Alert,
  windowMs = 15 * 60_000,
): { pod: Pod; match: ComponentMatch; started: string; container?: string } | undefined {
  const modules = loadedModules(alert.process.commandLine);
  if (modules.length === 0 || !alert.time) return undefined;
  const parent = alert.process.ancestors.find((a) => a.name || a.path || a.commandLine);
  if (parent && !parent.commandLine) return undefined;
  const t = Date.parse(alert.time);
  for (const { pod, match } of componentPodsOnNode(index, node, (c) => !!c.kernelModules?.length && !!c.hostPrivilegedActions?.includes('modprobe'))) {
    if (match.strength !== 'strong') continue;
    const known = new Set(match.component.kernelModules!.map(moduleName));
    if (!modules.every((m) => known.has(m))) continue;
    const specs = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
    const loaders = new Set((parent ? specs.filter((c) => runsContainerCommand(parent, c)) : specs).map((c) => c.name));
    if (loaders.size === 0) continue;
    const latest = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]
      .filter((c) => loaders.has(c.name))
      .map((c) => ({ name: c.name, at: c.state?.running?.startedAt ?? c.state?.terminated?.startedAt }))
      .filter((x): x is { name: string; at: string } => !!x.at && Date.parse(x.at) <= t && t - Date.parse(x.at) <= windowMs)
      .sort((a, b) => a.at.localeCompare(b.at))
      .pop();
    if (latest) return { pod, match, started: latest.at, container: parent ? latest.name : undefined };
  }
  return undefined;
}

/** `text` cut to `max` characters, with an ellipsis when cut: reasons quote attacker-controlled command lines. */
export function clip(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Paths as arguments (`--paths=/var/log/a,/var/log/b`, `cat /etc/x`); the //host/path of a URL is not one. */
export function pathsIn(text: string | undefined): string[] {
  return text ? [...text.matchAll(/(?:^|[\s=,'"])(\/(?!\/)[\w./*@~+:-]+)/g)].map((m) => m[1]) : [];
}

/** Entrypoints whose children are shell scripts by design: shells, init wrappers, script interpreters, supervisors. */
const SCRIPT_RUNNERS = /^(?:(?:ba|da|a|z|k|mk)?sh|busybox|tini|dumb-init|s6-svscan|s6-supervise|runsv|runsvdir|supervisord|python[\d.]*|perl|ruby|node|php|make|entrypoint(?:\.sh)?|docker-entrypoint(?:\.sh)?)$/;

/** A shell running a script (`sh -c "…"`), as opposed to a program. */
function shellScript(p: ProcessInfo): boolean {
  if (!executableNames(p).some((n) => SCRIPT_RUNNER_SHELLS.has(n)) || !p.commandLine) return false;
  return splitCommandLine(p.commandLine).slice(1).some((w) => /^-[a-z]+$/i.test(w) && /c/i.test(w));
}

const SCRIPT_RUNNER_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'busybox']);

/**
 * A shell script (`sh -c "…"`) among `between` (the process and its ancestors below the entrypoint) started under an
 * application entrypoint: what a webshell or an injected command looks like, not the application's ordinary work.
 */
export function shellScriptUnderApplication(between: readonly ProcessInfo[], entrypoint: ProcessInfo | undefined): boolean {
  return between.some(shellScript) && !SCRIPT_RUNNERS.test(executableNames(entrypoint).find(Boolean) ?? '');
}

const NAME_CHAR = /[a-z0-9-]/;

/**
 * Whether `text` holds `name` as a whole host name or address: not preceded by a name character or a dot, not followed
 * by a name character or by a dot that starts another label. Without a regular expression built per alert.
 */
function namesWhole(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = text[at - 1];
    const after = text[at + name.length];
    const next = text[at + name.length + 1];
    if (before !== undefined && (NAME_CHAR.test(before) || before === '.')) continue;
    if (after !== undefined && (NAME_CHAR.test(after) || (after === '.' && next !== undefined && /[a-z0-9]/.test(next)))) continue;
    return true;
  }
  return false;
}

const IP_LITERAL = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:.]*)$/;

/**
 * A connection out of the cluster that neither the cluster (a pod, node or Service address) nor the pod's own spec (the
 * address or domain in a container's command, args or env) accounts for: being the entrypoint, or being killed in a
 * restart loop, says who made it, not why. Returns the destination, or undefined when accounted for.
 */
export function unexplainedEgress(alert: Alert, pod: Pod, index: ClusterIndex): string | undefined {
  const net = alert.network;
  if (!net) return undefined;
  const host = net.domain?.toLowerCase().replace(/\.$/, '');
  // A DNS query goes to the resolver (the cluster DNS Service): the name asked for is the destination to account for.
  const dnsQuery = !!host && net.dstPort === 53;
  return outOfClusterUnnamed(dnsQuery ? undefined : net.dstIp, host, pod, index, alert.time) ? `${host ?? net.dstIp}${net.dstPort ? `:${net.dstPort}` : ''}` : undefined;
}

/** A destination (address and/or host name) out of the cluster that neither the cluster nor the pod's spec names. */
function outOfClusterUnnamed(dstIp: string | undefined, host: string | undefined, pod: Pod, index: ClusterIndex, time: string | null): boolean {
  // A URL's host may be an address (http://169.254.170.23/v1/credentials): judged as the address it is.
  const ip = dstIp ?? (host && IP_LITERAL.test(host) ? host : undefined);
  if (ip && (isPrivateAddress(ip) || placeAddress(ip, time, index))) return false;
  if (!ip && (!host || /\.(?:svc|cluster\.local|local|internal)$/.test(host) || !host.includes('.'))) return false;
  const specText = allContainerSpecs(pod)
    .flatMap((c) => [...(c.command ?? []), ...(c.args ?? []), ...(c.env ?? []).map((e) => e.value ?? '')])
    .join(' ')
    .toLowerCase();
  // Whole names only: 203.0.113.8 is not named by 203.0.113.80, nor evil.example by notevil.example.
  return ![ip, host].some((h) => !!h && namesWhole(specText, h));
}

/** The host of each URL in a command line (`curl -s https://user@host:8443/x` → host). */
const URL_HOSTS = /\b(?:https?|ftps?|wss?|tcp|udp):\/\/(?:[^@/\s'"]*@)?(\[[0-9a-f:.]+\]|[a-z0-9.-]+)/gi;
const DOTTED_DIGITS = /\d\.\d/;
/**
 * A bare IPv4 address with its port, as `address:port` or `address port` (`-o 198.51.100.7:443`, `nc 198.51.100.7 4444`):
 * a four-part version number (`17.0.9.1`) has none.
 */
const BARE_ADDRESSES = /(?:^|[\s=@'"])((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})(?=:\d{1,5}\b|\s+\d{1,5}(?:$|[\s'"]))/g;

/**
 * The destinations a command line names (URL hosts, bare addresses) out of the cluster that neither the cluster nor
 * the pod's spec accounts for: a child the application starts to reach one is not its ordinary work (an RCE's
 * `curl http://198.51.100.7/p -o …`, a payload given its server). Returns the first, or undefined.
 */
export function unexplainedCommandEgress(commandLine: string | undefined, pod: Pod, index: ClusterIndex, time: string | null): string | undefined {
  if (!commandLine || (!commandLine.includes('://') && !DOTTED_DIGITS.test(commandLine))) return undefined;
  const lower = commandLine.toLowerCase();
  for (const m of lower.matchAll(URL_HOSTS)) {
    const host = m[1].replace(/^\[|\]$/g, '').replace(/\.$/, '');
    if (outOfClusterUnnamed(undefined, host, pod, index, time)) return host;
  }
  for (const m of lower.matchAll(BARE_ADDRESSES)) {
    if (outOfClusterUnnamed(m[1], undefined, pod, index, time)) return m[1];
  }
  return undefined;
}

/** Where no agent or runtime installs its programs (defined beside the argv helpers, which correlate.ts shares). */
export { isStagingPath } from '../argv.js';

/**
 * Shells, interpreters and the CLIs a component's check runs: listed among some components' programs, and in every
 * intruder's chain too, so their name alone says nothing about whose process it is.
 */
export const GENERIC_PROGRAMS: ReadonlySet<string> = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'busybox', 'python', 'python3', 'perl', 'crictl', 'systemctl', 'journalctl']);
