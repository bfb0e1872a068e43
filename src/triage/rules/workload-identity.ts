/**
 * Cloud workload identities served on the node. GKE Workload Identity: on a node running gke-metadata-server, a pod's
 * requests to 169.254.169.254 are answered by that DaemonSet with a token of the Google service account its Kubernetes
 * service account is bound to. EKS Pod Identity: a pod with an association gets AWS_CONTAINER_CREDENTIALS_FULL_URI and
 * a projected token (audience pods.eks.amazonaws.com), and its AWS SDK asks the eks-pod-identity-agent on
 * 169.254.170.23 for credentials with that token. A client library doing so is how every such workload reaches its
 * cloud — not a theft of the node's credentials. Only a network sensor's view is judged here (no process, or a process
 * that is the container's own entrypoint): curl, wget or a shell fetching the token, a host-network pod (which reaches
 * the real metadata server and the node's identity), a pod without the association, or a node without the agent stay
 * with the attack indicator (or unexplained).
 */
import { AWS_SDK_USER_AGENTS, GOOGLE_CLIENT_USER_AGENTS, POD_IDENTITY_ADDRESSES, POD_IDENTITY_AUDIENCE, WORKLOAD_IDENTITY_TOKEN_FILES } from '../../knowledge/cloud-endpoints.js';
import type { Pod } from '../../cluster/model.js';
import type { Evidence, Rule, RuleContext } from '../model.js';
import { commandMatches, entrypointMatches } from '../correlate.js';
import { benign, componentPodsOnNode, describePod, isStagingPath, sessionOpenIn } from './support.js';

const METADATA_ADDRESSES = new Set(['169.254.169.254']);
const METADATA_HOST = /^(?:169\.254\.169\.254|metadata\.google\.internal|metadata)$/i;
const TOKEN_PATH = /^\/computeMetadata\/v1\/instance\/service-accounts\/[^/?\s]+\/(?:token|identity|email)(?:[?]|$)/;
const POD_IDENTITY_PATH = /^\/v1\/credentials(?:[?]|$)/;

/** The alert names no process, or the container's own entrypoint (not a tool typed into it). */
function entrypointOrNoProcess(ctx: RuleContext): boolean {
  const p = ctx.alert.process;
  if (!p.name && !p.commandLine && !p.path) return true;
  const container = ctx.correlation.subject.container;
  return !!container && !!p.commandLine && entrypointMatches(p.commandLine, container.spec);
}

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
  if (!entrypointOrNoProcess(ctx)) return undefined;
  const node = index.nodeOfPod(pod);
  const server = componentPodsOnNode(index, node, (c) => c.id === 'gke-metadata-server').find(({ match }) => match.strength === 'strong');
  if (!server || !node) return undefined;
  return `${describePod(index, pod)} asks the metadata server for its token with ${ua}, a Google client library; on ${node.metadata.name} such requests are answered by ${describePod(index, server.pod)} (Workload Identity), which hands out the token of the Google service account bound to the pod's own Kubernetes service account`;
}

/**
 * The pod carries what EKS injects for a Pod Identity association: the credential URI variable, and the token file
 * variable or the projected token itself (loaded snapshots keep variable names, not values, and drop projected volumes).
 */
function hasPodIdentityAssociation(pod: Pod): boolean {
  const names = new Set(pod.spec.containers.flatMap((c) => (c.env ?? []).map((e) => e.name)));
  if (!names.has('AWS_CONTAINER_CREDENTIALS_FULL_URI')) return false;
  if (names.has('AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE')) return true;
  return !!pod.spec.volumes?.some((v) => {
    const sources = (v.projected as { sources?: { serviceAccountToken?: { audience?: string } }[] } | undefined)?.sources;
    return !!sources?.some((s) => s.serviceAccountToken?.audience === POD_IDENTITY_AUDIENCE);
  });
}

/** Why this request to the EKS Pod Identity endpoint is the pod's own AWS SDK fetching its credentials, or undefined. */
export function podIdentityCredentialFetch(ctx: RuleContext): string | undefined {
  const { alert, correlation, index } = ctx;
  const n = alert.network;
  const pod = correlation.subject.pod;
  if (!n || !pod || pod.spec.hostNetwork || !n.url || !n.userAgent || !n.dstIp || !POD_IDENTITY_ADDRESSES.has(n.dstIp)) return undefined;
  if (!POD_IDENTITY_PATH.test(n.url) || !hasPodIdentityAssociation(pod)) return undefined;
  const ua = n.userAgent;
  if (!AWS_SDK_USER_AGENTS.some((re) => re.test(ua)) || !entrypointOrNoProcess(ctx)) return undefined;
  const node = index.nodeOfPod(pod);
  const agent = componentPodsOnNode(index, node, (c) => c.id === 'eks-pod-identity-agent').find(({ match }) => match.strength === 'strong');
  if (!agent || !node) return undefined;
  return `${describePod(index, pod)} has an EKS Pod Identity association (AWS_CONTAINER_CREDENTIALS_FULL_URI and its token for ${POD_IDENTITY_AUDIENCE} in the pod spec) and its AWS SDK (${ua.split(' ')[0]}) asks ${describePod(index, agent.pod)} on ${node.metadata.name} for the credentials of that association`;
}

