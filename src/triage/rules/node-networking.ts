import { isNodeLogin, wrappedProgram } from '../argv.js';
import type { Alert, ProcessInfo } from '../../alerts/model.js';
import { splitCommandLine } from '../../alerts/fields.js';
import type { KubeObject, Node, Pod } from '../../cluster/model.js';
import { imageMatches, knownComponents, nameMatches, NODE_NETWORK_ROLES, type NodeComponent } from '../../knowledge/components.js';
import { EMBEDDED_NETWORK_AGENTS, type EmbeddedNetworkAgent } from '../../knowledge/embedded-network.js';
import { isCloudApiDomain } from '../../knowledge/cloud-endpoints.js';
import { isPrivateAddress } from '../../cluster/audit-identities.js';
import type { Evidence, Rule, RuleContext } from '../model.js';
import { benign, clip, componentOfPod, componentPodsOnNode, describePod, executableNames, malicious } from './support.js';

const this_id = 'node-networking';
/** Network roles, and any component that owns netfilter chains (a security agent steering traffic into NFQUEUE). */
const isNetworkComponent = (c: NodeComponent) => NODE_NETWORK_ROLES.has(c.role) || !!c.chains?.length;
const DNS_PORTS = new Set([53, 5353]);
/** A cluster name with a search domain appended (`svc.cluster.local.ledger.svc.cluster.local`) or ending in one. */
const CLUSTER_SEARCH_EXPANSION = /\.(?:svc|cluster\.local)\.?$|\.svc\./i;
/**
 * The DNS suffixes clouds give their VMs, which kubelet appends to every pod's search list: a query ending in one is
 * `<name>.<suffix>`, a search-path expansion the cloud resolver answers NXDOMAIN (Azure `<id>.<x>.internal.cloudapp.net`
 * and the older `reddog.microsoft.com`, AWS `<region>.compute.internal` / `ec2.internal`, GCE `c.<project>.internal`,
 * OCI `<subnet>.<vcn>.oraclevcn.com`).
 */
const HOST_SEARCH_DOMAINS = [/\.internal\.cloudapp\.net\.?$/i, /\.reddog\.microsoft\.com\.?$/i, /\.compute\.internal\.?$/i, /\.ec2\.internal\.?$/i, /\.c\.[a-z0-9-]+\.internal\.?$/i, /\.google\.internal\.?$/i, /\.oraclevcn\.com\.?$/i];
const CNI_BIN_DIR = /^\/(?:opt\/cni\/bin|usr\/libexec\/cni|var\/lib\/cni\/bin|home\/kubernetes\/bin)\//;
const CNI_CALLERS = new Set(['containerd', 'crio', 'kubelet', 'dockerd', 'cri-dockerd', 'multus', 'multus-daemon']);
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;

function runsBinary(component: NodeComponent, names: readonly string[]): string | undefined {
  return names.find((n) => component.binaries.includes(n) || component.daemons.includes(n));
}

/** Addresses a DNS component listens on besides its pod IP (NodeLocal DNSCache's -localip list). */
function listenAddresses(pod: Pod): string[] {
  const out = new Set<string>();
  for (const c of pod.spec.containers) for (const arg of [...(c.command ?? []), ...(c.args ?? [])]) for (const ip of arg.match(IPV4) ?? []) out.add(ip);
  return [...out];
}

/** The node-embedded network agent this node runs, proven by its kubelet version or the agent's own annotations. */
function embeddedAgentOf(node: Node): EmbeddedNetworkAgent | undefined {
  // Asked for every host process on the node: worked out once per node (and agent list).
  const known = embeddedAgentByNode.get(node);
  if (known && known.agents === EMBEDDED_NETWORK_AGENTS) return known.agent;
  const agent = findEmbeddedAgent(node);
  embeddedAgentByNode.set(node, { agents: EMBEDDED_NETWORK_AGENTS, agent });
  return agent;
}
const embeddedAgentByNode = new WeakMap<Node, { agents: readonly EmbeddedNetworkAgent[]; agent: EmbeddedNetworkAgent | undefined }>();

function findEmbeddedAgent(node: Node): EmbeddedNetworkAgent | undefined {
  const version = (node.status as { nodeInfo?: { kubeletVersion?: string } } | undefined)?.nodeInfo?.kubeletVersion ?? '';
  const annotations = node.metadata.annotations ?? {};
  const labels = node.metadata.labels ?? {};
  return EMBEDDED_NETWORK_AGENTS.find(
    (a) =>
      !!a.kubeletVersion?.test(version) ||
      a.nodeAnnotations.some((k) => k in annotations) ||
      Object.entries(a.nodeLabels ?? {}).some(([k, v]) => labels[k] === v),
  );
}

/** What on the node shows it runs the agent: its kubelet version, or the label the agent puts on its nodes. */
function agentProof(node: Node, agent: EmbeddedNetworkAgent): string {
  const version = (node.status as { nodeInfo?: { kubeletVersion?: string } } | undefined)?.nodeInfo?.kubeletVersion;
  if (agent.kubeletVersion && version && agent.kubeletVersion.test(version)) return `kubelet ${version}`;
  const labels = node.metadata.labels ?? {};
  const label = Object.entries(agent.nodeLabels ?? {}).find(([k, v]) => labels[k] === v);
  if (label) return `node label ${label[0]}=${label[1]}`;
  return `kubelet ${version ?? 'version unknown'}`;
}

const EMBEDDED_INTERMEDIARIES_DENIED: ReadonlySet<string> = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'busybox', 'python', 'python3', 'perl', 'ruby', 'node', 'php']);
const BUILT_IN_CHAINS: ReadonlySet<string> = new Set(['INPUT', 'OUTPUT', 'FORWARD', 'PREROUTING', 'POSTROUTING']);
const IPTABLES_APPLET = /^ip6?tables(?:-nft|-legacy)?$/;

/**
 * A single iptables call (not -restore or -save, whose rules are on stdin) stays in the agent's own chains: it works
 * in one of them, or hooks a built-in chain into one (`-I INPUT … -j KUBE-FIREWALL`). A policy change, a flush of a
 * built-in chain or a rule there that jumps anywhere else opens the host firewall, which no embedded kube-proxy does.
 */
