/** A synthetic cluster of realistic shape for index performance tests (no real data). */
import { emptySnapshot, type ClusterSnapshot, type KubeObject, type Node, type Pod } from '../../src/cluster/model.js';

function hex(n: number, length: number): string {
  let out = '';
  let x = n >>> 0 || 1;
  while (out.length < length) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += (x >>> 0).toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

function uuid(n: number): string {
  const h = hex(n * 7919 + 17, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function syntheticSnapshot(podCount: number, nodeCount: number, cluster = 'bench'): ClusterSnapshot {
  const s = emptySnapshot(cluster);
  s.capturedAt = '2025-06-01T12:00:00Z';
  const nodes: Node[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const ip = `10.${(i >> 8) & 255}.${i & 255}.1`;
    const name = `ip-${ip.replace(/\./g, '-')}.eu-west-1.compute.internal`;
    nodes.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, uid: uuid(i + 1_000_000), creationTimestamp: '2025-05-01T00:00:00Z', labels: { 'kubernetes.io/hostname': name } },
      spec: { providerID: `aws:///eu-west-1a/i-0${hex(i + 5, 16)}` },
      status: { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }, { type: 'InternalDNS', address: name }] },
    });
  }
  const deploymentCount = Math.max(1, Math.floor(podCount / 10));
  const deployments: KubeObject[] = [];
  const replicasets: KubeObject[] = [];
  for (let d = 0; d < deploymentCount; d++) {
    const ns = `team-${d % 50}`;
    const name = `app-${d}`;
    const hash = hex(d + 3, 10);
    deployments.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, uid: uuid(d + 2_000_000) } });
    replicasets.push({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `${name}-${hash}`, namespace: ns, uid: uuid(d + 3_000_000), ownerReferences: [{ kind: 'Deployment', name, uid: uuid(d + 2_000_000), controller: true }] },
    });
  }
  const pods: Pod[] = [];
  for (let i = 0; i < podCount; i++) {
    const d = i % deploymentCount;
    const rs = replicasets[d];
    const node = nodes[i % nodeCount];
    const container = (name: string, k: number) => ({
      name,
      containerID: `containerd://${hex(i * 4 + k + 11, 64)}`,
      image: `registry.example.com/${name}:1.0`,
      restartCount: k === 0 ? i % 3 : 0,
      state: { running: { startedAt: '2025-06-01T00:00:10Z' } },
      ...(i % 3 === 1 && k === 0 ? { lastState: { terminated: { exitCode: 137, reason: 'Error', containerID: `containerd://${hex(i * 4 + 3 + 11, 64)}` } } } : {}),
    });
    pods.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${rs.metadata.name}-${hex(i + 9, 5)}`,
        namespace: rs.metadata.namespace,
        uid: uuid(i),
        creationTimestamp: '2025-06-01T00:00:00Z',
        labels: { app: `app-${d}`, 'pod-template-hash': rs.metadata.name.slice(-10) },
        ownerReferences: [{ kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true }],
      },
      spec: {
        nodeName: node.metadata.name,
        containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }, { name: 'sidecar', image: 'registry.example.com/sidecar:1.0' }],
        initContainers: [{ name: 'init', image: 'registry.example.com/init:1.0' }],
      },
      status: {
        phase: 'Running',
        hostIP: node.status?.addresses?.[0].address,
        podIP: `100.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        podIPs: [{ ip: `100.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }],
        startTime: '2025-06-01T00:00:05Z',
        containerStatuses: [container('app', 0), container('sidecar', 1)],
        initContainerStatuses: [{ ...container('init', 2), state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
      },
    });
  }
  s.objects.nodes = nodes;
  s.objects.pods = pods;
  s.objects.deployments = deployments;
  s.objects.replicasets = replicasets;
  return s;
}
