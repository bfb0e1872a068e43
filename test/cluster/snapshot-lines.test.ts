import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshots } from '../../src/cluster/load.js';
import { emptySnapshot, type ClusterSnapshot, type KubeObject, type Pod } from '../../src/cluster/model.js';
import { runConvertCommand } from '../../src/cluster/snapshot-convert.js';
import { readSnapshotFile, writeSnapshot } from '../../src/cluster/snapshot-file.js';
import { LINES_MAGIC } from '../../src/cluster/snapshot-lines.js';
import { syntheticSnapshot } from './synthetic.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kdr-lines-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHARED = join(ROOT, '../shared');
const CORPUS_CLUSTER = join(SHARED, 'corpus/eks-calico/cluster.json');
const SCENARIOS = join(ROOT, 'test/fixtures/scenarios');

function replica(i: number, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-7d9f-${i}`,
      namespace: 'shop',
      uid: `00000000-0000-4000-8000-00000000000${i}`,
      generateName: 'web-7d9f-',
      labels: { app: 'web', 'pod-template-hash': '7d9f' },
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d9f', uid: 'rs-1', controller: true }],
    },
    spec: {
      nodeName: `node-${i % 2}`,
      containers: [
        {
          name: 'app',
          image: 'registry.example/web:1.2',
          command: ['node', 'server.js'],
          env: [{ name: 'MODE', value: 'prod' }],
          livenessProbe: { exec: { command: ['/bin/sh', '-c', 'curl -fs localhost:8080/health'] } },
          volumeMounts: [{ name: 'host-logs', mountPath: '/var/log/host' }],
        },
      ],
      volumes: [{ name: 'host-logs', hostPath: { path: '/var/log' } }],
    },
    status: {
      phase: 'Running',
      hostIP: `10.0.0.${i % 2}`,
      podIP: `100.64.0.${i}`,
      containerStatuses: [{ name: 'app', containerID: `containerd://${String(i).repeat(64).slice(0, 64)}`, image: 'registry.example/web:1.2', lastState: {}, state: { running: { startedAt: '2026-11-20T10:00:00Z' } } }],
    },
    ...extra,
  };
}

function sample(cluster = 'prod'): ClusterSnapshot {
  const s = emptySnapshot(cluster);
  s.capturedAt = '2026-11-20T12:05:00.000Z';
  s.observedUntil = '2026-11-20T12:04:00.000Z';
  s.context = `${cluster}-ctx`;
  s.serverVersion = 'v1.30.4';
  s.objects.nodes = [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } }, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-0' } }];
  s.objects.pods = [replica(3), replica(1), replica(2), replica(4, { metadata: { name: 'solo', namespace: 'shop', labels: { only: 'me' } } })];
  s.gaps = [{ resource: 'events', reason: 'HTTP 403: forbidden', cluster }];
  s.execSessions = [{ kind: 'exec', user: 'bob', groups: [], sourceIps: ['10.1.1.1'], namespace: 'shop', pod: 'web-7d9f-1', command: ['sh'], tty: true, start: '2026-11-20T10:00:00.000Z', end: '2026-11-20T10:01:00.000Z' }];
  return s;
}

/** What loading a plain kubectl dump of `s` gives: env values gone, pods trimmed (the loader's sanitising). */
async function loadedFromDump(s: ClusterSnapshot, name: string): Promise<ClusterSnapshot[]> {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: Object.values(s.objects).flat() }));
  return loadSnapshots([path], () => undefined, { clusterName: s.cluster });
}

async function convert(from: string[], output: string, extra: Partial<Parameters<typeof runConvertCommand>[0]> = {}): Promise<string[]> {
  const warnings: string[] = [];
  const code = await runConvertCommand({ from, output, warn: (m) => warnings.push(m), stderr: { write: () => true }, ...extra });
  expect(code).toBe(0);
  return warnings;
}

async function load(path: string): Promise<{ snapshots: ClusterSnapshot[]; warnings: string[] }> {
  const warnings: string[] = [];
  const snapshots = await loadSnapshots([path], (m) => warnings.push(m));
  return { snapshots, warnings };
}

