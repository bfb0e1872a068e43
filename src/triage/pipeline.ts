import type { Alert } from '../alerts/model.js';
import { clusterNamed } from '../cluster/cluster-names.js';
import type { ClusterIndex } from '../cluster/model.js';
import { correlate } from './correlate.js';
import type { BatchStats, Correlation, Evidence, Rule, RuleContext, TriageResult } from './model.js';
import { RULES } from './rules/index.js';
import { decide } from './verdict.js';

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
function chooseCluster(alert: Alert, indexes: ClusterIndex[]): { index: ClusterIndex; correlation: Correlation } {
  const named = alert.cluster ? clusterNamed(alert.cluster, indexes, (i) => i.clusters) : undefined;
  if (named) return { index: named, correlation: correlate(alert, named) };
  if (alert.cluster && !indexes.some((i) => i.clusters.some((c) => c === 'default'))) {
    // The alert names a cluster that was not loaded: the pod and node names it shares with the loaded clusters are
    // another cluster's. (A plain dump left unnamed, 'default', could still be it: then placement decides.)
    const note = `the alert names cluster ${alert.cluster}, which is not among the loaded clusters (${indexes.flatMap((i) => i.clusters).join(', ')}); it is not matched by names the clusters share`;
    return { index: indexes[0], correlation: { subject: { via: [] }, notes: [note] } };
  }
  const placed = indexes.map((index) => ({ index, correlation: correlate(alert, index) })).filter(({ correlation: c }) => c.subject.pod || c.subject.node || c.peer?.pod || c.peer?.node);
  if (placed.length === 0) return { index: indexes[0], correlation: correlate(alert, indexes[0]) };
  if (placed.length > 1) {
    const names = placed.map((p) => p.index.clusters.join('+')).join(', ');
    placed[0].correlation.notes.push(`the alert names no cluster and matches objects in several loaded clusters (${names}); ${placed[0].index.clusters[0]} was used`);
  }
  return placed[0];
}

const NO_CONTEXT: Correlation = { subject: { via: [] }, notes: [] };

/** correlate → every rule → verdict, for one alert. Pure: the same alert and index give the same result. */
/** The cluster an alert belongs to and its correlation there; undefined without context. */
export function correlateAlert(alert: Alert, options: Pick<TriageOptions, 'index' | 'clusterIndexes'>): { index: ClusterIndex; correlation: Correlation } | undefined {
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
  const { index, correlation } = chosen;
  const evidence: Evidence[] = [];
  const context: RuleContext = { alert, correlation, index, policy: options.policy, batch: options.batch };
  for (const rule of options.rules ?? RULES) {
    try {
      for (const e of rule.evaluate(context)) evidence.push(e);
    } catch (error) {
      evidence.push({ rule: rule.id, direction: 'malicious', strength: 'weak', message: `Rule ${rule.id} failed on this alert (${(error as Error).message}); its evidence is missing.` });
    }
  }
  return { alert, correlation, verdict: decide(alert, correlation, evidence, index) };
}
