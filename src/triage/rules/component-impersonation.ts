import type { ClusterIndex, Pod } from '../../cluster/model.js';
import { imageMatches, imageRepository, knownComponents, type NodeComponent } from '../../knowledge/components.js';
import type { Rule } from '../model.js';
import { allContainerSpecs, BUILT_IN_CONTROLLERS, describePod, malicious } from './support.js';

/**
 * Node components always run from their controller (a DaemonSet, a Deployment, an operator's resource) or as static
 * pods. A pod that carries a component's workload name — `calico-node-x7k2p`, `kube-proxy-…` — but that no controller
 * owns is a look-alike: whoever created it borrowed the name so its privileges pass as the component's (DESIGN.md:
 * context, not names). Only pods no built-in controller owns are judged: an owner reference to a custom resource's kind
 * is written by whoever creates the pod, no snapshot holds the object, and the garbage collector leaves it be. A naked or static pod that presents itself as a component by its container's name or the
 * component's selector labels while running a look-alike image (named like the component's, from another repository)
 * is judged the same way (identityClaim).
 */
export const componentImpersonation: Rule = {
  id: 'component-impersonation',
  family: 'attack-indicators',
  direction: 'malicious',
  description:
    "A naked pod named like a node component's pods (and running its image or in its namespace), or a naked or static pod presenting itself as the component with a look-alike image: not the component",
  evaluate(ctx) {
    const pod = ctx.correlation.subject.pod;
    if (!pod) return [];
    const claim = impersonatedComponent(pod);
    if (!claim) return [];
    const { component, workload, image, namespace, lookalike } = claim;
    if (claim.identity) return [lookalikeEvidence(this.id, ctx.index, pod, claim, claim.identity)];
    const borrowed = [
      image && `its image (${image})`,
      lookalike && `an image named like its own (${lookalike}, from none of its repositories)`,
      namespace && `its namespace (${pod.metadata.namespace})`,
    ]
      .filter(Boolean)
      .join(' and ');
    return [
      malicious(
        this.id,
        'strong',
        `${describePod(ctx.index, pod)} is named like the pods of ${component.name} (workload ${workload}) and uses ${borrowed}, but no controller owns it${unverifiableOwners(pod)}: ${component.name} runs from its ${workload} controller${ownerSeen(ctx.index, workload)}, never as a naked pod. It is a look-alike, and whatever it runs is not the component's work.`,
        { pod: pod.metadata.name, component: component.id },
      ),
    ];
  },
};

/** ", only an owner reference to Installation calico-node, a custom resource's kind its creator could write" */
function unverifiableOwners(pod: Pod): string {
  const refs = (pod.metadata.ownerReferences ?? []).filter((o) => o.kind !== 'Node');
  return refs.length ? ` (only an owner reference to ${refs.map((o) => `${o.kind} ${o.name}`).join(', ')}, a custom resource's kind its creator could write)` : '';
}

interface Claim {
  component: NodeComponent;
  workload: string;
  image?: string;
  /** An image from another repository whose last path segment is one of the component's (`<anyone>/ztunnel`). */
  lookalike?: string;
  namespace: boolean;
  /** A naked or static pod that presents itself as the component by its container's name or its selector labels (not its pod name). */
  identity?: IdentityClaim;
}

interface IdentityClaim {
  /** `container cilium-agent`, `label k8s-app=cilium`. */
  by: string[];
  /** A static pod (mirror of a manifest on its node) rather than a naked one. */
  staticPod: boolean;
}

/** Literal workload names of the known components (patterns with '*' name no single workload). */
let byWorkloadName: Map<string, NodeComponent[]> | undefined;
function componentsNamed(name: string): NodeComponent[] | undefined {
  if (!byWorkloadName) {
    byWorkloadName = new Map();
    for (const c of knownComponents()) {
      for (const w of c.workloads) {
        if (w.includes('*')) continue;
        const list = byWorkloadName.get(w) ?? [];
        list.push(c);
        byWorkloadName.set(w, list);
      }
    }
  }
  return byWorkloadName.get(name);
}

/**
 * Names a controller gives its pods: `<daemonset>-<5>` and `<deployment>-<hash>-<5>`, drawn from the API server's
 * vowel-free alphabet (rand.String / SafeEncodeString), so `calico-node-debug` (kubectl debug --copy-to) is no claim.
 */
const GENERATED_SUFFIX = /-[bcdfghjklmnpqrstvwxz2456789]{5}$/;
const TEMPLATE_HASH = /-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/;

const claims = new WeakMap<Pod, Claim | null>();

/** The component a naked pod pretends to be, if it does (computed once per pod). */
export function impersonatedComponent(pod: Pod): Claim | null {
  const known = claims.get(pod);
  if (known !== undefined) return known;
  const claim = findClaim(pod);
  claims.set(pod, claim);
  return claim;
}

