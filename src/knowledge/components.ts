/**
 * Known node components, distilled from ../shared/knowledge (components.json, KNOWLEDGE.md §1): which namespaces and
 * workloads they run as, which images, and which host binaries they legitimately execute. Data, not code: rules look
 * components up here and then ask the cluster whether such a pod really runs where the alert happened.
 * Sources: the upstream manifests and Falco allow-lists cited in the knowledge base.
 */

export type ComponentRole =
  | 'cni'
  | 'network-policy'
  | 'kube-proxy'
  | 'dns'
  | 'load-balancer'
  | 'service-mesh'
  | 'csi'
  | 'monitoring'
  | 'logging'
  | 'security-agent'
  | 'cloud-agent'
  | 'tunnel'
  | 'node-maintenance'
  /** A chaos-engineering agent that applies declared faults inside workloads (Chaos Mesh's chaos-daemon): see chaos-engineering.ts. */
  | 'fault-injection'
  | 'ingress-controller'
  /** A sidecar that connects an application pod to a cloud service (Cloud SQL Auth Proxy): its work is the app's, not the node network's. */
  | 'workload-sidecar'
  /** An operator's controller: it reconciles custom resources through the API server (an API client by design), never the node network. */
  | 'controller';

/**
 * Roles whose own work is the node's network (netfilter, routes, DNS, addresses): what their pods ordinarily do is
 * told as node networking. An ingress controller is a proxy in front of workloads, not node networking.
 */
export const NODE_NETWORK_ROLES: ReadonlySet<ComponentRole> = new Set<ComponentRole>(['cni', 'network-policy', 'kube-proxy', 'dns', 'load-balancer', 'service-mesh', 'tunnel', 'cloud-agent']);

export interface NodeComponent {
  id: string;
  name: string;
  role: ComponentRole;
  namespaces: string[];
  /** Workload names (controller names); a trailing * matches a prefix (Helm release prefixes vary). */
  workloads: string[];
  /** Image repository path suffixes, registry and tag ignored (e.g. "calico/node" matches quay.io/calico/node:v3.28). */
  images: string[];
  /** Executables the component runs on the node network or host, by base name. */
  binaries: string[];
  /** Container entrypoint base names (the daemon processes that parent the binaries). */
  daemons: string[];
  /** Its pods use the host network (so their traffic comes from the node's own address). */
  hostNetwork: boolean;
  /** Legitimately talks to the cloud instance metadata service. */
  usesInstanceMetadata?: boolean;
  /** Serves the metadata endpoint to pods itself and installs the NAT rule that sends pod metadata traffic to it (GKE metadata server, kube2iam, kiam). */
  redirectsInstanceMetadata?: boolean;
  /** Reads only where it runs from the instance metadata service (instance id, zone, addresses), never credentials, from its pod's own address. */
  readsInstanceIdentity?: boolean;
  /** Ports its pods use between nodes (health checks, overlay, BGP), so node-to-node traffic on them is its own. */
  peerPorts?: number[];
  /**
   * Ports it uses, from the node's own address, to peer with network equipment outside the cluster: BGP (179) to the
   * datacenter's top-of-rack routers, which are no nodes of the cluster.
   */
  externalPeerPorts?: number[];
  /** Port ranges its pods use between nodes (inclusive), e.g. Ceph daemons binding 6800–7300. */
  peerPortRanges?: [number, number][];
  /** Legitimately calls the API server with its own service-account token from scripts (curl), e.g. GKE netd-init. */
  callsApiServer?: boolean;
  /** Legitimately formats or mounts block devices, enters host namespaces, or loads kernel modules / BPF. */
  hostPrivilegedActions?: ('mkfs' | 'mount' | 'nsenter' | 'modprobe' | 'bpf' | 'chroot' | 'sysctl')[];
  /** Legitimately reads host paths mounted under these prefixes. */
  hostPathReads?: string[];
  /** Host files it manages (path prefixes as seen on the host), e.g. a node configuration daemon's /etc/containers/. */
  hostPathWrites?: string[];
  /**
   * Scans the host's files, credential files included, through the host root it mounts (an EDR agent's on-access and
   * scheduled scans): its own daemon reading one is its work.
   */
  scansHostFiles?: boolean;
  /** Kernel modules it loads (modprobe / insmod argument, '-' and '_' alike). */
  kernelModules?: string[];
  /** iptables / nftables chain name prefixes it owns (KUBE-, cali-, OVN-KUBE-): rules in them are its own. */
  chains?: string[];
  /** Ports it scrapes on other pods and nodes (a metrics collector). */
  scrapePorts?: number[];
  /** Its daemon is a Kubernetes API client (an agent or controller): its own connections to the API server are its work. */
  apiClient?: boolean;
  /** Its own daemons switch into workload namespaces in process (setns), without running nsenter into the host's PID 1. */
  entersWorkloadNamespaces?: boolean;
  /** Queries the container runtime through its mounted socket with read-only crictl commands (a health check), never exec. */
  runtimeQueries?: boolean;
  /** Reaches every kubelet's API (TCP/10250) by design: why, as a sentence fragment (the API server's tunnel to the nodes). */
  kubeletPurpose?: string;
  /**
   * Admin endpoints of the pods it manages that its controller calls (an operator configuring Kafka Connect through its
   * REST API): the port, labels every such pod carries, and what the endpoint is, as a noun phrase.
   */
  manages?: { port: number; podLabels: Readonly<Record<string, string>>; what: string }[];
  /** Its own daemon is configured with the container runtime's socket (mounted from the host) to find and enter containers. */
  runtimeSocketClient?: boolean;
}

const IPTABLES = [
  'iptables',
  'iptables-save',
  'iptables-restore',
  'ip6tables',
  'ip6tables-save',
  'ip6tables-restore',
  'iptables-legacy',
  'iptables-legacy-save',
  'iptables-legacy-restore',
  'ip6tables-legacy',
  'ip6tables-legacy-save',
  'ip6tables-legacy-restore',
  'iptables-nft',
  'iptables-nft-save',
  'iptables-nft-restore',
  'ip6tables-nft',
  'ip6tables-nft-save',
  'ip6tables-nft-restore',
  'xtables-nft-multi',
  'xtables-legacy-multi',
];

