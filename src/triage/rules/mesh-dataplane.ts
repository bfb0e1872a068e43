/**
 * mesh-dataplane: network alerts that are a sidecar-less mesh's own traffic, and node agents reading where they run
 * from the instance metadata service (the data and its sources: knowledge/mesh-dataplane.ts).
 *
 * - A tunnel between two pods of the cluster on the mesh's tunnel port, both enrolled in the mesh (or the destination
 *   one of its in-namespace proxies), with the mesh's node proxy running on both pods' nodes: the node proxy's work.
 *   A tunnel port towards anything that is not an enrolled pod (an outside address, the node's own address) is not.
 * - A pod of a confirmed node component that declares it reads its instance identity, asking the metadata service for
 *   an identity path from its own pod address: its work. Credential paths never are (the indicator keeps them).
 */
import type { ClusterIndex, KubeObject, Pod } from '../../cluster/model.js';
import { INSTANCE_IDENTITY_PATH, INSTANCE_METADATA_ADDRESSES, MESH_TUNNELS, type MeshTunnel } from '../../knowledge/mesh-dataplane.js';
import { nameMatches, NODE_NETWORK_ROLES } from '../../knowledge/components.js';
import type { Evidence, Rule, RuleContext } from '../model.js';
import { benign, componentOfPod, componentPodsOnNode, describePod } from './support.js';

const namespaceLabels = new WeakMap<ClusterIndex, Map<string, Record<string, string>>>();

/** Namespace name → labels, built once per index. */
function labelsOfNamespace(index: ClusterIndex, name: string | undefined): Record<string, string> | undefined {
  let byName = namespaceLabels.get(index);
  if (!byName) {
    byName = new Map();
    for (const ns of index.list('namespaces') as KubeObject[]) if (ns.metadata.name) byName.set(ns.metadata.name, ns.metadata.labels ?? {});
    namespaceLabels.set(index, byName);
  }
  return name ? byName.get(name) : undefined;
}

/** How the pod takes part in the mesh: enrolled (by its own label or its namespace's), one of the mesh's proxies, or not. */
function meshRole(index: ClusterIndex, pod: Pod, tunnel: MeshTunnel): 'enrolled' | 'proxy' | undefined {
  const own = pod.metadata.labels ?? {};
  if (tunnel.proxyLabels.some((l) => own[l] !== undefined)) return 'proxy';
  const value = own[tunnel.enrolmentLabel] ?? labelsOfNamespace(index, pod.metadata.namespace)?.[tunnel.enrolmentLabel];
  return value !== undefined && tunnel.enrolledValues.includes(value) ? 'enrolled' : undefined;
}

/** The mesh's node proxy pod on the pod's node, confirmed by namespace, workload and image. */
function nodeProxy(ctx: RuleContext, pod: Pod, tunnel: MeshTunnel): Pod | undefined {
  const node = ctx.index.nodeOfPod(pod);
  return componentPodsOnNode(ctx.index, node, (c) => c.id === tunnel.componentId).find(
    ({ pod: p, match }) => match.strength === 'strong' && nameMatches(tunnel.proxyWorkloads, ctx.index.workloadOf(p)?.name),
  )?.pod;
}

function meshTunnel(ctx: RuleContext): Evidence[] {
  const n = ctx.alert.network;
  const src = ctx.correlation.subject.pod;
  const dst = ctx.correlation.peer?.pod;
  if (!n || !src || !dst || src.spec.hostNetwork || dst.spec.hostNetwork) return [];
  for (const tunnel of MESH_TUNNELS) {
    // The tunnel's port on either end: a sensor may report the answer (to_client) with the ends swapped.
    const port = [n.dstPort, n.srcPort].find((p) => p !== undefined && tunnel.ports.includes(p));
    if (port === undefined) continue;
    const from = meshRole(ctx.index, src, tunnel);
    const to = meshRole(ctx.index, dst, tunnel);
    if (!from || !to) continue;
    const srcProxy = nodeProxy(ctx, src, tunnel);
    const dstProxy = nodeProxy(ctx, dst, tunnel);
    if (!srcProxy || !dstProxy) continue;
    const role = (r: 'enrolled' | 'proxy') => (r === 'proxy' ? 'one of its proxies' : `enrolled (${tunnel.enrolmentLabel})`);
    return [
      benign(
        'mesh-dataplane',
        'node-networking',
        'medium',
        `Port ${port} is the tunnel of ${tunnel.name}: ${describePod(ctx.index, src)} (${role(from)}) reaches ${describePod(ctx.index, dst)} (${role(to)}), and the mesh's node proxy runs on both nodes (${srcProxy.metadata.namespace}/${srcProxy.metadata.name}${dstProxy === srcProxy ? '' : `, ${dstProxy.metadata.namespace}/${dstProxy.metadata.name}`}). Its in-pod redirection sends the tunnel from the application pod's own address.`,
        { tunnel: tunnel.id, source: src.metadata.name, destination: dst.metadata.name },
      ),
    ];
  }
  return [];
}

/** The request path of a URL as sensors give it (a bare path, or scheme://host/path). */
function pathOf(url: string): string {
  const m = /^[a-z]+:\/\/[^/]*(\/.*)?$/i.exec(url);
  return m ? (m[1] ?? '/') : url;
}

function instanceIdentity(ctx: RuleContext): Evidence[] {
  const n = ctx.alert.network;
  const pod = ctx.correlation.subject.pod;
  if (!n?.dstIp || !INSTANCE_METADATA_ADDRESSES.has(n.dstIp) || !n.url || !pod || pod.spec.hostNetwork) return [];
  if (!INSTANCE_IDENTITY_PATH.test(pathOf(n.url))) return [];
  const match = componentOfPod(ctx.index, pod);
  if (!match || match.strength !== 'strong' || !match.component.readsInstanceIdentity) return [];
  const cause = NODE_NETWORK_ROLES.has(match.component.role) ? 'node-networking' : 'workload-baseline';
  return [
    benign(
      'mesh-dataplane',
      cause,
      'medium',
      `${describePod(ctx.index, pod)} is ${match.component.name}, which reads where it runs from the instance metadata service; ${pathOf(n.url)} is such a path (no credentials).`,
      { component: match.component.id, pod: pod.metadata.name },
    ),
  ];
}

export const meshDataplane: Rule = {
  id: 'mesh-dataplane',
  family: 'node-networking',
  direction: 'benign',
  description: "A sidecar-less mesh's tunnels between enrolled pods, and node agents reading their instance identity from the metadata service",
  evaluate(ctx) {
    if (!ctx.alert.network) return [];
    const tunnel = meshTunnel(ctx);
    return tunnel.length ? tunnel : instanceIdentity(ctx);
  },
};
