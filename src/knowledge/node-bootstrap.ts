/**
 * Node bootstrap agents: what a cloud node runs on the host while it joins the cluster (writes the container runtime
 * and kubelet configuration, starts their units). Sensors flag it as configuration tampering; it happens once, around
 * the node's registration. Data for the node-bootstrap rule. Sources: amazon-eks-ami (nodeadm for AL2023,
 * /etc/eks/bootstrap.sh for AL2), cloud-init, kubeadm join.
 */
export interface BootstrapAgent {
  name: string;
  /** Executable base names. */
  names: string[];
  /** Full paths (scripts run by a shell). */
  paths: string[];
}

export const BOOTSTRAP_AGENTS: readonly BootstrapAgent[] = [
  { name: 'nodeadm (EKS AL2023 node initialisation)', names: ['nodeadm'], paths: ['/usr/bin/nodeadm'] },
  { name: 'the EKS AL2 bootstrap script', names: ['bootstrap.sh'], paths: ['/etc/eks/bootstrap.sh'] },
  { name: 'kubeadm join', names: ['kubeadm'], paths: [] },
  { name: 'cloud-init', names: ['cloud-init'], paths: ['/usr/bin/cloud-init'] },
];

/** How long before its Node object appears a machine is already bootstrapping (boot, user data, kubelet start). */
export const BOOTSTRAP_BEFORE_MS = 10 * 60_000;
/** How long after registration bootstrap work still runs (nodeadm's run phase, cloud-init's final stage). */
export const BOOTSTRAP_AFTER_MS = 5 * 60_000;

/**
 * Where bootstrap writes: the runtime's, the kubelet's and the CNI's configuration, the node's kernel settings and the
 * agents' own state. A child of the agent naming only other paths (a binary dropped in /usr/local/bin) is not bootstrap.
 */
export const BOOTSTRAP_CONFIG_PATHS: readonly string[] = [
  '/etc/kubernetes/',
  '/etc/containerd/',
  '/etc/eks/',
  '/etc/cni/',
  '/etc/sysctl.d/',
  '/etc/modules-load.d/',
  '/etc/systemd/system/kubelet',
  '/etc/systemd/system/containerd',
  '/etc/sysconfig/kubelet',
  '/etc/default/kubelet',
  '/var/lib/kubelet/',
  '/var/lib/cloud/',
  '/run/containerd/',
  '/opt/cni/',
  '/usr/bin/nodeadm',
  '/etc/eks/bootstrap.sh',
];
