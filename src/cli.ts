import { Command, CommanderError, Option } from 'commander';
import type { ClusterSnapshot } from './cluster/model.js';
import type { SnapshotFiles } from './parallel/context.js';
import type { DateOrder } from './alerts/time.js';
import { UsageError } from './usage-error.js';
import type { ReportFormat } from './report/model.js';
import { stripControl } from './report/escape.js';
import { CAUSES } from './report/filters.js';
import type { Policy } from './triage/policy.js';

/**
 * Every --format, in the order --help lists them, each loaded only when a run prints with it: --help and the other
 * subcommands start without the formatters (the table alone pulls chalk and cli-table3). test/perf/startup.test.ts
 * checks these ids against src/report.
 */
const otherFormat = (id: string) => async (): Promise<ReportFormat> => (await import('./report/formats.js')).findFormat(id)!;
const FORMATS: Record<string, () => Promise<ReportFormat>> = {
  table: async () => (await import('./report/table.js')).tableFormat,
  json: async () => (await import('./report/json.js')).jsonFormat,
  ndjson: async () => (await import('./report/ndjson.js')).ndjsonFormat,
  markdown: otherFormat('markdown'),
  csv: otherFormat('csv'),
  html: otherFormat('html'),
  junit: otherFormat('junit'),
};

/**
 * The --vendor choices: the ids of the profiles in src/alerts/vendors/index.ts, in its order, named here so that --help
 * does not load the profiles themselves (test/perf/startup.test.ts checks that the two lists agree).
 */
const VENDOR_IDS = ['crowdstrike', 'defender-xdr', 'defender-cloud', 'sentinelone', 'cortex-xdr', 'elastic', 'guardduty', 'falco', 'sysdig', 'tetragon', 'tracee', 'wazuh', 'datadog-cws', 'suricata', 'zeek', 'corelight', 'darktrace', 'vectra', 'extrahop', 'generic'];

export const EXIT = { ok: 0, failOn: 1, usage: 2 } as const;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function useColor(flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return !!process.stdout.isTTY;
}

function warner(quiet: boolean): (m: string) => void {
  return (message: string) => {
    if (!quiet) process.stderr.write(`kdr-triage: warning: ${stripControl(message)}\n`);
  };
}

interface TriageFlags {
  snapshot?: string[];
  context?: string[];
  kubeconfig?: string;
  auditLog?: string[];
  clusterName?: string;
  format?: string;
  output?: string;
  explain?: boolean;
  failOn?: string;
  color?: boolean;
  vendor?: string;
  dateOrder?: DateOrder;
  policy?: string;
  only?: string;
  cause?: string[];
  since?: string;
  until?: string;
  minSeverity?: string;
  baseline?: string;
  timestamp?: boolean;
  replicaPass?: 'auto' | 'on' | 'off';
  threads?: string;
  maxRecordSize: string;
  map?: string;
  quiet?: boolean;
  timeout: string;
}

