/**
 * node-os: the node operating system's own services on an immutable, API-managed OS (Talos: machined as PID 1, apid,
 * trustd, the upgrade installer), told apart from look-alikes by what the cluster recorded:
 * - the manager (PID 1, outside any container) when the kubelet recreated a static pod's mirror on that node within
 *   minutes (it re-rendered the manifest), or when the node booted again right after (a reboot or kexec upgrade);
 * - the installer, in the OS's own containerd namespace, when the node booted again within the upgrade window;
 * - the OS's management API (its daemon, or a connection to its port on a node) when the remote end is an address a
 *   person used for their own Kubernetes API requests around that time (the administrator's workstation); from a pod's
 *   address it is a workload reaching the node's management plane, which nothing in a pod's role explains.
 * The OS's API calls themselves are not in the Kubernetes audit log, so without that corroboration nothing is said.
 */
import type { ProcessInfo } from '../../alerts/model.js';
import { identityKind } from '../../cluster/audit-identities.js';
import type { ClusterIndex, KubeObject, Node, Pod } from '../../cluster/model.js';
import { ADMIN_ADDRESS_MS, NODE_OPERATING_SYSTEMS, STATIC_POD_RENDER_MS, UPGRADE_REBOOT_MS, type NodeOs, type NodeOsService } from '../../knowledge/node-os.js';
import type { Evidence, Rule, RuleContext } from '../model.js';
import { benign, clip, describePod, executableNames, malicious } from './support.js';

const SHIM = /(?:^|\/)containerd-shim(?:-runc-v2)?$/;

export function nodeOsOf(node: Node | undefined): NodeOs | undefined {
  const image = (node?.status as { nodeInfo?: { osImage?: string } } | undefined)?.nodeInfo?.osImage;
  return image ? NODE_OPERATING_SYSTEMS.find((os) => os.osImage.test(image)) : undefined;
}

/** The shim's `-namespace <ns> -id <id>` from its command line. */
function shimOf(p: ProcessInfo): { namespace?: string; id?: string } | undefined {
  const isShim = executableNames(p).some((n) => SHIM.test(n)) || (!!p.path && SHIM.test(p.path));
  if (!isShim) return undefined;
  const argv = (p.commandLine ?? '').split(/\s+/);
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return { namespace: value('-namespace'), id: value('-id') };
}

/** The OS service this host process is, confirmed by its path and, for a containerised service, by its shim. */
function serviceOf(os: NodeOs, ctx: RuleContext): NodeOsService | undefined {
  const { process } = ctx.alert;
  const path = process.path;
  if (!path) return undefined;
  const service = os.services.find((s) => s.paths.includes(path));
  if (!service) return undefined;
  const shims = process.ancestors.map(shimOf).filter((s): s is NonNullable<typeof s> => !!s);
  // PID 1 runs in no container and has no parent: a process at the manager's path below any other process is not it.
  if (service.containerIds.length === 0) return process.ancestors.some((a) => a.name || a.path || a.commandLine) ? undefined : service;
  // A node sensor without the parent chain cannot say which container it ran in; one that has it must show the OS's own.
  if (!process.ancestors.length) return undefined;
  const own = shims[0];
  return own && own.namespace === os.systemNamespace && !!own.id && service.containerIds.includes(own.id) ? service : undefined;
}

interface Boot {
  at: number;
  what: string;
}

