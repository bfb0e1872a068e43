import type { ClusterIndex, Pod } from '../../cluster/model.js';
import { WELL_KNOWN_REGISTRIES, registryHost, registrySkeleton } from '../../knowledge/registries.js';
import type { Rule } from '../model.js';
import { allContainerSpecs, describePod, malicious } from './support.js';

/**
 * A pod whose image comes from a registry host that imitates another — the cluster's own registry (`fra-ocir.io` for
 * `fra.ocir.io`) or a public one (`quay.i0`) — runs an image swapped to an impostor registry (a CronJob or Deployment
 * edited to pull from the look-alike). Whatever its spec says it runs, it is not the workload's image, so a benign
 * baseline (the same command as the last run) does not explain it.
 */
export const registryLookalike: Rule = {
  id: 'registry-lookalike',
  family: 'attack-indicators',
  direction: 'malicious',
  description: "A pod running an image from a registry host that imitates the cluster's own or a well-known registry (same host but for a dot, dash or digit)",
  evaluate(ctx) {
    const pod = ctx.correlation.subject.pod;
    if (!pod) return [];
    const registries = clusterRegistries(ctx.index);
    const container = ctx.correlation.subject.container?.spec;
    for (const spec of container ? [container] : allContainerSpecs(pod)) {
      const host = registryHost(spec.image);
      if (!host) continue;
      const own = registries.byHost.get(host);
      // Of two hosts with one skeleton, the impostor is the rarer one: never a well-known registry, and used by fewer pods.
      if (!own || own.wellKnown) continue;
      const imitated = registries.bySkeleton
        .get(registrySkeleton(host))
        ?.find((known) => known.host !== host && (known.wellKnown || (hasOtherPod(known.pods, pod) && known.pods.size > own.pods.size)));
      if (!imitated) continue;
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

function hasOtherPod(pods: Set<string>, pod: Pod): boolean {
  return pods.size > (pods.has(podKey(pod)) ? 1 : 0);
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
