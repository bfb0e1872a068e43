import type { Alert } from '../alerts/model.js';
import type { ClusterIndex } from '../cluster/model.js';
import type { BenignCause, ContextLevel, Correlation, Evidence, Verdict } from './model.js';
import { STRENGTH_WEIGHT } from './model.js';

function contextLevel(correlation: Correlation, index: ClusterIndex | undefined): ContextLevel {
  const s = correlation.subject;
  const placed = s.pod || s.node || correlation.peer?.pod || correlation.peer?.node;
  if (index && !placed && (correlation.gonePod || correlation.goneNode)) return 'partial'; // known only from the audit log
  if (!index || !placed) return 'none';
  const relevantGap = index.gaps.length > 0;
  if (relevantGap) return 'partial';
  if (s.pod || (s.node && !correlation.peer) || (s.node && correlation.peer && (correlation.peer.pod || correlation.peer.node || correlation.peer.service))) return 'full';
  return 'partial';
}

/** What correlation could not settle (principle 4: say when the context is newer than the alert). */
function notesSentence(correlation: Correlation): string {
  return correlation.notes.length ? ` Note: ${correlation.notes.join('; ')}.` : '';
}

function describeHost(alert: Alert): string {
  const parts = [alert.host.name, ...alert.host.ips, alert.host.instanceId, alert.network?.srcIp && `source ${alert.network.srcIp}`].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no host or address';
}

/**
 * Stories that say more than the one they are preferred to, when both hold: a pod's privileges (host mounts, root,
 * capabilities) that cover what the alert is about explain it better than "this is the container's own command".
 */
const MORE_SPECIFIC: Partial<Record<BenignCause, BenignCause>> = { 'workload-baseline': 'privileged-root' };

/**
 * Findings whose subject is how a container was started (privileged, root, a sensitive host mount) rather than something
 * its process did: when the pod's privileges explain one, that is the story, even in a network component or for the
 * container's own command. Findings of an action in a privileged container (a mount, a command) are behaviour.
 */
const CONTAINER_START_PRIVILEGE_TITLE = /\b(?:privileged|sensitive (?:volume )?mount|run as root)\b/i;
const CONTAINER_START_TITLE = /\b(?:launch|launched|started|detected|created|run as root)\b/i;
const BEHAVIOUR_TITLE = /\b(?:mount launched|command|executed?|shell|binary|process|file|read|write)\b/i;
const STORY_OF_CONTAINER_START: readonly BenignCause[] = ['node-networking', 'workload-baseline'];

function isContainerStartFinding(title: string): boolean {
  return CONTAINER_START_PRIVILEGE_TITLE.test(title) && CONTAINER_START_TITLE.test(title) && !BEHAVIOUR_TITLE.test(title);
}

function supportedAtLeastMedium(cause: BenignCause | undefined, byCause: Map<BenignCause, Evidence[]>): cause is BenignCause {
  const support = cause && byCause.get(cause);
  return !!support && support.some((e) => STRENGTH_WEIGHT[e.strength] >= STRENGTH_WEIGHT.medium);
}

/** The cause to report once the benign stories have won: the winner, or a more specific story backed at least as medium. */
function moreSpecificCause(alert: Alert, winner: BenignCause, byCause: Map<BenignCause, Evidence[]>): BenignCause {
  // The EDR killing a workload that Kubernetes keeps restarting, confirmed strongly, is the story whatever else explains
  // the process (its entrypoint, a component's daemon): the analyst's action is on the sensor's policy, not the pod.
  if (winner !== 'ping-pong' && byCause.get('ping-pong')?.some((e) => STRENGTH_WEIGHT[e.strength] >= STRENGTH_WEIGHT.strong)) return 'ping-pong';
  if (STORY_OF_CONTAINER_START.includes(winner) && isContainerStartFinding(alert.title) && supportedAtLeastMedium('privileged-root', byCause)) return 'privileged-root';
  const specific = MORE_SPECIFIC[winner];
  return supportedAtLeastMedium(specific, byCause) ? specific : winner;
}

/**
 * The policy's trust and exceptions never cover an attack indicator, whatever its strength (a title-only hit is medium,
 * an exception strong). The one indicator an exception may cover is one the sensor's title alone carries, when the
 * exception itself names that title: the organisation has judged that very detection.
 */
function withoutPolicyOverIndicators(evidence: Evidence[]): Evidence[] {
  const indicators = evidence.filter((e) => e.rule === 'attack-indicators' && e.direction === 'malicious');
  if (indicators.length === 0) return evidence;
  const titleOnly = indicators.every((e) => e.facts?.field === 'title');
  return evidence.filter((e) => e.rule !== 'policy' || e.direction !== 'benign' || (titleOnly && String(e.facts?.matched ?? '').split(',').includes('title')));
}

/**
 * The verdict principles (DESIGN.md): malicious indicators win; benign context must be confirmed by the cluster
 * (at least medium strength) to dismiss; nothing placed in the cluster means genuine with no context.
 */
