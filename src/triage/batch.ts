/**
 * What one alert cannot show alone: the same behaviour in several replicas of a workload across this export (DESIGN:
 * "the same command on every replica and node in this export"). A first pass fills a compact aggregate — a bounded
 * set of pod names per (workload, command) — never the alerts themselves.
 */
import type { Alert } from '../alerts/model.js';
import type { ClusterIndex } from '../cluster/model.js';
import type { BatchStats, Correlation, Rule } from './model.js';
import { normalizeCommand } from './correlate.js';
import { noteAttackSite } from './incidents.js';

const MAX_KEYS = 200_000;
const MAX_PODS_PER_KEY = 16;
const MAX_COMMAND = 512;

export function batchKey(workload: string, command: string): string {
  return `${workload}\u0000${normalizeCommand(command).slice(0, MAX_COMMAND)}`;
}

export function workloadKeyOf(correlation: Correlation): string | undefined {
  const w = correlation.subject.workload;
  return w ? `${w.kind}/${w.namespace}/${w.name}` : undefined;
}

export class BatchCollector {
  readonly stats: BatchStats = { podsByCommand: new Map() };
  private full = false;

  /** `attackRules`: the rules whose strong evidence marks an attack site (incidents.ts); none, no sites. */
  constructor(private readonly attackRules: readonly Rule[] = []) {
    if (attackRules.length) this.stats.attackSites = new Map();
  }

  add(alert: Alert, correlation: Correlation, index?: ClusterIndex): void {
    if (index && this.stats.attackSites) noteAttackSite(this.stats.attackSites, alert, correlation, index, this.attackRules);
    const command = alert.process.commandLine;
    const workload = workloadKeyOf(correlation);
    const pod = correlation.subject.pod?.metadata.name;
    if (!command || !workload || !pod) return;
    const key = batchKey(workload, command);
    let pods = this.stats.podsByCommand.get(key);
    if (!pods) {
      if (this.full || this.stats.podsByCommand.size >= MAX_KEYS) {
        this.full = true;
        return;
      }
      pods = new Set();
      this.stats.podsByCommand.set(key, pods);
    }
    if (pods.size < MAX_PODS_PER_KEY) pods.add(pod);
  }
}
