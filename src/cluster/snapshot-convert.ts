/**
 * `kdr-triage snapshot --from PATH… -o FILE`: converts kubectl dumps and snapshot files (any format the loader reads)
 * into one version-2 snapshot, which loads several times faster than the dumps it came from. The objects keep the
 * order the loader gave them, so `--snapshot FILE` and `--snapshot PATH…` give the same verdicts, byte for byte.
 */
import { attachAudit, type ReadAudit } from './live-command.js';
import { loadSnapshots } from './load.js';
import type { ClusterSnapshot } from './model.js';
import { writeSnapshot } from './snapshot-file.js';

export interface ConvertOptions {
  from: string[];
  /** File to write (`.gz` = gzip), or `-` for stdout. */
  output: string;
  /** Cluster name for plain kubectl dumps (default "default"). */
  clusterName?: string;
  auditLogs?: string[];
  readAudit?: ReadAudit;
  warn: (message: string) => void;
  /** Where the summary goes (default process.stderr). */
  stderr?: { write(chunk: string): boolean };
  stdout?: NodeJS.WritableStream;
}

function describe(snapshot: ClusterSnapshot): string {
  const counts = Object.entries(snapshot.objects)
    .filter(([, list]) => list.length > 0)
    .map(([kind, list]) => `${list.length.toLocaleString('en-US')} ${kind}`);
  const audit = snapshot.execSessions.length > 0 ? `, ${snapshot.execSessions.length} exec sessions` : '';
  return `cluster ${snapshot.cluster}: ${counts.length > 0 ? counts.join(', ') : 'no objects'}${audit}`;
}

/** Returns the exit code; a path that does not exist throws SnapshotPathError (the CLI's usage error). */
export async function runConvertCommand(options: ConvertOptions): Promise<number> {
  const stderr = options.stderr ?? process.stderr;
  const snapshots = await loadSnapshots(options.from, options.warn, { clusterName: options.clusterName });
  if (snapshots.length === 0) {
    options.warn(`snapshot --from: nothing to convert in ${options.from.join(', ')}`);
    return 2;
  }
  if (options.auditLogs && options.auditLogs.length > 0) {
    if (!options.readAudit) throw new Error('snapshot: --audit-log is not available in this build');
    attachAudit(snapshots, await options.readAudit(options.auditLogs, options.warn), options.warn);
  }
  await writeSnapshot(snapshots, options.output, { stdout: options.stdout, sort: false });
  for (const snapshot of snapshots) stderr.write(`kdr-triage: ${describe(snapshot)}\n`);
  if (options.output !== '-') stderr.write(`kdr-triage: wrote ${options.output}\n`);
  return 0;
}
