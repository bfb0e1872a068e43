import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIndex, instanceIdsOfProviderId } from '../../src/cluster/index.js';
import { loadSnapshots } from '../../src/cluster/load.js';
import { emptySnapshot, type ClusterIndex, type ClusterSnapshot, type Pod } from '../../src/cluster/model.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/cluster/', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const CORPUS = join(SHARED, 'corpus/eks-calico/cluster.json');
const SAMPLES = join(SHARED, 'k8s-samples/cluster');

async function indexOf(paths: string[], clusterName?: string): Promise<ClusterIndex> {
  return buildIndex(await loadSnapshots(paths, () => undefined, { clusterName }));
}

function podName(pod: { metadata: { namespace?: string; name: string } } | undefined): string | undefined {
  return pod ? `${pod.metadata.namespace}/${pod.metadata.name}` : undefined;
}

describe.skipIf(!existsSync(CORPUS))('ClusterIndex over the eks-calico corpus snapshot', () => {
  let index: ClusterIndex;
  beforeAll(async () => {
    index = await indexOf([CORPUS], 'shop-prod-eks');
  });
  const FQDN = 'ip-10-0-52-201.eu-west-1.compute.internal';

  it('finds a node by instance id, FQDN, short hostname, IP and providerID, case-insensitively', () => {
    for (const ref of ['i-09c4a6e2d7f13b085', FQDN, 'ip-10-0-52-201', 'IP-10-0-52-201.EU-WEST-1.COMPUTE.INTERNAL.', '10.0.52.201', 'aws:///eu-west-1b/i-09c4a6e2d7f13b085', 'ip-10-0-52-201.ec2.internal']) {
      expect(index.findNode(ref)?.metadata.name, ref).toBe(FQDN);
    }
    expect(index.findNode('i-0000000000000000')).toBeUndefined();
    expect(index.findNode('10.0.52.202')).toBeUndefined();
    expect(index.findNode('')).toBeUndefined();
  });

  it('finds a container by 12-char prefix, full id, with or without a runtime scheme, and a previous instance', () => {
    const full = '5be605c836c9f0db92dfde336a22b8f391d89eb9a4ea09320adae673be9cff05';
    for (const ref of [full.slice(0, 12), full, `containerd://${full}`, `docker://${full.slice(0, 12)}`, full.slice(0, 31).toUpperCase()]) {
      const c = index.containerById(ref);
      expect(podName(c?.pod), ref).toBe('shop/checkout-7f9c6d8b54-q2lmx');
      expect(c?.spec.name).toBe('checkout');
      expect(c?.previous).toBeFalsy();
    }
    const previous = index.containerById('efdb04fe6b35');
    expect(podName(previous?.pod)).toBe('shop/checkout-7f9c6d8b54-q2lmx');
    expect(previous?.previous).toBe(true);
    expect(previous?.status?.lastState?.terminated?.reason).toBe('OOMKilled');
    expect(index.containerById('5be605c836c')).toBeUndefined();
    expect(index.containerById('5be605c836c9ffff')).toBeUndefined();
  });

  it('follows owner chains Pod → ReplicaSet → Deployment, Pod → Job → CronJob, Pod → DaemonSet, Pod → StatefulSet', () => {
    const web = index.podByName('shop', 'web-5c7d9f8b64-m4kqz') as Pod;
    expect(index.ownerChain(web).map((r) => `${r.kind}/${r.name}`)).toEqual(['ReplicaSet/web-5c7d9f8b64', 'Deployment/web']);
    expect(index.workloadOf(web)?.object?.metadata.uid).toBe('517ea8d8-2018-4663-a3de-3bccaaea6118');
    const backup = index.podByName('batch', 'cart-backup-29919390-fz9wq') as Pod;
    expect(index.ownerChain(backup).map((r) => `${r.kind}/${r.name}`)).toEqual(['Job/cart-backup-29919390', 'CronJob/cart-backup']);
    expect(index.workloadOf(index.podByName('calico-system', 'calico-node-p8zr6') as Pod)).toMatchObject({ kind: 'DaemonSet', namespace: 'calico-system', name: 'calico-node' });
    expect(index.workloadOf(index.podByName('shop', 'cart-0') as Pod)).toMatchObject({ kind: 'StatefulSet', name: 'cart' });
    expect(index.workloadOf(index.podByName('shop', 'debug-tools') as Pod)).toBeUndefined();
  });

  it('resolves a pod IP only within the pod lifetime and never to host-network pods', () => {
    expect(podName(index.podByIp('10.0.8.153', '2026-11-20T10:45:00.000Z'))).toBe('shop/web-5c7d9f8b64-m4kqz');
    expect(index.podByIp('10.0.8.153', '2026-11-20T10:00:00.000Z')).toBeUndefined(); // created 10:30:13
    expect(podName(index.podByIp('10.0.8.153', null))).toBe('shop/web-5c7d9f8b64-m4kqz');
    // a finished Job pod held its IP until its container finished (08:30:21)
    expect(podName(index.podByIp('10.0.30.5', '2026-11-20T08:30:10.000Z'))).toBe('batch/cart-backup-29919390-fz9wq');
    expect(index.podByIp('10.0.30.5', '2026-11-20T09:30:00.000Z')).toBeUndefined();
    expect(index.podByIp('10.0.30.5', null)).toBeUndefined();
    // node IPs belong to the host-network pods on them: not a pod IP
    expect(index.podByIp('10.0.52.201', '2026-11-20T11:00:00.000Z')).toBeUndefined();
  });

  it('answers pods by UID, name, node; node of pod; services; events', () => {
    const uid = '4d7a6d31-2931-43d1-b5bd-b648c7a26c24';
    expect(podName(index.podByUid(uid))).toBe('shop/checkout-7f9c6d8b54-q2lmx');
    expect(podName(index.podByUid(uid.replace(/-/g, '_').toUpperCase()))).toBe('shop/checkout-7f9c6d8b54-q2lmx');
    expect(index.podsNamed('cart-0').map(podName)).toEqual(['shop/cart-0']);
    const onNode = index.podsOnNode('i-09c4a6e2d7f13b085').map((p) => p.metadata.name);
    expect(onNode).toContain('calico-node-p8zr6');
    expect(onNode).toEqual(index.podsOnNode(FQDN).map((p) => p.metadata.name));
    expect(index.pods.filter((p) => p.spec.nodeName === FQDN)).toHaveLength(onNode.length);
    expect(index.nodeOfPod(index.podByName('calico-system', 'calico-node-p8zr6') as Pod)?.metadata.name).toBe(FQDN);
    expect(index.serviceByIp('172.20.0.10')?.metadata.name).toBe('kube-dns');
    expect(index.serviceByIp('None')).toBeUndefined();
    const events = index.eventsFor('shop', 'checkout-7f9c6d8b54-q2lmx');
    expect(events.map((e) => e.reason).sort()).toEqual(['BackOff', 'Created', 'Pulled', 'Started', 'Unhealthy']);
    const times = events.map((e) => Date.parse(e.lastTimestamp as string));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(events[0].reason).toBe('BackOff');
    expect(index.list('cronjobs').map((c) => c.metadata.name).sort()).toEqual(['cart-backup', 'catalog-import']);
    expect(index.clusters).toEqual(['shop-prod-eks']);
    expect(index.clusterOf(index.nodes[0])).toBe('shop-prod-eks');
    expect(index.capturedAt).toBeNull();
    expect(index.observedUntil).toMatch(/^2026-11-20T1[12]:/);
  });
});

