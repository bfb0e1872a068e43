/**
 * admin-activity: an alert inside a person's kubectl exec / attach / debug session into that very pod (or, for
 * `kubectl debug node`, on that node's host through the debugger's chroot) is troubleshooting — when the audit log
 * says who opened the session, when, and with which command.
 *
 * Who is trusted (documented here because it decides verdicts):
 * - a person: OIDC / client-certificate users, IAM users, IAM Identity Center (`AWSReservedSSO_*`) role sessions and
 *   role sessions named by an e-mail address. When the policy lists trusted users or groups, only those.
 * - never by default: service accounts, nodes (`system:node:*`), other `system:*` identities, anonymous requests,
 *   machine roles (AWS role sessions named by instance or job ids, GCP service accounts, Azure service principals),
 *   and impersonation (the policy must trust the real caller — or, without trust lists, a person impersonating a person
 *   from an address the audit log also shows them using as themselves). Their sessions make the alert more suspicious.
 * - not even a person, when the session comes from a public address no other person used, with a client the person
 *   never used from the address the rest of the team shares (person-origin.ts): possibly stolen credentials.
 * - the one exception the cluster itself proves: a service account whose own workload's spec runs exactly that
 *   `kubectl exec` / `kubectl cp` against that pod, used from that workload's own pod IP while the pod ran — its
 *   baseline, not an attacker's (the same token from anywhere else is); and a known operator's controller pod running
 *   one of its administration programs without a terminal, from its own pod IP (operator-exec.ts).
 */
import type { Alert, ProcessInfo } from '../../alerts/model.js';
import { baseName, splitCommandLine } from '../../alerts/fields.js';
import { awsRoleSession, identityKind, type IdentityKind, serviceAccountOf } from '../../cluster/audit-identities.js';
import type { AuditActivity, ClusterIndex, ExecSession, Node, Pod } from '../../cluster/model.js';
import { isNodeDebugPodName } from '../../cluster/audit-sessions.js';
import { commandMatches, execCommandMatches } from '../correlate.js';
import type { Evidence, Rule, RuleContext, Strength } from '../model.js';
import { globMatch } from '../policy.js';
import { RUNTIME_PARENTS, allContainerSpecs, benign, clip, describePod, executableNames, malicious, shellScriptUnderApplication } from './support.js';
import { isProxyPod, proxyOfImpersonator } from '../../knowledge/proxies.js';
import { executorOwnSession } from './ci-build.js';
import { deletedBoundPodAlive, inPodNetwork } from './bound-pod.js';
import { ownRequestsFrom, unfamiliarOrigin } from './person-origin.js';
import { describeEgress } from './cluster-egress.js';
import { isContainerRuntimeProcess } from '../../knowledge/container-runtime.js';
import { operatorOwnExec } from './operator-exec.js';

/** Clock skew between the sensor and the API server, and the time a command needs to show up. */
export const SESSION_SKEW_MS = 60_000;

/** Audit-based alerts about these requests are about a session itself. */
const STREAM_OR_DEBUG = new Set(['exec', 'attach', 'ephemeralcontainers', 'portforward']);
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'busybox', 'fish']);
const STRENGTH_RANK: Record<Strength, number> = { weak: 1, medium: 2, strong: 3, decisive: 4 };

/** How the alert is tied to a session. */
export type SessionLink =
  /** the alerting process runs exactly the session's command */
  | 'command'
  /** an ancestor of the alerting process runs exactly the session's command */
  | 'ancestor'
  /** the process runs in the debugger container the session created (it runs only what the user types) */
  | 'debug-container'
  /** a host process on the node of a `kubectl debug node` session, under the debugger's chroot / nsenter */
  | 'node-host'
  /** an audit-based alert about the session's own request */
  | 'api-request'
  /** an interactive process while an interactive shell session was open in that container */
  | 'interactive'
  /** only the time and the pod agree */
  | 'overlap';

export interface SessionMatch {
  session: ExecSession;
  link: SessionLink;
  /** How much the link proves, before the identity is judged. */
  strength: Strength;
  /** Sentence fragment: how the alert ties to the session. */
  how: string;
}

// ---------------------------------------------------------------------------------------------------------------
// time and text helpers

function ms(iso: string): number {
  return Date.parse(iso);
}

export function within(time: string, session: ExecSession, skewMs = SESSION_SKEW_MS): boolean {
  const t = ms(time);
  return t >= ms(session.start) - skewMs && t <= ms(session.end) + skewMs;
}

