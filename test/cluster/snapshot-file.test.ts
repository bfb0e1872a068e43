import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSnapshot } from '../../src/cluster/live.js';
import { emptySnapshot, RESOURCE_KINDS, type ClusterSnapshot, type KubeObject } from '../../src/cluster/model.js';
import { slimPod } from '../../src/cluster/compact.js';
import { compareObjects, parseSnapshotText, readSnapshotFile, snapshotDocument, SnapshotFormatError, writeSnapshot } from '../../src/cluster/snapshot-file.js';
import { kubeconfigText, startKubeApiServer } from '../support/kube-api-server.js';
import { smallCluster } from '../support/kube-fixtures.js';
import { HAS_OPENSSL } from '../support/test-pki.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kdr-snapfile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pod(namespace: string, name: string, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, uid: `uid-${namespace}-${name}` }, spec: { containers: [{ name: 'c', image: 'i' }] }, ...extra };
}

function sample(cluster = 'prod'): ClusterSnapshot {
  const snapshot = emptySnapshot(cluster);
  snapshot.capturedAt = '2026-11-20T12:05:00.000Z';
  snapshot.context = `${cluster}-ctx`;
  snapshot.server = 'https://10.0.0.1:6443';
  snapshot.serverVersion = 'v1.30.4';
  snapshot.objects.pods = [pod('b', 'web-2'), pod('a', 'web-1', { status: { phase: 'Running' } }), pod('a', 'api-1')];
  snapshot.objects.nodes = [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } }, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } }];
  snapshot.gaps = [
    { resource: 'events', reason: 'no response within 15 s (--timeout)', cluster },
    { resource: 'cronjobs', reason: 'HTTP 403: forbidden', cluster },
  ];
  snapshot.execSessions = [
    { kind: 'exec', user: 'bob', groups: [], sourceIps: ['10.1.1.1'], namespace: 'a', pod: 'web-1', command: ['sh'], tty: true, start: '2026-11-20T10:00:00.000Z', end: '2026-11-20T10:01:00.000Z' },
    { kind: 'exec', user: 'alice', groups: [], sourceIps: ['10.1.1.2'], namespace: 'a', pod: 'web-1', command: ['id'], tty: false, start: '2026-11-20T09:00:00.000Z', end: '2026-11-20T09:00:00.000Z' },
  ];
  return snapshot;
}

/** What a snapshot looks like after a write/read: object lists and gaps in canonical order. */
function canonical(snapshot: ClusterSnapshot): ClusterSnapshot {
  const copy = JSON.parse(JSON.stringify(snapshot)) as ClusterSnapshot;
  for (const kind of RESOURCE_KINDS) copy.objects[kind] = [...copy.objects[kind]].sort(compareObjects);
  return copy;
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeysDeep((value as Record<string, unknown>)[k])]));
}

const V1 = { formatVersion: 1 } as const;

describe('writeSnapshot / readSnapshotFile, version 1 (pretty-printed JSON, still read and written on request)', () => {
  it('writes pretty-printed, sorted, byte-stable JSON and reads it back', async () => {
    const snapshot = sample();
    const path = join(dir, 'one.json');
    await writeSnapshot(snapshot, path, V1);
    const text = readFileSync(path, 'utf8');
    const parsed = JSON.parse(text) as ClusterSnapshot;

    // Exactly JSON.stringify(…, null, 2) of the canonical document, fields in a fixed order.
    expect(Object.keys(parsed)).toEqual(['kind', 'version', 'capturedAt', 'cluster', 'context', 'server', 'serverVersion', 'gaps', 'execSessions', 'auditActivities', 'objects']);
    expect(text).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
    expect(parsed.objects.pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['a/api-1', 'a/web-1', 'b/web-2']);
    expect(parsed.gaps.map((g) => g.resource)).toEqual(['cronjobs', 'events']);
    expect(parsed.execSessions.map((s) => s.user)).toEqual(['alice', 'bob']);
    expect(Object.keys(parsed.objects)).toEqual([...RESOURCE_KINDS]);

    // Same content in another order, keys shuffled: the same bytes.
    const shuffled = sample();
    shuffled.objects.pods.reverse();
    shuffled.objects.pods = shuffled.objects.pods.map((p) => Object.fromEntries(Object.entries(p).reverse()) as KubeObject);
    shuffled.gaps.reverse();
    shuffled.execSessions.reverse();
    const again = join(dir, 'again.json');
    await writeSnapshot(shuffled, again, V1);
    expect(readFileSync(again, 'utf8')).toBe(text);

    const [read] = await readSnapshotFile(path);
    expect(read.objects).toEqual(canonical(snapshot).objects);
    expect(sortKeysDeep(read)).toEqual(sortKeysDeep(parsed));
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('keeps a "__proto__" key (annotations are attacker-controlled) as a plain key', async () => {
    const snapshot = sample();
    snapshot.objects.pods = [JSON.parse('{"kind":"Pod","metadata":{"name":"p","namespace":"n","annotations":{"__proto__":"x","a":"b"}}}') as KubeObject];
    const path = join(dir, 'proto.json');
    await writeSnapshot(snapshot, path, V1);
    expect(readFileSync(path, 'utf8')).toContain('"__proto__": "x"');
    const [read] = await readSnapshotFile(path);
    expect(Object.keys(read.objects.pods[0].metadata.annotations ?? {})).toEqual(['__proto__', 'a']);
  });

  it('gzips when the path ends in .gz, and recognises gzip by content when reading', async () => {
    const path = join(dir, 'one.json.gz');
    await writeSnapshot(sample(), path, V1);
    const raw = readFileSync(path);
    expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(raw).toString('utf8')).toBe(readFileSync(join(dir, 'one.json'), 'utf8'));
    const renamed = join(dir, 'gzipped-without-suffix.json');
    copyFileSync(path, renamed);
    const [read] = await readSnapshotFile(renamed);
    expect(read.objects.pods).toHaveLength(3);
    expect(read.cluster).toBe('prod');
  });

  it('writes several contexts as a KdrTriageSnapshotList and reads every snapshot back', async () => {
    const path = join(dir, 'many.json.gz');
    const snapshots = [sample('eu'), sample('us')];
    snapshots[1].objects.pods = [];
    await writeSnapshot(snapshots, path, V1);
    const parsed = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as { kind: string; snapshots: ClusterSnapshot[] };
    expect(parsed.kind).toBe('KdrTriageSnapshotList');
    expect(parsed.snapshots.map((s) => s.cluster)).toEqual(['eu', 'us']);
    const read = await readSnapshotFile(path);
    expect(read.map((s) => [s.cluster, s.objects.pods.length, s.objects.nodes.length])).toEqual([
      ['eu', 3, 2],
      ['us', 0, 2],
    ]);
    expect(read[0].objects).toEqual(canonical(snapshots[0]).objects);
  });

  it("writes to stdout only for '-'", async () => {
    const pieces: string[] = [];
    const stdout = new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        pieces.push(chunk.toString());
        callback();
      },
    });
    await writeSnapshot(sample(), '-', { stdout, ...V1 });
    expect(pieces.join('')).toBe(readFileSync(join(dir, 'one.json'), 'utf8'));
    expect(existsSync('-')).toBe(false);
  });

  it('leaves nothing behind when the destination cannot be written', async () => {
    await expect(writeSnapshot(sample(), join(dir, 'no-such-dir', 'x.json'))).rejects.toThrow();
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('refuses what is not its own format, and says why', async () => {
    const write = (name: string, text: string): string => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    await expect(readSnapshotFile(write('list.json', '{"apiVersion":"v1","kind":"List","items":[]}'))).rejects.toThrow(/not a kdr-triage snapshot/);
    const text = readFileSync(join(dir, 'one.json'), 'utf8');
    await expect(readSnapshotFile(write('truncated.json', text.slice(0, text.length / 2)))).rejects.toThrow(/ends in the middle/);
    await expect(readSnapshotFile(write('v2.json', text.replace('"version": 1', '"version": 2')))).rejects.toThrow(/version 2 is not supported/);
    await expect(readSnapshotFile(write('empty.json', ''))).rejects.toBeInstanceOf(SnapshotFormatError);
    await expect(readSnapshotFile(write('bad-pod.json', text.replace('"pods": [', '"pods": [ 42,')))).rejects.toThrow(/must hold Kubernetes objects/);
  });
});

