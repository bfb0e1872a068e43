/**
 * kubeadm-maintenance: `kubeadm upgrade apply|node` rewrites the control-plane static-pod manifests of the node it runs
 * on (etcd, kube-apiserver, kube-controller-manager, kube-scheduler under /etc/kubernetes/manifests). A host sensor sees
 * a write to the static-pod directory, which is also how an attacker plants a static pod. The cluster tells them apart:
 * kubeadm talks to the API server from that node (user agent kubeadm/…) just before, and the kubelet recreates the
 * mirror pod of exactly that component right after. A renamed writer, another file, no kubeadm requests from that node
 * or no recreated mirror pod leave the write to the attack indicator.
 */
import type { AuditActivity, ClusterIndex, Node, Pod } from '../../cluster/model.js';
import type { Rule, RuleContext } from '../model.js';
import { benign, executableNames } from './support.js';

const MANIFEST = /^\/etc\/kubernetes\/manifests\/(etcd|kube-apiserver|kube-controller-manager|kube-scheduler)\.yaml$/;
const KUBEADM_AGENT = /^kubeadm\//i;
/** kubeadm reads and updates its ConfigMaps first, then writes the manifests one by one and waits for each. */
const BEFORE_MS = 15 * 60_000;
const AFTER_MS = 5 * 60_000;
/** The kubelet notices the new manifest within seconds and recreates the mirror pod. */
const MIRROR_MS = 10 * 60_000;

export interface KubeadmWrite {
  component: string;
  node: string;
  request: AuditActivity;
  mirror: Pod;
}

/** The audit log's requests made by kubeadm, found once per index (most logs hold none). */
const kubeadmRequests = new WeakMap<ClusterIndex, AuditActivity[]>();
function requestsOf(index: ClusterIndex): AuditActivity[] {
  let list = kubeadmRequests.get(index);
  if (!list) {
    list = index.auditActivities.filter((a) => !!a.userAgent && KUBEADM_AGENT.test(a.userAgent) && (a.code === undefined || a.code < 400));
    kubeadmRequests.set(index, list);
  }
  return list;
}

function nodeAddresses(node: Node): string[] {
  const addresses = (node.status as { addresses?: { type?: string; address?: string }[] } | undefined)?.addresses ?? [];
  return addresses.map((a) => a.address).filter((x): x is string => !!x);
}

/** A control-plane manifest written by kubeadm on a node, confirmed by kubeadm's requests and the recreated mirror pod. */
export function kubeadmManifestWrite(ctx: RuleContext): KubeadmWrite | undefined {
  const { alert, correlation, index } = ctx;
  const path = alert.file?.path;
  const m = path ? MANIFEST.exec(path) : null;
  const node = correlation.subject.node;
  if (!m || !node || correlation.subject.pod || !alert.time) return undefined;
  if (!executableNames(alert.process).includes('kubeadm')) return undefined;
  const t = Date.parse(alert.time);
  const addresses = nodeAddresses(node);
  const request = requestsOf(index).find((a) => {
    const at = Date.parse(a.time);
    return at >= t - BEFORE_MS && at <= t + AFTER_MS && a.sourceIps.some((ip) => addresses.includes(ip));
  });
  if (!request) return undefined;
  const component = m[1];
  const mirror = index.podByName('kube-system', `${component}-${node.metadata.name}`);
  const created = mirror?.metadata.creationTimestamp ? Date.parse(mirror.metadata.creationTimestamp) : NaN;
  const fromFile = mirror?.metadata.annotations?.['kubernetes.io/config.source'] === 'file';
  if (!mirror || !fromFile || !(created >= t - 60_000 && created <= t + MIRROR_MS)) return undefined;
  return { component, node: node.metadata.name, request, mirror };
}

export function describeKubeadmWrite(w: KubeadmWrite, path: string): string {
  const image = w.mirror.spec.containers[0]?.image;
  return `kubeadm rewrote ${path} on ${w.node}: the audit log shows ${w.request.user} with ${w.request.userAgent} (${w.request.verb} ${w.request.resource}${w.request.name ? ` ${w.request.name}` : ''}) from that node at ${w.request.time}, and the kubelet recreated the mirror pod kube-system/${w.mirror.metadata.name}${image ? ` (${image})` : ''} from the manifest at ${w.mirror.metadata.creationTimestamp}: a control-plane upgrade, not a planted static pod.`;
}

export const kubeadmMaintenance: Rule = {
  id: 'kubeadm-maintenance',
  family: 'admin-activity',
  direction: 'benign',
  description: 'kubeadm rewriting a control-plane static-pod manifest, confirmed by its API requests from that node and the recreated mirror pod',
  evaluate(ctx) {
    const w = kubeadmManifestWrite(ctx);
    return w ? [benign(this.id, 'admin-activity', 'strong', describeKubeadmWrite(w, ctx.alert.file!.path!), { node: w.node, component: w.component })] : [];
  },
};