function findClaim(pod: Pod): Claim | null {
  const meta = pod.metadata;
  // Owned by a built-in controller (even one the snapshot lacks: a forged one is garbage-collected): not naked. An owner
  // of a custom resource's kind is unverifiable (no snapshot holds one) and claims nothing. A static pod's mirror is
  // owned by its Node.
  const owners = meta.ownerReferences ?? [];
  if (owners.some((o) => BUILT_IN_CONTROLLERS.has(o.kind))) return null;
  const staticPod = owners.some((o) => o.kind === 'Node') || !!meta.annotations?.['kubernetes.io/config.mirror'];
  const identity = identityClaim(pod, staticPod);
  if (identity || staticPod) return identity;
  const name = meta.name ?? '';
  if (!GENERATED_SUFFIX.test(name)) return null;
  const base = name.replace(GENERATED_SUFFIX, '');
  const candidates = [base, base.replace(TEMPLATE_HASH, '')];
  for (const workload of candidates) {
    for (const component of componentsNamed(workload) ?? []) {
      const image = allContainerSpecs(pod).find((c) => imageMatches(component, c.image))?.image;
      const namespace = component.namespaces.includes(meta.namespace ?? '');
      // The name alone could be a coincidence in an application namespace; the component's image or namespace too is a
      // claim, and so is an image named like its image from a repository the component does not publish to.
      const lookalike = image || namespace ? undefined : allContainerSpecs(pod).find((c) => lookalikeImage(component, c.image))?.image;
      if (image || namespace || lookalike) return { component, workload, image, namespace, lookalike };
    }
  }
  // A longer name built on a component's workload name (`ama-logs-node-7kq2d`, `kube-proxy-worker-x7k2p`): a claim only
  // with the component's image or an image named like it — the name prefix alone could be anyone's.
  const parts = base.split('-');
  for (let i = parts.length - 1; i >= 1; i--) {
    const workload = parts.slice(0, i).join('-');
    if (candidates.includes(workload)) continue;
    for (const component of componentsNamed(workload) ?? []) {
      const image = allContainerSpecs(pod).find((c) => imageMatches(component, c.image))?.image;
      const lookalike = image ? undefined : allContainerSpecs(pod).find((c) => lookalikeImage(component, c.image))?.image;
      if (image || lookalike) return { component, workload, image, namespace: component.namespaces.includes(meta.namespace ?? ''), lookalike };
    }
  }
  return null;
}

/**
 * A naked or static pod whose container runs an image named like a component's but from none of its repositories
 * (`ghcr.io/someone/cilium`), and that presents itself as that component: a container named like the component's
 * daemon or workload, or a label value that is the component's workload name (`k8s-app: cilium`, which the
 * component's own Services select). The component itself never runs that way; a registry mirror serves its
 * controller's pods, which are owned.
 */
function identityClaim(pod: Pod, staticPod: boolean): Claim | null {
  for (const c of allContainerSpecs(pod)) {
    for (const component of componentsClaimingImage(c.image)) {
      if (imageMatches(component, c.image)) continue;
      const names = new Set([...component.daemons, ...component.workloads.filter((w) => !w.includes('*'))].filter(isSpecificName));
      const by: string[] = [];
      if (names.has(c.name)) by.push(`container ${c.name}`);
      for (const [key, value] of Object.entries(pod.metadata.labels ?? {})) if (names.has(value)) by.push(`label ${key}=${value}`);
      if (!by.length) continue;
      const workload = component.workloads.find((w) => !w.includes('*')) ?? component.id;
      return { component, workload, lookalike: c.image, namespace: component.namespaces.includes(pod.metadata.namespace ?? ''), identity: { by, staticPod } };
    }
  }
  return null;
}

/** Names that say which component they are (`cilium-agent`, `calico-node`), not generic ones a daemon list also holds (`agent`, `java`). */
function isSpecificName(name: string): boolean {
  return name.includes('-') || name.length >= 6;
}

/** Components one of whose images has the same last path segment as this image (looked up by that segment). */
let byImageSegment: Map<string, NodeComponent[]> | undefined;
function componentsClaimingImage(image: string | undefined): NodeComponent[] {
  const repo = imageRepository(image);
  if (!repo) return [];
  if (!byImageSegment) {
    byImageSegment = new Map();
    for (const component of knownComponents()) {
      for (const suffix of component.images) {
        const last = suffix.slice(suffix.lastIndexOf('/') + 1);
        const list = byImageSegment.get(last) ?? [];
        if (!list.includes(component)) list.push(component);
        byImageSegment.set(last, list);
      }
    }
  }
  return byImageSegment.get(repo.slice(repo.lastIndexOf('/') + 1)) ?? [];
}

function lookalikeEvidence(rule: string, index: ClusterIndex, pod: Pod, claim: Claim, identity: IdentityClaim) {
  const { component, workload, lookalike } = claim;
  const kind = identity.staticPod ? `a static pod (the mirror of a manifest on ${pod.spec.nodeName ?? 'its node'})` : 'a naked pod';
  return malicious(
    rule,
    'strong',
    `${describePod(index, pod)} presents itself as ${component.name} (${identity.by.join(', ')}) but runs ${lookalike}, an image named like the component's from none of its repositories, and is ${kind}: ${component.name} runs from its ${workload} controller${ownerSeen(index, workload)} with its own images. It is a look-alike, and whatever it runs is not the component's work.`,
    { pod: pod.metadata.name, component: component.id, image: lookalike ?? null },
  );
}

/** The image's last path segment (`ghcr.io/someone/ztunnel:1.24` → ztunnel) is the last segment of one of the component's images. */
function lookalikeImage(component: NodeComponent, image: string | undefined): boolean {
  const repo = imageRepository(image);
  if (!repo) return false;
  const last = repo.slice(repo.lastIndexOf('/') + 1);
  return component.images.some((suffix) => suffix.slice(suffix.lastIndexOf('/') + 1) === last);
}

/** Where the real controller runs, when the snapshot has it (asked only for a look-alike, which is rare). */
function ownerSeen(index: ClusterIndex, workload: string): string {
  const real = [...index.list('daemonsets'), ...index.list('deployments')].find((w) => w.metadata.name === workload && !!w.metadata.namespace);
  return real ? ` (${real.kind} ${real.metadata.namespace}/${workload} in this cluster)` : '';
}