function ownChainsOnly(commandLine: string | undefined, prefixes: readonly string[]): boolean {
  const argv = splitCommandLine(commandLine ?? '');
  const start = argv.findIndex((a) => IPTABLES_APPLET.test(a.split('/').pop() ?? ''));
  if (start === -1) return true;
  const args = argv.slice(start + 1);
  const own = (chain: string | undefined) => !!chain && prefixes.some((p) => chain.startsWith(p));
  const jump = args.flatMap((a, i) => (a === '-j' || a === '--jump' || a === '-g' || a === '--goto' ? [args[i + 1]] : []))[0];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-P' || a === '--policy') return false;
    if (!/^-(?:[AIDRNCFZXL]|-append|-insert|-delete|-replace|-new-chain|-flush|-delete-chain|-zero|-check|-list)$/.test(a)) continue;
    const chain = args[i + 1] && !args[i + 1].startsWith('-') ? args[i + 1] : undefined;
    if (own(chain)) continue;
    if (/^-(?:[CL]|-check|-list)$/.test(a)) continue;
    if (chain && BUILT_IN_CHAINS.has(chain) && /^-(?:[AID]|-append|-insert|-delete)$/.test(a) && own(jump)) continue;
    return false;
  }
  return true;
}

/**
 * A host process on a node whose agent embeds the network (k3s): a netfilter tool whose parent (or grandparent) is
 * that agent, or a bundled CNI plugin run by its embedded containerd. No pod can confirm it; the node does.
 */
function embeddedAgentWork(ctx: RuleContext, names: readonly string[]): Evidence[] | undefined {
  const { alert, correlation, index } = ctx;
  const node = correlation.subject.node;
  if (correlation.subject.pod || !node) return undefined;
  const agent = embeddedAgentOf(node);
  if (!agent) return undefined;
  const nodeName = node.metadata.name;
  const ancestors = alert.process.ancestors.slice(0, 3);
  const proof = `${nodeName} runs ${agent.name} (${agentProof(node, agent)})`;
  const path = alert.process.path ?? '';
  const caller = ancestors[0] && executableNames(ancestors[0]).find((n) => agent.cniCallers.includes(n));
  if (agent.cniDirs.some((d) => d.test(path)) && caller) {
    const sandbox = alert.time
      ? index.podsOnNode(nodeName).find((p) => p.metadata.creationTimestamp && Math.abs(Date.parse(p.metadata.creationTimestamp) - Date.parse(alert.time!)) <= 120_000)
      : undefined;
    return [
      benign(
        this_id,
        'node-networking',
        'medium',
        `${path} is a CNI plugin bundled with ${agent.name}, run by its embedded ${caller} to wire a pod sandbox; ${proof}${sandbox ? `, and ${sandbox.metadata.namespace}/${sandbox.metadata.name} was created on it at ${sandbox.metadata.creationTimestamp}` : ''}.`,
        { node: nodeName, agent: agent.id },
      ),
    ];
  }
  if (!names.some((n) => agent.binaries.includes(n))) return undefined;
  const at = ancestors.findIndex((a) => executableNames(a).some((n) => agent.daemons.includes(n)));
  if (at === -1) return undefined;
  // The agent execs its tools itself (go-iptables): a shell or interpreter between them is someone else's script.
  if (ancestors.slice(0, at).some((a) => executableNames(a).some((n) => EMBEDDED_INTERMEDIARIES_DENIED.has(n)))) return undefined;
  if (!ownChainsOnly(alert.process.commandLine, agent.chains)) return undefined;
  // The agent is a service the init system starts: one under a login, or run from elsewhere than its install path, is a look-alike.
  if (ancestors.slice(at).some(isNodeLogin)) return undefined;
  const daemonPath = ancestors[at].path;
  if (daemonPath && agent.daemonPaths && !agent.daemonPaths.some((p) => p.test(daemonPath))) return undefined;
  return [
    benign(
      this_id,
      'node-networking',
      'medium',
      `${clip(alert.process.commandLine ?? alert.process.name ?? names[0])} is ${at === 0 ? 'a child' : 'a descendant'} of ${clip(ancestors[at].commandLine ?? ancestors[at].name ?? agent.name, 60)}: ${proof}, which runs ${agent.embeds} in its own process on the host, so no network pod exists to run it.`,
      { node: nodeName, agent: agent.id },
    ),
  ];
}

