/**
 * Opening `-o FILE` for a report. The report must never replace something the run reads: an alert file (however it
 * is spelled: another relative path, a symbolic or a hard link), a snapshot, an audit log, the policy or the
 * baseline, nor land inside a snapshot or audit-log directory (the next run would read it as context).
 * A file that cannot be created is a usage error naming it, not a crash.
 */
import { createWriteStream, openSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import type { Writable } from 'node:stream';

export class OutputFileError extends Error {}

export interface OutputGuard {
  /** Alert files the run reads (after directory expansion); directories among them are ignored. */
  inputs: string[];
  /** Snapshots, audit logs, policy, baseline: files must not be overwritten, directories not written into. */
  context?: string[];
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The canonical path, resolving symbolic links of the file or (when it does not exist yet) of its directory. */
function canonical(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    try {
      return resolve(realpathSync(dirname(absolute)), absolute.slice(dirname(absolute).length + 1));
    } catch {
      return absolute;
    }
  }
}

/** Throws OutputFileError when writing `path` would overwrite or shadow something the run reads. */
export function checkOutputPath(path: string, guard: OutputGuard): void {
  const target = canonical(path);
  const targetStat = statOrUndefined(path);
  if (targetStat?.isDirectory()) throw new OutputFileError(`-o ${path} is a directory`);
  for (const input of [...guard.inputs, ...(guard.context ?? [])]) {
    if (input === '-') continue;
    const inputStat = statOrUndefined(input);
    if (inputStat?.isDirectory()) {
      if (guard.context?.includes(input) && target.startsWith(canonical(input) + sep)) throw new OutputFileError(`-o ${path} is inside ${input}, which is read as context`);
      continue;
    }
    // Same canonical path (another spelling, a symbolic link) or the same inode (a hard link).
    const same = canonical(input) === target || (!!inputStat && !!targetStat && inputStat.dev === targetStat.dev && inputStat.ino === targetStat.ino);
    if (same) throw new OutputFileError(`-o ${path} would overwrite the input ${input}`);
  }
}

/** Checks the path, then opens it for writing; errors (missing directory, permissions) become OutputFileError. */
export function openOutputFile(path: string, guard: OutputGuard): Writable {
  checkOutputPath(path, guard);
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new OutputFileError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return createWriteStream(path, { fd });
}
