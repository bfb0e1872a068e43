import type { Alert } from '../../alerts/model.js';
import { ATTACK_INDICATORS, type AttackIndicator, type IndicatorField } from '../../knowledge/indicators.js';
import type { Evidence, Rule, RuleContext } from '../model.js';
import { clip, componentOfPod, componentPodsOnNode, describePod, executableNames, malicious, moduleLoaderOnNode, securityFacts, timeBetween, isStagingPath, sessionOpenIn } from './support.js';
import { componentOfGonePod, isDistinctiveProgram } from './gone-component.js';
import { isHumanIdentity } from '../identity.js';
import { argvOf, wrappedProgram } from '../argv.js';
import type { NodeComponent } from '../../knowledge/components.js';
import { isNetworkAlert } from '../correlate.js';
import { MAX_EXAMINED_CHARS, examinedPart, indicatorsIn } from './indicator-match.js';
import { hostDebugSessions } from './admin-activity.js';
import { declaredHostFileUse } from './declared-host-files.js';
import { kubeadmHostWork, kubeadmManifestWrite } from './kubeadm-maintenance.js';
import { runtimeQueryOnNode } from './runtime-query.js';
import { hostFileWriterOnNode } from './privileged-root.js';
import { declaredIdentityTokenRead, workloadIdentityTokenFetch } from './workload-identity.js';
import { controllerOwnWork } from './cluster-controller.js';
import { databaseHookOf, declaredHookOf } from './database-hooks.js';
import { sourceHostFetch } from './gitops-render.js';
import { declaredRaySubmission } from './ray-job-entrypoint.js';
import { isPrivateAddress } from '../../cluster/audit-identities.js';
import { kubeletVolumeMount } from './kubelet-volume-mount.js';
import { RUNTIME_SOCKET_FLAGS } from '../../knowledge/container-runtime.js';

/** Entering the host from a `kubectl debug node` pod is what that pod is for, when a person opened it. */
const NODE_DEBUG_USES = new Set(['chroot-host', 'host-namespace-entry', 'runtime-socket']);
const SESSION_SKEW_MS = 60_000;
const KUBEADM_INDICATORS = new Set(['node-credentials', 'static-pod-persistence']);

/** A text of the alert that shows attack indicators, with where it is and what it shows. */
interface FieldText {
  field: IndicatorField;
  text: string;
  /** Where the text is; an ancestor above the parent is described only for a hit (see whereOf). */
  where: string | Alert['process']['ancestors'][number];
  shown: readonly AttackIndicator[];
}

function capitalised(text: string): string {
  return `${text[0].toUpperCase()}${text.slice(1)}`;
}

function whereOf(f: Pick<FieldText, 'where'>): string {
  return typeof f.where === 'string' ? f.where : `an ancestor process (${f.where.name ?? 'unnamed'})`;
}

/** Every text of the alert the indicators read, in field order, with where it is. */
function eachText(alert: Alert, visit: (field: IndicatorField, text: string | undefined, where: FieldText['where']) => void): void {
  const p = alert.process;
  const n = alert.network;
  visit('command', p.commandLine, 'the command line');
  visit('path', p.path, 'the executable path');
  p.ancestors.forEach((a, i) => visit('ancestry', a.commandLine ?? a.path ?? '', i === 0 ? 'the parent process' : a));
  visit('file', alert.file?.path, 'the file path');
  visit('network', n?.url, 'the requested URL');
  visit('network', n?.domain, 'the domain');
  visit('title', alert.title, 'the detection name');
}

/** The texts of the alert that show indicators, in field order (most alerts: none). Each is asked once per text: every indicator looks at several fields. */
function textsShowingIndicators(alert: Alert): FieldText[] {
  const out: FieldText[] = [];
  eachText(alert, (field, text, where) => {
    if (!text) return;
    const shown = indicatorsIn(field, text);
    if (shown.length) out.push({ field, text, where, shown });
  });
  return out;
}

