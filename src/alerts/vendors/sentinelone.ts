/**
 * SentinelOne management API exports, three shapes:
 *  - threats (/web/api/v2.1/threats): threatInfo, agentRealtimeInfo, agentDetectionInfo, mitigationStatus[],
 *    containerInfo and kubernetesInfo (null on hosts outside Kubernetes);
 *  - STAR / custom-rule alerts (/cloud-detection/alerts): alertInfo, ruleInfo, sourceProcessInfo,
 *    sourceParentProcessInfo, targetProcessInfo, plus the same containerInfo / kubernetesInfo;
 *  - Unified Alerts: detectionTime.assets[].kubernetes {clusterName, nodeName, namespaceName, podName, containerId…},
 *    process {cmdLine, file, parentName}, result (UNMITIGATED…).
 * Empty values come as "" in some fields and null in others; both mean absent.
 */
import { baseName, normalizeSeverity, splitCommandLine } from '../fields.js';
import type { Alert, AlertAction, AlertSource } from '../model.js';
import { RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { addMitre, finish, ip, ips, isRecord, lineage, newAlert, obj, objects, port, present, proc, str, strs, stripRuntime, time } from './common.js';

const ID = 'sentinelone';

type Shape = 'threat' | 'star' | 'unified';

function shapeOf(r: RawRecord): Shape | undefined {
  if (isRecord(r.threatInfo) && (isRecord(r.agentRealtimeInfo) || isRecord(r.agentDetectionInfo))) return 'threat';
  if (isRecord(r.alertInfo) && isRecord(r.ruleInfo)) return 'star';
  const vendor = str(r, 'detectionSource.vendor');
  if ((vendor && /sentinelone/i.test(vendor)) || (isRecord(r.detectionTime) && present(r, 'analytics', 'attackSurfaces', 'storylineId') >= 1)) return 'unified';
  return undefined;
}

/** containerInfo / kubernetesInfo blocks of threats and STAR alerts. */
function kubernetesBlocks(r: RawRecord, alert: Alert): void {
  const k8s = obj(r.kubernetesInfo) ?? {};
  const container = obj(r.containerInfo) ?? {};
  alert.cluster = str(k8s, 'cluster');
  alert.container.pod = str(k8s, 'pod');
  alert.container.namespace = str(k8s, 'namespace');
  alert.container.id = stripRuntime(str(container, 'id'));
  alert.container.name = str(container, 'name');
  alert.container.image = str(container, 'image');
  const node = str(k8s, 'node');
  if (node) alert.host.name = node;
}

const MITIGATION_ACTIONS: [RegExp, AlertAction][] = [
  [/^(quarantine|remediate|rollback|rollback-remediation|network[-_]?quarantine|disconnect)/i, 'quarantined'],
  [/^kill/i, 'killed'],
];

function threatAction(r: RawRecord): AlertAction {
  const steps = objects(r.mitigationStatus).filter((m) => /success|completed/i.test(str(m, 'status') ?? ''));
  for (const [pattern, action] of MITIGATION_ACTIONS) if (steps.some((m) => pattern.test(str(m, 'action') ?? ''))) return action;
  const status = str(r, 'threatInfo.mitigationStatus');
  if (status && /^(mitigated|marked_as_benign)$/i.test(status)) return 'unknown';
  const mode = str(r, 'agentRealtimeInfo.agentMitigationMode', 'agentDetectionInfo.agentMitigationMode');
  return status === 'not_mitigated' || mode === 'detect' ? 'detected' : 'unknown';
}

/**
 * `maliciousProcessArguments` holds the arguments without the program (argv[1…]): the threat file is the program,
 * unless the arguments run the file themselves (an interpreter's script) or already start with it.
 */
function threatCommandLine(args: string | undefined, program: string | undefined, programName: string | undefined): string | undefined {
  if (!args || !program) return args;
  const first = splitCommandLine(args)[0];
  if (first === program || (programName !== undefined && baseName(first) === programName)) return args;
  return `${program} ${args}`;
}

function mapThreat(r: RawRecord, alert: Alert, options: MapOptions | undefined): void {
  const info = obj(r.threatInfo) ?? {};
  const realtime = obj(r.agentRealtimeInfo) ?? {};
  const detection = obj(r.agentDetectionInfo) ?? {};
  alert.id = str(r, 'id') ?? str(info, 'threatId') ?? alert.id;
  alert.time = time(info, options, 'identifiedAt', 'createdAt');
  alert.title = str(info, 'threatName', 'classification') ?? 'SentinelOne threat';
  alert.description = [str(info, 'classification'), str(info, 'confidenceLevel'), str(info, 'detectionType')].filter(Boolean).join(', ') || undefined;
  const confidence = str(info, 'confidenceLevel');
  alert.severity = confidence === 'malicious' ? 'high' : confidence === 'suspicious' ? 'medium' : 'unknown';
  alert.host.name = str(realtime, 'agentComputerName') ?? str(detection, 'agentComputerName');
  const interfaces = objects(realtime.networkInterfaces);
  alert.host.ips = ips(str(detection, 'agentIpV4'), ...interfaces.map((i) => i.inet));
  kubernetesBlocks(r, alert);
  const filePath = str(info, 'filePath');
  const originator = str(info, 'originatorProcess');
  const args = str(info, 'maliciousProcessArguments');
  const fileName = baseName(filePath);
  // The threat file is the malicious process and another originator is its parent — unless the arguments carry the
  // file (`python3 /tmp/miner.py …`): then the originator is an interpreter running it, and the arguments are its own.
  const argsRunFile = !!args && !!filePath && args.includes(filePath);
  const originatorIsParent = !!fileName && !!originator && fileName.toLowerCase() !== originator.toLowerCase() && !argsRunFile;
  alert.process = {
    name: originatorIsParent ? fileName : originator ?? fileName,
    path: originatorIsParent ? filePath : undefined,
    user: str(info, 'processUser'),
    commandLine: threatCommandLine(args, originatorIsParent || !argsRunFile ? filePath : undefined, fileName),
    hash: str(info, 'sha256', 'sha1', 'md5'),
    ancestors: originatorIsParent ? [{ name: originator, commandLine: originator }] : [],
  };
  if (filePath) alert.file = { path: filePath, hash: str(info, 'sha256', 'sha1', 'md5') };
  const indicators = objects(r.indicators);
  addMitre(
    alert,
    indicators.flatMap((i) => objects(i.tactics).flatMap((t) => [...strs(t, 'name'), ...objects(t.techniques).flatMap((q) => strs(q, 'name'))])),
    indicators.flatMap((i) => objects(i.tactics).flatMap((t) => strs(t, 'name'))),
  );
  alert.action = threatAction(r);
}

function mapStar(r: RawRecord, alert: Alert, options: MapOptions | undefined): void {
  const info = obj(r.alertInfo) ?? {};
  const rule = obj(r.ruleInfo) ?? {};
  const realtime = obj(r.agentRealtimeInfo) ?? {};
  const detection = obj(r.agentDetectionInfo) ?? {};
  const source = obj(r.sourceProcessInfo) ?? {};
  const parent = obj(r.sourceParentProcessInfo) ?? {};
  alert.id = str(info, 'alertId') ?? alert.id;
  alert.time = time(info, options, 'createdAt', 'reportedAt');
  alert.title = str(rule, 'name') ?? 'SentinelOne alert';
  alert.description = str(rule, 'description', 's1ql');
  alert.severity = normalizeSeverity(str(rule, 'severity'));
  alert.host.name = str(realtime, 'name', 'agentComputerName') ?? str(detection, 'name');
  alert.host.ips = ips(str(info, 'srcMachineIp'));
  kubernetesBlocks(r, alert);
  const parentInfo = proc({
    name: str(parent, 'name'),
    path: str(parent, 'filePath'),
    commandLine: str(parent, 'commandline'),
    pid: str(parent, 'pid'),
    user: str(parent, 'user'),
    startTime: time(parent, options, 'pidStarttime') ?? undefined,
  });
  alert.process = {
    name: str(source, 'name'),
    path: str(source, 'filePath'),
    commandLine: str(source, 'commandline'),
    pid: str(source, 'pid'),
    user: str(source, 'user'),
    hash: str(source, 'fileHashSha256', 'fileHashSha1'),
    startTime: time(source, options, 'pidStarttime') ?? undefined,
    ancestors: lineage(parentInfo),
  };
  const srcIp = ip(str(info, 'srcIp'));
  const dstIp = ip(str(info, 'dstIp'));
  const domain = str(info, 'dnsRequest');
  if (srcIp || dstIp || domain) {
    alert.network = { srcIp, srcPort: port(info, 'srcPort'), dstIp, dstPort: port(info, 'dstPort'), domain, direction: str(info, 'netEventDirection') };
  }
  alert.action = 'detected';
}

function mapUnified(r: RawRecord, alert: Alert, options: MapOptions | undefined): void {
  alert.id = str(r, 'id', 'externalId') ?? alert.id;
  alert.time = time(r, options, 'detectedAt', 'createdAt', 'firstSeenAt');
  alert.title = str(r, 'name') ?? 'SentinelOne alert';
  alert.description = str(r, 'description');
  alert.severity = normalizeSeverity(str(r, 'severity'));
  const detectionAssets = objects(getAssets(r));
  const withK8s = detectionAssets.find((a) => isRecord(a.kubernetes)) ?? detectionAssets[0];
  const k8s = withK8s ? obj(withK8s.kubernetes) ?? {} : {};
  const asset = withK8s ? obj(withK8s.asset) ?? {} : {};
  const cloud = withK8s ? obj(withK8s.cloud) ?? {} : {};
  alert.cluster = str(k8s, 'clusterName');
  alert.container.pod = str(k8s, 'podName');
  alert.container.namespace = str(k8s, 'namespaceName');
  alert.container.id = stripRuntime(str(k8s, 'containerId'));
  alert.container.name = str(k8s, 'containerName');
  alert.container.image = str(k8s, 'containerImageName');
  alert.host.name = str(k8s, 'nodeName') ?? objects(r.assets).map((a) => str(a, 'name')).find((n) => n !== undefined);
  alert.host.ips = ips(str(asset, 'ipV4'));
  alert.host.instanceId = str(cloud, 'instanceId');
  const process = obj(r.process) ?? {};
  const file = obj(process.file) ?? {};
  const commandLine = str(process, 'cmdLine');
  const argv0 = commandLine ? baseName(splitCommandLine(commandLine)[0]) : undefined;
  const fileName = str(file, 'name');
  // process.file is the process image when its name matches the command; otherwise it is the detected file.
  const fileIsImage = fileName !== undefined && (argv0 === undefined || argv0.replace(/^-/, '') === fileName);
  alert.process = {
    name: fileIsImage ? fileName : argv0,
    path: fileIsImage ? str(file, 'path') : undefined,
    commandLine,
    pid: str(process, 'pid'),
    user: str(process, 'user', 'userName'),
    hash: fileIsImage ? str(file, 'sha256', 'sha1') : undefined,
    ancestors: lineage(proc({ name: str(process, 'parentName') })),
  };
  if (!fileIsImage && (fileName || str(file, 'path'))) alert.file = { name: fileName, path: str(file, 'path'), hash: str(file, 'sha256', 'sha1') };
  const attacker = ip(str(r, 'detectionTime.attacker.ip'));
  if (attacker) alert.network = { srcIp: attacker, domain: str(r, 'detectionTime.attacker.host') };
  const result = str(r, 'result')?.toUpperCase();
  alert.action = result === 'UNMITIGATED' || result === 'NOT_MITIGATED' ? 'detected' : result && /KILL/.test(result) ? 'killed' : result && /QUARANTIN/.test(result) ? 'quarantined' : 'unknown';
  addMitre(alert, strs(r, 'mitreTechniques', 'techniques'), strs(r, 'mitreTactics', 'tactics'));
}

function getAssets(r: RawRecord): unknown {
  const dt = obj(r.detectionTime);
  return dt?.assets;
}

export const sentinelOne: VendorProfile = {
  id: ID,
  product: 'SentinelOne (threats, STAR alerts, unified alerts)',
  detect(record: RawRecord, _hints: DetectHints): number {
    const shape = shapeOf(record);
    if (shape === 'threat' || shape === 'star') return 1;
    if (shape === 'unified') return str(record, 'detectionSource.vendor') ? 1 : 0.8;
    return 0;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    const shape = shapeOf(record);
    if (!shape) throw new RecordError('not a SentinelOne record: expected threatInfo, alertInfo + ruleInfo, or a unified alert');
    const alert = newAlert(record, source, ID);
    if (shape === 'threat') mapThreat(record, alert, options);
    else if (shape === 'star') mapStar(record, alert, options);
    else mapUnified(record, alert, options);
    return finish(alert);
  },
  fields: {
    id: 'id | alertInfo.alertId',
    time: 'threatInfo.identifiedAt | alertInfo.createdAt | detectedAt',
    title: 'threatInfo.threatName | ruleInfo.name | name',
    severity: 'threatInfo.confidenceLevel | ruleInfo.severity | severity',
    action: 'mitigationStatus[] (successful kill / quarantine) | agentMitigationMode | result',
    'host.name': 'kubernetesInfo.node | kubernetes.nodeName | agentRealtimeInfo.agentComputerName | assets[].name',
    'host.ips': 'agentDetectionInfo.agentIpV4 | networkInterfaces[].inet | asset.ipV4',
    cluster: 'kubernetesInfo.cluster | kubernetes.clusterName',
    'container.*': 'containerInfo{id,name,image} | kubernetes{containerId,containerName,containerImageName}',
    'container.pod/namespace': 'kubernetesInfo{pod,namespace} | kubernetes{podName,namespaceName}',
    'process.*': 'sourceProcessInfo{name,filePath,commandline,pid,user} | threatInfo.originatorProcess, processUser | process{cmdLine,file}',
    'process.ancestors': 'sourceParentProcessInfo{…} | process.parentName',
    network: 'alertInfo{srcIp,srcPort,dstIp,dstPort,dnsRequest} | detectionTime.attacker',
  },
};
