import type { Alert } from '../alerts/model.js';
import type { AuditActivity, ClusterIndex, ContainerRef, KubeObject, Node, Pod, WorkloadRef } from '../cluster/model.js';
import type { AttackSites } from './incidents.js';

export type Label = 'likely-false-positive' | 'genuine';
export type Cause =
  | 'node-networking'
  | 'privileged-root'
  | 'workload-baseline'
  | 'admin-activity'
  | 'ping-pong'
  | 'attack'
  | 'unexplained';
export type BenignCause = Exclude<Cause, 'attack' | 'unexplained'>;
export type ContextLevel = 'full' | 'partial' | 'none';
export type Direction = 'benign' | 'malicious';
export type Strength = 'weak' | 'medium' | 'strong' | 'decisive';

export const STRENGTH_WEIGHT: Record<Strength, number> = { weak: 1, medium: 2, strong: 3, decisive: 4 };

export interface Evidence {
  rule: string;
  direction: Direction;
  strength: Strength;
  /** A full sentence naming the Kubernetes objects it relied on. */
  message: string;
  /** For benign evidence: which story it supports. */
  cause?: BenignCause;
  /** Machine-readable facts (object names, times) behind the message. */
  facts?: Record<string, string | number | boolean | null>;
}

/** One end of a network alert, or the alert's own process location. */
export interface Placement {
  node?: Node;
  pod?: Pod;
  container?: ContainerRef;
  workload?: WorkloadRef;
  /** Service whose ClusterIP the address is. */
  service?: KubeObject;
  /** How the match was made, e.g. "container id 1dcaafbdc2f0", "node name". */
  via: string[];
  /**
   * The alert named a pod by name, but its container id is none that pod's containers had while running at the alert's
   * time (a container claiming the pod's labels): left unplaced in any pod.
   */
  unknownContainer?: boolean;
}

export interface Correlation {
  cluster?: string;
  /** Where the alerting process ran (host alerts) or the source end (network alerts). */
  subject: Placement;
  /** Destination end of a network alert. */
  peer?: Placement;
  /** Facts the correlation could not settle (ambiguous cluster, IP reused, ...). */
  notes: string[];
  /**
   * The pod the alert names when the snapshot no longer holds it but the audit log recorded its creation and it was
   * not yet deleted at the alert's time (a finished CI job's pod, a pod of a node that was removed): its creation.
   */
  gonePod?: AuditActivity;
  /**
   * A host alert's node when the snapshot no longer has it but the audit log shows pods pinned to it that were alive
   * at the alert's time (a node Karpenter or the autoscaler removed): its name as the alert gave it, and those pods.
   */
  goneNode?: { name: string; pods: AuditActivity[] };
}

export interface RuleContext {
  alert: Alert;
  correlation: Correlation;
  index: ClusterIndex;
  /** Aggregates over the whole input (same command on many replicas, kill counts per workload). */
  batch?: BatchStats;
  policy?: unknown;
}

export interface Rule {
  id: string;
  family: 'node-networking' | 'privileged-root' | 'workload-baseline' | 'admin-activity' | 'ping-pong' | 'attack-indicators' | 'context';
  /** What the rule can conclude. */
  direction: Direction | 'both';
  description: string;
  evaluate(ctx: RuleContext): Evidence[];
}

export interface BatchStats {
  /** How many alerts in the input share this normalized command line, per distinct pod. */
  podsByCommand: Map<string, Set<string>>;
  /** Where and when alerts of the input showed an attack (incidents.ts): other alerts there are told as its part. */
  attackSites?: AttackSites;
}

export interface Verdict {
  label: Label;
  confidence: number;
  context: ContextLevel;
  cause: Cause;
  reasons: Evidence[];
}

export interface TriageResult {
  alert: Alert;
  correlation: Correlation;
  verdict: Verdict;
}
