/**
 * Terminal control from alert data (and from snapshot, policy and file names, all of which travel between teams)
 * never reaches the analyst's terminal: not in the table, not in --explain, not in the summary, not in warnings or
 * errors on stderr. Colour, when on, is the only escape sequence written, and only SGR.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripControl } from '../../src/report/escape.js';
import { BUILT, runCli } from '../exit-codes/run-cli.js';
import { NODE_A } from '../fuzz/cluster.js';
import { controlIn } from '../fuzz/reports.js';
import { scratch } from '../fuzz/support.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/hostile/', import.meta.url));
const E = '\x1b';
/** Every way of steering a terminal the fixture uses. */
const HOSTILE = `${E}[2J${E}]8;;https://evil.example/${E}\\x${E}]0;t\x07\x9b31m\u202e\u2066\x85`;
const SGR = /\x1b\[[0-9;]*m/g;

let dir: string;
let remove: () => void;
let alerts: string;
let snapshot: string;
let policy: string;

beforeAll(() => {
  ({ dir, remove } = scratch('terminal'));
  // The file name itself is hostile: it is printed in warnings and in the summary.
  mkdirSync(join(dir, `in${E}[31m`));
  alerts = join(dir, `in${E}[31m`, `alerts${E}]0;title\x07\u202e.ndjson`);
  copyFileSync(`${FIXTURES}terminal.ndjson`, alerts);
  snapshot = join(dir, 'cluster.json');
  const pod = (name: string) => ({
    kind: 'Pod',
    metadata: { name, namespace: `ns${HOSTILE}`, uid: `uid-${name}`, creationTimestamp: '2026-01-01T00:00:00Z', ownerReferences: [{ kind: 'DaemonSet', name: `ds${HOSTILE}`, controller: true }] },
    spec: { nodeName: NODE_A, hostNetwork: true, containers: [{ name: `c${HOSTILE}`, image: `img${HOSTILE}`, command: ['bash', HOSTILE] }] },
    status: { phase: 'Running', containerStatuses: [{ name: `c${HOSTILE}`, containerID: 'containerd://' + 'ab'.repeat(32), restartCount: 9, lastState: { terminated: { exitCode: 137, reason: `Error${HOSTILE}` } } }] },
  });
  writeFileSync(
    snapshot,
    JSON.stringify({
      kind: 'KdrTriageSnapshot',
      version: 1,
      capturedAt: '2026-01-01T13:00:00Z',
      cluster: `prod${HOSTILE}`,
      context: `ctx${HOSTILE}`,
      objects: {
        nodes: [{ kind: 'Node', metadata: { name: NODE_A, labels: { l: HOSTILE } }, status: { addresses: [{ type: 'InternalIP', address: '10.0.1.10' }] } }],
        pods: [pod(`calico-node${HOSTILE}`)],
        events: [{ kind: 'Event', metadata: { name: 'e1', namespace: `ns${HOSTILE}` }, involvedObject: { kind: 'Pod', name: `calico-node${HOSTILE}`, namespace: `ns${HOSTILE}` }, reason: `BackOff${HOSTILE}`, message: `Back-off ${HOSTILE}`, lastTimestamp: '2026-01-01T12:00:00Z' }],
        widgets: [{ kind: `Widget${HOSTILE}` }],
      },
      execSessions: [{ kind: 'exec', user: `mallory${HOSTILE}`, groups: [], sourceIps: [], namespace: `ns${HOSTILE}`, pod: `calico-node${HOSTILE}`, container: `c${HOSTILE}`, command: ['sh', HOSTILE], start: '2026-01-01T11:59:00Z', end: '2026-01-01T12:05:00Z' }],
      gaps: [{ resource: 'events', reason: `forbidden ${HOSTILE}` }],
    }),
  );
  policy = join(dir, 'policy.yaml');
  writeFileSync(policy, `exceptions:\n  - reason: "expired \\e[31m \\u202e \\x9b"\n    expires: 2020-01-01\n    match: { namespace: shop, process: tar }\n`);
});
afterAll(() => remove());

function expectClean(text: string, what: string): void {
  expect(controlIn(text.replace(/\t/g, ' ')), what).toBeUndefined();
}

describe('stripControl', () => {
  it('removes CSI, OSC 8 links, C1 controls and bidi overrides; keeps the visible text', () => {
    const s = stripControl(`a${E}[31mred${E}[0m ${E}]8;;https://evil.example/${E}\\link${E}]8;;${E}\\ \x9b2J\u202eevil\u202c\x85z`);
    expect(controlIn(s)).toBeUndefined();
    expect(s).toContain('red');
    expect(s).toContain('link');
    expect(s).toContain('evil');
  });
});

describe.skipIf(!BUILT)('no terminal control from data reaches the terminal', () => {
  const base = () => [alerts, '--snapshot', snapshot, '--policy', policy, '--format', 'table'];

  it('the fixture reaches the hostile cluster objects (so their names are in the output under test)', async () => {
    const r = await runCli([alerts, '--snapshot', snapshot, '--format', 'json']);
    const verdicts = (JSON.parse(r.stdout) as { verdicts: { id: string; kubernetes: { pod: string | null } }[] }).verdicts;
    expect(verdicts.find((v) => v.id === 'term-matched')?.kubernetes.pod).toContain('calico-node');
  });

  it('table, summary and warnings', async () => {
    const r = await runCli(base());
    expect(r.code, r.stderr).toBe(0);
    expectClean(r.stdout, 'stdout');
    expectClean(r.stderr, 'stderr');
    // The data is still shown, only defused.
    expect(r.stdout).toContain('Terminal shell');
    expect(r.stderr).toMatch(/record \d+ skipped/);
    expect(r.stderr).toContain('expired');
  });

  it('--explain with colours forced: only SGR colour sequences, nothing else', async () => {
    const r = await runCli([...base(), '--explain'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(SGR);
    expectClean(r.stdout.replace(SGR, ''), 'stdout without SGR');
    expectClean(r.stderr, 'stderr');
    expect(r.stdout).toContain('bash -c');
  });

  it('markdown (read in terminals and CI logs) is clean too', async () => {
    const r = await runCli([alerts, '--snapshot', snapshot, '--format', 'markdown']);
    expect(r.code, r.stderr).toBe(0);
    expectClean(r.stdout, 'markdown');
  });

  it('errors quoting hostile file content are clean (policy parse error, unknown format)', async () => {
    const badPolicy = join(dir, `bad${E}[31m.yaml`);
    writeFileSync(badPolicy, `${E}]0;title\x07: [unclosed\n`);
    const r1 = await runCli([alerts, '--policy', badPolicy]);
    expect(r1.code).toBe(2);
    expectClean(r1.stderr, 'policy error');
    const unknown = join(dir, `x${E}[2J.txt`);
    writeFileSync(unknown, `${E}[2J just text ${E}]8;;http://e/\x07\n`);
    const r2 = await runCli([unknown]);
    expect(r2.code).toBe(2);
    expectClean(r2.stderr, 'unknown format');
  });
});
