/**
 * AWS GuardDuty findings (API, EventBridge {"detail-type":"GuardDuty Finding","detail":{…}}, S3 export). EKS audit-log
 * findings describe a Kubernetes API request (service.action.kubernetesApiCallAction → apiRequest); Runtime Monitoring
 * findings describe a process in a container on an instance (service.runtimeDetails.process). GuardDuty takes no
 * action itself; only network actions record whether traffic was blocked.
 * Copied findings sometimes carry markdown links inside DNS names ("[ip-10-…us](https://…)-west-1…"); the link
 * text is kept.
 */
import type { Alert, AlertSource, ProcessInfo, Severity } from '../model.js';
import { RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { addMitre, bool, clean, finish, ip, ips, isRecord, newAlert, num, obj, objects, port, present, proc, str, strs, stripRuntime, time } from './common.js';

const ID = 'guardduty';

function unwrapEventBridge(record: RawRecord): RawRecord {
  return isRecord(record.detail) && /guardduty/i.test(String(record['detail-type'] ?? record.source ?? '')) ? record.detail : record;
}

function isFinding(r: RawRecord): boolean {
  const arn = str(r, 'arn');
  if (arn && arn.includes(':guardduty:')) return true;
  if (str(r, 'service.serviceName') === 'guardduty') return true;
  return present(r, 'schemaVersion', 'resource.resourceType', 'service.detectorId', 'type', 'accountId') >= 4;
}

/** "[text](url)rest" → "textrest". */
function stripMarkdownLinks(value: string | undefined): string | undefined {
  return value?.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
}

/** GuardDuty's bands: 1.0–3.9 low, 4.0–6.9 medium, 7.0–8.9 high, 9.0–10 critical. */
function severity(value: number | undefined, label: string | undefined): Severity {
  if (value === undefined) return label && /critical|high|medium|low/i.test(label) ? (label.toLowerCase() as Severity) : 'unknown';
  if (value >= 9) return 'critical';
  if (value >= 7) return 'high';
  if (value >= 4) return 'medium';
  return value > 0 ? 'low' : 'informational';
}

function runtimeProcess(p: RawRecord, options: MapOptions | undefined): ProcessInfo {
  return {
    name: str(p, 'name'),
    path: str(p, 'executablePath'),
    pid: str(p, 'pid'),
    user: str(p, 'user'),
    uid: str(p, 'euid', 'userId'),
    hash: str(p, 'executableSha256'),
    startTime: time(p, options, 'startTime') ?? undefined,
  };
}

/** kubernetesWorkloadDetails.type (the API resource, sometimes singular or capitalised) → controller kind. */
const WORKLOAD_KINDS: Record<string, string> = {
  daemonsets: 'DaemonSet', daemonset: 'DaemonSet', deployments: 'Deployment', deployment: 'Deployment', statefulsets: 'StatefulSet', statefulset: 'StatefulSet',
  replicasets: 'ReplicaSet', replicaset: 'ReplicaSet', jobs: 'Job', job: 'Job', cronjobs: 'CronJob', cronjob: 'CronJob',
};

export const guardDuty: VendorProfile = {
  id: ID,
  product: 'AWS GuardDuty (EKS audit-log and Runtime Monitoring findings)',
  detect(record: RawRecord, _hints: DetectHints): number {
    const r = unwrapEventBridge(record);
    return isFinding(r) ? 1 : 0;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    const r = unwrapEventBridge(record);
    if (!isFinding(r)) throw new RecordError('not a GuardDuty finding: no guardduty arn or service');
    const alert = newAlert(record, source, ID);
    const type = str(r, 'type');
    alert.id = str(r, 'id') ?? alert.id;
    alert.time = time(r, options, 'service.eventFirstSeen', 'createdAt', 'updatedAt');
    alert.title = str(r, 'title') ?? type ?? 'GuardDuty finding';
    alert.description = type ? `${type}: ${str(r, 'description') ?? ''}`.replace(/: $/, '') : str(r, 'description');
    alert.severity = severity(num(r, 'severity'), str(r, 'severity'));
    // The finding type starts with its tactic ("PrivilegeEscalation:Runtime/…").
    addMitre(alert, strs(r, 'service.runtimeDetails.context.mitreTechniques'), type ? [type.split(':')[0]] : []);

    const resource = obj(r.resource) ?? {};
    const instance = obj(resource.instanceDetails) ?? {};
    const interfaces = objects(instance.networkInterfaces);
    alert.host.instanceId = str(instance, 'instanceId');
    alert.host.name = stripMarkdownLinks(interfaces.map((i) => str(i, 'privateDnsName')).find((n) => n !== undefined));
    alert.host.ips = ips(...interfaces.map((i) => i.privateIpAddress), ...interfaces.flatMap((i) => objects(i.privateIpAddresses).map((p) => p.privateIpAddress)));
    alert.cluster = str(resource, 'eksClusterDetails.name', 'ecsClusterDetails.name');

    const kubernetes = obj(resource.kubernetesDetails) ?? {};
    const workload = obj(kubernetes.kubernetesWorkloadDetails);
    const container = obj(resource.containerDetails) ?? objects(workload?.containers)[0];
    if (container) {
      alert.container.id = stripRuntime(str(container, 'id'));
      alert.container.name = str(container, 'name');
      alert.container.image = stripMarkdownLinks(str(container, 'image'));
      alert.container.privileged = bool(container, 'securityContext.privileged');
    }
    if (workload) {
      alert.container.namespace = str(workload, 'namespace');
      const workloadType = str(workload, 'type')?.toLowerCase();
      if (workloadType === 'pods' || workloadType === 'pod') {
        alert.container.pod = str(workload, 'name');
        alert.container.podUid = str(workload, 'uid');
      } else {
        const kind = workloadType ? WORKLOAD_KINDS[workloadType] : undefined;
        const name = str(workload, 'name');
        if (kind && name) alert.container.workload = { kind, name };
      }
    }

    const runtime = obj(getRuntime(r)) ?? {};
    const process = obj(runtime.process);
    if (process) {
      const lineage = objects(process.lineage).map((l) =>
        proc({ name: str(l, 'name', 'ancestorName'), pid: str(l, 'pid', 'ancestorPid'), path: str(l, 'executablePath'), uid: str(l, 'euid', 'userId') }) ?? {},
      );
      alert.process = { ...runtimeProcess(process, options), ancestors: lineage };
      const example = str(runtime, 'context.commandLineExample');
      if (example && !alert.process.commandLine) alert.process.commandLine = example;
      // The file the finding is about: the library loaded (NewLibraryLoaded), the malicious or script file.
      const file = str(runtime, 'context.libraryPath', 'context.threatFilePath', 'context.scriptPath');
      if (file) alert.file = { path: file };
    }

    const user = obj(kubernetes.kubernetesUserDetails);
    const apiCall = obj(getPathSafe(r, ['service', 'action', 'kubernetesApiCallAction']));
    if (apiCall || user) {
      const status = clean(apiCall?.statusCode);
      alert.apiRequest = {
        user: user ? str(user, 'username') : undefined,
        groups: user ? strs(user, 'groups') : undefined,
        verb: apiCall ? str(apiCall, 'verb') : undefined,
        resource: apiCall ? str(apiCall, 'resource') : undefined,
        subresource: apiCall ? str(apiCall, 'subresource') : undefined,
        namespace: apiCall ? str(apiCall, 'namespace') : undefined,
        name: apiCall ? str(apiCall, 'resourceName') : undefined,
        sourceIps: apiCall ? ips(apiCall.sourceIPs, apiCall.sourceIps, str(apiCall, 'remoteIpDetails.ipAddressV4')) : undefined,
        userAgent: apiCall ? str(apiCall, 'userAgent') : undefined,
        statusCode: status !== undefined && /^\d+$/.test(status) ? Number(status) : undefined,
        requestUri: apiCall ? str(apiCall, 'requestUri') : undefined,
      };
      // A request to one pod (exec, attach, port-forward, get) without workload details is about that pod.
      const target = alert.apiRequest;
      if (!workload && target.resource === 'pods' && target.namespace && target.name && !alert.container.pod) {
        alert.container.namespace = target.namespace;
        alert.container.pod = target.name;
      }
      if (alert.apiRequest.groups?.length === 0) delete alert.apiRequest.groups;
      if (alert.apiRequest.sourceIps?.length === 0) delete alert.apiRequest.sourceIps;
    }

    const connection = obj(getPathSafe(r, ['service', 'action', 'networkConnectionAction']));
    const dns = obj(getPathSafe(r, ['service', 'action', 'dnsRequestAction']));
    if (connection || dns) {
      alert.network = {
        srcIp: connection ? ip(str(connection, 'localIpDetails.ipAddressV4')) : undefined,
        srcPort: connection ? port(connection, 'localPortDetails.port') : undefined,
        dstIp: connection ? ip(str(connection, 'remoteIpDetails.ipAddressV4')) : undefined,
        dstPort: connection ? port(connection, 'remotePortDetails.port') : undefined,
        protocol: connection ? str(connection, 'protocol')?.toLowerCase() : undefined,
        direction: connection ? str(connection, 'connectionDirection')?.toLowerCase() : undefined,
        domain: dns ? str(dns, 'domain') : undefined,
      };
    }
    const blocked = bool(r, 'service.action.networkConnectionAction.blocked', 'service.action.dnsRequestAction.blocked');
    alert.action = blocked ? 'blocked' : 'detected';
    return finish(alert);
  },
  fields: {
    id: 'id',
    time: 'service.eventFirstSeen | createdAt',
    title: 'title | type',
    description: 'type: description',
    severity: 'severity (1–3.9 low, 4–6.9 medium, 7–8.9 high, 9+ critical)',
    action: '(detected) | service.action.networkConnectionAction.blocked',
    tactics: 'type prefix (PrivilegeEscalation:…)',
    'host.name/ips/instanceId': 'resource.instanceDetails.networkInterfaces[].privateDnsName, privateIpAddress, instanceId',
    cluster: 'resource.eksClusterDetails.name',
    'container.*': 'resource.containerDetails | kubernetesWorkloadDetails.containers[] {id, name, image, securityContext.privileged}',
    'container.pod/namespace': 'kubernetesWorkloadDetails.name (type pods), namespace | kubernetesApiCallAction.resourceName, namespace (resource pods)',
    'container.workload': 'kubernetesWorkloadDetails.type + name for controllers (daemonsets, deployments, …)',
    'process.*': 'service.runtimeDetails.process {name, executablePath, pid, user, euid, executableSha256, startTime}, lineage[]',
    apiRequest: 'kubernetesUserDetails.username/groups, kubernetesApiCallAction {verb, resource, subresource, namespace, resourceName, requestUri, sourceIPs, userAgent, statusCode}',
    network: 'service.action.networkConnectionAction, dnsRequestAction.domain',
    'file.path': 'service.runtimeDetails.context.libraryPath | threatFilePath | scriptPath',
  },
};

function getRuntime(r: RawRecord): unknown {
  return getPathSafe(r, ['service', 'runtimeDetails']);
}

function getPathSafe(r: RawRecord, keys: string[]): unknown {
  let v: unknown = r;
  for (const k of keys) {
    if (!isRecord(v) || !Object.prototype.hasOwnProperty.call(v, k)) return undefined;
    v = v[k];
  }
  return v;
}
