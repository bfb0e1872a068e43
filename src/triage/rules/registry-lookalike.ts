import type { AuditActivity, ClusterIndex, Pod } from '../../cluster/model.js';
import { WELL_KNOWN_REGISTRIES, registryHost, registrySkeleton } from '../../knowledge/registries.js';
import type { Rule } from '../model.js';
import { allContainerSpecs, describePod, malicious } from './support.js';

/**
 * A pod whose image comes from a registry host that imitates another — the cluster's own registry (`fra-ocir.io` for
 * `fra.ocir.io`) or a public one (`quay.i0`) — runs an image swapped to an impostor registry (a CronJob or Deployment
 * edited to pull from the look-alike). Whatever its spec says it runs, it is not the workload's image, so a benign
 * baseline (the same command as the last run) does not explain it. A pod gone from the snapshot (a CronJob's Job pod
 * past its history limit) is judged on the images the audit log recorded at its creation.
 */
export const registryLookalike: Rule = {
  id: 'registry-lookalike',
  family: 'attack-indicators',
  direction: 'malicious',
  description: "A pod running an image from a registry host that imitates the cluster's own or a well-known registry (same host but for a dot, dash or digit)",
  evaluate(ctx) {
    const pod = ctx.correlation.subject.pod;
    const registries = clusterRegistries(ctx.index);
    if (!pod) return gonePodImpostor(this.id, registries, ctx.correlation.gonePod);
    const container = ctx.correlation.subject.container?.spec;
    for (const spec of container ? [container] : allContainerSpecs(pod)) {
      const host = registryHost(spec.image);
      const imitated = host ? impostorOf(registries, host, podKey(pod)) : undefined;
      if (!host || !imitated) continue;
      const users = imitated.wellKnown ? 'a public registry' : `the registry ${imitated.pods.size} pod(s) of this cluster pull from`;
      return [
        malicious(
          this.id,
          'strong',
          `${describePod(ctx.index, pod)} runs ${spec.image} (container ${spec.name}) from ${host}, a look-alike of ${imitated.host}, ${users}: the image was swapped to an impostor registry, so this is not the workload's own software whatever its command says.`,
          { pod: pod.metadata.name, registry: host, imitates: imitated.host },
        ),
      ];
    }
    return [];
  },
};

/** The same test on a pod known only from its creation in the audit log: the images its spec named then. */
function gonePodImpostor(rule: string, registries: Registries, gone: AuditActivity | undefined) {
  if (!gone?.podSpec || !gone.name) return [];
  const key = `${gone.namespace ?? ''}/${gone.name}`;
  for (const image of gone.podSpec.images ?? []) {
    const host = registryHost(image);
    const imitated = host ? impostorOf(registries, host, key) : undefined;
    if (!host || !imitated) continue;
    const users = imitated.wellKnown ? 'a public registry' : `the registry ${imitated.pods.size} pod(s) of this cluster pull from`;
    return [
      malicious(
        rule,
        'strong',
        `${gone.namespace}/${gone.name}, gone from the snapshot (the audit log recorded its creation at ${gone.time} by ${gone.user}), ran ${image} from ${host}, a look-alike of ${imitated.host}, ${users}: the image was swapped to an impostor registry, so this is not the workload's own software whatever its command says.`,
        { pod: gone.name, registry: host, imitates: imitated.host },
      ),
    ];
  }
  return [];
}

/**
 * The registry `host` imitates, if it is an impostor: of two hosts with one skeleton, the impostor is the rarer one —
 * never a well-known registry, and used by fewer pods (a host no live pod uses counts as used by none).
 */
function impostorOf(registries: Registries, host: string, key: string): KnownRegistry | undefined {
  const own = registries.byHost.get(host);
  if (own?.wellKnown) return undefined;
  const ownPods = own?.pods.size ?? 0;
  return registries.bySkeleton
    .get(registrySkeleton(host))
    ?.find((known) => known.host !== host && (known.wellKnown || (hasOtherPod(known.pods, key) && known.pods.size > ownPods)));
}

interface KnownRegistry {
  host: string;
  wellKnown: boolean;
  /** UIDs of the pods whose containers pull from it. */
  pods: Set<string>;
}

interface Registries {
  byHost: Map<string, KnownRegistry>;
  bySkeleton: Map<string, KnownRegistry[]>;
}

function podKey(pod: Pod): string {
  return pod.metadata.uid ?? `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
}

function hasOtherPod(pods: Set<string>, key: string): boolean {
  return pods.size > (pods.has(key) ? 1 : 0);
}

/** Every registry host the cluster's pods use, plus the well-known ones, by skeleton: built once per index. */
function clusterRegistries(index: ClusterIndex): Registries {
  const cached = cache.get(index);
  if (cached) return cached;
  const byHost = new Map<string, KnownRegistry>();
  const entry = (host: string, wellKnown: boolean): KnownRegistry => {
    let known = byHost.get(host);
    if (!known) byHost.set(host, (known = { host, wellKnown, pods: new Set() }));
    known.wellKnown ||= wellKnown;
    return known;
  };
  for (const host of WELL_KNOWN_REGISTRIES) entry(host, true);
  for (const pod of index.pods) {
    for (const spec of allContainerSpecs(pod)) {
      const host = registryHost(spec.image);
      if (host) entry(host, false).pods.add(podKey(pod));
    }
  }
  const bySkeleton = new Map<string, KnownRegistry[]>();
  for (const known of [...byHost.values()].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0))) {
    const skeleton = registrySkeleton(known.host);
    const list = bySkeleton.get(skeleton) ?? [];
    list.push(known);
    bySkeleton.set(skeleton, list);
  }
  const built = { byHost, bySkeleton };
  cache.set(index, built);
  return built;
}

const cache = new WeakMap<ClusterIndex, Registries>();