function hostProcess(ctx: RuleContext): Evidence[] {
  const { alert, correlation, index } = ctx;
  const wrapped = wrappedProgram(alert.process.commandLine);
  const names = [...executableNames(alert.process), ...(wrapped ? [wrapped.program] : [])];
  const embedded = embeddedAgentWork(ctx, names);
  if (embedded) return embedded;
  if (!names.some((n) => networkBinaries().has(n))) return [];
  const { subject } = correlation;
  const what = alert.process.commandLine ?? alert.process.name ?? names[0];

  // The process was placed in a container: that container must be the component's.
  if (subject.pod) {
    const match = componentOfPod(index, subject.pod, subject.container?.spec);
    // Multus (and other CNI daemons) run the plugins from the host's CNI directory, mounted into their container.
    const plugin = cniPluginRun(alert);
    if (match && match.component.role === 'cni' && plugin) {
      return [
        benign(this_id, 'node-networking', match.strength === 'strong' ? 'strong' : 'medium', `${plugin.path} is a CNI plugin from the host's CNI directory, executed by ${plugin.caller} in ${describePod(index, subject.pod)} (${match.component.name}) to set up pod networking.`, {
          component: match.component.id,
          pod: subject.pod.metadata.name,
        }),
      ];
    }
    if (match && isNetworkComponent(match.component) && runsBinary(match.component, names)) {
      // Typed into a shell in the component's container (kubectl exec, crictl exec), not run by its daemon.
      const shell = interactiveOrigin(alert, match.component);
      if (shell) {
        return [malicious(this_id, 'medium', `${clip(what)} runs in ${describePod(index, subject.pod)}, a ${match.component.name} pod, but from ${shell}, not from its daemon (${match.component.daemons.join(', ')}).`)];
      }
      return [
        benign(this_id, 'node-networking', match.strength, `${clip(what)} runs in ${describePod(index, subject.pod)}, a ${match.component.name} pod, which maintains the node network with this binary.`, {
          component: match.component.id,
          pod: subject.pod.metadata.name,
        }),
      ];
    }
    if (match && isNetworkComponent(match.component)) return [];
    return [malicious(this_id, 'weak', `${clip(what)} is a node-networking binary, but it runs in ${describePod(index, subject.pod)}, which is not a known network component.`)];
  }

  // A host-level process on a node: find the component pod on that node whose daemon is this process's parent.
  if (!subject.node) return [];
  const nodeName = subject.node.metadata.name;
  const candidates = componentPodsOnNode(index, subject.node, (c) => isNetworkComponent(c) && !!runsBinary(c, names));
  if (candidates.length === 0) {
    return [malicious(this_id, 'weak', `${clip(what)} looks like node-network maintenance, but no known network component (CNI, kube-proxy, DNS cache) that runs it is scheduled on ${nodeName}.`)];
  }
  const ancestors = alert.process.ancestors;
  // CNI plugins are host binaries the container runtime executes at every pod sandbox setup and teardown.
  const path = alert.process.path ?? '';
  if (CNI_BIN_DIR.test(path) && ancestors[0] && executableNames(ancestors[0]).some((n) => CNI_CALLERS.has(n))) {
    const plugin = candidates[0];
    const sandbox = index
      .podsOnNode(nodeName)
      .filter((p) => p.metadata.creationTimestamp && alert.time && Math.abs(Date.parse(p.metadata.creationTimestamp) - Date.parse(alert.time)) <= 120_000)
      .sort((a, b) => Math.abs(Date.parse(a.metadata.creationTimestamp!) - Date.parse(alert.time!)) - Math.abs(Date.parse(b.metadata.creationTimestamp!) - Date.parse(alert.time!)))[0];
    return [
      benign(
        this_id,
        'node-networking',
        plugin.match.strength === 'strong' ? 'strong' : 'medium',
        `${path} is the ${plugin.match.component.name} CNI plugin that ${describePod(index, plugin.pod)} installs on ${nodeName}, executed by ${ancestors[0].name ?? 'the container runtime'} to set up pod networking${sandbox ? `; ${sandbox.metadata.namespace}/${sandbox.metadata.name} was created on this node at ${sandbox.metadata.creationTimestamp}` : ''}.`,
      ),
    ];
  }
  // A mesh's CNI plugin (istio-cni in sidecar mode, linkerd-cni) writes the new pod's redirection rules itself: the
  // parent is that plugin from the host's CNI directory, run by the container runtime, and its component runs here.
  const plugin = ancestors[0];
  if (plugin && CNI_BIN_DIR.test(plugin.path ?? '') && ancestors[1] && executableNames(ancestors[1]).some((n) => CNI_CALLERS.has(n))) {
    const owner = candidates.find(({ match }) => executableNames(plugin).some((n) => match.component.binaries.includes(n)));
    if (owner && owner.match.strength !== 'weak') {
      return [
        benign(
          this_id,
          'node-networking',
          owner.match.strength,
          `${clip(what)} is run by ${plugin.path}, the ${owner.match.component.name} CNI plugin that ${describePod(index, owner.pod)} installs on ${nodeName}, itself executed by ${ancestors[1].name ?? 'the container runtime'} to set up a new pod's network.`,
          { component: owner.match.component.id, pod: owner.pod.metadata.name, node: nodeName },
        ),
      ];
    }
  }
  for (let i = 0; i < Math.min(ancestors.length, 3); i++) {
    // The daemon runs in its container, started by the runtime: one started from a login on the node only has its name.
    if (ancestors.slice(i).some(isNodeLogin)) break;
    const parentNames = executableNames(ancestors[i]);
    const owner = candidates.find(({ match }) => parentNames.some((n) => match.component.daemons.includes(n)));
    if (owner) {
      const rel = i === 0 ? 'a child of' : 'a descendant of';
      return [
        benign(
          this_id,
          'node-networking',
          // Only the image matched (another namespace, another owner): a look-alike, not the component.
          owner.match.strength === 'weak' ? 'weak' : owner.match.strength,
          `${clip(what)} is ${rel} ${clip(ancestors[i].commandLine ?? ancestors[i].name ?? 'the daemon', 80)}, the ${owner.match.component.name} daemon of ${describePod(index, owner.pod)}, which maintains this node's network.`,
          { component: owner.match.component.id, pod: owner.pod.metadata.name, node: nodeName },
        ),
      ];
    }
  }
  // The process is itself the component's daemon: only credible when a container started it.
  const self = candidates.find(({ match }) => names.some((n) => match.component.daemons.includes(n)));
  if (self && ancestors.length && executableNames(ancestors[0]).some((n) => /^(?:containerd-shim(?:-runc-v2)?|runc|conmon|runsv|runsvdir|dumb-init|tini|start_runit)$/.test(n))) {
    return [benign(this_id, 'node-networking', 'medium', `${clip(what)} is the ${self.match.component.name} daemon, started by the container runtime, and ${describePod(index, self.pod)} runs on this node.`)];
  }
  if (!ancestors.some(known)) {
    // Only the parent's pid (auditd). A person's login (login uid, terminal) is never a component's work.
    if (fromLogin(alert.process)) return [];
    // A component's init container (a mesh's proxy-init) that ran on this node at that moment, as this very user.
    const init = initContainerAtAlert(alert, candidates);
    if (init) {
      return [
        benign(
          this_id,
          'node-networking',
          'medium',
          `${clip(what)} ran on ${nodeName} while init container ${init.container} of ${describePod(index, init.pod)} (${init.match.component.name}, image ${init.image}) was running there (${init.startedAt} to ${init.finishedAt})${init.uid ? ` as UID ${init.uid}, the user it runs as` : ''}; the alert names no parent process.`,
          { component: init.match.component.id, pod: init.pod.metadata.name, container: init.container },
        ),
      ];
    }
    // Only the parent's pid (auditd): a read-only dump through the very namespace wrapper a component here uses.
    const dumper = wrapped && READ_ONLY_DUMPS.has(wrapped.program) ? candidates.find(({ match }) => match.component.binaries.includes(wrapped.wrapper) && match.component.binaries.includes(wrapped.program) && (match.component.hostPrivilegedActions as string[] | undefined)?.includes(wrapped.wrapper)) : undefined;
    if (dumper) {
      return [
        benign(
          this_id,
          'node-networking',
          'medium',
          `${clip(what)} only lists rules (${wrapped!.program}) inside another namespace through ${wrapped!.wrapper}, exactly what ${describePod(index, dumper.pod)} (${dumper.match.component.name}) does on ${nodeName}; the alert names no parent process.`,
          { component: dumper.match.component.id, pod: dumper.pod.metadata.name },
        ),
      ];
    }
    // The rule's own chain names who wrote it, when that component runs here.
    const owner = chainOwner(alert.process.commandLine, candidates, index);
    if (owner) {
      return [
        benign(
          this_id,
          'node-networking',
          'medium',
          `${clip(what)} edits chain ${owner.chain}, which belongs to ${owner.match.component.name}, and ${describePod(index, owner.pod)} runs on ${nodeName}; the alert names no parent process, only the chain tells whose rule it is.`,
          { component: owner.match.component.id, pod: owner.pod.metadata.name, chain: owner.chain },
        ),
      ];
    }
    const c = candidates[0];
    return [benign(this_id, 'node-networking', 'weak', `${describePod(index, c.pod)} (${c.match.component.name}) runs on ${nodeName} and uses this binary, but the alert carries no parent process to confirm it ran it.`)];
  }
  // Listing or dumping the node network's state changes nothing: no daemon's maintenance to miss, only a weak doubt.
  const readOnly = readOnlyInspection(alert.process.commandLine);
  return [
    malicious(
      this_id,
      readOnly ? 'weak' : 'medium',
      `${clip(what)} is not a child of any node-network daemon on ${nodeName} (its parent is ${clip(ancestors[0].commandLine ?? ancestors[0].name ?? 'unknown', 80)}), although ${candidates.map((c) => c.pod.metadata.name).join(', ')} run there${readOnly ? `; it only ${readOnly}` : ''}.`,
    ),
  ];
}

