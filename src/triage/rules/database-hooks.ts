/**
 * database-hooks: PostgreSQL runs its archive, restore and cleanup commands through `sh -c`, so a sensor reports "a
 * shell started by postgres" for every WAL segment a CloudNativePG, pgBackRest, WAL-G or Barman setup archives. The
 * shell's whole command must be one known archiving tool with plain arguments (a second command chained to it is not
 * the hook) naming the WAL file PostgreSQL substituted, its parent the server, and the container one that runs
 * PostgreSQL.
 */
import type { AlertProcess, ProcessInfo } from '../../alerts/model.js';
import { DATABASE_HOOKS, WAL_FILE_ARGUMENT, type DatabaseHook } from '../../knowledge/database-hooks.js';
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
  return undefined;
}

export const databaseHooks: Rule = {
  id: 'database-hooks',
  family: 'workload-baseline',
  direction: 'benign',
  description: "A database server's own archive or restore command (PostgreSQL's archive_command through sh -c) in a container that runs that server",
  evaluate(ctx) {
    const found = databaseHookOf(ctx.alert.process);
    const { pod, container } = ctx.correlation.subject;
    if (!found || !pod || !container) return [];
    const spec = container.spec;
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
