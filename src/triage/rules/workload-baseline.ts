import type { ContainerSpec, KubeObject, Node, Pod } from '../../cluster/model.js';
import type { Evidence, Rule, RuleContext, Strength } from '../model.js';
import { commandMatches, containerArgv, entrypointMatches, entrypointScriptSteps, probeCommands, scriptStepMatches } from '../correlate.js';
import { RUNTIME_PARENTS, shellScriptUnderApplication, baselineCause, benign, clip, componentOfPod, describePod, executableNames, imageRepoOf, podIsLive, startedByRuntime, unexplainedCommandEgress, unexplainedEgress } from './support.js';
import { batchKey, workloadKeyOf } from '../batch.js';
import { specIndicatorOf } from './pod-spec-indicators.js';
import { declaredHostFileUse } from './declared-host-files.js';
import { imageRepository, NODE_NETWORK_ROLES } from '../../knowledge/components.js';
import { baseName, splitCommandLine } from '../../alerts/fields.js';
import type { Alert, ProcessInfo } from '../../alerts/model.js';
import { bucketUriOf, CLOUD_CLIENT_ENV_NAMES, DNS_CONTROLLER_IMAGES, DNS_PROVIDER_API_HOSTS, WORKLOAD_IDENTITY_NODE_SELECTORS } from '../../knowledge/cloud-endpoints.js';
import { COLLECTORS, METRICS_PORT_NAME, PROMETHEUS_PORT_ANNOTATION, SCRAPE_URL_PATH, SCRAPE_USER_AGENT, TELEMETRY_EXPORTERS } from '../../knowledge/collectors.js';
import { INSTANCE_METADATA_ADDRESSES } from '../../knowledge/mesh-dataplane.js';

function hostProcess(ctx: RuleContext): Evidence[] {
  const { pod, container } = ctx.correlation.subject;
  if (!pod) return [];
  // The container's own spec first (strong); the same command across replicas only when the spec says nothing.
  const own = container ? containerEvidence(ctx, container) : [];
  if (!own.length) return replicaEvidence(ctx);
  const creation = handMadeBy(ctx, pod);
  return creation ? own.map((e) => asHandMade(e, creation)) : own;
}

/**
 * A bare pod (no controller, not a static pod) whose creation the audit log shows by a person or an outside
 * identity (`kubectl run`, `kubectl apply -f pod.yaml`): its spec is what that identity wrote, not a workload's template.
 */
function handMadeBy(ctx: RuleContext, pod: Pod): { user: string; time: string } | undefined {
  if (pod.metadata.ownerReferences?.length || pod.metadata.annotations?.['kubernetes.io/config.mirror']) return undefined;
  const created = ctx.index.auditActivities.find(
    (a) => a.verb === 'create' && a.resource === 'pods' && !a.subresource && a.namespace === pod.metadata.namespace && a.name === pod.metadata.name && (a.code ?? 201) < 300 && !a.user.startsWith('system:'),
  );
  return created && { user: created.user, time: created.time };
}

/** A match with a hand-made spec says what ran, not that it is ordinary: weak context; who created the pod is the question. */
function asHandMade(e: Evidence, creation: { user: string; time: string }): Evidence {
  return {
    ...e,
    strength: 'weak',
    message: `${e.message} But that pod has no controller: ${creation.user} created it by hand at ${creation.time} (audit log), so its spec is what that identity wrote, not a workload's baseline.`,
  };
}

const SCRIPT_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'busybox']);

/**
 * Products that report a process by executable only (GuardDuty runtime findings): the program of one step of the
 * container's own `sh -c` script, started by that shell.
 */
function scriptProgram(ctx: RuleContext, container: NonNullable<RuleContext['correlation']['subject']['container']>): Evidence[] {
  const { alert } = ctx;
  const parent = alert.process.ancestors[0];
  if (!parent || !executableNames(parent).some((n) => SCRIPT_SHELLS.has(n))) return [];
  const names = executableNames(alert.process);
  const step = entrypointScriptSteps(container.spec).find((s) => names.includes((s[0].split('/').pop() ?? '').toLowerCase()));
  if (!step) return [];
  return [
    benign(
      'workload-baseline',
      baselineCause(ctx.index, container.pod, container.spec),
      'medium',
      `${clip(alert.process.path ?? alert.process.name ?? step[0])}, started by a shell, is the program of \`${clip(step.join(' '), 80)}\`, a step of the entrypoint script of ${describePod(ctx.index, container.pod)}, container ${container.spec.name} (the alert gives no command line to compare).`,
    ),
  ];
}

/** The pod says its program calls a cloud API with the metadata service's credentials (CLOUD_CLIENT_ENV_NAMES, a Workload Identity node selector). */
function declaresCloudClient(pod: Pod): boolean {
  const selector = pod.spec.nodeSelector as Record<string, string> | undefined;
  if (selector && WORKLOAD_IDENTITY_NODE_SELECTORS.some((k) => selector[k] !== undefined)) return true;
  return [...(pod.spec.initContainers ?? []), ...pod.spec.containers].some((c) => (c.env ?? []).some((e) => CLOUD_CLIENT_ENV_NAMES.has(e.name)));
}

const KUBELET_API_PORTS: ReadonlySet<number> = new Set([10250, 10255]);

/**
 * A connection to a node's kubelet API (exec, run and logs in every pod on it) from a pod that is no known collector
 * for that port: being the entrypoint does not explain it (any image may call itself metrics-server).
 */
function kubeletApiCall(ctx: RuleContext, pod: Pod): boolean {
  const port = ctx.alert.network?.dstPort;
  return !!ctx.correlation.peer?.node && !ctx.correlation.peer.pod && port !== undefined && KUBELET_API_PORTS.has(port) && !collectorFor(ctx.index, pod, port);
}

