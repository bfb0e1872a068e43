import { goneHostPodRunning, goneNodePodRunning, gonePinnedPod, gonePodAt, gonePodsPinnedTo } from './audit-pods.js';
import type { Alert, ProcessInfo } from '../alerts/model.js';
import type { ClusterIndex, ContainerRef, ContainerSpec, ExecSession, Pod } from '../cluster/model.js';
import type { Correlation, Placement } from './model.js';
import { isNodeLogin, isStagingPath, lastSegment, observe, splitArgv, type ObservedCommand } from './argv.js';
import { CONTAINER_ID_HOLDERS, EXEC_WRAPPERS, isContainerRuntimeProcess } from '../knowledge/container-runtime.js';

const HEX64 = /\b[0-9a-f]{64}\b/g;

/**
 * The ancestor is the container runtime's own process (a shim, conmon, runc), by every name the sensor knows it by and
 * not run from a temporary or hidden directory: only its command line names the container the alert's process is in.
 */
function isRuntimeNamingContainer(p: ProcessInfo): boolean {
  const argv0 = p.commandLine ? splitArgv(p.commandLine)[0] : undefined;
  const names = [p.name, lastSegment(p.path), argv0 ? lastSegment(argv0) : undefined].filter((n): n is string => !!n);
  const paths = [p.path, argv0].filter((x): x is string => !!x && x.startsWith('/'));
  return names.length > 0 && names.every((n) => CONTAINER_ID_HOLDERS.has(n)) && !paths.some(isStagingPath);
}

/** The argv a container starts with: command + args from the pod spec. */
export function containerArgv(spec: ContainerSpec): string[] {
  return [...(spec.command ?? []), ...(spec.args ?? [])];
}

export function normalizeCommand(cmd: string | string[] | undefined): string {
  if (!cmd) return '';
  const argv = Array.isArray(cmd) ? cmd : splitArgv(cmd);
  return argv.map((a, i) => (i === 0 ? (lastSegment(a) ?? a) : a)).join(' ').replace(/\s+/g, ' ').trim();
}

/** `$(VAR)` that Kubernetes expands, and the shell's own `$(cmd)`, `${VAR}`, `$VAR` and backquotes: any value fits. */
const EXPANSION = /\$\((?:[^()]|\([^()]*\))*\)|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|`[^`]*`/g;

function tokenMatches(observed: string, expected: string, first: boolean): boolean {
  if (first) {
    const a = lastSegment(observed) ?? observed;
    const b = lastSegment(expected) ?? expected;
    if (a === b) return true;
  }
  if (observed === expected) return true;
  if (!hasExpansion(expected)) return false;
  return envPattern(expected).test(observed);
}

function hasExpansion(expected: string): boolean {
  return expected.includes('$') || expected.includes('`');
}

const envPatterns = new Map<string, RegExp>();

/** Compiled once per spec token. */
function envPattern(expected: string): RegExp {
  let re = envPatterns.get(expected);
  if (!re) {
    const parts: string[] = [];
    let last = 0;
    for (const m of expected.matchAll(EXPANSION)) {
      parts.push(expected.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), '[^\\s]*');
      last = m.index + m[0].length;
    }
    parts.push(expected.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    re = new RegExp(`^${parts.join('')}$`);
    if (envPatterns.size >= 10_000) envPatterns.clear();
    envPatterns.set(expected, re);
  }
  return re;
}

/**
 * A spec argv prepared for comparison with many observed commands: argv[0]'s base name, and whether argv[0] can
 * only match an observed argv[0] of the same base name (it has no `$(VAR)` or shell expansion).
 */
interface PreparedArgv {
  argv: readonly string[];
  firstBase: string | undefined;
  /** argv[0] matches only an argv[0] of the same base name. */
  plainFirst: boolean;
}

function prepareArgv(argv: readonly string[]): PreparedArgv {
  const first = argv[0];
  return { argv, firstBase: first === undefined ? undefined : (lastSegment(first) ?? first), plainFirst: first !== undefined && !hasExpansion(first) };
}

/** The observed tokens equal the expected argv token by token ($(VAR) as a wildcard), argv[0] by base name. */
function preparedArgvMatches(tokens: readonly string[], firstBase: string | undefined, expected: PreparedArgv): boolean {
  const argv = expected.argv;
  if (tokens.length !== argv.length) return false;
  if (argv.length === 0) return true;
  if (expected.plainFirst) {
    // Equal base names, or equal texts (which have equal base names): nothing else can match a plain argv[0].
    if ((firstBase ?? tokens[0]) !== expected.firstBase) return false;
  } else if (!tokenMatches(tokens[0], argv[0], true)) return false;
  for (let i = 1; i < argv.length; i++) if (!tokenMatches(tokens[i], argv[i], false)) return false;
  return true;
}

const SHELLS = /^(?:ba|da|a|z|k|mk)?sh$/;

/**
 * For a shell running a script — `sh [-e -x -o opt] -c [-e] SCRIPT`, however the sensor logged it (the script quoted
 * as one word, or flattened into argv) — the script's own words; null for anything else.
 */
function shellScriptOf(argv: readonly string[]): readonly string[] | null {
  argv = withoutEnv(argv);
  if (argv.length < 2 || !SHELLS.test(lastSegment(argv[0]) ?? '')) return null;
  let i = 1;
  let runsScript = false;
  while (i < argv.length && /^[-+][a-zA-Z]+$/.test(argv[i])) {
    if (argv[i].startsWith('-') && argv[i].includes('c')) runsScript = true;
    if (/^[-+]o$/.test(argv[i])) i++;
    i++;
  }
  // `bash -c -- 'script'`: `--` ends the shell's options; the script follows it.
  if (runsScript && argv[i] === '--') i++;
  if (!runsScript || i >= argv.length) return null;
  const rest = argv.slice(i);
  return rest.length === 1 ? splitArgv(rest[0]) : rest;
}

/**
 * `env [-i] [NAME=value …] prog …` runs prog: `command: [/usr/bin/env, bash, -c, …]` (ECK's init scripts) is a shell
 * running a script. Any other option of env (`-S`, `-u NAME`, `-C dir`) leaves the argv as it is.
 */
function withoutEnv(argv: readonly string[]): readonly string[] {
  if (argv.length < 2 || lastSegment(argv[0]) !== 'env') return argv;
  let i = 1;
  while (i < argv.length - 1 && (argv[i] === '-i' || argv[i] === '-' || ENV_ASSIGNMENT.test(argv[i]))) i++;
  return argv[i].startsWith('-') ? argv : argv.slice(i);
}

/** An observed command with its shell script (when it is `sh -c …`) worked out once, on first need. */
interface Observed {
  command: ObservedCommand;
  script: readonly string[] | null | undefined;
  scriptFirstBase: string | undefined;
}

function observed(text: string): Observed {
  return { command: observe(text), script: undefined, scriptFirstBase: undefined };
}

function observedScript(o: Observed): readonly string[] | null {
  if (o.script === undefined) {
    o.script = shellScriptOf(o.command.tokens);
    o.scriptFirstBase = o.script?.length ? lastSegment(o.script[0]) : undefined;
  }
  return o.script;
}

