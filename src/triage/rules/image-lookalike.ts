/**
 * image-lookalike: a naked pod with host access (privileged, host PID or IPC, the node's filesystem) that runs an image
 * named like one the cluster's own controllers run — the same image name from another repository
 * (`velero-io/velero` next to the `velero/velero` of DaemonSet velero/node-agent) — borrows the cluster's software's
 * name for a pod no controller owns. The controllers' pods pull their own repository (a registry mirror keeps its
 * path); an impostor repository under a trusted name is how an attacker makes an escape pod look like a backup
 * helper, so its privileges explain nothing. Official single-name images (`busybox`, `library/ubuntu`) are left out:
 * debugging pods use them under many repositories.
 */
import type { ClusterIndex, Pod } from '../../cluster/model.js';
import { imageRepository, isRepoOrPathSuffix } from '../../knowledge/components.js';
import type { Rule } from '../model.js';
import { SENSITIVE_HOST_PATH } from './planted-pod.js';
import { allContainerSpecs, BUILT_IN_CONTROLLERS, describePod, malicious } from './support.js';

interface OwnedImage {
  repo: string;
  /** One controller-owned pod that runs it, for the message. */
  example: Pod;
}

/** Repositories of controller-owned pods by image name (last path segment); built once per index. */
const cache = new WeakMap<ClusterIndex, Map<string, OwnedImage[]>>();

/** `docker.io/library/x` and `x` are the same official image; only repositories with an owner path take part. */
function ownedRepository(image: string | undefined): string | undefined {
  const repo = imageRepository(image).replace(/^library\//, '');
  return repo.includes('/') ? repo : undefined;
}

function lastSegment(repo: string): string {
  return repo.slice(repo.lastIndexOf('/') + 1);
}

function ownedImages(index: ClusterIndex): Map<string, OwnedImage[]> {
  const known = cache.get(index);
  if (known) return known;
  const byName = new Map<string, OwnedImage[]>();
  for (const pod of index.pods) {
    if (!(pod.metadata.ownerReferences ?? []).some((o) => BUILT_IN_CONTROLLERS.has(o.kind))) continue;
    for (const spec of allContainerSpecs(pod)) {
      const repo = ownedRepository(spec.image);
      if (!repo) continue;
      const list = byName.get(lastSegment(repo)) ?? [];
      if (!list.some((o) => o.repo === repo)) list.push({ repo, example: pod });
      byName.set(lastSegment(repo), list);
    }
  }
  cache.set(index, byName);
  return byName;
}

function hostAccess(pod: Pod): string[] {
  const out: string[] = [];
  if (allContainerSpecs(pod).some((c) => c.securityContext?.privileged)) out.push('privileged');
  if (pod.spec.hostPID) out.push('hostPID');
  if (pod.spec.hostIPC) out.push('hostIPC');
  const paths = (pod.spec.volumes ?? []).map((v) => v.hostPath?.path).filter((p): p is string => !!p && SENSITIVE_HOST_PATH.test(p));
  if (paths.length) out.push(`host ${paths.join(', ')}`);
  return out;
}

export const imageLookalike: Rule = {
  id: 'image-lookalike',
  family: 'attack-indicators',
  direction: 'malicious',
  description: "A naked pod with host access running an image named like one of the cluster's controller-owned images, from another repository",
  evaluate(ctx) {
    const pod = ctx.correlation.subject.pod;
    // Owned by a built-in controller or mirrored from its node's manifests: not naked. An owner reference to a custom
    // resource's kind is whatever the pod's creator wrote (support: BUILT_IN_CONTROLLERS).
    if (!pod || (pod.metadata.ownerReferences ?? []).some((o) => o.kind === 'Node' || BUILT_IN_CONTROLLERS.has(o.kind))) return [];
    const access = hostAccess(pod);
    if (access.length === 0) return [];
    const owned = ownedImages(ctx.index);
    for (const spec of allContainerSpecs(pod)) {
      const repo = ownedRepository(spec.image);
      if (!repo) continue;
      const same = owned.get(lastSegment(repo)) ?? [];
      // The cluster's own repository, or the same path through a mirror, is the real image.
      if (same.some((o) => isRepoOrPathSuffix(repo, o.repo) || isRepoOrPathSuffix(o.repo, repo))) continue;
      const imitated = same[0];
      if (!imitated) continue;
      const owner = imitated.example.metadata.ownerReferences![0];
      return [
        malicious(
          this.id,
          'strong',
          `${describePod(ctx.index, pod)} is a naked pod with ${access.join(', ')} running ${spec.image} (container ${spec.name}), named like ${imitated.repo}, which ${owner.kind} ${imitated.example.metadata.namespace ?? ''}/${owner.name} runs in this cluster, but from another repository (${repo}): a look-alike of the cluster's own software with the node in reach, so its privileges explain nothing.`,
          { pod: pod.metadata.name, image: spec.image ?? null, imitates: imitated.repo },
        ),
      ];
    }
    return [];
  },
};
