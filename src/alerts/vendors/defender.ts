/**
 * Microsoft Defender for Endpoint / Defender XDR. Three shapes:
 *  - Advanced Hunting rows (AlertInfo, AlertEvidence, DeviceProcessEvents, DeviceEvents… and joins of them),
 *    exported as CSV or JSON, or streamed through Event Hub inside {category:"AdvancedHunting-<Table>", properties:{…}};
 *    AdditionalFields and AttackTechniques are JSON inside strings;
 *  - Microsoft Graph security alerts_v2 objects with evidence[] (deviceEvidence, processEvidence, fileEvidence,
 *    containerEvidence, kubernetesPodEvidence, ipEvidence, urlEvidence…).
 * AppGuardContainerId is an Application Guard container, not a Kubernetes one, and is not mapped.
 */
import { normalizeAction, normalizeSeverity } from '../fields.js';
import type { Alert, AlertAction, AlertSource, ProcessInfo } from '../model.js';
import { RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import {
  addMitre,
  arr,
  bool,
  finish,
  ip,
  ips,
  isRecord,
  joinPath,
  lineage,
  newAlert,
  obj,
  objects,
  port,
  present,
  presentAtLeast,
  proc,
  str,
  strs,
  stripRuntime,
  time,
} from './common.js';

const ID = 'defender-xdr';

/** Workload kinds a Defender for Containers control-plane alert can name (AdditionalFields ResourceKind). */
const WORKLOAD_KINDS = new Set(['Pod', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet', 'Job', 'CronJob']);

/** The API resource of a kind (`DaemonSet` → `daemonsets`). */
function resourceOfKind(kind: string | undefined): string | undefined {
  return kind ? `${kind.toLowerCase()}s` : undefined;
}

/** Columns of the Advanced Hunting tables that only Defender writes together. */
const HUNTING_COLUMNS = [
  'AlertId', 'DeviceId', 'DeviceName', 'ReportId', 'InitiatingProcessFileName', 'InitiatingProcessCommandLine', 'InitiatingProcessId',
  'ProcessCommandLine', 'AttackTechniques', 'EvidenceRole', 'EntityType', 'ServiceSource', 'DetectionSource', 'ActionType', 'AdditionalFields',
  'FolderPath', 'InitiatingProcessAccountName', 'MachineGroup',
];

/** What a row needs two of to be read as a Defender row. */
const HUNTING_ROW_COLUMNS = [...HUNTING_COLUMNS, 'Timestamp', 'Title'];

function huntingRow(record: RawRecord): RawRecord {
  return typeof record.category === 'string' && record.category.startsWith('AdvancedHunting-') && isRecord(record.properties) ? record.properties : record;
}

function isGraphAlert(record: RawRecord): boolean {
  const type = str(record, '@odata.type');
  if (type && /microsoft\.graph\.security\.alert/i.test(type)) return true;
  return Array.isArray(record.evidence) && present(record, 'serviceSource', 'detectionSource', 'createdDateTime', 'providerAlertId', 'incidentId') >= 2;
}

function mapHunting(envelope: RawRecord, row: RawRecord, alert: Alert, options: MapOptions | undefined): void {
  const extra = obj(row.AdditionalFields) ?? {};
  alert.id = str(row, 'AlertId') ?? alert.id;
  alert.time = time(row, options, 'Timestamp', 'TimeGenerated', 'Timestamp [UTC]', 'TimeGenerated [UTC]') ?? time(envelope, options, 'time');
  const table = typeof envelope.category === 'string' ? envelope.category.replace(/^AdvancedHunting-/, '') : undefined;
  // Each column is read once (the row is plain data): ActionType is the title when there is none, and the action.
  const actionType = str(row, 'ActionType');
  alert.title = str(row, 'Title') ?? actionType ?? table ?? 'Defender event';
  alert.severity = normalizeSeverity(str(row, 'Severity'));
  const techniques = arr(row.AttackTechniques).map(String);
  addMitre(alert, [...techniques, ...strs(row, 'AttackTechniques')], strs(row, 'Category'));

  alert.host.name = str(row, 'DeviceName');
  const localIp = str(row, 'LocalIP');
  alert.host.ips = ips(localIp);

  // AlertEvidence rows describe one entity: a File row names a file, a Process row (or a process event) a process.
  const entity = str(row, 'EntityType')?.toLowerCase();
  const fileName = str(row, 'FileName');
  const commandLine = str(row, 'ProcessCommandLine');
  const pid = str(row, 'ProcessId');
  const folder = str(row, 'FolderPath');
  const initiatingName = str(row, 'InitiatingProcessFileName');
  const initiating = proc({
    name: initiatingName,
    path: joinPath(str(row, 'InitiatingProcessFolderPath'), initiatingName),
    commandLine: str(row, 'InitiatingProcessCommandLine'),
    pid: str(row, 'InitiatingProcessId'),
    user: str(row, 'InitiatingProcessAccountName'),
    uid: str(extra, 'InitiatingProcessPosixEffectiveUser.PosixUserId', 'InitiatingProcessPosixRealUser.PosixUserId'),
    hash: str(row, 'InitiatingProcessSHA256'),
    startTime: time(row, options, 'InitiatingProcessCreationTime') ?? undefined,
  });
  const initiatingParent = proc({
    name: str(row, 'InitiatingProcessParentFileName'),
    pid: str(row, 'InitiatingProcessParentId'),
    startTime: time(row, options, 'InitiatingProcessParentCreationTime') ?? undefined,
  });

  if (entity === 'file' || entity === 'url' || entity === 'ip' || entity === 'registryvalue') {
    if (fileName || folder) alert.file = { name: fileName, path: joinPath(folder, fileName), hash: str(row, 'SHA256', 'SHA1') };
    if (initiating) alert.process = { ...initiating, ancestors: lineage(initiatingParent) };
  } else if (fileName || commandLine !== undefined || pid !== undefined) {
    const terminal = str(extra, 'ProcessPosixAttachedTerminal', 'InitiatingProcessPosixAttachedTerminal');
    alert.process = {
      name: fileName,
      path: joinPath(folder, fileName),
      commandLine,
      pid,
      user: str(row, 'AccountName') ?? str(extra, 'ProcessPosixEffectiveUser.Name'),
      uid: str(extra, 'ProcessPosixEffectiveUser.PosixUserId', 'ProcessPosixRealUser.PosixUserId'),
      hash: str(row, 'SHA256', 'SHA1'),
      tty: terminal !== undefined ? true : undefined,
      startTime: time(row, options, 'ProcessCreationTime') ?? undefined,
      ancestors: lineage(initiating, initiatingParent),
    };
  } else if (initiating) {
    alert.process = { ...initiating, ancestors: lineage(initiatingParent) };
  }

  // Defender for Cloud alerts forwarded into AlertEvidence carry their Kubernetes context in AdditionalFields.
  alert.cluster = str(extra, 'ClusterName', 'Cluster', 'KubernetesCluster');
  const namespace = str(extra, 'Namespace', 'PodNamespace', 'KubernetesNamespace');
  const isApiCall = entity === 'cloudlogonsession' || entity === 'user' || entity === 'account' || entity === 'cloudapplication';
  if (isApiCall) {
    alert.apiRequest = {
      user: str(row, 'AccountUpn', 'AccountName') ?? str(extra, 'UserName'),
      namespace,
      sourceIps: ips(str(row, 'RemoteIP')),
      userAgent: str(extra, 'UserAgent'),
      verb: str(extra, 'Verb'),
      resource: str(extra, 'Resource') ?? resourceOfKind(str(extra, 'ResourceKind', 'Kind')),
      name: str(extra, 'ResourceName', 'Name'),
    };
    // A control-plane alert about one workload (a sensitive mount, a privileged container) names it: it is placed on
    // that workload's pods.
    const kind = str(extra, 'ResourceKind', 'Kind');
    const workloadName = str(extra, 'ResourceName', 'Name');
    if (kind && workloadName && namespace && WORKLOAD_KINDS.has(kind)) {
      alert.container.namespace = namespace;
      alert.container.workload = { kind, name: workloadName };
    }
    const alertType = str(extra, 'AlertType');
    if (alertType && !alert.description) alert.description = alertType;
    alert.action = 'unknown';
    return;
  }
  alert.container.id = stripRuntime(str(extra, 'ContainerId', 'ContainerID'));
  alert.container.pod = str(extra, 'PodName', 'Pod', 'KubernetesPodName');
  // Defender for Containers' node-sensor alerts (K8S.NODE_*) name the container too.
  alert.container.name = str(extra, 'ContainerName', 'Container', 'KubernetesContainerName');
  alert.container.namespace = alert.container.pod || alert.container.id ? namespace : undefined;

  const remoteIp = ip(str(row, 'RemoteIP'));
  const remoteUrl = str(row, 'RemoteUrl');
  if (remoteIp || remoteUrl) {
    alert.network = {
      srcIp: ip(localIp),
      srcPort: port(row, 'LocalPort'),
      dstIp: remoteIp,
      dstPort: port(row, 'RemotePort'),
      protocol: str(row, 'Protocol')?.toLowerCase(),
      url: remoteUrl,
      domain: remoteUrl ? hostOf(remoteUrl) : undefined,
    };
  }
  alert.action = actionType ? actionFromActionType(actionType) : 'unknown';
}

/** ActionType names an event kind ("ProcessCreated"); only a few name a response. */
function actionFromActionType(actionType: string): AlertAction {
  if (/blocked|prevented|denied/i.test(actionType)) return 'blocked';
  if (/quarantine/i.test(actionType)) return 'quarantined';
  if (/detect|audited/i.test(actionType)) return 'detected';
  return 'unknown';
}

function hostOf(url: string): string | undefined {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/:?#\s]+)/i.exec(url);
  return m?.[1];
}

function evidenceType(e: RawRecord): string {
  return (str(e, '@odata.type') ?? '').replace(/^#?microsoft\.graph\.security\./i, '');
}

function graphProcess(e: RawRecord, options: MapOptions | undefined): ProcessInfo {
  const image = obj(e.imageFile) ?? {};
  const account = obj(e.userAccount) ?? {};
  return {
    name: str(image, 'fileName'),
    path: joinPath(str(image, 'filePath'), str(image, 'fileName')),
    commandLine: str(e, 'processCommandLine'),
    pid: str(e, 'processId'),
    user: str(account, 'accountName', 'userPrincipalName'),
    hash: str(image, 'sha256', 'sha1'),
    startTime: time(e, options, 'processCreationDateTime') ?? undefined,
  };
}

function graphAction(evidence: RawRecord[]): AlertAction {
  let action: AlertAction = 'detected';
  for (const e of evidence) {
    const type = evidenceType(e);
    const detection = str(e, 'detectionStatus')?.toLowerCase();
    const remediation = str(e, 'remediationStatus')?.toLowerCase();
    if (remediation === 'remediated' && type === 'processEvidence') return 'killed';
    if (remediation === 'remediated' && type === 'fileEvidence') action = 'quarantined';
    else if ((detection === 'blocked' || detection === 'prevented' || remediation === 'blocked' || remediation === 'prevented') && action === 'detected') {
      action = 'blocked';
    }
  }
  return action;
}

function mapGraph(r: RawRecord, alert: Alert, options: MapOptions | undefined): void {
  alert.id = str(r, 'id', 'providerAlertId') ?? alert.id;
  alert.time = time(r, options, 'firstActivityDateTime', 'createdDateTime', 'lastActivityDateTime');
  alert.title = str(r, 'title') ?? 'Defender alert';
  alert.description = str(r, 'description');
  alert.severity = normalizeSeverity(str(r, 'severity'));
  addMitre(alert, strs(r, 'mitreTechniques'), strs(r, 'category'));

  const evidence = objects(r.evidence);
  const byType = (t: string): RawRecord[] => evidence.filter((e) => evidenceType(e) === t);

  const device = byType('deviceEvidence')[0];
  if (device) {
    const vm = obj(device.vmMetadata) ?? {};
    alert.host.name = str(device, 'deviceDnsName', 'hostName');
    alert.host.ips = ips(device.ipInterfaces);
    alert.host.instanceId = str(vm, 'resourceId', 'vmId');
  }

  const processes = byType('processEvidence');
  const main = processes.find((p) => str(p, 'detectionStatus') !== undefined) ?? processes[0];
  if (main) {
    const parentImage = obj(main.parentProcessImageFile) ?? {};
    // Defender often lists the parent as a process evidence of its own (same pid as the alerted process's
    // parentProcessId): it carries the parent's command line, and its own parent is the grandparent.
    const parentPid = str(main, 'parentProcessId');
    const parentEvidence = parentPid !== undefined ? processes.find((p) => p !== main && str(p, 'processId') === parentPid) : undefined;
    const parent = proc({
      name: str(parentImage, 'fileName'),
      path: joinPath(str(parentImage, 'filePath'), str(parentImage, 'fileName')),
      pid: parentPid,
      startTime: time(main, options, 'parentProcessCreationDateTime') ?? undefined,
      ...(parentEvidence ? { commandLine: str(parentEvidence, 'processCommandLine'), user: graphProcess(parentEvidence, options).user } : {}),
    });
    let grandparent: ProcessInfo | undefined;
    if (parentEvidence) {
      const image = obj(parentEvidence.parentProcessImageFile) ?? {};
      grandparent = proc({ name: str(image, 'fileName'), path: joinPath(str(image, 'filePath'), str(image, 'fileName')), pid: str(parentEvidence, 'parentProcessId') });
    }
    alert.process = { ...graphProcess(main, options), ancestors: lineage(parent, grandparent) };
  }

  const file = byType('fileEvidence')[0];
  if (file) {
    const details = obj(file.fileDetails) ?? {};
    alert.file = { name: str(details, 'fileName'), path: joinPath(str(details, 'filePath'), str(details, 'fileName')), hash: str(details, 'sha256', 'sha1') };
  }

  const container = byType('containerEvidence')[0];
  const pod = byType('kubernetesPodEvidence')[0] ?? (container ? obj(container.pod) : undefined);
  if (container) {
    const image = obj(container.image) ?? {};
    alert.container.id = stripRuntime(str(container, 'containerId'));
    alert.container.name = str(container, 'name');
    alert.container.image = str(image, 'imageId', 'digestImage.imageId') ?? str(container, 'image');
    alert.container.privileged = bool(container, 'isPrivileged');
    if (!alert.process.commandLine) {
      const argv = [...strs(container, 'command'), ...strs(container, 'args')];
      if (argv.length > 0) alert.process.commandLine = argv.join(' ');
    }
  }
  if (pod) {
    const ns = obj(pod.namespace);
    alert.container.pod = str(pod, 'name');
    alert.container.namespace = ns ? str(ns, 'name') : str(pod, 'namespace');
    alert.cluster = (ns ? str(ns, 'cluster.name') : undefined) ?? str(pod, 'cluster.name');
    const podIp = ip(str(pod, 'podIp.ipAddress', 'podIp'));
    if (podIp && !alert.host.name) alert.host.ips.push(podIp);
  }
  const cluster = byType('kubernetesClusterEvidence')[0];
  if (cluster) alert.cluster ??= str(cluster, 'name');

  const ipEvidence = byType('ipEvidence')[0];
  const url = byType('urlEvidence')[0];
  if (ipEvidence || url) {
    alert.network = { dstIp: ipEvidence ? ip(str(ipEvidence, 'ipAddress')) : undefined, url: url ? str(url, 'url') : undefined };
    if (alert.network.url) alert.network.domain = hostOf(alert.network.url);
  }
  alert.action = graphAction(evidence);
  const status = str(r, 'status');
  if (alert.action === 'detected' && status && /prevent|block/i.test(status)) alert.action = normalizeAction(status);
}

export const defenderXdr: VendorProfile = {
  id: ID,
  product: 'Microsoft Defender for Endpoint / Defender XDR (Advanced Hunting CSV/JSON, Event Hub, Graph alerts_v2)',
  detect(record: RawRecord, _hints: DetectHints): number {
    if (typeof record.category === 'string' && record.category.startsWith('AdvancedHunting-') && isRecord(record.properties)) return 1;
    if (isGraphAlert(record)) return 1;
    const hits = present(record, ...HUNTING_COLUMNS);
    if (hits >= 4) return 0.9;
    if (hits >= 3) return 0.7;
    return 0;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    const alert = newAlert(record, source, ID);
    if (isGraphAlert(record)) mapGraph(record, alert, options);
    else {
      const row = huntingRow(record);
      if (!presentAtLeast(row, 2, HUNTING_ROW_COLUMNS)) throw new RecordError('not a Defender row: expected Advanced Hunting columns (AlertId, DeviceName, Timestamp, …)');
      mapHunting(record, row, alert, options);
    }
    return finish(alert);
  },
  fields: {
    id: 'AlertId | Graph id',
    time: 'Timestamp | envelope time | Graph firstActivityDateTime, createdDateTime',
    title: 'Title | ActionType | Graph title',
    severity: 'Severity | Graph severity',
    action: 'ActionType (…Blocked) | Graph evidence detectionStatus / remediationStatus',
    'tactics/techniques': 'AttackTechniques (JSON string) | Category | Graph mitreTechniques',
    'host.name': 'DeviceName | Graph deviceEvidence.deviceDnsName',
    'host.ips': 'LocalIP | Graph deviceEvidence.ipInterfaces',
    'host.instanceId': 'Graph deviceEvidence.vmMetadata.resourceId | vmId',
    'container.id/name/image/privileged': 'Graph containerEvidence.containerId, name, image, isPrivileged',
    'container.pod/namespace': 'Graph kubernetesPodEvidence.name, namespace.name',
    'process.name/path': 'FileName | FolderPath | Graph processEvidence.imageFile',
    'process.commandLine': 'ProcessCommandLine | Graph processEvidence.processCommandLine',
    'process.pid': 'ProcessId | Graph processEvidence.processId',
    'process.user/uid': 'AccountName | AdditionalFields.ProcessPosixEffectiveUser.{Name,PosixUserId}',
    'process.tty': 'AdditionalFields.ProcessPosixAttachedTerminal',
    'process.ancestors': 'InitiatingProcess{FileName,FolderPath,CommandLine,Id,AccountName}, InitiatingProcessParent{FileName,Id} | Graph parentProcessImageFile, the processEvidence whose processId is the parentProcessId (command line, grandparent)',
    network: 'LocalIP, LocalPort, RemoteIP, RemotePort, RemoteUrl | Graph ipEvidence, urlEvidence',
  },
};
