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
  | 'node-maintenance';

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
  /** Legitimately calls the API server with its own service-account token from scripts (curl), e.g. GKE netd-init. */
  callsApiServer?: boolean;
  /** Legitimately formats or mounts block devices, enters host namespaces, or loads kernel modules / BPF. */
  hostPrivilegedActions?: ('mkfs' | 'mount' | 'nsenter' | 'modprobe' | 'bpf' | 'chroot')[];
  /** Legitimately reads host paths mounted under these prefixes. */
  hostPathReads?: string[];
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
    hostNetwork: true,
    hostPrivilegedActions: ['modprobe', 'bpf'],
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
    images: ['cilium/cilium'],
    binaries: [...IPTABLES, 'ipset', 'ip', 'tc', 'bpftool', 'modprobe', 'sysctl', 'nsenter', 'cilium-mount', 'cilium-sysctlfix', 'clang', 'llc', 'cilium-health-responder', 'cilium', 'cilium-agent', 'cilium-cni'],
    daemons: ['cilium-agent', 'cilium-node-monitor', 'cilium-health-responder'],
    hostNetwork: true,
    hostPrivilegedActions: ['nsenter', 'modprobe', 'bpf', 'mount'],
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
    images: ['flannel-io/flannel', 'flannel/flannel', 'coreos/flannel', 'mirrored-flannelcni-flannel', 'flannelcni/flannel', 'flannel-cni-plugin'],
    binaries: [...IPTABLES, 'nft', 'ip', 'flanneld', 'flannel'],
    daemons: ['flanneld'],
    hostNetwork: true,
  },
  {
    id: 'weave-net',
    name: 'Weave Net',
    role: 'cni',
    namespaces: ['kube-system'],
    workloads: ['weave-net'],
    images: ['weaveworks/weave-kube', 'weaveworks/weave-npc', 'launcher/weave-kube', 'launcher/weave-npc'],
    binaries: [...IPTABLES, 'ipset', 'ip', 'modprobe', 'ulogd', 'weaver', 'weave-npc'],
    daemons: ['weaver', 'weave-npc', 'launch.sh'],
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
    binaries: [...IPTABLES, 'conntrack', 'ip', 'aws-k8s-agent', 'aws-vpc-cni', 'grpc-health-probe', 'aws-cni', 'egress-cni', 'aws-eks-nodeagent'],
    daemons: ['aws-k8s-agent', 'aws-vpc-cni', 'aws-eks-nodeagent', 'controller'],
    hostNetwork: true,
    usesInstanceMetadata: true,
    hostPrivilegedActions: ['bpf'],
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
  },
  {
    id: 'antrea',
    name: 'Antrea agent',
    role: 'cni',
    namespaces: ['kube-system'],
    workloads: ['antrea-agent'],
    images: ['antrea/antrea-agent-ubuntu', 'antrea/antrea-ubuntu', 'antrea/antrea-agent'],
    binaries: [...IPTABLES, 'ipset', 'ip', 'ovs-vsctl', 'ovs-ofctl', 'ovs-appctl', 'modprobe', 'antrea-agent'],
    daemons: ['antrea-agent', 'ovs-vswitchd', 'ovsdb-server'],
    hostNetwork: true,
    hostPrivilegedActions: ['modprobe'],
  },
  {
    id: 'kube-router',
    name: 'kube-router',
    role: 'cni',
    namespaces: ['kube-system'],
    workloads: ['kube-router'],
    images: ['cloudnativelabs/kube-router'],
    binaries: [...IPTABLES, 'ipset', 'ipvsadm', 'ip', 'gobgp', 'kube-router'],
    daemons: ['kube-router'],
    hostNetwork: true,
    hostPrivilegedActions: ['nsenter'],
  },
  {
    id: 'multus',
    name: 'Multus',
    role: 'cni',
    namespaces: ['kube-system', 'openshift-multus'],
    workloads: ['kube-multus-ds', 'multus'],
    images: ['k8snetworkplumbingwg/multus-cni'],
    binaries: ['multus', 'multus-daemon', 'install_multus', 'ip'],
    daemons: ['multus-daemon', 'thin_entrypoint'],
    hostNetwork: true,
    hostPrivilegedActions: ['chroot'],
  },
  {
    id: 'ovn-kubernetes',
    name: 'OVN-Kubernetes',
    role: 'cni',
    namespaces: ['ovn-kubernetes', 'openshift-ovn-kubernetes'],
    workloads: ['ovnkube-node', 'ovs-node'],
    images: ['ovnkube/ovn-daemonset', 'origin-ovn-kubernetes'],
    binaries: [...IPTABLES, 'nft', 'ip', 'ovs-vsctl', 'ovs-ofctl', 'ovn-kube-util', 'ovnkube'],
    daemons: ['ovnkube', 'ovn-controller', 'ovs-vswitchd'],
    hostNetwork: true,
  },
  {
    id: 'kube-proxy',
    name: 'kube-proxy',
    role: 'kube-proxy',
    namespaces: ['kube-system'],
    workloads: ['kube-proxy'],
    images: ['kube-proxy', 'eks/kube-proxy'],
    binaries: [...IPTABLES, 'ipset', 'ipvsadm', 'nft', 'conntrack', 'kube-proxy', 'modprobe'],
    daemons: ['kube-proxy'],
    hostNetwork: true,
    hostPrivilegedActions: ['modprobe'],
  },
  {
    id: 'coredns',
    name: 'CoreDNS',
    role: 'dns',
    namespaces: ['kube-system'],
    workloads: ['coredns', 'kube-dns'],
    images: ['coredns/coredns', 'coredns', 'k8s-dns-kube-dns-amd64', 'k8s-dns-kube-dns', 'k8s-dns-dnsmasq-nanny', 'k8s-dns-sidecar'],
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
    hostNetwork: true,
  },
  {
    id: 'kube-vip',
    name: 'kube-vip',
    role: 'load-balancer',
    namespaces: ['kube-system'],
    workloads: ['kube-vip-ds', 'kube-vip'],
    images: ['kube-vip/kube-vip', 'plndr/kube-vip'],
    binaries: ['kube-vip', ...IPTABLES],
    daemons: ['kube-vip'],
    hostNetwork: true,
  },
  {
    id: 'konnectivity-agent',
    name: 'konnectivity agent',
    role: 'tunnel',
    namespaces: ['kube-system'],
    workloads: ['konnectivity-agent'],
    images: ['kas-network-proxy/proxy-agent', 'proxy-agent'],
    binaries: ['proxy-agent'],
    daemons: ['proxy-agent'],
    hostNetwork: false,
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
    binaries: ['mkfs', 'mkfs.ext4', 'mkfs.xfs', 'mke2fs', 'mount', 'umount', 'blkid', 'resize2fs', 'xfs_growfs', 'fsck', 'e2fsck', 'udevadm', 'aws-ebs-csi-driver', 'nvme'],
    daemons: ['aws-ebs-csi-driver', 'gce-pd-csi-driver', 'azurediskplugin', 'azurefileplugin', 'csi-node-driver-registrar'],
    hostNetwork: false,
    hostPrivilegedActions: ['mkfs', 'mount'],
  },
  {
    id: 'node-problem-detector',
    name: 'node-problem-detector',
    role: 'monitoring',
    namespaces: ['kube-system'],
    workloads: ['node-problem-detector'],
    images: ['node-problem-detector/node-problem-detector', 'node-problem-detector'],
    binaries: ['node-problem-detector', 'sh', 'bash'],
    daemons: ['node-problem-detector'],
    hostNetwork: false,
    hostPathReads: ['/var/log', '/dev/kmsg'],
  },
  {
    id: 'node-exporter',
    name: 'Prometheus node-exporter',
    role: 'monitoring',
    namespaces: ['*'],
    workloads: ['*node-exporter'],
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
    daemons: ['falcon-sensor', 'falcond'],
    hostNetwork: true,
    hostPrivilegedActions: ['modprobe', 'bpf'],
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
    id: 'azure-monitor-agent',
    name: 'Azure Monitor agent (omsagent / ama-logs)',
    role: 'logging',
    namespaces: ['kube-system'],
    workloads: ['omsagent', 'ama-logs', 'omsagent-rs', 'ama-logs-rs'],
    images: ['azuremonitor/containerinsights/ciprod'],
    binaries: ['fluent-bit', 'fluentd', 'td-agent-bit', 'mdsd'],
    daemons: ['fluent-bit', 'mdsd'],
    hostNetwork: false,
    hostPathReads: ['/var/log', '/hostfs'],
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

export function imageMatches(component: NodeComponent, image: string | undefined): boolean {
  const repo = imageRepository(image);
  if (!repo) return false;
  return component.images.some((suffix) => repo === suffix || repo.endsWith(`/${suffix}`));
}

export function nameMatches(patterns: string[], name: string | undefined): boolean {
  if (!name) return false;
  return patterns.some((p) => {
    if (p === '*') return true;
    const star = p.indexOf('*');
    if (star === -1) return p === name;
    const [pre, post] = [p.slice(0, star), p.slice(star + 1).replace(/\*$/, '')];
    if (p.endsWith('*') && p.startsWith('*')) return name.includes(p.slice(1, -1));
    if (p.endsWith('*')) return name.startsWith(pre);
    return name.endsWith(post) && name.startsWith(pre);
  });
}

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