function containerEvidence(ctx: RuleContext, container: NonNullable<RuleContext['correlation']['subject']['container']>): Evidence[] {
  const { alert, index } = ctx;
  const pod = container.pod;
  const cmd = alert.process.commandLine;
  const who = () => `${describePod(index, pod)}, container ${container.spec.name}`;
  const own = (strength: Strength, message: string): Evidence[] => [benign('workload-baseline', baselineCause(index, pod, container.spec), strength, message)];
  // Any program may be tricked into fetching the node's or the pod's cloud credentials (SSRF): the entrypoint explains a
  // connection to the instance metadata service only when the pod declares it is a cloud API client (known agents and
  // Workload Identity's client library seen on the wire are judged by their own rules).
  const toMetadata = !!alert.network?.dstIp && INSTANCE_METADATA_ADDRESSES.has(alert.network.dstIp);
  // Being the entrypoint says who opened a connection, not why: a destination out of the cluster that neither the
  // cluster nor the pod's spec names is the behaviour to explain (a trojaned image's own entrypoint calling home). A
  // known component's image (a log shipper, an agent) is the explanation: sending out is its documented work.
  const egress = (!componentOfPod(index, pod, container.spec) && unexplainedEgress(alert, pod, index)) || kubeletApiCall(ctx, pod);
  if (cmd && !egress && (!toMetadata || declaresCloudClient(pod)) && entrypointMatches(cmd, container.spec) && !argsOnlyRepeat(alert.process, container.spec)) {
    return own('strong', `${clip(cmd)} is the container's own entrypoint (pod spec command and args) in ${who()}.`);
  }
  if (cmd) {
    const probe = probeCommands(container.spec).find((p) => commandMatches(cmd, p.argv));
    if (probe) {
      return [benign('workload-baseline', 'workload-baseline', 'strong', `${clip(cmd)} is the ${probe.kind} exec command of ${who()}; kubelet runs it through the container runtime, with no audit event.`)];
    }
    // `sh -c "curl … || exit 1"` probes: the shell is the probe, the alert is the program it runs.
    const parent = alert.process.ancestors[0]?.commandLine;
    const viaShell = parent ? probeCommands(container.spec).find((p) => commandMatches(parent, p.argv)) : undefined;
    if (viaShell) {
      return [benign('workload-baseline', 'workload-baseline', 'strong', `${clip(cmd)} is run by ${clip(parent!, 80)}, the ${viaShell.kind} exec command of ${who()}; kubelet runs it through the container runtime, with no audit event.`)];
    }
  }
  if (cmd && scriptStepMatches(cmd, container.spec)) {
    return own('strong', `${clip(cmd)} is one of the commands of the container's own entrypoint script (pod spec command) in ${who()}.`);
  }
  if (!cmd) {
    const program = scriptProgram(ctx, container);
    if (program.length) return program;
    // A file event naming only the program: the step of the entrypoint script that runs it names this very host file.
    const file = alert.file?.path;
    const use = file ? declaredHostFileUse(index, pod, container.spec, alert, file) : undefined;
    if (use) {
      return [
        benign(
          'workload-baseline',
          'workload-baseline',
          'medium',
          `${alert.process.name ?? 'The process'} opening ${file} is \`${clip(use.step, 100)}\`, a step of the entrypoint of ${who()}, which names that file and mounts it from the host (${use.hostPath} at ${use.mountPath}); the alert gives no command line to compare.`,
        ),
      ];
    }
  }
  const ancestors = alert.process.ancestors;
  if (!ancestors.some((a) => a.commandLine || a.path || a.name)) {
    const program = componentProgram(ctx, container);
    if (program.length) return program;
  }
  if (ancestors.length === 0) return [];
  const argv = containerArgv(container.spec);
  if (argv.length === 0) return [];
  const wrapped = wrappedCommand(argv);
  const parentIndex = ancestors.slice(0, 2).findIndex((a) => entrypointMatches(a.commandLine, container.spec) || (!!wrapped && commandMatches(a.commandLine, wrapped)));
  if (parentIndex !== -1) {
    // An application server that starts a shell script is what a webshell or an injected command looks like; a shell
    // is ordinary work only under an entrypoint that is itself a shell or script runner.
    const between = [alert.process, ...ancestors.slice(0, parentIndex)];
    if (shellScriptUnderApplication(between, ancestors[parentIndex])) return [];
    // As for the entrypoint itself: descending from it says who reached out, not why — when the alert names the
    // destination (a looked-up or requested host) and neither the cluster nor the spec names it. A bare public
    // address cannot be compared with the names a spec gives, so it neither explains nor indicts here.
    if (egress && alert.network?.domain) return [];
    // Nor is a child told to reach out of the cluster where neither the cluster nor the spec says it goes (a URL or an
    // address in its command line: an injected `curl http://198.51.100.7/p -o …`, a payload given its server).
    if (commandEgress(ctx, pod, container.spec)) return [];
    return own('medium', `${clip(cmd ?? alert.process.name ?? 'The process')} is ${parentIndex === 0 ? 'a child' : 'a grandchild'} of ${clip(argv.join(' '), 80)}, the entrypoint of ${who()}, doing its ordinary work.`);
  }
  return [];
}


/**
 * With only `args` in the spec the image's entrypoint is unknown, so any program given the same arguments matches: a
 * process whose reported parent is neither the runtime (or its init) nor the container's entrypoint itself is a
 * repeat of those arguments by something else, not the container's first process.
 */
