/**
 * nested-entrypoint: what a container's command runs when that command is a chain of launchers rather than one
 * program. Workflow engines wrap a step's command in their own (Argo's `argoexec emissary -- <launcher> … -- sh -c
 * '<bootstrap>' sh -ec '<program>' …`, as Kubeflow Pipelines v2 builds it), and copy the launcher into the container
 * from an init container. Runtime sensors then flag
 * - the launcher as drift (an executable not in the image): it is explained when the container's own command names
 *   that very path as the program after a `--`, an init container of the pod names the same path (it copies it
 *   there), and the process was started by the command's first program (the wrapper) or by the runtime;
 * - the commands of a `sh -c` script that sits inside the command (not first): explained when the observed command is
 *   one of that script's simple commands word for word — `$var` matching one word and `"$@"` the rest — and a shell
 *   started it. A package install or an interpreter run that no script of the spec spells out is not explained here.
 */
import { lastSegment, SHELL_PROGRAMS } from '../argv.js';
import type { ContainerSpec, Pod } from '../../cluster/model.js';
import { containerArgv, entrypointScriptSteps } from '../correlate.js';
import type { Rule } from '../model.js';
import { benign, clip, describePod, executableNames, RUNTIME_PARENTS } from './support.js';

const RUNS_SCRIPT = /^-[a-bd-z]*c[a-z]*$/;
const VARIABLE = /\$\((?:[^()]|\([^()]*\))*\)|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|`[^`]*`/g;
const ALL_ARGS = new Set(['$@', '$*', '${@}', '${*}']);

/** The `sh -c` scripts inside a command (after its first program): a wrapper's hand-over, not its entrypoint. */
export function nestedScripts(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i + 2 < argv.length; i++) {
    if (SHELL_PROGRAMS.has(lastSegment(argv[i]) ?? '') && RUNS_SCRIPT.test(argv[i + 1])) out.push(argv[i + 2]);
  }
  return out;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One script step as a pattern over a command line: words as written, `$var` one word, `"$@"` the rest. */
function stepPattern(step: readonly string[]): RegExp | undefined {
  if (!step.length) return undefined;
  let source = '^\\s*(?:\\S*/)?';
  for (let i = 0; i < step.length; i++) {
    const word = step[i];
    if (ALL_ARGS.has(word)) {
      if (i !== step.length - 1) return undefined;
      source += '(?:\\s.*)?';
      break;
    }
    const literal = i === 0 ? (lastSegment(word) ?? word) : word;
    let part = '';
    let at = 0;
    for (const m of literal.matchAll(VARIABLE)) {
      part += `${escape(literal.slice(at, m.index))}\\S*`;
      at = m.index + m[0].length;
    }
    part += escape(literal.slice(at));
    if (!part) return undefined;
    source += (i === 0 ? '' : '\\s+') + part;
  }
  return new RegExp(`${source}\\s*$`, 's');
}

const NONE: readonly string[] = [];

/**
 * What is worked out from a container's command and args, once per pair of arrays: replicas share those arrays
 * (cluster/compact.ts) but not their spec objects, so a cache by spec would hold an entry for every pod alerts name.
 */
function perCommand<T>(cache: WeakMap<object, WeakMap<object, T>>, spec: ContainerSpec, make: () => T): T {
  const command = spec.command ?? NONE;
  let byArgs = cache.get(command);
  if (!byArgs) cache.set(command, (byArgs = new WeakMap()));
  const args = spec.args ?? NONE;
  let value = byArgs.get(args);
  if (value === undefined) byArgs.set(args, (value = make()));
  return value;
}

const patternsByCommand = new WeakMap<object, WeakMap<object, readonly { pattern: RegExp; step: string }[]>>();

/** The steps of the scripts nested in a container's command, as patterns (worked out once per command). */
function nestedSteps(spec: ContainerSpec): readonly { pattern: RegExp; step: string }[] {
  return perCommand(patternsByCommand, spec, () => {
    const list: { pattern: RegExp; step: string }[] = [];
    // Lines end commands too (the step splitter reads words only): one script line at a time, continuations joined.
    const lines = nestedScripts(containerArgv(spec)).flatMap((script) => script.replace(/\\\n/g, ' ').split('\n'));
    for (const line of lines) {
      if (!line.trim() || line.trim().startsWith('#')) continue;
      for (const step of entrypointScriptSteps({ name: spec.name, command: ['sh', '-c', line] })) {
        // A step that is only a variable or a shell keyword says nothing about the program.
        if (step[0].startsWith('$') || /^(?:if|then|else|fi|for|do|done|while|case|esac|!|\[|\[\[|test|true|false|:)$/.test(step[0])) continue;
        // Nor a program given only variables (`python3 $SCRIPT`): any file would fit it.
        if (step.length > 1 && step.slice(1).every((w) => ALL_ARGS.has(w) || !w.replace(VARIABLE, '').trim())) continue;
        const pattern = stepPattern(step);
        if (pattern) list.push({ pattern, step: step.join(' ') });
      }
    }
    return list;
  });
}

/**
 * The init container that stages `path` for the container: one that names that very path in its command
 * (`launcher-v2 --copy /kfp-launcher/launch`). Loaded snapshots keep host-path volumes only, so the shared emptyDir
 * itself is not compared.
 */
const argvByCommand = new WeakMap<object, WeakMap<object, readonly string[]>>();
/** The container's command and args, joined once per command (asked for every alert placed in the container). */
function argvOfSpec(spec: ContainerSpec): readonly string[] {
  return perCommand(argvByCommand, spec, () => containerArgv(spec));
}

function stagedBy(pod: Pod, path: string): ContainerSpec | undefined {
  return (pod.spec.initContainers ?? []).find((init) => containerArgv(init).includes(path));
}

export const nestedEntrypoint: Rule = {
  id: 'nested-entrypoint',
  family: 'workload-baseline',
  direction: 'benign',
  description: "The launcher a wrapper command hands over to (copied in by an init container) and the steps of a sh -c script inside the container's command",
  evaluate(ctx) {
    const { alert, index, correlation } = ctx;
    const { pod, container } = correlation.subject;
    if (!pod || !container) return [];
    const spec = container.spec;
    const argv = argvOfSpec(spec);
    if (argv.length < 3) return [];
    const p = alert.process;
    const parent = p.ancestors[0];
    const parentNames = executableNames(parent);
    const who = (): string => `${describePod(index, pod)}, container ${spec.name}`;
    // The launcher: a path the command names as a program, staged by an init container, started by the wrapper.
    const path = p.path;
    if (path && path.startsWith('/') && argv.indexOf(path) > 0 && argv[argv.indexOf(path) - 1] === '--') {
      const wrapper = lastSegment(argv[0]);
      const init = stagedBy(pod, path);
      if (init && parent && parentNames.some((n) => n === wrapper || RUNTIME_PARENTS.test(n))) {
        return [
          benign(
            this.id,
            'workload-baseline',
            'medium',
            `${path} is the program the command of ${who()} hands over to (\`${clip(argv.slice(0, argv.indexOf(path) + 1).join(' '), 100)}\`), copied onto its volume by init container ${init.name} (\`${clip(containerArgv(init).join(' '), 80)}\`) and started by ${parentNames[0]}.`,
            { pod: pod.metadata.name },
          ),
        ];
      }
    }
    // A step of a script nested in the command, started by a shell.
    const cmd = p.commandLine;
    if (!cmd || !parentNames.some((n) => SHELL_PROGRAMS.has(n))) return [];
    const step = nestedSteps(spec).find((s) => s.pattern.test(cmd));
    if (!step) return [];
    return [
      benign(
        this.id,
        'workload-baseline',
        'medium',
        `\`${clip(cmd, 100)}\` is \`${clip(step.step, 100)}\`, a command of the script the command of ${who()} runs (a sh -c inside its wrapper chain), started by a shell.`,
        { pod: pod.metadata.name },
      ),
    ];
  },
};
