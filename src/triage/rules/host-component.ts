/**
 * A host sensor (a node EDR) reports a containerised agent's own process as a host process: no container, only the
 * parent chain up to the container runtime. When every link of that chain is the agent's own program (its daemon, the
 * daemon's helper script) up to the runtime's shim, the process the shim started runs the command the agent's spec
 * declares for that program, and a pod of that agent — confirmed by namespace, owner and image — runs on the node since before the
 * alert, the process is the agent at work: a log shipper tailing container
 * logs, a metrics agent reading the runtime socket, a CSI node plugin's mount helper. Network components are
 * node-networking's; a shell or a generic interpreter is never the agent here, and attack indicators still win.
 */
import type { ComponentRole, NodeComponent } from '../../knowledge/components.js';
import type { ProcessInfo } from '../../alerts/model.js';
import type { Pod } from '../../cluster/model.js';
import type { BenignCause, Evidence, Rule } from '../model.js';
import { entrypointMatches } from '../correlate.js';
import { observe } from '../argv.js';
import { benign, clip, componentPodsOnNode, describePod, executableNames } from './support.js';
import { isContainerRuntimeProcess } from '../../knowledge/container-runtime.js';

/** The story an agent's own work tells, by its role (network roles are node-networking's). */
const CAUSE_OF_ROLE: Partial<Record<ComponentRole, BenignCause>> = {
  csi: 'privileged-root',
  monitoring: 'workload-baseline',
  logging: 'workload-baseline',
};
/** Interpreters an agent's helper scripts run under: the script, not the interpreter, names the program. */
const INTERPRETERS = /^(?:python[\d.]*|perl|ruby|node|sh|bash|dash|ash|busybox)$/;
/** How far up the chain the runtime's shim may be (process ← helper ← daemon ← shim). */
const MAX_LINKS = 3;

/** The program a process runs: its executable, or the script its interpreter runs (python3 /usr/bin/amazon-efs-mount-watchdog). */
function programNames(p: ProcessInfo | undefined): string[] {
  const names = executableNames(p).filter((n) => !INTERPRETERS.test(n));
  if (p?.commandLine && executableNames(p).some((n) => INTERPRETERS.test(n))) {
    const script = observe(p.commandLine).tokens.slice(1).find((t) => !t.startsWith('-'));
    if (script) names.push(script.slice(script.lastIndexOf('/') + 1).toLowerCase());
  }
  return names;
}

/**
 * A process that is the program a container of the pod declares as its command runs that whole command: the agent's
 * binary with other arguments is not the agent's configured run. Programs no container declares (helpers the agent
 * starts) are not judged here.
 */
function runsDeclaredCommand(pod: Pod, p: ProcessInfo): boolean {
  const names = executableNames(p);
  const declaring = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].filter((c) => {
    const program = c.command?.[0];
    return !!program && names.includes(program.slice(program.lastIndexOf('/') + 1).toLowerCase());
  });
  return declaring.length === 0 || declaring.some((c) => entrypointMatches(p.commandLine, c));
}

const owns = (c: NodeComponent, names: readonly string[]) => names.length > 0 && names.some((n) => c.daemons.includes(n) || c.binaries.includes(n));

export const hostComponent: Rule = {
  id: 'host-component',
  family: 'workload-baseline',
  direction: 'benign',
  description: "A host sensor's view of a containerised agent's own process (log shipper, metrics agent, CSI helper), its chain up to the runtime all the agent's, the agent's pod confirmed on the node",
  evaluate(ctx): Evidence[] {
    const { alert, correlation, index } = ctx;
    const node = correlation.subject.node;
    if (correlation.subject.pod || !node || !alert.time) return [];
    const names = programNames(alert.process);
    if (!names.length) return [];
    const candidates = componentPodsOnNode(index, node, (c) => !!CAUSE_OF_ROLE[c.role] && owns(c, names));
    for (const { pod, match } of candidates) {
      if (match.strength !== 'strong') continue;
      const created = pod.metadata.creationTimestamp;
      if (created && Date.parse(created) > Date.parse(alert.time)) continue;
      // Every ancestor below the runtime's shim must be the agent's own program.
      const chain = alert.process.ancestors.slice(0, MAX_LINKS);
      const shim = chain.findIndex((a) => executableNames(a).some(isContainerRuntimeProcess));
      if (shim === -1 || !chain.slice(0, shim).every((a) => owns(match.component, programNames(a)))) continue;
      // The process the runtime started: when it is the program the agent's spec declares, it must run that command
      // (the agent's binary with an attacker's arguments, run through the kubelet's exec, is not the agent).
      const main = shim === 0 ? alert.process : chain[shim - 1];
      if (!runsDeclaredCommand(pod, main)) continue;
      const via = chain
        .slice(0, shim)
        .map((a) => clip(a.commandLine ?? a.name ?? '', 60))
        .join(' ← ');
      return [
        benign(
          this.id,
          CAUSE_OF_ROLE[match.component.role]!,
          'medium',
          `${clip(alert.process.commandLine ?? alert.process.name ?? names[0], 100)} is ${match.component.name}'s own program${via ? `, started by ${via}` : ''} under the container runtime, and ${describePod(index, pod)} runs on ${node.metadata.name}: the host sensor sees that agent's work as a host process.`,
          { component: match.component.id, pod: pod.metadata.name },
        ),
      ];
    }
    return [];
  },
};