export const workloadIdentity: Rule = {
  id: 'workload-identity',
  family: 'workload-baseline',
  direction: 'benign',
  description: "A pod's cloud client library fetching its workload identity's credentials from the node's agent (GKE Workload Identity, EKS Pod Identity), or reading the IRSA / Pod Identity / Azure token file its platform mounted",
  evaluate(ctx): Evidence[] {
    const why = workloadIdentityTokenFetch(ctx) ?? podIdentityCredentialFetch(ctx);
    if (why) return [benign(this.id, 'workload-baseline', 'medium', `${why}.`)];
    const read = declaredIdentityTokenRead(ctx);
    return read ? [benign(this.id, 'workload-baseline', 'strong', `${read}.`)] : [];
  },
};

/**
 * Why this read of a workload-identity token file is the container's own cloud SDK refreshing its credentials, or
 * undefined: the file lies in the directory the platform's webhook mounts for it and the container declares the
 * variable the webhook sets with it (snapshots keep neither env values nor the mounts of projected volumes), the
 * reading process is the container's own program (its whole command line, or the program its wrapper command runs
 * from the args — another script under the same interpreter is not), and no kubectl exec or debug session was open
 * in the pod. A shell, cat or curl reading the same file is never this.
 */
export function declaredIdentityTokenRead(ctx: RuleContext): string | undefined {
  const { alert, correlation, index } = ctx;
  const { pod, container } = correlation.subject;
  const file = alert.file?.path;
  if (!pod && correlation.subject.node && file) return hostIdentityTokenRead(ctx, file);
  if (!pod || !container || !file) return undefined;
  const spec = container.spec;
  const declared = WORKLOAD_IDENTITY_TOKEN_FILES.find(
    (t) => file.startsWith(`${t.dir}/`) && (spec.env ?? []).some((e) => e?.name === t.env),
  );
  if (!declared) return undefined;
  const p = alert.process;
  const args = spec.args ?? [];
  // The container's whole command, not merely its interpreter: `python /other/script.py` in a `python /app/main.py`
  // container is another program.
  const own = entrypointMatches(p.commandLine, spec) || (!!spec.command?.length && args.length > 0 && commandMatches(p.commandLine, args));
  if (!own) return undefined;
  const open = sessionOpenIn(index, pod, alert.time);
  if (open) return undefined;
  return `${describePod(index, pod)}, container ${spec.name}, declares ${declared.env}, which its platform sets with a token volume at ${declared.dir}: ${file} is its ${declared.name}, read by the container's own program (${p.name ?? p.path}) to refresh its cloud credentials`;
}

/** The executable's own name: the last part of its path, else the (possibly truncated) process name. */
function programName(p: RuleContext['alert']['process']): string | undefined {
  return p.path?.split('/').pop() || p.name || undefined;
}

/**
 * A host sensor (auditd) saw the read on the node without container context: the reader is the program of a container
 * on that node that declares this token's variable — the executable is named as the container or as its command, runs
 * as the container's user when both say, not from a temporary or hidden directory and not from a login or a terminal —
 * and no kubectl exec or debug session was open in that pod (replicas of one workload on the node are all that story).
 */
function hostIdentityTokenRead(ctx: RuleContext, file: string): string | undefined {
  const { alert, correlation, index } = ctx;
  const node = correlation.subject.node!;
  const p = alert.process;
  const program = programName(p);
  if (!program || (p.path && isStagingPath(p.path)) || p.tty || (p.loginUid && p.loginUid !== '-1' && p.loginUid !== '4294967295')) return undefined;
  const declared = WORKLOAD_IDENTITY_TOKEN_FILES.find((t) => file.startsWith(`${t.dir}/`));
  if (!declared) return undefined;
  const readers: { pod: Pod; name: string }[] = [];
  for (const candidate of index.podsOnNode(node.metadata.name)) {
    if (candidate.status?.phase === 'Succeeded' || candidate.status?.phase === 'Failed') continue;
    for (const spec of candidate.spec.containers) {
      if (!(spec.env ?? []).some((e) => e?.name === declared.env)) continue;
      const command = spec.command?.[0]?.split('/').pop();
      if (spec.name !== program && command !== program) continue;
      const runAs = spec.securityContext?.runAsUser ?? candidate.spec.securityContext?.runAsUser;
      if (runAs !== undefined && p.uid !== undefined && String(runAs) !== p.uid) continue;
      readers.push({ pod: candidate, name: spec.name });
    }
  }
  if (readers.length === 0) return undefined;
  const open = readers.some(({ pod: r }) => sessionOpenIn(index, r, alert.time));
  if (open) return undefined;
  const { pod, name } = readers[0];
  return `${describePod(index, pod)} runs on ${node.metadata.name}; its container ${name} declares ${declared.env}, which its platform sets with a token volume at ${declared.dir}, and ${p.path ?? program} (UID ${p.uid ?? 'unknown'}) is that container's program: ${file} is its ${declared.name}, read to refresh its cloud credentials`;
}