/** The first text of the alert longer than the patterns look at, with where it is. */
function unexaminedText(alert: Alert): { where: string; length: number } | undefined {
  let found: { where: string; length: number } | undefined;
  eachText(alert, (_field, text, where) => {
    if (!found && text && text.length > MAX_EXAMINED_CHARS) found = { where: whereOf({ where }), length: text.length };
  });
  return found;
}

/** The credential paths an indicator hit names: the file itself, or the credential paths in a command line. */
function credentialPaths(indicator: AttackIndicator, field: IndicatorField, text: string): string[] {
  if (field === 'file') return [text];
  const global = new RegExp(indicator.pattern.source, `${indicator.pattern.flags.replace('g', '')}g`);
  const out: string[] = [];
  text = examinedPart(text);
  for (const m of text.matchAll(global)) {
    // The whole path token the match sits in (`--key=/etc/kubernetes/pki/etcd/x.key` → /etc/kubernetes/pki/etcd/x.key).
    const start = text.lastIndexOf(' ', m.index) + 1;
    const end = text.indexOf(' ', m.index + m[0].length);
    const token = text.slice(start, end === -1 ? undefined : end);
    const path = token.slice(token.indexOf('/'));
    if (path.startsWith('/')) out.push(path.replace(/["']+$/, ''));
  }
  return out;
}

/** A credential the workload's own spec mounts from the host and uses in the very step the process runs. */
function declaredCredential(ctx: RuleContext, indicator: AttackIndicator, field: IndicatorField, text: string): string | undefined {
  if (indicator.id !== 'node-credentials' || (field !== 'command' && field !== 'file')) return undefined;
  const { pod, container } = ctx.correlation.subject;
  if (!pod || !container) return undefined;
  const paths = credentialPaths(indicator, field, text);
  if (paths.length === 0) return undefined;
  const uses = paths.map((p) => declaredHostFileUse(ctx.index, pod, container.spec, ctx.alert, p));
  if (uses.some((u) => !u)) return undefined;
  const use = uses[0]!;
  return `${describePod(ctx.index, pod)}, container ${container.spec.name}, mounts ${use.hostPath} at ${use.mountPath} and its own entrypoint runs \`${clip(use.step, 100)}\`, which names ${paths.join(', ')}`;
}

/** A person's `kubectl debug node` session open on the alert's node (on the host, or in the debug pod itself). */
function personsNodeDebugSession(ctx: RuleContext): string | undefined {
  const { node: nodeObject, pod } = ctx.correlation.subject;
  if (!nodeObject) return undefined;
  const node = nodeObject.metadata.name;
  const open = hostDebugSessions(ctx.index).filter(
    (s) => s.node === node && timeBetween(ctx.alert.time, s.start, s.end, SESSION_SKEW_MS) && (!pod || (pod.metadata.namespace === s.namespace && pod.metadata.name === s.pod)),
  );
  // Only a person's session, and only when nobody else (a service account, a stolen token) had one on that node then.
  const session = open.find((s) => isHumanIdentity(s.user, s.groups, ctx.policy as never));
  if (session && open.every((s) => isHumanIdentity(s.user, s.groups, ctx.policy as never))) {
    return `${session.user} had a node debug session on ${session.node} (pod ${session.namespace}/${session.pod}) from ${session.start} to ${session.end}`;
  }
  return undefined;
}

/** What the cluster's context can excuse for one indicator, in the order they are asked; each says what it relied on. */
interface ContextExcuse {
  indicators: ReadonlySet<string>;
  /** Only for a hit in these fields (all fields when absent). */
  fields?: ReadonlySet<IndicatorField>;
  explain(ctx: RuleContext): string | undefined;
}

const onHostOnly = (ctx: RuleContext) => !!ctx.correlation.subject.node && !ctx.correlation.subject.pod;

const CONTEXT_EXCUSES: readonly ContextExcuse[] = [
  {
    // A feed listing a whole public source host (raw.githubusercontent.com) matched a GitOps repository server's fetch.
    indicators: new Set(['threat-intel-match']),
    fields: new Set(['title']),
    explain: sourceHostFetch,
  },
  {
    // A signature for Ray's unauthenticated job API matched the cluster's own KubeRay submitter talking to its head.
    indicators: new Set(['exploit-signature']),
    fields: new Set(['title']),
    explain: declaredRaySubmission,
  },
  {
    // kubeadm's own files, written by kubeadm (or its manifests moved back) on a host whose kubeadm calls the audit log shows.
    indicators: KUBEADM_INDICATORS,
    fields: new Set(['file', 'command']),
    explain: (ctx) => {
      const m = kubeadmHostWork(ctx);
      return m && `${m.what} on ${m.node}, with kubeadm's API calls from ${m.ip} at ${m.call.time}`;
    },
  },
  { indicators: NODE_DEBUG_USES, explain: personsNodeDebugSession },
  {
    // The kubelet mounting a pod's projected token volume (its path names kube-api-access) reads no token.
    indicators: new Set(['service-account-token', 'kubelet-pod-tokens']),
    fields: new Set(['command']),
    explain: (ctx) => {
      const m = kubeletVolumeMount(ctx);
      return m && `the kubelet ${m.unmount ? 'unmounts' : 'mounts'} ${m.kind} volume ${m.volume} of ${m.pod.metadata.namespace}/${m.pod.metadata.name}`;
    },
  },
  {
    // kubeadm upgrading the control plane rewrites its static-pod manifests (see kubeadm-maintenance).
    indicators: new Set(['static-pod-persistence']),
    explain: (ctx) => (kubeadmManifestWrite(ctx) ? 'kubeadm rewrote a control-plane manifest' : undefined),
  },
  {
    // The runtime itself (containerd, a shim, dockerd, CRI-O) naming its own socket with its address flag.
    indicators: new Set(['runtime-socket']),
    fields: new Set(['command']),
    explain: runtimeOwnSocket,
  },
  {
    // A node agent's read-only crictl health check through its own mounted socket (see runtime-query).
    indicators: new Set(['runtime-socket']),
    explain: (ctx) => (runtimeQueryOnNode(ctx) ? 'a read-only runtime query by a node agent' : undefined),
  },
  {
    // A host file a confirmed privileged agent manages, written on the host by its own process (see privileged-root).
    indicators: new Set(['linker-preload']),
    explain: (ctx) => {
      const writer = onHostOnly(ctx) ? hostFileWriterOnNode(ctx.index, ctx.correlation.subject.node!, ctx.alert) : undefined;
      return writer && `${describePod(ctx.index, writer.pod)} is ${writer.match.component.name}, which manages this file`;
    },
  },
  {
    // A metadata proxy's own redirect rule seen by a node sensor: the NAT command's parent is that proxy's daemon, and
    // its confirmed pod runs on the node (kube2iam --iptables). A look-alike daemon name (the CNI's) is not such a proxy.
    indicators: new Set(['metadata-redirect']),
    fields: new Set(['command']),
    explain: (ctx) => {
      if (!onHostOnly(ctx)) return undefined;
      const parent = executableNames(ctx.alert.process.ancestors[0]);
      const proxy = componentPodsOnNode(ctx.index, ctx.correlation.subject.node, (c) => !!c.redirectsInstanceMetadata && parent.some((n) => c.daemons.includes(n))).find(({ match }) => match.strength === 'strong');
      return proxy && `${describePod(ctx.index, proxy.pod)} is ${proxy.match.component.name}, whose daemon installs this redirect to answer pods' metadata requests itself`;
    },
  },
  {
    // A Google client library refreshing its Workload Identity token through gke-metadata-server (see workload-identity).
    indicators: new Set(['instance-metadata-credentials']),
    fields: new Set(['network', 'title']),
    explain: workloadIdentityTokenFetch,
  },
  {
    // A cloud SDK re-reading the workload-identity token its platform mounted and declared for it (see workload-identity).
    indicators: new Set(['service-account-token']),
    fields: new Set(['file']),
    explain: declaredIdentityTokenRead,
  },
  {
    // A Kubernetes controller's own program reading the service-account token it calls the API server with (see cluster-controller).
    indicators: new Set(['service-account-token']),
    fields: new Set(['file']),
    explain: (ctx) => {
      const work = controllerOwnWork(ctx);
      return work && `${work.controller.name}'s own program ${work.what}`;
    },
  },
  {
    // A module load the sensor saw only on the host: the component that loads exactly those modules started there just before.
    indicators: new Set(['kernel-module-load']),
    explain: (ctx) => {
      const loader = onHostOnly(ctx) ? moduleLoaderOnNode(ctx.index, ctx.correlation.subject.node!, ctx.alert) : undefined;
      return loader && `${describePod(ctx.index, loader.pod)} is ${loader.match.component.name}, which loads these modules, and started at ${loader.started}`;
    },
  },
];

/** Interpreters and shells a component's entry scripts run under: they neither confirm nor refute the component. */
const OWN_PROCESS_GENERIC = new Set(['sh', 'bash', 'ash', 'dash', 'busybox', 'python', 'python3', 'perl', 'node', 'java']);

/**
 * A component enters the host (nsenter, chroot) to run one of its own programs there (cilium-mount, sysctl, mount):
 * a wrapper in the chain that starts a shell, another program, or nothing (nsenter then runs a shell) is not its work.
 */
function entersHostWithOwnProgram(alert: Alert, component: NodeComponent): boolean {
  for (const p of [alert.process, ...alert.process.ancestors.slice(0, 4)]) {
    const text = p.commandLine;
    const wrapper = text ? (argvOf(text)[0] ?? '').split('/').pop() : undefined;
    if (wrapper !== 'nsenter' && wrapper !== 'chroot') continue;
    const program = wrappedProgram(text)?.program;
    if (!program || OWN_PROCESS_GENERIC.has(program) || !(component.binaries.includes(program) || component.daemons.includes(program))) return false;
  }
  return true;
}

/** A confirmed system component whose documented behaviour is exactly this (Cilium's nsenter, CSI mkfs, aws-node IMDS). */
function componentExcuse(ctx: RuleContext, indicator: AttackIndicator): string | undefined {
  const pod = ctx.correlation.subject.pod;
  if (!indicator.excusedBy) return undefined;
  if (!pod) return goneComponentExcuse(ctx, indicator);
  const match = componentOfPod(ctx.index, pod, ctx.correlation.subject.container?.spec);
  // The component's own processes only: while someone has a kubectl exec/debug session open in that pod, a look-alike
  // may have been typed by them, and the look-alike is no longer excused.
  const sessionOpen = sessionOpenIn(ctx.index, pod, ctx.alert.time);
  // A process the sensor names must be one of the component's own programs (a generic interpreter counts: entry
  // scripts): curl typed into the agent's pod is not the agent's documented work.
  const names = executableNames(ctx.alert.process);
  const generic = (n: string) => !indicator.excusedForOwnProgramsOnly && OWN_PROCESS_GENERIC.has(n);
  const ownProcess =
    (names.length === 0 && !indicator.excusedForOwnProgramsOnly) || names.some((n) => generic(n) || match?.component.binaries.includes(n) || match?.component.daemons.includes(n));
  if (match && match.strength === 'strong' && !sessionOpen && ownProcess && indicator.excusedBy(match.component) && entersHostWithOwnProgram(ctx.alert, match.component)) {
    return `${describePod(ctx.index, pod)} is ${match.component.name}, which does this as part of its documented work`;
  }
  return undefined;
}

/**
 * The same for a component's DaemonSet pod gone before the snapshot (the audit log recorded it, its DaemonSet's template
 * confirms the component): only a process named as one of the component's own programs, never a generic one.
 */
function goneComponentExcuse(ctx: RuleContext, indicator: AttackIndicator): string | undefined {
  const gone = ctx.correlation.gonePod;
  if (!gone) return undefined;
  const found = componentOfGonePod(ctx.index, gone, ctx.alert.container.name);
  if (!found || !indicator.excusedBy?.(found.match.component)) return undefined;
  const { component } = found.match;
  const names = executableNames(ctx.alert.process);
  // Distinctive programs only (as gone-component judges them): a shell or CLI the component lists is every intruder's too.
  if (!names.some((n) => isDistinctiveProgram(component, n))) return undefined;
  if (!entersHostWithOwnProgram(ctx.alert, component)) return undefined;
  return `${found.where} was ${component.name}, which does this as part of its documented work`;
}

/** Subcommands of the runtimes' clients (docker, ctr, crictl); the daemons themselves take none with their socket flags. */
const RUNTIME_CLIENT_VERBS: ReadonlySet<string> = new Set(['run', 'exec', 'create', 'start', 'cp', 'container', 'containers', 'image', 'images', 'pull', 'push', 'attach', 'commit', 'export', 'save', 'load', 'task', 'tasks', 'snapshot', 'snapshots', 'content', 'rm', 'kill', 'ps', 'inspect', 'build', 'volume', 'network', 'plugin', 'plugins', 'namespaces', 'pods', 'runp', 'login', 'compose', 'buildx']);

/**
 * The process is a container runtime daemon whose command line names sockets only as the values of its own address
 * flags (a plain argument list, run from no temporary or hidden path); undefined otherwise.
 */
function runtimeOwnSocket(ctx: RuleContext): string | undefined {
  const { alert, correlation } = ctx;
  const { commandLine, path } = alert.process;
  if (!commandLine || /[;&|`$<>]/.test(commandLine) || (path && isStagingPath(path))) return undefined;
  const argv = argvOf(commandLine);
  const program = (argv[0] ?? '').split('/').pop() ?? '';
  const flags = Object.hasOwn(RUNTIME_SOCKET_FLAGS, program) ? RUNTIME_SOCKET_FLAGS[program] : undefined;
  if (!flags || isStagingPath(argv[0] ?? '')) return undefined;
  // A daemon takes no subcommand: `dockerd -H … run …` is the Docker CLI (whose -H names the daemon) under that name.
  if (argv.slice(1).some((a) => RUNTIME_CLIENT_VERBS.has(a))) return undefined;
  // In a pod, a socket reached through a hostPath mount is the node's runtime: the daemon there is its client.
  const container = correlation.subject.pod && correlation.subject.container?.spec;
  const hostPaths = container ? securityFacts(correlation.subject.pod!, container).hostPaths : [];
  for (let i = 1; i < argv.length; i++) {
    if (!/\.sock\b/i.test(argv[i])) continue;
    const eq = argv[i].indexOf('=');
    const flag = eq > 0 && argv[i].startsWith('-') ? argv[i].slice(0, eq) : argv[i - 1];
    if (!flags.includes(flag)) return undefined;
    const socket = (eq > 0 && argv[i].startsWith('-') ? argv[i].slice(eq + 1) : argv[i]).replace(/^unix:\/\//, '');
    if (hostPaths.some((h) => socket === h.mountPath || socket.startsWith(`${h.mountPath.replace(/\/$/, '')}/`))) return undefined;
  }
  return `${program} is the container runtime naming its own socket (${flags.join(', ')}), not a client of it`;
}

/** Why the context excuses this indicator's hit in this field, or undefined: the context's excuses, then the component's. */
function excused(ctx: RuleContext, indicator: AttackIndicator, field: IndicatorField): string | undefined {
  for (const excuse of CONTEXT_EXCUSES) {
    if (!excuse.indicators.has(indicator.id) || (excuse.fields && !excuse.fields.has(field))) continue;
    const why = excuse.explain(ctx);
    if (why) return why;
  }
  return componentExcuse(ctx, indicator);
}

/** Servers that never start a shell in normal operation: a shell under one is command injection or a webshell. */
const SERVER_PROCESSES = new Set(['redis-server', 'postgres', 'postmaster', 'mysqld', 'mariadbd', 'mongod', 'memcached', 'nginx', 'httpd', 'apache2', 'php-fpm', 'php-fpm8', 'elasticsearch', 'rabbitmq-server', 'etcd']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'busybox']);

function serverSpawnedShell(ctx: RuleContext): Evidence | undefined {
  const parent = ctx.alert.process.ancestors[0];
  if (!parent) return undefined;
  const server = executableNames(parent).find((n) => SERVER_PROCESSES.has(n));
  if (!server || !executableNames(ctx.alert.process).some((n) => SHELLS.has(n))) return undefined;
  // PostgreSQL's archive/restore commands run through sh -c by design (see database-hooks); only the bare tool call.
  const spec = ctx.correlation.subject.container?.spec;
  if (databaseHookOf(ctx.alert.process) || (spec && declaredHookOf(ctx.alert.process, spec))) return undefined;
  return malicious('attack-indicators', 'strong', `A shell was started by ${server}, a server process that never runs one in normal operation: command injection or a webshell (T1059.004).`, {
    indicator: 'server-spawned-shell',
  });
}

/**
 * A shell that itself holds a connection to an outside address: a shell opens no sockets of its own, so its streams on
 * a socket to the internet (bash's /dev/tcp, Falco's dup2 of stdin/stdout onto it, an EDR's network event of bash) are
 * a reverse shell, whatever the command line shows (`bash -i`). Cluster addresses and DNS lookups are not.
 */
function shellOnOutsideConnection(ctx: RuleContext): Evidence | undefined {
  const n = ctx.alert.network;
  const ip = n?.dstIp;
  if (!ip || n.dstPort === 53 || isPrivateAddress(ip) || ip.startsWith('0.') || ip.startsWith('127.')) return undefined;
  if (!/^\d{1,3}(?:\.\d{1,3}){3}$/.test(ip) || ctx.index.findNode(ip) || ctx.index.podByIp(ip, ctx.alert.time) || ctx.index.serviceByIp(ip)) return undefined;
  // busybox is also wget and nc: its connections are not a shell's.
  const shell = executableNames(ctx.alert.process).find((name) => SHELLS.has(name) && name !== 'busybox');
  if (!shell) return undefined;
  return malicious('attack-indicators', 'strong', `${shell} itself holds a connection to ${ip}${n.dstPort !== undefined ? `:${n.dstPort}` : ''}, an address outside the cluster: a shell opens no sockets of its own, so this is a reverse shell (T1059.004).`, {
    indicator: 'reverse-shell',
    technique: 'T1059.004',
  });
}

export const attackIndicators: Rule = {
  id: 'attack-indicators',
  family: 'attack-indicators',
  direction: 'malicious',
  description: 'Escape, credential theft, miners, reverse shells, download-and-execute, metadata abuse, API recon, log tampering, kernel modules: never dismissed',
  evaluate(ctx) {
    const out: Evidence[] = [];
    const shell = serverSpawnedShell(ctx);
    if (shell) out.push(shell);
    const unexamined = unexaminedText(ctx.alert);
    if (unexamined) {
      const length = unexamined.length.toLocaleString('en-US');
      out.push(
        malicious(this.id, 'strong', `${capitalised(unexamined.where)} is ${length} characters long; attack indicators are looked for in its first ${MAX_EXAMINED_CHARS.toLocaleString('en-US')} only, so the alert is not dismissed (a text that long is unusual, and padding could hide what follows).`, {
          unexamined: unexamined.where,
          length: unexamined.length,
        }),
      );
    }
    const reverse = shellOnOutsideConnection(ctx);
    if (reverse) out.push(reverse);
    const texts = textsShowingIndicators(ctx.alert);
    if (texts.length === 0) return out;
    for (const indicator of ATTACK_INDICATORS) {
      for (const field of indicator.fields) {
        const hit = texts.find((f) => f.field === field && f.shown.includes(indicator));
        if (!hit) continue;
        // A declared credential excuses only the paths this field names: the file the alert names is checked too.
        if (declaredCredential(ctx, indicator, field, hit.text)) continue;
        if (excused(ctx, indicator, field)) break;
        // A network sensor's signature is all the evidence it has; an endpoint's title is weaker than its process facts.
        const strength = field === 'title' ? (isNetworkAlert(ctx.alert) ? 'strong' : 'medium') : field === 'ancestry' ? 'strong' : 'decisive';
        out.push(
          malicious(this.id, strength, `${capitalised(whereOf(hit))} shows ${indicator.what} (${indicator.technique}): ${clip(hit.text, 160)}.`, {
            indicator: indicator.id,
            technique: indicator.technique,
            field,
          }),
        );
        break;
      }
    }
    return out;
  },
};
