/**
 * An operator's own exec: a service-account session into a pod, opened from a pod of a known operator's controller
 * (its image, a Deployment or StatefulSet owning it, the same service account, the session's source address its own),
 * non-interactive (no terminal, no stdin) and running one of the administration programs that operator is known to
 * exec (knowledge/operators.ts). The same token used from anywhere else, with a terminal, or to run anything else is not
 * explained here.
 */
import { baseName, splitCommandLine } from '../../alerts/fields.js';
import { serviceAccountOf } from '../../cluster/audit-identities.js';
import type { ExecSession, Pod } from '../../cluster/model.js';
import { imageRepository, isRepoOrPathSuffix } from '../../knowledge/components.js';
import { EXEC_OPERATORS, type ExecOperator } from '../../knowledge/operators.js';
import { SHELL_PROGRAMS } from '../argv.js';
import type { Evidence, RuleContext } from '../model.js';
import { allContainerSpecs, clip, describePod } from './support.js';

const CONTROLLERS = new Set(['Deployment', 'StatefulSet']);
/** A pod started this long after the session began cannot have opened it. */
const START_SKEW_MS = 60_000;

/** The program a session runs: its first word, or the first word of the script of `sh -c "<script>"`. */
export function execProgram(command: readonly string[]): string | undefined {
  if (command.length === 0) return undefined;
  const first = baseName(command[0]) ?? command[0];
  if (SHELL_PROGRAMS.has(first)) {
    if (command[1] !== '-c' || command.length !== 3) return undefined;
    const words = splitCommandLine(command[2]);
    // One simple command, not a pipeline or a chain: the script must not smuggle a second program.
    if (words.length === 0 || /[;&|`$<>()\n]/.test(command[2])) return undefined;
    return baseName(words[0]) ?? words[0];
  }
  return first;
}

function operatorOf(pod: Pod): ExecOperator | undefined {
  for (const c of allContainerSpecs(pod)) {
    const repo = imageRepository(c.image);
    if (!repo) continue;
    const op = EXEC_OPERATORS.find((o) => o.images.some((suffix) => isRepoOrPathSuffix(repo, suffix)));
    if (op) return op;
  }
  return undefined;
}

function ownIps(pod: Pod): string[] {
  const ips = new Set<string>();
  if (pod.status?.podIP) ips.add(pod.status.podIP);
  for (const p of pod.status?.podIPs ?? []) ips.add(p.ip);
  return [...ips];
}

/** The sentence and facts when the session is the operator's own administration command, else undefined. */
export function operatorOwnExec(ctx: RuleContext, s: ExecSession): { message: string; facts: Evidence['facts'] } | undefined {
  if (s.kind !== 'exec' || s.tty || s.stdin) return undefined;
  const sa = serviceAccountOf(s.user);
  const program = execProgram(s.command);
  if (!sa || !program || s.sourceIps.length === 0) return undefined;
  const { index } = ctx;
  const client = s.tokenBoundPod ? index.podByName(sa.namespace, s.tokenBoundPod) : index.podByIp(s.sourceIps[0], s.start);
  if (!client || client.metadata.namespace !== sa.namespace || (client.spec.serviceAccountName ?? 'default') !== sa.name || client.spec.hostNetwork) return undefined;
  const ips = ownIps(client);
  if (!s.sourceIps.every((ip) => ips.includes(ip) && index.podByIp(ip, s.start) === client)) return undefined;
  const created = Date.parse(client.metadata.creationTimestamp ?? '');
  if (Number.isFinite(created) && created > Date.parse(s.start) + START_SKEW_MS) return undefined;
  const chain = index.ownerChain(client);
  const top = chain[chain.length - 1];
  if (!top || !CONTROLLERS.has(top.kind)) return undefined;
  const operator = operatorOf(client);
  if (!operator || !operator.execPrograms.includes(program)) return undefined;
  return {
    message: `${clip(s.command.join(' '), 100)} in ${s.namespace}/${s.pod} was exec'd without a terminal by ${operator.name}'s controller, ${describePod(index, client)}, with its own service account ${s.user} from its own pod IP ${s.sourceIps.join(', ')}: ${program} is one of the administration commands ${operator.name} runs in the pods it manages.`,
    facts: { operator: operator.name, clientPod: `${client.metadata.namespace}/${client.metadata.name}`, sourceIp: s.sourceIps.join(', '), program, sessionStart: s.start },
  };
}