describe('snapshot format version 2', () => {
  it('round-trips what the loader gave, with replicas sharing their parts, and writes a shared part once', async () => {
    const [loaded] = await loadedFromDump(sample(), 'dump.json');
    const out = join(dir, 'round.json');
    await writeSnapshot(loaded, out, { sort: false });
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith(LINES_MAGIC)).toBe(true);
    expect(text.split('\n').filter((l) => l.includes('curl -fs localhost'))).toHaveLength(1);
    expect(text).not.toContain('"value":"prod"');
    const { snapshots, warnings } = await load(out);
    expect(warnings).toEqual([]);
    expect(snapshots).toEqual([loaded]);
    // Same key order as the loader gave, so that anything printed from an object prints the same.
    expect(JSON.stringify(snapshots)).toBe(JSON.stringify([loaded]));
    const [a, b] = snapshots[0].objects.pods as Pod[];
    expect(a.spec.containers[0].livenessProbe).toBe(b.spec.containers[0].livenessProbe);
    expect(a.metadata.labels).toBe(b.metadata.labels);
  });

  it('writes the same bytes for the same cluster state, whatever order it came in (sorted by default)', async () => {
    const one = join(dir, 'det-1.json');
    const two = join(dir, 'det-2.json');
    await writeSnapshot(sample(), one);
    const shuffled = sample();
    shuffled.objects.pods.reverse();
    shuffled.objects.nodes.reverse();
    await writeSnapshot(shuffled, two);
    expect(readFileSync(two)).toEqual(readFileSync(one));
    const [read] = await readSnapshotFile(one);
    expect(read.objects.pods.map((p) => p.metadata.name)).toEqual(['solo', 'web-7d9f-1', 'web-7d9f-2', 'web-7d9f-3']);
    expect(read.objects.nodes.map((p) => p.metadata.name)).toEqual(['node-0', 'node-1']);
    expect(read.execSessions).toHaveLength(1);
    expect(read.gaps).toEqual(sample().gaps);
    expect(read).toMatchObject({ cluster: 'prod', context: 'prod-ctx', capturedAt: '2026-11-20T12:05:00.000Z', observedUntil: '2026-11-20T12:04:00.000Z', serverVersion: 'v1.30.4' });
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('gzips for .gz and is recognised by content; several snapshots in one file', async () => {
    const path = join(dir, 'many.json.gz');
    await writeSnapshot([sample('eu'), sample('us')], path);
    expect(gunzipSync(readFileSync(path)).toString('utf8').startsWith(LINES_MAGIC)).toBe(true);
    const { snapshots, warnings } = await load(path);
    expect(warnings).toEqual([]);
    expect(snapshots.map((s) => [s.cluster, s.objects.pods.length])).toEqual([
      ['eu', 4],
      ['us', 4],
    ]);
  });

  it('still reads version 1 into the same snapshot', async () => {
    const v1 = join(dir, 'old.json');
    const v2 = join(dir, 'new.json');
    await writeSnapshot(sample(), v1, { formatVersion: 1 });
    await writeSnapshot(sample(), v2);
    expect(readFileSync(v1, 'utf8')).toContain('"version": 1');
    const [fromV1] = (await load(v1)).snapshots;
    const [fromV2] = (await load(v2)).snapshots;
    // Version 1 has no observedUntil: its reader takes the newest time inside the objects.
    expect(fromV1.observedUntil).toBe('2026-11-20T10:00:00.000Z');
    expect({ ...fromV2, observedUntil: undefined }).toEqual({ ...fromV1, observedUntil: undefined });
  });

  it('sanitises again on reading: a hand-edited file carries no env value or credential onward', async () => {
    const path = join(dir, 'edited.json');
    await writeSnapshot(sample(), path);
    const edited = readFileSync(path, 'utf8')
      .split('\n')
      .map((line) => {
        if (line.startsWith('["=",') && line.includes('"container.env"')) return line.replace('"value":"prod"', '"value":"hunter2"');
        if (line.startsWith('["pods",') && line.includes('"solo"')) return line.replace('"metadata":{', '"metadata":{"annotations":[{"note":"Bearer abcdefghijklmnop"}],"managedFields":[{"manager":"x"}],');
        return line;
      })
      .join('\n');
    expect(edited).toContain('hunter2');
    writeFileSync(path, edited);
    const { snapshots, warnings } = await load(path);
    expect(warnings).toEqual([]);
    const text = JSON.stringify(snapshots);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('abcdefghijklmnop');
    expect(text).not.toContain('managedFields');
    const solo = snapshots[0].objects.pods.find((p) => p.metadata.name === 'solo');
    expect(solo?.metadata.annotations).toEqual({ note: '<redacted>' });
  });

  it('names bad lines by file and line, skips them, and keeps the rest', async () => {
    const path = join(dir, 'hostile.json');
    await writeSnapshot(sample(), path);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const podLine = lines.findIndex((l) => l.startsWith('["pods",') && l.includes('"solo"'));
    const refLine = lines.findIndex((l) => l.startsWith('["pods",') && l.includes('web-7d9f-2'));
    const hostile = [...lines];
    hostile[podLine] = '["pods",{"kind":"Pod","metadata":{"name":"broken"'; // not JSON
    hostile[refLine] = hostile[refLine].replace(/"labels":\d+/, '"labels":9999'); // refers to nothing
    hostile.push('["pods",{"kind":"Pod","metadata":{"name":"x","labels":"not a reference"}}]');
    hostile.push('["secrets",{"kind":"Secret","metadata":{"name":"s"},"data":{"k":"c2VjcmV0"}}]');
    hostile.push('["nodes",{"kind":"Secret","metadata":{"name":"s2"},"data":{"k":"c2VjcmV0"}}]');
    hostile.push('"just a string"');
    writeFileSync(path, `${hostile.join('\n')}\n`);
    const { snapshots, warnings } = await load(path);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^snapshot: ${path}:${podLine + 1}: not valid JSON .*skipped$`)),
        `snapshot: ${path}:${refLine + 1}: refers to shared value 9999, which is not defined before it, skipped`,
        `snapshot: ${path}:${lines.length + 1}: metadata.labels is neither a shared value number nor a value in [ ], skipped`,
        `snapshot: ${path}:${lines.length + 4}: not a line of a kdr-triage snapshot, skipped`,
        expect.stringMatching(/ignored 1 object\(s\) of kind Secret \(never stored\)/),
        expect.stringMatching(/ignored 1 object\(s\) of kind secrets/),
      ]),
    );
    expect(snapshots[0].objects.pods.map((p) => p.metadata.name)).toEqual(['web-7d9f-1', 'web-7d9f-3']);
    expect(JSON.stringify(snapshots)).not.toContain('c2VjcmV0');
  });

  it('says when a file was cut short, and keeps what it read', async () => {
    const path = join(dir, 'short.json.gz');
    await writeSnapshot(sample(), join(dir, 'full.json'));
    const text = readFileSync(join(dir, 'full.json'), 'utf8');
    writeFileSync(path, gzipSync(text.slice(0, text.indexOf('["pods",') + 10)));
    const { snapshots, warnings } = await load(path);
    expect(warnings.some((w) => w.startsWith(`snapshot: ${path}:`) && w.includes('not valid JSON'))).toBe(true);
    expect(warnings).toContain(`snapshot: ${path}:1: snapshot of cluster prod is incomplete (pods 0 of 4, execSessions 0 of 1); keeping what was read`);
    expect(snapshots[0].objects.nodes).toHaveLength(2);
  });

  it('without a warn callback, readSnapshotFile refuses a bad line', async () => {
    const path = join(dir, 'strict.json');
    writeFileSync(path, `${LINES_MAGIC}"cluster":"c","capturedAt":null,"objects":{}}\n["pods",{\n`);
    await expect(readSnapshotFile(path)).rejects.toThrow(/strict\.json:2: not valid JSON/);
  });
});

describe('snapshot --from: a converted snapshot loads into exactly what its sources load into', () => {
  async function expectSame(from: string[], name: string, clusterName?: string): Promise<void> {
    const warnings: string[] = [];
    const direct = await loadSnapshots(from, (m) => warnings.push(m), { clusterName });
    const out = join(dir, name);
    await convert(from, out, { clusterName });
    const { snapshots, warnings: after } = await load(out);
    expect(after).toEqual([]);
    expect(snapshots).toEqual(direct);
    expect(JSON.stringify(snapshots)).toBe(JSON.stringify(direct));
  }

  it('a generated 2,000-pod cluster', async () => {
    const path = join(dir, 'generated.json');
    const s = syntheticSnapshot(2000, 40);
    writeFileSync(path, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: Object.values(s.objects).flat() }));
    await expectSame([path], 'generated.v2.json.gz');
  });

  it.skipIf(!existsSync(CORPUS_CLUSTER))('the corpus cluster (../shared)', async () => {
    await expectSame([CORPUS_CLUSTER], 'corpus.v2.json', 'corpus');
  });

  it.each(['aks-cilium/cluster.json', 'eks-bottlerocket/cluster.json.gz', 'gke-dpv2/cluster.yaml', 'onprem-istio/cluster'])('scenario snapshot %s', async (path) => {
    await expectSame([join(SCENARIOS, path)], `${path.replace(/\W/g, '-')}.v2.json`);
  });

  it('embeds audit-log sessions (--audit-log)', async () => {
    const out = join(dir, 'with-audit.json');
    await convert([join(SCENARIOS, 'aks-cilium/cluster.json')], out, {
      auditLogs: ['audit.jsonl'],
      readAudit: async () => ({ execSessions: sample().execSessions, auditActivities: [] }),
    });
    const { snapshots } = await load(out);
    expect(snapshots[0].execSessions).toEqual(sample().execSessions);
  });
});

describe('verdicts: triage against a converted snapshot gives the same NDJSON as against its sources', () => {
  async function triage(args: string[], out: string): Promise<string> {
    const { main } = await import('../../src/cli.js');
    const code = await main(['node', 'kdr-triage', ...args, '--format', 'ndjson', '-q', '-o', out]);
    expect(code).not.toBe(2);
    return readFileSync(out, 'utf8');
  }

  async function expectSameVerdicts(name: string, alerts: string, snapshot: string, audit: string, clusterName: string): Promise<void> {
    const converted = join(dir, `${name}.v2.json.gz`);
    await convert([snapshot], converted, { clusterName, auditLogs: [audit], readAudit: (await import('../../src/cluster/audit.js')).readAuditLogs });
    const direct = await triage([alerts, '--snapshot', snapshot, '--audit-log', audit, '--cluster-name', clusterName], join(dir, `${name}-direct.ndjson`));
    const fromConverted = await triage([alerts, '--snapshot', converted], join(dir, `${name}-converted.ndjson`));
    expect(direct.split('\n').length).toBeGreaterThan(10);
    expect(fromConverted).toBe(direct);
  }

  it.skipIf(!existsSync(CORPUS_CLUSTER))('the corpus (../shared/corpus/eks-calico), audit log embedded by --from', async () => {
    const corpus = join(SHARED, 'corpus/eks-calico');
    await expectSameVerdicts('corpus', join(corpus, 'alerts'), join(corpus, 'cluster.json'), join(corpus, 'audit.jsonl'), 'eks-calico');
  });

  it('a scenario (aks-cilium)', async () => {
    const scenario = join(SCENARIOS, 'aks-cilium');
    await expectSameVerdicts('aks', join(scenario, 'alerts'), join(scenario, 'cluster.json'), join(scenario, 'audit.jsonl'), 'aks');
  });
});

describe('kdr-triage snapshot --from (the CLI)', () => {
  it('converts, and refuses --from together with --context or a missing path', async () => {
    const { main } = await import('../../src/cli.js');
    const out = join(dir, 'cli.kdr.json');
    expect(await main(['node', 'kdr-triage', 'snapshot', '--from', join(SCENARIOS, 'aks-cilium/cluster.json'), '--cluster-name', 'aks', '-o', out, '-q'])).toBe(0);
    expect(readFileSync(out, 'utf8').startsWith(`${LINES_MAGIC}"cluster":"aks"`)).toBe(true);
    expect(await main(['node', 'kdr-triage', 'snapshot', '--from', out, '--context', 'prod', '-o', join(dir, 'x.json'), '-q'])).toBe(2);
    expect(await main(['node', 'kdr-triage', 'snapshot', '--from', join(dir, 'no-such-file.json'), '-o', join(dir, 'y.json'), '-q'])).toBe(2);
    expect(existsSync(join(dir, 'y.json'))).toBe(false);
  });
});

describe('a loaded snapshot is plain data (worker threads get it by structured clone)', () => {
  it('survives v8.serialize with its sharing intact when cloned whole, and indexes the same', async () => {
    const { serialize, deserialize } = await import('node:v8');
    const { buildIndex } = await import('../../src/cluster/index.js');
    const out = join(dir, 'clone.json');
    await writeSnapshot(syntheticSnapshot(200, 10), out);
    const { snapshots } = await load(out);
    const clone = deserialize(serialize(snapshots)) as ClusterSnapshot[];
    expect(clone).toEqual(snapshots);
    const [a, b] = clone[0].objects.pods as Pod[];
    expect(a.spec.containers[0].image).toBe(b.spec.containers[0].image);
    expect(a.metadata.ownerReferences === b.metadata.ownerReferences).toBe(snapshots[0].objects.pods[0].metadata.ownerReferences === snapshots[0].objects.pods[1].metadata.ownerReferences);
    const original = buildIndex(snapshots);
    const cloned = buildIndex(clone);
    for (const pod of snapshots[0].objects.pods as Pod[]) {
      const id = pod.status?.containerStatuses?.[0]?.containerID;
      if (id) expect(cloned.containerById(id)?.pod.metadata.uid).toBe(original.containerById(id)?.pod.metadata.uid);
      expect(cloned.podByName(pod.metadata.namespace ?? '', pod.metadata.name)?.metadata.uid).toBe(pod.metadata.uid);
    }
  });
});