describe('parseSnapshotText (the streaming reader) against JSON.parse', () => {
  const objectArb = fc
    .record({
      namespace: fc.string({ maxLength: 6 }),
      name: fc.string({ minLength: 1, maxLength: 8 }),
      body: fc.jsonValue({ maxDepth: 4 }),
      note: fc.constantFrom('"objects": {"pods": [', '\\"}]{[', 'x\\', '\u{1F600} é \n\t', '', '"'),
    })
    .map(({ namespace, name, body, note }) => JSON.parse(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, annotations: { note } }, spec: body })) as KubeObject);

  it('reads back exactly what was written, however the text is split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ pods: fc.array(objectArb, { maxLength: 5 }), events: fc.array(objectArb, { maxLength: 3 }), cluster: fc.string({ maxLength: 5 }) }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (specs, cuts) => {
          const snapshots = specs.map(({ pods, events, cluster }) => {
            const s = emptySnapshot(cluster);
            s.objects.pods = pods;
            s.objects.events = events;
            return s;
          });
          const text = [...snapshotDocument(snapshots)].join('');
          const positions = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const pieces: string[] = [];
          let from = 0;
          for (const p of positions) {
            pieces.push(text.slice(from, p));
            from = p;
          }
          pieces.push(text.slice(from));
          const read = parseSnapshotText(pieces);
          const parsed = JSON.parse(text) as ClusterSnapshot | { snapshots: ClusterSnapshot[] };
          const expected = 'snapshots' in parsed ? parsed.snapshots : [parsed];
          expect(read).toEqual(expected);
          expect(read.map((s) => s.objects)).toEqual(snapshots.map((s) => canonical(s).objects));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe.skipIf(!HAS_OPENSSL)('a snapshot captured from the loopback API server (needs the openssl CLI)', () => {
  it('loads back equal to what was fetched, plain and gzip', async () => {
    const server = await startKubeApiServer({ resources: smallCluster(), faults: { cronjobs: [{ status: 403 }] } });
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, kubeconfigText([{ context: 'loop', cluster: 'loop-cluster', server: server.url, caPem: server.caPem, token: server.token }]));
      const fetched = await fetchSnapshot({ kubeconfig, timeoutMs: 2000, pageSize: 3, warn: () => undefined, now: () => new Date('2026-11-20T12:05:00Z'), env: {} });
      expect(fetched.gaps).toHaveLength(1);
      for (const name of ['loop.json', 'loop.json.gz']) {
        const path = join(dir, name);
        await writeSnapshot(fetched, path, V1);
        const [loaded] = await readSnapshotFile(path);
        expect(loaded).toEqual(fetched);
        // Version 2 keeps pods as the loader keeps them (compact.ts), sorted.
        await writeSnapshot(fetched, `${path}.v2`);
        const [v2] = await readSnapshotFile(`${path}.v2`);
        expect(v2).toEqual({ ...fetched, objects: { ...fetched.objects, pods: fetched.objects.pods.map((p) => slimPod(p as never)) } });
      }
      expect(server.violations).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
