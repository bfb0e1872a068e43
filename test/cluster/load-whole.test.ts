/**
 * Small plain files are parsed whole (load.ts, WHOLE_FILE_BYTES) rather than streamed through the byte scanner: the
 * snapshot must come out exactly as the streaming reader makes it, warnings included, for every dump shape the tool
 * reads, and for the files the two would see differently (the fast path then steps aside).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshots } from '../../src/cluster/load.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SHARED = resolve(ROOT, '../shared');

async function both(paths: string[]): Promise<{ whole: string; streamed: string }> {
  const run = async (wholeFileBytes: number): Promise<string> => {
    const warnings: string[] = [];
    const snapshots = await loadSnapshots(paths, (m) => warnings.push(m), { wholeFileBytes });
    return JSON.stringify({ snapshots, warnings });
  };
  return { whole: await run(8 * 2 ** 20), streamed: await run(0) };
}

function filesUnder(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => pattern.test(f) && statSync(f).isFile());
}

describe('loadSnapshots: a small file parsed whole gives the snapshot the streaming reader gives', () => {
  const snapshotFiles = [
    join(ROOT, 'samples/cluster.json'),
    ...filesUnder(join(ROOT, 'test/fixtures/cluster'), /\.json(\.gz)?$/),
    ...filesUnder(join(ROOT, 'test/fixtures/scenarios'), /[/\\]cluster[^/\\]*[/\\]?.*\.json(\.gz)?$/),
    ...filesUnder(join(SHARED, 'k8s-samples/cluster'), /\.json$/),
    ...filesUnder(join(SHARED, 'corpus'), /cluster\.json$/),
  ];

  it.each(snapshotFiles.map((f) => [f.startsWith(SHARED) ? `shared/${f.slice(SHARED.length + 1)}` : f.slice(ROOT.length + 1), f]))('%s', async (_name, file) => {
    const { whole, streamed } = await both([file]);
    expect(whole).toBe(streamed);
  });

  it('the scenario directories, each loaded as a whole', async () => {
    const scenarios = join(ROOT, 'test/fixtures/scenarios');
    for (const name of existsSync(scenarios) ? readdirSync(scenarios) : []) {
      const dir = join(scenarios, name);
      const paths = filesUnder(dir, /cluster[^/\\]*([/\\].*)?\.json(\.gz)?$/);
      if (paths.length === 0) continue;
      const { whole, streamed } = await both(paths);
      expect(whole, name).toBe(streamed);
    }
  });

  describe('odd files', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kdr-load-whole-'));
    });
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const pod = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: '2026-11-01T00:00:00Z', annotations: { token: 'Bearer abcdefghijklmnop' } },
      spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'nginx', env: [{ name: 'PASSWORD', value: 'hunter2' }] }] },
      status: { phase: 'Running', startTime: '2026-11-02T00:00:00Z' },
      ...extra,
    });
    const cases: Record<string, string> = {
      'list with a BOM': `\ufeff${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [pod('a'), pod('b')] })}`,
      'top-level array with primitives': JSON.stringify([pod('a'), 3, 'x', null, [1, 2], pod('b')]),
      'items spelt twice': `{"kind":"List","items":[${JSON.stringify(pod('a'))}],"items":[${JSON.stringify(pod('b'))}]}`,
      'items spelt twice, the second not an array': `{"kind":"List","items":[${JSON.stringify(pod('a'))}],"items":5}`,
      'a resource spelt twice': `{"kind":"KdrTriageSnapshot","version":1,"cluster":"c","objects":{"pods":[${JSON.stringify(pod('a'))}],"pods":[${JSON.stringify(pod('b'))}]}}`,
      'items spelt with an escape': `{"kind":"List","it\\u0065ms":[${JSON.stringify(pod('a'))}]}`,
      'items named inside an object': JSON.stringify({ kind: 'List', items: [pod('a', { spec: { nodeName: 'n1', containers: [{ name: 'items', image: 'x' }] } })] }),
      'own snapshot list': JSON.stringify({
        kind: 'KdrTriageSnapshotList',
        snapshots: [
          { kind: 'KdrTriageSnapshot', version: 1, cluster: 'one', objects: { pods: [pod('a')], nodes: [] } },
          { kind: 'KdrTriageSnapshot', version: 1, cluster: 'two', objects: { pods: [pod('b'), pod('c')] } },
        ],
      }),
      'two documents': `${JSON.stringify({ kind: 'List', items: [pod('a')] })}\n${JSON.stringify({ kind: 'List', items: [pod('b')] })}\n`,
      'truncated': JSON.stringify({ kind: 'List', items: [pod('a'), pod('b')] }).slice(0, -40),
      'a bad element': `{"kind":"List","items":[${JSON.stringify(pod('a'))},{"kind":"Pod",nope}]}`,
      'a single pod': JSON.stringify(pod('a')),
      'empty': '  \n',
      'a very long key on the way': JSON.stringify({ kind: 'KdrTriageSnapshot', version: 1, cluster: 'c', objects: { ['p'.repeat(70)]: [pod('a')], pods: [pod('b')] } }),
    };
    it.each(Object.keys(cases))('%s', async (name) => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.json`);
      await writeFile(file, cases[name]);
      const { whole, streamed } = await both([file]);
      expect(whole).toBe(streamed);
    });
  });
});