const SHELL_OPERATORS = new Set(['&&', '||', ';', '|', '&']);
const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** A redirection word (`>`, `>>`, `2>`, `&>`, `<`, `2>&1`); group 1 is its target when written in the same word. */
const REDIRECTION = /^(?:\d*|&)(?:>>?|<|>\|)(?:&\d+|(.*))$/;

/** The simple commands of a container whose entrypoint is a shell script: `a && b | c; d` → [a], [b], [c], [d]. */
/**
 * Words split at the spaces inside an unquoted command substitution (`$(date +%Y%m%d-%H%M)`) joined back: the shell
 * substitutes it as one piece of its word.
 */
function rejoinSubstitutions(tokens: readonly string[]): readonly string[] {
  if (!tokens.some((t) => t.includes('$('))) return tokens;
  const out: string[] = [];
  let open = 0;
  for (const t of tokens) {
    if (open > 0) out[out.length - 1] += ` ${t}`;
    else out.push(t);
    for (let i = 0; i < t.length; i++) {
      if (t[i] === '$' && t[i + 1] === '(') {
        open++;
        i++;
      } else if (t[i] === ')' && open > 0) open--;
    }
  }
  return out;
}

export function entrypointScriptSteps(spec: ContainerSpec): string[][] {
  const argv = spec.command?.length ? containerArgv(spec) : null;
  const script = argv ? shellScriptOf(argv) : null;
  if (!script) return [];
  const steps: string[][] = [];
  let current: string[] = [];
  let redirectTarget = false;
  for (const raw of rejoinSubstitutions(script)) {
    const token = raw.endsWith(';') && raw.length > 1 ? raw.slice(0, -1) : raw;
    // `> /work/index.json`, `2>/dev/null`, `2>&1`: the shell's plumbing, not words of the program's argv.
    if (redirectTarget && !SHELL_OPERATORS.has(token)) {
      redirectTarget = false;
      if (token !== raw && current.length) {
        steps.push(current);
        current = [];
      }
      continue;
    }
    const redirect = REDIRECTION.exec(token);
    if (redirect) {
      redirectTarget = redirect[1] === '';
      if (token !== raw && current.length) {
        steps.push(current);
        current = [];
      }
      continue;
    }
    if (SHELL_OPERATORS.has(token)) {
      if (current.length) steps.push(current);
      current = [];
      continue;
    }
    current.push(token);
    if (token !== raw) {
      steps.push(current);
      current = [];
    }
  }
  if (current.length) steps.push(current);
  // `exec prog …` and `set -e` are shell plumbing, not the program that runs; `VAR=value prog …` runs prog.
  return steps
    .map((step) => (step[0] === 'exec' ? step.slice(1) : step))
    .map((step) => {
      let i = 0;
      while (i < step.length - 1 && ENV_ASSIGNMENT.test(step[i])) i++;
      return i ? step.slice(i) : step;
    })
    .filter((step) => step.length > 0 && step[0] !== 'set');
}

/** The entrypoint script steps of a spec, prepared once per distinct command and args arrays. */
const scriptStepsByCommand = new WeakMap<object, WeakMap<object, readonly PreparedArgv[]>>();
function sharedScriptSteps(spec: ContainerSpec): readonly PreparedArgv[] {
  const command = spec.command ?? NO_ARGS;
  const args = spec.args ?? NO_ARGS;
  let byArgs = scriptStepsByCommand.get(command);
  if (!byArgs) scriptStepsByCommand.set(command, (byArgs = new WeakMap()));
  let steps = byArgs.get(args);
  if (!steps) byArgs.set(args, (steps = entrypointScriptSteps(spec).map(prepareArgv)));
  return steps;
}

/** Is the observed command one of the simple commands of the container's entrypoint script? */
export function scriptStepMatches(observedText: string | undefined, spec: ContainerSpec): boolean {
  if (!observedText) return false;
  const { tokens, firstBase } = observe(observedText);
  for (const step of sharedScriptSteps(spec)) if (preparedArgvMatches(tokens, firstBase, step)) return true;
  return false;
}

/** A spec command (entrypoint or probe) with its shell script worked out once. */
interface PreparedCommand {
  argv: PreparedArgv;
  script: PreparedArgv | null;
  /** The script without a leading `exec`, when it has one. */
  execTail: PreparedArgv | null;
}

function prepareCommand(argv: readonly string[]): PreparedCommand {
  const script = shellScriptOf(argv);
  return { argv: prepareArgv(argv), script: script && prepareArgv(script), execTail: script && script[0] === 'exec' ? prepareArgv(script.slice(1)) : null };
}

/** Interpreters the kernel puts before a script run by its `#!` line. */
const SHEBANG_INTERPRETERS = /^(?:(?:ba|da|a|z|k|mk)?sh|python[\d.]*|perl|ruby|node)$/;

/**
 * A script started by path (a probe `/opt/kafka/kafka_readiness.sh`) runs as `<interpreter> [one flag] <script> …`:
 * the kernel puts its `#!` interpreter first. Only for an expected argv[0] that is a path and no interpreter itself.
 */
function shebangMatches(tokens: readonly string[], firstBase: string | undefined, expected: PreparedArgv): boolean {
  if (!shebangEligible(expected) || tokens.length < 2 || !SHEBANG_INTERPRETERS.test(firstBase ?? '')) return false;
  const skip = shebangSkip(tokens);
  // The script by its full path: a same-named script elsewhere is another program.
  return tokens[skip] === expected.argv[0] && preparedArgvMatches(tokens.slice(skip), expected.firstBase, expected);
}

/** An argv whose first word is a script path the kernel hands to its `#!` interpreter. */
function shebangEligible(expected: PreparedArgv): boolean {
  return expected.plainFirst && !!expected.argv[0]?.startsWith('/') && !SHEBANG_INTERPRETERS.test(expected.firstBase ?? '');
}

/** Words before the script: the interpreter, and one flag of it. */
function shebangSkip(tokens: readonly string[]): number {
  return /^-[a-zA-Z]+$/.test(tokens[1]) && tokens.length > 2 ? 2 : 1;
}

/**
 * Does the observed command run an exec request's argv? As commandMatches, and also when the argv names a script by a
 * bare name the PATH resolved: `kubectl exec … -- nodetool status` runs `/bin/sh /opt/cassandra/bin/nodetool status`.
 * The script must sit at an absolute path outside temporary and hidden directories, where no PATH leads. Only for the
 * argv of an exec request: a container's own entrypoint is matched by commandMatches alone.
 */
export function execCommandMatches(observedText: string | undefined, argv: string[]): boolean {
  if (!observedText || argv.length === 0) return false;
  const o = observed(observedText);
  const expected = sharedCommand(argv);
  if (preparedCommandMatches(o, expected)) return true;
  const { tokens, firstBase } = o.command;
  const name = expected.argv.argv[0];
  if (!expected.argv.plainFirst || name.includes('/') || SHEBANG_INTERPRETERS.test(expected.argv.firstBase ?? '')) return false;
  if (tokens.length < 2 || !SHEBANG_INTERPRETERS.test(firstBase ?? '')) return false;
  const ran = tokens[shebangSkip(tokens)];
  return ran.startsWith('/') && lastSegment(ran) === name && !isStagingPath(ran) && preparedArgvMatches(tokens.slice(shebangSkip(tokens)), expected.argv.firstBase, expected.argv);
}

