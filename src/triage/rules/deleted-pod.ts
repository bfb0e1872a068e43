/**
 * deleted-pod: an alert names a pod the snapshot no longer holds, but the audit log recorded its creation with the
 * request body (Request-level policy): a finished Job's pod removed by `ttlSecondsAfterFinished` (upgrade jobs of the
 * system-upgrade-controller, CronJob runs), a replaced ReplicaSet pod. The spec as the API server received it says
 * what the snapshot would have said: its own command, its privileges and host mounts — and whether that spec is itself
 * an attack. Only close to the creation, on the node the pod was pinned to, and never for a pod the snapshot has.
 */
import { identityKind, serviceAccountOf, type IdentityKind } from '../../cluster/audit-identities.js';
import type { AuditActivity, ClusterIndex } from '../../cluster/model.js';
import { ATTACK_INDICATORS } from '../../knowledge/indicators.js';
import { examinedPart } from './indicator-match.js';
import { foldedForLiterals, indicatorMatches } from '../../knowledge/indicator-literals.js';
import { commandMatches, entrypointMatches } from '../correlate.js';
import type { Evidence, Rule } from '../model.js';
import { componentOfGonePod } from './gone-component.js';
import { SPEC_INDICATORS } from './pod-spec-indicators.js';
import { benign, clip, malicious, pathsIn } from './support.js';

/** How long after its creation an alert can still be a deleted pod's: Jobs run minutes, and their TTL is short. */
const MAX_AGE_MS = 60 * 60_000;
/** The sensor's clock against the API server's. */
const SKEW_MS = 60_000;

/** Who creates controller-owned pods: the controller manager's controllers, operators' service accounts, cloud roles. */
const CONTROLLER_IDENTITIES: ReadonlySet<IdentityKind> = new Set(['system-service-account', 'service-account', 'control-plane', 'cloud-role']);

type PodSpecSummary = NonNullable<AuditActivity['podSpec']>;

/** Pod creations and deletions of the audit log by namespace/name, built once per index on first use. */
const lifecycleByIndex = new WeakMap<ClusterIndex, Map<string, AuditActivity[]>>();
export function podLifecycle(index: ClusterIndex, namespace: string, name: string): readonly AuditActivity[] {
  let byPod = lifecycleByIndex.get(index);
  if (!byPod) {
    byPod = new Map();
    for (const a of index.auditActivities) {
      if (a.resource !== 'pods' || a.subresource || !a.namespace || !a.name || (a.verb !== 'create' && a.verb !== 'delete')) continue;
      const key = `${a.namespace}/${a.name}`;
      const list = byPod.get(key);
      if (list) list.push(a);
      else byPod.set(key, [a]);
    }
    lifecycleByIndex.set(index, byPod);
  }
  return byPod.get(`${namespace}/${name}`) ?? [];
}

/**
 * The controller-owned pod that created this naked pod: the creation's service-account token is bound to a pod of
 * that account in the created pod's namespace, which the snapshot holds under a controller, and the request came from
 * that pod's own address (or its node's, behind which its traffic to an API server outside the cluster networks is masqueraded). Anything else (a person, a token used from elsewhere) leaves the naked pod unexplained.
 */
function controllerCreator(index: ClusterIndex, created: AuditActivity): string | undefined {
  const sa = serviceAccountOf(created.user);
  if (!sa || !created.tokenBoundPod || sa.namespace !== created.namespace) return undefined;
  const client = index.podByName(sa.namespace, created.tokenBoundPod);
  if (!client || (client.spec.serviceAccountName ?? 'default') !== sa.name || !index.workloadOf(client)) return undefined;
  // A pod's own address — or its node's, when the API server sits outside the node and pod networks (controller-only
  // control planes, managed ones) and the CNI masquerades the pod's traffic to it behind the node address.
  const ips = client.spec.hostNetwork ? [client.status?.hostIP] : [client.status?.podIP, ...(client.status?.podIPs ?? []).map((p) => p.ip), client.status?.hostIP];
  if (!created.sourceIps.some((ip) => ips.includes(ip))) return undefined;
  return `${client.metadata.namespace}/${client.metadata.name}`;
}