describe.skipIf(!existsSync(SAMPLES))('ClusterIndex over the real kind dump (static pods, Guaranteed pods)', () => {
  let index: ClusterIndex;
  beforeAll(async () => {
    index = await indexOf([SAMPLES]);
  });

  it('matches a static pod by its config-hash cgroup UID and a Guaranteed pod without QoS segment', () => {
    const etcd = index.containerByCgroup(
      'kubepods-burstable-pod71f8cd8f6f5c92a4e5f21c7201d42a8b.slice:cri-containerd:52ceab76249e3b1d3a25d452e37ef18486e11aadb146b9e3eaa316b49ec6e894',
    );
    expect(etcd && 'spec' in etcd ? `${podName(etcd.pod)}:${etcd.spec.name}` : undefined).toBe('kube-system/etcd-kind-control-plane:etcd');
    const podOnly = index.containerByCgroup('/kubepods/burstable/pod71f8cd8f6f5c92a4e5f21c7201d42a8b');
    expect(podName(podOnly?.pod)).toBe('kube-system/etcd-kind-control-plane');
    expect(podOnly && 'spec' in podOnly).toBe(false);
    const kindnet = index.containerByCgroup(
      '0::/system.slice/docker-0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0.scope/kubepods.slice/kubepods-pode2f15529_5451_476f_a770_24c38e0dd6cd.slice/cri-containerd-9a54bd5cd0f3a166a58413135df2152fd056df1ae9fbc2167cc94ef941d20d82.scope',
    );
    expect(podName(kindnet?.pod)).toBe('kube-system/kindnet-hknk7');
    // a static pod is owned by its Node: no workload
    expect(index.workloadOf(index.podByName('kube-system', 'etcd-kind-control-plane') as Pod)).toBeUndefined();
    // a cgroup naming one pod and a container of another: trust the pod only
    const mixed = index.containerByCgroup('/kubepods/burstable/pod71f8cd8f6f5c92a4e5f21c7201d42a8b/9a54bd5cd0f3a166a58413135df2152fd056df1ae9fbc2167cc94ef941d20d82');
    expect(mixed && 'spec' in mixed).toBe(false);
    expect(podName(mixed?.pod)).toBe('kube-system/etcd-kind-control-plane');
  });

  it('finds docker:// containers of single-object dumps', () => {
    expect(podName(index.containerById('9bc42a0d9395')?.pod)).toBe('kube-system/cilium-operator-55658fb5c4-rxtnl');
  });
});