/** Does the observed command run `expected`: its argv as is, the script of `sh -c` on either side, or what that shell ran? */
function preparedCommandMatches(o: Observed, expected: PreparedCommand): boolean {
  const { tokens, firstBase } = o.command;
  if (preparedArgvMatches(tokens, firstBase, expected.argv)) return true;
  if (shebangMatches(tokens, firstBase, expected.argv)) return true;
  const script = expected.script;
  if (!script) return false;
  if (preparedArgvMatches(tokens, firstBase, script)) return true;
  const ownScript = observedScript(o);
  if (ownScript && preparedArgvMatches(ownScript, o.scriptFirstBase, script)) return true;
  // Some sensors log only what the shell ran (`exec` replaces the shell by the program).
  return expected.execTail !== null && preparedArgvMatches(tokens, firstBase, expected.execTail);
}

/** Does an observed command line equal argv (argv[0] by base name, $(VAR) as a wildcard, sh -c flattened or quoted)? */
export function commandMatches(observedText: string | undefined, argv: string[]): boolean {
  if (!observedText || argv.length === 0) return false;
  return preparedCommandMatches(observed(observedText), sharedCommand(argv));
}

const commandsByArgv = new WeakMap<readonly string[], PreparedCommand>();
/** One prepared command per argv array (specs share their arrays across replicas, see cluster/compact.ts). */
function sharedCommand(argv: readonly string[]): PreparedCommand {
  let prepared = commandsByArgv.get(argv);
  if (!prepared) commandsByArgv.set(argv, (prepared = prepareCommand(argv)));
  return prepared;
}

/**
 * Is the observed command the container's entrypoint? With only `args` in the spec, the image's own entrypoint
 * (unknown here) comes first: accept one or two leading words before the args, or args[0] being the binary itself.
 */
export function entrypointMatches(observedText: string | undefined, spec: ContainerSpec): boolean {
  if (!observedText) return false;
  return preparedEntrypointMatches(observed(observedText), sharedEntrypoint(spec), null);
}

/** What entrypoint matching needs from a spec, computed once when the spec is compared with many commands. */
interface PreparedEntrypoint {
  command: PreparedCommand | null;
  args: readonly string[];
  /** The args alone, when the command is an entrypoint wrapper that runs them (`docker-entrypoint.sh`, `tini --`). */
  wrapped: PreparedCommand | null;
}

function prepareEntrypoint(spec: ContainerSpec): PreparedEntrypoint {
  const argv = spec.command?.length ? containerArgv(spec) : null;
  const command = spec.command ?? [];
  const wrapper = command.length > 0 && EXEC_WRAPPERS.has(lastSegment(command[0]) ?? command[0]) && command.slice(1).every((w) => w.startsWith('-'));
  return { command: argv ? prepareCommand(argv) : null, args: spec.args ?? [], wrapped: wrapper && spec.args?.length ? prepareCommand(spec.args) : null };
}

/**
 * The process that started a wrapper's args, when the sensor names it, is the wrapper itself (tini, or the entry script
 * run by its shell) or the runtime it exec'd from (the shim): the args alone are a short, common command line, and the
 * same line run by the node's cron or systemd is not the container's process.
 */
function startedByWrapperOrRuntime(parent: ProcessInfo | undefined): boolean {
  if (!parent) return true;
  const names = [parent.path, parent.name, ...splitArgv(parent.commandLine ?? '').slice(0, 2)].map((x) => (x ? (lastSegment(x) ?? x) : undefined));
  if (names.every((n) => !n)) return true;
  return names.some((n) => !!n && (EXEC_WRAPPERS.has(n) || isContainerRuntimeProcess(n)));
}

function preparedEntrypointMatches(o: Observed, entry: PreparedEntrypoint, parent?: ProcessInfo | null): boolean {
  if (entry.command) {
    if (preparedCommandMatches(o, entry.command)) return true;
    return entry.wrapped !== null && (parent === null || startedByWrapperOrRuntime(parent)) && preparedCommandMatches(o, entry.wrapped);
  }
  const args = entry.args;
  if (args.length === 0) return false;
  const tokens = o.command.tokens;
  for (let skip = 0; skip <= 2 && skip < tokens.length; skip++) {
    if (tokens.length - skip !== args.length) continue;
    let all = true;
    for (let i = 0; i < args.length && all; i++) all = tokenMatches(tokens[skip + i], args[i], skip === 0 && i === 0);
    if (all) return true;
  }
  return false;
}

/** The first element of the lists, in order, whose name is `name`. */
function firstNamed<T extends { name: string }>(name: string, ...lists: (T[] | undefined)[]): { item: T; list: number } | undefined {
  for (let list = 0; list < lists.length; list++) {
    const items = lists[list];
    if (items) for (const item of items) if (item.name === name) return { item, list };
  }
  return undefined;
}

const CONTAINER_TYPES: readonly ContainerRef['type'][] = ['container', 'init', 'ephemeral'];

export function containerRef(pod: Pod, name: string): ContainerRef | undefined {
  const found = firstNamed(name, pod.spec.containers, pod.spec.initContainers, pod.spec.ephemeralContainers);
  if (!found) return undefined;
  const status = firstNamed(name, pod.status?.containerStatuses, pod.status?.initContainerStatuses, pod.status?.ephemeralContainerStatuses);
  return { pod, spec: found.item, status: status?.item, type: CONTAINER_TYPES[found.list] };
}

/** The pod existed at `time`. Compared as instants: "…:02Z" (API, seconds) and "…:02.611Z" (alert) differ as text. */
function podAt(pod: Pod, time: string | null): boolean {
  if (!time) return true;
  const created = pod.metadata.creationTimestamp;
  // The API rounds creation down to the second; an alert in that same second is not "before" the pod.
  return !created || Date.parse(created) <= Date.parse(time);
}

