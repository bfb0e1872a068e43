/**
 * `kdr-triage snapshot [--context NAME…] [--kubeconfig PATH] [--audit-log FILE…] -o FILE`: capture the cluster
 * context once, for offline triage (`--snapshot FILE`) by people without cluster access.
 */
import { fetchSnapshot, resolveContextNames, type FetchOptions } from './live.js';
import { clusterNamed } from './cluster-names.js';
import type { AuditActivity, ClusterSnapshot, ExecSession } from './model.js';
import { ListProgress, type ProgressStream } from './progress.js';
import { writeSnapshot } from './snapshot-file.js';

/** What the audit-log reader (src/cluster/audit.ts, `readAuditLogs`) gives back. */
export interface AuditDigest {
  execSessions: ExecSession[];
  auditActivities: AuditActivity[];
}

export type ReadAudit = (paths: string[], warn: (message: string) => void) => Promise<AuditDigest>;

export interface SnapshotCommandOptions {
  /** Context names; 'current' or none = the kubeconfig's current context. */
  contexts: string[];
  kubeconfig?: string;
  /** File to write (`.gz` = gzip), or `-` for stdout. */
  output: string;
  timeoutMs: number;
  auditLogs?: string[];
  /** The audit-log reader, passed in by the CLI. */
  readAudit?: ReadAudit;
  pageSize?: number;
  concurrency?: number;
  /** Default: `kdr-triage: warning: …` on stderr. */
  warn?: (message: string) => void;
  stderr?: ProgressStream;
  stdout?: NodeJS.WritableStream;
  now?: () => Date;
  env?: Record<string, string | undefined>;
  homeDir?: string;
  retry?: FetchOptions['retry'];
}

function podKey(namespace: string | undefined, name: string | undefined): string | undefined {
  return namespace && name ? `${namespace}/${name}` : undefined;
}

/**
 * Puts audit-log findings into the snapshots. With one context everything belongs to it. Audit logs do not name
 * their cluster, so with several, an entry goes to the clusters that have the pod it names; entries that name no
 * known pod go to every cluster (and a warning says how many).
 */
export function attachAudit(snapshots: ClusterSnapshot[], audit: AuditDigest, warn: (message: string) => void): void {
  if (snapshots.length === 0) return;
  if (snapshots.length === 1) {
    snapshots[0].execSessions = [...snapshots[0].execSessions, ...audit.execSessions];
    snapshots[0].auditActivities = [...snapshots[0].auditActivities, ...audit.auditActivities];
    return;
  }
  const podsOf = snapshots.map((s) => new Set(s.objects.pods.map((p) => podKey(p.metadata.namespace, p.metadata.name))));
  let unattributed = 0;
  const targets = (key: string | undefined, cluster: string | undefined): ClusterSnapshot[] => {
    // An audit log that names its cluster (EKS log group, AKS resource id) belongs to that cluster only, whatever pod
    // names the other clusters share with it.
    const named = cluster === undefined ? undefined : clusterNamed(cluster, snapshots, (s) => [s.cluster]);
    if (named) return [named];
    const owners = key === undefined ? [] : snapshots.filter((_, i) => podsOf[i].has(key));
    if (owners.length > 0) return owners;
    unattributed++;
    return snapshots;
  };
  for (const session of audit.execSessions) for (const s of targets(podKey(session.namespace, session.pod), session.cluster)) s.execSessions.push(session);
  for (const activity of audit.auditActivities) {
    const key = activity.resource === 'pods' ? podKey(activity.namespace, activity.name) : undefined;
    for (const s of targets(key, activity.cluster)) s.auditActivities.push(activity);
  }
  if (unattributed > 0) warn(`${unattributed} audit-log entries name no pod found in any of the ${snapshots.length} clusters; they were kept with every cluster`);
}

function describeSnapshot(snapshot: ClusterSnapshot): string {
  const counts = Object.entries(snapshot.objects)
    .filter(([, list]) => list.length > 0)
    .map(([kind, list]) => `${list.length.toLocaleString('en-US')} ${kind}`);
  const version = snapshot.serverVersion ? `, Kubernetes ${snapshot.serverVersion}` : '';
  const gaps = snapshot.gaps.length > 0 ? `; missing: ${snapshot.gaps.map((g) => `${g.resource} (${g.reason})`).join('; ')}` : '';
  const audit = snapshot.execSessions.length > 0 ? `, ${snapshot.execSessions.length} exec sessions` : '';
  return `context "${snapshot.context ?? ''}" (cluster ${snapshot.cluster}${version}): ${counts.length > 0 ? counts.join(', ') : 'no objects'}${audit}${gaps}`;
}

export interface CaptureOptions {
  /** Context names; 'current' or none = the kubeconfig's current context. */
  contexts: string[];
  kubeconfig?: string;
  timeoutMs: number;
  pageSize?: number;
  concurrency?: number;
  /** Warnings (the progress line is cleared first). */
  warn: (message: string) => void;
  /** Where the progress line goes (only when it is a TTY). Default process.stderr. */
  stderr?: ProgressStream;
  now?: () => Date;
  env?: Record<string, string | undefined>;
  homeDir?: string;
  retry?: FetchOptions['retry'];
}

/**
 * Reads every requested context with a progress line on the terminal: what both `--context` triage and the
 * snapshot subcommand use. Throws ClusterUnreachableError / KubeconfigError (exit 2 in the CLI).
 */
export async function captureContexts(options: CaptureOptions): Promise<ClusterSnapshot[]> {
  const progress = new ListProgress(options.stderr ?? process.stderr);
  const warn = (message: string): void => {
    progress.clear();
    options.warn(message);
  };
  const common = {
    kubeconfig: options.kubeconfig,
    timeoutMs: options.timeoutMs,
    pageSize: options.pageSize,
    concurrency: options.concurrency,
    warn,
    now: options.now,
    env: options.env,
    homeDir: options.homeDir,
    retry: options.retry,
  };
  const snapshots: ClusterSnapshot[] = [];
  try {
    for (const context of await resolveContextNames(options.contexts, common)) {
      progress.start(context);
      snapshots.push(await fetchSnapshot({ ...common, context, progress: (resource, items) => progress.update(resource, items) }));
      progress.clear();
    }
  } finally {
    progress.clear();
  }
  return snapshots;
}

/** Runs the subcommand; returns the exit code. Unreachable clusters and bad kubeconfigs throw (the CLI exits 2). */
export async function runSnapshotCommand(options: SnapshotCommandOptions): Promise<number> {
  const stderr = options.stderr ?? process.stderr;
  const warn =
    options.warn ??
    ((message: string) => {
      stderr.write(`kdr-triage: warning: ${message}\n`);
    });
  if (options.output === '') throw new Error('snapshot: -o FILE is required (use - for stdout)');

  let audit: AuditDigest | undefined;
  if (options.auditLogs && options.auditLogs.length > 0) {
    if (!options.readAudit) throw new Error('snapshot: --audit-log is not available in this build');
    audit = await options.readAudit(options.auditLogs, warn);
  }

  const snapshots = await captureContexts({ ...options, warn, stderr });
  if (audit) attachAudit(snapshots, audit, warn);

  await writeSnapshot(snapshots, options.output, { stdout: options.stdout });
  for (const snapshot of snapshots) stderr.write(`kdr-triage: ${describeSnapshot(snapshot)}\n`);
  if (options.output !== '-') stderr.write(`kdr-triage: wrote ${options.output}\n`);
  return 0;
}
