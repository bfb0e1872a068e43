/**
 * node-bootstrap: a host process of the node's bootstrap agent (nodeadm, the EKS bootstrap script, kubeadm join,
 * cloud-init) writing runtime or kubelet configuration in the minutes around the node's registration — the Node
 * object's creation says when the machine joined. The same program weeks after the node joined, or inside a
 * container, is not bootstrap.
 */
import { BOOTSTRAP_AFTER_MS, BOOTSTRAP_AGENTS, BOOTSTRAP_BEFORE_MS, BOOTSTRAP_CONFIG_PATHS } from '../../knowledge/node-bootstrap.js';
import type { Evidence, Rule } from '../model.js';
import { benign, clip, executableNames, pathsIn } from './support.js';

export const nodeBootstrap: Rule = {
  id: 'node-bootstrap',
  family: 'workload-baseline',
  direction: 'benign',
  description: "The node's bootstrap agent (nodeadm, bootstrap.sh, kubeadm join, cloud-init) on the host around the node's registration",
  evaluate(ctx): Evidence[] {
    const { alert, correlation } = ctx;
    const node = correlation.subject.node;
    const c = alert.container;
    if (!node || correlation.subject.pod || c.id || c.pod || c.name || !alert.time || alert.process.tty === true) return [];
    const created = node.metadata.creationTimestamp;
    if (!created) return [];
    const delta = Date.parse(alert.time) - Date.parse(created);
    if (Number.isNaN(delta) || delta < -BOOTSTRAP_BEFORE_MS || delta > BOOTSTRAP_AFTER_MS) return [];
    const chain = [alert.process, ...alert.process.ancestors.slice(0, 2)];
    for (const p of chain) {
      const names = executableNames(p);
      const agent = BOOTSTRAP_AGENTS.find((a) => names.some((n) => a.names.includes(n)) || (!!p.path && a.paths.includes(p.path)));
      if (!agent) continue;
      // A child of the agent is bootstrap only if the paths it names are configuration bootstrap writes.
      const named = p === alert.process ? [] : [alert.file?.path, ...pathsIn(alert.process.commandLine)].filter((x): x is string => !!x);
      if (named.length && !named.some((x) => BOOTSTRAP_CONFIG_PATHS.some((prefix) => x.startsWith(prefix)))) return [];
      const when = delta < 0 ? `${Math.round(-delta / 1000)} s before` : `${Math.round(delta / 1000)} s after`;
      const role = p === alert.process ? 'is' : 'was started by';
      return [
        benign(
          this.id,
          'workload-baseline',
          'medium',
          `${clip(alert.process.commandLine ?? alert.process.path ?? alert.process.name ?? 'The process', 100)} ${role} ${agent.name} on the host of ${node.metadata.name}, ${when} the node registered (Node created at ${created}): the machine configuring its runtime and kubelet to join the cluster.`,
        ),
      ];
    }
    return [];
  },
};
