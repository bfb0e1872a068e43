/**
 * Kubernetes objects for the test API server: a small hand-checked cluster for the tests, and a generator of
 * realistic nodes and pods for the benchmark (objects are made on demand, page by page).
 */
import type { ResourceKind } from '../../src/cluster/model.js';
import type { GeneratedList, ListSource } from './kube-api-server.js';

type Obj = Record<string, unknown>;

const BASE_TIME = Date.UTC(2026, 10, 20, 6, 0, 0);

function iso(offsetSeconds: number): string {
  return new Date(BASE_TIME + offsetSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

function hex(n: number, width: number): string {
  let out = '';
  let x = (n * 2654435761) >>> 0;
  while (out.length < width) {
    out += x.toString(16).padStart(8, '0');
    x = (x * 1103515245 + 12345) >>> 0;
  }
  return out.slice(0, width);
}

function uid(kind: string, n: number): string {
  const h = hex(n + kind.length * 7919, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const MANAGED_FIELDS = [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', time: iso(0), fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} } }];

export function nodeName(i: number): string {
  return `ip-10-${(i >> 16) & 255}-${(i >> 8) & 255}-${i & 255}.eu-west-1.compute.internal`;
}

export function makeNode(i: number): Obj {
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: nodeName(i),
      uid: uid('Node', i),
      resourceVersion: String(1000 + i),
      creationTimestamp: iso(-86_400),
      labels: {
        'kubernetes.io/hostname': nodeName(i),
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'm6i.xlarge',
        'topology.kubernetes.io/zone': `eu-west-1${'abc'[i % 3]}`,
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
      managedFields: MANAGED_FIELDS,
    },
    spec: { providerID: `aws:///eu-west-1a/i-0${hex(i, 16)}`, podCIDR: `100.${(i >> 8) & 255}.${i & 255}.0/24` },
    status: {
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: nodeName(i) },
      ],
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: iso(3600), lastTransitionTime: iso(-86_000), reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      nodeInfo: {
        machineID: hex(i, 32),
        systemUUID: uid('sys', i),
        bootID: uid('boot', i),
        kernelVersion: '5.10.226-214.880.amzn2.x86_64',
        osImage: 'Amazon Linux 2',
        containerRuntimeVersion: 'containerd://1.7.22',
        kubeletVersion: 'v1.30.4-eks-a737599',
        kubeProxyVersion: 'v1.30.4-eks-a737599',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      capacity: { cpu: '4', memory: '16069596Ki', pods: '58' },
      allocatable: { cpu: '3920m', memory: '15054812Ki', pods: '58' },
    },
  };
}

/** A Deployment-owned pod with an app container and a sidecar, env values included (they must be dropped). */
export function makePod(i: number, nodeCount: number): Obj {
  const ns = `team-${i % 40}`;
  const app = `svc-${Math.floor(i / 30) % 500}`;
  const rs = `${app}-${hex(Math.floor(i / 30), 10)}`;
  const name = `${rs}-${hex(i, 5)}`;
  const podIp = `100.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const node = nodeName(i % nodeCount);
  const started = iso(600 + (i % 3600));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: `${rs}-`,
      namespace: ns,
      uid: uid('Pod', i),
      resourceVersion: String(50_000 + i),
      creationTimestamp: iso(590 + (i % 3600)),
      labels: { app, 'pod-template-hash': hex(Math.floor(i / 30), 10) },
      annotations: { 'kubectl.kubernetes.io/restartedAt': iso(0) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: uid('ReplicaSet', Math.floor(i / 30)), controller: true, blockOwnerDeletion: true }],
      managedFields: MANAGED_FIELDS,
    },
    spec: {
      nodeName: node,
      serviceAccountName: app,
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001 },
      containers: [
        {
          name: 'app',
          image: `registry.example.com/${app}:1.${i % 20}.0`,
          command: ['/app/server'],
          args: ['--port=8080', `--name=${app}`],
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          env: [
            { name: 'DATABASE_PASSWORD', value: `s3cr3t-${i}` },
            { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
          ],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          livenessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
          readinessProbe: { exec: { command: ['/bin/sh', '-c', 'test -f /tmp/ready'] }, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
        {
          name: 'envoy',
          image: 'envoyproxy/envoy:v1.31.2',
          args: ['-c', '/etc/envoy/envoy.yaml'],
          env: [{ name: 'ENVOY_TOKEN', value: 'do-not-store' }],
          ports: [{ name: 'admin', containerPort: 9901, protocol: 'TCP' }],
          resources: { requests: { cpu: '50m', memory: '64Mi' } },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      volumes: [{ name: 'kube-api-access', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] } }],
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
    status: {
      phase: 'Running',
      hostIP: `10.${((i % nodeCount) >> 16) & 255}.${((i % nodeCount) >> 8) & 255}.${i % nodeCount & 255}`,
      podIP: podIp,
      podIPs: [{ ip: podIp }],
      startTime: started,
      qosClass: 'Burstable',
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: started },
        { type: 'Ready', status: 'True', lastTransitionTime: iso(620 + (i % 3600)) },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: iso(620 + (i % 3600)) },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: iso(590 + (i % 3600)) },
      ],
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          started: true,
          restartCount: i % 7 === 0 ? 3 : 0,
          image: `registry.example.com/${app}:1.${i % 20}.0`,
          imageID: `registry.example.com/${app}@sha256:${hex(i % 20, 64)}`,
          containerID: `containerd://${hex(i * 2, 64)}`,
          state: { running: { startedAt: iso(610 + (i % 3600)) } },
          lastState: i % 7 === 0 ? { terminated: { exitCode: 137, reason: 'Error', startedAt: iso(300), finishedAt: iso(605 + (i % 3600)), containerID: `containerd://${hex(i * 3, 64)}` } } : {},
        },
        {
          name: 'envoy',
          ready: true,
          started: true,
          restartCount: 0,
          image: 'docker.io/envoyproxy/envoy:v1.31.2',
          imageID: `docker.io/envoyproxy/envoy@sha256:${hex(7, 64)}`,
          containerID: `containerd://${hex(i * 2 + 1, 64)}`,
          state: { running: { startedAt: iso(611 + (i % 3600)) } },
          lastState: {},
        },
      ],
    },
  };
}

