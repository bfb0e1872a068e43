/**
 * Same inputs, same bytes: every output format, twice, and under other time zones and locales (the machine's TZ
 * must not shift alert times; the machine's collation must not reorder anything). Input files are read in a fixed
 * order (code-point order of names, directory by directory), whatever order the file system lists them in.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSnapshot } from '../../src/cluster/snapshot-file.js';
import { BUILT, ROOT, runCli, type CliResult } from '../exit-codes/run-cli.js';
import { fuzzSnapshot, KNOWN, NODE_A } from '../fuzz/cluster.js';
import { buildFile, FILE_KINDS, type Texts } from '../fuzz/seeds.js';
import { scratch } from '../fuzz/support.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/hostile/', import.meta.url));

const BASE_ENV = { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' };
const VARIANTS: Record<string, string>[] = [
  { TZ: 'America/Los_Angeles', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' },
  { TZ: 'Asia/Kolkata', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
  { TZ: 'Europe/Copenhagen', LANG: 'da_DK.UTF-8', LC_ALL: 'da_DK.UTF-8' },
];
const FORMATS: [string, string[]][] = [
  ['table', ['--format', 'table', '--no-color']],
  ['table --explain', ['--format', 'table', '--no-color', '--explain']],
  ['json', ['--format', 'json']],
  ['ndjson', ['--format', 'ndjson']],
  ['csv', ['--format', 'csv']],
  ['markdown', ['--format', 'markdown']],
  ['html', ['--format', 'html']],
  ['junit', ['--format', 'junit']],
];

let dir: string;
let remove: () => void;
let exportsDir: string;
let snapshot: string;
/** The order the directory walk must read the alert files in. */
let expectedOrder: string[];

const texts = (i: number): Texts => ({ cmd: KNOWN.commands[i % KNOWN.commands.length], file: `/tmp/f${i}`, title: `Title ${i}`, host: KNOWN.hosts[i % KNOWN.hosts.length], containerId: KNOWN.containerIds[i % KNOWN.containerIds.length], pod: KNOWN.pods[i % KNOWN.pods.length], namespace: KNOWN.namespaces[i % KNOWN.namespaces.length], ip: KNOWN.ips[i % KNOWN.ips.length], process: KNOWN.processes[i % KNOWN.processes.length] });

beforeAll(async () => {
  ({ dir, remove } = scratch('determinism'));
  exportsDir = join(dir, 'exports');
  mkdirSync(join(exportsDir, 'nested', 'deeper'), { recursive: true });
  mkdirSync(join(exportsDir, 'Upper'));
  const files: [string, Buffer | string][] = [];
  FILE_KINDS.forEach((kind, k) => {
    const built = buildFile({ kind: kind.id, records: [0, 1, 2, 3].map((i) => ({ outcome: i === 2 ? 'rejected' : 'alert', pick: i, texts: texts(i + k) })), eol: '\n', encoding: 'utf8', gzip: k % 3 === 0, finalNewline: true });
    files.push([`${String.fromCharCode(0x7a - k)}-${kind.id}${kind.extension}${k % 3 === 0 ? '.gz' : ''}`, built.bytes]);
  });
  // Times without a zone: read as UTC whatever the machine's TZ (was: local time).
  const zoneless = (t: string, n: number) => JSON.stringify({ event_id: `tz-${n}`, timestamp: t, hostname: NODE_A, alert_name: 'Zoneless time', command_line: 'iptables-restore --noflush', process_name: 'iptables-restore' });
  files.push(['tz-times.jsonl', ['Jan 5 2026 10:00:00', 'Mon, 05 Jan 2026 10:00:00', '2026/01/05 10:00:00', 'January 5, 2026 10:00 AM'].map(zoneless).join('\n')]);
  // Names whose order differs between code-point order and some locales' collation.
  files.push(['aa-first.jsonl', zoneless('2026-01-05T10:00:00Z', 90)]);
  files.push(['Zz-upper.jsonl', zoneless('2026-01-05T10:00:01Z', 91)]);
  files.push(['i\u0307-dotted.jsonl', zoneless('2026-01-05T10:00:02Z', 92)]);
  files.push([join('nested', 'deeper', 'x.jsonl'), zoneless('2026-01-05T10:00:03Z', 93)]);
  files.push([join('nested', 'a.jsonl'), zoneless('2026-01-05T10:00:04Z', 94)]);
  files.push([join('Upper', 'b.jsonl'), zoneless('2026-01-05T10:00:05Z', 95)]);
  // Written in reverse, so creation order (which some file systems list in) is not the reading order.
  for (const [name, content] of [...files].reverse()) writeFileSync(join(exportsDir, name), content);
  for (const name of ['terminal.ndjson', 'markup.ndjson', 'formulas.csv']) copyFileSync(`${FIXTURES}${name}`, join(exportsDir, `fixture-${name}`));
  expectedOrder = [
    ...['Zz-upper.jsonl', 'aa-first.jsonl', 'fixture-formulas.csv', 'fixture-markup.ndjson', 'fixture-terminal.ndjson', 'i\u0307-dotted.jsonl', 'tz-times.jsonl', ...files.slice(0, FILE_KINDS.length).map(([n]) => n)].map((n) => join(exportsDir, n)),
  ];
  snapshot = join(dir, 'cluster.json');
  await writeSnapshot(fuzzSnapshot(), snapshot);
});
afterAll(() => remove());

