import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { SnapshotPathError, loadSnapshots } from '../../src/cluster/load.js';
import type { ClusterSnapshot, Pod } from '../../src/cluster/model.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/cluster/', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const SAMPLES = join(SHARED, 'k8s-samples/cluster');
const CORPUS = join(SHARED, 'corpus/eks-calico/cluster.json');

async function load(paths: string[], clusterName?: string): Promise<{ snapshots: ClusterSnapshot[]; warnings: string[] }> {
  const warnings: string[] = [];
  const snapshots = await loadSnapshots(paths, (m) => warnings.push(m), { clusterName });
  return { snapshots, warnings };
}

function counts(s: ClusterSnapshot): Record<string, number> {
  return Object.fromEntries(Object.entries(s.objects).filter(([, v]) => v.length > 0).map(([k, v]) => [k, v.length]));
}

describe('loadSnapshots: kubectl YAML and JSON in a directory tree', () => {
  it('reads multi-document YAML and a typed NodeList recursively, skips other extensions, warns about the broken file and ignored kinds', async () => {
    const { snapshots, warnings } = await load([join(FIXTURES, 'dir')], 'lab');
    expect(snapshots).toHaveLength(1);
    const [s] = snapshots;
    expect(s.cluster).toBe('lab');
    expect(s.capturedAt).toBeNull();
    // the newest timestamp inside: the node heartbeat (11:59:40), newer than the container start (10:15)
    expect(s.observedUntil).toBe('2025-03-02T11:59:40.000Z');
    expect(counts(s)).toEqual({ nodes: 1, pods: 1, deployments: 1, replicasets: 1 });
    expect(s.objects.nodes[0].kind).toBe('Node');
    expect(warnings.filter((w) => w.includes('broken.json'))).toHaveLength(1);
    expect(warnings.some((w) => w.includes('ignored.txt'))).toBe(false);
    expect(warnings).toContain('snapshot: ignored 2 object(s) of kind Ingress (not used for triage)');
    expect(warnings).toContain('snapshot: ignored 1 object(s) of kind Secret (never stored)');
    expect(warnings).toContain('snapshot: ignored 1 object(s) of kind ConfigMap (never stored)');
  });

  it('strips env values, last-applied-configuration and managedFields, keeping names and secret reference names', async () => {
    const { snapshots } = await load([join(FIXTURES, 'dir', 'workloads.yaml')]);
    const text = JSON.stringify(snapshots);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('last-applied-configuration');
    expect(text).not.toContain('managedFields');
    expect(text).not.toContain('c2VjcmV0');
    const deployment = snapshots[0].objects.deployments[0];
    expect(deployment.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '3' });
    expect(deployment.spec.template.spec.containers[0].env).toEqual([
      { name: 'DB_PASSWORD' },
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api-secrets', key: 'token' } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    ]);
    expect(snapshots[0].cluster).toBe('default');
  });
});

describe('loadSnapshots: own format', () => {
  it('reads plain and gzip own-format snapshots as separate clusters and sanitizes their objects too', async () => {
    const { snapshots, warnings } = await load([join(FIXTURES, 'own-snapshot.json'), join(FIXTURES, 'own-snapshot-staging.json.gz')]);
    expect(snapshots.map((s) => s.cluster)).toEqual(['prod-eu', 'staging']);
    const [prod, staging] = snapshots;
    expect(prod.capturedAt).toBe('2025-04-10T08:00:00.000Z');
    expect(staging.capturedAt).toBe('2025-04-10T09:00:00.000Z');
    expect(prod.context).toBe('prod-eu-admin');
    expect(prod.serverVersion).toBe('v1.30.2');
    expect(counts(prod)).toEqual({ nodes: 1, pods: 1, services: 1 });
    expect(prod.execSessions).toHaveLength(2);
    expect(prod.gaps).toEqual([{ resource: 'events', reason: '403 Forbidden' }]);
    expect((prod.objects.pods[0] as Pod).spec.containers[0].env).toEqual([{ name: 'ADMIN_PASSWORD' }]);
    expect(JSON.stringify(snapshots)).not.toContain('s3cret');
    expect(warnings.filter((w) => w.includes('kind secrets'))).toHaveLength(1);
  });
});

describe('loadSnapshots: a snapshot list (several contexts captured together)', () => {
  it('reads every snapshot of a KdrTriageSnapshotList, each with its own objects and observedUntil', async () => {
    const { snapshots, warnings } = await load([join(FIXTURES, 'own-snapshot-list.json')]);
    expect(warnings).toEqual([]);
    expect(snapshots.map((s) => [s.cluster, s.objects.nodes.length, s.objects.pods.length, s.observedUntil])).toEqual([
      ['eu-prod', 1, 1, '2025-05-01T09:59:00.000Z'],
      ['us-prod', 1, 1, '2025-05-01T09:58:00.000Z'],
    ]);
    expect(snapshots[1].objects.nodes[0].status.addresses[0].address).toBe('10.20.0.1');
    expect(JSON.stringify(snapshots)).not.toContain('do-not-keep');
  });
});

describe('loadSnapshots: errors and odd inputs', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('throws SnapshotPathError for a path that does not exist', async () => {
    await expect(load([join(FIXTURES, 'no-such-file.json')])).rejects.toBeInstanceOf(SnapshotPathError);
  });

  it('reads gzip by content, a bare JSON array, BOM, empty files, and converts nothing it should not keep', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kdr-load-'));
    dirs.push(dir);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'x', uid: 'u1' }, spec: { containers: [] } };
    await writeFile(join(dir, 'pods.json.gz'), gzipSync(JSON.stringify({ kind: 'PodList', items: [{ metadata: { name: 'b', namespace: 'x', uid: 'u2' }, spec: { containers: [] } }] })));
    await writeFile(join(dir, 'array.json'), '\ufeff' + JSON.stringify([pod]));
    await writeFile(join(dir, 'empty.yaml'), '\n');
    await writeFile(join(dir, 'nameless.json'), JSON.stringify({ kind: 'Pod', metadata: {} }));
    await writeFile(join(dir, 'audit.json'), JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', verb: 'get' }));
    await writeFile(join(dir, 'bad.yaml'), 'kind: Pod\nmetadata: {name: [unclosed\n');
    const warnings: string[] = [];
    const [s] = await loadSnapshots([dir], (m) => warnings.push(m));
    expect(s.objects.pods.map((p) => p.metadata.name).sort()).toEqual(['a', 'b']);
    expect(s.objects.events).toHaveLength(0);
    expect(warnings.some((w) => w.includes('empty.yaml') && w.includes('empty'))).toBe(true);
    expect(warnings.some((w) => w.includes('nameless.json'))).toBe(true);
    expect(warnings.some((w) => w.includes('bad.yaml'))).toBe(true);
    expect(warnings.some((w) => w.includes('--audit-log'))).toBe(true);
  });

  it('drops the items of a typed SecretList read by the streaming reader, and reads a file given twice once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kdr-load-'));
    dirs.push(dir);
    const file = join(dir, 'secrets.json');
    await writeFile(file, JSON.stringify({ kind: 'SecretList', items: [{ metadata: { name: 's1', namespace: 'x' }, data: { password: 'aHVudGVyMg==' } }] }));
    const warnings: string[] = [];
    const snapshots = await loadSnapshots([dir, file], (m) => warnings.push(m));
    expect(JSON.stringify(snapshots)).not.toContain('aHVudGVyMg');
    expect(snapshots.flatMap((s) => Object.values(s.objects).flat())).toEqual([]);
    expect(warnings).toEqual(['snapshot: ignored 1 object(s) of kind Secret (never stored)']);
  });

  it('merges the same object given twice (later file wins) and keeps a typed list item kind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kdr-load-'));
    dirs.push(dir);
    const node = (ip: string) => ({ kind: 'NodeList', items: [{ metadata: { name: 'n1', uid: 'n-uid' }, status: { addresses: [{ type: 'InternalIP', address: ip }] } }] });
    await writeFile(join(dir, 'a.json'), JSON.stringify(node('10.0.0.1')));
    await writeFile(join(dir, 'b.json'), JSON.stringify(node('10.0.0.2')));
    const [s] = await loadSnapshots([dir], () => undefined);
    expect(s.objects.nodes).toHaveLength(1);
    expect(s.objects.nodes[0].status.addresses[0].address).toBe('10.0.0.2');
  });
});