/** `searched`: every cluster the alert was looked for in, when several were loaded (default: the index's own). */
export function decide(alert: Alert, correlation: Correlation, evidence: Evidence[], index: ClusterIndex | undefined, searched?: string[]): Verdict {
  evidence = withoutPolicyOverIndicators(evidence);
  const context = contextLevel(correlation, index);
  const malicious = evidence.filter((e) => e.direction === 'malicious');
  const benign = evidence.filter((e) => e.direction === 'benign');
  const order = (a: Evidence, b: Evidence) => STRENGTH_WEIGHT[b.strength] - STRENGTH_WEIGHT[a.strength];
  const strongMalicious = malicious.filter((e) => STRENGTH_WEIGHT[e.strength] >= STRENGTH_WEIGHT.strong).sort(order);

  if (strongMalicious.length) {
    const top = STRENGTH_WEIGHT[strongMalicious[0].strength];
    return {
      label: 'genuine',
      confidence: Math.min(0.99, 0.75 + 0.05 * top + 0.03 * (strongMalicious.length - 1)),
      context,
      cause: 'attack',
      reasons: [...strongMalicious, ...malicious.filter((e) => !strongMalicious.includes(e)).sort(order), ...benign.sort(order)],
    };
  }

  if (context === 'none') {
    const reason: Evidence = {
      rule: 'cluster-context',
      direction: 'malicious',
      strength: 'weak',
      message: index
        ? `Nothing in the cluster context matches this alert (${describeHost(alert)}): no node, pod or container of ${(searched ?? index.clusters).join(', ') || 'the loaded snapshots'} explains it, so it is kept.${notesSentence(correlation)}`
        : 'No cluster context was given (--snapshot or --context), so nothing can explain this alert; it is kept.',
    };
    return { label: 'genuine', confidence: 0.3, context, cause: 'unexplained', reasons: [reason, ...malicious.sort(order), ...benign.sort(order)] };
  }

  // Group benign evidence by the story it supports; the best-supported story wins. An attack indicator (here one the
  // sensor's title alone carries: every other hit is strong) is outweighed by no context — a person's exec session, the
  // container's own entrypoint, a kill-restart loop: the miner or reverse shell the title names may be exactly what was
  // done there. Only the policy exception that names that title (kept above) has judged the detection itself.
  const indicated = malicious.some((e) => e.rule === 'attack-indicators');
  // A container that claims a pod by its labels while its id is none the cluster knows is no workload, component or
  // host process of the cluster: no story about them (node daemons' children, the pod's own behaviour) is its story.
  if (correlation.subject.unknownContainer) {
    malicious.push({
      rule: 'cluster-context',
      direction: 'malicious',
      strength: 'medium',
      message: `The alert's container is none the cluster knows, though the sensor names a pod for it; nothing the cluster runs explains it.${notesSentence(correlation)}`,
    });
  }
  const contenders = correlation.subject.unknownContainer ? [] : indicated ? benign.filter((e) => e.rule === 'policy') : benign;
  const byCause = new Map<BenignCause, Evidence[]>();
  for (const e of contenders) {
    if (!e.cause) continue;
    const list = byCause.get(e.cause) ?? [];
    list.push(e);
    byCause.set(e.cause, list);
  }
  let best: { cause: BenignCause; score: number; top: number } | undefined;
  for (const [cause, list] of [...byCause.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const top = Math.max(...list.map((e) => STRENGTH_WEIGHT[e.strength]));
    const score = top * 10 + list.reduce((n, e) => n + STRENGTH_WEIGHT[e.strength], 0);
    if (!best || score > best.score) best = { cause, score, top };
  }
  const maliciousWeight = malicious.reduce((n, e) => n + STRENGTH_WEIGHT[e.strength], 0);
  if (best && best.top >= STRENGTH_WEIGHT.medium && best.top > maliciousWeight) {
    const cause = moreSpecificCause(alert, best.cause, byCause);
    const supporting = byCause.get(cause)!.sort(order);
    const base = best.top >= STRENGTH_WEIGHT.strong ? 0.85 : 0.65;
    const confidence = Math.max(0.5, Math.min(0.97, base + 0.03 * (supporting.length - 1) - 0.1 * maliciousWeight - (context === 'partial' ? 0.1 : 0)));
    return {
      label: 'likely-false-positive',
      confidence,
      context,
      cause,
      reasons: [...supporting, ...malicious.sort(order), ...benign.filter((e) => !supporting.includes(e)).sort(order)],
    };
  }

  const reasons = [...malicious.sort(order), ...benign.sort(order)];
  if (!reasons.some((r) => r.direction === 'malicious')) {
    const where = correlation.subject.pod
      ? `pod ${correlation.subject.pod.metadata.namespace}/${correlation.subject.pod.metadata.name}`
      : correlation.subject.node
        ? `node ${correlation.subject.node.metadata.name}`
        : 'the cluster';
    reasons.unshift({
      rule: 'cluster-context',
      direction: 'malicious',
      strength: 'weak',
      message: `The alert was placed on ${where}, but nothing there explains this behaviour, so it is kept.${notesSentence(correlation)}`,
    });
  }
  const attack = malicious.some((e) => e.rule === 'attack-indicators' && STRENGTH_WEIGHT[e.strength] >= STRENGTH_WEIGHT.medium);
  return { label: 'genuine', confidence: context === 'full' ? 0.6 : 0.45, context, cause: attack ? 'attack' : 'unexplained', reasons };
}
