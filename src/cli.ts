import { Command, CommanderError, Option } from 'commander';
import { buildIndex } from './cluster/index.js';
import { loadSnapshots, SnapshotPathError } from './cluster/load.js';
import type { ClusterSnapshot } from './cluster/model.js';
import { readAuditLogs } from './cluster/audit.js';
import { profiles } from './alerts/vendors/index.js';
import { RULES } from './triage/rules/index.js';
import { run, UsageError } from './run.js';
import { jsonFormat } from './report/json.js';
import { ndjsonFormat } from './report/ndjson.js';
import { tableFormat } from './report/table.js';
import type { ReportFormat } from './report/model.js';
import { stripControl } from './report/escape.js';

const FORMATS: ReportFormat[] = [tableFormat, jsonFormat, ndjsonFormat];

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
  quiet?: boolean;
  timeout: string;
}

async function loadContext(flags: TriageFlags, warn: (m: string) => void): Promise<ClusterSnapshot[]> {
  const snapshots: ClusterSnapshot[] = [];
  if (flags.snapshot?.length) {
    try {
      snapshots.push(...(await loadSnapshots(flags.snapshot, warn, { clusterName: flags.clusterName })));
    } catch (error) {
      if (error instanceof SnapshotPathError) throw new UsageError(error.message);
      throw error;
    }
  }
  if (flags.context?.length) {
    const { fetchSnapshots } = await import('./cluster/live.js');
    snapshots.push(...(await fetchSnapshots(flags.context, { kubeconfig: flags.kubeconfig, timeoutMs: Number(flags.timeout), warn })));
  }
  if (flags.auditLog?.length) {
    const audit = await readAuditLogs(flags.auditLog, warn);
    if (snapshots.length === 0) warn('--audit-log given without --snapshot or --context: exec sessions are known, but no pod or node can be matched');
    const target = snapshots[0];
    if (target) {
      target.execSessions.push(...audit.execSessions);
      target.auditActivities.push(...audit.auditActivities);
    }
  }
  return snapshots;
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
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS.map((f) => f.id)))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-e, --explain', "print each alert's full chain of evidence (table format)")
    .addOption(new Option('--fail-on <condition>', 'exit 1 when this condition is met').choices(['genuine']))
    .option('--no-color', 'no colours (also when NO_COLOR is set or stdout is not a terminal)')
    .addOption(new Option('--vendor <id>', 'force the product profile instead of detecting it').choices(profiles.map((p) => p.id)))
    .option('-q, --quiet', 'no warnings or progress on stderr')
    .option('--timeout <ms>', 'per-request timeout for live cluster reads', '15000')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
    .action(async (inputs: string[], flags: TriageFlags) => {
      const warn = warner(!!flags.quiet);
      if (inputs.length === 0) throw new UsageError('no input: give alert files, directories or - for stdin (see --help)');
      const snapshots = await loadContext(flags, warn);
      if (snapshots.length === 0) warn('no cluster context (--snapshot or --context): every alert stays genuine with context none');
      const index = snapshots.length ? buildIndex(snapshots) : undefined;
      const formatId = flags.format ?? (process.stdout.isTTY && !flags.output ? 'table' : 'ndjson');
      const format = FORMATS.find((f) => f.id === formatId)!;
      const outcome = await run({
        inputs,
        read: { vendor: flags.vendor },
        index,
        snapshots,
        format,
        output: flags.output,
        color: useColor(flags.color) && !flags.output,
        explain: !!flags.explain,
        width: process.stdout.columns,
        warn,
        failOn: flags.failOn === 'genuine' ? (r) => r.verdict.label === 'genuine' : undefined,
      });
      if (outcome.refused > 0 && outcome.summary.alertsRead === 0) exitCode = EXIT.usage;
      else if (outcome.failed) exitCode = EXIT.failOn;
    });

  program
    .command('formats')
    .description('list the product profiles and the fields each one maps')
    .action(() => {
      for (const p of profiles) {
        process.stdout.write(`${p.id}\t${p.product}\n`);
        for (const [field, from] of Object.entries(p.fields)) process.stdout.write(`    ${field.padEnd(24)} ← ${from}\n`);
      }
    });

  program
    .command('rules')
    .description('list every rule with its id, family, direction and description')
    .action(() => {
      for (const r of RULES) process.stdout.write(`${r.id.padEnd(22)} ${r.family.padEnd(18)} ${r.direction.padEnd(9)} ${r.description}\n`);
    });

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`kdr-triage: ${stripControl(error.message)}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`kdr-triage: ${stripControl(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT.usage;
  }
  return exitCode;
}