/** `2026-11-20T09:22:39Z` — second precision is what an analyst compares. */
export function clock(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

export function commandText(argv: string[]): string {
  return clip(argv.map((a) => (/[\s"']/.test(a) || a === '' ? JSON.stringify(a) : a)).join(' '));
}

function chainOf(alert: Alert, depth = 4): ProcessInfo[] {
  return [alert.process, ...alert.process.ancestors.slice(0, depth)];
}

function processText(p: ProcessInfo): string | undefined {
  return p.commandLine ?? p.path ?? p.name;
}

function isShell(argv: string[]): boolean {
  const first = baseName(argv[0]);
  return !!first && SHELLS.has(first) && !argv.includes('-c');
}

export function sessionWhat(s: ExecSession): string {
  switch (s.kind) {
    case 'exec':
      if (s.viaNodeProxy)
        return `exec through the API server's node proxy, straight to ${s.viaNodeProxy}'s kubelet, into ${s.namespace}/${s.pod}${s.container ? `, container ${s.container}` : ''} (${s.command.length ? commandText(s.command) : 'no command logged'})`;
      return `kubectl exec${s.tty ? ' -it' : ''} into ${s.namespace}/${s.pod}${s.container ? `, container ${s.container}` : ''} (${s.command.length ? commandText(s.command) : 'no command logged'})`;
    case 'attach':
      if (s.viaNodeProxy) return `attach through the API server's node proxy, straight to ${s.viaNodeProxy}'s kubelet, to ${s.namespace}/${s.pod}${s.container ? `, container ${s.container}` : ''}`;
      return `kubectl attach to ${s.namespace}/${s.pod}${s.container ? `, container ${s.container}` : ''}`;
    case 'ephemeral-container':
      return `kubectl debug of ${s.namespace}/${s.pod} with ephemeral container ${s.container ?? '(unnamed)'}${s.image ? ` (${s.image})` : ''}${s.targetContainer ? ` targeting ${s.targetContainer}` : ''}`;
    case 'node-debug':
      return `${isNodeDebugPodName(s.pod) ? 'kubectl debug node' : 'a node debug session on'} ${s.node ?? '(unknown node)'} through pod ${s.namespace}/${s.pod}${s.image ? ` (${s.image})` : ''}`;
    case 'portforward':
      return `kubectl port-forward to ${s.namespace}/${s.pod}`;
  }
}

function sessionWindow(s: ExecSession): string {
  return s.end === s.start ? `at ${clock(s.start)}` : `from ${clock(s.start)} to ${clock(s.end)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// linking an alert to sessions

function podExistedFor(pod: Pod, session: ExecSession): boolean {
  // A pod recreated under the same name (StatefulSet, naked pod) after the session began is not the one exec'd into.
  const created = pod.metadata.creationTimestamp;
  return !created || ms(created) <= ms(session.start) + SESSION_SKEW_MS;
}

function sameCluster(ctx: RuleContext, session: ExecSession): boolean {
  const { cluster } = ctx.correlation;
  return !session.cluster || !cluster || !ctx.index.clusters.includes(session.cluster) || session.cluster === cluster;
}

function live(session: ExecSession): boolean {
  // A denied request never started a process; a port-forward runs none in the pod.
  return session.kind !== 'portforward' && (session.code === undefined || session.code < 400);
}

function linkInPod(alert: Alert, session: ExecSession, containerName: string | undefined): Omit<SessionMatch, 'session'> | undefined {
  const debugContainer = session.kind === 'ephemeral-container' || session.kind === 'node-debug';
  if (containerName && session.container && containerName !== session.container) {
    // The user exec'd into another container of the pod; an ephemeral container shares its target's processes only by PID namespace.
    if (!(debugContainer && session.targetContainer === containerName && session.command.length && matchesChain(alert, session.command))) return undefined;
  }
  if (debugContainer && containerName && containerName === session.container) {
    return { link: 'debug-container', strength: 'strong', how: `the process runs in ${session.container}, the debugger container that session created, which runs only what its user types` };
  }
  if (session.command.length) {
    if (execCommandMatches(alert.process.commandLine ?? alert.process.name, session.command) && startedBySession(alert, 0)) {
      return { link: 'command', strength: 'strong', how: `the process runs exactly the session's command (${commandText(session.command)})` };
    }
    const ancestor = alert.process.ancestors.slice(0, 4).find((p, i) => execCommandMatches(processText(p), session.command) && startedBySession(alert, i + 1));
    if (ancestor) {
      return { link: 'ancestor', strength: 'strong', how: `the process descends from ${clip(processText(ancestor) ?? '', 60)}, the session's command` };
    }
  }
  if (alert.process.tty === true && session.tty && (session.kind === 'attach' || debugContainer || isShell(session.command)) && !appStartedShellInChain(alert)) {
    return { link: 'interactive', strength: 'medium', how: 'the process has a terminal, as the interactive session gives it' };
  }
  return { link: 'overlap', strength: 'weak', how: 'the session was open in that pod at the time, though nothing ties this process to it' };
}

/**
 * The container runtime starts an exec'd command: the process at `depth` of the chain (0 = the alert's process) can be
 * the session's only if its parent, when the sensor names one, is the runtime. The same `bash` started by a shell
 * under the application (a webshell during someone's session) is not the session's.
 */
function startedBySession(alert: Alert, depth: number): boolean {
  const parent = alert.process.ancestors[depth];
  if (!parent || !(parent.name || parent.path || parent.commandLine)) return true;
  return executableNames(parent).some((n) => RUNTIME_PARENTS.test(n));
}

/** A shell script an application (not a shell, not the runtime) started, in the chain: a webshell's own terminal. */
function appStartedShellInChain(alert: Alert): boolean {
  const chain = chainOf(alert);
  return chain.some((p, i) => {
    const parent = chain[i + 1];
    return !!parent && !!(parent.name || parent.path || parent.commandLine) && !executableNames(parent).some((n) => RUNTIME_PARENTS.test(n)) && shellScriptUnderApplication([p], parent);
  });
}

function matchesChain(alert: Alert, argv: string[]): boolean {
  return chainOf(alert).some((p) => commandMatches(processText(p), argv));
}

const HOST_ENTRY = [
  { test: (argv: string[]) => baseName(argv[0]) === 'chroot' && argv.slice(1).some((a) => a === '/host' || a.startsWith('/host/')), what: 'chroot /host', strength: 'strong' as Strength },
  { test: (argv: string[]) => baseName(argv[0]) === 'nsenter' && argv.some((a, i) => a === '--target=1' || ((a === '-t' || a === '--target') && argv[i + 1] === '1')), what: 'nsenter into PID 1', strength: 'strong' as Strength },
  { test: (argv: string[]) => baseName(argv[0]) === 'chroot', what: 'a chroot', strength: 'medium' as Strength },
];


/**
 * An interactive shell the container runtime started, in the process's chain: a container's own shell, as a node debug
 * pod's (`kubectl debug node` runs the image's shell; on an OS with no shell on the host there is no chroot to see).
 */
function containerShell(alert: Alert): string | undefined {
  const chain = chainOf(alert);
  for (let i = 0; i + 1 < chain.length; i++) {
    const text = processText(chain[i]);
    if (!text || !isShell(splitCommandLine(text))) continue;
    const parent = baseName(chain[i + 1].name ?? chain[i + 1].path ?? splitCommandLine(processText(chain[i + 1]) ?? '')[0]);
    if (isContainerRuntimeProcess(parent)) return clip(text, 40);
  }
  return undefined;
}

/** Does a process in the chain enter the host the way a node debugger pod is used? */
function hostEntry(alert: Alert): { what: string; strength: Strength } | undefined {
  for (const p of chainOf(alert)) {
    const text = processText(p);
    if (!text) continue;
    const argv = splitCommandLine(text);
    const found = HOST_ENTRY.find((h) => h.test(argv));
    if (found) return found;
  }
  return undefined;
}

function nodeMatches(index: ClusterIndex, name: string | undefined, node: Node): boolean {
  if (!name) return false;
  return name === node.metadata.name || index.findNode(name) === node;
}

/**
 * Node debug sessions: kubectl's own (`node-debug`), and attach / exec sessions into a pod that the same identity
 * created on that node with host access — `oc debug node/<n>` (a `<node>-debug-xxxxx` pod in a temporary
 * `openshift-debug-*` namespace, deleted with it), or a hand-made debug pod. The pod is often gone from the snapshot;
 * its creation in the audit log (Request level) says where it ran and with what.
 */
export function hostDebugSessions(index: ClusterIndex): ExecSession[] {
  const cached = debugSessionsMemo.get(index);
  if (cached) return cached;
  const created = new Map<string, AuditActivity>();
  for (const a of index.auditActivities) {
    const spec = a.podSpec;
    if (a.verb !== 'create' || a.resource !== 'pods' || a.subresource || !a.namespace || !a.name || !spec || (a.code !== undefined && a.code >= 400)) continue;
    const hostAccess = spec.hostPID || (spec.hostPaths ?? []).includes('/');
    if (hostAccess) created.set(`${a.namespace}/${a.name}`, a);
  }
  const out: ExecSession[] = index.execSessions.filter((s) => s.kind === 'node-debug');
  for (const s of index.execSessions) {
    if ((s.kind !== 'attach' && s.kind !== 'exec') || !live(s)) continue;
    const a = created.get(`${s.namespace}/${s.pod}`);
    if (!a || a.user !== s.user || ms(a.time) > ms(s.start) + SESSION_SKEW_MS) continue;
    // A pod placed by the scheduler (nodeSelector) names its node only in the snapshot.
    const nodeName = a.podSpec!.nodeName ?? index.podByName(s.namespace, s.pod)?.spec.nodeName;
    if (nodeName) out.push({ ...s, kind: 'node-debug', node: nodeName, image: s.image ?? a.podSpec!.images?.[0] });
  }
  debugSessionsMemo.set(index, out);
  return out;
}
const debugSessionsMemo = new WeakMap<ClusterIndex, ExecSession[]>();

/** Sessions into privileged / host-namespace / hostPath pods on the node, by identities nobody trusts, at that time. */
function riskyOverlaps(ctx: RuleContext, node: Node, time: string, policy: TrustPolicy | undefined): ExecSession[] {
  return ctx.index.execSessions.filter((s) => {
    if (!live(s) || s.kind === 'node-debug' || !within(time, s) || judgeIdentity(ctx, s, policy).trusted) return false;
    const pod = ctx.index.podByName(s.namespace, s.pod);
    if (!pod || pod.spec.nodeName !== node.metadata.name) return false;
    const hostAccess = pod.spec.hostPID || pod.spec.hostNetwork || (pod.spec.volumes ?? []).some((v) => v.hostPath);
    const privileged = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].some((c) => c.securityContext?.privileged);
    return hostAccess || privileged;
  });
}

/**
 * A node sensor's process tied to a person's shell session only by the shell's name: any other interactive session
 * open on that node at the time (an untrusted exec, attach, ephemeral container or node debug in another pod) could
 * have started a process of that name too, so the tie does not say whose it was.
 */
function rivalShells(ctx: RuleContext, m: SessionMatch, time: string, policy: TrustPolicy | undefined): ExecSession[] {
  const { alert, correlation, index } = ctx;
  const node = correlation.subject.node;
  const hostSensor = !alert.container.id && !alert.container.pod && !alert.container.cgroupPath;
  if (!node || !hostSensor || !(m.link === 'ancestor' || m.link === 'command' || m.link === 'interactive') || !isShell(m.session.command)) return [];
  return index.execSessions.filter((s) => {
    if (s === m.session || !live(s) || !within(time, s) || judgeIdentity(ctx, s, policy).trusted) return false;
    if (s.kind === 'node-debug') return nodeMatches(index, s.node, node);
    if (s.namespace === m.session.namespace && s.pod === m.session.pod) return false;
    const pod = index.podByName(s.namespace, s.pod);
    if (!pod || pod.spec.nodeName !== node.metadata.name) return false;
    return s.kind === 'attach' || s.kind === 'ephemeral-container' || s.tty || s.command.length === 0 || isShell(s.command);
  });
}

/** Every session the alert falls into, with how well it is tied to it. */
export function sessionsForAlert(ctx: RuleContext): SessionMatch[] {
  const { alert, correlation, index } = ctx;
  const time = alert.time;
  if (!time) return [];
  const out: SessionMatch[] = [];
  const { pod, node, container } = correlation.subject;
  const req = alert.apiRequest;
  const sessionRequest = req?.resource === 'pods' && ((req.subresource && STREAM_OR_DEBUG.has(req.subresource)) || (!req.subresource && req.verb === 'create' && isNodeDebugPodName(req.name)));
  if (req?.namespace && req.name && sessionRequest) {
    for (const session of index.execSessionsForPod(req.namespace, req.name)) {
      if (!within(time, session) || (req.user && req.user !== session.user)) continue;
      const what = [req.verb, req.subresource ? `${req.resource}/${req.subresource}` : req.resource].filter(Boolean).join(' ');
      out.push({ session, link: 'api-request', strength: 'strong', how: `the alert reports that very ${what} request` });
    }
    return out;
  }
  if (pod) {
    for (const session of index.execSessionsForPod(pod.metadata.namespace ?? '', pod.metadata.name)) {
      if (!live(session) || !within(time, session) || !podExistedFor(pod, session) || !sameCluster(ctx, session)) continue;
      const link = linkInPod(alert, session, container?.spec.name);
      if (link) out.push({ session, ...link });
    }
    return out;
  }
  // A pod gone from the snapshot that the sensor still names (an ephemeral CI runner, a finished job's pod): the audit
  // log keeps the sessions into it by namespace and name.
  const named = alert.container;
  if (named.namespace && named.pod && !index.podByName(named.namespace, named.pod)) {
    for (const session of index.execSessionsForPod(named.namespace, named.pod)) {
      if (!live(session) || !within(time, session) || !sameCluster(ctx, session)) continue;
      const link = linkInPod(alert, session, named.name);
      if (link) out.push({ session, ...link });
    }
    if (out.length) return out;
  }
  if (node) {
    // Node debug sessions open on this node at that time first: most alerts have none, and then no command is split.
    const sessions = hostDebugSessions(index).filter((s) => live(s) && within(time, s) && nodeMatches(index, s.node, node) && sameCluster(ctx, s));
    if (sessions.length === 0) return interactivePodSessionsOnNode(ctx, node, time);
    const entry = hostEntry(alert);
    for (const session of sessions) {
      // The sensor names the debug pod's own container (the pod is gone from the snapshot, so it stayed on the node).
      const c = alert.container;
      const inDebugPod = c.namespace === session.namespace && (c.pod === session.pod || (!!c.name && c.name === session.container));
      if (inDebugPod) {
        out.push({ session, link: 'debug-container', strength: 'strong', how: `the process runs in ${session.namespace}/${c.pod ?? session.pod}, container ${c.name ?? session.container}, the debug pod that session used` });
      } else if (entry) {
        out.push({ session, link: 'node-host', strength: entry.strength, how: `the process runs under ${entry.what} on ${node.metadata.name}, the way a node debug shell reaches the host` });
      } else if (alert.process.tty === true && session.tty) {
        out.push({ session, link: 'interactive', strength: 'medium', how: `the process has a terminal on ${node.metadata.name} while that interactive node debug session was open` });
      } else if (session.tty && !c.id && !c.pod) {
        // A node sensor names no container: only a shell the runtime started ties the process to a container's shell.
        const shell = containerShell(alert);
        if (shell) out.push({ session, link: 'node-host', strength: 'medium', how: `the process descends from ${shell}, a shell the container runtime started on ${node.metadata.name}, while that interactive node debug session was open (the sensor names no container)` });
      }
    }
  }
  return out;
}

/**
 * A host sensor (auditd) that names no container, for a process with a terminal and no login uid (a container's
 * process: a login on the host would carry its login uid): the interactive kubectl exec, attach or debug sessions open
 * then in pods on this node are the terminal it has. Only when the sensor says the login uid is unset, so a person
 * logged in on the host is never taken for one.
 */
function interactivePodSessionsOnNode(ctx: RuleContext, node: Node, time: string): SessionMatch[] {
  const { alert, index } = ctx;
  const p = alert.process;
  const c = alert.container;
  if (c.id || c.pod || c.name || p.tty !== true || (p.loginUid !== '4294967295' && p.loginUid !== '-1')) return [];
  const out: SessionMatch[] = [];
  for (const session of interactiveSessionsByNode(index).get(node.metadata.name) ?? []) {
    if (!live(session) || !within(time, session) || !sameCluster(ctx, session)) continue;
    out.push({
      session,
      link: 'interactive',
      strength: 'medium',
      how: `the process has a terminal and no login on ${node.metadata.name} while that interactive session into ${session.namespace}/${session.pod}, which runs on this node, was open (the sensor names no container)`,
    });
  }
  return out;
}

/** Interactive (tty) exec, attach and debug-container sessions into pods, by the node the pod runs on, built once per index. */
function interactiveSessionsByNode(index: ClusterIndex): Map<string, ExecSession[]> {
  let byNode = interactiveSessionsMemo.get(index);
  if (byNode) return byNode;
  byNode = new Map();
  for (const s of index.execSessions) {
    if ((s.kind !== 'exec' && s.kind !== 'attach' && s.kind !== 'ephemeral-container') || !s.tty) continue;
    const nodeName = index.podByName(s.namespace, s.pod)?.spec.nodeName;
    if (!nodeName) continue;
    const list = byNode.get(nodeName);
    if (list) list.push(s);
    else byNode.set(nodeName, [s]);
  }
  interactiveSessionsMemo.set(index, byNode);
  return byNode;
}
const interactiveSessionsMemo = new WeakMap<ClusterIndex, Map<string, ExecSession[]>>();

// ---------------------------------------------------------------------------------------------------------------
// judging the identity

export interface TrustPolicy {
  trustedUsers?: string[];
  trustedGroups?: string[];
}

/** The trust lists of the policy (`ctx.policy`), whatever else it holds. */
export function trustPolicyOf(policy: unknown): TrustPolicy | undefined {
  if (!policy || typeof policy !== 'object') return undefined;
  const p = policy as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
  return { trustedUsers: list(p.trustedUsers), trustedGroups: list(p.trustedGroups) };
}

function listed(policy: TrustPolicy | undefined, user: string, groups: string[]): string | undefined {
  const u = policy?.trustedUsers?.find((p) => globMatch(p, user));
  if (u) return `user ${user}`;
  const g = policy?.trustedGroups?.find((p) => groups.some((x) => globMatch(p, x)));
  return g ? `group ${groups.find((x) => globMatch(g, x))}` : undefined;
}

export interface Judgement {
  trusted: boolean;
  kind: IdentityKind;
  /** Sentence fragment naming who acted and why they are (not) trusted. */
  who: string;
  /** For untrusted identities: how strongly their session argues for an attack, given a strong link. */
  strength: Strength;
  /** The policy entry that trusts the identity, when one does. */
  policyEntry?: string;
}

function isClusterAddress(index: ClusterIndex, ip: string, time: string): boolean {
  return !!index.findNode(ip) || !!index.podByIp(ip, time) || ip === '127.0.0.1' || ip === '::1';
}

export function judgeIdentity(ctx: RuleContext, s: ExecSession, policy: TrustPolicy | undefined): Judgement {
  const kind = identityKind(s.user, s.groups);
  const from = s.sourceIps.length ? ` from ${s.sourceIps.join(', ')}` : '';
  const entry = listed(policy, s.user, s.groups);
  if (kind === 'user') {
    // A person's credentials used from inside a workload's pod (not a node, not a proxy that impersonates them): people
    // run kubectl from their machines; a kubeconfig or token lifted into a compromised pod is used from there.
    const fromPods = s.impersonatedUser && proxyOfImpersonator(s.user, s.impersonatedUser) ? undefined : workloadPodsOf(ctx.index, s);
    if (fromPods) {
      return { trusted: false, kind, who: `${s.user}${s.impersonatedUser ? ` impersonating ${s.impersonatedUser}` : ''} from ${fromPods}: a person's credentials used from inside a workload, not from a person's machine`, strength: 'medium' };
    }
    // Even a trusted person's credentials can be stolen: judged by where this session came from, before any trust.
    const odd = unfamiliarOrigin(ctx.index, s);
    if (odd) {
      return {
        trusted: false,
        kind,
        who: `${s.user}${s.impersonatedUser ? ` impersonating ${s.impersonatedUser}` : ''} from ${odd.addresses.join(', ')} with ${s.userAgent}: an address no other person used, and a client ${s.user} never used from ${odd.usual.join(', ')}, where the rest of the team also connects from (${s.user} used ${odd.usualAgents.join(', ')} there); possibly stolen credentials`,
        strength: 'medium',
      };
    }
  }
  if (s.impersonatedUser) {
    const proxied = proxiedPerson(ctx, s, policy);
    if (proxied) return proxied;
    if (entry) return { trusted: true, kind, who: `${s.user} (trusted by the policy as ${entry}) acting as ${s.impersonatedUser}${from}`, strength: 'weak', policyEntry: entry };
    const hasLists = !!(policy?.trustedUsers?.length || policy?.trustedGroups?.length);
    // kubectl --as by a person, as a person, from where the audit log also shows that person working as themselves:
    // the log names who sat at the keyboard, and that is who is judged. A caller known only by impersonating is not.
    const own = !hasLists && kind === 'user' && personImpersonation(s) ? ownRequestsFrom(ctx.index, s) : [];
    if (own.length) {
      const as = `${s.impersonatedUser}${s.impersonatedGroups?.length ? ` (groups ${s.impersonatedGroups.join(', ')})` : ''}`;
      return { trusted: true, kind, who: `${s.user} from ${own.join(', ')} (where the audit log also shows ${s.user} working as themselves), impersonating ${as} with kubectl --as,`, strength: 'weak' };
    }
    return { trusted: false, kind, who: `${s.user} impersonating ${s.impersonatedUser}${from}, which the policy does not trust`, strength: 'medium' };
  }
  if (entry) return { trusted: true, kind, who: `${s.user} (trusted by the policy as ${entry})${from}`, strength: 'weak', policyEntry: entry };
  const foreign = s.sourceIps.filter((ip) => !isClusterAddress(ctx.index, ip, s.start) && !describeEgress(ctx.index, ip));
  switch (kind) {
    case 'user': {
      const hasLists = !!(policy?.trustedUsers?.length || policy?.trustedGroups?.length);
      return hasLists
        ? { trusted: false, kind, who: `${s.user}${from}, who is not among the policy's trusted users or groups`, strength: 'weak' }
        : { trusted: true, kind, who: `${s.user}${s.groups.length ? ` (groups ${s.groups.filter((g) => !g.startsWith('system:')).join(', ') || 'none'})` : ''}${from}`, strength: 'weak' };
    }
    case 'cloud-role': {
      const role = awsRoleSession(s.user);
      const name = role ? `AWS role session ${role.role}/${role.session}` : s.user;
      return foreign.length
        ? { trusted: false, kind, who: `${name}, a machine identity, not a person, from ${foreign.join(', ')}, which is neither a node nor a pod of the cluster`, strength: 'strong' }
        : { trusted: false, kind, who: `${name}, a machine identity, not a person${from}`, strength: 'medium' };
    }
    case 'anonymous':
      return { trusted: false, kind, who: `an anonymous (unauthenticated) request${from}`, strength: 'strong' };
    case 'node':
      return { trusted: false, kind, who: `${s.user}, a kubelet credential, which never execs into pods by itself${from}`, strength: 'strong' };
    case 'service-account':
    case 'system-service-account': {
      const bound = s.tokenBoundPod ? `, with a token bound to pod ${s.tokenBoundPod}` : '';
      const boundPod = s.tokenBoundPod ? ctx.index.podByName(serviceAccountOf(s.user)?.namespace ?? '', s.tokenBoundPod) : undefined;
      const boundIps = boundPod ? podIps(boundPod) : [];
      // A bound pod deleted since (a CI build pod, a Job's pod): alive then by the audit log, its address in the pod network.
      const gone = foreign.length && s.tokenBoundPod && !boundPod ? deletedBoundPodAlive(ctx.index, serviceAccountOf(s.user)?.namespace ?? '', s.tokenBoundPod, s.start) : undefined;
      if (gone && foreign.every((ip) => inPodNetwork(ctx.index, ip))) {
        return {
          trusted: false,
          kind,
          who: `service account ${s.user}${bound} (created ${gone.created}${gone.deleted ? `, deleted ${gone.deleted}` : ''}, by the audit log), used from ${foreign.join(', ')} in the pod network, most likely that pod's own address; a service account is a program, not an engineer troubleshooting`,
          strength: 'medium',
        };
      }
      if (foreign.length) return { trusted: false, kind, who: `service account ${s.user}${bound}, used from ${foreign.join(', ')}, which is neither a node nor a pod of the cluster`, strength: 'strong' };
      const borrowed = tokenUsedByOtherPods(ctx, s);
      if (borrowed) return { trusted: false, kind, who: `service account ${s.user}${bound}, used from ${borrowed}: a token used by a pod it does not belong to`, strength: 'strong' };
      const egress = s.sourceIps.length > 0 && s.sourceIps.every((ip) => !!describeEgress(ctx.index, ip));
      if (boundPod && boundIps.length && !egress && !s.sourceIps.some((ip) => boundIps.includes(ip))) {
        return { trusted: false, kind, who: `service account ${s.user}${bound}, used from ${s.sourceIps.join(', ')} rather than that pod's own address ${boundIps.join(', ')}: a token replayed elsewhere`, strength: 'strong' };
      }
      const via = egress ? ` from ${s.sourceIps.map((ip) => describeEgress(ctx.index, ip)).join('; ')}` : from;
      return { trusted: false, kind, who: `service account ${s.user}${bound}${via}; a service account is a program, not an engineer troubleshooting`, strength: 'medium' };
    }
    case 'control-plane':
      return { trusted: false, kind, who: `${s.user}, a system identity that does not open interactive sessions${from}`, strength: 'medium' };
  }
}

/**
 * Every source address of the session is a pod's own address (not a node's, which host-network pods share) at the time:
 * the pods, described, or undefined.
 */
function workloadPodsOf(index: ClusterIndex, s: ExecSession): string | undefined {
  if (s.sourceIps.length === 0) return undefined;
  const parts: string[] = [];
  for (const ip of s.sourceIps) {
    if (index.findNode(ip)) return undefined;
    const pod = index.podByIp(ip, s.start);
    if (!pod || pod.spec.hostNetwork) return undefined;
    parts.push(`${ip}, the address of ${describePod(index, pod)}`);
  }
  return parts.join('; ');
}

/** Both sides of the impersonation are people, and it grants no more than a person (never system:masters or a system identity). */
function personImpersonation(s: ExecSession): boolean {
  const groups = s.impersonatedGroups ?? [];
  return identityKind(s.impersonatedUser ?? '', groups) === 'user' && !groups.some((g) => g.startsWith('system:') && g !== 'system:authenticated');
}

/**
 * A person reaching the cluster through a known authenticating proxy (Rancher): the proxy's per-person identity
 * impersonates them, and every source address is a pod of that proxy (namespace, owner and image confirmed by the
 * cluster) at the time. The person is then judged as any user would be; the same identity from anywhere else is not.
 */
function proxiedPerson(ctx: RuleContext, s: ExecSession, policy: TrustPolicy | undefined): Judgement | undefined {
  const person = s.impersonatedUser!;
  const groups = s.impersonatedGroups ?? [];
  const proxy = proxyOfImpersonator(s.user, person);
  if (!proxy || identityKind(person, groups) !== 'user' || s.sourceIps.length === 0) return undefined;
  const pods = s.sourceIps.map((ip) => ctx.index.podByIp(ip, s.start));
  const all = pods.every(
    (p) => !!p && isProxyPod(proxy, p.metadata.namespace, ctx.index.ownerChain(p).map((w) => w.name), allContainerSpecs(p).map((c) => c.image)),
  );
  if (!all) return undefined;
  const via = `through ${proxy.name} (${s.user} from ${pods.map((p) => describePod(ctx.index, p!)).join(', ')})`;
  const named = `${person}${groups.length ? ` (groups ${groups.filter((g) => !g.startsWith('system:')).join(', ') || 'none'})` : ''}`;
  const entry = listed(policy, person, groups);
  const kind: IdentityKind = 'user';
  if (entry) return { trusted: true, kind, who: `${named} (trusted by the policy as ${entry}) ${via}`, strength: 'weak', policyEntry: entry };
  const hasLists = !!(policy?.trustedUsers?.length || policy?.trustedGroups?.length);
  return hasLists
    ? { trusted: false, kind, who: `${named} ${via}, who is not among the policy's trusted users or groups`, strength: 'weak' }
    : { trusted: true, kind, who: `${named} ${via}`, strength: 'weak' };
}

/**
 * Every source address of the session is a pod (not host-network) that runs as another service account: the token
 * was taken from its owner and used elsewhere. Only pods whose spec names their service account are judged.
 */
function tokenUsedByOtherPods(ctx: RuleContext, s: ExecSession): string | undefined {
  const account = serviceAccountOf(s.user);
  if (!account || s.sourceIps.length === 0) return undefined;
  const parts: string[] = [];
  for (const ip of s.sourceIps) {
    const pod = ctx.index.podByIp(ip, s.start);
    const runsAs = pod?.spec.serviceAccountName;
    if (!pod || !runsAs || (pod.metadata.namespace === account.namespace && runsAs === account.name)) return undefined;
    parts.push(`${ip}, the address of ${describePod(ctx.index, pod)}, which runs as service account ${pod.metadata.namespace}/${runsAs}`);
  }
  return parts.join('; ');
}

function podIps(pod: Pod): string[] {
  const ips = new Set<string>();
  if (pod.status?.podIP) ips.add(pod.status.podIP);
  for (const p of pod.status?.podIPs ?? []) ips.add(p.ip);
  return [...ips];
}

// ---------------------------------------------------------------------------------------------------------------
// the one exception: a workload whose own spec runs the exec

interface KubectlCall {
  verb: 'exec' | 'cp';
  namespace?: string;
  pod: string;
  container?: string;
  /** The argv the API server receives in the exec request. */
  remote: string[];
  /** cp into the pod: tar extracts (flags vary by kubectl version). */
  extract?: boolean;
  text: string;
}

const VALUE_FLAGS = new Set(['-n', '--namespace', '-c', '--container', '--context', '--cluster', '--user', '--kubeconfig', '-s', '--server', '--token', '--as', '--as-group', '--request-timeout', '--pod-running-timeout', '--retries', '-f', '--filename']);

/** The `kubectl exec` / `kubectl cp` calls a container's command and args make (shell scripts split on && || ; |). */
export function kubectlCalls(argv: string[]): KubectlCall[] {
  const shell = argv.length >= 3 && SHELLS.has(baseName(argv[0]) ?? '') && argv[1] === '-c';
  const scripts = shell ? [argv.slice(2).join(' ')] : [argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')];
  const calls: KubectlCall[] = [];
  for (const script of scripts) {
    for (const part of script.split(/&&|\|\||;|\||\n/)) {
      const tokens = splitCommandLine(part.trim());
      const at = tokens.findIndex((t) => baseName(t) === 'kubectl');
      if (at < 0) continue;
      const call = parseKubectl(tokens.slice(at + 1), part.trim());
      if (call) calls.push(call);
    }
  }
  return calls;
}

function parseKubectl(tokens: string[], text: string): KubectlCall | undefined {
  let namespace: string | undefined;
  let container: string | undefined;
  const positional: string[] = [];
  let remote: string[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === '--') {
      remote = tokens.slice(i + 1);
      break;
    }
    const eq = t.indexOf('=');
    const flag = t.startsWith('-') ? (eq > 0 ? t.slice(0, eq) : t) : undefined;
    if (flag) {
      const value = eq > 0 ? t.slice(eq + 1) : VALUE_FLAGS.has(flag) ? tokens[++i] : undefined;
      if (flag === '-n' || flag === '--namespace') namespace = value;
      if (flag === '-c' || flag === '--container') container = value;
      continue;
    }
    positional.push(t);
  }
  const [verb, ...args] = positional;
  if (verb === 'exec' && args[0]) {
    const pod = args[0].replace(/^(?:pods?|po)\//, '');
    return { verb, namespace, pod, container, remote: remote ?? args.slice(1), text };
  }
  if (verb === 'cp' && args.length >= 2) {
    const fromPod = args[0].includes(':');
    const [ref, path] = splitRemote(fromPod ? args[0] : args[1]);
    if (!ref) return undefined;
    const slash = ref.indexOf('/');
    const pod = slash >= 0 ? ref.slice(slash + 1) : ref;
    const ns = slash >= 0 ? ref.slice(0, slash) : namespace;
    return fromPod ? { verb, namespace: ns, pod, container, remote: ['tar', 'cf', '-', path], text } : { verb, namespace: ns, pod, container, remote: ['tar'], extract: true, text };
  }
  return undefined;
}

function splitRemote(arg: string): [string | undefined, string] {
  const colon = arg.indexOf(':');
  return colon > 0 ? [arg.slice(0, colon), arg.slice(colon + 1)] : [undefined, arg];
}

function callMatches(call: KubectlCall, session: ExecSession, saNamespace: string): boolean {
  if (call.pod !== session.pod || (call.namespace ?? saNamespace) !== session.namespace) return false;
  if (call.container && session.container && call.container !== session.container) return false;
  if (call.extract) return session.command[0] === 'tar' && session.command.some((a) => /^-?x/.test(a));
  return call.remote.length === session.command.length && call.remote.every((a, i) => a === session.command[i]);
}

/** Minute fields of a cron schedule: `*`, `* /n`, `a-b`, `a-b/n`, lists; names and @macros are not handled. */
function cronFieldMatches(field: string, value: number, min: number, max: number): boolean {
  return field.split(',').some((part) => {
    const [range, stepText] = part.split('/');
    const step = stepText ? Number(stepText) : 1;
    let lo = min;
    let hi = max;
    if (range !== '*') {
      const [a, b] = range.split('-');
      lo = Number(a);
      hi = b === undefined ? (stepText ? max : lo) : Number(b);
    }
    if (![lo, hi, step].every(Number.isFinite) || step <= 0) return false;
    return value >= lo && value <= hi && (value - lo) % step === 0;
  });
}

/** Does the schedule fire at this minute (UTC; a CronJob's timeZone is not applied)? undefined when it cannot tell. */
export function cronFires(schedule: string, at: Date): boolean | undefined {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5 || fields.some((f) => /[A-Za-z?LW#@]/.test(f))) return undefined;
  const [minute, hour, dom, month, dow] = fields;
  const day = at.getUTCDay();
  const domOk = cronFieldMatches(dom, at.getUTCDate(), 1, 31);
  const dowOk = cronFieldMatches(dow, day, 0, 7) || (day === 0 && cronFieldMatches(dow, 7, 0, 7));
  const dayOk = dom !== '*' && dow !== '*' ? domOk || dowOk : domOk && dowOk;
  return cronFieldMatches(minute, at.getUTCMinutes(), 0, 59) && cronFieldMatches(hour, at.getUTCHours(), 0, 23) && cronFieldMatches(month, at.getUTCMonth() + 1, 1, 12) && dayOk;
}

function podRanAt(pod: Pod, time: string): boolean {
  const start = pod.status?.startTime ?? pod.metadata.creationTimestamp;
  if (start && ms(start) > ms(time) + SESSION_SKEW_MS) return false;
  const finished = [...(pod.status?.containerStatuses ?? [])].map((c) => c.state?.terminated?.finishedAt).filter((x): x is string => !!x);
  const running = (pod.status?.containerStatuses ?? []).some((c) => c.state?.running || c.state?.waiting);
  if (!running && finished.length && Math.max(...finished.map(ms)) < ms(time) - SESSION_SKEW_MS) return false;
  return true;
}

/** When a CronJob's Job was scheduled: its name ends in the scheduled time in minutes since the epoch. */
function scheduledRun(jobName: string | undefined): Date | undefined {
  const m = /-(\d{8,})$/.exec(jobName ?? '');
  if (!m) return undefined;
  const minutes = Number(m[1]);
  return Number.isSafeInteger(minutes) ? new Date(minutes * 60_000) : undefined;
}

/** The workload's own spec proves the session: returns the sentence, or undefined. */
export function workloadOwnExec(ctx: RuleContext, session: ExecSession): { message: string; facts: Evidence['facts'] } | undefined {
  const { index } = ctx;
  const sa = serviceAccountOf(session.user);
  if (!sa) return undefined;
  const candidates: Pod[] = [];
  if (session.tokenBoundPod) {
    const bound = index.podByName(sa.namespace, session.tokenBoundPod);
    if (bound) candidates.push(bound);
  } else {
    for (const ip of session.sourceIps) {
      const p = index.podByIp(ip, session.start);
      if (p) candidates.push(p);
    }
  }
  for (const client of candidates) {
    if (client.metadata.namespace !== sa.namespace || (client.spec.serviceAccountName ?? 'default') !== sa.name) continue;
    const ips = podIps(client);
    const own = session.sourceIps.find((x) => ips.includes(x));
    // Behind the cluster's NAT to a public API endpoint the pod's address is hidden; the token's binding names the pod.
    const nat = own ? undefined : session.tokenBoundPod === client.metadata.name ? session.sourceIps.find((x) => !!describeEgress(index, x)) : undefined;
    const ip = own ?? nat;
    if (!ip || (own && index.podByIp(own, session.start) !== client)) continue;
    if (!podRanAt(client, session.start)) continue;
    for (const c of client.spec.containers) {
      const call = kubectlCalls([...(c.command ?? []), ...(c.args ?? [])]).find((k) => callMatches(k, session, sa.namespace));
      if (!call) continue;
      const chain = index.ownerChain(client);
      const top = chain[chain.length - 1];
      const workload = top ? `${top.kind} ${top.namespace}/${top.name}` : `pod ${client.metadata.namespace}/${client.metadata.name}`;
      let when = `while ${client.metadata.name} ran`;
      if (top?.kind === 'CronJob') {
        const schedule = (top.object?.spec as { schedule?: string } | undefined)?.schedule;
        const job = chain.find((w) => w.kind === 'Job');
        const run = scheduledRun(job?.name);
        if (schedule && run) {
          const fires = cronFires(schedule, run);
          if (fires === false) continue; // a Job this CronJob would not have scheduled: someone ran it by hand
          if (fires && ms(session.start) >= run.getTime() - SESSION_SKEW_MS) when = `during its ${clock(run.toISOString()).slice(11, 16)} UTC scheduled run (schedule "${schedule}")`;
        }
      }
      const rbac = session.authorization ? ` (${session.authorization.replace(/^RBAC: /, '')})` : '';
      return {
        message: `${commandText(session.command)} in ${session.namespace}/${session.pod} is the kubectl ${call.verb} that ${workload}'s own spec runs (${clip(call.text, 100)}), made with its own service account ${session.user} ${own ? `from its own pod IP ${ip} (${client.metadata.name})` : `with a token bound to ${client.metadata.name}, from ${describeEgress(index, ip)}`} ${when}${rbac}.`,
        facts: { workload, clientPod: `${client.metadata.namespace}/${client.metadata.name}`, sourceIp: ip, sessionStart: session.start },
      };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// audit coverage, for "no session at all"

const coverage = new WeakMap<ClusterIndex, { from: number; to: number } | null>();

function auditCoverage(index: ClusterIndex): { from: number; to: number } | null {
  let c = coverage.get(index);
  if (c !== undefined) return c;
  let from = Infinity;
  let to = -Infinity;
  for (const s of index.execSessions) {
    from = Math.min(from, ms(s.start));
    to = Math.max(to, ms(s.end));
  }
  for (const a of index.auditActivities) {
    const t = ms(a.time);
    from = Math.min(from, t);
    to = Math.max(to, t);
  }
  c = Number.isFinite(from) ? { from, to } : null;
  coverage.set(index, c);
  return c;
}

// ---------------------------------------------------------------------------------------------------------------
// the rule

function best(matches: SessionMatch[]): SessionMatch[] {
  const top = Math.max(...matches.map((m) => STRENGTH_RANK[m.strength]));
  return matches.filter((m) => STRENGTH_RANK[m.strength] === top);
}

function weaker(a: Strength, b: Strength): Strength {
  return STRENGTH_RANK[a] <= STRENGTH_RANK[b] ? a : b;
}

function facts(m: SessionMatch, j: Judgement): Evidence['facts'] {
  const s = m.session;
  return {
    user: s.user,
    identity: j.kind,
    session: s.kind,
    namespace: s.namespace,
    pod: s.pod,
    container: s.container ?? null,
    command: s.command.join(' '),
    start: s.start,
    end: s.end,
    link: m.link,
    sourceIps: s.sourceIps.join(', '),
    auditId: s.auditId ?? null,
  };
}

export const adminActivity: Rule = {
  id: 'admin-activity',
  family: 'admin-activity',
  direction: 'both',
  description: "Alerts inside a person's kubectl exec / attach / debug session (audit log): troubleshooting; the same session by a service account, machine role, node, anonymous or impersonated identity: suspicious",
  evaluate(ctx) {
    const { alert } = ctx;
    if (!alert.time) return [];
    const policy = trustPolicyOf(ctx.policy);
    const matches = sessionsForAlert(ctx);
    const out: Evidence[] = [];
    if (matches.length === 0) return noSession(ctx);

    // A host process under a chroot is only the debugger's when no untrusted session into a host-access pod on that node overlaps.
    const node = ctx.correlation.subject.node;
    const risky = !ctx.correlation.subject.pod && node ? riskyOverlaps(ctx, node, alert.time, policy) : [];

    for (const m of best(matches)) {
      const s = m.session;
      const j = judgeIdentity(ctx, s, policy);
      const where = `${sessionWhat(s)} ${sessionWindow(s)}`;
      const at = `the alert came at ${clock(alert.time)}`;
      if (j.trusted) {
        if (m.link === 'node-host' && risky.length) {
          const r = risky[0];
          out.push(
            malicious(this.id, 'medium', `${j.who} had a ${where}, but ${judgeIdentity(ctx, r, policy).who} also had a ${sessionWhat(r)} ${sessionWindow(r)} into a pod with host access on the same node, so this host process cannot be told apart from an escape.`, facts(m, j)),
          );
          continue;
        }
        const rival = rivalShells(ctx, m, alert.time, policy)[0];
        if (rival) {
          out.push(
            malicious(this.id, 'medium', `${j.who} had a ${where}, but ${judgeIdentity(ctx, rival, policy).who} also had a ${sessionWhat(rival)} ${sessionWindow(rival)} on the same node, and the node sensor ties this process to a session only by its shell's name, so it cannot be told whose it was.`, facts(m, j)),
          );
          continue;
        }
        const verb = s.kind === 'exec' ? 'ran' : 'had';
        out.push(benign(this.id, 'admin-activity', m.strength, `${j.who} ${verb} ${where}; ${m.how}; ${at}: troubleshooting by a person.`, facts(m, j)));
        continue;
      }
      if (j.kind === 'service-account' || j.kind === 'system-service-account') {
        // A CI executor attaching to the job pod it created: its own operation, which says nothing about the process.
        const executor = j.strength === 'strong' ? undefined : executorOwnSession(ctx.index, s);
        if (executor) {
          out.push(benign(this.id, 'workload-baseline', 'weak', `${executor}.`, facts(m, j)));
          continue;
        }
        const own = j.strength === 'strong' ? undefined : (workloadOwnExec(ctx, s) ?? operatorOwnExec(ctx, s));
        if (own) {
          // The workload's baseline explains the session; the link says how much of the alert it explains.
          out.push(benign(this.id, 'workload-baseline', m.strength === 'weak' ? 'weak' : 'strong', own.message, { ...facts(m, j), ...own.facts }));
          continue;
        }
      }
      // An untrusted session tied to the alert: stronger the better the tie.
      const strength = m.strength === 'weak' ? weaker(j.strength, 'medium') : j.strength;
      out.push(malicious(this.id, strength, `The ${where} was opened by ${j.who}; ${m.how}; ${at}. This is not an engineer's troubleshooting session.`, facts(m, j)));
    }
    return out;
  },
};

/** An interactive process in a pod whose audit log, covering that time, shows nobody exec'ing into it. */
function noSession(ctx: RuleContext): Evidence[] {
  const { alert, correlation, index } = ctx;
  const { pod, container } = correlation.subject;
  if (!pod || !alert.time || alert.process.tty !== true || alert.apiRequest) return [];
  if ((container?.spec as { tty?: boolean } | undefined)?.tty === true) return []; // the container itself runs with a terminal
  const cover = auditCoverage(index);
  const t = ms(alert.time);
  if (!cover || t < cover.from || t > cover.to) return [];
  const name = `${pod.metadata.namespace}/${pod.metadata.name}`;
  const what = clip(alert.process.commandLine ?? alert.process.name ?? 'a process', 60);
  return [
    malicious(
      'admin-activity',
      'medium',
      `${what} ran on a terminal in ${name} at ${clock(alert.time)}, but the audit log (${clock(new Date(cover.from).toISOString())} to ${clock(new Date(cover.to).toISOString())}) shows no kubectl exec, attach or debug session into ${name} around that time.`,
      { namespace: pod.metadata.namespace ?? null, pod: pod.metadata.name },
    ),
  ];
}
