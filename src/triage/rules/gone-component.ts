/**
 * gone-component: the alert came from a node component's DaemonSet pod, or from the host of its node, and pod and
 * node are gone from the snapshot (Karpenter or the cluster autoscaler removed the node; the pod garbage collector
 * deleted its DaemonSet pods), but the audit log recorded the pod's creation by the DaemonSet controller, and the
 * DaemonSet, still in the snapshot, is a known node component (CNI, kube-proxy, CSI node plugin…). Its template is
 * what the pod ran: the component's own binaries doing its work — and a CNI plugin run by the container runtime on
 * that node — are explained as they would be on a live node. Only for a pod the DaemonSet controller created, whose
 * recorded images are the template's, and only for the component's own executables.
 */
import type { AuditActivity, ClusterIndex, ContainerSpec, KubeObject, Pod } from '../../cluster/model.js';
import { NODE_NETWORK_ROLES, type NodeComponent } from '../../knowledge/components.js';
import type { BenignCause, Evidence, Rule } from '../model.js';
import { cniPluginRun } from './node-networking.js';
import { benign, componentOfPod, executableNames, GENERIC_PROGRAMS, type ComponentMatch } from './support.js';

/** Who creates DaemonSet pods: the controller manager (with per-controller service accounts or its own identity). */
const DAEMONSET_CREATORS = new Set(['system:serviceaccount:kube-system:daemon-set-controller', 'system:kube-controller-manager']);

function causeOf(component: NodeComponent): BenignCause {
  if (NODE_NETWORK_ROLES.has(component.role)) return 'node-networking';
  return component.role === 'csi' || component.hostPrivilegedActions?.length ? 'privileged-root' : 'workload-baseline';
}

interface TemplateSpec {
  containers?: ContainerSpec[];
  initContainers?: ContainerSpec[];
}

/** The known component a gone DaemonSet pod was, judged on its DaemonSet's template; undefined unless strong. */
export function componentOfGonePod(index: ClusterIndex, gone: AuditActivity, containerName?: string): { match: ComponentMatch; where: string } | undefined {
  const spec = gone.podSpec;
  if (!spec || spec.owner !== 'DaemonSet' || !spec.ownerName || !DAEMONSET_CREATORS.has(gone.user)) return undefined;
  const ds = index.list('daemonsets').find((d: KubeObject) => d.metadata.namespace === gone.namespace && d.metadata.name === spec.ownerName);
  const template = (ds?.spec as { template?: { spec?: TemplateSpec } } | undefined)?.template?.spec;
  if (!template?.containers) return undefined;
  const containers = [...template.containers, ...(template.initContainers ?? [])];
  // The pod ran what the DaemonSet says only if its recorded images are the template's.
  const recorded = new Set(spec.images ?? []);
  if (!containers.every((c) => !c.image || recorded.has(c.image))) return undefined;
  const container = containerName ? containers.find((c) => c.name === containerName) : undefined;
  if (containerName && !container) return undefined;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: gone.name!, namespace: gone.namespace, ownerReferences: [{ kind: 'DaemonSet', name: spec.ownerName, controller: true }] },
    spec: { ...(template as Pod['spec']), containers: template.containers, nodeName: spec.nodeName },
  };
  const match = componentOfPod(index, pod, container);
  if (!match || match.strength !== 'strong') return undefined;
  const where = `${gone.namespace}/${gone.name} (DaemonSet ${gone.namespace}/${spec.ownerName}${spec.nodeName ? ` on ${spec.nodeName}` : ''}, created at ${gone.time} by ${gone.user}; pod and node are gone from the snapshot, the DaemonSet is not)`;
  return { match, where };
}

/** One of the component's own programs that is not also every intruder's (a shell or CLI it happens to list). */
export function isDistinctiveProgram(component: NodeComponent, name: string): boolean {
  return (component.binaries.includes(name) || component.daemons.includes(name)) && !GENERIC_PROGRAMS.has(name);
}

export const goneComponent: Rule = {
  id: 'gone-component',
  family: 'node-networking',
  direction: 'benign',
  description: "A known node component's DaemonSet pod, or the host of its node, gone before the snapshot (the audit log recorded the pod): its own binaries doing its work",
  evaluate(ctx): Evidence[] {
    const { alert, correlation, index } = ctx;
    if (correlation.subject.pod || correlation.subject.node) return [];
    const names = executableNames(alert.process);

    // The host of a gone node: a CNI plugin the runtime runs, where the CNI's DaemonSet pod was.
    if (correlation.goneNode) {
      const plugin = cniPluginRun(alert);
      if (!plugin) return [];
      for (const gone of correlation.goneNode.pods) {
        const found = componentOfGonePod(index, gone);
        if (!found || found.match.component.role !== 'cni') continue;
        const { match, where } = found;
        return [
          benign(this.id, 'node-networking', 'medium', `${plugin.path} is a CNI plugin from the host's CNI directory, executed by ${plugin.caller} on ${correlation.goneNode.name} to set up pod networking, where ${where} ran ${match.component.name}.`, {
            component: match.component.id,
            pod: gone.name ?? null,
          }),
        ];
      }
      return [];
    }

    const gone = correlation.gonePod;
    if (!gone) return [];
    const found = componentOfGonePod(index, gone, alert.container.name);
    if (!found) return [];
    const { match, where } = found;
    const ownName = (n: string) => match.component.binaries.includes(n) || match.component.daemons.includes(n);
    // A shell or CLI the component lists (node-problem-detector's health-checker runs sh, crictl, systemctl) is its
    // own only when its parent is one of the component's distinctive programs: alone, every intruder runs them too.
    const distinctive = (n: string) => isDistinctiveProgram(match.component, n);
    const parent = alert.process.ancestors[0];
    const own = names.find(distinctive) ?? (parent && executableNames(parent).some(distinctive) ? names.find(ownName) : undefined);
    if (!own) return [];
    return [benign(this.id, causeOf(match.component), 'medium', `${own} is one of ${match.component.name}'s own executables, in ${where}.`, { component: match.component.id, pod: gone.name ?? null })];
  },
};
