/**
 * An application pod talking to its managed data service: a network sensor's alert (no process, or the container's
 * own entrypoint) from a controller-owned pod to a private address that is no node, pod or Service of the cluster, on
 * the port of a service the pod declares it is a client of (knowledge/backing-services.ts: REDIS_URL, a Cloud SQL
 * proxy container). The destination must be private (a public address is someone else's), the pod must have a
 * controller (a hand-made pod's env is what its author wrote), and a shell or tool in the pod is not the app.
 */
import { isPrivateAddress } from '../../cluster/audit-identities.js';
import type { ContainerSpec, Pod } from '../../cluster/model.js';
import { BACKING_SERVICES, NOT_A_CLIENT_CONNECTION, type BackingService } from '../../knowledge/backing-services.js';
import { imageRepository } from '../../knowledge/components.js';
import type { Evidence, Rule, RuleContext } from '../model.js';
import { entrypointMatches } from '../correlate.js';
import { allContainerSpecs, benign, describePod } from './support.js';

function declaredBy(pod: Pod, service: BackingService): { container: ContainerSpec; why: string } | undefined {
  for (const c of allContainerSpecs(pod)) {
    const repo = imageRepository(c.image ?? '');
    const image = service.clientImages?.find((suffix) => repo === suffix || repo.endsWith(`/${suffix}`));
    if (image) return { container: c, why: `container ${c.name} runs ${image}, a client of it` };
    const env = (c.env ?? []).find((e) => service.env.test(e.name));
    if (env) return { container: c, why: `container ${c.name} declares ${env.name}` };
  }
  return undefined;
}

function ownProcessOrNone(ctx: RuleContext, pod: Pod): boolean {
  const p = ctx.alert.process;
  if (!p.name && !p.commandLine && !p.path) return true;
  return !!p.commandLine && allContainerSpecs(pod).some((c) => entrypointMatches(p.commandLine!, c));
}

export const declaredBackingService: Rule = {
  id: 'declared-backing-service',
  family: 'workload-baseline',
  direction: 'benign',
  description: 'An application pod connecting to the managed data service (Redis, PostgreSQL, MySQL, Cloud SQL) its spec declares, on a private address outside the cluster',
  evaluate(ctx): Evidence[] {
    const { alert, correlation, index } = ctx;
    const n = alert.network;
    const pod = correlation.subject.pod;
    if (!n?.dstIp || n.dstPort === undefined || !pod || pod.spec.hostNetwork || !pod.metadata.ownerReferences?.length) return [];
    const podIp = pod.status?.podIP;
    if (n.srcIp && podIp && n.srcIp !== podIp) return [];
    const dst = n.dstIp;
    if (!isPrivateAddress(dst) || dst.startsWith('169.254.') || dst.startsWith('127.')) return [];
    if (index.findNode(dst) || index.podByIp(dst, alert.time) || index.serviceByIp(dst)) return [];
    if (!ownProcessOrNone(ctx, pod)) return [];
    // The sensor judged what was done over the connections (guessed passwords, swept addresses), not that one was made.
    if (NOT_A_CLIENT_CONNECTION.test(`${alert.title} ${alert.description ?? ''}`)) return [];
    for (const service of BACKING_SERVICES) {
      if (!service.ports.includes(n.dstPort)) continue;
      const declared = declaredBy(pod, service);
      if (!declared) continue;
      return [
        benign(
          this.id,
          'workload-baseline',
          'medium',
          `${describePod(index, pod)} is a ${service.name} client (${declared.why}); ${dst}:${n.dstPort} is a private address outside the cluster (no node, pod or Service) on ${service.name}'s port: its managed data service.`,
        ),
      ];
    }
    return [];
  },
};