// `pause` is PID 1 of a pod that shares one process namespace: its containers' first processes are its children, and
// sensors that read the pod's process tree (SentinelOne) report it as their parent.
const INIT_WRAPPERS = new Set(['tini', 'dumb-init', 'catatonit', 's6-svscan', 'runsv', 'supervisord', 'pause']);
function argsOnlyRepeat(p: Alert['process'], spec: ContainerSpec): boolean {
  const parent = p.ancestors[0];
  if (spec.command?.length || !parent || !(parent.commandLine || parent.path || parent.name)) return false;
  return !executableNames(parent).some((n) => RUNTIME_PARENTS.test(n) || INIT_WRAPPERS.has(n)) && !entrypointMatches(parent.commandLine, spec);
}


/**
 * A program a known component's daemon runs (the ingress controller's nginx, the PTP daemon's ptp4l), in that
 * component's own pod confirmed by image, namespace and owner, when the product names no parent to compare with the
 * entrypoint. Network components are node-networking's; a shell is never a component's program here.
 */
function componentProgram(ctx: RuleContext, container: NonNullable<RuleContext['correlation']['subject']['container']>): Evidence[] {
  const match = componentOfPod(ctx.index, container.pod, container.spec);
  if (match?.strength !== 'strong' || NODE_NETWORK_ROLES.has(match.component.role)) return [];
  const own = executableNames(ctx.alert.process).find((n) => !SCRIPT_SHELLS.has(n) && (match.component.binaries.includes(n) || match.component.daemons.includes(n)));
  if (!own) return [];
  return [
    benign(
      'workload-baseline',
      'workload-baseline',
      'medium',
      `${own} is a program ${match.component.name} runs, in its own pod ${describePod(ctx.index, container.pod)}, container ${container.spec.name} (the alert names no parent process to compare with the entrypoint).`,
    ),
  ];
}

/**
 * The program a wrapper entrypoint starts: `tini -- app …`, `dumb-init -- app …`, Tekton's
 * `/tekton/bin/entrypoint … -entrypoint buildah -- bud …` (the binary named by -entrypoint, then the words after --).
 */
function wrappedCommand(argv: string[]): string[] | undefined {
  const dash = argv.indexOf('--');
  if (dash <= 0 || dash === argv.length - 1) return undefined;
  const rest = argv.slice(dash + 1);
  const flag = argv.findIndex((a, i) => i < dash && /^--?entrypoint$/.test(a));
  if (flag >= 0 && argv[flag + 1] && flag + 1 < dash) return [argv[flag + 1], ...rest];
  const eq = argv.slice(0, dash).find((a) => /^--?entrypoint=/.test(a));
  return eq ? [eq.slice(eq.indexOf('=') + 1), ...rest] : rest;
}

/** A shell script (or its child) whose nearest non-shell ancestor is an application, not a shell or script runner. */
function injectedOnReplicas(p: Alert['process']): boolean {
  const chain = [p, ...p.ancestors.slice(0, 3)];
  const app = chain.findIndex((q, i) => i > 0 && !executableNames(q).some((n) => SCRIPT_SHELLS.has(n)));
  return app > 0 && shellScriptUnderApplication(chain.slice(0, app), chain[app]);
}

/**
 * The process's command line names a destination out of the cluster that neither the cluster nor the pod's spec
 * accounts for (a known component's own pod excepted: reaching out is its documented work). The connection a network
 * alert reports is not asked here: storage and API clients reach provider addresses no spec names.
 */
function commandEgress(ctx: RuleContext, pod: Pod, spec: ContainerSpec | undefined): string | undefined {
  if (componentOfPod(ctx.index, pod, spec)) return undefined;
  return unexplainedCommandEgress(ctx.alert.process.commandLine, pod, ctx.index, ctx.alert.time);
}

function replicaEvidence(ctx: RuleContext): Evidence[] {
  const { alert, correlation } = ctx;
  const pod = correlation.subject.pod!;
  // The same reach out of the cluster on several replicas is one campaign reaching them all, not a baseline.
  if (commandEgress(ctx, pod, correlation.subject.container?.spec)) return [];
  // The same command in several replicas of this workload across the export: the workload's own behaviour. Not for
  // processes the runtime started directly (kubectl exec, probes): an intruder repeating a command is not a baseline.
  const cmd = alert.process.commandLine;
  // Nor a shell script an application started, repeated on every replica an attacker reached (one injection, many pods).
  if (cmd && ctx.batch && !startedByRuntime(alert) && !injectedOnReplicas(alert.process)) {
    const workload = workloadKeyOf(correlation);
    const pods = workload ? ctx.batch.podsByCommand.get(batchKey(workload, cmd)) : undefined;
    if (pods && pods.size >= 2 && pods.has(pod.metadata.name)) {
      const names = [...pods].sort();
      return [
        benign(
          'workload-baseline',
          'workload-baseline',
          'medium',
          `${clip(cmd)} ran in ${names.length}${names.length >= 16 ? '+' : ''} replicas of ${correlation.subject.workload!.kind} ${correlation.subject.workload!.namespace}/${correlation.subject.workload!.name} in this export (${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''}): the workload's own behaviour.`,
        ),
      ];
    }
  }
  return [];
}

function podCidrs(node: Node): string[] {
  const spec = node.spec as { podCIDR?: unknown; podCIDRs?: unknown } | undefined;
  const list = Array.isArray(spec?.podCIDRs) ? spec.podCIDRs : [spec?.podCIDR];
  return list.filter((c): c is string => typeof c === 'string');
}

