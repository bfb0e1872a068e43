/**
 * A pod's privileges explain its behaviour only when the pod is what it claims to be. A naked pod (no controller) with
 * host access — privileged, host PID or IPC, the host's filesystem — that a service account's token created, when the
 * same service account's other pod creations in the audit log all lack that access, is a pod planted outside the
 * identity's role (a stolen token creating an escape pod): everything it does is suspect, its privileged start included.
 * A service account with no other pod creation but other requests in the log (a pipeline token that patches
 * Deployments) has a client it works with: the same naked host-access pod created with a client none of its other
 * requests used is a stolen token at work, not the pipeline.
 * Likewise, whoever created it, a naked pod with host access whose creator had a pod asking for host access refused
 * shortly before (admission policy: Pod Security, GKE Autopilot's Warden, Kyverno, Gatekeeper) is that identity
 * getting around the policy — through an exemption, an allowlisted image, another namespace.
 */
import type { AuditActivity, ClusterIndex } from '../../cluster/model.js';
import type { Evidence, Rule } from '../model.js';
import { podCreationBefore } from '../audit-pods.js';
import { isServiceAccount } from '../identity.js';
import { BUILT_IN_CONTROLLERS, describePod, malicious } from './support.js';

/** Host paths that hand over the node (its root, runtime sockets, kubelet state, /etc, /proc, devices). */
export const SENSITIVE_HOST_PATH = /^\/(?:$|etc(?:\/|$)|proc(?:\/|$)|root(?:\/|$)|dev(?:\/|$)|var\/lib\/kubelet(?:\/|$)|var\/run(?:\/|$)|run(?:\/|$)|var\/lib\/(?:docker|containerd)(?:\/|$)|home(?:\/|$))/;

type PodSpecSummary = NonNullable<AuditActivity['podSpec']>;

/** The host access a created pod asked for, as sentence fragments; empty for an ordinary pod. */
export function hostAccessOf(spec: PodSpecSummary): string[] {
  const out: string[] = [];
  if (spec.privileged) out.push('privileged');
  if (spec.hostPID) out.push('hostPID');
  if (spec.hostIPC) out.push('hostIPC');
  const sensitive = (spec.hostPaths ?? []).filter((p) => SENSITIVE_HOST_PATH.test(p));
  if (sensitive.length) out.push(`host ${sensitive.join(', ')}`);
  // Host network alone is how many agents run; it only adds to the picture.
  if (out.length && spec.hostNetwork) out.push('hostNetwork');
  return out;
}

/** Successful pod creations with a spec summary, by the identity that made them; built once per index. */
const creationsByUser = new WeakMap<ClusterIndex, Map<string, AuditActivity[]>>();
/** Refused pod creations that asked for host access, by the identity that made them; built once per index. */
const refusedHostAccessByUser = new WeakMap<ClusterIndex, Map<string, AuditActivity[]>>();
/** How long before a creation a refused attempt still tells how it came about. */
const REFUSAL_WINDOW_MS = 60 * 60_000;

function refusedHostAccessOf(index: ClusterIndex, user: string): readonly AuditActivity[] {
  let byUser = refusedHostAccessByUser.get(index);
  if (!byUser) {
    byUser = new Map();
    for (const a of index.auditActivities) {
      if (a.resource !== 'pods' || a.subresource || a.verb !== 'create' || !a.podSpec || a.code === undefined || a.code < 400) continue;
      if (hostAccessOf(a.podSpec).length === 0) continue;
      const list = byUser.get(a.user);
      if (list) list.push(a);
      else byUser.set(a.user, [a]);
    }
    refusedHostAccessByUser.set(index, byUser);
  }
  return byUser.get(user) ?? [];
}

/** The latest refused host-access pod creation of `created`'s identity in the hour before it, if any. */
function refusalBefore(index: ClusterIndex, created: AuditActivity): AuditActivity | undefined {
  const at = Date.parse(created.time);
  let latest: AuditActivity | undefined;
  for (const r of refusedHostAccessOf(index, created.user)) {
    const t = Date.parse(r.time);
    if (!(t <= at && at - t <= REFUSAL_WINDOW_MS)) continue;
    if (!latest || t > Date.parse(latest.time)) latest = r;
  }
  return latest;
}

/** The user agents of each identity's requests other than pod creations; built once per index. */
const otherAgentsByUser = new WeakMap<ClusterIndex, Map<string, { requests: number; agents: Set<string> }>>();

function otherAgentsOf(index: ClusterIndex, user: string): { requests: number; agents: Set<string> } | undefined {
  let byUser = otherAgentsByUser.get(index);
  if (!byUser) {
    byUser = new Map();
    for (const a of index.auditActivities) {
      if (a.resource === 'pods' && !a.subresource && a.verb === 'create') continue;
      let entry = byUser.get(a.user);
      if (!entry) byUser.set(a.user, (entry = { requests: 0, agents: new Set() }));
      entry.requests++;
      if (a.userAgent) entry.agents.add(a.userAgent);
    }
    otherAgentsByUser.set(index, byUser);
  }
  return byUser.get(user);
}

