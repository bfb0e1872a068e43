/**
 * Platforms that run each pod in its own micro-VM node (EKS on Fargate): the node exists for that one pod, so the
 * pod's address is also the node's InternalIP although the pod is not on the host network. An address seen on the
 * wire is then the pod's. Recognised by what the platform writes into the pod itself, which survives the node: a
 * finished Fargate pod keeps them after its node object is gone.
 */
import type { Pod } from '../cluster/model.js';

export interface VmPerPodPlatform {
  name: string;
  /** spec.schedulerName of the platform's pods. */
  schedulerNames: readonly string[];
  /** Pod labels the platform sets on every pod it runs. */
  podLabels: readonly string[];
  /** What the platform prefixes to the node's host name in the node object's name (the kubelet's identity lacks it). */
  nodeNamePrefix?: string;
  /**
   * The platform's own log router, which ships the pod's container logs from the pod's address when the pod carries
   * the annotation: where it may send them.
   */
  logRouter?: { name: string; annotation: readonly [string, string]; destinations: readonly RegExp[] };
}

export const VM_PER_POD_PLATFORMS: readonly VmPerPodPlatform[] = [
  // EKS Fargate: fargate-scheduler binds the pod to node fargate-ip-<pod ip>.<region>.compute.internal and labels it
  // with the profile that selected it.
  // Its built-in Fluent Bit (configured by ConfigMap aws-observability/aws-logging) ships to CloudWatch Logs, Kinesis
  // Data Firehose or OpenSearch, and the platform annotates each pod it logs for `Logging: LoggingEnabled`.
  {
    name: 'EKS Fargate',
    schedulerNames: ['fargate-scheduler'],
    podLabels: ['eks.amazonaws.com/fargate-profile'],
    nodeNamePrefix: 'fargate-',
    logRouter: {
      name: "Fargate's built-in Fluent Bit log router",
      annotation: ['Logging', 'LoggingEnabled'],
      destinations: [/^logs\.[a-z0-9-]+\.amazonaws\.com\.?$/i, /^firehose\.[a-z0-9-]+\.amazonaws\.com\.?$/i, /^[a-z0-9-]+\.[a-z0-9-]+\.es\.amazonaws\.com\.?$/i, /^[a-z0-9]+\.[a-z0-9-]+\.aoss\.amazonaws\.com\.?$/i],
    },
  },
];

/**
 * The platform that gave this pod a micro-VM node of its own, if any (never for a host-network pod). The labels are
 * what a compacted snapshot keeps; the scheduler name only a full one.
 */
export function vmPerPodPlatform(pod: Pod): VmPerPodPlatform | undefined {
  if (pod.spec?.hostNetwork === true) return undefined;
  const labels = pod.metadata?.labels ?? {};
  const scheduler = typeof pod.spec?.schedulerName === 'string' ? pod.spec.schedulerName : '';
  return VM_PER_POD_PLATFORMS.find((p) => p.schedulerNames.includes(scheduler) || p.podLabels.some((l) => Object.hasOwn(labels, l)));
}
