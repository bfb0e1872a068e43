/**
 * On a micro-VM-per-pod platform the platform's own log router runs inside the pod's VM, outside every container the
 * pod spec lists, and ships the pod's logs from the pod's address (EKS Fargate's built-in Fluent Bit to CloudWatch
 * Logs, Firehose or OpenSearch). A network sensor sees the pod sending a lot of data to that service: the platform's
 * logging, which the pod's annotation confirms. The router ships to the service in the cluster's own region: the same
 * service in another region (an attacker's log group as a drop box) is not it. Any other destination, a pod the
 * platform does not log, or a spec that is itself an attack is left to the other rules.
 */
import { vmPerPodPlatform } from '../../knowledge/vm-per-pod.js';
import type { ClusterIndex, Pod } from '../../cluster/model.js';
import type { Evidence, Rule } from '../model.js';
import { specIndicatorOf } from './pod-spec-indicators.js';
import { benign, describePod } from './support.js';

/** An AWS region as a label of a host name (logs.us-east-2.amazonaws.com, ip-10-0-1-2.eu-west-1.compute.internal). */
const AWS_REGION_LABEL = /(?:^|\.)([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)\./;

/** The region the pod runs in: its node's region label, or the region its node's name carries. */
function podRegion(index: ClusterIndex, pod: Pod): string | undefined {
  const node = index.nodeOfPod(pod);
  return node?.metadata.labels?.['topology.kubernetes.io/region'] ?? AWS_REGION_LABEL.exec(`${pod.spec.nodeName ?? ''}.`)?.[1];
}

export const platformLogRouter: Rule = {
  id: 'platform-log-router',
  family: 'workload-baseline',
  direction: 'benign',
  description: "A micro-VM pod's platform log router shipping its logs to the logging service the platform is configured for",
  evaluate(ctx): Evidence[] {
    const { alert, correlation, index } = ctx;
    const pod = correlation.subject.pod;
    const n = alert.network;
    if (!pod || !n?.domain || alert.process.name || alert.process.commandLine) return [];
    const router = vmPerPodPlatform(pod)?.logRouter;
    if (!router) return [];
    const [key, value] = router.annotation;
    if (pod.metadata.annotations?.[key] !== value) return [];
    const domain = n.domain;
    if (!router.destinations.some((d) => d.test(domain)) || specIndicatorOf(index, pod)) return [];
    const region = podRegion(index, pod);
    const destinationRegion = AWS_REGION_LABEL.exec(domain)?.[1];
    if (region && destinationRegion && region !== destinationRegion) return [];
    return [
      benign(
        this.id,
        'workload-baseline',
        'medium',
        `${describePod(index, pod)} runs in a micro-VM of its own, and its annotation ${key}: ${value} says ${router.name} ships its container logs from the pod's address; ${domain} is a logging service that router delivers to.`,
        { pod: pod.metadata.name },
      ),
    ];
  },
};