export const NODE_COMPONENTS: NodeComponent[] = [
  {
    id: 'calico-node',
    name: 'Calico node (Felix, BIRD, confd)',
    role: 'cni',
    namespaces: ['kube-system', 'calico-system'],
    workloads: ['calico-node'],
    images: ['calico/node', 'calico/cni', 'calico/calico', 'projectcalico-org/node'],
    binaries: [...IPTABLES, 'ipset', 'nft', 'ip', 'conntrack', 'bpftool', 'tc', 'modprobe', 'ethtool', 'calico-node', 'bird', 'bird6', 'confd', 'calico-ipam', 'calico', 'install'],
    daemons: ['calico-node', 'runsv', 'runsvdir', 'bird', 'bird6', 'confd', 'start_runit'],
    peerPorts: [179, 4789, 5473],
    // BIRD peers with the top-of-rack routers (BGPPeer) when Calico routes natively on premises.
    externalPeerPorts: [179],
    chains: ['cali-', 'cali:'],
    hostNetwork: true,
    hostPrivilegedActions: ['modprobe', 'bpf'],
  },
  {
    // Calico for policy with Flannel VXLAN for the network, one DaemonSet with both containers: upstream Canal
    // (projectcalico/canal, DaemonSet canal) and RKE2's default CNI (rancher/rke2-charts rke2-canal, built from
    // rancher/hardened-calico and rancher/hardened-flannel).
    id: 'canal',
    name: 'Canal (Calico policy + Flannel VXLAN)',
    role: 'cni',
    namespaces: ['kube-system'],
    workloads: ['canal', 'rke2-canal'],
    images: ['rancher/hardened-calico', 'rancher/hardened-flannel', 'calico/node', 'calico/cni', 'flannel/flannel', 'flannel-io/flannel', 'coreos/flannel'],
    binaries: [...IPTABLES, 'ipset', 'nft', 'ip', 'conntrack', 'modprobe', 'ethtool', 'calico-node', 'calico-ipam', 'calico', 'install', 'flanneld', 'flannel', 'flexvol.sh'],
    daemons: ['calico-node', 'runsv', 'runsvdir', 'start_runit', 'confd', 'flanneld'],
    peerPorts: [8472, 4789],
    chains: ['cali-', 'cali:', 'FLANNEL-'],
    hostNetwork: true,
    hostPrivilegedActions: ['modprobe'],
  },
  {
    // Rancher's agent in every managed cluster: tunnels Rancher's API proxy to the API server and runs Rancher's
    // controllers (Deployment cattle-system/cattle-cluster-agent, image rancher/rancher-agent, entrypoint via tini).
    id: 'rancher-cluster-agent',
    name: "Rancher's cluster agent",
    role: 'cloud-agent',
    namespaces: ['cattle-system'],
    workloads: ['cattle-cluster-agent'],
    images: ['rancher/rancher-agent'],
    binaries: [],
    daemons: ['agent', 'tini', 'entrypoint.sh'],
    hostNetwork: false,
    apiClient: true,
  },
  {
    // Rancher's system-upgrade-controller: watches Plans and creates the upgrade Jobs (rancher/system-upgrade-controller).
    id: 'system-upgrade-controller',
    name: 'system-upgrade-controller',
    role: 'node-maintenance',
    namespaces: ['system-upgrade', 'cattle-system'],
    workloads: ['system-upgrade-controller'],
    images: ['rancher/system-upgrade-controller'],
    binaries: [],
    daemons: ['system-upgrade-controller'],
    hostNetwork: false,
    apiClient: true,
  },
  {
    id: 'calico-typha',
    name: 'Calico Typha',
    role: 'network-policy',
    namespaces: ['kube-system', 'calico-system'],
    workloads: ['calico-typha'],
    images: ['calico/typha', 'projectcalico-org/typha'],
    binaries: ['calico-typha'],
    daemons: ['calico-typha'],
    hostNetwork: true,
  },
  {
    id: 'cilium',
    name: 'Cilium agent',
    role: 'cni',
    namespaces: ['kube-system'],
    workloads: ['cilium', 'anetd'],
    // DigitalOcean Kubernetes pulls the same agent from its own mirror (ghcr.io/digitalocean-packages/cilium:<v>-conformance).
    images: ['cilium/cilium', 'digitalocean-packages/cilium'],
    binaries: [...IPTABLES, 'ipset', 'ip', 'tc', 'bpftool', 'modprobe', 'sysctl', 'nsenter', 'cilium-mount', 'cilium-sysctlfix', 'clang', 'llc', 'cilium-health-responder', 'cilium', 'cilium-agent', 'cilium-cni'],
    daemons: ['cilium-agent', 'cilium-node-monitor', 'cilium-health-responder'],
    peerPorts: [4240, 8472, 4244, 51871, 6081],
    chains: ['CILIUM_', 'OLD_CILIUM_'],
    hostNetwork: true,
    hostPrivilegedActions: ['nsenter', 'modprobe', 'bpf', 'mount'],
  },
  {
    // Hubble Relay dials every Cilium agent's Hubble peer server (TCP 4244 on the node addresses) to gather flows.
    id: 'hubble-relay',
    name: 'Hubble Relay',
    role: 'cni',
    namespaces: ['kube-system'],
    workloads: ['hubble-relay'],
    images: ['cilium/hubble-relay', 'digitalocean-packages/hubble-relay'],
    binaries: ['hubble-relay'],
    daemons: ['hubble-relay'],
    hostNetwork: false,
    peerPorts: [4244],
  },
  {
    id: 'kindnet',
    name: 'kindnet (kind CNI)',
    role: 'cni',
    namespaces: ['kube-system'],
    workloads: ['kindnet'],
    images: ['kindest/kindnetd'],
    binaries: [...IPTABLES, 'ip'],
    daemons: ['kindnetd'],
    hostNetwork: true,
  },
  {
    id: 'flannel',
    name: 'Flannel',
    role: 'cni',
    namespaces: ['kube-flannel', 'kube-system'],
    workloads: ['kube-flannel-ds', 'kube-flannel-ds-amd64'],
    // OKE's flannel add-on ships from Oracle's registry as <region>.ocir.io/<namespace>/oke-public-flannel.
    images: ['flannel-io/flannel', 'flannel/flannel', 'coreos/flannel', 'mirrored-flannelcni-flannel', 'flannelcni/flannel', 'flannel-cni-plugin', 'oke-public-flannel'],
    binaries: [...IPTABLES, 'nft', 'ip', 'flanneld', 'flannel'],
    daemons: ['flanneld'],
    peerPorts: [8472, 8285, 51820],
    chains: ['FLANNEL-'],
    hostNetwork: true,
  },
  {
    id: 'weave-net',
    name: 'Weave Net',
    role: 'cni',
    namespaces: ['kube-system'],
    workloads: ['weave-net'],
    images: ['weaveworks/weave-kube', 'weaveworks/weave-npc', 'launcher/weave-kube', 'launcher/weave-npc'],
    // `weave` is the script launch.sh runs for its setup steps (`weave --local create-bridge`, `setup-iptables`, `expose`).
    binaries: [...IPTABLES, 'ipset', 'ip', 'modprobe', 'ulogd', 'weaver', 'weave-npc', 'weave'],
    daemons: ['weaver', 'weave-npc', 'launch.sh'],
    peerPorts: [6783, 6784],
    chains: ['WEAVE-'],
    hostNetwork: true,
    hostPrivilegedActions: ['modprobe'],
  },
  {
    id: 'aws-node',
    name: 'AWS VPC CNI (aws-node / ipamd)',
    role: 'cni',
    namespaces: ['kube-system'],
    workloads: ['aws-node'],
    images: ['amazon-k8s-cni', 'amazon-k8s-cni-init', 'amazon/aws-network-policy-agent'],
    // aws-vpc-cni-init (init container, privileged): copies the CNI binaries to the host and sets rp_filter / tcp_early_demux.
    binaries: [...IPTABLES, 'conntrack', 'ip', 'aws-k8s-agent', 'aws-vpc-cni', 'grpc-health-probe', 'aws-cni', 'egress-cni', 'aws-eks-nodeagent', 'aws-vpc-cni-init'],
    daemons: ['aws-k8s-agent', 'aws-vpc-cni', 'aws-eks-nodeagent', 'controller', 'aws-vpc-cni-init'],
    chains: ['AWS-SNAT-CHAIN', 'AWS-CONNMARK-CHAIN'],
    hostNetwork: true,
    usesInstanceMetadata: true,
    hostPrivilegedActions: ['bpf', 'sysctl'],
  },
  {
    id: 'azure-cni',
    name: 'Azure CNI / CNS / NPM',
    role: 'cni',
    namespaces: ['kube-system'],
    workloads: ['azure-cns', 'azure-cni', 'azure-npm', 'azure-npm-daemon'],
    images: ['containernetworking/azure-cns', 'containernetworking/azure-cni', 'containernetworking/azure-npm'],
    binaries: [...IPTABLES, 'ebtables', 'ip', 'conntrack', 'ipset', 'nft', 'azure-vnet', 'azure-vnet-ipam', 'azure-cns', 'azure-npm'],
    daemons: ['azure-cns', 'azure-npm', 'dropgz'],
    hostNetwork: true,
    usesInstanceMetadata: true,
  },
  {
    id: 'ip-masq-agent',
    name: 'ip-masq-agent',
    role: 'cni',
    namespaces: ['kube-system'],
    workloads: ['ip-masq-agent', 'azure-ip-masq-agent'],
    images: ['kubernetes/ip-masq-agent', 'aks/ip-masq-agent-v2', 'ip-masq-agent-amd64', 'ip-masq-agent'],
    binaries: IPTABLES,
    daemons: ['ip-masq-agent'],
    hostNetwork: true,
  },
  {
    id: 'netd',
    name: 'GKE netd',
    role: 'cni',
    namespaces: ['kube-system'],
    workloads: ['netd'],
    images: ['netd-amd64', 'google-containers/netd', 'google-containers/netd-init'],
    binaries: [...IPTABLES, 'ip', 'curl', 'jq', 'toybox', 'netd', 'install-cni.sh'],
    daemons: ['netd'],
    hostNetwork: true,
    usesInstanceMetadata: true,
    callsApiServer: true,
  },
  {
    // kube2iam (jtblin/kube2iam) and kiam's agent (uswitch/kiam): host-network DaemonSets that serve pods' requests to the
    // instance metadata service themselves, handing out the role a pod's annotation names; with --iptables they install
    // the PREROUTING DNAT of 169.254.169.254:80 to their own port on the node.
    id: 'kube2iam',
    name: 'kube2iam / kiam agent (IAM roles for pods through a metadata proxy)',
    role: 'cloud-agent',
    namespaces: ['kube-system', 'kube2iam', 'kiam'],
    workloads: ['kube2iam', 'kiam-agent'],
    images: ['jtblin/kube2iam', 'uswitch/kiam'],
    binaries: [...IPTABLES, 'kube2iam', 'kiam'],
    daemons: ['kube2iam', 'kiam'],
    hostNetwork: true,
    usesInstanceMetadata: true,
    redirectsInstanceMetadata: true,
  },
  {
    // Google's Cloud SQL Auth Proxy / AlloyDB Auth Proxy, run as a sidecar (often a native sidecar: an init container
    // with restartPolicy Always) of any application pod: it gets its OAuth token from the metadata server (Workload
    // Identity on GKE) and opens TLS tunnels to the instance's server-side connector on 3307. Entrypoints:
    // /cloud-sql-proxy (v2), /cloud_sql_proxy (v1), /alloydb-auth-proxy.
    id: 'cloud-sql-proxy',
    name: 'Cloud SQL / AlloyDB Auth Proxy sidecar',
    role: 'workload-sidecar',
    namespaces: ['*'],
    workloads: ['*'],
    images: ['cloud-sql-connectors/cloud-sql-proxy', 'cloudsql-docker/gce-proxy', 'alloydb-connectors/alloydb-auth-proxy'],
    binaries: ['cloud-sql-proxy', 'cloud_sql_proxy', 'alloydb-auth-proxy'],
    daemons: ['cloud-sql-proxy', 'cloud_sql_proxy', 'alloydb-auth-proxy'],
    hostNetwork: false,
    usesInstanceMetadata: true,
  },
  {
    // EKS Pod Identity agent: host network, serves pods' credential requests on 169.254.170.23:80 (and fd00:ec2::23);
    // its init container (`initialize`) adds that link-local address to the node.
    id: 'eks-pod-identity-agent',
    name: 'EKS Pod Identity agent',
    role: 'cloud-agent',
    namespaces: ['kube-system'],
    workloads: ['eks-pod-identity-agent'],
    images: ['eks/eks-pod-identity-agent'],
    binaries: ['eks-pod-identity-agent', 'go-runner'],
    daemons: ['eks-pod-identity-agent', 'go-runner'],
    hostNetwork: true,
  },
  {
    id: 'gke-metadata-server',
    name: 'GKE metadata server',
    role: 'cloud-agent',
    namespaces: ['kube-system'],
    workloads: ['gke-metadata-server'],
    images: ['gke-metadata-server'],
    binaries: [...IPTABLES, 'gke-metadata-server'],
    daemons: ['gke-metadata-server'],
    hostNetwork: true,
    usesInstanceMetadata: true,
    redirectsInstanceMetadata: true,
  },
  {
    id: 'antrea',
    name: 'Antrea agent',
    role: 'cni',
    namespaces: ['kube-system'],
    workloads: ['antrea-agent'],
    // Tanzu Kubernetes Grid ships VMware's own Antrea builds from projects.registry.vmware.com/tkg.
    images: ['antrea/antrea-agent-ubuntu', 'antrea/antrea-ubuntu', 'antrea/antrea-agent', 'tkg/antrea-advanced-debian', 'tkg/antrea-debian'],
    binaries: [...IPTABLES, 'ipset', 'ip', 'ovs-vsctl', 'ovs-ofctl', 'ovs-appctl', 'modprobe', 'antrea-agent'],
    // antrea-ovs runs start_ovs, which starts ovsdb-server and ovs-vswitchd through Open vSwitch's ovs-ctl script.
    daemons: ['antrea-agent', 'ovs-vswitchd', 'ovsdb-server', 'start_ovs', 'ovs-ctl'],
    peerPorts: [10349, 10350, 6081],
    hostNetwork: true,
    hostPrivilegedActions: ['modprobe'],
    // install_cni (init container install-cni, capability SYS_MODULE) loads the OVS datapath module.
    kernelModules: ['openvswitch'],
  },
  {
    id: 'kube-router',
    name: 'kube-router',
    role: 'cni',
    namespaces: ['kube-system'],
    workloads: ['kube-router'],
    // k0s ships its own build (quay.io/k0sproject/kube-router) as its default CNI.
    images: ['cloudnativelabs/kube-router', 'k0sproject/kube-router'],
    // Its CNI configuration chains the reference bridge, host-local and portmap plugins (installed on the host by the
    // DaemonSet's init containers), which the container runtime runs at every pod sandbox setup.
    binaries: [...IPTABLES, 'ipset', 'ipvsadm', 'ip', 'gobgp', 'kube-router', 'bridge', 'host-local', 'portmap', 'loopback'],
    daemons: ['kube-router'],
    peerPorts: [179],
    externalPeerPorts: [179],
    chains: ['KUBE-ROUTER-'],
    hostNetwork: true,
    hostPrivilegedActions: ['nsenter'],
  },
  {
    id: 'multus',
    name: 'Multus',
    role: 'cni',
    namespaces: ['kube-system', 'openshift-multus'],
    workloads: ['kube-multus-ds', 'multus', 'multus-additional-cni-plugins'],
    images: ['k8snetworkplumbingwg/multus-cni'],
    binaries: ['multus', 'multus-daemon', 'install_multus', 'ip', 'cnibincopy.sh'],
    daemons: ['multus-daemon', 'thin_entrypoint'],
    hostNetwork: true,
    hostPrivilegedActions: ['chroot'],
  },
  {
    // Multus's usual IPAM for secondary networks (k8snetworkplumbingwg/whereabouts): the DaemonSet installs the plugin
    // and runs the IP reconciler; the plugin itself runs under the CNI caller (Multus) and updates IPPools.
    id: 'whereabouts',
    name: 'Whereabouts IPAM',
    role: 'cni',
    namespaces: ['kube-system', 'openshift-multus'],
    workloads: ['whereabouts', 'whereabouts-reconciler'],
    images: ['k8snetworkplumbingwg/whereabouts'],
    binaries: ['whereabouts', 'ip-control-loop', 'install-cni.sh', 'token-watcher.sh'],
    daemons: ['ip-control-loop', 'whereabouts'],
    hostNetwork: true,
    apiClient: true,
  },
  {
    // SR-IOV network operator's node daemon (k8snetworkplumbingwg/sriov-network-operator, OpenShift's
    // openshift-sriov-network-operator): privileged, host / at /host, writes sriov_numvfs and driver bindings in sysfs,
    // `chroot /host modprobe vfio-pci` (or the VF driver) before binding VFs, reconfigures NIC firmware.
    id: 'sriov-network-config-daemon',
    name: 'SR-IOV network config daemon',
    role: 'cni',
    namespaces: ['sriov-network-operator', 'openshift-sriov-network-operator'],
    workloads: ['sriov-network-config-daemon'],
    images: ['openshift/origin-sriov-network-config-daemon', 'k8snetworkplumbingwg/sriov-network-operator-config-daemon', 'openshift4/ose-sriov-network-config-daemon', 'openshift4/ose-sriov-network-config-daemon-rhel9'],
    binaries: ['sriov-network-config-daemon', 'chroot', 'modprobe', 'ip', 'ethtool', 'devlink', 'mstconfig', 'mstfwreset', 'mstflint'],
    daemons: ['sriov-network-config-daemon'],
    hostNetwork: true,
    hostPrivilegedActions: ['chroot', 'modprobe'],
    kernelModules: ['vfio-pci', 'vfio', 'vfio-iommu-type1', 'iavf', 'i40evf', 'ixgbevf', 'ice', 'i40e', 'mlx5-core', 'mlx5-ib', 'ib-core', 'ib-umad', 'ib-uverbs', 'rdma-ucm', 'rdma-cm'],
    hostPathWrites: ['/sys/bus/pci/', '/sys/class/net/', '/sys/devices/', '/host/sys/bus/pci/', '/host/sys/class/net/', '/host/sys/devices/', '/etc/udev/rules.d/', '/host/etc/udev/rules.d/', '/etc/sriov-operator/', '/host/etc/sriov-operator/'],
  },
  {
    // The SR-IOV device plugin advertises VF pools as extended resources (intel.com/…, openshift.io/…).
    id: 'sriov-device-plugin',
    name: 'SR-IOV network device plugin',
    role: 'cni',
    namespaces: ['sriov-network-operator', 'openshift-sriov-network-operator', 'kube-system'],
    workloads: ['sriov-device-plugin', 'kube-sriov-device-plugin*'],
    images: ['k8snetworkplumbingwg/sriov-network-device-plugin', 'openshift/origin-sriov-network-device-plugin', 'openshift4/ose-sriov-network-device-plugin'],
    binaries: ['sriovdp', 'entrypoint.sh'],
    daemons: ['sriovdp', 'entrypoint.sh'],
    hostNetwork: true,
  },
  {
    id: 'ovn-kubernetes',
    name: 'OVN-Kubernetes',
    role: 'cni',
    namespaces: ['ovn-kubernetes', 'openshift-ovn-kubernetes'],
    workloads: ['ovnkube-node', 'ovs-node', 'ovnkube-control-plane'],
    images: ['ovnkube/ovn-daemonset', 'origin-ovn-kubernetes'],
    // ovnkube-controller drives the host's Open vSwitch and the CNI plugin the runtime (or Multus) executes.
    binaries: [...IPTABLES, 'nft', 'ip', 'ovs-vsctl', 'ovs-ofctl', 'ovs-appctl', 'ovn-nbctl', 'ovn-sbctl', 'ovn-appctl', 'ovn-kube-util', 'ovnkube', 'ovn-k8s-cni-overlay', 'conntrack', 'sysctl'],
    daemons: ['ovnkube', 'ovn-controller', 'ovs-vswitchd', 'ovn-northd', 'ovsdb-server'],
    peerPorts: [6081],
    chains: ['OVN-KUBE-'],
    hostNetwork: true,
  },
  {
    // Kube-OVN (kubeovn/kube-ovn): kube-ovn-cni runs start-cniserver.sh → kube-ovn-daemon (iptables/ipset for the
    // KUBE-OVN-* chains and the ovn40subnets sets, ovs-vsctl on br-int); ovs-ovn runs Open vSwitch and ovn-controller;
    // kube-ovn-pinger checks every node and pod (ICMP, DNS, and TCP/UDP ports 8100/8101 with --enable-verbose-conn-check).
    id: 'kube-ovn',
    name: 'Kube-OVN',
    role: 'cni',
    namespaces: ['kube-system', 'kube-ovn'],
    workloads: ['kube-ovn-cni', 'ovs-ovn', 'ovs-ovn-dpdk', 'kube-ovn-pinger', 'kube-ovn-controller', 'ovn-central', 'kube-ovn-monitor', 'ovn-ic-controller'],
    images: ['kubeovn/kube-ovn', 'kubeovn/kube-ovn-dpdk', 'kubeovn/kube-ovn-base'],
    binaries: [...IPTABLES, 'ipset', 'ip', 'conntrack', 'sysctl', 'ovs-vsctl', 'ovs-ofctl', 'ovs-appctl', 'ovs-dpctl', 'ovn-nbctl', 'ovn-sbctl', 'ovn-appctl', 'kube-ovn-daemon', 'kube-ovn-pinger', 'kube-ovn-controller', 'kube-ovn', 'start-cniserver.sh', 'install-cni.sh', 'start-ovs.sh'],
    daemons: ['kube-ovn-daemon', 'kube-ovn-pinger', 'kube-ovn-controller', 'kube-ovn-monitor', 'ovn-controller', 'ovs-vswitchd', 'ovsdb-server', 'ovn-northd', 'start-cniserver.sh', 'start-ovs.sh', 'start-db.sh', 'start-controller.sh'],
    // Geneve overlay, the pinger's connectivity checks, the OVN NB/SB/raft databases and the metrics ports.
    peerPorts: [6081, 8100, 8101, 6641, 6642, 6643, 6644, 10660, 10661, 10665],
    chains: ['KUBE-OVN-', 'OVN-'],
    hostNetwork: true,
    hostPrivilegedActions: ['modprobe', 'nsenter'],
    kernelModules: ['openvswitch', 'geneve', 'vxlan'],
  },
  {
    id: 'kube-proxy',
    name: 'kube-proxy',
    role: 'kube-proxy',
    namespaces: ['kube-system'],
    workloads: ['kube-proxy'],
    // GKE ships it per architecture (gke.gcr.io/kube-proxy-amd64), as a static pod kube-proxy-<node> on each node.
    // OKE: <region>.ocir.io/<namespace>/oke-public-kube-proxy.
    images: ['kube-proxy', 'eks/kube-proxy', 'kube-proxy-amd64', 'kube-proxy-arm64', 'oke-public-kube-proxy'],
    binaries: [...IPTABLES, 'ipset', 'ipvsadm', 'nft', 'conntrack', 'kube-proxy', 'modprobe'],
    daemons: ['kube-proxy'],
    hostNetwork: true,
    hostPrivilegedActions: ['modprobe'],
    chains: ['KUBE-'],
  },
  {
    id: 'coredns',
    name: 'CoreDNS',
    role: 'dns',
    namespaces: ['kube-system', 'openshift-dns'],
    workloads: ['coredns', 'kube-dns', 'dns-default'],
    images: ['coredns/coredns', 'coredns', 'k8s-dns-kube-dns-amd64', 'k8s-dns-kube-dns', 'k8s-dns-dnsmasq-nanny', 'k8s-dns-sidecar', 'oke-public-coredns'],
    binaries: ['coredns', 'kube-dns', 'dnsmasq'],
    daemons: ['coredns', 'kube-dns', 'dnsmasq'],
    hostNetwork: false,
  },
  {
    id: 'node-local-dns',
    name: 'NodeLocal DNSCache (node-cache)',
    role: 'dns',
    namespaces: ['kube-system'],
    workloads: ['node-local-dns', 'nodelocaldns'],
    images: ['dns/k8s-dns-node-cache', 'k8s-dns-node-cache'],
    binaries: [...IPTABLES, 'ip', 'node-cache'],
    daemons: ['node-cache'],
    hostNetwork: true,
  },
  {
    id: 'istio-cni',
    name: 'Istio CNI node agent',
    role: 'service-mesh',
    namespaces: ['istio-system', 'kube-system'],
    workloads: ['istio-cni-node', 'ztunnel'],
    chains: ['ISTIO_'],
    images: ['istio/install-cni', 'istio-release/install-cni', 'istio/ztunnel'],
    binaries: [...IPTABLES, 'istio-cni', 'install-cni', 'ztunnel'],
    daemons: ['install-cni', 'ztunnel'],
    hostNetwork: true,
  },
  {
    id: 'istio-sidecar',
    name: 'Istio sidecar (istio-init / istio-proxy)',
    role: 'service-mesh',
    namespaces: ['*'],
    workloads: ['*'],
    images: ['istio/proxyv2', 'istio-release/proxyv2'],
    binaries: [...IPTABLES, 'pilot-agent', 'envoy'],
    chains: ['ISTIO_'],
    daemons: ['pilot-agent', 'envoy'],
    hostNetwork: false,
  },
  {
    id: 'linkerd',
    name: 'Linkerd proxy-init / proxy / CNI',
    role: 'service-mesh',
    namespaces: ['*'],
    workloads: ['*'],
    images: ['linkerd/proxy-init', 'linkerd/proxy', 'linkerd/cni-plugin'],
    binaries: [...IPTABLES, 'proxy-init', 'linkerd2-proxy', 'linkerd-cni'],
    chains: ['PROXY_INIT_'],
    daemons: ['proxy-init', 'linkerd2-proxy'],
    hostNetwork: false,
  },
  {
    id: 'metallb',
    name: 'MetalLB speaker',
    role: 'load-balancer',
    namespaces: ['metallb-system'],
    workloads: ['speaker', 'metallb-speaker'],
    images: ['metallb/speaker', 'frrouting/frr'],
    binaries: ['speaker', 'frr', 'bgpd', 'zebra', ...IPTABLES],
    daemons: ['speaker', 'bgpd', 'zebra'],
    peerPorts: [7946, 179],
    // BGP mode announces LoadBalancer addresses to the routers.
    externalPeerPorts: [179],
    hostNetwork: true,
  },
  {
    id: 'kube-vip',
    name: 'kube-vip',
    role: 'load-balancer',
    namespaces: ['kube-system'],
    workloads: ['kube-vip-ds', 'kube-vip'],
    // TKG runs it as a static pod on each control-plane node from VMware's registry (projects.registry.vmware.com/tkg/kube-vip).
    images: ['kube-vip/kube-vip', 'plndr/kube-vip', 'tkg/kube-vip'],
    binaries: ['kube-vip', ...IPTABLES],
    daemons: ['kube-vip'],
    hostNetwork: true,
  },
  {
    // K3s ServiceLB (klipper-lb): one DaemonSet svclb-<service>-<hash> per LoadBalancer Service (kube-system since
    // K3s 1.21), host ports on every node, and an entry script that DNATs the port to the Service's cluster IP
    // (`iptables -t nat -I PREROUTING ! -s <ip>/32 -p tcp --dport <port> -j DNAT --to <ip>:<port>`, then MASQUERADE).
    id: 'klipper-lb',
    name: 'K3s ServiceLB (klipper-lb)',
    role: 'load-balancer',
    namespaces: ['kube-system'],
    workloads: ['svclb-*'],
    images: ['rancher/klipper-lb', 'k3s-io/klipper-lb', 'rancher/mirrored-klipper-lb'],
    binaries: [...IPTABLES, 'dig'],
    daemons: ['entry'],
    hostNetwork: false,
  },
  {
    id: 'konnectivity-agent',
    name: 'konnectivity agent',
    role: 'tunnel',
    namespaces: ['kube-system'],
    workloads: ['konnectivity-agent'],
    // AKS ships it as mcr.microsoft.com/oss/kubernetes/apiserver-network-proxy/agent, k0s as quay.io/k0sproject/apiserver-network-proxy-agent.
    images: ['kas-network-proxy/proxy-agent', 'proxy-agent', 'apiserver-network-proxy/agent', 'k0sproject/apiserver-network-proxy-agent'],
    binaries: ['proxy-agent'],
    daemons: ['proxy-agent'],
    hostNetwork: false,
    // The control plane sits outside the node network (AKS, GKE): kubectl exec, attach, logs and port-forward reach the
    // kubelets through this agent's tunnel, so its connections to every node's 10250 are the API server's.
    kubeletPurpose: "the konnectivity agent carries the API server's connections to the kubelets (kubectl exec, attach, logs, port-forward)",
  },
  {
    // cluster-proportional-autoscaler (CoreDNS / kube-dns autoscaler on AKS, GKE, EKS add-ons): watches nodes and cores
    // through the API server and scales the DNS Deployment.
    id: 'cluster-proportional-autoscaler',
    name: 'cluster-proportional-autoscaler (DNS autoscaler)',
    // Not a resolver: it answers no query, so the DNS rules must not count it among the DNS pods of a node.
    role: 'node-maintenance',
    namespaces: ['kube-system'],
    workloads: ['coredns-autoscaler', 'kube-dns-autoscaler', 'dns-autoscaler'],
    images: ['cluster-proportional-autoscaler', 'cpa/cluster-proportional-autoscaler', 'autoscaler/cluster-proportional-autoscaler'],
    binaries: ['cluster-proportional-autoscaler'],
    daemons: ['cluster-proportional-autoscaler'],
    hostNetwork: false,
    apiClient: true,
  },
  {
    // GKE's event exporter (Deployment kube-system/event-exporter-gke, gke.gcr.io/event-exporter): watches Events through
    // the API server and ships them to Cloud Logging. Its prometheus-to-sd sidecar only reads its metrics.
    id: 'gke-event-exporter',
    name: 'GKE event exporter',
    role: 'logging',
    namespaces: ['kube-system'],
    workloads: ['event-exporter-gke', 'event-exporter-v*'],
    images: ['event-exporter', 'google-containers/event-exporter'],
    binaries: ['event-exporter'],
    daemons: ['event-exporter'],
    hostNetwork: false,
    apiClient: true,
  },
  {
    id: 'cloud-node-manager',
    name: 'Azure cloud-node-manager',
    role: 'cloud-agent',
    namespaces: ['kube-system'],
    workloads: ['cloud-node-manager'],
    images: ['azure-cloud-node-manager'],
    binaries: ['cloud-node-manager'],
    daemons: ['cloud-node-manager'],
    hostNetwork: true,
    usesInstanceMetadata: true,
  },
  {
    id: 'csi-node',
    name: 'CSI node plugin',
    role: 'csi',
    namespaces: ['kube-system'],
    workloads: ['ebs-csi-node', 'efs-csi-node', 'pdcsi-node', 'csi-azuredisk-node', 'csi-azurefile-node', 'secrets-store-csi-driver'],
    images: ['ebs-csi-driver/aws-ebs-csi-driver', 'aws-ebs-csi-driver', 'aws-efs-csi-driver', 'gcp-compute-persistent-disk-csi-driver', 'kubernetes-csi/azuredisk-csi', 'kubernetes-csi/azurefile-csi', 'csi-node-driver-registrar'],
    // The EFS node plugin mounts with efs-utils: mount.efs, and for TLS mounts its watchdog's stunnel (efs-proxy in efs-utils 2).
    binaries: ['mkfs', 'mkfs.ext4', 'mkfs.xfs', 'mke2fs', 'mount', 'umount', 'blkid', 'resize2fs', 'xfs_growfs', 'fsck', 'e2fsck', 'udevadm', 'aws-ebs-csi-driver', 'nvme', 'aws-efs-csi-driver', 'mount.efs', 'mount.nfs4', 'stunnel', 'stunnel5', 'efs-proxy'],
    daemons: ['aws-ebs-csi-driver', 'gce-pd-csi-driver', 'azurediskplugin', 'azurefileplugin', 'csi-node-driver-registrar', 'aws-efs-csi-driver', 'amazon-efs-mount-watchdog'],
    hostNetwork: false,
    hostPrivilegedActions: ['mkfs', 'mount'],
    // The EBS, PD and Azure Disk node plugins learn the instance id and zone from the metadata service (topology, attach limits).
    readsInstanceIdentity: true,
  },
  {
    // The Secrets Store CSI driver (kubernetes-sigs/secrets-store-csi-driver; the AKS Key Vault secrets provider add-on
    // names its DaemonSet aks-secrets-store-csi-driver and pulls from mcr.microsoft.com/oss/kubernetes-csi): privileged,
    // with the kubelet's pods directory mounted bidirectionally, it mounts a tmpfs per pod volume and writes the
    // objects its provider fetched into it. Its entrypoint is /secrets-store-csi.
    id: 'secrets-store-csi-driver',
    name: 'Secrets Store CSI driver',
    role: 'csi',
    namespaces: ['kube-system'],
    workloads: ['secrets-store-csi-driver', 'csi-secrets-store', 'csi-secrets-store-secrets-store-csi-driver', 'aks-secrets-store-csi-driver'],
    images: ['csi-secrets-store/driver', 'kubernetes-csi/secrets-store/driver'],
    binaries: ['mount', 'umount'],
    daemons: ['secrets-store-csi'],
    hostNetwork: false,
    hostPrivilegedActions: ['mount'],
  },
  {
    // The vSphere CSI node plugin (DaemonSet vsphere-csi-node in vmware-system-csi, kube-system before driver 2.3):
    // privileged with host /dev and the kubelet directory bidirectional; its vsphere-csi binary formats and mounts the
    // attached virtual disks (/dev/sdX) under the kubelet's CSI globalmount. TKG pulls it from its own registry path.
    id: 'vsphere-csi-node',
    name: 'vSphere CSI node plugin',
    role: 'csi',
    namespaces: ['vmware-system-csi', 'kube-system'],
    workloads: ['vsphere-csi-node'],
    images: ['csi/vsphere-block-csi-driver', 'vsphere-csi-driver/csi/driver', 'cloud-provider-vsphere/csi/release/driver', 'cloud-provider-vsphere/csi/ci/driver', 'vmware/vsphere-block-csi-driver'],
    binaries: ['mkfs', 'mkfs.ext4', 'mkfs.xfs', 'mke2fs', 'mount', 'umount', 'blkid', 'resize2fs', 'xfs_growfs', 'fsck', 'e2fsck', 'udevadm', 'lsblk', 'vsphere-csi'],
    daemons: ['vsphere-csi', 'csi-node-driver-registrar'],
    hostNetwork: true,
    hostPrivilegedActions: ['mkfs', 'mount'],
  },
  {
    // OKE's block-volume CSI node plugin (DaemonSet kube-system/csi-oci-node, image oke-public-cloud-provider-oci):
    // privileged, host network and hostPID; block volumes are iSCSI targets (169.254.2.x:3260), so the node driver runs
    // iscsiadm logins, then formats and mounts the device under the kubelet's CSI globalmount.
    id: 'csi-oci-node',
    name: 'OCI block volume CSI node plugin',
    role: 'csi',
    namespaces: ['kube-system'],
    workloads: ['csi-oci-node'],
    images: ['oke-public-cloud-provider-oci', 'cloud-provider-oci', 'oke-public-csi-node-driver-registrar'],
    binaries: ['iscsiadm', 'mkfs', 'mkfs.ext4', 'mkfs.xfs', 'mke2fs', 'mount', 'umount', 'blkid', 'resize2fs', 'xfs_growfs', 'fsck', 'e2fsck', 'udevadm', 'oci-csi-node-driver', 'lsblk'],
    daemons: ['oci-csi-node-driver', 'csi-node-driver-registrar'],
    hostNetwork: true,
    hostPrivilegedActions: ['mkfs', 'mount', 'chroot'],
    readsInstanceIdentity: true,
  },
  {
    // OKE's proxymux-client (DaemonSet kube-system/proxymux-client, host network): the node end of the control plane's
    // tunnel; it learns the instance's identity from the OCI metadata service (/opc/v2/instance/).
    id: 'oke-proxymux-client',
    name: 'OKE proxymux client',
    role: 'tunnel',
    namespaces: ['kube-system'],
    workloads: ['proxymux-client'],
    images: ['oke-public-proxymux-cli', 'proxymux-cli'],
    binaries: ['proxymux-client'],
    daemons: ['proxymux-client'],
    hostNetwork: true,
    usesInstanceMetadata: true,
  },
  {
    // Kubernetes cluster-autoscaler: a controller that resizes node pools through the cloud API, authenticating with the
    // node's instance identity (OCI instance principals, the EC2 instance role) from the metadata service.
    id: 'cluster-autoscaler',
    name: 'Kubernetes cluster-autoscaler',
    role: 'node-maintenance',
    namespaces: ['kube-system'],
    workloads: ['cluster-autoscaler', '*-cluster-autoscaler'],
    images: ['autoscaling/cluster-autoscaler', 'cluster-autoscaler', 'oke-public-cluster-autoscaler'],
    binaries: ['cluster-autoscaler'],
    daemons: ['cluster-autoscaler'],
    hostNetwork: false,
    usesInstanceMetadata: true,
    apiClient: true,
  },
  {
    // DigitalOcean block storage CSI node plugin (DOKS csi-do-node): host network, privileged; it learns its droplet id
    // and region from the droplet metadata service (/metadata/v1/id, /metadata/v1/region) and formats and mounts volumes.
    id: 'csi-do-node',
    name: 'DigitalOcean block storage CSI node plugin',
    role: 'csi',
    namespaces: ['kube-system'],
    workloads: ['csi-do-node'],
    images: ['digitalocean/do-csi-plugin'],
    binaries: ['do-csi-plugin', 'mkfs', 'mkfs.ext4', 'mkfs.xfs', 'mke2fs', 'mount', 'umount', 'blkid', 'resize2fs', 'xfs_growfs', 'fsck', 'e2fsck', 'udevadm'],
    daemons: ['do-csi-plugin', 'csi-node-driver-registrar'],
    hostNetwork: true,
    hostPrivilegedActions: ['mkfs', 'mount'],
    readsInstanceIdentity: true,
  },
  {
    // Rook's Ceph CSI node plugins (privileged, hostPID) map, format and mount RBD / CephFS volumes; with
    // network.provider host, mons (3300 msgr2, 6789 msgr1) and OSD/MGR/MDS daemons (6800–7300) use the node addresses.
    id: 'rook-ceph',
    name: 'Rook-Ceph',
    role: 'csi',
    namespaces: ['rook-ceph'],
    workloads: ['csi-rbdplugin', 'csi-cephfsplugin', 'csi-nfsplugin', 'rook-ceph-osd-*', 'rook-ceph-mon-*', 'rook-ceph-mgr-*', 'rook-ceph-mds-*', 'rook-ceph-crashcollector-*', 'rook-ceph-exporter-*'],
    images: ['cephcsi/cephcsi', 'ceph/ceph', 'rook/ceph'],
    binaries: ['cephcsi', 'rbd', 'rbd-nbd', 'ceph-fuse', 'mkfs', 'mkfs.ext4', 'mkfs.xfs', 'mke2fs', 'mount', 'umount', 'blkid', 'resize2fs', 'xfs_growfs', 'ceph-osd', 'ceph-mon', 'ceph-mgr', 'ceph-mds', 'ceph-crash'],
    daemons: ['cephcsi', 'ceph-osd', 'ceph-mon', 'ceph-mgr', 'ceph-mds'],
    hostNetwork: false,
    peerPorts: [3300, 6789],
    peerPortRanges: [[6800, 7300]],
    hostPrivilegedActions: ['mkfs', 'mount', 'modprobe'],
    // `rbd map` (krbd) and the kernel CephFS client.
    kernelModules: ['rbd', 'libceph', 'ceph', 'nbd'],
  },
  {
    // LINSTOR (Piraeus Datastore / LINBIT SDS): the satellite is a Java daemon (privileged, host network; Piraeus
    // Operator v2 runs one DaemonSet per node, linstor-satellite.<node>) that creates, grows and deletes LVM / ZFS
    // volumes and drives DRBD (drbdadm, drbdsetup; replication on 7000+); the CSI node plugin formats, mounts and grows
    // the file systems. The satellite's daemon is the JVM, hence the generic daemon name, bound to its pod on the node.
    id: 'linstor',
    name: 'LINSTOR (Piraeus / LINBIT SDS)',
    role: 'csi',
    namespaces: ['piraeus-datastore', 'linbit-sds', 'linstor'],
    workloads: ['linstor-satellite*', 'linstor-csi-node', 'piraeus-op-ns-node', 'linstor-op-ns-node'],
    images: ['piraeusdatastore/piraeus-server', 'piraeusdatastore/piraeus-csi', 'piraeusdatastore/drbd-reactor', 'linstor-satellite', 'linstor-csi'],
    binaries: ['drbdadm', 'drbdsetup', 'drbdmeta', 'lvcreate', 'lvresize', 'lvextend', 'lvreduce', 'lvremove', 'lvchange', 'lvs', 'vgs', 'pvs', 'vgcreate', 'pvcreate', 'lvm', 'zfs', 'zpool', 'cryptsetup', 'wipefs', 'blkid', 'mkfs', 'mkfs.ext4', 'mkfs.xfs', 'mke2fs', 'mount', 'umount', 'resize2fs', 'xfs_growfs', 'linstor-csi'],
    daemons: ['java', 'linstor-csi', 'drbd-reactor'],
    hostNetwork: true,
    peerPorts: [3366, 3367],
    peerPortRanges: [[7000, 7999]],
    hostPrivilegedActions: ['mkfs', 'mount', 'modprobe'],
    kernelModules: ['drbd', 'drbd_transport_tcp', 'dm_thin_pool', 'dm_snapshot', 'dm_crypt'],
  },
  {
    id: 'node-problem-detector',
    name: 'node-problem-detector',
    role: 'monitoring',
    namespaces: ['kube-system'],
    workloads: ['node-problem-detector'],
    images: ['node-problem-detector/node-problem-detector', 'node-problem-detector'],
    // Its health-checker custom plugin checks the kubelet and the runtime (systemctl, crictl pods/ps with a timeout).
    binaries: ['node-problem-detector', 'sh', 'bash', 'health-checker', 'crictl', 'systemctl', 'journalctl'],
    daemons: ['node-problem-detector', 'health-checker'],
    hostNetwork: false,
    hostPathReads: ['/var/log', '/dev/kmsg'],
    runtimeQueries: true,
  },
  {
    id: 'node-exporter',
    name: 'Prometheus node-exporter',
    role: 'monitoring',
    namespaces: ['*'],
    workloads: ['*node-exporter', 'node-exporter'],
    images: ['prometheus/node-exporter', 'prom/node-exporter', 'bitnami/node-exporter'],
    binaries: ['node_exporter'],
    daemons: ['node_exporter'],
    hostNetwork: true,
    hostPathReads: ['/host', '/host/root', '/host/proc', '/host/sys', '/proc', '/sys'],
  },
  {
    id: 'fluent-bit',
    name: 'Fluent Bit',
    role: 'logging',
    namespaces: ['*'],
    workloads: ['*fluent-bit', 'fluentbit*'],
    images: ['fluent/fluent-bit', 'aws-for-fluent-bit', 'fluent-bit'],
    binaries: ['fluent-bit'],
    daemons: ['fluent-bit'],
    hostNetwork: false,
    // Its cloud outputs (stackdriver, cloudwatch_logs, kinesis, azure) authenticate with the instance's credentials from
    // the metadata service when no key file or pod identity is configured, refreshing the token about hourly.
    usesInstanceMetadata: true,
    hostPathReads: ['/var/log', '/var/lib/docker/containers'],
  },
  {
    id: 'fluentd',
    name: 'Fluentd',
    role: 'logging',
    namespaces: ['*'],
    workloads: ['*fluentd*'],
    images: ['fluent/fluentd-kubernetes-daemonset', 'fluent/fluentd', 'fluentd'],
    binaries: ['fluentd', 'ruby'],
    daemons: ['fluentd', 'ruby'],
    hostNetwork: false,
    hostPathReads: ['/var/log'],
  },
  {
    // Container Insights' CloudWatch agent (EKS add-on amazon-cloudwatch-observability, DaemonSet
    // amazon-cloudwatch/cloudwatch-agent): node and container metrics from the host's / (read-only at /rootfs), /sys,
    // /dev/disk and the container runtime socket; without IRSA (RUN_WITH_IRSA=False) it signs with the node role's
    // credentials from the instance metadata service.
    id: 'cloudwatch-agent',
    name: 'Amazon CloudWatch agent (Container Insights)',
    role: 'monitoring',
    namespaces: ['amazon-cloudwatch'],
    workloads: ['cloudwatch-agent'],
    images: ['cloudwatch-agent/cloudwatch-agent'],
    binaries: ['amazon-cloudwatch-agent', 'start-amazon-cloudwatch-agent', 'config-translator'],
    daemons: ['amazon-cloudwatch-agent', 'start-amazon-cloudwatch-agent'],
    hostNetwork: false,
    usesInstanceMetadata: true,
    hostPathReads: ['/rootfs/proc', '/rootfs/sys', '/sys', '/dev/disk'],
    runtimeQueries: true,
  },
  {
    id: 'datadog-agent',
    name: 'Datadog agent',
    role: 'monitoring',
    namespaces: ['*'],
    workloads: ['*datadog*'],
    images: ['datadoghq/agent', 'datadog/agent', 'datadoghq/cluster-agent'],
    binaries: ['agent', 'trace-agent', 'process-agent', 'system-probe', 'security-agent'],
    daemons: ['agent', 'trace-agent', 'process-agent', 'system-probe', 'security-agent'],
    hostNetwork: false,
    hostPrivilegedActions: ['bpf'],
    hostPathReads: ['/host', '/proc', '/sys/fs/cgroup'],
  },
  {
    // NeuVector enforcer (neuvector/enforcer, DaemonSet neuvector-enforcer-pod, privileged, host /proc at /host/proc):
    // monitor starts agent and dp; agent enters workload network namespaces (setns) and, in protect mode, steers their
    // ports into NFQUEUE (`iptables -I NV_INPUT_PROXY … -j NFQUEUE --queue-bypass`); dp taps interfaces with packet sockets.
    id: 'neuvector-enforcer',
    name: 'NeuVector enforcer',
    role: 'security-agent',
    namespaces: ['neuvector', 'cattle-neuvector-system'],
    workloads: ['neuvector-enforcer-pod', 'neuvector-allinone-pod'],
    images: ['neuvector/enforcer', 'neuvector/allinone', 'rancher/neuvector-enforcer'],
    // monitor, agent and dp are daemons only: names that generic would make any 'agent' process look like it.
    binaries: [...IPTABLES, 'ip', 'tc', 'ethtool', 'pathWalker', 'nstools'],
    daemons: ['monitor', 'agent', 'dp'],
    chains: ['NV_'],
    hostNetwork: false,
    hostPrivilegedActions: ['bpf'],
    entersWorkloadNamespaces: true,
    hostPathReads: ['/host/proc', '/host/cgroup', '/proc'],
  },
  {
    // Dynatrace OneAgent in classic full-stack mode (DynaKube → DaemonSet <dynakube>-oneagent, privileged, hostPID, host
    // network, host / at /mnt/root): it installs itself into the host under /opt/dynatrace/oneagent and registers
    // liboneagentproc.so in /etc/ld.so.preload for deep process monitoring.
    id: 'dynatrace-oneagent',
    name: 'Dynatrace OneAgent (classic full-stack)',
    role: 'monitoring',
    namespaces: ['dynatrace'],
    workloads: ['*-oneagent', 'oneagent'],
    images: ['dynatrace/dynatrace-oneagent', 'dynatrace/oneagent', 'linux/oneagent'],
    binaries: ['oneagentwatchdog', 'oneagentos', 'oneagentnetwork', 'oneagentloganalytics', 'oneagentplugin', 'oneagentextensions', 'oneagenteventstracingcollector', 'oneagentinstallaction', 'oneagentutil', 'oneagenthelper', 'entrypoint.sh'],
    daemons: ['oneagentwatchdog', 'oneagentos', 'entrypoint.sh'],
    hostNetwork: true,
    hostPrivilegedActions: ['chroot'],
    hostPathReads: ['/mnt/root', '/proc'],
    hostPathWrites: ['/etc/ld.so.preload', '/opt/dynatrace/', '/var/lib/dynatrace/', '/var/log/dynatrace/'],
  },
  {
    id: 'falco',
    name: 'Falco',
    role: 'security-agent',
    namespaces: ['*'],
    workloads: ['*falco*'],
    images: ['falcosecurity/falco', 'falcosecurity/falco-no-driver', 'falcosecurity/falco-driver-loader', 'falcosecurity/falcoctl', 'falco'],
    binaries: ['falco', 'falcoctl', 'falco-driver-loader', 'scap-driver-loader'],
    daemons: ['falco', 'falcoctl'],
    hostNetwork: false,
    hostPrivilegedActions: ['modprobe', 'bpf'],
    hostPathReads: ['/host', '/proc'],
  },
  {
    id: 'falcon-sensor',
    name: 'CrowdStrike Falcon node sensor',
    role: 'security-agent',
    namespaces: ['falcon-system', '*'],
    workloads: ['falcon-sensor', 'falcon-node-sensor', '*falcon*'],
    images: ['falcon-node-sensor', 'falcon-sensor'],
    binaries: ['falcon-sensor', 'falcond', 'falcon-daemonset-init'],
    // falcon-daemonset-init is the node sensor container's entrypoint (the operator's and the Helm chart's command).
    daemons: ['falcon-sensor', 'falcond', 'falcon-daemonset-init'],
    hostNetwork: true,
    hostPrivilegedActions: ['modprobe', 'bpf'],
  },
  {
    // SentinelOne's Kubernetes agent (Helm chart s1-agent: DaemonSet s1-agent plus the s1-helper Deployment,
    // images from containers.sentinelone.net/cws-agent/): privileged, hostPID, the host root mounted to scan it.
    id: 'sentinelone-agent',
    name: 'SentinelOne Kubernetes agent',
    role: 'security-agent',
    namespaces: ['sentinelone', 's1', '*'],
    workloads: ['s1-agent', '*sentinelone*'],
    images: ['cws-agent/s1agent', 'sentinelone/s1agent'],
    binaries: ['sentinelone-agent', 's1-agent', 's1-orchestrator', 's1-scanner', 's1-network', 's1-firewall', 'sentinelctl'],
    daemons: ['sentinelone-agent', 's1-agent', 's1-orchestrator', 's1-scanner', 's1-network', 's1-firewall'],
    hostNetwork: true,
    hostPrivilegedActions: ['bpf'],
    hostPathReads: ['/host', '/proc'],
    scansHostFiles: true,
  },
  {
    // Cortex XDR's Kubernetes agent (DaemonSet cortex-agent in cortex-xdr, image <region>-docker.pkg.dev/…/agent-docker/
    // cortex-agent): privileged, hostPID, hostIPC, the host root mounted at /host-fs; its Linux daemons are pmd, dypd, …
    id: 'cortex-xdr-agent',
    name: 'Cortex XDR Kubernetes agent',
    role: 'security-agent',
    namespaces: ['cortex-xdr', '*'],
    workloads: ['cortex-agent', '*cortex*'],
    images: ['agent-docker/cortex-agent'],
    binaries: ['pmd', 'dypd', 'trapsd', 'analyzerd', 'authorized', 'cytool'],
    daemons: ['pmd', 'dypd', 'trapsd', 'analyzerd', 'authorized'],
    hostNetwork: true,
    hostPrivilegedActions: ['bpf'],
    hostPathReads: ['/host-fs', '/proc'],
    scansHostFiles: true,
  },
  {
    id: 'tetragon',
    name: 'Tetragon',
    role: 'security-agent',
    namespaces: ['kube-system', '*'],
    workloads: ['tetragon'],
    images: ['cilium/tetragon'],
    binaries: ['tetragon'],
    daemons: ['tetragon'],
    hostNetwork: true,
    hostPrivilegedActions: ['bpf'],
  },
  {
    // Amazon GuardDuty EKS Runtime Monitoring agent (EKS add-on aws-guardduty-agent: DaemonSet amazon-guardduty/
    // aws-guardduty-agent, image <registry>/aws-guardduty-agent): an eBPF sensor that loads its programs at start.
    id: 'aws-guardduty-agent',
    name: 'Amazon GuardDuty runtime agent',
    role: 'security-agent',
    namespaces: ['amazon-guardduty'],
    workloads: ['aws-guardduty-agent'],
    images: ['aws-guardduty-agent'],
    binaries: ['aws-guardduty-agent'],
    daemons: ['aws-guardduty-agent'],
    hostNetwork: false,
    hostPrivilegedActions: ['bpf'],
    hostPathReads: ['/host_proc', '/proc'],
  },
  {
    id: 'sysdig-agent',
    name: 'Sysdig agent',
    role: 'security-agent',
    namespaces: ['sysdig-agent', '*'],
    workloads: ['sysdig-agent', '*-agent'],
    images: ['sysdig/agent', 'sysdig/agent-slim', 'sysdig/agent-kmodule', 'sysdig/sysdig'],
    binaries: ['dragent', 'sysdig'],
    daemons: ['dragent'],
    hostNetwork: true,
    hostPrivilegedActions: ['modprobe', 'bpf'],
  },
  {
    id: 'suricata',
    name: 'Suricata sensor',
    role: 'security-agent',
    namespaces: ['*'],
    workloads: ['*suricata*'],
    images: ['jasonish/suricata', 'suricata'],
    binaries: ['suricata'],
    daemons: ['suricata'],
    hostNetwork: true,
  },
  {
    id: 'kured',
    name: 'kured (Kubernetes reboot daemon)',
    role: 'node-maintenance',
    namespaces: ['*'],
    workloads: ['kured', '*kured*'],
    images: ['kubereboot/kured', 'weaveworks/kured'],
    // It checks the host's reboot sentinel and reboots through nsenter into PID 1 (kubereboot/kured README).
    binaries: ['kured', 'nsenter', 'test', 'systemctl', 'reboot'],
    daemons: ['kured'],
    hostNetwork: false,
    hostPrivilegedActions: ['nsenter'],
  },
  {
    id: 'openshift-iptables-alerter',
    name: 'OpenShift iptables-alerter (network operator)',
    role: 'network-policy',
    namespaces: ['openshift-network-operator'],
    workloads: ['iptables-alerter'],
    images: [],
    // Hourly, enters each pod's network namespace and lists its iptables rules (read-only) to warn about iptables use.
    binaries: ['iptables-save', 'ip6tables-save', 'iptables-nft-save', 'ip6tables-nft-save', 'xtables-nft-multi', 'nsenter', 'crictl', 'jq'],
    daemons: ['iptables-alerter.sh', 'iptables-alerter'],
    hostNetwork: false,
    hostPrivilegedActions: ['nsenter'],
  },
  {
    id: 'openshift-node-resolver',
    name: 'OpenShift DNS node-resolver',
    role: 'dns',
    namespaces: ['openshift-dns'],
    workloads: ['node-resolver'],
    images: [],
    binaries: ['dig', 'cp', 'sed'],
    daemons: ['bash'],
    hostNetwork: true,
    hostPathWrites: ['/etc/hosts'],
  },
  {
    id: 'machine-config-daemon',
    name: 'OpenShift machine-config-daemon',
    role: 'node-maintenance',
    namespaces: ['openshift-machine-config-operator'],
    workloads: ['machine-config-daemon'],
    images: [],
    // Writes the rendered MachineConfig onto the host (chrooted into /rootfs) and reloads or restarts host services.
    binaries: ['machine-config-daemon', 'systemctl', 'rpm-ostree', 'podman', 'chroot', 'nsenter', 'journalctl'],
    daemons: ['machine-config-daemon'],
    hostNetwork: true,
    hostPrivilegedActions: ['chroot'],
    hostPathWrites: ['/etc/containers/', '/etc/crio/', '/etc/kubernetes/', '/etc/systemd/', '/etc/chrony.conf', '/etc/mco/', '/etc/pki/ca-trust/', '/etc/NetworkManager/', '/etc/sysctl.d/', '/etc/modprobe.d/', '/var/lib/kubelet/config.json', '/etc/machine-config-daemon/'],
  },
  {
    id: 'node-tuning',
    name: 'Node Tuning Operator tuned daemon',
    role: 'node-maintenance',
    namespaces: ['openshift-cluster-node-tuning-operator', 'cluster-node-tuning-operator'],
    workloads: ['tuned'],
    images: ['openshift/origin-cluster-node-tuning-operator', 'cluster-node-tuning-operator'],
    binaries: ['tuned', 'cluster-node-tuning-operator', 'sysctl', 'cpupower', 'python3', 'platform-python'],
    daemons: ['tuned', 'cluster-node-tuning-operator', 'openshift-tuned', 'ocp-tuned'],
    hostNetwork: true,
    hostPrivilegedActions: ['sysctl'],
    hostPathWrites: ['/etc/modprobe.d/', '/etc/sysconfig/', '/etc/systemd/', '/etc/tuned/'],
  },
  {
    id: 'nvidia-gpu-driver',
    name: 'NVIDIA GPU Operator driver container',
    role: 'node-maintenance',
    namespaces: ['nvidia-gpu-operator', 'gpu-operator', 'gpu-operator-resources', 'kube-system'],
    workloads: ['nvidia-driver-daemonset*', 'nvidia-driver*'],
    images: ['nvidia/driver', 'nvidia/cloud-native/k8s-driver-manager'],
    // Builds (driver toolkit) and loads its kernel modules at start (nvidia-driver init / ocp_dtk_entrypoint).
    binaries: ['nvidia-driver', 'ocp_dtk_entrypoint', 'modprobe', 'insmod', 'rmmod', 'kmod', 'nvidia-smi', 'nvidia-persistenced', 'nvidia-installer', 'chroot', 'driver-manager'],
    daemons: ['nvidia-driver', 'ocp_dtk_entrypoint', 'nvidia-persistenced', 'driver-manager'],
    hostNetwork: false,
    hostPrivilegedActions: ['modprobe', 'chroot'],
    kernelModules: ['nvidia', 'nvidia-uvm', 'nvidia-modeset', 'nvidia-drm', 'nvidia-peermem', 'nvidia-fs', 'ecc', 'i2c-core', 'ipmi-msghandler'],
  },
  {
    id: 'nvidia-container-toolkit',
    name: 'NVIDIA container toolkit / device plugin / DCGM',
    role: 'node-maintenance',
    namespaces: ['nvidia-gpu-operator', 'gpu-operator', 'gpu-operator-resources', 'kube-system'],
    workloads: ['nvidia-container-toolkit-daemonset', 'nvidia-device-plugin-daemonset', 'nvidia-dcgm', 'nvidia-dcgm-exporter', 'gpu-feature-discovery', 'nvidia-operator-validator', 'nvidia-node-status-exporter', 'nvidia-mig-manager'],
    images: ['nvidia/k8s/container-toolkit', 'nvidia/k8s-device-plugin', 'nvidia/cloud-native/dcgm', 'nvidia/k8s/dcgm-exporter', 'nvidia/cloud-native/gpu-operator-validator', 'nvidia/gpu-feature-discovery'],
    binaries: ['nvidia-toolkit', 'nvidia-ctk', 'nvidia-container-runtime', 'nvidia-smi', 'nv-hostengine', 'nvidia-device-plugin', 'dcgm-exporter', 'nvidia-validator', 'gpu-feature-discovery'],
    daemons: ['nvidia-toolkit', 'nvidia-device-plugin', 'nv-hostengine', 'dcgm-exporter', 'gpu-feature-discovery', 'nvidia-validator'],
    hostNetwork: false,
    hostPathWrites: ['/etc/crio/', '/etc/containerd/', '/usr/local/nvidia/', '/run/nvidia/'],
  },
  {
    // linuxptp (k8snetworkplumbingwg/linuxptp-daemon, OpenShift PTP operator): the daemon starts ptp4l, phc2sys and
    // ts2phc from the PtpConfig; ptp4l opens raw packet sockets (PTP over Ethernet) and phc2sys steers the system clock.
    id: 'linuxptp-daemon',
    name: 'linuxptp daemon (PTP operator)',
    role: 'node-maintenance',
    namespaces: ['ptp', 'openshift-ptp', 'ptp-operator'],
    workloads: ['linuxptp-daemon'],
    images: ['openshift/origin-ptp', 'k8snetworkplumbingwg/linuxptp-daemon', 'openshift4/ose-ptp', 'openshift4/ose-ptp-rhel9'],
    binaries: ['ptp4l', 'phc2sys', 'ts2phc', 'pmc', 'phc_ctl', 'ptp', 'gpsd', 'gpspipe', 'ubxtool', 'chronyd'],
    daemons: ['ptp', 'linuxptp-daemon'],
    hostNetwork: true,
  },
  {
    // node-feature-discovery: nfd-worker reads host sysfs, /boot, os-release and /usr/lib (mounted under /host-*) to
    // label the node; nfd-master and nfd-gc are API clients.
    id: 'node-feature-discovery',
    name: 'node-feature-discovery',
    role: 'node-maintenance',
    namespaces: ['node-feature-discovery', 'nfd', 'openshift-nfd', 'kube-system'],
    workloads: ['nfd-worker', 'nfd-master', 'nfd-gc', 'nfd-topology-updater', '*-node-feature-discovery-worker', '*-node-feature-discovery-master'],
    images: ['nfd/node-feature-discovery', 'kubernetes-sigs/node-feature-discovery', 'openshift/origin-node-feature-discovery', 'openshift4/ose-node-feature-discovery'],
    binaries: ['nfd-worker', 'nfd-master', 'nfd-gc', 'nfd-topology-updater'],
    daemons: ['nfd-worker', 'nfd-master', 'nfd-gc', 'nfd-topology-updater'],
    hostNetwork: false,
    apiClient: true,
    hostPathReads: ['/host-sys', '/host-boot', '/host-etc', '/host-usr', '/host-lib', '/host-proc'],
  },
  {
    // The ingress-nginx controller process renders nginx.conf, tests it (`nginx -c /tmp/nginx/nginx-cfg… -t`) and
    // reloads nginx; its admission webhook runs the same test. It never starts shells.
    id: 'ingress-nginx',
    name: 'ingress-nginx controller',
    role: 'ingress-controller',
    namespaces: ['ingress-nginx', 'kube-system'],
    workloads: ['ingress-nginx-controller', '*-ingress-nginx-controller', 'ingress-nginx-controller-*', 'rke2-ingress-nginx-controller', 'nginx-ingress-controller'],
    images: ['ingress-nginx/controller', 'ingress-nginx/controller-chroot', 'rancher/nginx-ingress-controller', 'kubernetes-ingress-controller/nginx-ingress-controller'],
    binaries: ['nginx', 'nginx-ingress-controller', 'dumb-init'],
    daemons: ['nginx-ingress-controller', 'dumb-init', 'nginx'],
    hostNetwork: false,
    apiClient: true,
  },
  {
    id: 'prometheus',
    name: 'Prometheus server',
    role: 'monitoring',
    namespaces: ['openshift-monitoring', 'openshift-user-workload-monitoring', '*'],
    workloads: ['prometheus-k8s', 'prometheus-user-workload', 'prometheus-*', '*-prometheus', '*prometheus-stack-prometheus', 'prometheus'],
    images: ['prometheus/prometheus', 'prom/prometheus', 'prometheus-operator/prometheus', 'openshift/origin-prometheus', 'bitnami/prometheus'],
    binaries: ['prometheus'],
    daemons: ['prometheus'],
    hostNetwork: false,
    scrapePorts: [9100, 9101, 10250, 10249, 10257, 10259, 9090, 9091, 9537, 9001, 9103, 9105, 9153, 9154, 9187, 9121, 9113, 8443, 8080, 2379, 2381, 6443],
  },
  {
    id: 'azure-monitor-agent',
    name: 'Azure Monitor agent (omsagent / ama-logs)',
    role: 'logging',
    namespaces: ['kube-system'],
    workloads: ['omsagent', 'ama-logs', 'omsagent-rs', 'ama-logs-rs'],
    images: ['azuremonitor/containerinsights/ciprod'],
    binaries: ['fluent-bit', 'fluentd', 'td-agent-bit', 'mdsd'],
    // fluentd (Ruby, `ruby …/fluentd -c /etc/fluent/kube.conf`) in ama-logs-rs lists pods, nodes and events from the
    // API server for Container Insights' inventory tables (KubePodInventory, KubeNodeInventory, KubeEvents).
    daemons: ['fluent-bit', 'mdsd', 'fluentd'],
    hostNetwork: false,
    apiClient: true,
    hostPathReads: ['/var/log', '/hostfs'],
  },
  {
    // Microsoft Defender for Containers sensor (AKS securityProfile.defender, or the microsoft-defender-for-containers
    // chart): DaemonSet microsoft-defender-collector-ds with containers microsoft-defender-low-level-collector (eBPF
    // runtime telemetry, init container low-level-init building the probes, host /proc and the containerd socket
    // mounted) and microsoft-defender-pod-collector (watches pods), service account microsoft-defender-collector-sa;
    // images from mcr.microsoft.com/azuredefender/stable (Azure/AKS issue 3846; a published `kubectl describe` of the
    // DaemonSet). The collectors' binary names are not documented, so none are listed.
    id: 'defender-for-containers',
    name: 'Microsoft Defender for Containers sensor',
    role: 'security-agent',
    namespaces: ['kube-system', 'mdc'],
    workloads: ['microsoft-defender-collector-ds', 'microsoft-defender-collector-misc', 'microsoft-defender-publisher-ds', 'microsoft-defender-publisher'],
    images: [
      'azuredefender/stable/low-level-collector',
      'azuredefender/stable/low-level-init',
      'azuredefender/stable/pod-collector',
      'azuredefender/stable/security-publisher',
      'azuredefender/stable/old-file-cleaner',
      'azuredefender/stable/antimalware-collector',
    ],
    binaries: [],
    daemons: [],
    hostNetwork: false,
    apiClient: true,
    hostPrivilegedActions: ['bpf'],
    hostPathReads: ['/host/proc', '/var/log'],
  },
  // Operators of stateful data services: controllers that watch their custom resources and the pods they manage through
  // the API server, from a Deployment or StatefulSet in the namespace their install guide uses. Their images also run as
  // init containers of the managed pods (Strimzi's kafka-init, CloudNativePG's bootstrap-controller), which are in other
  // namespaces and carry other workload names, so those match weakly only.
  {
    // Strimzi: Deployment strimzi-cluster-operator (quay.io/strimzi/operator, /opt/strimzi/bin/cluster_operator_run.sh
    // exec'ing java io.strimzi.operator.cluster.Main) in the namespace of the install files (strimzi docs: "strimzi" or
    // "kafka"; OperatorHub: operators / openshift-operators).
    id: 'strimzi-cluster-operator',
    name: 'Strimzi cluster operator',
    role: 'controller',
    namespaces: ['strimzi', 'strimzi-system', 'strimzi-operator', 'operators', 'openshift-operators'],
    workloads: ['strimzi-cluster-operator*'],
    images: ['strimzi/operator'],
    binaries: [],
    daemons: ['java', 'cluster_operator_run.sh'],
    hostNetwork: false,
    apiClient: true,
    manages: [
      { port: 8083, podLabels: { 'strimzi.io/kind': 'KafkaConnect' }, what: 'the Kafka Connect REST API, through which it creates and configures KafkaConnectors' },
      { port: 9090, podLabels: { 'strimzi.io/kind': 'Kafka' }, what: "Cruise Control's REST API, through which it runs KafkaRebalances" },
    ],
  },
  {
    // Elastic Cloud on Kubernetes: StatefulSet elastic-operator in elastic-system (docker.elastic.co/eck/eck-operator,
    // binary /elastic-operator, args manager --config=…).
    id: 'eck-operator',
    name: 'Elastic Cloud on Kubernetes operator',
    role: 'controller',
    namespaces: ['elastic-system'],
    workloads: ['elastic-operator'],
    images: ['eck/eck-operator'],
    binaries: [],
    daemons: ['elastic-operator'],
    hostNetwork: false,
    apiClient: true,
    manages: [{ port: 9200, podLabels: { 'common.k8s.elastic.co/type': 'elasticsearch' }, what: "Elasticsearch's HTTPS API, through which it manages cluster settings, users and shard allocation" }],
  },
  {
    // CloudNativePG: Deployment cnpg-controller-manager in cnpg-system (ghcr.io/cloudnative-pg/cloudnative-pg, /manager controller).
    id: 'cloudnative-pg-operator',
    name: 'CloudNativePG operator',
    role: 'controller',
    namespaces: ['cnpg-system'],
    workloads: ['cnpg-controller-manager', 'cnpg-cloudnative-pg'],
    images: ['cloudnative-pg/cloudnative-pg'],
    binaries: [],
    daemons: ['manager'],
    hostNetwork: false,
    apiClient: true,
    manages: [{ port: 8000, podLabels: { 'cnpg.io/podRole': 'instance' }, what: "the instance manager's status endpoint, which it polls for each instance's state" }],
  },
  {
    // cass-operator (K8ssandra): Deployment cass-operator-controller-manager (cr.k8ssandra.io/k8ssandra/cass-operator, /manager).
    id: 'cass-operator',
    name: 'cass-operator (K8ssandra)',
    role: 'controller',
    namespaces: ['cass-operator', 'k8ssandra-operator'],
    workloads: ['cass-operator*', 'k8ssandra-operator-cass-operator*'],
    images: ['k8ssandra/cass-operator', 'datastax/cass-operator'],
    binaries: [],
    daemons: ['manager'],
    hostNetwork: false,
    apiClient: true,
    manages: [{ port: 8080, podLabels: { 'app.kubernetes.io/managed-by': 'cass-operator' }, what: "Cassandra's management API, through which it starts, drains and decommissions nodes" }],
  },
  {
    // OT-CONTAINER-KIT redis-operator: Deployment redis-operator (ghcr.io/ot-container-kit/redis-operator/redis-operator, /manager).
    id: 'ot-redis-operator',
    name: 'redis-operator (OT-CONTAINER-KIT)',
    role: 'controller',
    namespaces: ['redis-operator', 'ot-operators'],
    workloads: ['redis-operator'],
    images: ['ot-container-kit/redis-operator/redis-operator', 'opstree/redis-operator'],
    binaries: [],
    daemons: ['manager'],
    hostNetwork: false,
    apiClient: true,
  },
  {
    // Chaos Mesh (chart chaos-mesh): DaemonSet chaos-daemon, privileged and hostPID, with the runtime socket mounted
    // (--runtime containerd --runtime-socket-path …) to find target containers. Its fault programs are judged by the
    // chaos-experiment rule against the experiments in the audit log, so none are listed as its own binaries here.
    id: 'chaos-mesh-daemon',
    name: "Chaos Mesh's chaos-daemon",
    role: 'fault-injection',
    namespaces: ['chaos-mesh', 'chaos-testing'],
    workloads: ['chaos-daemon'],
    images: ['chaos-mesh/chaos-daemon', 'pingcap/chaos-daemon'],
    binaries: [],
    daemons: ['chaos-daemon'],
    hostNetwork: false,
    runtimeSocketClient: true,
  },
];

