/**
 * `-o FILE` never overwrites what the run reads, however the path is spelled, and a file that cannot be created is
 * a clean usage error (exit 2), not a crash.
 */
import { linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSnapshot } from '../../src/cluster/snapshot-file.js';
import { BUILT, runCli } from '../exit-codes/run-cli.js';
import { fuzzSnapshot } from '../fuzz/cluster.js';
import { scratch } from '../fuzz/support.js';

const ALERT = JSON.stringify({ rule: 'Terminal shell in container', priority: 'Warning', output: 'shell', time: '2026-01-01T12:00:00Z', hostname: 'ip-10-0-1-10.eu-west-1.compute.internal', output_fields: { 'proc.cmdline': 'bash' } });
const AUDIT = JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: 'a1', stage: 'ResponseComplete', requestURI: '/api/v1/namespaces/ops/pods/debug/exec?command=bash', verb: 'create', user: { username: 'alice' }, sourceIPs: ['10.0.0.1'], objectRef: { resource: 'pods', namespace: 'ops', name: 'debug', subresource: 'exec' }, responseStatus: { code: 101 }, requestReceivedTimestamp: '2026-01-01T11:55:00Z', stageTimestamp: '2026-01-01T12:00:00Z' });

let dir: string;
let remove: () => void;
const files: Record<string, string> = {};

beforeAll(async () => {
  ({ dir, remove } = scratch('output'));
  mkdirSync(join(dir, 'alerts'));
  mkdirSync(join(dir, 'context'));
  files.alerts = join(dir, 'alerts', 'falco.ndjson');
  writeFileSync(files.alerts, `${ALERT}\n`);
  files.snapshot = join(dir, 'cluster.json');
  await writeSnapshot(fuzzSnapshot(), files.snapshot);
  await writeSnapshot(fuzzSnapshot(), join(dir, 'context', 'cluster.json'));
  files.audit = join(dir, 'audit.jsonl');
  writeFileSync(files.audit, `${AUDIT}\n`);
  files.policy = join(dir, 'policy.yaml');
  writeFileSync(files.policy, 'trusted:\n  users: [alice@example.com]\n');
  files.link = join(dir, 'link.ndjson');
  symlinkSync(files.alerts, files.link);
  files.hard = join(dir, 'hard.ndjson');
  linkSync(files.alerts, files.hard);
});
afterAll(() => remove());

function snapshotOf(): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, readFileSync(v, 'utf8')]));
}

describe.skipIf(!BUILT)('-o never overwrites an input', () => {
  const cases: [string, () => string[]][] = [
    ['the alert file itself', () => [files.alerts, '-o', files.alerts]],
    ['the alert file spelled differently', () => [files.alerts, '-o', join(dir, 'alerts', '..', 'alerts', '.', 'falco.ndjson')]],
    ['an alert file found in an input directory', () => [join(dir, 'alerts'), '-o', files.alerts]],
    ['a symbolic link to the alert file', () => [files.alerts, '-o', files.link]],
    ['the alert file through a symbolic link given as input', () => [files.link, '-o', files.alerts]],
    ['a hard link to the alert file', () => [files.alerts, '-o', files.hard]],
    ['the snapshot', () => [files.alerts, '--snapshot', files.snapshot, '-o', files.snapshot]],
    ['a file inside a snapshot directory', () => [files.alerts, '--snapshot', join(dir, 'context'), '-o', join(dir, 'context', 'report.json')]],
    ['the audit log', () => [files.alerts, '--snapshot', files.snapshot, '--audit-log', files.audit, '-o', files.audit]],
    ['the policy file', () => [files.alerts, '--policy', files.policy, '-o', files.policy]],
    ['the baseline', () => [files.alerts, '--baseline', files.alerts, '-o', files.alerts]],
  ];
  for (const [name, args] of cases) {
    it(`refuses ${name} (exit 2, nothing written)`, async () => {
      const before = snapshotOf();
      const result = await runCli([...args(), '--format', 'json']);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/^kdr-triage: -o .* (would overwrite the input|is inside) /m);
      expect(snapshotOf()).toEqual(before);
      expect(existsSync(join(dir, 'context', 'report.json'))).toBe(false);
    });
  }

  it('writes a new file beside the inputs', async () => {
    const out = join(dir, 'report.json');
    const result = await runCli([files.alerts, '--snapshot', files.snapshot, '-o', out, '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.triaged).toBe(1);
  });

  it('a report path that cannot be created is exit 2 with the path and the reason (was: an uncaught ENOENT, exit 1)', async () => {
    const out = join(dir, 'no', 'such', 'dir', 'report.json');
    const result = await runCli([files.alerts, '-o', out, '--format', 'json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`kdr-triage: cannot write ${out}: ENOENT`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a directory as the report path is exit 2', async () => {
    const result = await runCli([files.alerts, '-o', join(dir, 'alerts'), '--format', 'json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is a directory');
  });
});