/** Place the alert's process: container id, cgroup, pod uid, pod name, ids in the parent chain, then the node. */
function placeProcess(alert: Alert, index: ClusterIndex, notes: string[]): Placement {
  const via: string[] = [];
  const c = alert.container;
  let container: ContainerRef | undefined;
  let pod: Pod | undefined;
  /** Matched by a name only: a StatefulSet or a re-created naked pod reuses names, so time and node must agree. */
  let byName = false;
  /** The alert's container id belongs to no container of the pod it names: nothing else is placed by name or inference. */
  let unknownContainer = false;
  if (c.id && c.id !== 'host') {
    container = index.containerById(c.id);
    if (container) via.push(`container id ${c.id}`);
  }
  if (!container && c.cgroupPath) {
    const found = index.containerByCgroup(c.cgroupPath);
    if (found && 'spec' in found) container = found as ContainerRef;
    else if (found) pod = found.pod;
    if (found) via.push('cgroup path');
  }
  if (!container && !pod && c.podUid) {
    pod = index.podByUid(c.podUid);
    if (pod) via.push(`pod uid ${c.podUid}`);
  }
  if (!container && !pod && c.pod) {
    if (c.namespace) pod = index.podByName(c.namespace, c.pod);
    else {
      const named = index.podsNamed(c.pod);
      if (named.length === 1) pod = named[0];
      else if (named.length > 1) notes.push(`${named.length} pods are named ${c.pod}; the alert names no namespace`);
    }
    if (pod) {
      via.push(`pod name ${c.namespace ? `${c.namespace}/` : ''}${c.pod}`);
      byName = true;
    }
  }
  if (!container && pod) {
    // The sensor's container id is the runtime's, the pod's name and UID labels anyone who reaches the runtime can set on
    // a container of their own (and its cgroup parent a flag of `ctr run`): an id the pod's container never had while it
    // was running then is another container.
    const claimedId = c.id && c.id !== 'host' ? c.id : c.cgroupPath?.match(HEX64)?.pop();
    const other = claimedId ? otherContainerThen(pod, claimedId, c.name, alert.time) : undefined;
    if (other) {
      notes.push(`the alert's container ${claimedId!.slice(0, 12)} is not ${other} of pod ${pod.metadata.namespace}/${pod.metadata.name}, which was running then: a container claiming that pod's ${byName ? 'name' : via[0]?.startsWith('pod uid') ? 'UID' : 'cgroup'}, unknown to the cluster`);
      pod = undefined;
      byName = false;
      via.length = 0;
      unknownContainer = true;
    }
  }
  if (!container && !pod) {
    // Node sensors see containers as host processes; the runtime's command line in the parent chain names the container.
    for (const ancestor of alert.process.ancestors) {
      if (!isRuntimeNamingContainer(ancestor)) continue;
      for (const id of ancestor.commandLine?.match(HEX64) ?? []) {
        const found = index.containerById(id);
        if (found) {
          container = found;
          via.push(`container id ${id.slice(0, 12)} in the command line of ${ancestor.name ?? 'an ancestor'}`);
          break;
        }
      }
      if (container) break;
    }
  }
  let byWorkload: { kind: string; namespace: string; name: string; count: number } | undefined;
  if (!container && !pod && c.workload && c.namespace) {
    // The alert names a controller, not a pod (GuardDuty audit findings on a DaemonSet): its pods are where it runs.
    const hostRef = [alert.host.name, alert.host.instanceId, ...alert.host.ips].find((x): x is string => !!x);
    const picked = podOfWorkload(index, c.namespace, c.workload.kind, c.workload.name, hostRef ? index.findNode(hostRef)?.metadata.name : undefined);
    if (picked) {
      pod = picked.pod;
      byWorkload = { ...c.workload, namespace: c.namespace, count: picked.count };
      via.push(`${c.workload.kind} ${c.namespace}/${c.workload.name}, pod ${pod.metadata.name}${picked.count > 1 ? ` (one of its ${picked.count} pods)` : ''}`);
    }
  }
  if (container) pod = container.pod;
  if (pod && !container && c.name) container = containerRef(pod, c.name);
  if (pod && !container && byWorkload && pod.spec.containers.length === 1) container = containerRef(pod, pod.spec.containers[0].name);

  let node = pod ? index.nodeOfPod(pod) : undefined;
  const hostRefs = [alert.host.name, alert.host.instanceId, ...alert.host.ips].filter((x): x is string => !!x);
  let hostNode;
  for (const ref of hostRefs) {
    hostNode = index.findNode(ref);
    if (hostNode && otherInstance(hostNode, alert.host.instanceId)) {
      // Same name or address, another machine: clusters in separate VPCs reuse addresses and the names made of them.
      notes.push(`node ${hostNode.metadata.name} has the alert's host name or address but is instance ${otherInstance(hostNode, alert.host.instanceId)}, not ${alert.host.instanceId}: another machine`);
      hostNode = undefined;
      break;
    }
    if (hostNode) {
      if (!node) via.push(`node ${ref === hostNode.metadata.name ? 'name' : ref === alert.host.instanceId ? 'instance id' : `address ${ref}`}`);
      break;
    }
  }
  if (hostNode && node && hostNode !== node) notes.push(`the alert's host ${hostNode.metadata.name} is not the node of ${pod!.metadata.name} (${node.metadata.name})`);
  // The alert's cloud instance is not the named pod's node: the same StatefulSet or pod name in another cluster.
  const elsewhere = node ? otherInstance(node, alert.host.instanceId) : undefined;
  if (pod && byName && (!podAt(pod, alert.time) || (hostNode && node && hostNode !== node) || elsewhere)) {
    notes.push(
      !podAt(pod, alert.time)
        ? `the pod named ${pod.metadata.namespace}/${pod.metadata.name} in the snapshot was created at ${pod.metadata.creationTimestamp}, after the alert: it is a later pod with the same name, not the one that alerted`
        : elsewhere
          ? `the pod named ${pod.metadata.namespace}/${pod.metadata.name} in the snapshot runs on ${node!.metadata.name}, instance ${elsewhere}, not the alert's instance ${alert.host.instanceId}: a pod of the same name on another machine, not the one that alerted`
          : `the pod named ${pod.metadata.namespace}/${pod.metadata.name} in the snapshot runs on ${node!.metadata.name}, not on the alert's host: it is a later pod with the same name, not the one that alerted`,
    );
    pod = undefined;
    container = undefined;
    node = undefined;
    via.length = 0;
    if (hostNode) via.push(`node ${hostNode.metadata.name}`);
  }
  node = node ?? hostNode;
  if (!container && !pod && node && c.name && c.namespace && !unknownContainer) {
    // Products that name the container and namespace but give no live id (Cortex XDR): unique on that node?
    // Not when the alert names its pod: the one pod there with that container is then another pod.
    const candidates = index.podsOnNode(node.metadata.name).filter((p) => p.metadata.namespace === c.namespace && (!c.pod || p.metadata.name === c.pod) && podAt(p, alert.time) && p.spec.containers.some((x) => x.name === c.name));
    if (candidates.length === 1) {
      pod = candidates[0];
      container = containerRef(pod, c.name);
      via.push(`container ${c.name} in namespace ${c.namespace} on this node`);
    }
  }
  if (!container && !pod && node && !unknownContainer) {
    const inferred = inferContainerOnNode(alert, index, node.metadata.name) ?? inferFromExecSessions(alert, index, node.metadata.name);
    // The sensor named the process's pod: a pod of another name (or namespace) that runs the same program is not it.
    const named = c.pod && inferred && (inferred.ref.pod.metadata.name !== c.pod || (!!c.namespace && inferred.ref.pod.metadata.namespace !== c.namespace));
    if (named) notes.push(`the alert names pod ${c.namespace ? `${c.namespace}/` : ''}${c.pod}, which the cluster does not have; ${inferred.ref.pod.metadata.namespace}/${inferred.ref.pod.metadata.name} runs the same program on that node but is another pod`);
    if (inferred && !named) {
      container = inferred.ref;
      pod = inferred.ref.pod;
      via.push(inferred.via);
    }
  }
  if (pod && !podAt(pod, alert.time)) notes.push(`pod ${pod.metadata.namespace}/${pod.metadata.name} was created at ${pod.metadata.creationTimestamp}, after the alert`);
  return { node, pod, container, workload: pod ? index.workloadOf(pod) : undefined, via, ...(unknownContainer ? { unknownContainer } : {}) };
}

