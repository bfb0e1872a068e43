/**
 * storage-agent: a node sensor's host process (no container id) that is a storage component's volume tool — lvresize,
 * drbdadm, mkfs, resize2fs — run by that component's own daemon, while a pod of the component (confirmed by namespace,
 * controller and image) runs on that very node. The storage counterpart of node-networking's daemon check: the node
 * sensor shows only names, so the daemon as parent and the component's pod on the node are what tie them together.
 * The daemon itself must have been started by the container runtime (its parent the runtime's shim, or an image's init
 * under it). A volume tool from a shell, under a daemon-named process outside any container, or on a node where the
 * component does not run, is not explained.
 */
import type { ProcessInfo } from '../../alerts/model.js';
import type { Evidence, Rule } from '../model.js';
import { benign, clip, componentPodsOnNode, describePod, executableNames } from './support.js';
import { isContainerRuntimeProcess } from '../../knowledge/container-runtime.js';

/** Daemon names too generic to name a component alone (a JVM, an interpreter): the tie is then weaker. */
const GENERIC_DAEMONS = new Set(['java', 'python', 'python3', 'node', 'ruby', 'sh', 'bash']);
const ANCESTORS_CHECKED = 3;
/** The container runtime that starts a containerised daemon, and the init shims an image may put in between. */
const CONTAINER_INITS = /^(?:tini|dumb-init|docker-init)$/;

/** The daemon at `ancestors[at]` was started by the container runtime (directly or through an image's init shim). */
function startedByRuntime(ancestors: readonly ProcessInfo[], at: number): boolean {
  for (const above of ancestors.slice(at + 1, at + 3)) {
    const names = executableNames(above);
    if (names.some(isContainerRuntimeProcess)) return true;
    if (!names.some((n) => CONTAINER_INITS.test(n))) return false;
  }
  return false;
}

export const storageAgent: Rule = {
  id: 'storage-agent',
  family: 'workload-baseline',
  direction: 'benign',
  description: "A storage component's volume tool (LVM, DRBD, mkfs, resize) run on the host by that component's own daemon, whose pod runs on that node",
  evaluate(ctx): Evidence[] {
    const { alert, correlation, index } = ctx;
    const node = correlation.subject.node;
    if (!node || correlation.subject.pod || alert.container.id || alert.container.pod || alert.process.tty === true) return [];
    const names = executableNames(alert.process);
    if (!names.length) return [];
    const candidates = componentPodsOnNode(index, node, (c) => c.role === 'csi' && names.some((n) => c.binaries.includes(n)));
    if (!candidates.length) return [];
    const ancestors = alert.process.ancestors.slice(0, ANCESTORS_CHECKED);
    for (const [i, parent] of ancestors.entries()) {
      const parentNames = executableNames(parent);
      const owner = candidates.find(({ match }) => match.strength === 'strong' && parentNames.some((n) => match.component.daemons.includes(n)));
      // The daemon runs in the component's container: a process merely named like it (a `java` an SSH login started)
      // is not that daemon.
      if (!owner || !startedByRuntime(alert.process.ancestors, i)) continue;
      const daemon = parentNames.find((n) => owner.match.component.daemons.includes(n))!;
      const strength = GENERIC_DAEMONS.has(daemon) ? 'medium' : 'strong';
      const what = clip(alert.process.commandLine ?? alert.process.path ?? alert.process.name ?? 'The process', 100);
      return [
        benign(
          this.id,
          'workload-baseline',
          strength,
          `${what} is ${i === 0 ? 'a child' : 'a descendant'} of ${clip(parent.commandLine ?? parent.name ?? daemon, 80)}, the ${owner.match.component.name} daemon, and ${describePod(index, owner.pod)} runs on ${node.metadata.name}: the storage agent managing this node's volumes.`,
          { component: owner.match.component.id, pod: owner.pod.metadata.name, node: node.metadata.name },
        ),
      ];
    }
    return [];
  },
};