/** The last accepted creation of this pod before the alert, and whether the audit log also shows it deleted by then. */
function creationOf(activities: readonly AuditActivity[], time: number): { created: AuditActivity; deletedBefore: boolean } | undefined {
  let created: AuditActivity | undefined;
  let deletedAt: number | undefined;
  for (const a of activities) {
    if (a.code !== undefined && a.code >= 300) continue;
    const t = Date.parse(a.time);
    if (a.verb === 'create' && a.podSpec && t <= time + SKEW_MS && (!created || t >= Date.parse(created.time))) created = a;
    if (a.verb === 'delete' && t <= time - SKEW_MS) deletedAt = Math.max(deletedAt ?? -Infinity, t);
  }
  if (!created) return undefined;
  return { created, deletedBefore: deletedAt !== undefined && deletedAt >= Date.parse(created.time) };
}

function hostSettings(spec: PodSpecSummary): string[] {
  return [
    spec.privileged && 'privileged',
    spec.runAsRoot && 'runAsUser 0',
    spec.hostPID && 'hostPID',
    spec.hostNetwork && 'hostNetwork',
    spec.hostIPC && 'hostIPC',
    spec.hostMounts?.length && `hostPath ${spec.hostMounts.map((m) => `${m.hostPath} at ${m.mountPath}${m.readOnly ? ' (read-only)' : ''}`).join(', ')}`,
  ].filter((x): x is string => typeof x === 'string');
}

/**
 * A path the alert touched that lies in a writable host mount: any argument as the container sees it (/host/usr/…),
 * or the flagged file as a host sensor reports it (/usr/…, under the mounted host path).
 */
function throughHostMount(spec: PodSpecSummary, argumentPaths: string[], file: string | undefined): { path: string; mount: { mountPath: string; hostPath: string } } | undefined {
  const under = (p: string, dir: string) => dir === '/' || p === dir || p.startsWith(`${dir.replace(/\/$/, '')}/`);
  const writable = (spec.hostMounts ?? []).filter((m) => !m.readOnly);
  for (const path of [file, ...argumentPaths].filter((p): p is string => !!p && p.length > 4)) {
    const inContainer = writable.find((m) => m.mountPath !== '/' && under(path, m.mountPath));
    if (inContainer) return { path, mount: inContainer };
  }
  const onHost = file ? writable.find((m) => under(file, m.hostPath)) : undefined;
  return onHost ? { path: file!, mount: onHost } : undefined;
}