/** `containerd://abc…`, `docker-abc….scope`, `ABC…` → `abc…`. */
function bareContainerId(id: string): string {
  return id.trim().toLowerCase().replace(/^[a-z-]+:\/\//, '').replace(/^(?:docker|cri-containerd|crio)-/, '').replace(/\.scope$/, '');
}

/** Tolerance between the sensor's clock and the kubelet's container start and finish times. */
const CONTAINER_CLOCK_SKEW_MS = 60_000;

/**
 * The pod's container (the one named, or every one when none is) had an instance with a known id running at `time`,
 * so an alert whose container id the index does not know came from another container: its description, or undefined
 * (no time, or some container's instance then is unknown: restarted since, as in a kill-restart loop).
 */
function otherContainerThen(pod: Pod, id: string, name: string | undefined, time: string | null): string | undefined {
  const t = time ? Date.parse(time) : NaN;
  if (!Number.isFinite(t)) return undefined;
  const all = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])];
  // A short id the index could not settle (several containers share the prefix) may still be one of this pod's.
  const wanted = bareContainerId(id);
  const isThis = (known: string | undefined) => {
    const k = known ? bareContainerId(known) : '';
    return !!k && !!wanted && (k.startsWith(wanted) || wanted.startsWith(k));
  };
  if (all.some((st) => isThis(st.containerID) || isThis(st.lastState?.terminated?.containerID))) return undefined;
  const statuses = all.filter((st) => !name || st.name === name);
  if (statuses.length === 0) return undefined;
  const covers = (id: string | undefined, started: string | undefined, finished: string | undefined): boolean =>
    !!id && !!started && Date.parse(started) <= t - CONTAINER_CLOCK_SKEW_MS && (finished === undefined || Date.parse(finished) >= t + CONTAINER_CLOCK_SKEW_MS);
  const running = (st: (typeof statuses)[number]) =>
    covers(st.containerID, st.state?.running?.startedAt, undefined) ||
    covers(st.containerID, st.state?.terminated?.startedAt, st.state?.terminated?.finishedAt) ||
    covers(st.lastState?.terminated?.containerID, st.lastState?.terminated?.startedAt, st.lastState?.terminated?.finishedAt);
  if (!statuses.every(running)) return undefined;
  return name ? `container ${name}` : `any container`;
}

const AWS_INSTANCE_ID = /^i-[0-9a-f]{8,17}$/i;

/** The alert's EC2 instance id is this node's (from its providerID). */
export function sameInstance(node: { spec?: { providerID?: string } } | undefined, instanceId: string | undefined): boolean {
  if (!node || !instanceId || !AWS_INSTANCE_ID.test(instanceId)) return false;
  return ((node.spec?.providerID ?? '').split('/').pop() ?? '').toLowerCase() === instanceId.toLowerCase();
}

/** The node's own EC2 instance id when it is not the alert's (both must be EC2 instance ids to compare). */
function otherInstance(node: { spec?: { providerID?: string } }, instanceId: string | undefined): string | undefined {
  if (!instanceId || !AWS_INSTANCE_ID.test(instanceId)) return undefined;
  const own = (node.spec?.providerID ?? '').split('/').pop() ?? '';
  return AWS_INSTANCE_ID.test(own) && own.toLowerCase() !== instanceId.toLowerCase() ? own : undefined;
}

/** A pod of this controller, on the given node when it has one there; the oldest first (the one that ran longest). */
function podOfWorkload(index: ClusterIndex, namespace: string, kind: string, name: string, nodeName: string | undefined): { pod: Pod; count: number } | undefined {
  const pods = index.pods.filter((p) => p.metadata.namespace === namespace && index.ownerChain(p).some((w) => w.kind === kind && w.name === name && w.namespace === namespace));
  if (pods.length === 0) return undefined;
  const ordered = [...pods].sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name));
  const pod = (nodeName && ordered.find((p) => p.spec.nodeName === nodeName)) || ordered[0];
  return { pod, count: pods.length };
}

/** The exec probes and lifecycle hooks of a container: kubelet runs them through the runtime, with no audit event. */
export function probeCommands(spec: ContainerSpec): { kind: string; argv: string[] }[] {
  const out: { kind: string; argv: string[] }[] = [];
  for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const argv = spec[kind]?.exec?.command;
    if (argv?.length) out.push({ kind, argv });
  }
  for (const hook of ['postStart', 'preStop'] as const) {
    const argv = spec.lifecycle?.[hook]?.exec?.command;
    if (argv?.length) out.push({ kind: `${hook} hook`, argv });
  }
  return out;
}

/**
 * Every container of every pod on a node, with what matching its entrypoint and probes needs: built once per node and
 * index, since the node's containers are compared with the command of each alert placed on it. Replicas share their
 * spec arrays (see cluster/compact.ts), so the prepared matchers are shared through them too.
 */
interface NodeContainer {
  pod: Pod;
  spec: ContainerSpec;
  /** The pod's creation instant; undefined when it has none (it then existed at any time). */
  created: number | undefined;
  entrypoint: PreparedEntrypoint;
  probes: readonly PreparedCommand[];
  /** Token counts of an observed command that its entrypoint or probes can match (see lengthGate). */
  entrypointGate: LengthGate;
  probeGate: LengthGate;
}

/**
 * Which observed commands can match: a bit per token count (bit 31: 31 or more), and the script length a shell
 * command's script must have (-1 when no script is compared). Matching needs equal lengths, so a node's containers
 * are mostly ruled out by two integer tests.
 */
interface LengthGate {
  counts: number;
  scripts: number;
}
const CLOSED: LengthGate = { counts: 0, scripts: 0 };

function countBit(n: number): number {
  return 1 << Math.min(n, 31);
}

function commandGate(command: PreparedCommand, gate: LengthGate): void {
  gate.counts |= countBit(command.argv.argv.length);
  // Run through its `#!` interpreter (and one flag), the same command has one or two words more (shebangMatches).
  if (shebangEligible(command.argv)) gate.counts |= countBit(command.argv.argv.length + 1) | countBit(command.argv.argv.length + 2);
  if (command.script) {
    gate.counts |= countBit(command.script.argv.length);
    gate.scripts |= countBit(command.script.argv.length);
  }
  if (command.execTail) gate.counts |= countBit(command.execTail.argv.length);
}

function entrypointGate(entry: PreparedEntrypoint): LengthGate {
  const gate = { counts: 0, scripts: 0 };
  if (entry.command) {
    commandGate(entry.command, gate);
    if (entry.wrapped) commandGate(entry.wrapped, gate);
  } else if (entry.args.length) for (let skip = 0; skip <= 2; skip++) gate.counts |= countBit(entry.args.length + skip);
  return gate;
}

function probesGate(probes: readonly PreparedCommand[]): LengthGate {
  if (probes.length === 0) return CLOSED;
  const gate = { counts: 0, scripts: 0 };
  for (const probe of probes) commandGate(probe, gate);
  return gate;
}

