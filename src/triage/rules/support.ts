import type { Alert, ProcessInfo } from '../../alerts/model.js';
import { baseName, splitCommandLine } from '../../alerts/fields.js';
import type { ClusterIndex, ContainerRef, ContainerSpec, KubeObject, Node, Pod } from '../../cluster/model.js';
import { imageMatches, isPayloadImage, knownComponents, nameMatches, type NodeComponent } from '../../knowledge/components.js';
import type { BenignCause, Evidence, Strength } from '../model.js';

export function benign(rule: string, cause: BenignCause, strength: Strength, message: string, facts?: Evidence['facts']): Evidence {
  return { rule, direction: 'benign', strength, message, cause, facts };
}

export function malicious(rule: string, strength: Strength, message: string, facts?: Evidence['facts']): Evidence {
  return { rule, direction: 'malicious', strength, message, facts };
}

/** Executable base names a process is known by: its name, its path, and argv[0] (xtables-nft-multi runs as "iptables"). */
export function executableNames(p: ProcessInfo | undefined): string[] {
  if (!p) return [];
  const names = new Set<string>();
  const add = (n: string | undefined) => n && names.add(n.toLowerCase());
  add(p.name);
  add(baseName(p.path));
  if (p.commandLine) add(baseName(splitCommandLine(p.commandLine)[0]));
  return [...names];
}

export function podLabel(pod: Pod): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

export function workloadLabel(index: ClusterIndex, pod: Pod): string {
  const w = index.workloadOf(pod);
  return w ? `${w.kind} ${w.namespace}/${w.name}` : 'no controller (a naked pod)';
}

/** "calico-node-p8zr6 (DaemonSet calico-system/calico-node) on ip-10-0-52-201…" */
export function describePod(index: ClusterIndex, pod: Pod): string {
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
  const workload = index.workloadOf(pod);
  const containers = container ? [container] : allContainerSpecs(pod);
  let best: ComponentMatch | undefined;
  for (const component of knownComponents()) {
    const image = containers.find((c) => imageMatches(component, c.image));
    if (!image) continue;
    const nsOk = component.namespaces.includes('*') || component.namespaces.includes(pod.metadata.namespace ?? '');
    const workloadOk = (!!workload && nameMatches(component.workloads, workload.name)) || ownedBy(index, pod, component);
    const strength: Strength = nsOk && workloadOk ? 'strong' : nsOk || workloadOk ? 'medium' : 'weak';
    if (!best || rank(strength) > rank(best.strength)) best = { component, strength, container: image };
  }
  return best ?? payloadComponentOfPod(index, pod, containers);
}

/** A controller lower in the chain carries the component's name: an operator's custom resource can own its DaemonSet. */
function ownedBy(index: ClusterIndex, pod: Pod, component: NodeComponent): boolean {
  return index.ownerChain(pod).some((w) => nameMatches(component.workloads, w.name));
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

function rank(s: Strength): number {
  return { weak: 1, medium: 2, strong: 3, decisive: 4 }[s];
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

const RUNTIME_PARENTS = /^(?:containerd-shim(?:-runc-v2)?|runc(?::\[\d:\w+\])?|conmon|crio|docker-containerd-shim|containerd|dockerd|runc:\[2:INIT\])$/;

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

export function securityFacts(pod: Pod, container: ContainerSpec | undefined): {
  privileged: boolean;
  root: boolean;
  hostPID: boolean;
  hostNetwork: boolean;
  hostPaths: { mountPath: string; hostPath: string; readOnly: boolean }[];
  capabilities: string[];
} {
  const sc = container?.securityContext ?? {};
  const podSc = pod.spec.securityContext ?? {};
  const runAsUser = sc.runAsUser ?? podSc.runAsUser;
  const hostPathVolumes = new Map((pod.spec.volumes ?? []).filter((v) => v.hostPath).map((v) => [v.name, v.hostPath!.path]));
  const mounts = (container?.volumeMounts ?? []).filter((m) => hostPathVolumes.has(m.name));
  return {
    privileged: sc.privileged === true,
    root: runAsUser === 0 || (runAsUser === undefined && sc.privileged === true),
    hostPID: pod.spec.hostPID === true,
    hostNetwork: pod.spec.hostNetwork === true,
    hostPaths: mounts.map((m) => ({ mountPath: m.mountPath, hostPath: hostPathVolumes.get(m.name)!, readOnly: m.readOnly === true })),
    capabilities: sc.capabilities?.add ?? [],
  };
}

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
  const argv = splitCommandLine(commandLine);
  const tool = baseName(argv[0]);
  if (tool !== 'modprobe' && tool !== 'insmod') return [];
  const words = argv.slice(1).filter((a) => !a.startsWith('-') && !a.includes('='));
  return (tool === 'insmod' ? words.slice(0, 1).map((w) => baseName(w) ?? w) : words).map(moduleName);
}

/**
 * A host-level process the sensor could not place in a container (auditd names only the parent pid): the component
 * pod on the node that loads exactly these kernel modules, when its container (re)started shortly before the alert.
 */
export function moduleLoaderOnNode(index: ClusterIndex, node: Node, alert: Alert, windowMs = 15 * 60_000): { pod: Pod; match: ComponentMatch; started: string } | undefined {
  const modules = loadedModules(alert.process.commandLine);
  if (modules.length === 0 || !alert.time || alert.process.ancestors.some((a) => a.name || a.path || a.commandLine)) return undefined;
  const t = Date.parse(alert.time);
  for (const { pod, match } of componentPodsOnNode(index, node, (c) => !!c.kernelModules?.length && !!c.hostPrivilegedActions?.includes('modprobe'))) {
    if (match.strength !== 'strong') continue;
    const known = new Set(match.component.kernelModules!.map(moduleName));
    if (!modules.every((m) => known.has(m))) continue;
    const starts = (pod.status?.containerStatuses ?? []).map((c) => c.state?.running?.startedAt).filter((x): x is string => !!x);
    const started = starts.filter((s) => Date.parse(s) <= t && t - Date.parse(s) <= windowMs).sort().pop();
    if (started) return { pod, match, started };
  }
  return undefined;
}