describe('ClusterIndex: time-aware IPs, owners and clusters from fixtures', () => {
  let index: ClusterIndex;
  beforeAll(async () => {
    index = buildIndex([
      ...(await loadSnapshots([join(FIXTURES, 'ip-reuse.json'), join(FIXTURES, 'dir')], () => undefined, { clusterName: 'lab' })),
      ...(await loadSnapshots([join(FIXTURES, 'own-snapshot.json')], () => undefined)),
    ]);
  });

  it('never blames a pod created after the alert for an IP reused by it', () => {
    const ip = '10.244.2.30';
    expect(index.podByIp(ip, '2025-03-02T09:59:59Z')).toBeUndefined();
    expect(podName(index.podByIp(ip, '2025-03-02T10:02:00Z'))).toBe('reports/nightly-report-29012400-q7m2x');
    expect(index.podByIp(ip, '2025-03-02T10:10:00Z')).toBeUndefined();
    expect(podName(index.podByIp(ip, '2025-03-02T10:25:00Z'))).toBe('web/frontend-6b8f9c7d5-kq4zt');
    expect(podName(index.podByIp(ip, null))).toBe('web/frontend-6b8f9c7d5-kq4zt');
    // terminating pod (deletionTimestamp 11:30) and its replacement on the same IP
    expect(podName(index.podByIp('10.244.2.41', '2025-03-02T11:00:00Z'))).toBe('reports/draining-7z9k2');
    expect(podName(index.podByIp('10.244.2.41', '2025-03-02T11:45:00Z'))).toBe('reports/replacement-p2q3w');
    expect(podName(index.podByIp('10.244.2.41', null))).toBe('reports/replacement-p2q3w');
    expect(index.podByIp('192.168.10.12', '2025-03-02T10:00:00Z')).toBeUndefined();
  });

  it('derives a Deployment from a missing ReplicaSet by pod-template-hash, and a CronJob only when it exists', () => {
    const frontend = index.podByName('web', 'frontend-6b8f9c7d5-kq4zt') as Pod;
    expect(index.ownerChain(frontend)).toEqual([
      { kind: 'ReplicaSet', namespace: 'web', name: 'frontend-6b8f9c7d5' },
      { kind: 'Deployment', namespace: 'web', name: 'frontend', inferred: true },
    ]);
    const report = index.podByName('reports', 'nightly-report-29012400-q7m2x') as Pod;
    expect(index.ownerChain(report).map((r) => [r.kind, r.name, r.object !== undefined])).toEqual([
      ['Job', 'nightly-report-29012400', false],
      ['CronJob', 'nightly-report', true],
    ]);
    const api = index.podByName('payments', 'api-7c9d8f6b5-x2k9q') as Pod;
    expect(index.ownerChain(api).map((r) => `${r.kind}/${r.name}`)).toEqual(['ReplicaSet/api-7c9d8f6b5', 'Deployment/api']);
    expect(index.workloadOf(api)?.object?.kind).toBe('Deployment');
  });

  it('keeps clusters apart and finds Azure VMSS nodes by instance name', () => {
    expect(index.clusters.sort()).toEqual(['lab', 'prod-eu']);
    const node = index.findNode('aks-system-12345678-vmss_3');
    expect(node?.metadata.name).toBe('aks-system-12345678-vmss000003');
    expect(node && index.clusterOf(node)).toBe('prod-eu');
    expect(index.findNode('worker-1') && index.clusterOf(index.findNode('worker-1') as never)).toBe('lab');
    expect(index.serviceByIp('fd00::7')?.metadata.name).toBe('web');
    expect(index.serviceByIp('[FD00:0:0::7]')?.metadata.name).toBe('web');
    expect(index.capturedAt).toBe('2025-04-10T08:00:00.000Z');
    expect(index.gaps).toEqual([{ resource: 'events', reason: '403 Forbidden', cluster: 'prod-eu' }]);
    expect(index.execSessionsForPod('default', 'web-0').map((s) => s.user)).toEqual(['bob@example.com', 'alice@example.com']);
    expect(index.execSessions.map((s) => s.start)).toEqual(['2025-04-09T09:00:00Z', '2025-04-09T10:00:00Z']);
  });

  it('finds CRI-O container ids and the previous instance from lastState', () => {
    expect(index.containerById('cri-o://e159fb9a1008')?.pod.metadata.name).toBe('api-7c9d8f6b5-x2k9q');
    expect(index.containerById('7a0c2f1e3d4b5a69')?.previous).toBe(true);
  });
});