/** Repository path without registry and tag: "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1" → "amazon-k8s-cni". */
export function imageRepository(image: string | undefined): string {
  if (!image) return '';
  // Rules ask this for every container of every pod on a node, for every alert: the same few images, parsed once.
  const cached = repositoryCache.get(image);
  if (cached !== undefined) return cached;
  const repo = parseImageRepository(image);
  if (repositoryCache.size >= REPOSITORY_CACHE_SIZE) repositoryCache.clear();
  repositoryCache.set(image, repo);
  return repo;
}

const REPOSITORY_CACHE_SIZE = 10_000;
const repositoryCache = new Map<string, string>();

function parseImageRepository(image: string): string {
  let ref = image.split('@')[0];
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > lastSlash) ref = ref.slice(0, colon);
  const parts = ref.split('/');
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) parts.shift();
  return parts.join('/').toLowerCase();
}

/**
 * Release-payload repositories: every component of the platform ships from the same repository under a different
 * digest (OpenShift's ocp-v4.0-art-dev), so the image says nothing about which component a pod is — its namespace
 * and owning workload do.
 */
export const PAYLOAD_REPOSITORIES = ['openshift-release-dev/ocp-v4.0-art-dev', 'openshift-release-dev/ocp-release', 'openshift4/ose-*', 'okd/scos-content'];