/** Read-only forms of the node-network tools: what each one only reads. */
const READ_ONLY_FORMS: readonly { programs: readonly string[]; test: (argv: string[]) => boolean; what: string }[] = [
  {
    programs: ['bpftool'],
    test: (a) => /^(?:prog|map|net|link|btf|cgroup|perf|struct_ops)$/.test(a[1] ?? '') && /^(?:show|list|dump|lookup|getnext)$/.test(a[2] ?? ''),
    what: 'reads BPF programs or maps',
  },
  { programs: ['iptables', 'ip6tables', 'iptables-nft', 'ip6tables-nft', 'iptables-legacy', 'ip6tables-legacy'], test: (a) => a.slice(1).some((w) => /^(?:-L|-S|--list|--list-rules)$/.test(w)) && !a.slice(1).some((w) => /^(?:-[ADIRFXNPZ]|--(?:append|delete|insert|replace|flush|delete-chain|new-chain|policy|zero))$/.test(w)), what: 'lists firewall rules' },
  { programs: ['ip'], test: (a) => /^(?:route|r|addr|a|link|l|rule|neigh|n)$/.test(a[1] ?? '') && /^(?:show|list|ls|get)?$/.test(a[2] ?? ''), what: 'shows routes, addresses or links' },
];

/** What a read-only invocation of a node-network tool only reads, or undefined when it may change something. */
function readOnlyInspection(commandLine: string | undefined): string | undefined {
  if (!commandLine) return undefined;
  const argv = splitCommandLine(commandLine);
  const program = (argv[0] ?? '').split('/').pop() ?? '';
  return READ_ONLY_FORMS.find((f) => f.programs.includes(program) && f.test(argv))?.what;
}

/** A CNI plugin binary (also under a host root mounted into the container) run by the runtime or a CNI daemon. */
export function cniPluginRun(alert: Alert): { path: string; caller: string } | undefined {
  const path = alert.process.path ?? '';
  const inner = path.replace(/^\/(?:host|hostroot|rootfs|host-root|hostfs)(?=\/)/, '');
  const parent = alert.process.ancestors[0];
  const caller = parent ? executableNames(parent).find((n) => CNI_CALLERS.has(n)) : undefined;
  return CNI_BIN_DIR.test(inner) && caller ? { path, caller } : undefined;
}

const READ_ONLY_DUMPS = new Set(['iptables-save', 'ip6tables-save', 'iptables-nft-save', 'ip6tables-nft-save', 'iptables-legacy-save', 'ip6tables-legacy-save']);


/** ipset commands that change a set (listing or saving one changes nothing and tells nothing about who ran it). */
const IPSET_CHANGES = new Set(['add', 'del', 'create', 'destroy', 'flush', 'swap', 'rename', '-A', '-D', '-N', '-X', '-F', '-W', '-E']);

/** Started from a person's login on the host: a login uid (auditd auid) or a controlling terminal. */
function fromLogin(p: ProcessInfo): boolean {
  return p.tty === true || (p.loginUid !== undefined && p.loginUid !== '' && p.loginUid !== '-1' && p.loginUid !== '4294967295');
}

/** How long after an init container finished the sensor may still report its last command (clock skew, batching). */
const INIT_AFTER_MS = 30_000;
const INIT_BEFORE_MS = 5_000;

/**
 * The init container of a confirmed network component (a mesh's proxy-init writing the pod's redirection) whose run
 * covers the alert's time on this node, running this binary's component image, as the process's user when both say.
 */