describe('ClusterIndex: several snapshots of one cluster and of two clusters', () => {
  function pod(name: string, uid: string, created: string, ip: string, containerId: string, node = 'n1'): Pod {
    return {
      kind: 'Pod',
      metadata: { name, namespace: 'app', uid, creationTimestamp: created },
      spec: { nodeName: node, containers: [{ name: 'c', image: 'img' }] },
      status: { phase: 'Running', podIP: ip, containerStatuses: [{ name: 'c', containerID: `containerd://${containerId}` }] },
    };
  }
  function snap(cluster: string, capturedAt: string, pods: Pod[]): ClusterSnapshot {
    const s = emptySnapshot(cluster);
    s.capturedAt = capturedAt;
    s.objects.pods = pods;
    s.objects.nodes = [{ kind: 'Node', metadata: { name: 'n1.example.internal', uid: `${cluster}-n1` }, status: { addresses: [{ type: 'InternalIP', address: '10.9.0.1' }] } }];
    return s;
  }

  it('merges copies of a pod (newest wins, older container ids become previous instances) and keeps a recreated pod apart', () => {
    const older = snap('a', '2025-01-01T10:00:00Z', [pod('db-0', 'u-1', '2025-01-01T09:00:00Z', '10.1.0.5', 'a'.repeat(64))]);
    const newer = snap('a', '2025-01-01T12:00:00Z', [pod('db-0', 'u-1', '2025-01-01T09:00:00Z', '10.1.0.5', 'b'.repeat(64)), pod('db-1', 'u-2', '2025-01-01T11:00:00Z', '10.1.0.6', 'c'.repeat(64))]);
    const index = buildIndex([newer, older]);
    expect(index.pods.map((p) => p.metadata.name)).toEqual(['db-0', 'db-1']);
    expect(index.containerById('b'.repeat(12))?.previous).toBeFalsy();
    const previous = index.containerById('a'.repeat(12));
    expect(previous?.previous).toBe(true);
    expect(previous?.pod).toBe(index.podByUid('u-1' as string) ?? index.pods[0]);
    expect(index.capturedAt).toBe('2025-01-01T12:00:00.000Z');
  });

  it('ends the IP lease of a pod that a later complete snapshot no longer lists, unless that snapshot has a gap on pods', () => {
    const first = snap('a', '2025-01-01T10:00:00Z', [pod('job-x', 'u-1', '2025-01-01T09:00:00Z', '10.1.0.9', 'd'.repeat(64)), pod('web', 'u-3', '2025-01-01T08:00:00Z', '10.1.0.10', 'e'.repeat(64))]);
    const second = snap('a', '2025-01-01T12:00:00Z', [pod('web', 'u-3', '2025-01-01T08:00:00Z', '10.1.0.10', 'e'.repeat(64))]);
    const index = buildIndex([first, second]);
    expect(index.podByIp('10.1.0.9', '2025-01-01T09:30:00Z')?.metadata.name).toBe('job-x');
    expect(index.podByIp('10.1.0.9', '2025-01-01T12:30:00Z')).toBeUndefined();
    expect(index.podByIp('10.1.0.9', null)).toBeUndefined();
    expect(index.podByName('app', 'job-x')).toBeDefined();
    second.gaps = [{ resource: 'pods', reason: 'timeout' }];
    expect(buildIndex([first, second]).podByIp('10.1.0.9', '2025-01-01T12:30:00Z')?.metadata.name).toBe('job-x');
  });

  it('finds init and ephemeral containers by id, with their type', () => {
    const p = pod('dbg', 'u-9', '2025-01-01T09:00:00Z', '10.1.0.20', 'f'.repeat(64));
    p.spec.initContainers = [{ name: 'setup', image: 'busybox' }];
    p.spec.ephemeralContainers = [{ name: 'debugger-x1', image: 'nicolaka/netshoot', targetContainerName: 'c' }];
    p.status = {
      ...p.status,
      initContainerStatuses: [{ name: 'setup', containerID: `cri-o://${'1'.repeat(64)}`, state: { terminated: { exitCode: 0, containerID: `cri-o://${'1'.repeat(64)}` } } }],
      ephemeralContainerStatuses: [{ name: 'debugger-x1', containerID: `containerd://${'2'.repeat(64)}` }],
    };
    const index = buildIndex([snap('a', '2025-01-01T10:00:00Z', [p])]);
    expect(index.containerById('1'.repeat(12))).toMatchObject({ type: 'init', spec: { name: 'setup' }, id: '1'.repeat(64) });
    expect(index.containerById(`docker://${'2'.repeat(20)}`)).toMatchObject({ type: 'ephemeral', spec: { name: 'debugger-x1', image: 'nicolaka/netshoot' } });
    expect(index.containerById('f'.repeat(64))).toMatchObject({ type: 'container', spec: { name: 'c' } });
    // an id stored in an unusual spelling (upper case) still matches
    const odd = pod('odd', 'u-10', '2025-01-01T09:00:00Z', '10.1.0.21', 'ABCDEF0123456789'.repeat(4));
    expect(buildIndex([snap('a', '2025-01-01T10:00:00Z', [odd])]).containerById('abcdef012345')?.pod.metadata.name).toBe('odd');
  });

  it('treats a short hostname or node name claimed by two clusters as ambiguous, but finds each by cluster-unique keys', () => {
    const index = buildIndex([snap('a', '2025-01-01T10:00:00Z', []), snap('b', '2025-01-01T10:00:00Z', [])]);
    expect(index.findNode('n1')).toBeUndefined();
    expect(index.findNode('n1.example.internal')).toBeUndefined();
    expect(index.nodes).toHaveLength(2);
  });
});

