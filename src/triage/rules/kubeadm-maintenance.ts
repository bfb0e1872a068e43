/**
 * kubeadm at work on a node's host (certificate renewal, upgrade, static-pod restarts): a host process that is
 * kubeadm, or a file tool moving one of kubeadm's own static-pod manifests, while the audit log shows requests with
 * kubeadm's user agent from that very node's address (`kubeadm certs renew` reads the kubeadm-config ConfigMap).
 * The SSH session itself is outside the Kubernetes data; the API traffic from the node is what ties the host process to
 * kubeadm's work. Other manifests (a new static pod), other credentials (admin.conf read by cat) and kubeadm without
 * that corroboration are not covered.
 */
import type { ClusterIndex, Node } from '../../cluster/model.js';
import type { Evidence, Rule, RuleContext } from '../model.js';
import { benign, clip, executableNames } from './support.js';

const KUBEADM_AGENT = /^kubeadm\//i;
const BEFORE_MS = 30 * 60_000;
const AFTER_MS = 5 * 60_000;
/** The static-pod manifests kubeadm writes (its control plane and stacked etcd). */
const KUBEADM_MANIFESTS = new Set(['etcd.yaml', 'kube-apiserver.yaml', 'kube-controller-manager.yaml', 'kube-scheduler.yaml']);
/** Host files kubeadm itself writes: certificates and keys, kubeconfigs, its manifests. */
const KUBEADM_FILES = /^\/etc\/kubernetes\/(?:pki\/[\w./-]+|(?:admin|super-admin|kubelet|controller-manager|scheduler)\.conf|manifests\/[\w.-]+\.yaml)$/;
const FILE_TOOLS = new Set(['mv', 'cp', 'install', 'rsync']);

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
export function kubeadmMaintenance(ctx: RuleContext): KubeadmMaintenance | undefined {
  const { alert, correlation, index } = ctx;
  const { pod, node } = correlation.subject;
  if (pod || !node || !alert.time || alert.container.id || alert.container.pod) return undefined;
  const names = [alert.process, ...alert.process.ancestors].flatMap((p) => executableNames(p));
  const file = alert.file?.path;
  let what: string | undefined;
  if (names.includes('kubeadm')) {
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

export const kubeadmMaintenanceRule: Rule = {
  id: 'kubeadm-maintenance',
  family: 'admin-activity',
  direction: 'benign',
  description: "kubeadm's own work on a node's host (certificate renewal, static-pod restarts), corroborated by kubeadm's API requests from that node in the audit log",
  evaluate(ctx): Evidence[] {
    const m = kubeadmMaintenance(ctx);
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