export function makeEvent(i: number, podCount: number): Obj {
  const pod = makePod(i % Math.max(1, podCount), 1) as { metadata: { name: string; namespace: string; uid: string } };
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${pod.metadata.name}.${hex(i, 16)}`, namespace: pod.metadata.namespace, uid: uid('Event', i), creationTimestamp: iso(700 + (i % 3000)) },
    involvedObject: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid, apiVersion: 'v1', fieldPath: 'spec.containers{app}' },
    reason: i % 2 === 0 ? 'BackOff' : 'Pulled',
    message: i % 2 === 0 ? 'Back-off restarting failed container app' : 'Container image already present on machine',
    source: { component: 'kubelet', host: nodeName(i % 50) },
    firstTimestamp: iso(700 + (i % 3000)),
    lastTimestamp: iso(760 + (i % 3000)),
    count: 1 + (i % 5),
    type: i % 2 === 0 ? 'Warning' : 'Normal',
    reportingComponent: 'kubelet',
    reportingInstance: nodeName(i % 50),
  };
}

export function makeNamespace(i: number): Obj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${i}`, uid: uid('Namespace', i), creationTimestamp: iso(-80_000), labels: { 'kubernetes.io/metadata.name': `team-${i}` } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

function generated(count: number, item: (i: number) => Obj): GeneratedList {
  return { count, item };
}

/** A cluster of `nodes` nodes and `pods` pods made on demand (plus events and namespaces in proportion). */
export function generatedCluster(nodes: number, pods: number): Partial<Record<ResourceKind, ListSource>> {
  return {
    nodes: generated(nodes, makeNode),
    pods: generated(pods, (i) => makePod(i, nodes)),
    events: generated(Math.round(pods / 10), (i) => makeEvent(i, pods)),
    namespaces: generated(40, makeNamespace),
  };
}

/** A small cluster with one object of every kind and the things that must be dropped (env values, managedFields). */
export function smallCluster(): Partial<Record<ResourceKind, Obj[]>> {
  const podTemplate = {
    metadata: { labels: { app: 'web' } },
    spec: {
      containers: [{ name: 'web', image: 'nginx:1.27', env: [{ name: 'API_KEY', value: 'template-secret' }], ports: [{ containerPort: 80 }] }],
      initContainers: [{ name: 'init', image: 'busybox:1.36', command: ['sh', '-c', 'true'], env: [{ name: 'INIT_TOKEN', value: 'init-secret' }] }],
    },
  };
  const meta = (name: string, namespace: string | undefined, kind: string, n: number): Obj => ({
    name,
    ...(namespace ? { namespace } : {}),
    uid: uid(kind, n),
    creationTimestamp: iso(n),
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"spec":{"containers":[{"env":[{"name":"API_KEY","value":"leaked"}]}]}}', team: 'web' },
    managedFields: MANAGED_FIELDS,
  });
  // Pods deliberately out of order: the fetched snapshot must come back sorted.
  const pods = [4, 0, 6, 2, 5, 1, 3].map((i) => makePod(i, 3));
  return {
    nodes: [2, 0, 1].map(makeNode),
    pods,
    daemonsets: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('calico-node', 'calico-system', 'DaemonSet', 1), spec: { selector: { matchLabels: { app: 'calico-node' } }, template: podTemplate }, status: { numberReady: 3 } }],
    deployments: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web', 'shop', 'Deployment', 2), spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: podTemplate }, status: { readyReplicas: 2 } }],
    replicasets: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { ...meta('web-5d8f7c9b4', 'shop', 'ReplicaSet', 3), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: uid('Deployment', 2), controller: true }] }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: podTemplate } }],
    statefulsets: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('redis', 'shop', 'StatefulSet', 4), spec: { serviceName: 'redis', selector: { matchLabels: { app: 'redis' } }, template: podTemplate } }],
    jobs: [{ apiVersion: 'batch/v1', kind: 'Job', metadata: meta('backup-29012345', 'ops', 'Job', 5), spec: { template: podTemplate }, status: { succeeded: 1, startTime: iso(100), completionTime: iso(160) } }],
    cronjobs: [{ apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('backup', 'ops', 'CronJob', 6), spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: podTemplate } } }, status: { lastScheduleTime: iso(100) } }],
    services: [
      { apiVersion: 'v1', kind: 'Service', metadata: meta('web', 'shop', 'Service', 7), spec: { type: 'ClusterIP', clusterIP: '172.20.14.7', clusterIPs: ['172.20.14.7'], ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }], selector: { app: 'web' } } },
      { apiVersion: 'v1', kind: 'Service', metadata: meta('kube-dns', 'kube-system', 'Service', 8), spec: { type: 'ClusterIP', clusterIP: '172.20.0.10', ports: [{ name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }] } },
    ],
    events: [2, 0, 1].map((i) => makeEvent(i, 7)),
    namespaces: [3, 0, 1, 2].map(makeNamespace),
  };
}
