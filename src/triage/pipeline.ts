import type { Alert } from '../alerts/model.js';
import type { ClusterIndex } from '../cluster/model.js';
import { correlate } from './correlate.js';
import type { Correlation, Evidence, Rule, TriageResult } from './model.js';
import { RULES } from './rules/index.js';
import { decide } from './verdict.js';

export interface TriageOptions {
  index?: ClusterIndex;
  rules?: Rule[];
  policy?: unknown;
}

const NO_CONTEXT: Correlation = { subject: { via: [] }, notes: [] };

/** correlate → every rule → verdict, for one alert. Pure: the same alert and index give the same result. */
export function triageAlert(alert: Alert, options: TriageOptions): TriageResult {
  const { index } = options;
  if (!index) return { alert, correlation: NO_CONTEXT, verdict: decide(alert, NO_CONTEXT, [], undefined) };
  const correlation = correlate(alert, index);
  const evidence: Evidence[] = [];
  for (const rule of options.rules ?? RULES) {
    try {
      evidence.push(...rule.evaluate({ alert, correlation, index, policy: options.policy }));
    } catch (error) {
      evidence.push({ rule: rule.id, direction: 'malicious', strength: 'weak', message: `Rule ${rule.id} failed on this alert (${(error as Error).message}); its evidence is missing.` });
    }
  }
  return { alert, correlation, verdict: decide(alert, correlation, evidence, index) };
}