export function isPayloadImage(image: string | undefined): boolean {
  const repo = imageRepository(image);
  return !!repo && nameMatches(PAYLOAD_REPOSITORIES, repo);
}

/** `repo` is `suffix` or ends with `/suffix` (compared in place: asked for every container of every pod placed). */
export function isRepoOrPathSuffix(repo: string, suffix: string): boolean {
  return repo.endsWith(suffix) && (repo.length === suffix.length || repo[repo.length - suffix.length - 1] === '/');
}

export function imageMatches(component: NodeComponent, image: string | undefined): boolean {
  const repo = imageRepository(image);
  if (!repo) return false;
  return component.images.some((suffix) => isRepoOrPathSuffix(repo, suffix));
}

export function nameMatches(patterns: string[], name: string | undefined): boolean {
  if (!name) return false;
  for (const p of patterns) if (namePatternMatches(namePattern(p), name)) return true;
  return false;
}

/**
 * A workload or repository pattern: `*` (anything), `name`, `*part*`, `prefix*`, or `prefix*suffix` / `*suffix`
 * (the text before the first star, and after it without a trailing star).
 */
interface NamePattern {
  kind: 'any' | 'exact' | 'contains' | 'prefix' | 'affixes';
  pre: string;
  post: string;
}

function parseNamePattern(p: string): NamePattern {
  if (p === '*') return { kind: 'any', pre: '', post: '' };
  const star = p.indexOf('*');
  if (star === -1) return { kind: 'exact', pre: p, post: '' };
  if (p.endsWith('*') && p.startsWith('*')) return { kind: 'contains', pre: p.slice(1, -1), post: '' };
  const pre = p.slice(0, star);
  if (p.endsWith('*')) return { kind: 'prefix', pre, post: '' };
  return { kind: 'affixes', pre, post: p.slice(star + 1) };
}

