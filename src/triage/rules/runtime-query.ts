/**
 * runtime-query: a node sensor (auditd through Wazuh, an EDR) sees `crictl … pods` with the runtime socket on its
 * command line, which the runtime-socket indicator treats as an escape. A node agent whose health check lists pods and
 * containers through its mounted socket (node-problem-detector's health-checker) does exactly that, from no login
 * session. Only a read-only crictl subcommand, only with no login uid (an SSH session keeps the user's), and only where a
 * confirmed component that declares these queries runs on the node with the runtime socket mounted.
 */
import { splitCommandLine } from '../../alerts/fields.js';
import type { Pod } from '../../cluster/model.js';
import type { Rule, RuleContext } from '../model.js';
import { entrypointMatches } from '../correlate.js';
import { benign, clip, componentPodsOnNode, describePod, executableNames, GENERIC_PROGRAMS, type ComponentMatch } from './support.js';

/**
 * Subcommands that list or count and print no secret. `inspect` and `inspectp` print a container's or sandbox's config
 * with its environment (passwords and keys passed as env), and `info` the runtime's config with its registry
 * credentials: read-only for the runtime, a credential read for the analyst — no health check needs them.
 */
const READ_ONLY = new Set(['ps', 'pods', 'images', 'img', 'version', 'inspecti', 'stats', 'statsp', 'imagefsinfo']);
/** Global flags that take their value as the next word. */
const VALUE_FLAGS = new Set(['-r', '--runtime-endpoint', '-i', '--image-endpoint', '-t', '--timeout', '-c', '--config']);
const NO_LOGIN = new Set(['-1', '4294967295', 'unset']);
const RUNTIME_SOCKET = /(?:containerd|crio|cri-dockerd|docker)\.sock$/;

/** The crictl subcommand of a command line (after its global flags). */
function crictlSubcommand(commandLine: string | undefined): string | undefined {
  if (!commandLine) return undefined;
  const argv = splitCommandLine(commandLine);
  if ((argv[0] ?? '').split('/').pop() !== 'crictl') return undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('-')) {
      if (!a.includes('=') && VALUE_FLAGS.has(a)) i++;
      continue;
    }
    return a;
  }
  return undefined;
}

function mountsRuntimeSocket(pod: Pod): boolean {
  return (pod.spec.volumes ?? []).some((v) => !!v.hostPath?.path && RUNTIME_SOCKET.test(v.hostPath.path));
}

/**
 * The parent chain the sensor reports (auditd often gives only pids) reaches the agent: one of its programs or its
 * container's entrypoint. A chain of other programs (an implant's shell) is someone else's crictl.
 */
const GENERIC = GENERIC_PROGRAMS;

function chainReachesAgent(alert: RuleContext['alert'], pod: Pod, match: ComponentMatch): boolean {
  const chain = alert.process.ancestors.slice(0, 4).filter((a) => a.name || a.path || a.commandLine);
  if (chain.length === 0) return true;
  // Shells and the CLI itself are in the agent's list too, and in every intruder's chain: they prove nothing.
  const own = new Set([...match.component.daemons, ...match.component.binaries].filter((n) => !GENERIC.has(n)));
  return chain.some((a) => executableNames(a).some((n) => own.has(n)) || pod.spec.containers.some((c) => entrypointMatches(a.commandLine, c)));
}

export function runtimeQueryOnNode(ctx: RuleContext): { pod: Pod; match: ComponentMatch; subcommand: string } | undefined {
  const { alert, correlation, index } = ctx;
  const node = correlation.subject.node;
  if (!node || correlation.subject.pod) return undefined;
  if (!executableNames(alert.process).includes('crictl')) return undefined;
  const subcommand = crictlSubcommand(alert.process.commandLine);
  if (!subcommand || !READ_ONLY.has(subcommand)) return undefined;
  // A login session (SSH, console) is a person at the node, whatever they typed.
  if (alert.process.loginUid === undefined || !NO_LOGIN.has(alert.process.loginUid) || alert.process.tty === true) return undefined;
  const found = componentPodsOnNode(index, node, (c) => !!c.runtimeQueries).find(({ pod, match }) => match.strength === 'strong' && mountsRuntimeSocket(pod) && chainReachesAgent(alert, pod, match));
  return found ? { ...found, subcommand } : undefined;
}

export const runtimeQuery: Rule = {
  id: 'runtime-query',
  family: 'workload-baseline',
  direction: 'benign',
  description: "A node agent's read-only crictl health check through its mounted runtime socket, from no login session",
  evaluate(ctx) {
    const q = runtimeQueryOnNode(ctx);
    if (!q) return [];
    return [
      benign(
        this.id,
        'workload-baseline',
        'medium',
        `${clip(ctx.alert.process.commandLine ?? 'crictl', 100)} only reads (crictl ${q.subcommand}) and ran from no login session; ${describePod(ctx.index, q.pod)} (${q.match.component.name}) runs on ${ctx.correlation.subject.node!.metadata.name} with the runtime socket mounted and checks the runtime this way.`,
        { component: q.match.component.id, pod: q.pod.metadata.name },
      ),
    ];
  },
};
