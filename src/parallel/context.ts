/**
 * The cluster context a triage thread needs, handed over once: the snapshots (each thread builds its own indexes
 * from them, grouped as the main thread's were), the policy, the replica pass's aggregates and the components the
 * policy added. One v8 serialization in a SharedArrayBuffer that every thread reads (one copy of the bytes, not one
 * per thread); v8's serializer keeps shared objects shared (replicas' common parts), not repeated strings.
 */
import { deserialize, serialize } from 'node:v8';
import type { ClusterIndex, ClusterSnapshot } from '../cluster/model.js';
import { buildIndex } from '../cluster/index.js';
import type { NodeComponent } from '../knowledge/components.js';
import type { BatchStats } from '../triage/model.js';

export interface TriageContext {
  snapshots: ClusterSnapshot[];
  /** One index over every snapshot (the CLI with one cluster). */
  single: boolean;
  /** One index per group of clusters, in this order (the CLI with several clusters: one cluster per group). */
  groups?: string[][];
  policy?: unknown;
  batch?: BatchStats;
  /** Components the policy added to the built-in knowledge (knowledge/components.ts setExtraComponents). */
  extraComponents: NodeComponent[];
}

export function encodeContext(context: TriageContext): SharedArrayBuffer {
  const bytes = serialize(context);
  const shared = new SharedArrayBuffer(bytes.length);
  new Uint8Array(shared).set(bytes);
  return shared;
}

export function decodeContext(shared: SharedArrayBuffer): TriageContext {
  return deserialize(new Uint8Array(shared)) as TriageContext;
}

/** The indexes the main thread had, rebuilt from the snapshots. */
export function contextIndexes(context: TriageContext): { index?: ClusterIndex; clusterIndexes?: ClusterIndex[] } {
  const { snapshots } = context;
  return {
    index: context.single ? buildIndex(snapshots) : undefined,
    clusterIndexes: context.groups?.map((clusters) => buildIndex(snapshots.filter((s) => clusters.includes(s.cluster)))),
  };
}