function initContainerAtAlert(
  alert: Alert,
  candidates: { pod: Pod; match: { component: NodeComponent; strength: string } }[],
): { pod: Pod; match: { component: NodeComponent }; container: string; image: string; startedAt: string; finishedAt: string; uid?: string } | undefined {
  const t = Date.parse(alert.time ?? '');
  if (!Number.isFinite(t)) return undefined;
  for (const { pod, match } of candidates) {
    if (match.strength !== 'strong') continue;
    for (const spec of pod.spec.initContainers ?? []) {
      if (!imageMatches(match.component, spec.image)) continue;
      const ran = pod.status?.initContainerStatuses?.find((st) => st.name === spec.name)?.state?.terminated;
      if (!ran?.startedAt || !ran.finishedAt) continue;
      if (t < Date.parse(ran.startedAt) - INIT_BEFORE_MS || t > Date.parse(ran.finishedAt) + INIT_AFTER_MS) continue;
      const runAs = spec.securityContext?.runAsUser ?? pod.spec.securityContext?.runAsUser;
      if (runAs !== undefined && alert.process.uid !== undefined && String(runAs) !== alert.process.uid) continue;
      return { pod, match, container: spec.name, image: spec.image ?? '', startedAt: ran.startedAt, finishedAt: ran.finishedAt, uid: runAs !== undefined ? String(runAs) : undefined };
    }
  }
  return undefined;
}

/** An ancestor the sensor identified (not just a pid). */
function known(p: ProcessInfo): boolean {
  return !!(p.name || p.path || p.commandLine);
}

const SHELL_NAMES = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'busybox']);

/** The process came from an interactive shell (a terminal, or a shell running no script) and no daemon of the component is in its chain. */
function interactiveOrigin(alert: Alert, component: NodeComponent): string | undefined {
  const chain = alert.process.ancestors.slice(0, 4);
  if (chain.some((a) => executableNames(a).some((n) => component.daemons.includes(n)))) return undefined;
  // A shell with flags only (`sh`, `bash -l`, `sh -i`): one running a script (`sh -c …`, `sh /install-cni.sh`) is not interactive.
  const shell = chain.find((a) => executableNames(a).some((n) => SHELL_NAMES.has(n)) && (a.commandLine === undefined || splitCommandLine(a.commandLine).slice(1).every((w) => /^-[a-z]+$/i.test(w) && !w.includes('c'))));
  if (shell) return `an interactive shell (${clip(shell.commandLine ?? shell.name ?? 'sh', 40)})`;
  if (alert.process.tty === true && chain.length > 0) return 'a terminal session';
  return undefined;
}

/** The chain a rule edits (`-A/-I/-N/-D/-R/-C CHAIN`, `-j CHAIN`), owned by a component running on the node. */
function chainOwner(commandLine: string | undefined, candidates: { pod: Pod; match: { component: NodeComponent } }[], index: RuleContext['index']): { chain: string; pod: Pod; match: { component: NodeComponent } } | undefined {
  if (!commandLine) return undefined;
  const argv = splitCommandLine(commandLine);
  // The components' rules point at pods, nodes and Services: a rule sending traffic to (or admitting it from) a public
  // address no Service declares (external IPs, load-balancer addresses and source ranges) is someone else's.
  const declared = declaredServiceAddresses(index);
  if (publicAddressesIn(commandLine).some((a) => !declared.has(a))) return undefined;
  const chains = argv.flatMap((a, i) => (/^-(?:[AIDRNCFZXP]|-append|-insert|-delete|-replace|-new-chain)$/.test(a) && argv[i + 1] ? [argv[i + 1]] : []));
  // ipset changes name their set the same way components name their chains (kube-proxy's KUBE-LOOP-BACK, KUBE-CLUSTER-IP).
  const program = (argv[0] ?? '').split('/').pop();
  if (program === 'ipset' && IPSET_CHANGES.has(argv[1] ?? '') && argv[2]) chains.push(argv[2]);
  if (chains.length === 0) return undefined;
  for (const chain of chains) {
    const owner = candidates.find(({ match }) => match.component.chains?.some((prefix) => chain.startsWith(prefix)));
    if (owner) return { chain, ...owner };
  }
  return undefined;
}

/** IPv4 addresses and CIDRs (as written) outside the private, shared, loopback and link-local ranges. */
function publicAddressesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<![\d.])(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}(?:\/\d{1,2})?(?![\d.])/g)) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    const local = a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
    if (!local) out.push(m[0]);
  }
  return out;
}

/** Addresses the Services declare (external IPs, load-balancer IPs and ingress, source ranges), with and without /32. */
const declaredByIndex = new WeakMap<RuleContext['index'], Set<string>>();
function declaredServiceAddresses(index: RuleContext['index']): Set<string> {
  let set = declaredByIndex.get(index);
  if (set) return set;
  set = new Set();
  for (const svc of index.list('services')) {
    const spec = (svc.spec ?? {}) as { externalIPs?: string[]; loadBalancerIP?: string; loadBalancerSourceRanges?: string[] };
    const ingress = ((svc.status as { loadBalancer?: { ingress?: { ip?: string }[] } } | undefined)?.loadBalancer?.ingress ?? []).map((i) => i.ip);
    for (const a of [...(spec.externalIPs ?? []), spec.loadBalancerIP, ...(spec.loadBalancerSourceRanges ?? []), ...ingress]) {
      if (typeof a !== 'string') continue;
      set.add(a);
      set.add(a.endsWith('/32') ? a.slice(0, -3) : `${a}/32`);
    }
  }
  declaredByIndex.set(index, set);
  return set;
}

/** The cluster DNS Service (kube-dns / coredns / dns-default) in a namespace where the DNS component runs. */
let dnsComponents: NodeComponent[] | undefined;
function isDnsService(svc: KubeObject): boolean {
  dnsComponents ??= knownComponents().filter((c) => c.role === 'dns');
  return dnsComponents.some((c) => c.namespaces.includes(svc.metadata.namespace ?? '') && nameMatches(c.workloads, svc.metadata.name));
}

/** A private address a datacenter router can have (not loopback, link-local or the metadata service). */
function isDatacenterAddress(ip: string): boolean {
  return isPrivateAddress(ip) && !ip.startsWith('127.') && !ip.startsWith('169.254.') && ip !== '::1';
}

