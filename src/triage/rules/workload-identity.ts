/**
 * GKE Workload Identity: on a node running gke-metadata-server, a pod's requests to 169.254.169.254 are answered by
 * that DaemonSet with a token of the Google service account its Kubernetes service account is bound to. A Google client
 * library refreshing that token is how every Workload Identity workload reaches Google APIs — not a theft of the node's
 * credentials. Only a network sensor's view is judged here (no process, or a process that is the container's own
 * entrypoint): curl, wget or a shell fetching the token, a host-network pod (which reaches the real metadata server and
 * the node's identity), or a node without gke-metadata-server stay with the attack indicator.
 */
import { GOOGLE_CLIENT_USER_AGENTS } from '../../knowledge/cloud-endpoints.js';
import type { Evidence, Rule, RuleContext } from '../model.js';
import { entrypointMatches } from '../correlate.js';
import { benign, componentPodsOnNode, describePod } from './support.js';

const METADATA_ADDRESSES = new Set(['169.254.169.254']);
const METADATA_HOST = /^(?:169\.254\.169\.254|metadata\.google\.internal|metadata)$/i;
const TOKEN_PATH = /^\/computeMetadata\/v1\/instance\/service-accounts\/[^/?\s]+\/(?:token|identity|email)(?:[?]|$)/;

/** Why this metadata token request is Workload Identity's ordinary flow, or undefined. */
export function workloadIdentityTokenFetch(ctx: RuleContext): string | undefined {
  const { alert, correlation, index } = ctx;
  const n = alert.network;
  const pod = correlation.subject.pod;
  if (!n || !pod || pod.spec.hostNetwork || !n.url || !n.userAgent) return undefined;
  if (!(n.dstIp ? METADATA_ADDRESSES.has(n.dstIp) : !!n.domain && METADATA_HOST.test(n.domain))) return undefined;
  if (!TOKEN_PATH.test(n.url)) return undefined;
  const ua = n.userAgent;
  if (!GOOGLE_CLIENT_USER_AGENTS.some((re) => re.test(ua))) return undefined;
  // A process the endpoint sensor names must be the container's own entrypoint, not a tool typed into it.
  const p = alert.process;
  if (p.name || p.commandLine || p.path) {
    const container = correlation.subject.container;
    if (!container || !p.commandLine || !entrypointMatches(p.commandLine, container.spec)) return undefined;
  }
  const node = index.nodeOfPod(pod);
  const server = componentPodsOnNode(index, node, (c) => c.id === 'gke-metadata-server').find(({ match }) => match.strength === 'strong');
  if (!server || !node) return undefined;
  return `${describePod(index, pod)} asks the metadata server for its token with ${ua}, a Google client library; on ${node.metadata.name} such requests are answered by ${describePod(index, server.pod)} (Workload Identity), which hands out the token of the Google service account bound to the pod's own Kubernetes service account`;
}

export const workloadIdentity: Rule = {
  id: 'workload-identity',
  family: 'workload-baseline',
  direction: 'benign',
  description: "A pod's Google client library refreshing its Workload Identity token from gke-metadata-server",
  evaluate(ctx): Evidence[] {
    const why = workloadIdentityTokenFetch(ctx);
    return why ? [benign(this.id, 'workload-baseline', 'medium', `${why}.`)] : [];
  },
};