function namePatternMatches(pattern: NamePattern, name: string): boolean {
  switch (pattern.kind) {
    case 'any':
      return true;
    case 'exact':
      return pattern.pre === name;
    case 'contains':
      return name.includes(pattern.pre);
    case 'prefix':
      return name.startsWith(pattern.pre);
    case 'affixes':
      return name.endsWith(pattern.post) && name.startsWith(pattern.pre);
  }
}

/** Patterns are asked about for every pod of every alert: each is parsed once (knowledge and policy hold a few hundred). */
function namePattern(p: string): NamePattern {
  let parsed = namePatterns.get(p);
  if (!parsed) {
    if (namePatterns.size >= NAME_PATTERN_CACHE_SIZE) namePatterns.clear();
    namePatterns.set(p, (parsed = parseNamePattern(p)));
  }
  return parsed;
}

const NAME_PATTERN_CACHE_SIZE = 4096;
const namePatterns = new Map<string, NamePattern>();

let extraComponents: NodeComponent[] = [];

let allComponents: NodeComponent[] = NODE_COMPONENTS;

/** Components declared in the policy file join the built-in knowledge for this run. */
export function setExtraComponents(components: NodeComponent[]): void {
  extraComponents = components;
  allComponents = extraComponents.length ? [...NODE_COMPONENTS, ...extraComponents] : NODE_COMPONENTS;
}

/** The same array until setExtraComponents() is called again (callers may cache what they derive from it). */
export function knownComponents(): NodeComponent[] {
  return allComponents;
}