function networkFlow(ctx: RuleContext): Evidence[] {
  const { alert, correlation, index } = ctx;
  const n = alert.network;
  if (!n) return [];
  const src = correlation.subject;
  const dst = correlation.peer;
  const dnsFlow = (n.dstPort !== undefined && DNS_PORTS.has(n.dstPort)) || (n.srcPort !== undefined && DNS_PORTS.has(n.srcPort)) || n.appProtocol === 'dns';
  const out: Evidence[] = [];
  if (dnsFlow) {
    const dnsPods = (node: typeof src.node) => componentPodsOnNode(index, node, (c) => c.role === 'dns');
    // Pod or node → the node's local DNS cache address.
    const srcNode = src.node ?? (src.pod ? index.nodeOfPod(src.pod) : undefined);
    const local = dnsPods(srcNode).find(({ pod }) => n.dstIp && listenAddresses(pod).includes(n.dstIp));
    if (local) {
      out.push(benign(this_id, 'node-networking', 'strong', `${n.dstIp} is a listen address of ${describePod(index, local.pod)} (${local.match.component.name}) on the source's node, so this is ordinary name resolution${n.domain ? ` (${n.domain})` : ''}.`));
      return out;
    }
    // Host-network DNS cache on the source node forwarding to a DNS pod, or a DNS pod answering it.
    const upstream = dst?.pod ? componentOfPod(index, dst.pod) : undefined;
    const fromDnsPod = src.pod ? componentOfPod(index, src.pod) : undefined;
    if (src.node && !src.pod && upstream?.component.role === 'dns') {
      const cache = dnsPods(src.node).find(({ match }) => match.component.id !== upstream.component.id);
      out.push(
        benign(
          this_id,
          'node-networking',
          cache ? 'strong' : 'medium',
          `${src.node.metadata.name} queries ${describePod(index, dst!.pod!)} (${upstream.component.name})${cache ? `, forwarded by host-network ${describePod(index, cache.pod)}` : ''}; names like ${n.domain ?? 'these'} are search-path expansions of cluster DNS.`,
        ),
      );
      return out;
    }
    if (fromDnsPod?.component.role === 'dns' && dst?.node && !dst.pod) {
      const cache = dnsPods(dst.node)[0];
      out.push(
        benign(
          this_id,
          'node-networking',
          cache ? 'strong' : 'medium',
          `${describePod(index, src.pod!)} (${fromDnsPod.component.name}) answers ${dst.node.metadata.name}${cache ? `, where host-network ${describePod(index, cache.pod)} forwards cluster names to it` : ''}; NXDOMAIN answers for search-path expansions are normal.`,
        ),
      );
      return out;
    }
    // An upstream resolver outside the cluster and a node running cluster DNS pods: the pods forward what they cannot
    // answer to the node's resolver, and their queries leave with the node's address.
    const outside = (end: typeof src | undefined) => !end?.pod && !end?.node && !end?.service;
    const resolverSide = n.srcPort !== undefined && DNS_PORTS.has(n.srcPort) ? { node: dst?.node && !dst.pod ? dst.node : undefined, other: src } : { node: src.node && !src.pod ? src.node : undefined, other: dst };
    // Only statistics (NXDOMAIN counts) or search-path expansions: a lookup of a named outside domain may be a pod's C2.
    const expansion = !n.domain || CLUSTER_SEARCH_EXPANSION.test(n.domain) || HOST_SEARCH_DOMAINS.some((d) => d.test(n.domain!));
    // Pod addresses routable in the VPC / VNet (Azure CNI, the VPC CNI on its own subnets): a DNS pod forwards to the
    // upstream resolver with its own address, not the node's.
    const forwarder = fromDnsPod && fromDnsPod.strength !== 'weak' && fromDnsPod.component.role === 'dns' && !src.pod!.spec.hostNetwork ? fromDnsPod : undefined;
    // The cloud's own API endpoints (storage.googleapis.com…) are resolved all day by node agents and SDKs.
    const cloudApi = !!n.domain && !expansion && isCloudApiDomain(n.domain);
    if (forwarder && n.dstPort !== undefined && DNS_PORTS.has(n.dstPort) && outside(dst) && (expansion || cloudApi)) {
      const what = cloudApi
        ? `${n.domain} is an API endpoint of the cloud itself`
        : n.domain
          ? `${n.domain} is a search-path expansion`
          : 'NXDOMAIN answers for search-path expansions are normal';
      return [
        benign(
          this_id,
          'node-networking',
          'medium',
          `${describePod(index, src.pod!)} (${forwarder.component.name}) forwards names outside the cluster domain to the upstream resolver ${n.dstIp ?? ''}; ${what}.`.replace(' ;', ';'),
        ),
      ];
    }
    // A pod asking the cluster DNS Service for a search-path expansion of a cluster name (ndots:5 tries every suffix).
    const dnsService = dst?.service && !dst.pod ? isDnsService(dst.service) : false;
    if (src.pod && dnsService && n.domain && CLUSTER_SEARCH_EXPANSION.test(n.domain)) {
      return [
        benign(
          this_id,
          'node-networking',
          'medium',
          `${describePod(index, src.pod)} asks the cluster DNS Service ${dst!.service!.metadata.namespace}/${dst!.service!.metadata.name} for ${n.domain}: the resolver tries every search domain of the pod (ndots:5), so cluster names come back doubled and long.`,
        ),
      ];
    }
    if (resolverSide.node && outside(resolverSide.other) && expansion) {
      const forwarders = dnsPods(resolverSide.node).filter(({ pod }) => !pod.spec.hostNetwork);
      if (forwarders.length) {
        const f = forwarders[0];
        return [
          benign(
            this_id,
            'node-networking',
            'medium',
            `${resolverSide.node.metadata.name} runs ${describePod(index, f.pod)} (${f.match.component.name}), which forwards names outside the cluster domain to the node's upstream resolver; its queries leave with the node's address, and NXDOMAIN answers for search-path expansions are normal.`,
          ),
        ];
      }
    }
    if (dst?.pod && upstream?.component.role === 'dns' && src.pod) {
      out.push(benign(this_id, 'node-networking', 'medium', `${describePod(index, src.pod)} resolves names through ${describePod(index, dst.pod)} (${upstream.component.name}).`));
      return out;
    }
  }
  // Node or pod → a self-managed API server (a static kube-apiserver pod on a control-plane node, at its secure port).
  const apiServer = dst?.node && !dst.pod ? kubeApiServerOn(index, dst.node.metadata.name) : undefined;
  if (apiServer && n.dstPort === apiServer.port && (src.node || src.pod)) {
    const tls = /ssl|tls|cert/i.test(alert.title);
    out.push(
      benign(
        this_id,
        'node-networking',
        tls ? 'strong' : 'medium',
        `${dst!.node!.metadata.name}:${apiServer.port} is the API server (${describePod(index, apiServer.pod)}); every node's kubelet and network agents talk to it${tls ? ', and its certificate comes from the cluster\'s own CA, which a network sensor does not trust' : ''}.`,
      ),
    );
    return out;
  }
  // The API server → a kubelet: logs, metrics, and the streams of kubectl exec / attach / port-forward.
  const fromApiServer = src.node && !src.pod ? kubeApiServerOn(index, src.node.metadata.name) : undefined;
  if (fromApiServer && dst?.node && n.dstPort === KUBELET_PORT) {
    const session = index.execSessions.find((sess) => {
      const p = index.podByName(sess.namespace, sess.pod);
      return p?.spec.nodeName === dst.node!.metadata.name && alert.time && Date.parse(alert.time) >= Date.parse(sess.start) - 60_000 && Date.parse(alert.time) <= Date.parse(sess.end) + 60_000;
    });
    if (session) {
      out.push(
        benign(
          this_id,
          'admin-activity',
          'strong',
          `The API server on ${src.node!.metadata.name} reaches the kubelet of ${dst.node.metadata.name} while ${session.user}'s kubectl ${session.kind} into ${session.namespace}/${session.pod} (on that node) is open, ${session.start} to ${session.end}: the API server carries that session to the kubelet.`,
        ),
      );
    } else {
      out.push(benign(this_id, 'node-networking', 'medium', `The API server on ${src.node!.metadata.name} reaches the kubelet of ${dst.node.metadata.name} on port ${KUBELET_PORT}, as it does for logs, metrics and exec.`));
    }
    return out;
  }
  // Node to node on a port a network component running there uses between nodes (health, overlay, BGP).
  if (src.node && !src.pod && dst?.node && !dst.pod && n.dstPort !== undefined) {
    const port = n.dstPort;
    // A pod matched by image alone (another namespace, another owner) is a look-alike and proves nothing.
    const owner = componentPodsOnNode(index, src.node, (c) => !!c.peerPorts?.includes(port) || !!c.peerPortRanges?.some(([low, high]) => port >= low && port <= high)).find(({ match }) => match.strength !== 'weak');
    if (owner) {
      out.push(
        benign(
          this_id,
          'node-networking',
          'medium',
          `${src.node.metadata.name} reaches ${dst.node.metadata.name} on port ${n.dstPort}, which ${owner.match.component.name} uses between nodes, and ${describePod(index, owner.pod)} runs on the source node.`,
        ),
      );
      return out;
    }
  }
  // A node's routing daemon peering with the datacenter's routers (BGP to the top of rack): one end is the node's own
  // address with the component's host-network pod on it, the other a private address that is no node or pod. A
  // public peer is not the datacenter's.
  if (n.dstPort !== undefined && n.srcIp && n.dstIp) {
    const port = n.dstPort;
    const sides = [
      { node: src.node && !src.pod ? src.node : undefined, peer: n.dstIp, other: dst },
      { node: dst?.node && !dst.pod ? dst.node : undefined, peer: n.srcIp, other: src },
    ];
    for (const side of sides) {
      if (!side.node || side.other?.node || side.other?.pod || !isDatacenterAddress(side.peer)) continue;
      const speaker = componentPodsOnNode(index, side.node, (c) => c.hostNetwork && !!c.externalPeerPorts?.includes(port)).find(({ match }) => match.strength !== 'weak');
      if (!speaker) continue;
      // An endpoint sensor names the process: it must be one of the routing component's own programs.
      const names = executableNames(alert.process);
      const { daemons, binaries } = speaker.match.component;
      if (names.length > 0 && !names.some((name) => daemons.includes(name) || binaries.includes(name))) continue;
      out.push(
        benign(
          this_id,
          'node-networking',
          'medium',
          `${side.node.metadata.name}'s own address and ${side.peer}, a private address that is no node or pod of the cluster, on port ${port}: ${speaker.match.component.name} peers with the datacenter's routers on it, and ${describePod(index, speaker.pod)} runs with the host network on ${side.node.metadata.name}.`,
          { component: speaker.match.component.id, pod: speaker.pod.metadata.name },
        ),
      );
      return out;
    }
  }
  // A component's own pod (a connectivity checker such as Kube-OVN's pinger) on a port that component uses between
  // nodes and pods: its health checks touch every address, which a sensor counts as a sweep.
  // Only towards the cluster's own nodes and pods (or a sweep notice naming no single peer), never outside.
  if (src.pod && n.dstPort !== undefined && (!n.dstIp || dst?.node || dst?.pod)) {
    const port = n.dstPort;
    const match = componentOfPod(index, src.pod);
    if (match?.strength === 'strong' && isNetworkComponent(match.component) && (match.component.peerPorts?.includes(port) || match.component.peerPortRanges?.some(([low, high]) => port >= low && port <= high))) {
      out.push(
        benign(
          this_id,
          'node-networking',
          'medium',
          `${describePod(index, src.pod)} is ${match.component.name}, which uses port ${port} between nodes and pods for its own checks and overlay; traffic from it on that port is its work.`,
          { component: match.component.id, pod: src.pod.metadata.name },
        ),
      );
      return out;
    }
  }
  // Host-network component talking to the instance metadata service from the node's own address.
  if (n.dstIp === '169.254.169.254' && src.node && !src.pod) {
    // An agent that reads only its own identity counts too: a credential or user-data path is an attack indicator, which wins.
    const agent = componentPodsOnNode(index, src.node, (c) => (!!c.usesInstanceMetadata || !!c.readsInstanceIdentity) && c.hostNetwork);
    if (agent.length) {
      const names = agent.map(({ pod, match }) => `${describePod(index, pod)} (${match.component.name})`).join(', ');
      out.push(benign(this_id, 'node-networking', 'medium', `The request comes from ${src.node.metadata.name}'s own address, where host-network ${names} runs and reads instance metadata as part of its work${n.url ? ` (${n.url})` : ''}.`));
    }
  }
  return out;
}

