/**
 * database-hooks: PostgreSQL runs its archive, restore and cleanup commands through `sh -c`, so a sensor reports "a
 * shell started by postgres" for every WAL segment a CloudNativePG, pgBackRest, WAL-G or Barman setup archives. The
 * shell's whole command must be one known archiving tool with plain arguments (a second command chained to it is not
 * the hook) naming the WAL file PostgreSQL substituted, its parent the server, and the container one that runs
 * PostgreSQL.
 */
import type { AlertProcess, ProcessInfo } from '../../alerts/model.js';
import { DATABASE_HOOKS, WAL_FILE_ARGUMENT, type DatabaseHook } from '../../knowledge/database-hooks.js';
import type { ContainerSpec } from '../../cluster/model.js';
import type { Rule } from '../model.js';
import { benign, clip, describePod, executableNames } from './support.js';

const SHELL_C = /^\s*(?:\S*\/)?(?:ba|da|z|k|a)?sh\s+(?:-[a-bd-z]+\s+)*-c(\s.+)$/is;

/** The command a `sh -c` command line hands to the shell, without the quotes a sensor may have kept around it. */
function shellScript(commandLine: string | undefined): string | undefined {
  const m = commandLine ? SHELL_C.exec(commandLine) : null;
  if (!m) return undefined;
  const script = m[1].trim();
  const quoted = /^(["'])(.*)\1$/s.exec(script);
  return quoted ? quoted[2] : script;
}

function hookFor(script: string | undefined, server: ProcessInfo | undefined): DatabaseHook | undefined {
  if (!script || !server) return undefined;
  const names = executableNames(server);
  if (!WAL_FILE_ARGUMENT.test(script)) return undefined;
  return DATABASE_HOOKS.find((h) => h.command.test(script) && h.servers.some((s) => names.includes(s)));
}

/**
 * The hook this process is: the shell the server started for it, or the tool that shell runs. Undefined when the
 * process is anything else, or when the chain does not lead back to the server.
 */
export function databaseHookOf(process: AlertProcess): { hook: DatabaseHook; script: string } | undefined {
  const [parent, grandparent] = process.ancestors;
  const asShell = shellScript(process.commandLine);
  const shellHook = hookFor(asShell, parent);
  if (shellHook) return { hook: shellHook, script: asShell! };
  // The tool itself, reported with its shell as parent: the shell's script must be this very command line.
  const parentScript = shellScript(parent?.commandLine);
  if (parentScript && process.commandLine && parentScript.trim() === process.commandLine.trim()) {
    const toolHook = hookFor(parentScript, grandparent);
    if (toolHook) return { hook: toolHook, script: parentScript };
  }
  // The tool the hook's command runs for the same file, the shell having exec'd that command (the server is its parent).
  const hookCommand = parent?.commandLine?.trim();
  const direct = hookFor(hookCommand, grandparent);
  const tool = process.commandLine?.trim();
  if (direct?.runsTool && tool && direct.runsTool.test(tool) && sameWalFiles(tool, hookCommand!)) return { hook: direct, script: hookCommand! };
  return undefined;
}

const WAL_SEGMENT = /[0-9A-F]{24}/g;

/** The tool names WAL segments, and only ones the hook's command was given. */
function sameWalFiles(tool: string, hookCommand: string): boolean {
  const given = new Set(hookCommand.match(WAL_SEGMENT) ?? []);
  const named = tool.match(WAL_SEGMENT) ?? [];
  return named.length > 0 && named.every((w) => given.has(w));
}

/** The PostgreSQL settings whose value the server hands to `sh -c`, as `-c name=value` or `--name=value` arguments. */
const DECLARED_SETTING = /^(?:-c\s*|--)?(archive_command|restore_command|archive_cleanup_command|recovery_end_command)=([\s\S]+)$/;
/** What PostgreSQL puts for %f / %r (a segment, backup label or history file name) and %p (that file under pg_wal). */
const WAL_NAME = String.raw`(?:[0-9A-F]{24}(?:\.partial|\.[0-9A-F]{8}\.backup)?|[0-9A-F]{8}\.history|RECOVERYXLOG|RECOVERYHISTORY)`;
const templateCache = new Map<string, RegExp>();

/**
 * A declared command as a pattern for the command the server runs: the text literally, each %f / %p / %r the file
 * PostgreSQL substitutes (the same file everywhere in one command), %% a percent sign. Compiled once per template.
 */
function templatePattern(template: string): RegExp {
  const cached = templateCache.get(template);
  if (cached) return cached;
  let seen = false;
  const file = () => {
    const out = seen ? String.raw`\k<wal>` : `(?<wal>${WAL_NAME})`;
    seen = true;
    return out;
  };
  const body = template
    .split(/(%[fpr%])/)
    .map((part) => {
      if (part === '%%') return '%';
      if (part === '%f' || part === '%r') return file();
      if (part === '%p') return String.raw`(?:pg_wal|pg_xlog)/` + file();
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const pattern = new RegExp(`^${body}$`);
  templateCache.set(template, pattern);
  return pattern;
}

/** The commands the container's own arguments set for the server to run through a shell. */
function declaredCommands(spec: ContainerSpec): { setting: string; template: string }[] {
  const argv = [...(spec.command ?? []), ...(spec.args ?? [])];
  const out: { setting: string; template: string }[] = [];
  for (let i = 0; i < argv.length; i++) {
    // `-c name=value` as two arguments, or `-cname=value` / `--name=value` as one.
    const text = argv[i] === '-c' && i + 1 < argv.length ? argv[++i] : argv[i];
    const m = DECLARED_SETTING.exec(text);
    const template = m?.[2].trim().replace(/^(['"])([\s\S]*)\1$/, '$2');
    if (m && template?.includes('%')) out.push({ setting: m[1], template });
  }
  return out;
}

/** The script the server's shell runs for this alert: the shell itself under the server, or a command that shell runs (the whole script is then checked). */
function scriptUnderServer(process: AlertProcess): string | undefined {
  const [parent, grandparent] = process.ancestors;
  const isServer = (p: ProcessInfo | undefined) => !!p && executableNames(p).some((n) => n === 'postgres' || n === 'postmaster');
  const own = shellScript(process.commandLine);
  if (own && isServer(parent)) return own;
  const parentScript = shellScript(parent?.commandLine);
  if (parentScript && isServer(grandparent) && process.commandLine && parentScript.includes(process.commandLine.trim())) return parentScript;
  return undefined;
}

/**
 * The shell command the server runs for this process when it is exactly one the container's own arguments declare
 * (`-c archive_command=…`), with PostgreSQL's file substituted: the hook, whatever tool it uses.
 */
export function declaredHookOf(process: AlertProcess, spec: ContainerSpec): { setting: string; template: string; script: string } | undefined {
  const script = scriptUnderServer(process);
  if (!script) return undefined;
  const declared = declaredCommands(spec).find((d) => templatePattern(d.template).test(script.trim()));
  return declared ? { ...declared, script } : undefined;
}

export const databaseHooks: Rule = {
  id: 'database-hooks',
  family: 'workload-baseline',
  direction: 'benign',
  description: "A database server's own archive or restore command (PostgreSQL's archive_command through sh -c) in a container that runs that server",
  evaluate(ctx) {
    const found = databaseHookOf(ctx.alert.process);
    const { pod, container } = ctx.correlation.subject;
    if (!pod || !container) return [];
    const spec = container.spec;
    if (!found) {
      const declared = declaredHookOf(ctx.alert.process, spec);
      if (!declared) return [];
      const { script } = declared;
      return [
        benign(
          this.id,
          'workload-baseline',
          'strong',
          `The database server of ${describePod(ctx.index, pod)}, container ${spec.name} (${spec.image}), runs \`${clip(script, 100)}\` through a shell: the ${declared.setting} its own arguments set (${clip(declared.template, 80)}), for one WAL file.`,
          { hook: declared.setting, pod: pod.metadata.name },
        ),
      ];
    }
    const runs = [spec.image, ...(spec.command ?? []), ...(spec.args ?? [])].join(' ');
    if (!found.hook.runsServer.test(runs)) return [];
    return [
      benign(
        this.id,
        'workload-baseline',
        'strong',
        `The database server of ${describePod(ctx.index, pod)}, container ${spec.name} (${spec.image}), runs \`${clip(found.script, 100)}\` through a shell: ${found.hook.what}, which PostgreSQL starts for each WAL segment.`,
        { hook: found.hook.id, pod: pod.metadata.name },
      ),
    ];
  },
};
