/**
 * Microsoft Defender for Cloud / Defender for Containers security alerts (continuous export, the Security Alerts
 * API's properties, or Sentinel's SecurityAlert table as JSON or CSV). Entities form a graph: an entity has a "$id"
 * and others point at it with {"$ref": id}. Exports repeat ids, so a reference resolves to the nearest entity with
 * that id defined before it, else the first one anywhere.
 *
 * AlertType K8S_… alerts come from the control plane (the audit log): CompromisedEntity is then the cluster.
 * K8S.NODE_… alerts come from the node or workload runtime.
 */
import { normalizeSeverity } from '../fields.js';
import type { Alert, AlertSource, ProcessInfo } from '../model.js';
import { RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { addMitre, bool, decimalPid, finish, ip, ips, isRecord, joinPath, newAlert, obj, objects, present, str, strs, stripRuntime, time } from './common.js';

const ID = 'defender-cloud';

interface EntityGraph {
  all: RawRecord[];
  resolve(value: unknown, from: RawRecord): RawRecord | undefined;
  /** Resolve, insisting on the entity type; a reference to the wrong type falls back to the first of that type. */
  resolveTyped(value: unknown, from: RawRecord, type: string): RawRecord | undefined;
  ofType(type: string): RawRecord[];
}

/** Every object carrying "$id" or "Type" (nested ones included), in document order. */
function entityGraph(entities: RawRecord[]): EntityGraph {
  const all: RawRecord[] = [];
  const visit = (v: unknown, depth: number): void => {
    if (depth > 6) return;
    if (Array.isArray(v)) {
      v.forEach((e) => visit(e, depth + 1));
      return;
    }
    if (!isRecord(v)) return;
    if (typeof v.$id === 'string' || typeof v.Type === 'string') all.push(v);
    for (const child of Object.values(v)) if (typeof child === 'object') visit(child, depth + 1);
  };
  visit(entities, 0);
  const position = new Map<RawRecord, number>(all.map((e, n) => [e, n]));
  return {
    all,
    resolve(value, from) {
      if (!isRecord(value)) return undefined;
      const ref = typeof value.$ref === 'string' ? value.$ref : undefined;
      if (ref === undefined) return value;
      const before = position.get(from) ?? all.length;
      for (let n = Math.min(before, all.length) - 1; n >= 0; n--) if (all[n].$id === ref) return all[n];
      return all.find((e) => e.$id === ref);
    },
    ofType(type) {
      const t = type.toLowerCase();
      return all.filter((e) => typeof e.Type === 'string' && e.Type.toLowerCase() === t);
    },
    resolveTyped(value, from, type) {
      if (value === undefined || value === null) return undefined;
      const found = this.resolve(value, from);
      if (found && typeof found.Type === 'string' && found.Type.toLowerCase() === type.toLowerCase()) return found;
      // A dangling or mistyped reference is trusted to mean the only entity of that type, never one of several.
      const candidates = this.ofType(type);
      return candidates.length === 1 ? candidates[0] : undefined;
    },
  };
}

function processFrom(graph: EntityGraph, p: RawRecord, options: MapOptions | undefined): ProcessInfo {
  const image = graph.resolveTyped(p.ImageFile, p, 'file');
  const account = graph.resolveTyped(p.Account, p, 'account');
  const name = image ? str(image, 'Name') : undefined;
  return {
    name,
    path: image ? joinPath(str(image, 'Directory'), name) : undefined,
    commandLine: str(p, 'CommandLine'),
    pid: decimalPid(str(p, 'ProcessId')),
    user: account ? str(account, 'Name') : undefined,
    startTime: time(p, options, 'CreationTimeUtc') ?? undefined,
  };
}

export const defenderCloud: VendorProfile = {
  id: ID,
  product: 'Microsoft Defender for Cloud / Defender for Containers (SecurityAlert JSON or CSV)',
  detect(record: RawRecord, _hints: DetectHints): number {
    const type = str(record, 'AlertType', 'properties.alertType');
    const core = present(record, 'SystemAlertId', 'VendorOriginalId', 'CompromisedEntity', 'Entities', 'AlertDisplayName', 'AlertName', 'ProductComponentName', 'ExtendedProperties');
    if (type && core >= 2) return 1;
    if (core >= 3) return 0.8;
    return 0;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    // The Security Alerts REST API nests the same fields, camelCased, under "properties".
    const r = isRecord(record.properties) && !('AlertType' in record) ? camelToPascal(record.properties) : record;
    const alertType = str(r, 'AlertType');
    if (!alertType && !str(r, 'AlertDisplayName', 'DisplayName', 'AlertName')) throw new RecordError('not a Defender for Cloud alert: no AlertType or AlertDisplayName');
    const alert = newAlert(record, source, ID);
    const extended = obj(r.ExtendedProperties) ?? {};
    const graph = entityGraph(objects(r.Entities));

    alert.id = str(r, 'SystemAlertId', 'VendorOriginalId', 'AlertName') ?? alert.id;
    alert.time = time(r, options, 'StartTimeUtc', 'StartTime', 'StartTime [UTC]', 'TimeGenerated', 'TimeGenerated [UTC]');
    alert.title = str(r, 'AlertDisplayName', 'DisplayName', 'AlertName') ?? alertType ?? 'Defender for Cloud alert';
    alert.description = alertType ? `${alertType}: ${str(r, 'Description') ?? ''}`.replace(/: $/, '') : str(r, 'Description');
    alert.severity = normalizeSeverity(str(r, 'Severity', 'AlertSeverity'));
    alert.action = 'detected';
    addMitre(alert, [...strs(r, 'Techniques', 'SubTechniques'), ...strs(extended, 'Techniques')], [...strs(r, 'Intent', 'Tactics')]);

    const controlPlane = alertType?.toUpperCase().startsWith('K8S_') ?? false;
    const hostEntity = graph.ofType('host').find((h) => str(h, 'HostName') !== undefined);
    const compromised = str(r, 'CompromisedEntity');
    alert.host.name = hostEntity ? str(hostEntity, 'HostName') : controlPlane ? undefined : compromised;

    // Kubernetes entities: pod → namespace → cluster, container → pod / image.
    const pod = graph.ofType('K8s-pod').find((p) => str(p, 'Name') !== undefined);
    const podNamespace = pod ? graph.resolveTyped(pod.Namespace, pod, 'K8s-namespace') : undefined;
    const namespace = podNamespace ?? graph.ofType('K8s-namespace').find((n) => str(n, 'Name') !== undefined);
    const containers = graph.ofType('container');
    const container = containers.find((c) => str(c, 'ContainerId') !== undefined) ?? containers[0];
    const clusterEntity = (namespace ? graph.resolveTyped(namespace.Cluster, namespace, 'K8s-cluster') : undefined) ?? graph.ofType('K8s-cluster')[0];
    const clusterResource = clusterEntity ? graph.resolve(clusterEntity.CloudResource, clusterEntity) : undefined;
    alert.cluster =
      (clusterEntity ? str(clusterEntity, 'Name') : undefined) ??
      (clusterResource && /cluster/i.test(JSON.stringify(clusterResource)) ? str(clusterResource, 'ResourceName', 'Name') ?? lastSegment(str(clusterResource, 'ResourceId', 'AzureID')) : undefined) ??
      managedClusterName(graph.all) ??
      str(extended, 'Cluster name', 'ClusterName') ??
      (controlPlane ? compromised : undefined);
    alert.container.pod = pod ? str(pod, 'Name') : str(extended, 'Pod name', 'PodName');
    alert.container.namespace = namespace ? str(namespace, 'Name') : str(extended, 'Namespace');
    if (container) {
      const image = graph.resolveTyped(container.Image, container, 'container-image');
      alert.container.id = stripRuntime(str(container, 'ContainerId'));
      alert.container.name = containers.map((c) => str(c, 'Name')).find((n) => n !== undefined);
      alert.container.image = image ? str(image, 'ImageId', 'Name') : undefined;
      alert.container.privileged = bool(container, 'IsPrivileged', 'Privileged');
    }
    alert.container.image ??= graph.ofType('container-image').map((i) => str(i, 'ImageId')).find((n) => n !== undefined);

    // Process entities: the one with a command line (and, among those, one with a parent) is the alert's process.
    const processes = graph.ofType('process');
    const main = processes.find((p) => str(p, 'CommandLine') !== undefined && p.ParentProcess !== undefined) ?? processes.find((p) => str(p, 'CommandLine') !== undefined);
    if (main) {
      const parentEntity = main.ParentProcess === undefined ? undefined : graph.resolve(main.ParentProcess, main);
      const parent = parentEntity && parentEntity !== main && str(parentEntity, 'Type') === 'process' ? processFrom(graph, parentEntity, options) : undefined;
      alert.process = { ...processFrom(graph, main, options), ancestors: parent ? [parent] : [] };
    }
    if (controlPlane) {
      const account = graph.ofType('account').find((a) => str(a, 'Name') !== undefined);
      alert.apiRequest = {
        user: account ? str(account, 'Name') : str(extended, 'User name', 'UserName'),
        sourceIps: ips(str(extended, 'Client IP address', 'SourceIP', 'IP address')),
        namespace: alert.container.namespace,
        userAgent: str(extended, 'User agent', 'UserAgent'),
      };
    }
    const clientIp = ip(str(extended, 'Client IP address'));
    if (clientIp) alert.network = { srcIp: clientIp };
    return finish(alert);
  },
  fields: {
    id: 'SystemAlertId | VendorOriginalId',
    time: 'StartTimeUtc | StartTime | TimeGenerated',
    title: 'AlertDisplayName | DisplayName | AlertName',
    description: 'AlertType: Description',
    severity: 'Severity',
    action: '(detected: Defender for Cloud alerts are detections)',
    'tactics/techniques': 'Intent | Tactics | Techniques',
    'host.name': 'host entity HostName | CompromisedEntity (not for K8S_ control-plane alerts)',
    cluster: 'K8s-cluster entity (or its cloud resource) | CompromisedEntity for K8S_ alerts',
    'container.pod/namespace': 'K8s-pod entity Name, its Namespace ($ref) Name',
    'container.id/name/image': 'container entity ContainerId, Name, Image ($ref → container-image ImageId)',
    'process.*': 'process entity CommandLine, ProcessId (hex → decimal), ImageFile ($ref), Account ($ref), ParentProcess ($ref)',
    apiRequest: 'K8S_ alerts: account entity Name, ExtendedProperties "Client IP address", "User agent"',
    'network.srcIp': 'ExtendedProperties "Client IP address"',
  },
};

/** An AKS cluster named by an azure-resource entity (…/managedClusters/<name>). */
function managedClusterName(entities: RawRecord[]): string | undefined {
  for (const e of entities) {
    const id = str(e, 'ResourceId', 'AzureID');
    const m = id ? /\/managedClusters\/([^/]+)/i.exec(id) : null;
    if (m) return m[1];
  }
  return undefined;
}

function lastSegment(id: string | undefined): string | undefined {
  return id?.split('/').filter(Boolean).pop();
}

/** {alertType: …} → {AlertType: …} (one level; Entities keep their own PascalCase keys). */
function camelToPascal(o: RawRecord): RawRecord {
  const out: RawRecord = {};
  for (const [k, v] of Object.entries(o)) out[k.charAt(0).toUpperCase() + k.slice(1)] = v;
  if (out.Entities === undefined && Array.isArray(o.entities)) out.Entities = o.entities;
  if (out.StartTimeUtc === undefined && o.startTimeUtc !== undefined) out.StartTimeUtc = o.startTimeUtc;
  if (out.AlertDisplayName === undefined && o.alertDisplayName !== undefined) out.AlertDisplayName = o.alertDisplayName;
  return out;
}