describe('instanceIdsOfProviderId', () => {
  it.each([
    ['aws:///eu-west-1a/i-0abc123', ['i-0abc123']],
    ['gce://my-project/europe-west1-b/gke-pool-1-abcd', ['gke-pool-1-abcd']],
    ['azure:///subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/aks-np-1-vmss/virtualMachines/37', ['aks-np-1-vmss_37', 'aks-np-1-vmss000011']],
    ['azure:///subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1', ['vm-1']],
    ['kind://docker/kind/kind-worker', ['kind-worker']],
    ['', []],
  ])('%s', (id, expected) => {
    expect(instanceIdsOfProviderId(id)).toEqual(expected);
  });
});

describe.skipIf(!existsSync(CORPUS))('containerById memo', () => {
  const refShape = (r: ReturnType<ClusterIndex['containerById']>) => r && { pod: podName(r.pod), name: r.spec.name, id: r.id, type: r.type, previous: r.previous, status: r.status?.name };

  it('answers repeated lookups (prefixes, schemes, upper case, unknown ids) as a fresh index answers the first one', async () => {
    const snapshots = await loadSnapshots([CORPUS], () => undefined, { clusterName: 'shop-prod-eks' });
    const ids: string[] = [];
    for (const pod of buildIndex(snapshots).pods) {
      for (const cs of [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]) {
        for (const raw of [cs.containerID, cs.lastState?.terminated?.containerID]) {
          if (typeof raw !== 'string') continue;
          const hex = raw.replace(/^[a-z-]+:\/\//, '');
          ids.push(raw, hex, hex.slice(0, 12), hex.slice(0, 11), hex.toUpperCase(), `${hex.slice(0, 20)}ffff`);
        }
      }
    }
    ids.push('', 'host', 'not-a-container-id', '5be605c836c9ffff');
    const memoised = buildIndex(snapshots);
    for (let pass = 0; pass < 3; pass++) {
      for (const id of ids) expect(refShape(memoised.containerById(id)), id).toEqual(refShape(buildIndex(snapshots).containerById(id)));
    }
    // A remembered answer is the same object each time.
    const some = ids.find((id) => memoised.containerById(id));
    expect(memoised.containerById(some!)).toBe(memoised.containerById(some!));
  });
});
