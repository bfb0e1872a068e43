/**
 * kubeadm at work on a node's host, told apart from an attacker doing the same things by what the cluster recorded:
 * - `kubeadm upgrade apply|node` rewriting a control-plane static-pod manifest (etcd, kube-apiserver,
 *   kube-controller-manager, kube-scheduler under /etc/kubernetes/manifests), which is also how an attacker plants a
 *   static pod: kubeadm's requests from that node in the audit log just before, and the kubelet recreating the mirror
 *   pod of exactly that component right after (kubeadmManifestWrite);
 * - kubeadm's other host work (certificate renewal, static-pod restarts by moving its own manifests out and back): a
 *   host process that is kubeadm, or a file tool moving one of kubeadm's own manifests, while the audit log shows
 *   requests with kubeadm's user agent from that very node's address (kubeadmHostWork). The SSH session itself is
 *   outside the Kubernetes data; the API traffic from the node is what ties the host process to kubeadm's work.
 * Other manifests (a new static pod), other credentials (admin.conf read by cat), a renamed writer, and kubeadm without
 * that corroboration are not covered and stay with the attack indicators.
 */
import type { ProcessInfo } from '../../alerts/model.js';
import { splitCommandLine } from '../../alerts/fields.js';
import type { ClusterIndex, Node, Pod } from '../../cluster/model.js';
import type { Evidence, Rule, RuleContext } from '../model.js';
import { benign, clip, executableNames } from './support.js';

const KUBEADM_AGENT = /^kubeadm\//i;
const BEFORE_MS = 30 * 60_000;
const AFTER_MS = 5 * 60_000;
/** The static-pod manifests kubeadm writes (its control plane and stacked etcd). */
const KUBEADM_MANIFESTS = new Set(['etcd.yaml', 'kube-apiserver.yaml', 'kube-controller-manager.yaml', 'kube-scheduler.yaml']);
/**
 * Host files kubeadm itself writes besides its manifests: certificates and keys, kubeconfigs. A manifest kubeadm
 * rewrites needs more than its calls: the recreated mirror pod (kubeadmManifestWrite).
 */
const KUBEADM_FILES = /^\/etc\/kubernetes\/(?:pki\/[\w./-]+|(?:admin|super-admin|kubelet|controller-manager|scheduler)\.conf)$/;
/** Restarting a static pod is moving its manifest out of the directory and back: a move, never new content. */
const FILE_TOOLS = new Set(['mv']);

/** The host programs kubeadm itself runs (preflight checks, restarting the kubelet); a file reader or downloader is never one. */
const KUBEADM_CHILDREN = new Set(['systemctl', 'crictl', 'conntrack', 'ethtool', 'socat', 'tc', 'ip', 'iptables', 'ebtables', 'nsenter', 'kubelet', 'containerd', 'mount', 'umount', 'modprobe', 'swapoff', 'blkid']);

/** kubeadm by its binary: a script started by a shell under that name is the shell's. */
function isKubeadm(p: ProcessInfo): boolean {
  if (!executableNames(p).includes('kubeadm')) return false;
  const argv0 = p.commandLine ? splitCommandLine(p.commandLine)[0] : undefined;
  return !argv0 || argv0.split('/').pop() === 'kubeadm';
}

interface KubeadmCall {
  at: number;
  time: string;
  user: string;
  userAgent: string;
}

/** Audit activities with kubeadm's user agent, by source address; built once per index. */
const callsByIndex = new WeakMap<ClusterIndex, Map<string, KubeadmCall[]>>();

function kubeadmCalls(index: ClusterIndex): Map<string, KubeadmCall[]> {
  let byIp = callsByIndex.get(index);
  if (byIp) return byIp;
  byIp = new Map();
  for (const a of index.auditActivities) {
    if (!a.userAgent || !KUBEADM_AGENT.test(a.userAgent)) continue;
    const at = Date.parse(a.time);
    if (Number.isNaN(at)) continue;
    for (const ip of a.sourceIps) {
      const list = byIp.get(ip) ?? [];
      list.push({ at, time: a.time, user: a.user, userAgent: a.userAgent });
      byIp.set(ip, list);
    }
  }
  callsByIndex.set(index, byIp);
  return byIp;
}

function nodeAddresses(node: Node): string[] {
  const addresses = (node.status as { addresses?: { type?: string; address?: string }[] } | undefined)?.addresses ?? [];
  return addresses.filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP').map((a) => a.address ?? '').filter(Boolean);
}

export interface KubeadmMaintenance {
  node: string;
  ip: string;
  call: KubeadmCall;
  /** What the host process did in kubeadm's name. */
  what: string;
}