/** First host address of an IPv4 CIDR (a bridge CNI's gateway on the node): 10.244.3.128/25 → 10.244.3.129. */
function bridgeAddress(cidr: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const bits = Number(m[5]);
  if (bits > 30) return undefined;
  const ip = m.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - bits);
  const first = ip - (ip % size) + 1;
  return [24, 16, 8, 0].map((shift) => Math.floor(first / 2 ** shift) % 256).join('.');
}

function probePorts(pod: Pod): Set<string> {
  const ports = new Set<string>();
  for (const c of pod.spec.containers) {
    for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      const p = c[kind];
      const port = p?.httpGet?.port ?? p?.tcpSocket?.port ?? p?.grpc?.port;
      if (port === undefined) continue;
      if (typeof port === 'number') ports.add(String(port));
      else {
        const named = c.ports?.find((x) => x.name === port);
        if (named) ports.add(String(named.containerPort));
      }
    }
  }
  return ports;
}

function declaredPorts(pod: Pod): Set<number> {
  return new Set(pod.spec.containers.flatMap((c) => (c.ports ?? []).flatMap((p) => [p.containerPort, ...(p.hostPort ? [p.hostPort] : [])])));
}

function servicesSelecting(ctxServices: KubeObject[], pod: Pod): KubeObject[] {
  const labels = pod.metadata.labels ?? {};
  return ctxServices.filter((s) => {
    const sel = (s.spec as { selector?: Record<string, string> } | undefined)?.selector;
    return s.metadata.namespace === pod.metadata.namespace && sel && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
  });
}

/** What a collector pod scrapes on this port, by image or by a known component's scrape ports. */
function collectorFor(index: RuleContext['index'], pod: Pod, port: number): string | undefined {
  const images = pod.spec.containers.map((c) => imageRepoOf(c.image));
  const byImage = COLLECTORS.find((c) => images.some((i) => c.image.test(i)) && c.ports.includes(port));
  if (byImage) return byImage.what;
  const component = componentOfPod(index, pod);
  if (component && component.strength !== 'weak' && component.component.scrapePorts?.includes(port)) return `${component.component.name} scrapes metrics endpoints`;
  if (component?.strength === 'strong' && component.component.kubeletPurpose && port === 10250) return component.component.kubeletPurpose;
  return undefined;
}

/**
 * A collector that scrapes what pods declare, connecting to a port the target pod itself declares as its metrics
 * endpoint (a container port named like `metrics`, or the prometheus.io/port annotation): how it declares, or undefined.
 */
function declaredMetricsScrape(src: Pod, dst: Pod, port: number): { what: string; how: string } | undefined {
  const images = src.spec.containers.map((c) => imageRepoOf(c.image));
  const collector = COLLECTORS.find((c) => c.declaredMetricsPorts && images.some((i) => c.image.test(i)));
  if (!collector) return undefined;
  for (const c of dst.spec.containers) {
    const declared = (c.ports ?? []).find((p) => p.containerPort === port && !!p.name && METRICS_PORT_NAME.test(p.name));
    if (declared) return { what: collector.what, how: `container ${c.name} declares port ${port} as ${declared.name}` };
  }
  if (dst.metadata.annotations?.[PROMETHEUS_PORT_ANNOTATION] === String(port)) return { what: collector.what, how: `its annotation ${PROMETHEUS_PORT_ANNOTATION} is ${port}` };
  return undefined;
}

/** A DaemonSet whose host-network pods serve this port on every node it runs on (node-exporter's 9100). */
function hostPortDaemonSet(index: RuleContext['index'], port: number): KubeObject | undefined {
  return index.list('daemonsets').find((ds) => {
    const spec = (ds.spec as { template?: { spec?: Pod['spec'] } } | undefined)?.template?.spec;
    if (!spec?.hostNetwork) return false;
    return (spec.containers ?? []).some((c) => (c.ports ?? []).some((p) => p.containerPort === port || p.hostPort === port));
  });
}

/** Pods on a node that existed at `time` and had not finished well before it. */
function podsRunningOn(index: RuleContext['index'], nodeName: string, time: string | null): Pod[] {
  const t = time ? Date.parse(time) : undefined;
  return index.podsOnNode(nodeName).filter((p) => {
    if (t === undefined) return podIsLive(p);
    const created = p.metadata.creationTimestamp ? Date.parse(p.metadata.creationTimestamp) : -Infinity;
    if (created > t + 1_000) return false;
    if (podIsLive(p)) return true;
    const finished = (p.status?.containerStatuses ?? []).map((c) => c.state?.terminated?.finishedAt).filter((x): x is string => !!x).map(Date.parse);
    return finished.length > 0 && Math.max(...finished) >= t - 60_000;
  });
}

/** Does the pod's own spec (command, args, env values) name this address, and the port too? */
function namesPeer(pod: Pod, address: string, port: number | undefined): { host: boolean; port: boolean } {
  const words = pod.spec.containers.flatMap((c) => [...containerArgv(c), ...(c.env ?? []).map((e) => e.value ?? '')]);
  const host = words.some((a) => new RegExp(`(?:^|[=/@:,\\s])${address.replace(/\./g, '\\.')}(?:$|[:/,\\s])`).test(a));
  const byPort = port !== undefined && words.some((a) => new RegExp(`(?:^|[=:\\s])${port}(?:$|[/,\\s])`).test(a));
  return { host, port: host && byPort };
}

/**
 * The pod behind a node-addressed flow to a peer outside the cluster: one running on the source node at the time whose
 * own spec (command, args, env) names the destination address. Pod egress is SNATed to the node's address.
 */
