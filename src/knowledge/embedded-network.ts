/**
 * Distributions whose node agent runs the pod network on the host, inside its own binary: no CNI or kube-proxy pod
 * exists to confirm the story, the node itself does (its kubelet version and the agent's own annotations).
 */
export interface EmbeddedNetworkAgent {
  id: string;
  name: string;
  /** What the agent runs in-process, for the explanation. */
  embeds: string;
  /** The node's status.nodeInfo.kubeletVersion when it runs this agent. */
  kubeletVersion: RegExp;
  /** Annotations the agent writes on its nodes. */
  nodeAnnotations: string[];
  /** The agent's executable base names and process titles. */
  daemons: string[];
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
    binaries: NETFILTER,
    cniDirs: [/^\/var\/lib\/rancher\/k3s\/data\/[^/]+\/bin\//],
    cniCallers: ['containerd', 'k3s', 'k3s-server', 'k3s-agent'],
  },
];