const KUBELET_PORT = 10250;

/** A static kube-apiserver pod on this node, with the port it serves on (--secure-port, default 6443). */
function kubeApiServerOn(index: RuleContext['index'], nodeName: string): { pod: Pod; port: number } | undefined {
  for (const pod of index.podsOnNode(nodeName)) {
    const container = pod.spec.containers.find((c) => c.name === 'kube-apiserver' || /(?:^|\/)kube-apiserver(?::|@|$)/.test(c.image ?? ''));
    if (!container || pod.metadata.namespace !== 'kube-system') continue;
    const flag = [...(container.command ?? []), ...(container.args ?? [])].find((a) => a.startsWith('--secure-port='));
    return { pod, port: flag ? Number(flag.split('=')[1]) : 6443 };
  }
  return undefined;
}

/** Binaries only network components run (shells and generic tools excluded: they prove nothing). */
const GENERIC_TOOLS = new Set(['sh', 'bash', 'curl', 'jq', 'toybox', 'install', 'cp', 'mv', 'nsenter', 'modprobe', 'sysctl', 'clang', 'llc', 'mount', 'umount']);
let binariesOf: { components: NodeComponent[]; binaries: Set<string> } | undefined;
function networkBinaries(): Set<string> {
  const components = knownComponents();
  if (binariesOf?.components === components) return binariesOf.binaries;
  const out = new Set<string>();
  for (const c of components) if (isNetworkComponent(c)) for (const b of c.binaries) if (!GENERIC_TOOLS.has(b)) out.add(b);
  binariesOf = { components, binaries: out };
  return out;
}


