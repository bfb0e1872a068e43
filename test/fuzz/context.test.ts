/**
 * The context readers on damaged input: snapshot files (own format, kubectl dumps, YAML) and audit logs that were
 * truncated, re-encoded or tampered with load what they can and warn about the rest; they never throw (a path that
 * does not exist is the only error), and whatever they load builds an index that triage can use.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditLogs } from '../../src/cluster/audit.js';
import { buildIndex } from '../../src/cluster/index.js';
import { loadSnapshots } from '../../src/cluster/load.js';
import { snapshotDocument } from '../../src/cluster/snapshot-file.js';
import { triageAlert } from '../../src/triage/pipeline.js';
import { alert } from '../support/cluster.js';
import { fuzzSnapshot, KNOWN, NODE_A } from './cluster.js';
import { check, hostileString, scratch, Tally, TIMEOUT, wildValue } from './support.js';

const tally = new Tally('context');
let dir: string;
let remove: () => void;
let n = 0;
beforeAll(() => {
  ({ dir, remove } = scratch('context'));
});
afterAll(() => {
  tally.report();
  remove();
});

const SNAPSHOT_TEXT = [...snapshotDocument(fuzzSnapshot())].join('');
const KUBECTL_LIST = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: Object.values(fuzzSnapshot().objects).flat() });

const KUBECTL_YAML = `kind: List\nitems:\n- kind: Node\n  metadata: {name: ${NODE_A}}\n- kind: Pod\n  metadata: {name: p, namespace: ns}\n  spec: {nodeName: ${NODE_A}, containers: [{name: c}]}\n`;

const AUDIT_LINE = (i: number, v: unknown = undefined) =>
  JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Request',
    auditID: `a-${i}`,
    stage: i % 2 ? 'ResponseStarted' : 'ResponseComplete',
    requestURI: `/api/v1/namespaces/ops/pods/debug/exec?command=bash&container=tools&stdin=true&tty=true`,
    verb: 'create',
    user: { username: 'alice@example.com', groups: ['system:authenticated'], extra: v === undefined ? {} : { x: v } },
    sourceIPs: ['203.0.113.9'],
    objectRef: { resource: 'pods', namespace: 'ops', name: 'debug', subresource: 'exec' },
    responseStatus: { code: 101 },
    requestReceivedTimestamp: '2026-01-01T11:55:00.000000Z',
    stageTimestamp: '2026-01-01T12:00:00.000000Z',
  });

/** Cut, flip or splice the text; optionally gzip. */
const damagedText = (text: string) =>
  fc.tuple(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.oneof(fc.constant(''), hostileString(8), fc.constantFrom('{', '}', '[', ']', '"', ',', '\n', '\0'))), { maxLength: 4 }), fc.boolean(), fc.boolean()).map(([edits, cut, gzip]) => {
    let t = text;
    for (const [at, insert] of edits) {
      const i = Math.floor(at * t.length);
      t = t.slice(0, i) + insert + t.slice(i + (insert === '' ? 1 : 0));
    }
    if (cut) t = t.slice(0, Math.floor(t.length * 0.7));
    const bytes = Buffer.from(t);
    return gzip ? gzipSync(bytes) : bytes;
  });

describe('context readers on damaged input', () => {
  it(
    'snapshots (own format, kubectl List, YAML) load or warn, never throw; what loads can be indexed and used',
    async () => {
      const arb = fc.constantFrom(['.json', SNAPSHOT_TEXT], ['.json', KUBECTL_LIST], ['.yaml', KUBECTL_YAML]).chain(([ext, text]) => fc.tuple(fc.constant(ext), damagedText(text)));
      await check(
        fc.asyncProperty(arb, async ([ext, bytes]) => {
          tally.add('snapshots');
          const path = join(dir, `s${++n}${ext}${bytes[0] === 0x1f ? '.gz' : ''}`);
          writeFileSync(path, bytes);
          const warnings: string[] = [];
          const snapshots = await loadSnapshots([path], (m) => warnings.push(m));
          const index = buildIndex(snapshots);
          const r = triageAlert(alert({ host: NODE_A, process: { name: 'bash', commandLine: KNOWN.commands[2] } }), { index });
          expect(['genuine', 'likely-false-positive']).toContain(r.verdict.label);
        }),
        25,
        tally,
      );
    },
    TIMEOUT,
  );

  it(
    'audit logs with damaged lines and odd values read what they can, never throw',
    async () => {
      const text = Array.from({ length: 6 }, (_, i) => AUDIT_LINE(i)).join('\n');
      const arb = fc.tuple(damagedText(text), fc.array(wildValue, { maxLength: 3 }));
      await check(
        fc.asyncProperty(arb, async ([bytes, values]) => {
          tally.add('audit-logs');
          const path = join(dir, `a${++n}.log`);
          const extra = values.map((v, i) => AUDIT_LINE(100 + i, v)).join('\n');
          writeFileSync(path, Buffer.concat([bytes, Buffer.from(`\n${extra}\n`)]));
          const audit = await readAuditLogs([path], () => undefined);
          for (const s of audit.execSessions) {
            expect(typeof s.namespace).toBe('string');
            expect(Array.isArray(s.command)).toBe(true);
          }
        }),
        25,
        tally,
      );
    },
    TIMEOUT,
  );
});