export function snatClient(ctx: RuleContext): Pod | undefined {
  const { alert, correlation, index } = ctx;
  const n = alert.network;
  const src = correlation.subject;
  const dst = correlation.peer;
  if (!n || src.pod || !src.node || !n.dstIp || dst?.pod || dst?.node) return undefined;
  const domain = n.domain;
  return podsRunningOn(index, src.node.metadata.name, alert.time).find((p) => namesPeer(p, n.dstIp!, n.dstPort).host || (!!domain && !!namedRequest(p, domain, n.url)));
}

/**
 * The word of the pod's own command, or the value of one of its env variables (`SHIPPING_API_URL=http://partner.example/v2`,
 * the workload's configured endpoint), that names this host as a URL host, and whether it names the request's path too.
 */
/**
 * Whether the text at `at` is the host part of a URL: right after `scheme://`, or after its user-info
 * (`postgres://app:secret@db.example:5432/app`, how database and broker URLs carry their credentials).
 */
function urlHostAt(lower: string, at: number): boolean {
  if (lower.startsWith('://', at - 3)) return true;
  if (lower[at - 1] !== '@') return false;
  const scheme = lower.lastIndexOf('://', at);
  return scheme !== -1 && !/[/\s@]/.test(lower.slice(scheme + 3, at - 1));
}

