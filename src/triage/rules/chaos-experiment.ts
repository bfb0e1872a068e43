import type { ProcessInfo } from '../../alerts/model.js';
import type { AuditActivity, ChaosFaultSummary, ClusterIndex, Node, Pod } from '../../cluster/model.js';
import {
  CHAOS_FAULT_KINDS,
  CHAOS_INJECTORS,
  CHAOS_RECOVERY_GRACE_MS,
  CHAOS_START_SKEW_MS,
  chaosFaultKind,
  type ChaosInjector,
} from '../../knowledge/chaos-engineering.js';
import { imageRepository, isRepoOrPathSuffix, nameMatches } from '../../knowledge/components.js';
import { argvOf } from '../argv.js';
import type { Rule } from '../model.js';
import { benign, clip, describePod, executableNames, malicious, podIsLive } from './support.js';

/**
 * chaos-experiment: a chaos framework's privileged node agent (Chaos Mesh's chaos-daemon) applies faults inside target
 * pods' namespaces — tc netem, iptables and ipsets, stress-ng, memStress, a FUSE layer — the moment someone creates an
 * experiment. The audit log keeps that creation with its selector and duration. A fault program run by the agent is
 * explained when an experiment of that kind was active then (its duration plus a short recovery) and selects a pod
 * on this node; the same agent running a fault program outside any such experiment, or a program none of its faults
 * runs (a shell that downloads a script), is not its work — the controller's command-injection path or someone
 * borrowing its privileges. Its own entrypoint starting is left to the other rules.
 */
export const chaosExperiment: Rule = {
  id: 'chaos-experiment',
  family: 'admin-activity',
  direction: 'benign',
  description: "A chaos agent's fault program explained by an experiment (audit log) whose window and selector cover it",
  evaluate(ctx) {
    const { alert, correlation, index } = ctx;
    if (!runsInjector(index)) return [];
    const chain = [alert.process, ...alert.process.ancestors.slice(0, 3)];
    const subjectPod = correlation.subject.pod;
    let injector = subjectPod ? injectorOf(index, subjectPod) : undefined;
    let agentPod = injector ? subjectPod : undefined;
    const daemonAt = (inj: ChaosInjector) => chain.findIndex((p) => executableNames(p).some((n) => inj.daemons.includes(n)));
    const node = correlation.subject.node ?? (subjectPod ? index.nodeOfPod(subjectPod) : undefined);
    if (!injector) {
      // A node sensor sees the agent's children as host processes: the chain names its daemon, and its pod runs here.
      // (The chain is checked first: most alerts name no agent, and then the node's pods are not looked at.)
      const named = CHAOS_INJECTORS.filter((inj) => daemonAt(inj) > 0);
      if (!node || named.length === 0) return [];
      for (const pod of index.podsOnNode(node.metadata.name)) {
        const found = podIsLive(pod) ? injectorOf(index, pod, named) : undefined;
        if (found) {
          injector = found;
          agentPod = pod;
          break;
        }
      }
      if (!injector || !agentPod) return [];
    }
    const daemonIndex = daemonAt(injector);
    if (daemonIndex === 0) return [];
    const below = daemonIndex === -1 ? chain : chain.slice(0, daemonIndex);
    const programs = programsOf(below, injector);
    const kinds = CHAOS_FAULT_KINDS.filter((k) => k.framework === injector.framework && k.programs.some((p) => programs.has(p)));
    const what = clip(alert.process.commandLine ?? alert.process.name ?? 'The process', 100);
    const agent = `${describePod(index, agentPod!)}, ${injector.name}`;
    if (kinds.length === 0) {
      // Only what the agent itself started is its behaviour; a process in its pod without the daemon above it is
      // someone's (an exec session) and left to the rules about people.
      if (daemonIndex === -1) return [];
      return [malicious(this.id, 'medium', `${what} was started by ${agent}, but it is none of the programs its faults run (${faultProgramsOf(injector)}): not fault injection.`, { pod: agentPod!.metadata.name })];
    }
    if (!node || !alert.time || !auditCovers(index, alert.time)) return [];
    const t = Date.parse(alert.time);
    const podsHere = index.podsOnNode(node.metadata.name);
    let unknownTarget: AuditActivity | undefined;
    for (const e of experiments(index)) {
      const kind = chaosFaultKind(e.created.apiGroup, e.created.resource)!;
      if (!kinds.includes(kind) || t < e.start - CHAOS_START_SKEW_MS || t > e.end + CHAOS_RECOVERY_GRACE_MS) continue;
      const summary = e.created.chaos;
      if (!summary) {
        unknownTarget ??= e.created;
        continue;
      }
      const target = podsHere.find((p) => selects(summary, p, node));
      if (!target) continue;
      return [
        benign(
          this.id,
          'admin-activity',
          'strong',
          `${what} is run by ${agent}, applying ${describeExperiment(e, summary)}; ${target.metadata.namespace}/${target.metadata.name} on ${node.metadata.name} is one of the pods it selects.`,
          { experiment: `${e.created.namespace}/${e.created.name}`, user: e.created.user, pod: target.metadata.name },
        ),
      ];
    }
    if (unknownTarget) {
      return [
        benign(
          this.id,
          'admin-activity',
          'medium',
          `${what} is run by ${agent}, while ${chaosFaultKind(unknownTarget.apiGroup, unknownTarget.resource)!.kind} ${unknownTarget.namespace}/${unknownTarget.name} created by ${unknownTarget.user} at ${unknownTarget.time} was active; the audit log does not say which pods it selects.`,
        ),
      ];
    }
    return [
      malicious(
        this.id,
        'medium',
        `${what} is a ${kinds.map((k) => k.kind).join(' or ')} fault program run by ${agent}, but no such experiment in the audit log was active at ${alert.time} and selected a pod on ${node.metadata.name}.`,
        { pod: agentPod!.metadata.name },
      ),
    ];
  },
};

