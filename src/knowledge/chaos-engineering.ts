/**
 * Chaos-engineering frameworks: the custom resources people create to inject a fault (the audit log keeps them), and
 * the privileged node agent that applies it. The agent's fault programs are explained by an experiment whose window
 * and selector cover the alert, never by the agent's presence alone: the same agent running them outside any declared
 * experiment is an injected command (Chaos Mesh's 2025 controller command injections) or someone borrowing its powers.
 */

/** A fault kind: its custom resource, and the programs the node agent runs (inside the target pod's namespaces) for it. */
export interface ChaosFaultKind {
  framework: string;
  apiGroup: string;
  /** Plural resource name as the audit log's objectRef gives it. */
  resource: string;
  kind: string;
  /** Base names of the programs this fault runs on the node (matched against the process and its nearest ancestors). */
  programs: string[];
}

const IPTABLES = ['iptables', 'iptables-save', 'iptables-restore', 'ip6tables', 'ip6tables-save', 'ip6tables-restore', 'xtables-legacy-multi', 'xtables-nft-multi', 'iptables-legacy', 'iptables-nft'];

export const CHAOS_FAULT_KINDS: readonly ChaosFaultKind[] = [
  // Chaos Mesh (chaos-mesh.org/v1alpha1): chaos-daemon enters the target's namespaces with its nsexec helper.
  { framework: 'Chaos Mesh', apiGroup: 'chaos-mesh.org', resource: 'networkchaos', kind: 'NetworkChaos', programs: ['tc', 'ipset', 'ip', ...IPTABLES] },
  { framework: 'Chaos Mesh', apiGroup: 'chaos-mesh.org', resource: 'stresschaos', kind: 'StressChaos', programs: ['stress-ng', 'memstress', 'stress'] },
  { framework: 'Chaos Mesh', apiGroup: 'chaos-mesh.org', resource: 'iochaos', kind: 'IOChaos', programs: ['toda', 'fusermount', 'fusermount3'] },
  { framework: 'Chaos Mesh', apiGroup: 'chaos-mesh.org', resource: 'timechaos', kind: 'TimeChaos', programs: ['watchmaker'] },
  { framework: 'Chaos Mesh', apiGroup: 'chaos-mesh.org', resource: 'dnschaos', kind: 'DNSChaos', programs: ['iptables', 'ipset', ...IPTABLES] },
  // LitmusChaos (litmuschaos.io/v1alpha1): the operator turns a ChaosEngine into a runner pod, an experiment Job and
  // helper pods in the engine's namespace, which run the faults as their own container commands (no node agent).
  { framework: 'LitmusChaos', apiGroup: 'litmuschaos.io', resource: 'chaosengines', kind: 'ChaosEngine', programs: [] },
];

/** LitmusChaos: the label its helper pods carry (the engine's uid), and how long after its duration its pods may still run. */
export const LITMUS_HELPER_LABEL = 'chaosUID';
export const LITMUS_WIND_DOWN_MS = 10 * 60_000;

/** The privileged node agent of a framework, identified by namespace, workload and image together. */
export interface ChaosInjector {
  framework: string;
  name: string;
  namespaces: string[];
  /** DaemonSet names (a trailing * matches a Helm release prefix). */
  workloads: string[];
  /** Image repository path suffixes. */
  images: string[];
  /** The agent's own daemon, which parents every fault program. */
  daemons: string[];
  /** Helpers it runs a fault program through (namespace entry): the program is the wrapped command. */
  wrappers: string[];
  /** API group of its fault resources. */
  apiGroup: string;
}

export const CHAOS_INJECTORS: readonly ChaosInjector[] = [
  {
    framework: 'Chaos Mesh',
    name: "Chaos Mesh's chaos-daemon",
    // The documentation installs into chaos-mesh; older guides used chaos-testing.
    namespaces: ['chaos-mesh', 'chaos-testing'],
    workloads: ['chaos-daemon'],
    images: ['chaos-mesh/chaos-daemon', 'pingcap/chaos-daemon'],
    daemons: ['chaos-daemon'],
    // nsexec enters the target's namespaces; pause starts a stressor stopped until it is moved into the target's cgroup.
    wrappers: ['nsexec', 'nsenter', 'pause'],
    apiGroup: 'chaos-mesh.org',
  },
];

/** After an experiment's duration the agent recovers (flushes its chains, removes qdiscs, kills stressors): a short grace. */
export const CHAOS_RECOVERY_GRACE_MS = 3 * 60_000;
/** The agent applies a fault seconds after the resource is created; a sensor's clock may run a little ahead. */
export const CHAOS_START_SKEW_MS = 30_000;

const FAULT_BY_RESOURCE = new Map(CHAOS_FAULT_KINDS.map((k) => [`${k.apiGroup}/${k.resource}`, k]));

export function chaosFaultKind(apiGroup: string | undefined, resource: string | undefined): ChaosFaultKind | undefined {
  return apiGroup && resource ? FAULT_BY_RESOURCE.get(`${apiGroup}/${resource}`) : undefined;
}

/** A Go duration ("10m", "1h30m", "90s", "500ms") in milliseconds; undefined when it is none. */
export function parseGoDuration(text: string | undefined): number | undefined {
  if (!text || !/^(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|ns))+$/.test(text)) return undefined;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}