/** Can a command of `count` tokens (whose script, when it runs one, has `scriptBit`) pass the gate? */
function opens(gate: LengthGate, countBitOfObserved: number, scriptBit: () => number): boolean {
  return (gate.counts & countBitOfObserved) !== 0 || (gate.scripts !== 0 && (gate.scripts & scriptBit()) !== 0);
}
const containersByNode = new WeakMap<ClusterIndex, Map<string, NodeContainer[]>>();
function containersOnNode(index: ClusterIndex, nodeName: string): NodeContainer[] {
  let byNode = containersByNode.get(index);
  if (!byNode) containersByNode.set(index, (byNode = new Map()));
  let list = byNode.get(nodeName);
  if (!list) {
    list = [];
    for (const pod of index.podsOnNode(nodeName)) {
      const created = pod.metadata.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : undefined;
      for (const specs of [pod.spec.containers, pod.spec.initContainers, pod.spec.ephemeralContainers]) {
        if (!specs) continue;
        for (const spec of specs) {
          const entrypoint = sharedEntrypoint(spec);
          const probes = sharedProbes(spec);
          list.push({ pod, spec, created, entrypoint, probes, entrypointGate: sharedGate(entrypoint, entrypointGate), probeGate: probesGate(probes) });
        }
      }
    }
    byNode.set(nodeName, list);
  }
  return list;
}

const NO_ARGS: string[] = [];
const entrypointsByCommand = new WeakMap<object, WeakMap<object, PreparedEntrypoint>>();
/** One prepared entrypoint per distinct (command, args) arrays. */
function sharedEntrypoint(spec: ContainerSpec): PreparedEntrypoint {
  const command = spec.command ?? NO_ARGS;
  const args = spec.args ?? NO_ARGS;
  let byArgs = entrypointsByCommand.get(command);
  if (!byArgs) entrypointsByCommand.set(command, (byArgs = new WeakMap()));
  let prepared = byArgs.get(args);
  if (!prepared) byArgs.set(args, (prepared = prepareEntrypoint(spec)));
  return prepared;
}

const gates = new WeakMap<object, LengthGate>();
/** One gate per prepared entrypoint (shared by replicas through it). */
function sharedGate<T extends object>(prepared: T, make: (prepared: T) => LengthGate): LengthGate {
  let gate = gates.get(prepared);
  if (!gate) gates.set(prepared, (gate = make(prepared)));
  return gate;
}

const NO_PROBES: readonly PreparedCommand[] = [];
/** The exec probes and hooks of a spec (non-empty argv); each distinct argv array is prepared once. */
function sharedProbes(spec: ContainerSpec): readonly PreparedCommand[] {
  const commands = probeCommands(spec);
  if (commands.length === 0) return NO_PROBES;
  return commands.map(({ argv }) => sharedCommand(argv));
}

/** The instant of an alert's time; null when it has none (then every pod counts as existing). */
function instantOf(time: string | null): number | null {
  return time ? Date.parse(time) : null;
}

/** podAt() with both instants parsed. */
function existedAt(created: number | undefined, at: number | null): boolean {
  return at === null || created === undefined || created <= at;
}

/**
 * Node sensors report containerised processes as host processes. When the process (or its nearest ancestors) runs
 * exactly a container's entrypoint or exec probe on that node, that container is the most likely home.
 */
function inferContainerOnNode(alert: Alert, index: ClusterIndex, nodeName: string): { ref: ContainerRef; via: string } | undefined {
  const containers = containersOnNode(index, nodeName);
  const at = instantOf(alert.time);
  const chain = alert.process.ancestors;
  const depths = Math.min(chain.length, 3) + 1;
  for (let depth = 0; depth < depths; depth++) {
    const cmd = depth === 0 ? alert.process.commandLine : chain[depth - 1].commandLine;
    if (!cmd) continue;
    // A container's processes descend from the runtime, never from a login on the node: a command line copied from a
    // pod spec and run from an SSH or console session is the node's own process, whatever it is called.
    if (chain.slice(depth).some(isNodeLogin)) break;
    const o = observed(cmd);
    const count = countBit(o.command.tokens.length);
    const scriptBit = () => {
      const script = observedScript(o);
      return script ? countBit(script.length) : 0;
    };
    let hits: { ref: ContainerRef; how: string }[] | undefined;
    for (const c of containers) {
      const entrypointOpen = opens(c.entrypointGate, count, scriptBit);
      // The process itself, or a child of a probe or hook that is a shell script (`sh -c "ps | grep | xargs kill"`).
      const probeOpen = depth <= 1 && opens(c.probeGate, count, scriptBit);
      if (!entrypointOpen && !probeOpen) continue;
      const existed = existedAt(c.created, at);
      if (!existed && !(probeOpen && replacedAfterPreStop(c, at))) continue;
      let how: string | undefined;
      if (existed && entrypointOpen && preparedEntrypointMatches(o, c.entrypoint, chain[depth])) how = 'entrypoint';
      else if (probeOpen) {
        for (const probe of c.probes) {
          if ((depth === 0 || probe.script) && preparedCommandMatches(o, probe) && (existed || preparedCommandMatches(o, sharedCommand(c.spec.lifecycle!.preStop!.exec!.command!)))) {
            how = existed ? 'exec probe' : 'preStop hook (the pod was replaced right after)';
            break;
          }
        }
      }
      if (how) (hits ??= []).push({ ref: containerRef(c.pod, c.spec.name)!, how });
    }
    if (!hits) continue;
    return pickInferred(hits, index, depth);
  }
  return inferByExecutable(alert, containers) ?? inferByEntrypointBinary(alert, containers);
}

/**
 * A preStop hook runs while its pod is being deleted: a StatefulSet recreates the pod under the same name moments later,
 * so the snapshot holds the successor, created within the termination grace period after the hook ran. Its spec is
 * the template the old pod had unless the rollout changed it (then the hook does not match anyway).
 */
function replacedAfterPreStop(c: NodeContainer, at: number | null): boolean {
  if (at === null || c.created === undefined || c.created <= at || !c.spec.lifecycle?.preStop?.exec?.command?.length) return false;
  if (!(c.pod.metadata.ownerReferences ?? []).some((o) => o.kind === 'StatefulSet' && o.controller)) return false;
  return c.created - at <= PRESTOP_REPLACEMENT_MS;
}
/** The default 30 s termination grace period, and as long again for the controller to recreate the pod (the spec's own period is dropped on load). */
const PRESTOP_REPLACEMENT_MS = 60_000;

/**
 * File-integrity and audit records often name only the writing executable and its parent: when the parent is the
 * container runtime's shim and the executable is the first word of exactly one workload's container command on the
 * node, that container's main process wrote it.
 */
function inferByExecutable(alert: Alert, containers: NodeContainer[]): { ref: ContainerRef; via: string } | undefined {
  const p = alert.process;
  if (p.commandLine || !p.path?.startsWith('/')) return undefined;
  const parent = p.ancestors[0];
  const parentName = lastSegment(parent?.path ?? parent?.name ?? '') ?? '';
  if (!isContainerRuntimeProcess(parentName)) return undefined;
  const hits = containers.filter(({ pod, spec }) => podAt(pod, alert.time) && spec.command?.[0] === p.path).map(({ pod, spec }) => containerRef(pod, spec.name)!);
  const workloads = new Set(hits.map((h) => `${h.pod.metadata.namespace}/${h.pod.metadata.ownerReferences?.[0]?.name ?? h.pod.metadata.name}/${h.spec.name}`));
  if (hits.length === 0 || workloads.size > 1) return undefined;
  const ref = hits[0];
  return { ref, via: `the process ${p.path}, started by ${parentName}, is the command of container ${ref.spec.name} in ${ref.pod.metadata.namespace}/${ref.pod.metadata.name} on this node` };
}


