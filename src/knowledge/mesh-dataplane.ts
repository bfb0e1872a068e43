/**
 * Data for two stories a cloud node tells on the wire that no process alert explains.
 *
 * Mesh tunnels: a sidecar-less mesh dataplane whose node proxy carries pod-to-pod traffic as mTLS on one port. With
 * Istio ambient's in-pod redirection (istio-cni moves ztunnel's listening sockets into each enrolled pod's network
 * namespace) the tunnel (HBONE: HTTP CONNECT over mTLS, TCP/15008) leaves from the application pod's own address to the
 * destination pod's address, so a sensor sees TLS between two application pods on 15008. Enrolment is the namespace
 * or pod label `istio.io/dataplane-mode=ambient` (`none` on a pod opts it out); the waypoint proxies of an enrolled
 * namespace receive the same tunnels. Sources: Istio ambient docs (traffic redirection, HBONE, labels).
 *
 * Instance identity: what node agents read from the cloud instance metadata service to learn where they run (instance
 * id, zone, addresses, the signed identity document, and the IMDSv2 session token that opens those reads) — never the credential paths, which the
 * instance-metadata-credentials indicator covers. Sources: the EC2 IMDS categories, the EBS CSI driver's metadata use.
 */

export interface MeshTunnel {
  id: string;
  name: string;
  /** Destination ports of the tunnels between pods. */
  ports: number[];
  /** The known component (components.ts id) whose node proxy carries them, and that proxy's workload names. */
  componentId: string;
  proxyWorkloads: string[];
  /** The label, on the namespace or the pod, that enrols a pod; a pod's own label overrides its namespace's. */
  enrolmentLabel: string;
  enrolledValues: string[];
  /** Labels that mark the mesh's own in-namespace proxies (waypoints), which receive tunnels whatever their enrolment. */
  proxyLabels: string[];
}

export const MESH_TUNNELS: readonly MeshTunnel[] = [
  {
    id: 'istio-ambient-hbone',
    name: 'Istio ambient mode (ztunnel HBONE mTLS tunnels)',
    ports: [15008],
    componentId: 'istio-cni',
    proxyWorkloads: ['ztunnel'],
    enrolmentLabel: 'istio.io/dataplane-mode',
    enrolledValues: ['ambient'],
    proxyLabels: ['gateway.istio.io/managed', 'istio.io/gateway-name', 'gateway.networking.k8s.io/gateway-name'],
  },
];

/** Instance metadata service addresses (AWS IPv4 / IPv6, GCP and Azure share the IPv4 one). */
export const INSTANCE_METADATA_ADDRESSES: ReadonlySet<string> = new Set(['169.254.169.254', 'fd00:ec2::254']);

/**
 * Paths that say where an instance runs and what it is, not who it may act as: EC2 meta-data categories and the
 * identity document, GCP's instance/zone, Azure's compute metadata.
 */
export const INSTANCE_IDENTITY_PATH =
  /^\/(?:latest\/(?:api\/token|meta-data\/(?:instance-id|instance-type|ami-id|placement\/[\w-]+|local-ipv4|local-hostname|hostname|mac|network\/interfaces\/macs\/[\w:.-]+\/(?:local-ipv4s|subnet-id|vpc-id|device-number|interface-id)|block-device-mapping\/[\w-]*|outpost-arn)|dynamic\/instance-identity\/document)|computeMetadata\/v1\/instance\/(?:id|zone|name|hostname|machine-type)|metadata\/instance\/compute(?:\/[\w]+)?)\/?(?:\?[^\s]*)?$/;