/** When each node booted again, from Rebooted events and the Ready condition's last transition; built once per index. */
const bootsByIndex = new WeakMap<ClusterIndex, Map<string, Boot[]>>();
function boots(index: ClusterIndex, node: Node): Boot[] {
  let byNode = bootsByIndex.get(index);
  if (!byNode) {
    byNode = new Map();
    bootsByIndex.set(index, byNode);
  }
  const name = node.metadata.name;
  const cached = byNode.get(name);
  if (cached) return cached;
  const out: Boot[] = [];
  for (const e of [...index.eventsFor('', name), ...index.eventsFor('default', name)] as (KubeObject & { reason?: string; involvedObject?: { kind?: string }; lastTimestamp?: string; firstTimestamp?: string; message?: string })[]) {
    if (e.reason !== 'Rebooted' || (e.involvedObject?.kind && e.involvedObject.kind !== 'Node')) continue;
    const at = Date.parse(e.firstTimestamp ?? e.lastTimestamp ?? '');
    if (!Number.isNaN(at)) out.push({ at, what: `a Rebooted event at ${e.firstTimestamp ?? e.lastTimestamp} (${clip(e.message ?? '', 90)})` });
  }
  const ready = ((node.status as { conditions?: { type?: string; status?: string; lastTransitionTime?: string }[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready' && c.status === 'True');
  const readyAt = Date.parse(ready?.lastTransitionTime ?? '');
  if (!Number.isNaN(readyAt)) out.push({ at: readyAt, what: `Ready again since ${ready!.lastTransitionTime}` });
  byNode.set(name, out);
  return out;
}

/** A boot of the node within [t - before, t + after]. */
function bootNear(index: ClusterIndex, node: Node, t: number, before: number, after: number): Boot | undefined {
  return boots(index, node).find((b) => b.at >= t - before && b.at <= t + after);
}

/** A static pod's mirror on the node, recreated within the render window of t. */
function renderedMirror(index: ClusterIndex, node: Node, t: number): Pod | undefined {
  return index.podsOnNode(node.metadata.name).find((p) => {
    const staticPod = p.metadata.annotations?.['kubernetes.io/config.source'] === 'file' || (p.metadata.ownerReferences ?? []).some((o) => o.kind === 'Node');
    const created = Date.parse(p.metadata.creationTimestamp ?? '');
    return staticPod && Math.abs(created - t) <= STATIC_POD_RENDER_MS;
  });
}

interface PersonCall {
  at: number;
  time: string;
  user: string;
}

/** People's API requests by source address; built once per index. */
const peopleByIndex = new WeakMap<ClusterIndex, Map<string, PersonCall[]>>();
function personCallsFrom(index: ClusterIndex, ip: string): PersonCall[] {
  let byIp = peopleByIndex.get(index);
  if (!byIp) {
    byIp = new Map();
    for (const a of index.auditActivities) {
      if (a.impersonatedUser || identityKind(a.user, a.groups) !== 'user') continue;
      const at = Date.parse(a.time);
      if (Number.isNaN(at)) continue;
      for (const source of a.sourceIps) {
        const list = byIp.get(source) ?? [];
        list.push({ at, time: a.time, user: a.user });
        byIp.set(source, list);
      }
    }
    peopleByIndex.set(index, byIp);
  }
  return byIp.get(ip) ?? [];
}

function nodeAddresses(node: Node): string[] {
  const addresses = (node.status as { addresses?: { address?: string }[] } | undefined)?.addresses ?? [];
  return addresses.map((a) => a.address ?? '').filter(Boolean);
}

/** What the remote end of a session with the OS API says: a person's workstation, a pod, or nothing known. */
function judgeRemote(ctx: RuleContext, remote: string, node: Node, os: NodeOs, what: string, t: number): Evidence[] {
  const call = personCallsFrom(ctx.index, remote).find((c) => Math.abs(c.at - t) <= ADMIN_ADDRESS_MS);
  if (call) {
    return [
      benign(
        'node-os',
        'admin-activity',
        'strong',
        `${what} on ${node.metadata.name} (${os.name}), from ${remote}: the address ${call.user} used for Kubernetes API requests at ${call.time} (audit log). The administrators manage ${os.name} nodes through this API from their own machines.`,
        { node: node.metadata.name, remote, user: call.user },
      ),
    ];
  }
  const pod = ctx.index.podByIp(remote, ctx.alert.time ?? null);
  if (pod) {
    return [
      malicious(
        'node-os',
        'medium',
        `${what} on ${node.metadata.name} (${os.name}) comes from ${describePod(ctx.index, pod)}: a workload reaching the node's management API, which only administrators' clients use.`,
        { node: node.metadata.name, remote, pod: pod.metadata.name },
      ),
    ];
  }
  return [];
}

export const nodeOs: Rule = {
  id: 'node-os',
  family: 'workload-baseline',
  direction: 'both',
  description:
    "An immutable node OS's own services (Talos machined, apid, trustd, the upgrade installer) doing their work, confirmed by a re-rendered static pod, the node's reboot, or an administrator's address; its management API reached from a pod is suspicious",
  evaluate(ctx): Evidence[] {
    const { alert, correlation, index } = ctx;
    if (!alert.time) return [];
    const t = Date.parse(alert.time);
    if (Number.isNaN(t)) return [];
    const node = correlation.subject.node;
    const os = nodeOsOf(node);
    const hostProcess = !correlation.subject.pod && !alert.container.id && !alert.container.pod;
    if (node && os && alert.process.path) {
      if (!hostProcess) return [];
      const service = serviceOf(os, ctx);
      if (!service) return [];
      const what = `${clip(alert.process.commandLine ?? alert.process.path, 90)} (${service.name} of ${os.name})`;
      if (service.role === 'manager') {
        const mirror = renderedMirror(index, node, t);
        if (mirror) {
          return [
            benign(
              this.id,
              'workload-baseline',
              'strong',
              `${what} is PID 1 of ${node.metadata.name}, which renders the static pods: the kubelet recreated the mirror pod ${mirror.metadata.namespace}/${mirror.metadata.name} from its manifest at ${mirror.metadata.creationTimestamp}, within minutes of the alert.`,
              { node: node.metadata.name, mirror: mirror.metadata.name },
            ),
          ];
        }
        const boot = bootNear(index, node, t, 0, UPGRADE_REBOOT_MS);
        return boot ? [rebootEvidence(this.id, what, node, boot)] : [];
      }
      if (service.role === 'installer') {
        const boot = bootNear(index, node, t, 0, UPGRADE_REBOOT_MS);
        return boot ? [rebootEvidence(this.id, what, node, boot)] : [];
      }
      const remote = [alert.network?.dstIp, alert.network?.srcIp].find((ip) => ip && !nodeAddresses(node).includes(ip));
      return remote ? judgeRemote(ctx, remote, node, os, `A session with ${what}`, t) : [];
    }
    // A network alert to the OS API's port on a node.
    const net = alert.network;
    const peerNode = correlation.peer?.node ?? (net?.dstIp ? index.findNode(net.dstIp) : undefined);
    const peerOs = nodeOsOf(peerNode);
    if (!peerNode || !peerOs || !net?.srcIp || net.dstPort === undefined || !peerOs.apiPorts.includes(net.dstPort)) return [];
    if (correlation.peer?.pod) return [];
    return judgeRemote(ctx, net.srcIp, peerNode, peerOs, `A connection to the ${peerOs.name} API (TCP ${net.dstPort})`, t);
  },
};

function rebootEvidence(rule: string, what: string, node: Node, boot: Boot): Evidence {
  const os = (node.status as { nodeInfo?: { osImage?: string; kernelVersion?: string } } | undefined)?.nodeInfo;
  return benign(
    rule,
    'admin-activity',
    'strong',
    `${what} ran on ${node.metadata.name} just before the node booted again (${boot.what}); it now reports ${os?.osImage ?? 'its OS image'}${os?.kernelVersion ? ` with kernel ${os.kernelVersion}` : ''}: the OS upgrading or rebooting itself, as an administrator's upgrade through the OS API does.`,
    { node: node.metadata.name },
  );
}