/** Directories the node's own programs live in too: a binary there says nothing about which container ran it. */
const SYSTEM_BIN_DIRS = /^\/(?:usr\/(?:local\/)?)?(?:s?bin|lib\d*|libexec)\//;

/**
 * A node sensor's chain through a container's own entrypoint binary, run with other arguments (CloudNativePG's
 * `/controller/manager wal-archive …` under postgres, next to `/controller/manager instance run` as PID 1): the binary,
 * by its absolute path outside the system directories, is the command of one workload's container on the node and of
 * nothing else there. Shells, interpreters, wrappers and anything in a temporary or hidden directory never place.
 */
function inferByEntrypointBinary(alert: Alert, containers: NodeContainer[]): { ref: ContainerRef; via: string } | undefined {
  const chain = [alert.process, ...alert.process.ancestors.slice(0, 2)];
  if (alert.process.ancestors.some(isNodeLogin)) return undefined;
  for (let depth = 0; depth < chain.length; depth++) {
    const p = chain[depth];
    const first = p.commandLine ? splitArgv(p.commandLine)[0] : undefined;
    const exe = p.path?.startsWith('/') ? p.path : first?.startsWith('/') ? first : undefined;
    if (!exe || SYSTEM_BIN_DIRS.test(exe) || isStagingPath(exe)) continue;
    const base = lastSegment(exe) ?? exe;
    if (SHEBANG_INTERPRETERS.test(base) || EXEC_WRAPPERS.has(base) || isContainerRuntimeProcess(base)) continue;
    const hits = containers.filter(({ pod, spec }) => podAt(pod, alert.time) && spec.command?.[0] === exe).map(({ pod, spec }) => containerRef(pod, spec.name)!);
    const workloads = new Set(hits.map((h) => `${h.pod.metadata.namespace}/${h.pod.metadata.ownerReferences?.[0]?.name ?? h.pod.metadata.name}/${h.spec.name}`));
    if (hits.length === 0 || workloads.size > 1 || new Set(hits.map((h) => h.pod.metadata.name)).size > 1) continue;
    const ref = hits[0];
    const who = depth === 0 ? 'the process' : depth === 1 ? 'its parent' : 'its grandparent';
    return { ref, via: `${who} runs ${exe}, the entrypoint binary of container ${ref.spec.name} in ${ref.pod.metadata.namespace}/${ref.pod.metadata.name}, the only container on this node started from it` };
  }
  return undefined;
}

function pickInferred(hits: { ref: ContainerRef; how: string }[], index: ClusterIndex, depth: number): { ref: ContainerRef; via: string } | undefined {
  {
    const workloads = new Set(hits.map((h) => `${h.ref.pod.metadata.namespace}/${index.workloadOf(h.ref.pod)?.name ?? h.ref.pod.metadata.name}`));
    if (workloads.size > 1) return undefined;
    // One workload whose containers share the command (an injected init container and its sidecar, e.g. the Vault
    // agent's): the pod is certain, the container is either; the first by name is named, the other mentioned.
    const containers = [...new Set(hits.map((h) => h.ref.spec.name))].sort();
    // Several replicas of one workload on the node: prefer the one whose container last (re)started before the alert.
    hits.sort((a, b) => (a.ref.pod.metadata.name < b.ref.pod.metadata.name ? -1 : a.ref.pod.metadata.name > b.ref.pod.metadata.name ? 1 : a.ref.spec.name < b.ref.spec.name ? -1 : 1));
    const who = depth === 0 ? 'the process' : `its ${depth === 1 ? 'parent' : 'ancestor'}`;
    const pick = hits[0];
    const pods = new Set(hits.map((h) => h.ref.pod.metadata.name)).size;
    const ambiguity = [pods > 1 ? `one of ${pods} replicas on the node` : '', containers.length > 1 ? `containers ${containers.join(' and ')} run the same command` : ''].filter(Boolean).join('; ');
    return { ref: pick.ref, via: `${who} runs the ${pick.how} of container ${pick.ref.spec.name} in ${pick.ref.pod.metadata.namespace}/${pick.ref.pod.metadata.name} on this node${ambiguity ? ` (${ambiguity})` : ''}` };
  }
}

const SESSION_SKEW_MS = 60_000;

function withinSession(time: string | null, session: ExecSession): boolean {
  if (!time) return false;
  const t = Date.parse(time);
  return t >= Date.parse(session.start) - SESSION_SKEW_MS && t <= Date.parse(session.end) + SESSION_SKEW_MS;
}

/**
 * A host process on a node, during a kubectl exec/debug session into a pod on that node, running the session's
 * command (or a child of it): that session's container is where it ran.
 */
function inferFromExecSessions(alert: Alert, index: ClusterIndex, nodeName: string): { ref: ContainerRef; via: string } | undefined {
  const chain = [alert.process, ...alert.process.ancestors.slice(0, 2)];
  // A process of a login on the node (SSH, console) is the node's, whatever it runs during someone's session.
  if (alert.process.ancestors.some(isNodeLogin)) return undefined;
  const hits: { ref: ContainerRef; session: ExecSession }[] = [];
  for (const session of index.execSessions) {
    if (session.kind === 'portforward' || session.kind === 'node-debug' || !withinSession(alert.time, session)) continue;
    const pod = index.podByName(session.namespace, session.pod);
    if (!pod || pod.spec.nodeName !== nodeName) continue;
    const name = session.container ?? pod.spec.containers[0]?.name;
    const ref = name ? containerRef(pod, name) : undefined;
    if (!ref) continue;
    const runs = sessionProgram(session, ref);
    if (!runs) continue;
    const hit = runs === INTERACTIVE_SHELL ? runtimeStartedShell(alert) : chain.some((p) => commandMatches(p.commandLine ?? p.name, runs));
    if (hit) hits.push({ ref, session });
  }
  const pods = new Set(hits.map((h) => h.ref.pod.metadata.uid));
  if (hits.length === 0 || pods.size > 1) return undefined;
  const { ref, session } = hits[0];
  const runs = sessionProgram(session, ref);
  const what = runs === INTERACTIVE_SHELL ? `an interactive shell, as the ${ref.spec.name} container it attached to starts with a terminal and no command` : (runs ?? []).join(' ');
  return { ref, via: `the command matches ${session.user}'s kubectl ${session.kind} session (${what}) into ${ref.pod.metadata.namespace}/${ref.pod.metadata.name} on this node` };
}

/** A container started with a terminal and stdin and no command: the image's default, a shell for the debug images people use. */
const INTERACTIVE_SHELL: string[] = [];
const SHELL_NAMES = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);

/** A shell process: by its name, or by argv[0] when the binary is a multi-call one (busybox running `sh`). */
function isShellProcess(p: { name?: string; commandLine?: string }): boolean {
  const first = (p.commandLine ?? '').trim().split(/\s+/)[0]?.split('/').pop() ?? '';
  return SHELL_NAMES.has(first.replace(/^-/, '')) || (!p.commandLine && SHELL_NAMES.has(p.name ?? ''));
}

/**
 * A shell the container runtime started (the process or one of its two nearest ancestors, with the runtime's shim as
 * the shell's parent): an attached container's interactive shell. A shell of a login on the node (sshd, a console)
 * during somebody's session is not that container's.
 */
