import { copyFile, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { deserialize } from 'node:v8';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshots } from '../../src/cluster/load.js';
import { ContextFilesError, decodeContext, encodeContext, type TriageContext } from '../../src/parallel/context.js';
import { changedFile, stampFiles } from '../../src/parallel/file-stamps.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/cluster');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kdr-context-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function contextFor(paths: string[]): Promise<TriageContext> {
  const stamps = stampFiles(paths)!;
  const options = { clusterName: 'lab' };
  const snapshots = await loadSnapshots(paths, () => undefined, options);
  snapshots[0].execSessions.push({ namespace: 'shop', pod: 'web-0', user: 'alice', start: '2026-01-01T00:00:00Z' } as never);
  return { snapshots, single: true, extraComponents: [], files: { paths, options, count: snapshots.length, stamps } };
}

describe('triage thread context', () => {
  it('sends file snapshots without their objects, and the thread reads them back equal (audit attachments from the main thread)', async () => {
    const paths = [join(FIXTURES, 'own-snapshot.json'), join(FIXTURES, 'own-snapshot-staging.json.gz')];
    const context = await contextFor(paths);
    const withFiles = encodeContext(context);
    const whole = encodeContext({ ...context, files: undefined });
    const sent = deserialize(new Uint8Array(withFiles)) as TriageContext;
    expect(sent.snapshots.map((s) => Object.values(s.objects).flat().length)).toEqual([0, 0]);
    expect(sent.snapshots[0].execSessions).toEqual(context.snapshots[0].execSessions);
    const decoded = await decodeContext(withFiles);
    expect(decoded.snapshots).toEqual(context.snapshots);
    expect(decoded.snapshots[0].objects.pods.length).toBeGreaterThan(0);
    expect(decoded.snapshots[0].execSessions).toContainEqual(expect.objectContaining({ user: 'alice' }));
    expect((await decodeContext(whole)).snapshots).toEqual(decoded.snapshots);
  });

  it('refuses a snapshot file that changed after the main thread read it, naming it', async () => {
    const path = join(dir, 'snapshot.json');
    await copyFile(join(FIXTURES, 'own-snapshot.json'), path);
    const shared = encodeContext(await contextFor([path]));
    const later = new Date(Date.now() + 5_000);
    await utimes(path, later, later);
    await expect(decodeContext(shared)).rejects.toThrow(ContextFilesError);
    await expect(decodeContext(shared)).rejects.toThrow(`the snapshot ${path} changed while kdr-triage was running`);
  });

  it('refuses a snapshot file replaced or removed', async () => {
    const path = join(dir, 'replaced.json');
    await copyFile(join(FIXTURES, 'own-snapshot.json'), path);
    const stamps = stampFiles([path])!;
    expect(changedFile(stamps)).toBeUndefined();
    await writeFile(path, '{"kind":"List","items":[]}');
    expect(changedFile(stamps)).toBe(path);
    await rm(path);
    expect(changedFile(stamps)).toBe(path);
  });

  it('stamps only regular files: a directory or a missing path leaves the snapshots to be sent whole', () => {
    expect(stampFiles([join(FIXTURES, 'dir')])).toBeUndefined();
    expect(stampFiles([join(FIXTURES, 'nope.json')])).toBeUndefined();
    expect(stampFiles([join(FIXTURES, 'own-snapshot.json')])).toEqual([expect.objectContaining({ path: join(FIXTURES, 'own-snapshot.json') })]);
  });
});
