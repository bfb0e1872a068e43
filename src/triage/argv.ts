/**
 * Command lines as the triage reads them, split once. Every rule asks for the argv or the executable name of the
 * alert's process and its ancestors, and correlation compares the same argv with every container on a node: the
 * splitting and the base names are done once per distinct text and kept in a small recent-texts cache (a few entries,
 * so no alert outlives the next few).
 *
 * splitArgv() and lastSegment() give exactly what splitCommandLine() and baseName() of alerts/fields.ts give
 * (test/triage/argv.test.ts checks it); they slice instead of building strings character by character.
 */

/** baseName(): the last segment of a Unix or Windows path, undefined for an empty one. */
export function lastSegment(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (cut < 0) return path;
  return cut === path.length - 1 ? undefined : path.slice(cut + 1);
}

const SPACE = 32;
const TAB = 9;
const NEWLINE = 10;
const DOUBLE = 34;
const SINGLE = 39;
const BACKSLASH = 92;

/** splitCommandLine(): argv honouring simple quotes (a backslash escapes the next character inside double quotes). */
export function splitArgv(cmd: string): string[] {
  const out: string[] = [];
  const n = cmd.length;
  let i = 0;
  while (i < n) {
    let c = cmd.charCodeAt(i);
    if (c === SPACE || c === TAB || c === NEWLINE) {
      i++;
      continue;
    }
    // One word: runs of plain characters taken as slices, quoted parts with their quotes removed.
    let word = '';
    let start = i;
    while (i < n) {
      c = cmd.charCodeAt(i);
      if (c === SPACE || c === TAB || c === NEWLINE) break;
      if (c !== DOUBLE && c !== SINGLE) {
        i++;
        continue;
      }
      word += cmd.slice(start, i);
      const quote = c;
      i++;
      start = i;
      while (i < n) {
        c = cmd.charCodeAt(i);
        if (c === quote) break;
        if (c === BACKSLASH && quote === DOUBLE && i + 1 < n) {
          word += cmd.slice(start, i);
          start = i + 1;
          i += 2;
          continue;
        }
        i++;
      }
      word += cmd.slice(start, i);
      if (i < n) i++; // the closing quote
      start = i;
    }
    word += cmd.slice(start, i);
    out.push(word);
  }
  return out;
}

/** A command line split once, with what matching it against specs needs. Shared: callers only read it. */
export interface ObservedCommand {
  readonly text: string;
  readonly tokens: readonly string[];
  /** Base name of argv[0], as it is compared with a spec's argv[0]. */
  readonly firstBase: string | undefined;
}

const RECENT = 8;
const recentTexts: (string | undefined)[] = new Array(RECENT).fill(undefined);
const recentCommands: (ObservedCommand | undefined)[] = new Array(RECENT).fill(undefined);
let nextSlot = 0;

/** The split form of a command line; the last few distinct texts are remembered (rules ask for the same ones). */
export function observe(text: string): ObservedCommand {
  for (let i = 0; i < RECENT; i++) {
    if (recentTexts[i] === text) return recentCommands[i]!;
  }
  const tokens = splitArgv(text);
  const command: ObservedCommand = { text, tokens, firstBase: tokens.length ? lastSegment(tokens[0]) : undefined };
  recentTexts[nextSlot] = text;
  recentCommands[nextSlot] = command;
  nextSlot = (nextSlot + 1) % RECENT;
  return command;
}

/** splitCommandLine(text), shared: the caller must not modify it. */
export function argvOf(text: string): readonly string[] {
  return observe(text).tokens;
}

/** Processes of an interactive login on the node itself: the SSH daemon and its session processes, login, a login shell. */
const LOGIN_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);
const NODE_LOGIN_PROGRAMS = new Set(['sshd', 'sshd-session', 'login', 'agetty', 'getty', 'systemd-logind']);
export function isNodeLogin(p: { name?: string; path?: string; commandLine?: string }): boolean {
  const first = p.commandLine?.trim().split(/\s+/)[0] ?? '';
  if (/^sshd:/.test(p.commandLine?.trim() ?? '') || (first.startsWith('-') && LOGIN_SHELLS.has(lastSegment(first.slice(1)) ?? ''))) return true;
  return [p.name, lastSegment(p.path ?? ''), lastSegment(first)].some((n) => !!n && NODE_LOGIN_PROGRAMS.has(n.replace(/:$/, '')));
}

/** `nsenter [options] [--] prog …` and `chroot DIR prog …`: the wrapper and the program it starts. */
export function wrappedProgram(commandLine: string | undefined): { wrapper: string; program: string } | undefined {
  if (!commandLine) return undefined;
  // The split shared with the other rules (splitCommandLine's words): asked for every alert, rarely a wrapper.
  const argv = argvOf(commandLine);
  const wrapper = (argv[0] ?? '').split('/').pop() ?? '';
  let i = 1;
  if (wrapper === 'nsenter') {
    // Options that take a separate value: -t/--target PID, -S/-G uid/gid, -w/-r dirs.
    while (i < argv.length && argv[i].startsWith('-') && argv[i] !== '--') i += /^-(?:[tSGwr]|-target|-setuid|-setgid|-wd|-root)$/.test(argv[i]) ? 2 : 1;
    if (argv[i] === '--') i++;
  } else if (wrapper === 'chroot') {
    while (i < argv.length && argv[i].startsWith('-')) i++;
    i++;
  } else return undefined;
  const program = argv[i]?.split('/').pop()?.toLowerCase();
  return program ? { wrapper, program } : undefined;
}

/** Shells by program name: a process below one runs what somebody (or a script) typed, not a program's own work. */
export const SHELL_PROGRAMS: ReadonlySet<string> = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox', 'fish']);

/** Where no agent or runtime installs its programs: temporary and hidden directories. */
const STAGING_PATH = /^\/(?:tmp|var\/tmp|dev\/shm|run\/user)\/|\/\./;

export function isStagingPath(path: string): boolean {
  return STAGING_PATH.test(path);
}
