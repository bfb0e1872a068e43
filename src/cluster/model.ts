/** Kubernetes objects as the API returns them (only the fields kdr-triage reads are typed), and the snapshot. */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { kind: string; name: string; uid?: string; controller?: boolean }[];
  generateName?: string;
}

export interface KubeObject {
  apiVersion?: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
  [key: string]: unknown;
}

export interface SecurityContext {
  privileged?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
}

export interface Probe {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port?: number | string; scheme?: string; host?: string };
  tcpSocket?: { port?: number | string };
  grpc?: { port?: number };
  periodSeconds?: number;
}

export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  ports?: { containerPort: number; hostPort?: number; name?: string; protocol?: string }[];
  securityContext?: SecurityContext;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { postStart?: { exec?: { command?: string[] } }; preStop?: { exec?: { command?: string[] } } };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  targetContainerName?: string;
}

export interface ContainerStateTerminated {
  exitCode?: number;
  signal?: number;
  reason?: string;
  startedAt?: string;
  finishedAt?: string;
  containerID?: string;
}

export interface ContainerStatus {
  name: string;
  containerID?: string;
  image?: string;
  imageID?: string;
  ready?: boolean;
  restartCount?: number;
  started?: boolean;
  state?: {
    running?: { startedAt?: string };
    waiting?: { reason?: string; message?: string };
    terminated?: ContainerStateTerminated;
  };
  lastState?: { terminated?: ContainerStateTerminated; running?: unknown; waiting?: unknown };
}

export interface Pod extends KubeObject {
  kind: 'Pod';
  spec: {
    nodeName?: string;
    hostNetwork?: boolean;
    hostPID?: boolean;
    hostIPC?: boolean;
    serviceAccountName?: string;
    securityContext?: SecurityContext & { runAsUser?: number };
    containers: ContainerSpec[];
    initContainers?: ContainerSpec[];
    ephemeralContainers?: ContainerSpec[];
    volumes?: { name: string; hostPath?: { path: string; type?: string }; [k: string]: unknown }[];
    [key: string]: unknown;
  };
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    hostIP?: string;
    startTime?: string;
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
    ephemeralContainerStatuses?: ContainerStatus[];
    [key: string]: unknown;
  };
}

export interface Node extends KubeObject {
  kind: 'Node';
  spec?: { providerID?: string; [key: string]: unknown };
  status?: {
    addresses?: { type: string; address: string }[];
    nodeInfo?: { containerRuntimeVersion?: string; kubeletVersion?: string; osImage?: string; [key: string]: unknown };
    [key: string]: unknown;
  };
}

/** A kubectl exec / attach / debug / port-forward session reconstructed from audit logs. */
export interface ExecSession {
  kind: 'exec' | 'attach' | 'portforward' | 'ephemeral-container' | 'node-debug';
  user: string;
  groups: string[];
  impersonatedUser?: string;
  sourceIps: string[];
  userAgent?: string;
  namespace: string;
  pod: string;
  container?: string;
  /** argv of the exec, or the ephemeral container's command. */
  command: string[];
  tty: boolean;
  /** ISO-8601 UTC. */
  start: string;
  /** ISO-8601 UTC; equals start when the log only shows the opening. */
  end: string;
  /** HTTP status of the request (101 = stream opened, 403 = forbidden). */
  code?: number;
  /** For ephemeral containers / node debug: the image used. */
  image?: string;
  /** For node debug pods: the node the pod targets. */
  node?: string;
  /** `authentication.kubernetes.io/pod-name` for service-account tokens bound to a pod. */
  tokenBoundPod?: string;
  /** `authentication.kubernetes.io/pod-uid` of a bound service-account token. */
  tokenBoundPodUid?: string;
  impersonatedGroups?: string[];
  /** Opened through the API server's node proxy straight to this node's kubelet (nodes/proxy), not through pods/exec. */
  viaNodeProxy?: string;
  /** auditID of the request (GKE: operation id or insertId). */
  auditId?: string;
  /** Cluster named by the log envelope (GKE resource labels, AKS resourceId, EKS log group), when known. */
  cluster?: string;
  /** Ephemeral container: the container whose namespaces it joined (`kubectl debug --target`). */
  targetContainer?: string;
  /** Port-forward: the requested ports. */
  ports?: string[];
  stdin?: boolean;
  /** Authorization decision and reason from the audit annotations (e.g. `RBAC: allowed by RoleBinding ...`). */
  decision?: string;
  authorization?: string;
  /** Where the session's first audit record was read. */
  source?: { file: string; line: number };
}

/** A non-exec API request worth keeping (pod creations, requests by users, forbidden calls). */
export interface AuditActivity {
  time: string;
  user: string;
  groups: string[];
  impersonatedUser?: string;
  verb: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  sourceIps: string[];
  userAgent?: string;
  code?: number;
  tokenBoundPod?: string;
  /** For pod creations at Request level: a distilled summary of the pod spec. */
  podSpec?: {
    privileged?: boolean;
    hostPID?: boolean;
    hostNetwork?: boolean;
    hostPaths?: string[];
    images?: string[];
    commands?: string[][];
    owner?: string;
    hostIPC?: boolean;
    /** Capabilities added by any container. */
    capabilities?: string[];
    /** Some container runs as UID 0 explicitly. */
    runAsRoot?: boolean;
    nodeName?: string;
    serviceAccountName?: string;
    /** Name of the controlling owner (`owner` holds its kind, or 'none'). */
    ownerName?: string;
    /** metadata.generateName, when the request did not name the pod. */
    generateName?: string;
    /** Where containers mount host paths (any container; duplicates dropped). */
    hostMounts?: { mountPath: string; hostPath: string; readOnly?: boolean }[];
  };
  tokenBoundPodUid?: string;
  impersonatedGroups?: string[];
  apiGroup?: string;
  auditId?: string;
  cluster?: string;
  decision?: string;
  authorization?: string;
  source?: { file: string; line: number };
  /** For the creation of a chaos-engineering fault resource at Request level: what it targets and for how long. */
  chaos?: ChaosFaultSummary;
}