/** The kubeadm work this host-process alert belongs to, corroborated by the audit log, or undefined. */
export function kubeadmHostWork(ctx: RuleContext): KubeadmMaintenance | undefined {
  const { alert, correlation, index } = ctx;
  const { pod, node } = correlation.subject;
  if (pod || !node || !alert.time || alert.container.id || alert.container.pod) return undefined;
  const file = alert.file?.path;
  let what: string | undefined;
  const parent = alert.process.ancestors[0];
  if (isKubeadm(alert.process) || (parent && isKubeadm(parent) && executableNames(alert.process).some((n) => KUBEADM_CHILDREN.has(n)))) {
    // kubeadm, or a program it runs; a file it touches must be one of its own.
    if (file && !KUBEADM_FILES.test(file)) return undefined;
    what = `${clip(alert.process.commandLine ?? alert.process.path ?? 'kubeadm', 80)}${file ? ` writing ${file}` : ''}`;
  } else if (file && executableNames(alert.process).some((n) => FILE_TOOLS.has(n))) {
    const base = file.split('/').pop() ?? '';
    if (!file.startsWith('/etc/kubernetes/manifests/') || !KUBEADM_MANIFESTS.has(base)) return undefined;
    what = `${executableNames(alert.process)[0]} moving ${file}, kubeadm's own static-pod manifest (restarting that static pod)`;
  }
  if (!what) return undefined;
  const t = Date.parse(alert.time);
  const calls = kubeadmCalls(index);
  for (const ip of nodeAddresses(node)) {
    const call = (calls.get(ip) ?? []).find((c) => c.at >= t - BEFORE_MS && c.at <= t + AFTER_MS);
    if (call) return { node: node.metadata.name, ip, call, what };
  }
  return undefined;
}

const CONTROL_PLANE_MANIFEST = /^\/etc\/kubernetes\/manifests\/(etcd|kube-apiserver|kube-controller-manager|kube-scheduler)\.yaml$/;
/** kubeadm upgrade reads and updates its ConfigMaps first, then writes the manifests one by one and waits for each. */
const UPGRADE_BEFORE_MS = 15 * 60_000;
/** The kubelet notices the new manifest within seconds and recreates the mirror pod. */
const MIRROR_MS = 10 * 60_000;

export interface KubeadmWrite {
  component: string;
  node: string;
  call: KubeadmCall;
  mirror: Pod;
}

/** A control-plane manifest written by kubeadm on a node, confirmed by kubeadm's requests and the recreated mirror pod. */
export function kubeadmManifestWrite(ctx: RuleContext): KubeadmWrite | undefined {
  const { alert, correlation, index } = ctx;
  const path = alert.file?.path;
  const m = path ? CONTROL_PLANE_MANIFEST.exec(path) : null;
  const node = correlation.subject.node;
  if (!m || !node || correlation.subject.pod || !alert.time) return undefined;
  if (!executableNames(alert.process).includes('kubeadm')) return undefined;
  const t = Date.parse(alert.time);
  const calls = kubeadmCalls(index);
  const call = nodeAddresses(node)
    .flatMap((ip) => calls.get(ip) ?? [])
    .find((c) => c.at >= t - UPGRADE_BEFORE_MS && c.at <= t + AFTER_MS);
  if (!call) return undefined;
  const component = m[1];
  const mirror = index.podByName('kube-system', `${component}-${node.metadata.name}`);
  const created = mirror?.metadata.creationTimestamp ? Date.parse(mirror.metadata.creationTimestamp) : NaN;
  const fromFile = mirror?.metadata.annotations?.['kubernetes.io/config.source'] === 'file';
  if (!mirror || !fromFile || !(created >= t - 60_000 && created <= t + MIRROR_MS)) return undefined;
  return { component, node: node.metadata.name, call, mirror };
}

function describeKubeadmWrite(w: KubeadmWrite, path: string): string {
  const image = w.mirror.spec.containers[0]?.image;
  return `kubeadm rewrote ${path} on ${w.node}: the audit log shows ${w.call.user} with ${w.call.userAgent} from that node at ${w.call.time}, and the kubelet recreated the mirror pod kube-system/${w.mirror.metadata.name}${image ? ` (${image})` : ''} from the manifest at ${w.mirror.metadata.creationTimestamp}: a control-plane upgrade, not a planted static pod.`;
}

export const kubeadmMaintenance: Rule = {
  id: 'kubeadm-maintenance',
  family: 'admin-activity',
  direction: 'benign',
  description: "kubeadm's own work on a node's host (control-plane upgrades, certificate renewal, static-pod restarts), corroborated by kubeadm's API requests from that node in the audit log (and for a rewritten manifest, the recreated mirror pod)",
  evaluate(ctx): Evidence[] {
    const write = kubeadmManifestWrite(ctx);
    if (write) return [benign(this.id, 'admin-activity', 'strong', describeKubeadmWrite(write, ctx.alert.file!.path!), { node: write.node, component: write.component })];
    const m = kubeadmHostWork(ctx);
    if (!m) return [];
    return [
      benign(
        this.id,
        'admin-activity',
        'strong',
        `On the host of ${m.node}: ${m.what}. The audit log shows ${m.call.user} with user agent ${m.call.userAgent} calling the API from ${m.ip} (${m.node}'s address) at ${m.call.time}: kubeadm maintenance run on this node.`,
        { node: m.node, auditTime: m.call.time },
      ),
    ];
  },
};