const injectorRunning = new WeakMap<ClusterIndex, boolean>();
/** Whether any pod of the cluster is a chaos agent: in most clusters none is, and the rule has nothing to judge. */
function runsInjector(index: ClusterIndex): boolean {
  let known = injectorRunning.get(index);
  if (known === undefined) injectorRunning.set(index, (known = index.pods.some((pod) => injectorOf(index, pod) !== undefined)));
  return known;
}

function injectorOf(index: ClusterIndex, pod: Pod, among: readonly ChaosInjector[] = CHAOS_INJECTORS): ChaosInjector | undefined {
  const ns = pod.metadata.namespace ?? '';
  return among.find(
    (inj) =>
      inj.namespaces.includes(ns) &&
      nameMatches(inj.workloads, index.workloadOf(pod)?.name) &&
      pod.spec.containers.some((c) => inj.images.some((i) => isRepoOrPathSuffix(imageRepository(c.image), i))),
  );
}

/** The programs of the chain below the agent: each process's names, and the command a namespace-entry helper wraps. */
function programsOf(chain: readonly ProcessInfo[], injector: ChaosInjector): Set<string> {
  const out = new Set<string>();
  for (const p of chain) {
    const names = executableNames(p);
    for (const n of names) out.add(n);
    if (p.commandLine && names.some((n) => injector.wrappers.includes(n))) {
      // The wrapped command follows `--` (nsexec, nsenter) or the wrapper's options (pause): the program after them.
      const argv = argvOf(p.commandLine);
      const dash = argv.indexOf('--');
      const wrapped = dash >= 0 ? argv[dash + 1] : argv.slice(1).find((a, i, rest) => !a.startsWith('-') && !(i > 0 && /^-[a-z]$/i.test(rest[i - 1])));
      if (wrapped) out.add((wrapped.split('/').pop() ?? wrapped).toLowerCase());
    }
  }
  for (const w of injector.wrappers) out.delete(w);
  return out;
}