function args(format: string[]): string[] {
  // --explain costs ~40 ms per alert in cli-table3: a smaller input, still hostile and zoneless.
  const inputs = format.includes('--explain') ? [join(exportsDir, 'fixture-terminal.ndjson'), join(exportsDir, 'tz-times.jsonl')] : [exportsDir];
  return [...inputs, '--snapshot', snapshot, ...format];
}

/** Run at most `limit` at a time: the machine is shared. */
async function pool<T>(tasks: (() => Promise<T>)[], limit = 3): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

describe.skipIf(!BUILT)('byte-identical output', () => {
  it('reads the files of a directory tree in code-point order of their names, subdirectories in place', async () => {
    const r = await runCli([exportsDir, '--snapshot', snapshot, '--format', 'json'], { env: BASE_ENV });
    expect(r.code, r.stderr).toBe(0);
    const files = (JSON.parse(r.stdout) as { summary: { files: { file: string }[] } }).summary.files.map((f) => f.file);
    const top = files.filter((f) => !f.includes(`${exportsDir}/nested/`) && !f.includes(`${exportsDir}/Upper/`));
    expect(top.filter((f) => expectedOrder.includes(f))).toEqual([...expectedOrder].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    // Directories are walked where their name sorts: Upper/ before Zz-upper…, nested/ after i̇-dotted….
    expect(files.indexOf(join(exportsDir, 'Upper', 'b.jsonl'))).toBeLessThan(files.indexOf(join(exportsDir, 'Zz-upper.jsonl')));
    expect(files.indexOf(join(exportsDir, 'nested', 'a.jsonl'))).toBeLessThan(files.indexOf(join(exportsDir, 'nested', 'deeper', 'x.jsonl')));
  });

  it('zoneless alert times are read as UTC in every TZ', async () => {
    for (const env of [BASE_ENV, ...VARIANTS]) {
      const r = await runCli([join(exportsDir, 'tz-times.jsonl'), '--format', 'ndjson'], { env });
      const times = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { time: string }).time);
      expect(times, env.TZ).toEqual(['2026-01-05T10:00:00.000Z', '2026-01-05T10:00:00.000Z', '2026-01-05T10:00:00.000Z', '2026-01-05T10:00:00.000Z']);
    }
  });

  for (const [name, format] of FORMATS) {
    it(`${name}: two runs, three time zones and locales`, async () => {
      const runs = await pool<CliResult>([BASE_ENV, BASE_ENV, ...VARIANTS].map((env) => () => runCli(args(format), { env })));
      const [first] = runs;
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdoutBytes.length).toBeGreaterThan(500);
      runs.forEach((r, i) => {
        const env = i < 2 ? BASE_ENV : VARIANTS[i - 2];
        expect(r.code, `${env.TZ} ${env.LC_ALL}`).toBe(0);
        expect(r.stdoutBytes.equals(first.stdoutBytes), `stdout differs under TZ=${env.TZ} LC_ALL=${env.LC_ALL}`).toBe(true);
        expect(r.stderr, `stderr under TZ=${env.TZ} LC_ALL=${env.LC_ALL}`).toBe(first.stderr);
      });
    });
  }
});

describe.skipIf(!BUILT)('collation never decides an order', () => {
  it('exec sessions starting at the same moment are ordered by code point in every locale (was: localeCompare)', async () => {
    const script = `
      const { buildIndex } = await import(${JSON.stringify(`${ROOT}dist/cluster/index.js`)});
      const { emptySnapshot } = await import(${JSON.stringify(`${ROOT}dist/cluster/model.js`)});
      const s = emptySnapshot('c');
      const session = (namespace) => ({ kind: 'exec', user: 'u', groups: [], sourceIps: [], namespace, pod: 'p', command: ['sh'], tty: true, start: '2026-01-01T12:00:00Z', end: '2026-01-01T12:01:00Z' });
      s.execSessions = ['zz', 'aa', 'ab', 'y', 'I', 'i'].map(session);
      console.log(buildIndex([s]).execSessions.map((x) => x.namespace).join(' '));`;
    const outputs = await pool(
      [BASE_ENV, ...VARIANTS, { LC_ALL: 'et_EE.UTF-8', LANG: 'et_EE.UTF-8' }].map((env) => async () => {
        const { spawnSync } = await import('node:child_process');
        return spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' }).stdout.trim();
      }),
    );
    for (const out of outputs) expect(out).toBe('I aa ab i y zz');
  });
});