/** An address announced on the local network: ARP / NDP replies, gratuitous ARP, an address seen moving between MACs. */
const ANNOUNCEMENT = /\b(?:g?arp|ndp)\b|gratuitous|neighbou?r (?:advertisement|solicitation)|duplicate (?:ip|address)|(?:ip|address) (?:conflict|takeover)|mac (?:address )?(?:change|flip|flapping)/i;

const SWEEP = /\bscan|\bsweep|discovery tool|arp-scan|netdiscover/i;

/** The addresses a Service of type LoadBalancer holds (status.loadBalancer.ingress, spec.loadBalancerIP). */
function loadBalancerAddresses(service: KubeObject): string[] {
  const spec = (service as { spec?: { type?: string; loadBalancerIP?: string } }).spec;
  if (spec?.type !== 'LoadBalancer') return [];
  const ingress = (service as { status?: { loadBalancer?: { ingress?: { ip?: string }[] } } }).status?.loadBalancer?.ingress ?? [];
  return [spec.loadBalancerIP, ...ingress.map((i) => i.ip)].filter((x): x is string => !!x);
}

/**
 * A network sensor's ARP/NDP alert about an address a LoadBalancer Service holds, in a cluster where a layer-2
 * load balancer (MetalLB speaker, kube-vip) runs: announcing that address, and moving it to another node's MAC on
 * failover, is that component's job. The announcing node, when the speaker's event names it, must be one it runs on.
 */
function loadBalancerAnnouncement(ctx: RuleContext): Evidence[] {
  const { alert, index } = ctx;
  const n = alert.network;
  const text = `${alert.title} ${alert.description ?? ''}`;
  if (n?.protocol?.toLowerCase() !== 'arp' && !ANNOUNCEMENT.test(text)) return [];
  // Someone asking for many addresses (an ARP scan or sweep) is not the load balancer answering for one.
  if (SWEEP.test(text)) return [];
  const addresses = new Set([n?.srcIp, n?.dstIp, ...(text.match(IPV4) ?? [])].filter((x): x is string => !!x));
  for (const ip of addresses) {
    const service = index.serviceByIp(ip);
    if (!service || !loadBalancerAddresses(service).includes(ip)) continue;
    const speakers = index.nodes.flatMap((node) => componentPodsOnNode(index, node, (c) => c.role === 'load-balancer')).filter(({ match }) => match.strength === 'strong');
    if (speakers.length === 0) return [];
    const announcing = index
      .eventsFor(service.metadata.namespace ?? '', service.metadata.name)
      .map((e) => /announcing from node "([^"]+)"/.exec(String((e as { message?: string }).message ?? ''))?.[1])
      .filter((x): x is string => !!x);
    const speakerNodes = new Set(speakers.map(({ pod }) => pod.spec.nodeName));
    if (announcing.length && !announcing.some((node) => speakerNodes.has(node))) return [];
    const first = speakers[0];
    return [
      benign(
        this_id,
        'node-networking',
        'medium',
        `${ip} is the load-balancer address of Service ${service.metadata.namespace}/${service.metadata.name}, which ${first.match.component.name} announces on the local network (${speakers.length} pod${speakers.length > 1 ? 's' : ''}, e.g. ${describePod(index, first.pod)})${announcing.length ? `; its event says it is announced from ${announcing[announcing.length - 1]}` : ''}: ARP for that address, and its move to another node on failover, is the load balancer's work.`,
        { component: first.match.component.id, service: `${service.metadata.namespace}/${service.metadata.name}` },
      ),
    ];
  }
  return [];
}

export const nodeNetworking: Rule = {
  id: this_id,
  family: 'node-networking',
  direction: 'both',
  description: 'CNI, kube-proxy, DNS, load-balancer and mesh daemons maintaining iptables, ipsets, routes, conntrack and DNS, confirmed by their pod on that node',
  evaluate(ctx) {
    const flow = networkFlow(ctx);
    return [...hostProcess(ctx), ...(flow.length ? flow : loadBalancerAnnouncement(ctx))];
  },
};