function faultProgramsOf(injector: ChaosInjector): string {
  return [...new Set(CHAOS_FAULT_KINDS.filter((k) => k.framework === injector.framework).flatMap((k) => k.programs.slice(0, 3)))].join(', ');
}

interface Experiment {
  created: AuditActivity;
  start: number;
  end: number;
}

/** Creations of fault resources with their windows (their duration, else until their deletion), once per index. */
const experimentsMemo = new WeakMap<ClusterIndex, Experiment[]>();
function experiments(index: ClusterIndex): Experiment[] {
  let list = experimentsMemo.get(index);
  if (list) return list;
  list = [];
  const deletions = new Map<string, number[]>();
  const key = (a: AuditActivity) => `${a.apiGroup}/${a.resource}/${a.namespace}/${a.name}`;
  for (const a of index.auditActivities) {
    if (a.verb !== 'delete' || !chaosFaultKind(a.apiGroup, a.resource) || (a.code !== undefined && a.code >= 300)) continue;
    const at = deletions.get(key(a)) ?? [];
    at.push(Date.parse(a.time));
    deletions.set(key(a), at);
  }
  for (const a of index.auditActivities) {
    if (a.verb !== 'create' || !chaosFaultKind(a.apiGroup, a.resource) || (a.code !== undefined && a.code >= 300)) continue;
    const start = Date.parse(a.time);
    if (Number.isNaN(start)) continue;
    const deleted = (deletions.get(key(a)) ?? []).filter((d) => d >= start).sort((x, y) => x - y)[0];
    const declared = a.chaos?.durationMs !== undefined ? start + a.chaos.durationMs : undefined;
    list.push({ created: a, start, end: Math.min(declared ?? Infinity, deleted ?? Infinity) });
  }
  list.sort((x, y) => x.start - y.start);
  experimentsMemo.set(index, list);
  return list;
}

/** Whether the loaded audit log spans the alert's time (a fault with no record there may simply be outside it). */
const spanMemo = new WeakMap<ClusterIndex, { first: number; last: number } | null>();
const COVER_SLACK_MS = 15 * 60_000;
function auditCovers(index: ClusterIndex, time: string): boolean {
  let span = spanMemo.get(index);
  if (span === undefined) {
    // A loop, not Math.min(...times): an audit log of a busy day holds more activities than a call has arguments.
    let first = Infinity;
    let last = -Infinity;
    for (const a of index.auditActivities) {
      const t = Date.parse(a.time);
      if (Number.isNaN(t)) continue;
      if (t < first) first = t;
      if (t > last) last = t;
    }
    span = first <= last ? { first, last } : null;
    spanMemo.set(index, span);
  }
  const t = Date.parse(time);
  return !!span && t >= span.first - COVER_SLACK_MS && t <= span.last + COVER_SLACK_MS;
}

function selects(summary: ChaosFaultSummary, pod: Pod, node: Node): boolean {
  const labels = pod.metadata.labels ?? {};
  return summary.selectors.some(
    (s) =>
      (s.namespaces.length === 0 || s.namespaces.includes(pod.metadata.namespace ?? '')) &&
      Object.entries(s.labels).every(([k, v]) => labels[k] === v) &&
      (!s.nodes || s.nodes.includes(node.metadata.name)) &&
      (!s.pods || s.pods.includes(`${pod.metadata.namespace}/${pod.metadata.name}`)) &&
      (Object.keys(s.labels).length > 0 || !!s.nodes || !!s.pods),
  );
}

function describeExperiment(e: Experiment, summary: ChaosFaultSummary): string {
  const a = e.created;
  const kind = chaosFaultKind(a.apiGroup, a.resource)!.kind;
  const sel = summary.selectors.map((s) => Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(',') || s.nodes?.join(',') || s.pods?.join(',')).join(' → ');
  const until = Number.isFinite(e.end) ? ` until ${new Date(e.end).toISOString()}` : '';
  return `${kind} ${a.namespace}/${a.name}${summary.action ? ` (${summary.action})` : ''}, created by ${a.user} at ${a.time} (audit), selecting ${sel}${until}`;
}

