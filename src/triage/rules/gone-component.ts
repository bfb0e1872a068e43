/**
 * gone-component: the pod the alert came from is gone from the snapshot together with its node (Karpenter or the
 * cluster autoscaler removed the node; the pod garbage collector deleted its DaemonSet pods), but the audit log
 * recorded its creation by a DaemonSet that is still in the snapshot, and that DaemonSet is a known node component
 * (CNI, kube-proxy, CSI node plugin…). The DaemonSet's template is what the pod ran: the component's own binaries
 * doing its work are explained as they would be on a live node. Only for a pod the DaemonSet controller created,
 * whose recorded images are the template's, and only for the component's own executables.
 */
import type { KubeObject, Pod } from '../../cluster/model.js';
import { NODE_NETWORK_ROLES, type NodeComponent } from '../../knowledge/components.js';
import type { BenignCause, Evidence, Rule } from '../model.js';
import { benign, componentOfPod, executableNames } from './support.js';

/** Who creates DaemonSet pods: the controller manager (with per-controller service accounts or its own identity). */
const DAEMONSET_CREATORS = new Set(['system:serviceaccount:kube-system:daemon-set-controller', 'system:kube-controller-manager']);

function causeOf(component: NodeComponent): BenignCause {
  if (NODE_NETWORK_ROLES.has(component.role)) return 'node-networking';
  return component.role === 'csi' || component.hostPrivilegedActions?.length ? 'privileged-root' : 'workload-baseline';
}

interface TemplateSpec {
  containers?: Pod['spec']['containers'];
  initContainers?: Pod['spec']['containers'];
}

export const goneComponent: Rule = {
  id: 'gone-component',
  family: 'node-networking',
  direction: 'benign',
  description: "A known node component's DaemonSet pod that is gone with its node (the audit log recorded it): its own binaries doing its work",
  evaluate(ctx): Evidence[] {
    const { alert, correlation, index } = ctx;
    const gone = correlation.gonePod;
    const spec = gone?.podSpec;
    if (!gone || !spec || spec.owner !== 'DaemonSet' || !spec.ownerName || correlation.subject.pod || !DAEMONSET_CREATORS.has(gone.user)) return [];
    const ds = index.list('daemonsets').find((d: KubeObject) => d.metadata.namespace === gone.namespace && d.metadata.name === spec.ownerName);
    const template = (ds?.spec as { template?: { spec?: TemplateSpec } } | undefined)?.template?.spec;
    if (!ds || !template?.containers) return [];
    // The pod as the DaemonSet makes it, on the node it was pinned to.
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: gone.name!, namespace: gone.namespace, ownerReferences: [{ kind: 'DaemonSet', name: spec.ownerName, controller: true }] },
      spec: { ...(template as Pod['spec']), containers: template.containers, nodeName: spec.nodeName },
    };
    const containers = [...template.containers, ...(template.initContainers ?? [])];
    const container = alert.container.name ? containers.find((c) => c.name === alert.container.name) : undefined;
    // The pod ran what the DaemonSet says only if its recorded images are the template's.
    const recorded = new Set(spec.images ?? []);
    if (container?.image && !recorded.has(container.image)) return [];
    if (!containers.every((c) => !c.image || recorded.has(c.image))) return [];
    const match = componentOfPod(index, pod, container);
    if (!match || match.strength !== 'strong') return [];
    const names = executableNames(alert.process);
    const parentNames = executableNames(alert.process.ancestors[0]);
    const own = names.find((n) => match.component.binaries.includes(n) || match.component.daemons.includes(n));
    const byDaemon = !own && parentNames.some((n) => match.component.daemons.includes(n)) ? names.find((n) => match.component.binaries.includes(n)) ?? names[0] : undefined;
    if (!own && !byDaemon) return [];
    const where = `${gone.namespace}/${gone.name} (DaemonSet ${gone.namespace}/${spec.ownerName}${spec.nodeName ? ` on ${spec.nodeName}` : ''}, created at ${gone.time} by ${gone.user}; pod and node are gone from the snapshot, the DaemonSet is not)`;
    const what = own ? `${own} is one of ${match.component.name}'s own executables` : `${byDaemon} was started by ${match.component.name}'s daemon`;
    return [benign(this.id, causeOf(match.component), 'medium', `${what}, in ${where}.`, { component: match.component.id, pod: gone.name ?? null })];
  },
};