function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive whole number, not "${value}"`);
  return n;
}

function threadCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 16) throw new UsageError(`--threads must be a whole number from 0 to 16, not "${value}"`);
  return n;
}

function timeoutMs(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) throw new UsageError(`--timeout must be a positive number of milliseconds, not "${value}"`);
  return ms;
}

async function loadContext(flags: TriageFlags, warn: (m: string) => void): Promise<{ snapshots: ClusterSnapshot[]; files?: SnapshotFiles }> {
  // Modules a run needs are imported when it runs: --help and the other subcommands start without them.
  const { loadSnapshots, SnapshotPathError } = await import('./cluster/load.js');
  const snapshots: ClusterSnapshot[] = [];
  let files: SnapshotFiles | undefined;
  if (flags.snapshot?.length) {
    try {
      // Stamped before reading: triage threads read the same files again, and must find them unchanged.
      const { changedFile, stampFiles } = await import('./parallel/file-stamps.js');
      const options = { clusterName: flags.clusterName };
      const stamps = stampFiles(flags.snapshot);
      snapshots.push(...(await loadSnapshots(flags.snapshot, warn, options)));
      if (stamps && changedFile(stamps) === undefined) files = { paths: flags.snapshot, options, count: snapshots.length, stamps };
    } catch (error) {
      if (error instanceof SnapshotPathError) throw new UsageError(error.message);
      throw error;
    }
  }
  if (flags.context?.length) {
    // The Kubernetes client costs ~1 s to import: only live runs pay for it.
    const { captureContexts } = await import('./cluster/live-command.js');
    const { ClusterUnreachableError } = await import('./cluster/live-errors.js');
    const { KubeconfigError } = await import('./cluster/live-kubeconfig.js');
    try {
      snapshots.push(...(await captureContexts({ contexts: flags.context, kubeconfig: flags.kubeconfig, timeoutMs: timeoutMs(flags.timeout), warn, stderr: flags.quiet ? { isTTY: false, write: () => true } : process.stderr })));
    } catch (error) {
      if (error instanceof ClusterUnreachableError || error instanceof KubeconfigError) throw new UsageError(error.message);
      throw error;
    }
  }
  if (flags.auditLog?.length) {
    const { readAuditLogs } = await import('./cluster/audit.js');
    const audit = await readAuditLogs(flags.auditLog, warn);
    if (snapshots.length === 0) {
      warn('--audit-log given without --snapshot or --context: exec sessions are known, but no pod or node can be matched');
    } else {
      const { attachAudit } = await import('./cluster/live-command.js');
      attachAudit(snapshots, audit, warn);
    }
  }
  return { snapshots, files };
}

async function triageCommand(inputs: string[], flags: TriageFlags): Promise<number> {
  const warn = warner(!!flags.quiet);
  if (inputs.length === 0) throw new UsageError('no input: give alert files, directories or - for stdin (see --help)');
  const { loadPolicy, PolicyError } = await import('./triage/policy.js');
  const { buildFilter, FilterError } = await import('./report/filters.js');
  // The baseline module (readline, and node:crypto for fingerprints) only for the runs that use it.
  const baselines = flags.baseline || flags.failOn === 'genuine' ? await import('./report/baseline.js') : undefined;
  const today = new Date().toISOString().slice(0, 10);
  let policy: Policy | undefined;
  try {
    policy = loadPolicy(flags.policy, today);
  } catch (error) {
    if (error instanceof PolicyError) throw new UsageError(error.message);
    throw error;
  }
  const notices: string[] = [];
  if (policy) {
    const { setExtraComponents } = await import('./knowledge/components.js');
    setExtraComponents(policy.components);
    for (const e of policy.exceptions.filter((x) => x.expired)) notices.push(`${policy.source}: exception "${e.reason}" expired on ${e.expires} and no longer applies`);
    notices.forEach(warn);
  }
  let filter;
  try {
    filter = buildFilter({ only: flags.only, cause: flags.cause, since: flags.since, until: flags.until, minSeverity: flags.minSeverity });
  } catch (error) {
    if (error instanceof FilterError) throw new UsageError(error.message);
    throw error;
  }
  let baseline;
  if (flags.baseline && baselines) {
    try {
      baseline = await baselines.loadBaseline(flags.baseline);
    } catch (error) {
      if (error instanceof baselines.BaselineError) throw new UsageError(error.message);
      throw error;
    }
    baseline.warnings.forEach(warn);
  }
  let customProfile;
  if (flags.map) {
    if (flags.vendor) throw new UsageError('--map and --vendor both choose how records are read: give one of them');
    const { loadMapping, MappingError } = await import('./alerts/mapping.js');
    try {
      customProfile = await loadMapping(flags.map);
    } catch (error) {
      if (error instanceof MappingError || (error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError((error as Error).message);
      throw error;
    }
  }
  const { snapshots, files: snapshotFiles } = await loadContext(flags, warn);
  if (snapshots.length === 0) warn('no cluster context (--snapshot or --context): every alert stays genuine with context none');
  const { run } = await import('./run.js');
  const formatId = flags.format ?? (process.stdout.isTTY && !flags.output ? 'table' : 'ndjson');
  const format = await FORMATS[formatId]();
  const outcome = await run({
    inputs,
    read: { vendor: flags.vendor, customProfile, dateOrder: flags.dateOrder, keepRaw: formatId === 'csv', maxRecordBytes: positiveInteger('--max-record-size', flags.maxRecordSize) },
    snapshots,
    indexLater: true,
    snapshotFiles,
    policy,
    format,
    output: flags.output,
    contextPaths: [...(flags.snapshot ?? []), ...(flags.auditLog ?? []), ...(policy ? [policy.source] : []), ...(flags.baseline ? [flags.baseline] : [])],
    color: useColor(flags.color) && !flags.output,
    explain: !!flags.explain,
    width: process.stdout.columns,
    filter,
    warn,
    failOn: flags.failOn === 'genuine' ? baselines?.countsTowardsFailOn(baseline) : undefined,
    baseline,
    timestamp: flags.timestamp ? new Date().toISOString() : undefined,
    replicaPass: flags.replicaPass,
    triageThreads: flags.threads === undefined ? undefined : threadCount(flags.threads),
    progress: !flags.quiet,
    notices,
  });
  // Nothing could be read (every input refused, or directories without a single alert file): an input error, so
  // that a CI job whose export step produced nothing does not pass silently.
  if (outcome.summary.alertsRead === 0 && (outcome.refused > 0 || outcome.summary.files.length === 0)) return EXIT.usage;
  return outcome.failed ? EXIT.failOn : EXIT.ok;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command();
  program
    .name('kdr-triage')
    .description('Triage EDR/XDR/NDR alerts with Kubernetes context: each alert is labelled likely-false-positive or genuine, with the evidence.')
    .argument('[inputs...]', 'alert exports: files, directories (recursive) or - for stdin')
    .option('-s, --snapshot <path>', 'cluster context from a file or directory: kubectl get -o json/yaml output or a kdr-triage snapshot (repeatable)', collect)
    .option('-c, --context <name>', "read a live cluster through this kubeconfig context; 'current' for the current one (repeatable)", collect)
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('-a, --audit-log <path>', 'Kubernetes API audit log file or directory, plain or gzip (repeatable)', collect)
    .option('--cluster-name <name>', 'cluster name for plain kubectl dumps', 'default')
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, else ndjson)').choices(Object.keys(FORMATS)))
    .option('-o, --output <file>', 'write the report to a file instead of stdout (never over an input file)')
    .option('-e, --explain', "print each alert's full chain of evidence (table format)")
    .addOption(new Option('--fail-on <condition>', 'exit 1 when a genuine alert (not in --baseline) is found').choices(['genuine']))
    .option('--baseline <file>', 'a previous --format json or ndjson output: its alerts are known, only new genuine ones count for --fail-on')
    .option('--only <label>', 'report only genuine or false-positive alerts')
    .option('--cause <cause>', `report only these causes (${CAUSES.join(', ')}); repeatable or comma-separated`, collect)
    .option('--since <time>', 'report only alerts at or after this ISO-8601 time')
    .option('--until <time>', 'report only alerts at or before this ISO-8601 time')
    .option('--min-severity <severity>', 'report only alerts of this severity or higher (informational, low, medium, high, critical)')
    .option('--policy <file>', 'policy file: trusted users, namespaces, images, workloads, extra components, exceptions (default ./.kdr-triage.yaml when present)')
    .addOption(new Option('--vendor <id>', 'force the product profile instead of detecting it').choices(VENDOR_IDS))
    .option('--map <file>', 'a mapping file (YAML) for an export no built-in profile knows: your column names onto the tool fields (see samples/mapping-example.yaml)')
    .addOption(new Option('--date-order <order>', 'how to read ambiguous dates like 11/06/2026 in CSV exports').choices(['dmy', 'mdy']))
    .option('--no-color', 'no colours (also when NO_COLOR is set or stdout is not a terminal)')
    .option('--threads <n>', 'triage in n worker threads (ndjson, json and csv output from files); each holds its own copy of the cluster context, so memory grows n-fold (default 0: triage in this thread, records parsed by reader threads)')
    .option('--max-record-size <bytes>', 'reject (and warn about) a line, CSV record or JSON element larger than this, instead of buffering it', '16777216')
    .addOption(new Option('--replica-pass <mode>', 'first pass that finds one command in several replicas of a workload and where alerts show an attack (incident links): auto (files up to 32 MiB in all), on, off').choices(['auto', 'on', 'off']).default('auto'))
    .option('--timestamp', 'print the generation time in reports (off by default: same inputs, same bytes)')
    .option('-q, --quiet', 'no warnings or progress on stderr')
    .option('--timeout <ms>', 'per-request timeout for live cluster reads', '15000')
    .showHelpAfterError()
    // Subcommands own their options (snapshot's -o/--context are not the triage command's).
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
    .action(async (inputs: string[], flags: TriageFlags) => {
      exitCode = await triageCommand(inputs, flags);
    });

  program
    .command('snapshot')
    .description('capture cluster context from live clusters (or convert kubectl dumps and snapshot files, --from) into a file, for offline triage with --snapshot')
    .option('-c, --context <name>', "kubeconfig context; 'current' for the current one (repeatable)", collect)
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--from <path>', 'instead of a live cluster: kubectl get -o json/yaml output or snapshot files/directories to convert (repeatable)', collect)
    .option('--cluster-name <name>', 'with --from: cluster name for plain kubectl dumps', 'default')
    .option('-a, --audit-log <path>', 'embed kubectl exec/debug sessions from audit logs (repeatable)', collect)
    .requiredOption('-o, --output <file>', 'snapshot file to write (.gz = gzip; - = stdout)')
    .option('--timeout <ms>', 'per-request timeout', '15000')
    .option('-q, --quiet', 'no warnings or progress on stderr')
    .action(async (flags: { context?: string[]; kubeconfig?: string; from?: string[]; clusterName: string; auditLog?: string[]; output: string; timeout: string; quiet?: boolean }) => {
      const { readAuditLogs } = await import('./cluster/audit.js');
      if (flags.from?.length) {
        if (flags.context?.length || flags.kubeconfig) throw new UsageError('snapshot: --from converts files; it cannot be combined with --context or --kubeconfig');
        const { runConvertCommand } = await import('./cluster/snapshot-convert.js');
        const { SnapshotPathError } = await import('./cluster/load.js');
        try {
          exitCode = await runConvertCommand({
            from: flags.from,
            output: flags.output,
            clusterName: flags.clusterName,
            auditLogs: flags.auditLog,
            readAudit: readAuditLogs,
            warn: warner(!!flags.quiet),
            stderr: flags.quiet ? { write: () => true } : process.stderr,
          });
        } catch (error) {
          if (error instanceof SnapshotPathError) throw new UsageError(error.message);
          throw error;
        }
        return;
      }
      const { runSnapshotCommand } = await import('./cluster/live-command.js');
      const { ClusterUnreachableError } = await import('./cluster/live-errors.js');
      const { KubeconfigError } = await import('./cluster/live-kubeconfig.js');
      try {
        exitCode = await runSnapshotCommand({
          contexts: flags.context ?? ['current'],
          kubeconfig: flags.kubeconfig,
          output: flags.output,
          timeoutMs: timeoutMs(flags.timeout),
          auditLogs: flags.auditLog,
          readAudit: readAuditLogs,
          warn: warner(!!flags.quiet),
        });
      } catch (error) {
        if (error instanceof ClusterUnreachableError || error instanceof KubeconfigError) throw new UsageError(error.message);
        throw error;
      }
    });

  program
    .command('formats')
    .description('list the product profiles and the fields each one maps, and the output formats')
    .action(async () => {
      const { profiles } = await import('./alerts/vendors/index.js');
      const formats = await Promise.all(Object.values(FORMATS).map((load) => load()));
      process.stdout.write('Input profiles (detected per file; --vendor forces one):\n');
      for (const p of profiles) {
        process.stdout.write(`\n${p.id}\t${p.product}\n`);
        for (const [field, from] of Object.entries(p.fields)) process.stdout.write(`    ${field.padEnd(26)} ← ${from}\n`);
      }
      process.stdout.write('\nOutput formats (--format):\n');
      for (const f of formats) process.stdout.write(`    ${f.id.padEnd(10)} ${f.description}\n`);
    });

  program
    .command('rules')
    .description('list every rule with its id, family, direction and description')
    .action(async () => {
      const { RULES } = await import('./triage/rules/index.js');
      const idWidth = Math.max(2, ...RULES.map((r) => r.id.length));
      const familyWidth = Math.max(6, ...RULES.map((r) => r.family.length));
      process.stdout.write(`${'id'.padEnd(idWidth)} ${'family'.padEnd(familyWidth)} ${'direction'.padEnd(9)} description\n`);
      for (const r of RULES) process.stdout.write(`${r.id.padEnd(idWidth)} ${r.family.padEnd(familyWidth)} ${r.direction.padEnd(9)} ${r.description}\n`);
    });

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    process.stderr.write(`kdr-triage: ${stripControl(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT.usage;
  }
  return exitCode;
}