describe.skipIf(!existsSync(SAMPLES))('loadSnapshots: real samples in ../shared/k8s-samples/cluster', () => {
  it('loads every sample file without a crash, with the expected counts', async () => {
    const files = readdirSync(SAMPLES).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(16);
    for (const f of files) {
      const { snapshots, warnings } = await load([join(SAMPLES, f)]);
      expect(warnings, f).toEqual([]);
      expect(snapshots.length, f).toBe(1);
    }
    const { snapshots } = await load([SAMPLES]);
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0].serverVersion).toBe('v1.20.0');
    // 24 pod documents, but k9s po.json and po_init.json are two copies of one pod (same UID): merged
    expect(counts(snapshots[0])).toEqual({ nodes: 5, pods: 23, daemonsets: 1, deployments: 1, replicasets: 1, statefulsets: 1, events: 1 });
  });
});

describe.skipIf(!existsSync(CORPUS))('loadSnapshots: the eks-calico corpus dump', () => {
  it('loads the kubectl List with every resource kind', async () => {
    const { snapshots, warnings } = await load([CORPUS], 'shop-prod-eks');
    expect(warnings).toEqual([]);
    expect(snapshots).toHaveLength(1);
    const [s] = snapshots;
    expect(s.cluster).toBe('shop-prod-eks');
    expect(s.objects.nodes).toHaveLength(5);
    expect(s.objects.pods.length).toBeGreaterThan(50);
    expect(s.observedUntil).not.toBeNull();
    expect(Date.parse(s.observedUntil ?? '')).toBeLessThanOrEqual(Date.parse('2026-11-20T12:05:00Z'));
  });
});
