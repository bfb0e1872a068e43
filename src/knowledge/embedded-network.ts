/**
 * Distributions whose node agent runs the pod network on the host, inside its own binary: no CNI or kube-proxy pod
 * exists to confirm the story, the node itself does (its kubelet version and the agent's own annotations).
 */
export interface EmbeddedNetworkAgent {
  id: string;
  name: string;
  /** What the agent runs in-process, for the explanation. */
  embeds: string;
  /** The node's status.nodeInfo.kubeletVersion when it runs this agent (absent: the version is upstream's). */
  kubeletVersion?: RegExp;
  /** Annotations the agent writes on its nodes. */
  nodeAnnotations: string[];
  /** Labels (key and value) the agent puts on its nodes. */
  nodeLabels?: Record<string, string>;
  /** The agent's executable base names and process titles. */
  daemons: string[];
  /** Where the agent's executable lives: when the alert gives the daemon's path, it must be one of these. */
  daemonPaths?: RegExp[];
  /**
   * Chain name prefixes its embedded components own (kube-proxy's KUBE-, flannel's FLANNEL-, the policy controller's
   * KUBE-ROUTER- / KUBE-NWPLCY-): a single iptables call of theirs works in these, or hooks a built-in chain into one.
   */
  chains: string[];
  /** Network tools the embedded components execute (iptables through go-iptables, ipset, ip). */
  binaries: string[];
  /** Directories of the CNI plugins it bundles (run by its embedded containerd at every pod sandbox). */
  cniDirs: RegExp[];
  /** The binaries its embedded containerd runs the plugins from (containerd, the agent itself). */
  cniCallers: string[];
}

const NETFILTER = ['iptables', 'iptables-restore', 'iptables-save', 'ip6tables', 'ip6tables-restore', 'ip6tables-save', 'xtables-nft-multi', 'xtables-legacy-multi', 'ipset', 'ip', 'conntrack'];

export const EMBEDDED_NETWORK_AGENTS: EmbeddedNetworkAgent[] = [
  {
    // docs.k3s.io "Networking Services" / "Basic Network Options": flannel, kube-proxy (iptables mode) and the
    // kube-router network policy controller run in the k3s process; CNI plugins are the multi-call `cni` binary
    // unpacked under /var/lib/rancher/k3s/data/<hash>/bin; k3s nodes report kubeletVersion vX.Y.Z+k3sN.
    id: 'k3s',
    name: 'k3s',
    embeds: 'flannel, kube-proxy and the network policy controller',
    kubeletVersion: /\+k3s\d+$/,
    nodeAnnotations: ['k3s.io/node-args', 'k3s.io/hostname', 'k3s.io/internal-ip'],
    daemons: ['k3s', 'k3s-server', 'k3s-agent'],
    chains: ['KUBE-', 'FLANNEL-'],
    binaries: NETFILTER,
    cniDirs: [/^\/var\/lib\/rancher\/k3s\/data\/[^/]+\/bin\//],
    cniCallers: ['containerd', 'k3s', 'k3s-server', 'k3s-agent'],
  },
  {
    // MicroK8s (Canonical's snap) runs the API server, scheduler, controller-manager, kubelet and kube-proxy in one
    // host daemon, kubelite (/snap/microk8s/<revision>/kubelite), so kube-proxy's iptables-restore has kubelite as its
    // parent and no kube-proxy pod exists. The kubelet registers every node with label microk8s.io/cluster=true
    // (canonical/microk8s#308, #314); the version string is upstream's. Before 1.21 the snap ran kube-proxy as its own
    // daemon from the same directory. CNI plugins: the snap's own under /snap/microk8s/<rev>/opt/cni/bin and the ones
    // the CNI DaemonSet installs under /var/snap/microk8s/<rev|current>/opt/cni/bin, run by the snap's containerd.
    id: 'microk8s',
    name: 'MicroK8s',
    embeds: 'kube-proxy (with the kubelet and the control plane) in kubelite',
    nodeAnnotations: [],
    nodeLabels: { 'microk8s.io/cluster': 'true' },
    daemons: ['kubelite', 'kube-proxy'],
    daemonPaths: [/^\/snap\/microk8s\/(?:current|\d+|x\d+)\/(?:kubelite|kube-proxy)$/],
    chains: ['KUBE-'],
    binaries: NETFILTER,
    cniDirs: [/^\/(?:var\/)?snap\/microk8s\/(?:current|\d+|x\d+)\/opt\/cni\/bin\//],
    cniCallers: ['containerd'],
  },
];