function namedRequest(pod: Pod, host: string, url: string | undefined): { word: string; path: boolean } | undefined {
  const target = host.toLowerCase();
  const path = url && url.startsWith('/') && url.length > 1 ? url : undefined;
  let hostOnly: string | undefined;
  for (const c of pod.spec.containers) {
    for (const word of [...containerArgv(c), ...(c.env ?? []).map((e) => e.value ?? '')]) {
      const lower = word.toLowerCase();
      let at = lower.indexOf(target);
      while (at !== -1) {
        const end = at + target.length;
        const next = lower[end];
        if (urlHostAt(lower, at) && (next === undefined || next === '/' || next === ':' || next === '?' || next === "'" || next === '"' || next === ' ')) {
          const rest = word.slice(end).replace(/^:\d+/, '');
          if (path && rest.startsWith(path)) return { word, path: true };
          hostOnly ??= word;
        }
        at = lower.indexOf(target, at + 1);
      }
    }
  }
  if (hostOnly) return { word: hostOnly, path: false };
  // A bucket's virtual-hosted endpoint, which the spec names as the bucket's URI (s3://bucket/prefix).
  const bucket = bucketUriOf(target);
  if (!bucket) return undefined;
  for (const c of pod.spec.containers) {
    for (const word of [...containerArgv(c), ...(c.env ?? []).map((e) => e.value ?? '')]) {
      const lower = word.toLowerCase();
      const at = lower.indexOf(bucket);
      const next = at === -1 ? undefined : lower[at + bucket.length];
      if (at !== -1 && (at === 0 || /[\s='"]/.test(lower[at - 1])) && (next === undefined || next === '/' || next === "'" || next === '"' || next === ' ')) return { word, path: false };
    }
  }
  return undefined;
}

/** The cluster's own `kubernetes` Service (default/kubernetes) at this address and port. */
function isKubernetesService(index: RuleContext['index'], ip: string, port: number): boolean {
  const svc = index.serviceByIp(ip);
  if (!svc || svc.metadata.namespace !== 'default' || svc.metadata.name !== 'kubernetes') return false;
  const ports = (svc.spec as { ports?: { port?: number }[] } | undefined)?.ports ?? [];
  return ports.length === 0 || ports.some((p) => p.port === port);
}

/** The provider an ExternalDNS container's own arguments select, when `domain` is one of that provider's API hosts. */
const hasController = (pod: Pod) => (pod.metadata.ownerReferences ?? []).some((o) => o.controller);

/** The sensor names no process, or the container's own entrypoint. */
function ownProcessOrNone(p: ProcessInfo, spec: ContainerSpec | undefined): boolean {
  if (!p.name && !p.path && !p.commandLine) return true;
  return !!spec && entrypointMatches(p.commandLine, spec);
}

/**
 * The process the sensor names (if any) is the workload's own: its container's entrypoint, or a descendant of it with no
 * shell script an application started in between. nc under an interactive shell in the pod is not, whatever its peer.
 */
function madeByWorkload(alert: RuleContext['alert'], spec: ContainerSpec | undefined): boolean {
  const p = alert.process;
  if (!p.name && !p.path && !p.commandLine) return true;
  if (!spec) return false;
  if (entrypointMatches(p.commandLine, spec)) return true;
  const chain = p.ancestors.slice(0, 6);
  const at = chain.findIndex((a) => entrypointMatches(a.commandLine, spec));
  return at >= 0 && !shellScriptUnderApplication([p, ...chain.slice(0, at)], chain[at]);
}

function dnsProviderCall(pod: Pod, domain: string): string | undefined {
  const host = domain.toLowerCase().replace(/\.$/, '');
  for (const c of pod.spec.containers) {
    const repo = imageRepository(c.image);
    if (!DNS_CONTROLLER_IMAGES.some((suffix) => repo === suffix || repo.endsWith(`/${suffix}`))) continue;
    const argv = containerArgv(c);
    for (let i = 0; i < argv.length; i++) {
      const provider = argv[i].startsWith('--provider=') ? argv[i].slice('--provider='.length) : argv[i] === '--provider' ? argv[i + 1] : undefined;
      if (provider && Object.hasOwn(DNS_PROVIDER_API_HOSTS, provider) && DNS_PROVIDER_API_HOSTS[provider].includes(host)) return provider;
    }
  }
  return undefined;
}

function networkFlow(ctx: RuleContext): Evidence[] {
  const { alert, correlation, index } = ctx;
  const n = alert.network;
  const src = correlation.subject;
  const dst = correlation.peer;
  if (!n) return [];
  const port = n.dstPort;
  // The source is a node address, but pod traffic leaving the cluster network is SNATed to it (OVN-Kubernetes, the
  // VPC CNI to outside): a pod running on that node then whose own spec names this peer explains the flow — unless
  // that spec is itself an attack (pod-spec-indicators says so), which a peer named in it cannot excuse.
  const client = snatClient(ctx);
  if (client && !specIndicatorOf(index, client)) {
    if (src.node && n.dstIp) {
      const { host: byAddress, port: byPort } = namesPeer(client, n.dstIp, port);
      const named = !byAddress && n.domain ? namedRequest(client, n.domain, n.url) : undefined;
      if (named) {
        return [
          benign(
            'workload-baseline',
            'workload-baseline',
            'medium',
            `${describePod(index, client)}, running on ${src.node.metadata.name} at the time, requests ${clip(n.domain!, 100)}, the host its own spec names (${clip(named.word, 100)}); its traffic leaves the node with the node's address.`,
          ),
        ];
      }
      return [
        benign(
          'workload-baseline',
          'workload-baseline',
          byPort ? 'strong' : 'medium',
          `${describePod(index, client)}, running on ${src.node.metadata.name} at the time, connects to ${n.dstIp}${port !== undefined ? `:${port}` : ''}, the peer its own container command names; its traffic leaves the node with the node's address.`,
        ),
      ];
    }
  }
  // A peer the source pod's own arguments name (`--proxy-server-host=172.16.0.2 --proxy-server-port=8132`).
  if (src.pod && n.dstIp) {
    const args = src.pod.spec.containers.flatMap((c) => containerArgv(c));
    const namesHost = args.some((a) => new RegExp(`(?:^|[=/@:,\\s])${n.dstIp!.replace(/\./g, '\\.')}(?:$|[:/,\\s])`).test(a));
    const namesPort = port !== undefined && args.some((a) => new RegExp(`(?:^|[=:\\s])${port}(?:$|[/,\\s])`).test(a));
    if (namesHost) {
      const component = componentOfPod(index, src.pod);
      return [
        benign(
          'workload-baseline',
          baselineCause(index, src.pod),
          namesPort ? 'strong' : 'medium',
          `${describePod(index, src.pod)}${component ? ` (${component.component.name})` : ''} connects to ${n.dstIp}${port !== undefined ? `:${port}` : ''}, the peer its own container arguments name.`,
        ),
      ];
    }
  }
  // A web request to the host (and path) the source pod's own command names (`curl -fsS 'http://rates.example/v1/latest?base=EUR'`):
  // the NDR saw the workload's configured fetch. A spec that is itself an attack excuses nothing.
  if (src.pod && n.domain) {
    const named = namedRequest(src.pod, n.domain, n.url);
    if (named && !specIndicatorOf(index, src.pod)) {
      return [
        benign(
          'workload-baseline',
          'workload-baseline',
          named.path ? 'strong' : 'medium',
          `${describePod(index, src.pod)} requests ${clip(`${n.domain}${named.path ? n.url : ''}`, 100)}, ${named.path ? 'the very URL' : 'the host'} its own spec names (${clip(named.word, 100)}).`,
        ),
      ];
    }
  }
  // A telemetry agent sending to its backend on its export protocol's port: regular by design, so an NDR sees beaconing.
  // A process the sensor names must be the collector's own entrypoint.
  if (src.pod && port !== undefined && !dst?.pod && !dst?.node && !specIndicatorOf(index, src.pod) && ownProcessOrNone(alert.process, src.container?.spec)) {
    const images = src.pod.spec.containers.map((c) => imageRepoOf(c.image));
    const exporter = TELEMETRY_EXPORTERS.find((e) => e.ports.includes(port) && images.some((i) => e.image.test(i)));
    if (exporter) {
      return [
        benign(
          'workload-baseline',
          'workload-baseline',
          'medium',
          `${describePod(index, src.pod)} runs ${src.pod.spec.containers.map((c) => c.image).join(', ')}: ${exporter.what}, here to ${clip(n.domain ?? n.dstIp ?? 'its backend', 100)}:${port}.`,
        ),
      ];
    }
  }
  // ExternalDNS calling the API of the DNS provider its own --provider argument selects: a controller's pod (a naked pod
  // with a look-alike image is not ExternalDNS), and no process the sensor names other than its own entrypoint (curl
  // typed into the pod is not).
  if (src.pod && n.domain && !specIndicatorOf(index, src.pod) && hasController(src.pod) && ownProcessOrNone(alert.process, src.container?.spec)) {
    const provider = dnsProviderCall(src.pod, n.domain);
    if (provider) {
      return [
        benign(
          'workload-baseline',
          'workload-baseline',
          'medium',
          `${describePod(index, src.pod)} is ExternalDNS with --provider=${provider}; ${clip(n.domain, 100)} is that provider's DNS API, which it calls to manage records.`,
        ),
      ];
    }
  }
  // A known agent that reads the instance metadata service from its own pod address (the CloudWatch agent using the
  // node role, a CSI node plugin learning its instance id): its work. A process the sensor names must be the agent's own
  // (a shell or curl in its pod is not); a credential path from an agent that only reads its identity stays with the indicator.
  if (src.pod && !src.pod.spec.hostNetwork && n.dstIp === '169.254.169.254') {
    const match = componentOfPod(index, src.pod);
    const names = executableNames(alert.process);
    const own = names.every((name) => !!match && (match.component.daemons.includes(name) || match.component.binaries.includes(name)));
    if (match?.strength === 'strong' && (match.component.usesInstanceMetadata || match.component.readsInstanceIdentity) && own) {
      return [
        benign(
          'workload-baseline',
          'workload-baseline',
          'medium',
          `${describePod(index, src.pod)} is ${match.component.name}, which reads the instance metadata service from its own pod as part of its work${n.url ? ` (${clip(n.url, 100)})` : ''}.`,
        ),
      ];
    }
  }
  // A known API client (an agent or controller, confirmed by namespace, owner and image) whose own daemon reaches the
  // API server through the `kubernetes` Service: that is its work. A shell or a downloaded tool in its pod is not.
  if (src.pod && n.dstIp && port !== undefined && isKubernetesService(index, n.dstIp, port)) {
    const match = componentOfPod(index, src.pod);
    const names = daemonNames(alert.process);
    if (match?.strength === 'strong' && match.component.apiClient && names.length > 0 && names.every((name) => match.component.daemons.includes(name))) {
      return [
        benign(
          'workload-baseline',
          'workload-baseline',
          'medium',
          `${names[0]} is the daemon of ${describePod(index, src.pod)} (${match.component.name}), an API client by design, connecting to the API server through Service default/kubernetes (${n.dstIp}:${port}).`,
        ),
      ];
    }
  }
  // An operator's controller (confirmed by namespace, owner and image) calling the admin endpoint of a pod it manages,
  // which carries that operator's labels: its reconciliation. The same call from any other pod or address is not.
  if (src.pod && dst?.pod && port !== undefined) {
    const match = componentOfPod(index, src.pod);
    const labels = dst.pod.metadata.labels ?? {};
    const managed = match?.strength === 'strong' ? match.component.manages?.find((m) => m.port === port && Object.entries(m.podLabels).every(([k, v]) => labels[k] === v)) : undefined;
    if (managed) {
      return [
        benign(
          'workload-baseline',
          'workload-baseline',
          'medium',
          `${describePod(index, src.pod)} is ${match!.component.name}; ${describePod(index, dst.pod)} is a pod it manages (${Object.entries(managed.podLabels).map(([k, v]) => `${k}=${v}`).join(', ')}), and port ${port} is ${managed.what}.`,
        ),
      ];
    }
  }
  // A collector's scrapes of node exporters, seen from its node's address (SNAT) as a sweep of one port.
  if (!src.pod && src.node && port !== undefined && !dst?.pod) {
    const scraper = podsRunningOn(index, src.node.metadata.name, alert.time).find((p) => collectorFor(index, p, port));
    const listener = dst?.node ? index.podsOnNode(dst.node.metadata.name).find((p) => p.spec.hostNetwork && declaredPorts(p).has(port)) : undefined;
    const everyNode = dst?.node ? undefined : hostPortDaemonSet(index, port);
    if (scraper && (listener || everyNode)) {
      const what = collectorFor(index, scraper, port)!;
      return [
        benign(
          'workload-baseline',
          'workload-baseline',
          'medium',
          `${describePod(index, scraper)} runs on ${src.node.metadata.name}, whose address its traffic leaves with; port ${port} is ${listener ? `where host-network ${describePod(index, listener)} listens on ${dst!.node!.metadata.name}` : `served on every node by host-network DaemonSet ${everyNode!.metadata.namespace}/${everyNode!.metadata.name}`}: ${what}.`,
        ),
      ];
    }
  }
  if (!dst) return [];
  // kubelet → probe endpoint of a pod on that very node.
  if (src.node && !src.pod && dst.pod && index.nodeOfPod(dst.pod) === src.node && port !== undefined && probePorts(dst.pod).has(String(port))) {
    const ua = n.userAgent && /kube-probe/i.test(n.userAgent) ? ` (user agent ${n.userAgent})` : '';
    return [benign('workload-baseline', 'workload-baseline', 'strong', `The kubelet of ${src.node.metadata.name}${ua} is calling a probe on port ${port} of ${describePod(index, dst.pod)}, which runs on that node.`)];
  }
  // With a bridge CNI (flannel's cni0, kubenet's cbr0) the kubelet's probes reach the pods from the bridge's address,
  // the first host of the node's pod CIDR, not from the node's own.
  if (!src.node && !src.pod && n.srcIp && dst.pod && port !== undefined && probePorts(dst.pod).has(String(port)) && n.userAgent && /^kube-probe\//i.test(n.userAgent)) {
    const node = index.nodeOfPod(dst.pod);
    const cidr = node && podCidrs(node).find((c) => bridgeAddress(c) === n.srcIp);
    if (node && cidr) {
      return [
        benign(
          'workload-baseline',
          'workload-baseline',
          'strong',
          `${n.srcIp} is the bridge address of ${node.metadata.name} (first host of its pod CIDR ${cidr}), where its kubelet's probes (user agent ${n.userAgent}) come from; it is calling a probe on port ${port} of ${describePod(index, dst.pod)}, which runs on that node.`,
        ),
      ];
    }
  }
  // Collectors scraping nodes and exporters.
  if (src.pod && port !== undefined) {
    const collector = collectorFor(index, src.pod, port);
    const target = dst.pod ? describePod(index, dst.pod) : dst.node ? `node ${dst.node.metadata.name}` : undefined;
    const hostListener = dst.node && !dst.pod ? index.podsOnNode(dst.node.metadata.name).find((p) => p.spec.hostNetwork && declaredPorts(p).has(port)) : undefined;
    if (collector && target) {
      return [
        benign(
          'workload-baseline',
          'workload-baseline',
          'strong',
          `${describePod(index, src.pod)} connects to port ${port} of ${target}${hostListener ? `, where host-network ${describePod(index, hostListener)} listens` : ''}: ${collector}.`,
        ),
      ];
    }
  }
  // A collector scraping the metrics port a pod declares (any number: OpenTelemetry's 9464, an app's own).
  if (src.pod && dst.pod && port !== undefined && madeByWorkload(alert, src.container?.spec)) {
    const scrape = declaredMetricsScrape(src.pod, dst.pod, port);
    // Where the record shows the request, it must be a scrape: a metrics path and Prometheus's user agent.
    const looksLikeScrape = (!n.url || SCRAPE_URL_PATH.test(n.url)) && (!n.userAgent || SCRAPE_USER_AGENT.test(n.userAgent));
    if (scrape && looksLikeScrape) {
      return [
        benign('workload-baseline', 'workload-baseline', 'strong', `${describePod(index, src.pod)} connects to port ${port} of ${describePod(index, dst.pod)}, whose ${scrape.how}: ${scrape.what}.`),
      ];
    }
  }
  // Pod to pod: the destination serves a declared port, behind a Service of its namespace or named by the source's own
  // spec — by pod or Service name in the same namespace, or by cluster DNS name (`db-0.db.ledger.svc`) from another.
  if (src.pod && dst.pod && port !== undefined && declaredPorts(dst.pod).has(port) && madeByWorkload(alert, src.container?.spec)) {
    const sameNamespace = src.pod.metadata.namespace === dst.pod.metadata.namespace;
    const ns = dst.pod.metadata.namespace ?? '';
    const services = servicesSelecting(index.list('services'), dst.pod);
    const srcArgs = src.pod.spec.containers.flatMap((c) => [...containerArgv(c), ...(c.env ?? []).map((e) => `${e.name}=${e.value ?? ''}`)]).join(' ');
    const escape = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const names = sameNamespace
      ? [dst.pod.metadata.name, ...services.map((s) => s.metadata.name)]
      : [...services.map((s) => `${dst.pod!.metadata.name}.${s.metadata.name}.${ns}`), ...services.map((s) => `${s.metadata.name}.${ns}`)];
    const named = names.find((name) => new RegExp(`\\b${escape(name)}\\b`).test(srcArgs));
    if ((sameNamespace && services.length) || named) {
      return [
        benign(
          'workload-baseline',
          'workload-baseline',
          named ? 'strong' : 'medium',
          `${describePod(index, src.pod)} talks to port ${port} of ${describePod(index, dst.pod)}${services.length ? `, a backend of Service ${services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`).join(', ')}` : ''}${named ? `, which its own spec names (${named})` : ''}: ${sameNamespace ? `ordinary traffic inside namespace ${ns}` : 'a dependency its own configuration declares'}.`,
        ),
      ];
    }
  }
  return [];
}

const ACME_CHALLENGE = /\/\.well-known\/acme-challenge\/([A-Za-z0-9_-]{16,})(?:[?#]|$)/;

/**
 * An inbound request for /.well-known/acme-challenge/<token> (the CA validating an HTTP-01 challenge) that a pod
 * of the cluster serves: a solver pod whose own arguments carry that very token (cert-manager's acmesolver
 * `--token=`), running at the time. The token ties the request to the pod; a guessed or foreign token is not served.
 */
function acmeValidation(ctx: RuleContext): Evidence[] {
  const { alert, index } = ctx;
  const url = alert.network?.url;
  const token = url ? ACME_CHALLENGE.exec(url)?.[1] : undefined;
  if (!token || !alert.time) return [];
  const t = Date.parse(alert.time);
  const solver = index.pods.find((p) => {
    const created = p.metadata.creationTimestamp ? Date.parse(p.metadata.creationTimestamp) : NaN;
    if (!(created <= t) || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') return false;
    return p.spec.containers.some((c) => containerArgv(c).some((a) => a === `--token=${token}`));
  });
  if (!solver) return [];
  return [
    benign(
      'workload-baseline',
      'workload-baseline',
      'strong',
      `The request for /.well-known/acme-challenge/${token.slice(0, 12)}… is the certificate authority validating an HTTP-01 challenge: ${describePod(index, solver)}, created at ${solver.metadata.creationTimestamp}, serves exactly that token (its own --token argument).`,
    ),
  ];
}

export const workloadBaseline: Rule = {
  id: 'workload-baseline',
  family: 'workload-baseline',
  direction: 'benign',
  description: "A workload's own behaviour: its entrypoint, exec probes and hooks, children of its entrypoint, kubelet probes, collectors, traffic to its own Services",
  evaluate(ctx) {
    const flow = networkFlow(ctx);
    return [...hostProcess(ctx), ...(flow.length ? flow : acmeValidation(ctx))];
  },
};

/** Script interpreters, with or without a version suffix (ruby3.1, python3.12). */
const SCRIPT_INTERPRETER = /^(?:ruby|python|perl|node|php)(?:\d+(?:\.\d+)*)?$/;

/**
 * The program a process is: its executable, or — when that is an interpreter running a script file
 * (`ruby /usr/local/bin/fluentd -c …`) — the script. An interpreter given code inline (`ruby -e`, `python3 -c`) stays
 * the interpreter, which is no component's daemon.
 */
function daemonNames(process: ProcessInfo): readonly string[] {
  const names = executableNames(process);
  if (names.length === 0 || !names.every((n) => SCRIPT_INTERPRETER.test(n))) return names;
  const script = splitCommandLine(process.commandLine ?? '')[1];
  const name = script && !script.startsWith('-') ? baseName(script)?.toLowerCase() : undefined;
  return name ? [name] : names;
}
