/**
 * gitops-render: a GitOps repository server's fetch-and-render chain (git and its remote helpers, helm, kustomize
 * under the server's daemon) and Argo CD answering git's credential prompt with its own binary (GIT_ASKPASS). EDRs flag
 * the askpass call as credential harvesting and git/helm runs as downloads. Only in a container of that server's image,
 * only for its own tools started by its daemon or by one another, and only while the pod ran; anything else in that pod
 * (a shell, a download piped into one) is not explained here.
 */
import type { Alert, ProcessInfo } from '../../alerts/model.js';
import type { ContainerSpec, ClusterIndex, Node, Pod } from '../../cluster/model.js';
import { GITOPS_SERVERS, SOURCE_HOSTS, SOURCE_PORTS, SSH_FORWARDING, TRANSPORTS, type GitopsServer } from '../../knowledge/gitops.js';
import { imageRepository } from '../../knowledge/components.js';
import type { Rule, RuleContext } from '../model.js';
import { benign, clip, describePod, executableNames, podIsLive } from './support.js';

function serverOfImage(image: string | undefined): GitopsServer | undefined {
  const repo = imageRepository(image);
  return repo ? GITOPS_SERVERS.find((s) => s.images.some((suffix) => repo === suffix || repo.endsWith(`/${suffix}`))) : undefined;
}

function named(p: ProcessInfo | undefined, names: readonly string[]): boolean {
  return !!p && executableNames(p).some((n) => names.includes(n));
}

/** The programs that call a credential helper. */
const GIT = ['git', 'git-remote-http', 'git-remote-https'];

/**
 * What the process is for the server: its askpass answer, or one of its tools started by its daemon or another tool.
 * git's transport (ssh) only under git, and never forwarding ports; with no container named, the daemon must be the
 * server's own, not an entrypoint shim every image may use.
 */
function ownWork(alert: Alert, server: GitopsServer, containerNamed: boolean): 'askpass' | 'tool' | undefined {
  const p = alert.process;
  const parent = p.ancestors[0];
  if (server.askpass && p.commandLine && server.askpass.test(p.commandLine) && named(parent, GIT)) return 'askpass';
  if (!named(p, server.tools) || !parent) return undefined;
  const transport = executableNames(p).map((n) => TRANSPORTS[n]).find((starters) => !!starters);
  if (transport && (!named(parent, transport) || SSH_FORWARDING.test(p.commandLine ?? ''))) return undefined;
  const daemons = containerNamed ? server.daemons : server.daemons.filter((d) => !server.genericDaemons?.includes(d));
  return named(parent, daemons) || named(parent, server.tools) ? 'tool' : undefined;
}
/** The repo-server container the alert came from, or — for a node sensor without container ids — the one on its node. */
function serverContainer(index: ClusterIndex, pod: Pod | undefined, spec: ContainerSpec | undefined, node: Node | undefined, time: string | undefined): { pod: Pod; spec: ContainerSpec; server: GitopsServer } | undefined {
  if (pod) {
    const specs = spec ? [spec] : pod.spec.containers;
    for (const s of specs) {
      const server = serverOfImage(s.image);
      if (server) return { pod, spec: s, server };
    }
    return undefined;
  }
  if (!node) return undefined;
  const at = time ? Date.parse(time) : NaN;
  for (const p of index.podsOnNode(node.metadata.name)) {
    const created = p.metadata.creationTimestamp ? Date.parse(p.metadata.creationTimestamp) : NaN;
    if (!podIsLive(p) || !(created <= at)) continue;
    for (const s of p.spec.containers) {
      const server = serverOfImage(s.image);
      if (server) return { pod: p, spec: s, server };
    }
  }
  return undefined;
}

/**
 * A repository server's lookup of or connection to a public source host (a domain, no URL path), from its own pod:
 * fetching repositories and charts is what it is for. Exported for the threat-intel excuse (attack-indicators).
 */
export function sourceHostFetch(ctx: RuleContext): string | undefined {
  const n = ctx.alert.network;
  const { pod, node } = ctx.correlation.subject;
  const domain = n?.domain?.toLowerCase().replace(/\.$/, '');
  if (!domain || n?.url || !SOURCE_HOSTS.some((h) => h.test(domain))) return undefined;
  if (pod) {
    const found = serverContainer(ctx.index, pod, undefined, undefined, undefined);
    return found ? `${describePod(ctx.index, pod)} is the ${found.server.name}, which fetches repositories and charts from ${domain}` : undefined;
  }
  // A flow from a node's own address to the source host, on a git or HTTPS port: pod egress leaves the cluster SNATed
  // to its node (Azure CNI Overlay, masquerading CNIs), so a network sensor outside the node sees the node, not the pod.
  const peer = ctx.correlation.peer;
  if (!node || peer?.pod || peer?.node || n?.dstPort === undefined || !SOURCE_PORTS.has(n.dstPort)) return undefined;
  const found = serverContainer(ctx.index, undefined, undefined, node, ctx.alert.time ?? undefined);
  return found
    ? `${describePod(ctx.index, found.pod)}, the ${found.server.name}, runs on ${node.metadata.name}, whose address its traffic to ${domain} (port ${n.dstPort}) leaves the cluster with; it fetches (and pushes) repositories and charts there`
    : undefined;
}

export const gitopsRender: Rule = {
  id: 'gitops-render',
  family: 'workload-baseline',
  direction: 'benign',
  description: "A GitOps repository server's own fetch-and-render chain (git, helm, kustomize) and Argo CD's git askpass answer",
  evaluate(ctx) {
    const { alert, index, correlation } = ctx;
    const { pod, container, node } = correlation.subject;
    const fetch = sourceHostFetch(ctx);
    if (fetch) return [benign(this.id, 'workload-baseline', 'medium', `${fetch}: a lookup of or connection to a public source host, not a listed file.`, pod ? { pod: pod.metadata.name } : undefined)];
    // The process facts first (cheap); only then look for the server's pod, on the node when the sensor gave no container.
    if (!GITOPS_SERVERS.some((s) => ownWork(alert, s, !!pod))) return [];
    const found = serverContainer(index, pod, container?.spec, node, alert.time ?? undefined);
    if (!found) return [];
    const work = ownWork(alert, found.server, !!pod);
    if (!work) return [];
    const what = clip(alert.process.commandLine ?? alert.process.name ?? 'the process', 100);
    const where = `${describePod(index, found.pod)}, container ${found.spec.name} (${found.spec.image})`;
    const onNode = pod ? '' : `, the ${found.server.name} on ${node!.metadata.name} (the sensor gave no container)`;
    return [
      work === 'askpass'
        ? benign(this.id, 'workload-baseline', pod ? 'strong' : 'medium', `\`${what}\` is git asking for repository credentials through GIT_ASKPASS, which ${found.server.name} sets to its own argocd binary: ${where}${onNode}.`, { pod: found.pod.metadata.name })
        : benign(this.id, 'workload-baseline', 'medium', `\`${what}\` is ${found.server.name}'s own fetch-and-render work (${executableNames(alert.process)[0]} under ${executableNames(alert.process.ancestors[0])[0]}): ${where}${onNode}.`, { pod: found.pod.metadata.name }),
    ];
  },
};