/** A chaos experiment as its creation request declared it (Chaos Mesh selector and target, duration). */
export interface ChaosFaultSummary {
  kind: string;
  action?: string;
  /** The pods it may act on: its selector and, for a partition, its target; all labels of one selector must match. */
  selectors: { namespaces: string[]; labels: Record<string, string>; nodes?: string[]; pods?: string[] }[];
  /** Its declared duration in milliseconds (none: until the resource is deleted). */
  durationMs?: number;
}

export interface SnapshotGap {
  resource: string;
  reason: string;
  cluster?: string;
}

export const RESOURCE_KINDS = [
  'nodes',
  'pods',
  'daemonsets',
  'deployments',
  'replicasets',
  'statefulsets',
  'jobs',
  'cronjobs',
  'services',
  'events',
  'namespaces',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export interface ClusterSnapshot {
  kind: 'KdrTriageSnapshot';
  version: 1;
  /** ISO-8601 UTC, or null when unknown (plain kubectl dumps). */
  capturedAt: string | null;
  /**
   * The newest timestamp seen inside the objects (node heartbeats, conditions, container starts, events,
   * managedFields): a lower bound for when a plain kubectl dump was taken. Set by the loader.
   */
  observedUntil?: string | null;
  cluster: string;
  context?: string;
  server?: string;
  serverVersion?: string;
  objects: Record<ResourceKind, KubeObject[]>;
  execSessions: ExecSession[];
  auditActivities: AuditActivity[];
  gaps: SnapshotGap[];
}

export function emptySnapshot(cluster: string): ClusterSnapshot {
  const objects = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, [] as KubeObject[]])) as Record<ResourceKind, KubeObject[]>;
  return { kind: 'KdrTriageSnapshot', version: 1, capturedAt: null, cluster, objects, execSessions: [], auditActivities: [], gaps: [] };
}

export interface WorkloadRef {
  kind: string;
  namespace: string;
  name: string;
  object?: KubeObject;
  /**
   * true when neither an ownerReference nor an object names this workload and it was derived instead
   * (a Deployment name from a missing ReplicaSet's name and the pod-template-hash label).
   */
  inferred?: boolean;
}

export interface ContainerRef {
  pod: Pod;
  spec: ContainerSpec;
  status?: ContainerStatus;
  /** 'container' | 'init' | 'ephemeral' */
  type: 'container' | 'init' | 'ephemeral';
  /** The id matched a previous instance of this container (lastState.terminated, or an older snapshot), not the current one. */
  previous?: boolean;
  /** The container id the lookup matched (lower-case hex, no runtime scheme). */
  id?: string;
}

/** O(1) lookups over one or more snapshots. Implemented in cluster/index.ts. */
export interface ClusterIndex {
  readonly clusters: string[];
  readonly capturedAt: string | null;
  /** Newest timestamp seen inside the objects of any snapshot (see ClusterSnapshot.observedUntil). */
  readonly observedUntil?: string | null;
  readonly gaps: SnapshotGap[];
  readonly nodes: Node[];
  readonly pods: Pod[];
  clusterOf(obj: KubeObject): string;
  /** By name, short hostname, FQDN, any address, or cloud instance id (from providerID). */
  findNode(ref: string): Node | undefined;
  podByUid(uid: string): Pod | undefined;
  podByName(namespace: string, name: string): Pod | undefined;
  /** Pods with this name in any namespace. */
  podsNamed(name: string): Pod[];
  /** Pod that held this IP at `time` (ISO; null = now). Host-network pods are excluded. */
  podByIp(ip: string, time: string | null): Pod | undefined;
  /** Full id, or any prefix of 12+ hex chars, with or without a runtime scheme. */
  containerById(id: string): ContainerRef | undefined;
  /** cgroupfs or systemd cgroup path, v1 or v2. */
  containerByCgroup(path: string): ContainerRef | { pod: Pod } | undefined;
  podsOnNode(nodeName: string): Pod[];
  nodeOfPod(pod: Pod): Node | undefined;
  /** Controller owners, nearest first: Pod → ReplicaSet → Deployment, Job → CronJob. */
  ownerChain(pod: KubeObject): WorkloadRef[];
  /** The top-level workload of a pod (or undefined for a naked pod). */
  workloadOf(pod: Pod): WorkloadRef | undefined;
  /** All objects of a kind (snapshot resource name). */
  list(kind: 'daemonsets' | 'deployments' | 'replicasets' | 'statefulsets' | 'jobs' | 'cronjobs' | 'services' | 'events' | 'namespaces'): KubeObject[];
  serviceByIp(ip: string): KubeObject | undefined;
  eventsFor(namespace: string, name: string): KubeObject[];
  execSessionsForPod(namespace: string, pod: string): ExecSession[];
  readonly execSessions: ExecSession[];
  readonly auditActivities: AuditActivity[];
}