/**
 * Why a service account's lone host-access pod creation is outside its role, or undefined: it used a client none of
 * its other recorded requests used. (Where the token was used from is no sign alone: pipelines outside the cluster
 * hold service-account tokens too.)
 */
function outsideRole(index: ClusterIndex, created: AuditActivity): string | undefined {
  const usual = otherAgentsOf(index, created.user);
  if (!usual || !created.userAgent || usual.agents.size === 0 || usual.agents.has(created.userAgent)) return undefined;
  return `its ${usual.requests} other request${usual.requests === 1 ? '' : 's'} used ${[...usual.agents].sort().join(', ')}, never this client`;
}

function podCreationsOf(index: ClusterIndex, user: string): readonly AuditActivity[] {
  let byUser = creationsByUser.get(index);
  if (!byUser) {
    byUser = new Map();
    for (const a of index.auditActivities) {
      if (a.resource !== 'pods' || a.subresource || a.verb !== 'create' || !a.podSpec || (a.code !== undefined && a.code >= 300)) continue;
      const list = byUser.get(a.user);
      if (list) list.push(a);
      else byUser.set(a.user, [a]);
    }
    creationsByUser.set(index, byUser);
  }
  return byUser.get(user) ?? [];
}

export const plantedPod: Rule = {
  id: 'planted-pod',
  family: 'attack-indicators',
  direction: 'malicious',
  description: "A naked pod with host access created by a service account whose other pod creations never ask for it, or by an identity whose host-access pod admission had just refused",
  evaluate(ctx): Evidence[] {
    const { correlation, index, alert } = ctx;
    const pod = correlation.subject.pod;
    // Controlled: by a built-in controller, or mirrored from its node. An owner reference to a custom resource's kind is
    // whatever the pod's creator wrote (support: BUILT_IN_CONTROLLERS), as in the creation request itself.
    const controlled = (kind: string | undefined) => kind === 'Node' || (!!kind && BUILT_IN_CONTROLLERS.has(kind));
    if (!pod || index.auditActivities.length === 0 || (pod.metadata.ownerReferences ?? []).some((o) => controlled(o.kind))) return [];
    const created = podCreationBefore(index, pod.metadata.namespace ?? '', pod.metadata.name, alert.time ?? pod.metadata.creationTimestamp ?? '');
    if (!created?.podSpec || controlled(created.podSpec.owner)) return [];
    const access = hostAccessOf(created.podSpec);
    if (access.length === 0) return [];
    const via = [created.sourceIps.length ? `from ${created.sourceIps.join(', ')}` : '', created.userAgent ? `with ${created.userAgent}` : ''].filter(Boolean).join(' ');
    const refused = refusalBefore(index, created);
    if (refused) {
      return [
        malicious(
          this.id,
          'strong',
          `${describePod(index, pod)} is a naked pod with ${access.join(', ')}, created at ${created.time} by ${created.user}${via ? ` ${via}` : ''}; at ${refused.time} the same identity's pod ${refused.namespace ?? ''}/${refused.name ?? ''} asking for ${hostAccessOf(refused.podSpec!).join(', ')} was refused (HTTP ${refused.code}). Host access obtained right after the policy said no is a way around it: its privileges explain nothing.`,
          { pod: pod.metadata.name, user: created.user, refusedAt: refused.time },
        ),
      ];
    }
    if (!isServiceAccount(created.user)) return [];
    const others = podCreationsOf(index, created.user).filter((a) => a !== created && !(a.namespace === created.namespace && a.name === created.name));
    if (others.length === 0) {
      // No baseline of pod creations: what else the log shows of the identity is the baseline.
      const why = outsideRole(index, created);
      if (!why) return [];
      return [
        malicious(
          this.id,
          'strong',
          `${describePod(index, pod)} is a naked pod with ${access.join(', ')}, created at ${created.time} by ${created.user}${via ? ` ${via}` : ''}; that service account creates no other pod in the audit log, and ${why}. A privileged pod outside the identity's role: its privileges explain nothing.`,
          { pod: pod.metadata.name, user: created.user },
        ),
      ];
    }
    // An identity that creates such pods as its job (a CI executor's privileged builds) is judged by its other rules.
    if (others.some((a) => hostAccessOf(a.podSpec!).length > 0)) return [];
    return [
      malicious(
        this.id,
        'strong',
        `${describePod(index, pod)} is a naked pod with ${access.join(', ')}, created at ${created.time} by ${created.user}${via ? ` ${via}` : ''}; that service account's ${others.length} other pod creation${others.length === 1 ? '' : 's'} in the audit log never asked for host access. A privileged pod outside the identity's role: its privileges explain nothing.`,
        { pod: pod.metadata.name, user: created.user },
      ),
    ];
  },
};