export const deletedPod: Rule = {
  id: 'deleted-pod',
  family: 'context',
  direction: 'both',
  description: "A pod gone from the snapshot whose creation the audit log recorded (a finished Job's pod removed by its TTL): its spec as created explains, or indicts, what its containers did",
  evaluate(ctx) {
    const { alert, correlation, index } = ctx;
    // The pod the alert names, or (for a node sensor's host process) the gone pod correlation placed it in.
    const named = !!(alert.container.namespace || alert.container.pod);
    const namespace = named ? alert.container.namespace : correlation.gonePod?.namespace;
    // A sensor that names the namespace and image but no pod: the one gone pod of that image correlation pinned it to.
    const gone = correlation.gonePod?.namespace === namespace ? correlation.gonePod?.name : undefined;
    const name = named ? (alert.container.pod ?? gone) : correlation.gonePod?.name;
    if (correlation.subject.pod || !namespace || !name || !alert.time || index.podByName(namespace, name)) return [];
    const time = Date.parse(alert.time);
    const found = creationOf(podLifecycle(index, namespace, name), time);
    if (!found || found.deletedBefore) return [];
    const { created } = found;
    const spec = created.podSpec!;
    const age = time - Date.parse(created.time);
    if (age < -SKEW_MS || age > MAX_AGE_MS) return [];
    const alertNode = correlation.subject.node?.metadata.name;
    if (spec.nodeName && alertNode && spec.nodeName !== alertNode) return [];

    // Owner references are part of the request body: a person who names a ReplicaSet in the pod they create has made a
    // naked pod (the garbage collector soon removes it), not a controller's. Controllers create their pods themselves.
    const claimedOwner = !!spec.owner && spec.owner !== 'none';
    const controllerMade = claimedOwner && CONTROLLER_IDENTITIES.has(identityKind(created.user, created.groups));
    const owner = claimedOwner ? `${spec.owner} ${namespace}/${spec.ownerName ?? '?'}${controllerMade ? '' : `, as claimed by ${created.user}`}` : `no controller`;
    const pod = `${namespace}/${name} (${owner}${spec.nodeName ? `, pinned to ${spec.nodeName}` : ''})`;
    const helperOf = claimedOwner ? undefined : controllerCreator(index, created);
    const origin = `created at ${created.time} by ${created.user}${helperOf ? ` from its pod ${helperOf}` : ''} (audit log) and no longer in the snapshot`;
    const out: Evidence[] = [];

    // A spec that downloads and runs, mines or enters the host indicts everything the pod does — unless the pod was a
    // confirmed node component's DaemonSet pod whose stock manifest does exactly that (Cilium's init containers nsenter
    // into PID 1), as pod-spec-indicators excuses for a live pod.
    let component: ReturnType<typeof componentOfGonePod> | null = null;
    const excused = (i: (typeof ATTACK_INDICATORS)[number]): boolean => {
      if (!i.excusedBy) return false;
      if (component === null) component = componentOfGonePod(index, created);
      return !!component && i.excusedBy(component.match.component);
    };
    for (const argv of spec.commands ?? []) {
      const text = examinedPart(argv.join(' '));
      const folded = foldedForLiterals(text);
      const hit = ATTACK_INDICATORS.find((i) => SPEC_INDICATORS.has(i.id) && indicatorMatches(i, text, folded) && !excused(i));
      if (hit) {
        out.push(malicious(this.id, 'strong', `The spec of ${pod}, ${origin}, itself runs ${hit.what} (${hit.technique}): ${clip(text, 160)}. Its own behaviour is not a baseline.`, { pod: name, indicator: hit.id }));
        return out;
      }
    }

    // A naked pod someone created and removed explains nothing by its spec; a controller's pod (a Job's) does, and so
    // does a helper pod a controller-owned pod created with its own token from its own address (a storage
    // provisioner's per-volume helper).
    if (!controllerMade && !helperOf) return out;

    // Its own command (or that command's child): the container doing what it was created to do.
    const cmd = alert.process.commandLine;
    const lineage = [cmd, ...alert.process.ancestors.slice(0, 2).map((a) => a.commandLine)];
    for (const argv of spec.commands ?? []) {
      const at = lineage.findIndex((c) => !!c && (commandMatches(c, argv) || entrypointMatches(c, { name: '', args: argv })));
      if (at === -1) continue;
      const role = at === 0 ? 'is' : at === 1 ? 'is a child of' : 'is a grandchild of';
      out.push(benign(this.id, 'workload-baseline', 'medium', `${clip(cmd ?? alert.process.name ?? 'The process', 100)} ${role} \`${clip(argv.join(' '), 80)}\`, a container command of ${pod}, ${origin}.`, { pod: name }));
      return out;
    }

    // Host files reached through the pod's own writable host mount, by a privileged or root container.
    const settings = hostSettings(spec);
    if (!(spec.privileged || spec.runAsRoot || spec.hostPID)) return out;
    // The arguments, not the program: /bin/cp is the container's own binary.
    const reached = throughHostMount(spec, pathsIn(cmd).slice(cmd && cmd.trimStart().startsWith('/') ? 1 : 0), alert.file?.path);
    if (reached) {
      out.push(
        benign(this.id, 'privileged-root', 'medium', `${reached.path} is reached through host ${reached.mount.hostPath} mounted at ${reached.mount.mountPath} in ${pod}, ${origin}, with ${settings.join(', ')}.`, {
          pod: name,
        }),
      );
    }
    return out;
  },
};
