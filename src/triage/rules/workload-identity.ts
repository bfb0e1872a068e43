/**
 * GKE Workload Identity: on a node running gke-metadata-server, a pod's requests to 169.254.169.254 are answered by
 * that DaemonSet with a token of the Google service account its Kubernetes service account is bound to. A Google client
 * library refreshing that token is how every Workload Identity workload reaches Google APIs — not a theft of the node's
 * credentials. Only a network sensor's view is judged here (no process, or a process that is the container's own
 * entrypoint): curl, wget or a shell fetching the token, a host-network pod (which reaches the real metadata server and
 * the node's identity), or a node without gke-metadata-server stay with the attack indicator.
 */
import { GOOGLE_CLIENT_USER_AGENTS, WORKLOAD_IDENTITY_TOKEN_FILES } from '../../knowledge/cloud-endpoints.js';
import type { Evidence, Rule, RuleContext } from '../model.js';
import { commandMatches, entrypointMatches } from '../correlate.js';
import { benign, componentPodsOnNode, describePod, runsContainerCommand, timeBetween } from './support.js';

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
  description: "A pod's cloud SDK refreshing its workload identity: GKE's metadata server, or the IRSA / Pod Identity / Azure token file its platform mounted",
  evaluate(ctx): Evidence[] {
    const why = workloadIdentityTokenFetch(ctx);
    if (why) return [benign(this.id, 'workload-baseline', 'medium', `${why}.`)];
    const read = declaredIdentityTokenRead(ctx);
    return read ? [benign(this.id, 'workload-baseline', 'strong', `${read}.`)] : [];
  },
};

const SESSION_SKEW_MS = 60_000;

/**
 * Why this read of a workload-identity token file is the container's own cloud SDK refreshing its credentials, or
 * undefined: the file lies in the directory the platform's webhook mounts for it and the container declares the
 * variable the webhook sets with it (snapshots keep neither env values nor the mounts of projected volumes), the reading process is the container's own program (its command, or the program its
 * wrapper command runs from the args), and no kubectl exec or debug session was open in the pod. A shell, cat or curl
 * reading the same file is never this.
 */
export function declaredIdentityTokenRead(ctx: RuleContext): string | undefined {
  const { alert, correlation, index } = ctx;
  const { pod, container } = correlation.subject;
  const file = alert.file?.path;
  if (!pod || !container || !file) return undefined;
  const spec = container.spec;
  const declared = WORKLOAD_IDENTITY_TOKEN_FILES.find(
    (t) => file.startsWith(`${t.dir}/`) && (spec.env ?? []).some((e) => e?.name === t.env),
  );
  if (!declared) return undefined;
  const p = alert.process;
  const args = spec.args ?? [];
  const own = runsContainerCommand(p, spec) || (!!spec.command?.length && args.length > 0 && commandMatches(p.commandLine, args));
  if (!own) return undefined;
  const open = index.execSessionsForPod(pod.metadata.namespace ?? '', pod.metadata.name).some((s) => s.kind !== 'portforward' && timeBetween(alert.time, s.start, s.end, SESSION_SKEW_MS));
  if (open) return undefined;
  return `${describePod(index, pod)}, container ${spec.name}, declares ${declared.env}, which its platform sets with a token volume at ${declared.dir}: ${file} is its ${declared.name}, read by the container's own program (${p.name ?? p.path}) to refresh its cloud credentials`;
}
