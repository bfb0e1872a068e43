/** The normalized alert every reader and vendor profile produces. All strings are attacker-controlled. */

export type AlertAction = 'detected' | 'blocked' | 'killed' | 'quarantined' | 'unknown';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'informational' | 'unknown';

export interface ProcessInfo {
  name?: string;
  path?: string;
  commandLine?: string;
  /** Kept as a string: some products emit 64-bit ids that a JS number would round. */
  pid?: string;
  user?: string;
  uid?: string;
  hash?: string;
  /** true when the process had a controlling terminal (interactive shell). */
  tty?: boolean;
  startTime?: string;
  /**
   * The login (audit) uid: the user who logged in (SSH, console) and everything started from that session keeps it.
   * '-1' / '4294967295' mean no login session (a daemon, a container's processes).
   */
  loginUid?: string;
}

export interface AlertProcess extends ProcessInfo {
  /** Ancestors, nearest first: ancestors[0] is the parent. */
  ancestors: ProcessInfo[];
}

export interface AlertContainer {
  id?: string;
  name?: string;
  image?: string;
  pod?: string;
  namespace?: string;
  podUid?: string;
  cgroupPath?: string;
  privileged?: boolean;
  /** The controller the alert names when it names no pod (GuardDuty kubernetesWorkloadDetails of a DaemonSet). */
  workload?: { kind: string; name: string };
}

export interface AlertNetwork {
  srcIp?: string;
  srcPort?: number;
  dstIp?: string;
  dstPort?: number;
  protocol?: string;
  appProtocol?: string;
  domain?: string;
  url?: string;
  httpMethod?: string;
  userAgent?: string;
  interface?: string;
  direction?: string;
}

/** For alerts raised from the Kubernetes audit log (Falco k8saudit, Defender K8S_, GuardDuty EKS audit). */
export interface AlertApiRequest {
  user?: string;
  groups?: string[];
  verb?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  sourceIps?: string[];
  userAgent?: string;
  statusCode?: number;
  requestUri?: string;
}

export interface AlertSource {
  /** Path as given on the command line (or "-" for stdin). */
  file: string;
  /** 1-based position of the alert in its file: CSV data row, JSON array index + 1, non-empty NDJSON line. */
  record: number;
  /** 1-based physical line where the record starts, when known (for messages). */
  line?: number;
  /** Vendor profile id that read the record. */
  vendor: string;
}

export interface Alert {
  id: string;
  source: AlertSource;
  /** ISO-8601 UTC, or null when the record has no usable time. */
  time: string | null;
  title: string;
  severity: Severity;
  tactics: string[];
  techniques: string[];
  action: AlertAction;
  /** Cluster name when the product knows it. */
  cluster?: string;
  host: { name?: string; ips: string[]; instanceId?: string };
  container: AlertContainer;
  process: AlertProcess;
  file?: { path?: string; name?: string; hash?: string };
  network?: AlertNetwork;
  apiRequest?: AlertApiRequest;
  /**
   * The network sensor or probe that reported the alert (Suricata `host`, Corelight `_system_name`, Vectra
   * `dvchost`). Not the monitored host: network-only products leave `host` empty and are correlated by IP.
   */
  sensor?: string;
  /** Free text the product attached (rule output, description). */
  description?: string;
  /** The original record, as parsed. */
  raw: Record<string, unknown>;
}

export function emptyAlert(source: AlertSource): Alert {
  return {
    id: `${source.file}:${source.record}`,
    source,
    time: null,
    title: '',
    severity: 'unknown',
    tactics: [],
    techniques: [],
    action: 'unknown',
    host: { ips: [] },
    container: {},
    process: { ancestors: [] },
    raw: {},
  };
}
