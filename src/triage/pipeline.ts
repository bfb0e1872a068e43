import type { Alert } from '../alerts/model.js';
import { clusterNamed } from '../cluster/cluster-names.js';
import type { ClusterIndex } from '../cluster/model.js';
import { correlate, sameInstance } from './correlate.js';
import type { BatchStats, Correlation, Evidence, Rule, RuleContext, TriageResult } from './model.js';
import { RULES } from './rules/index.js';
import { decide } from './verdict.js';
import { linkToIncident } from './incidents.js';

/** The rules a first pass runs to find attack sites (incidents.ts): the attack indicators, malicious only. */
export const ATTACK_SIGNAL_RULES: readonly Rule[] = RULES.filter((rule) => rule.family === 'attack-indicators');

export interface TriageOptions {
  /** Aggregates over the whole export, from a first pass (see batch.ts). */
  batch?: BatchStats;
  index?: ClusterIndex;
  /** One index per cluster when several clusters are loaded: each alert is matched to the right one. */
  clusterIndexes?: ClusterIndex[];
  rules?: Rule[];
  policy?: unknown;
}

/**
 * Several clusters: the alert's own cluster field decides when it names a loaded cluster; otherwise the cluster
 * where its node, pod or addresses are found, which must be unambiguous — when not, the verdict says so.
 */
function chooseCluster(alert: Alert, indexes: ClusterIndex[]): Chosen {
  const named = alert.cluster ? clusterNamed(alert.cluster, indexes, (i) => i.clusters) : undefined;
  if (named) return { index: named, correlation: correlate(alert, named) };
  if (alert.cluster && !indexes.some((i) => i.clusters.some((c) => c === 'default'))) {
    // The alert names a cluster that was not loaded: the pod and node names it shares with the loaded clusters are
    // another cluster's. (A plain dump left unnamed, 'default', could still be it: then placement decides.)
    const note = `the alert names cluster ${alert.cluster}, which is not among the loaded clusters (${indexes.flatMap((i) => i.clusters).join(', ')}); it is not matched by names the clusters share`;
    return { index: indexes[0], correlation: { subject: { via: [] }, notes: [note] }, searched: indexes.flatMap((i) => i.clusters) };
  }
  const placed = indexes.map((index) => ({ index, correlation: correlate(alert, index) })).filter(({ correlation: c }) => c.subject.pod || c.subject.node || c.peer?.pod || c.peer?.node);
  if (placed.length === 0) return { index: indexes[0], correlation: correlate(alert, indexes[0]), searched: indexes.flatMap((i) => i.clusters) };
  if (placed.length === 1) return placed[0];
  // Ids no two clusters share (a runtime container id, a pod UID, an EC2 instance id) settle it; names do not.
  const byId = placed.filter(({ correlation: c }) => [...c.subject.via, ...(c.peer?.via ?? [])].some((v) => UNIQUE_KEYS.test(v)) || sameInstance(c.subject.node, alert.host.instanceId));
  if (byId.length === 1) return byId[0];
  const names = placed.map((p) => p.index.clusters.join('+')).join(', ');
  placed[0].correlation.notes.push(`the alert names no cluster and matches objects in several loaded clusters (${names}); ${placed[0].index.clusters[0]} was used`);
  return { ...placed[0], others: placed.slice(1) };
}

const UNIQUE_KEYS = /^(?:container id |pod uid |cgroup path)/;

interface Chosen {
  index: ClusterIndex;
  correlation: Correlation;
  /** Other clusters that place the alert as well (by names they share): it is only benign if it is benign in each. */
  others?: { index: ClusterIndex; correlation: Correlation }[];
  /** Every loaded cluster, when the alert was found in none of them. */
  searched?: string[];
}

const NO_CONTEXT: Correlation = { subject: { via: [] }, notes: [] };

/** correlate → every rule → verdict, for one alert. Pure: the same alert and index give the same result. */
/** The cluster an alert belongs to and its correlation there; undefined without context. */
export function correlateAlert(alert: Alert, options: Pick<TriageOptions, 'index' | 'clusterIndexes'>): Chosen | undefined {
  if (options.clusterIndexes && options.clusterIndexes.length > 1) return chooseCluster(alert, options.clusterIndexes);
  return options.index && { index: options.index, correlation: correlate(alert, options.index) };
}

export function triageAlert(alert: Alert, options: TriageOptions): TriageResult {
  let chosen;
  try {
    chosen = correlateAlert(alert, options);
  } catch (error) {
    // A correlation bug must not lose the alert: it is kept, genuine, with the failure as its reason.
    const verdict = decide(alert, NO_CONTEXT, [], undefined);
    verdict.reasons.unshift({ rule: 'correlation', direction: 'malicious', strength: 'weak', message: `Correlating this alert failed (${(error as Error).message}); it is kept.` });
    return { alert, correlation: NO_CONTEXT, verdict };
  }
  if (!chosen) return { alert, correlation: NO_CONTEXT, verdict: decide(alert, NO_CONTEXT, [], undefined) };
  const result = evaluate(alert, chosen.index, chosen.correlation, options, chosen.searched);
  if (result.verdict.label !== 'likely-false-positive' || !chosen.others) return linkToIncident(result, options.batch?.attackSites, chosen.index);
  // Benign in the cluster used, but the alert could as well be another cluster's: dismissed only if benign there too.
  for (const other of chosen.others) {
    const there = evaluate(alert, other.index, other.correlation, options);
    if (there.verdict.label === 'likely-false-positive') continue;
    there.verdict.reasons.unshift({
      rule: 'correlation',
      direction: 'malicious',
      strength: 'weak',
      message: `The alert names no cluster and matches objects in ${chosen.index.clusters.join('+')} and ${other.index.clusters.join('+')} alike; ${chosen.index.clusters.join('+')} would explain it, ${other.index.clusters.join('+')} does not, so it is kept.`,
    });
    return there;
  }
  return result;
}

function evaluate(alert: Alert, index: ClusterIndex, correlation: Correlation, options: TriageOptions, searched?: string[]): TriageResult {
  const evidence: Evidence[] = [];
  const context: RuleContext = { alert, correlation, index, policy: options.policy, batch: options.batch };
  for (const rule of options.rules ?? RULES) {
    try {
      for (const e of rule.evaluate(context)) evidence.push(e);
    } catch (error) {
      evidence.push({ rule: rule.id, direction: 'malicious', strength: 'weak', message: `Rule ${rule.id} failed on this alert (${(error as Error).message}); its evidence is missing.` });
    }
  }
  return { alert, correlation, verdict: decide(alert, correlation, evidence, index, searched) };
}
