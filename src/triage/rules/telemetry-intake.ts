/**
 * telemetry-intake: a monitoring vendor's node agent (a DaemonSet pod running the vendor's image) sending to that
 * vendor's intake domain. Seen by a network sensor from the agent's pod address, or from its node's address when pod
 * traffic leaving the cluster network is SNATed to the node (the VPC CNI, most overlay CNIs). Persistent HTTPS to the
 * backend is the agent's work, not a tunnel. A name that merely contains the vendor's domain, a destination that is
 * another vendor's, a node where no such agent runs, or the image in a pod no DaemonSet owns are not.
 */
import { intakeDomainOf, VENDOR_AGENT_INTAKES, type VendorAgentIntake } from '../../knowledge/collectors.js';
import type { Pod } from '../../cluster/model.js';
import type { Evidence, Rule, RuleContext } from '../model.js';
import { benign, describePod, imageRepoOf, podIsLive } from './support.js';

const HTTPS_PORTS = new Set([443]);

function agentOf(index: RuleContext['index'], pod: Pod): VendorAgentIntake | undefined {
  if (pod.metadata.ownerReferences?.[0]?.kind !== 'DaemonSet' || !index.workloadOf(pod)) return undefined;
  const images = pod.spec.containers.map((c) => imageRepoOf(c.image));
  return VENDOR_AGENT_INTAKES.find((a) => images.some((i) => a.image.test(i)));
}

/** A live pod on the node at the alert's time (created before it). */
function runningAt(pod: Pod, time: string | null): boolean {
  if (!podIsLive(pod)) return false;
  const created = pod.metadata.creationTimestamp;
  return !time || !created || Date.parse(created) <= Date.parse(time);
}

export const telemetryIntake: Rule = {
  id: 'telemetry-intake',
  family: 'workload-baseline',
  direction: 'benign',
  description: "A monitoring vendor's node agent sending to its vendor's intake domain (from its pod, or from its node's address after SNAT)",
  evaluate(ctx): Evidence[] {
    const { alert, correlation, index } = ctx;
    const n = alert.network;
    const src = correlation.subject;
    const peer = correlation.peer;
    if (!n?.domain || peer?.pod || peer?.node || (n.dstPort !== undefined && !HTTPS_PORTS.has(n.dstPort))) return [];
    // A process the sensor names is another story (curl to the intake from a shell is not the agent).
    if (alert.process.name || alert.process.commandLine || alert.process.path) return [];
    const domain = n.domain;
    const candidates = src.pod ? [src.pod] : src.node ? index.podsOnNode(src.node.metadata.name).filter((p) => !p.spec.hostNetwork && runningAt(p, alert.time)) : [];
    for (const pod of candidates) {
      const agent = agentOf(index, pod);
      const intake = agent && intakeDomainOf(agent, domain);
      if (!agent || !intake) continue;
      const via = src.pod ? '' : `, running on ${src.node!.metadata.name}, whose address its traffic leaves the cluster network with,`;
      return [
        benign(
          this.id,
          'workload-baseline',
          'medium',
          `${describePod(index, pod)}${via} runs ${pod.spec.containers.map((c) => c.image).join(', ')}: ${agent.what}; ${domain} is under ${intake}, that vendor's intake domain.`,
          { pod: pod.metadata.name, intake },
        ),
      ];
    }
    return [];
  },
};
