/** Small builders for Kubernetes objects and alerts, so rule tests read like tables of cases. */
import { emptySnapshot, type ClusterSnapshot, type ContainerSpec, type ContainerStatus, type ExecSession, type KubeObject, type Node, type Pod } from '../../src/cluster/model.js';
import { buildIndex } from '../../src/cluster/index.js';
import { emptyAlert, type Alert, type ProcessInfo } from '../../src/alerts/model.js';
import { RESOURCE_OF_KIND } from '../../src/cluster/load.js';

let counter = 0;
const hex = (n: number, len = 64) => n.toString(16).padStart(len, '0');

export function node(name: string, ip: string, instanceId = `i-${hex(++counter, 17)}`): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `node-${name}`, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { providerID: `aws:///eu-west-1a/${instanceId}` },
    status: { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }] },
  };
}

export interface PodOptions {
  namespace?: string;
  node: string;
  ip?: string;
  owner?: { kind: string; name: string };
  containers: (Partial<ContainerSpec> & { name: string })[];
  statuses?: Partial<ContainerStatus>[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  volumes?: Pod['spec']['volumes'];
  created?: string;
  labels?: Record<string, string>;
  phase?: string;
}

export function pod(name: string, o: PodOptions): Pod {
  const id = ++counter;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: `00000000-0000-4000-8000-${hex(id, 12)}`,
      creationTimestamp: o.created ?? '2026-01-01T00:00:00Z',
      labels: o.labels,
      ownerReferences: o.owner ? [{ kind: o.owner.kind, name: o.owner.name, controller: true }] : undefined,
    },
    spec: { nodeName: o.node, hostNetwork: o.hostNetwork, hostPID: o.hostPID, containers: o.containers as ContainerSpec[], volumes: o.volumes },
    status: {
      phase: o.phase ?? 'Running',
      podIP: o.hostNetwork ? undefined : o.ip,
      podIPs: o.ip && !o.hostNetwork ? [{ ip: o.ip }] : undefined,
      startTime: o.created ?? '2026-01-01T00:00:00Z',
      containerStatuses: o.containers.map((c, i) => ({
        name: c.name,
        containerID: `containerd://${hex(id * 100 + i)}`,
        restartCount: 0,
        state: { running: { startedAt: o.created ?? '2026-01-01T00:00:00Z' } },
        ...(o.statuses?.[i] ?? {}),
      })),
    },
  };
}

export function owner(kind: string, name: string, namespace: string, parent?: { kind: string; name: string }): KubeObject {
  return { apiVersion: 'apps/v1', kind, metadata: { name, namespace, uid: `${kind}-${namespace}-${name}`, ownerReferences: parent ? [{ kind: parent.kind, name: parent.name, controller: true }] : undefined } };
}


export function snapshot(objects: KubeObject[], execSessions: ExecSession[] = []): ClusterSnapshot {
  const s = emptySnapshot('test');
  for (const o of objects) s.objects[RESOURCE_OF_KIND[o.kind]].push(o);
  s.execSessions = execSessions;
  s.capturedAt = '2026-01-02T00:00:00Z';
  return s;
}

export function indexOf(objects: KubeObject[], execSessions: ExecSession[] = []) {
  return buildIndex([snapshot(objects, execSessions)]);
}

export interface AlertOptions {
  host?: string;
  time?: string;
  title?: string;
  action?: Alert['action'];
  process?: ProcessInfo;
  ancestors?: ProcessInfo[];
  container?: Alert['container'];
  network?: Alert['network'];
  file?: string;
}

export function alert(o: AlertOptions): Alert {
  const a = emptyAlert({ file: 'test.json', record: ++counter, vendor: 'test' });
  a.time = o.time ?? '2026-01-01T12:00:00.000Z';
  a.title = o.title ?? 'Suspicious activity';
  a.action = o.action ?? 'detected';
  if (o.host) a.host = { name: o.host, ips: [] };
  a.process = { ...(o.process ?? {}), ancestors: o.ancestors ?? [] };
  a.container = o.container ?? {};
  a.network = o.network;
  if (o.file) a.file = { path: o.file };
  return a;
}

export function containerIdOf(p: Pod, i = 0): string {
  return p.status!.containerStatuses![i].containerID!.replace('containerd://', '');
}
