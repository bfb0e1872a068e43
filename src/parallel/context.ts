/**
 * The cluster context a triage thread needs, handed over once: the snapshots (each thread builds its own indexes
 * from them, grouped as the main thread's were), the policy, the replica pass's aggregates and the components the
 * policy added. One v8 serialization in a SharedArrayBuffer that every thread reads (one copy of the bytes, not one
 * per thread); v8's serializer keeps shared objects shared (replicas' common parts), not repeated strings.
 *
 * Snapshots read from regular files travel without their objects: each thread reads the files itself. On a
 * 150,000-pod snapshot that is 1.6 s and 190 MB of heap per thread, where deserialising the objects took 2.8 s and
 * 285 MB (repeated strings come back as copies), on top of 1.8 s to serialise them.
 */
import { deserialize, serialize } from 'node:v8';
import type { ClusterIndex, ClusterSnapshot, KubeObject, ResourceKind } from '../cluster/model.js';
import { buildIndex } from '../cluster/index.js';
import { loadSnapshots, type LoadOptions } from '../cluster/load.js';
import type { NodeComponent } from '../knowledge/components.js';
import { changedFile, type FileStamp } from './file-stamps.js';
import type { BatchStats } from '../triage/model.js';

/** The files the first `count` snapshots were loaded from (loadSnapshots(paths, …, options)), stamped before that load. */
export interface SnapshotFiles {
  paths: string[];
  options: LoadOptions;
  count: number;
  stamps: FileStamp[];
}

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
  /** When given, the first `files.count` snapshots are sent without objects and each thread reads these files. */
  files?: SnapshotFiles;
}

function withoutObjects(snapshot: ClusterSnapshot): ClusterSnapshot {
  const objects = Object.fromEntries(Object.keys(snapshot.objects).map((kind) => [kind, [] as KubeObject[]])) as Record<ResourceKind, KubeObject[]>;
  return { ...snapshot, objects };
}

export function encodeContext(context: TriageContext): SharedArrayBuffer {
  const files = context.files;
  const sent = files ? { ...context, snapshots: context.snapshots.map((s, i) => (i < files.count ? withoutObjects(s) : s)) } : context;
  const bytes = serialize(sent);
  const shared = new SharedArrayBuffer(bytes.length);
  new Uint8Array(shared).set(bytes);
  return shared;
}

export class ContextFilesError extends Error {}

/** The context as the main thread had it: snapshots sent without objects get them from their files again. */
export async function decodeContext(shared: SharedArrayBuffer): Promise<TriageContext> {
  const context = deserialize(new Uint8Array(shared)) as TriageContext;
  const files = context.files;
  if (!files) return context;
  const changed = (): void => {
    const path = changedFile(files.stamps);
    if (path !== undefined) throw new ContextFilesError(`the snapshot ${path} changed while kdr-triage was running; run it again`);
  };
  changed();
  const loaded = await loadSnapshots(files.paths, () => undefined, files.options);
  changed();
  if (loaded.length !== files.count || loaded.some((s, i) => s.cluster !== context.snapshots[i].cluster)) {
    throw new ContextFilesError(`the snapshots in ${files.paths.join(', ')} read differently in a triage thread`);
  }
  loaded.forEach((s, i) => (context.snapshots[i].objects = s.objects));
  return context;
}

/** The indexes the main thread had, rebuilt from the snapshots. */
export function contextIndexes(context: TriageContext): { index?: ClusterIndex; clusterIndexes?: ClusterIndex[] } {
  const { snapshots } = context;
  return {
    index: context.single ? buildIndex(snapshots) : undefined,
    clusterIndexes: context.groups?.map((clusters) => buildIndex(snapshots.filter((s) => clusters.includes(s.cluster)))),
  };
}