function runtimeStartedShell(alert: Alert): boolean {
  const lineage = [alert.process, ...alert.process.ancestors];
  return lineage.slice(0, 3).some((p, i) => isShellProcess(p) && isContainerRuntimeProcess(processBaseName(lineage[i + 1])));
}

function processBaseName(p: { name?: string; path?: string; commandLine?: string } | undefined): string {
  const text = p?.name ?? p?.path ?? p?.commandLine?.trim().split(/\s+/)[0] ?? '';
  return text.slice(text.lastIndexOf('/') + 1);
}

/**
 * What a session runs in its container: the exec's command; for an attach or an ephemeral (debug) container, the
 * container's own command and args, or an interactive shell when it was started with a terminal and no command.
 */
function sessionProgram(session: ExecSession, ref: ContainerRef): string[] | undefined {
  if (session.command.length) return session.command;
  if (session.kind !== 'attach' && session.kind !== 'ephemeral-container') return undefined;
  const spec = ref.spec as { command?: string[]; args?: string[]; tty?: boolean; stdin?: boolean };
  const argv = [...(spec.command ?? []), ...(spec.args ?? [])];
  if (argv.length) return argv;
  return session.tty && spec.tty === true && spec.stdin === true ? INTERACTIVE_SHELL : undefined;
}

/** Place one end of a network connection by address and time. */
export function placeAddress(ip: string | undefined, time: string | null, index: ClusterIndex, notes?: string[]): Placement | undefined {
  if (!ip) return undefined;
  const pod = index.podByIp(ip, time);
  if (!pod && time && notes) {
    const now = index.podByIp(ip, null);
    if (now && now.metadata.creationTimestamp && Date.parse(now.metadata.creationTimestamp) > Date.parse(time)) {
      notes.push(`${ip} now belongs to ${now.metadata.namespace}/${now.metadata.name}, created at ${now.metadata.creationTimestamp}, after the alert: the pod that held it then is not in the snapshot`);
    }
  }
  if (pod) return { pod, node: index.nodeOfPod(pod), workload: index.workloadOf(pod), via: [`pod IP ${ip}`] };
  const node = index.findNode(ip);
  if (node) return { node, via: [`node address ${ip}`] };
  const service = index.serviceByIp(ip);
  if (service) return { service, via: [`Service ClusterIP ${ip}`] };
  return undefined;
}

/** Traffic seen on the wire, with no process, container or API request to place it by: placed by its addresses. */
export function isNetworkAlert(alert: Alert): boolean {
  const c = alert.container;
  return (
    !!alert.network && !!(alert.network.srcIp || alert.network.dstIp) && !alert.process.name && !alert.process.commandLine && !c.id && !c.pod && !c.podUid && !c.cgroupPath && !alert.apiRequest
  );
}

/** The alert names a container (id, cgroup, pod uid): then it is placed by that, not by its host. */
function namesContainer(alert: Alert): boolean {
  const c = alert.container;
  return !!(c.id || c.podUid || c.cgroupPath);
}

/** Executable base names of a process: its name, its path's last segment, argv[0]'s. */
function processNames(p: Alert['process'] | Alert['process']['ancestors'][number]): string[] {
  const names = [p.name, lastSegment(p.path), p.commandLine ? observe(p.commandLine).firstBase : undefined].filter((n): n is string => !!n).map((n) => n.toLowerCase());
  return [...new Set(names)];
}

export function correlate(alert: Alert, index: ClusterIndex): Correlation {
  const notes: string[] = [];
  let subject: Placement;
  let peer: Placement | undefined;
  if (isNetworkAlert(alert)) {
    subject = placeAddress(alert.network!.srcIp, alert.time, index, notes) ?? { via: [] };
    peer = placeAddress(alert.network!.dstIp, alert.time, index, notes);
  } else {
    subject = placeProcess(alert, index, notes);
    if (alert.network?.dstIp) peer = placeAddress(alert.network.dstIp, alert.time, index, notes);
  }
  // A kubelet's own API request (an audit-log finding about system:node:<name>) comes from its node: placed by the
  // address it came from when nothing else placed it (on a micro-VM-per-pod platform, the one pod of that node).
  const req = alert.apiRequest;
  if (!subject.pod && !subject.node && req?.user?.startsWith('system:node:') && req.sourceIps?.length) {
    subject = placeAddress(req.sourceIps[0], alert.time, index, notes) ?? subject;
  }
  const anchor = subject.pod ?? subject.node ?? peer?.pod ?? peer?.node;
  const cluster = anchor ? index.clusterOf(anchor) : index.clusters.length === 1 ? index.clusters[0] : index.clusters.find((c) => c === alert.cluster);
  const { namespace, pod, image } = alert.container;
  let gonePod = !subject.pod && !subject.unknownContainer && namespace && pod ? gonePodAt(index, namespace, pod, alert.time) : undefined;
  // Namespace and image but no pod name (Cortex, Sysdig): the one gone pod of that image pinned to the node by its
  // creator — on a removed node (DaemonSet pods), or on a live one (a provisioner's helper pod, deleted once it ran).
  const pinnedHost = subject.node?.metadata.name ?? alert.host.name;
  // Inferred placements only for what a container could have run: a container's processes never descend from a login.
  const fromLogin = alert.process.ancestors.some(isNodeLogin);
  if (!subject.pod && !subject.unknownContainer && !pod && namespace && image && pinnedHost && !fromLogin) gonePod = gonePinnedPod(index, namespace, image, pinnedHost, alert.time);
  // A node sensor's host process on a node the snapshot no longer has (a surge or scaled-down node): the gone pod pinned
  // there whose own command the process or its parent runs.
  if (!gonePod && !fromLogin && !subject.pod && !subject.node && !namespace && !pod && !namesContainer(alert) && alert.host.name && alert.process.ancestors.length > 0) {
    gonePod = goneHostPodRunning(index, alert.host.name, alert.time, [alert.process, ...alert.process.ancestors.slice(0, 2)].map((p) => processNames(p)));
  }
  // The same on a node the snapshot still has: a pod pinned there and deleted since (a provisioner's helper pod), whose
  // exact recorded command the process or its parent runs.
  if (!gonePod && !fromLogin && !subject.pod && subject.node && !namespace && !pod && !namesContainer(alert) && alert.process.ancestors.length > 0) {
    gonePod = goneNodePodRunning(index, subject.node.metadata.name, alert.time, [alert.process, ...alert.process.ancestors.slice(0, 2)].map((p) => p.commandLine));
  }
  if (gonePod) {
    notes.push(`pod ${gonePod.namespace}/${gonePod.name} is gone from the snapshot; the audit log recorded its creation at ${gonePod.time} by ${gonePod.user}`);
    return { cluster, subject, peer, notes, gonePod };
  }
  const hostOnly = !subject.node && !subject.pod && !pod && !alert.container.id && !isNetworkAlert(alert) && alert.host.name;
  const pinned = hostOnly ? gonePodsPinnedTo(index, alert.host.name!, alert.time) : [];
  if (pinned.length) {
    notes.push(`node ${alert.host.name} is gone from the snapshot; the audit log shows ${pinned.length} pod(s) pinned to it at the time`);
    return { cluster, subject, peer, notes, goneNode: { name: alert.host.name!, pods: pinned } };
  }
  return { cluster, subject, peer, notes };
}
