/**
 * AKS audit logs as the platform team gets them out of Azure (aks-azurecni-calico scenario): diagnostic-setting batches
 * on Event Hub or storage (`{"records":[…]}`, one batch per line), Log Analytics rows of the resource-specific AKSAudit
 * table and of the legacy AzureDiagnostics table. Each must give the same exec session as the native event.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAuditLogs } from '../../src/cluster/audit.js';
import { mayMatter } from '../../src/cluster/audit-prefilter.js';

const tmp = mkdtempSync(join(tmpdir(), 'kdr-aks-audit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const RID = '/subscriptions/7d3c2a91-5b0e-4f6d-9a81-2c4e6b7f0d13/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-ledger-prod';
const URI = '/api/v1/namespaces/ledger/pods/statements-api-gbtvz89nmc-blkmh/exec?command=sh&container=statements-api&stderr=true&stdin=true&stdout=true&tty=true';
const exec = (stage: string, stageTime: string) => ({
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Metadata',
  auditID: '5c1f0e22-7d0b-4a55-9e1c-2a7f4d3b9e61',
  stage,
  requestURI: URI,
  verb: 'get',
  user: { username: 'nadia.okafor@ledgerco.example', groups: ['a7c3e9d1-5f2b-4a80-b6e4-1c9d3f7a2e55', 'system:authenticated'] },
  sourceIPs: ['192.0.2.44'],
  userAgent: 'kubectl/v1.30.6 (linux/amd64) kubernetes/00f20d4',
  objectRef: { resource: 'pods', namespace: 'ledger', name: 'statements-api-gbtvz89nmc-blkmh', apiVersion: 'v1', subresource: 'exec' },
  responseStatus: { metadata: {}, code: 101 },
  requestReceivedTimestamp: '2026-12-03T10:40:02.000000Z',
  stageTimestamp: stageTime,
  annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
});
// Control-plane chatter first: a line's first event must not decide for the whole batch.
const lease = {
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Metadata',
  auditID: 'b0206991-634f-4246-8f8a-4c0e0690d27a',
  stage: 'ResponseComplete',
  requestURI: '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler?timeout=5s',
  verb: 'update',
  user: { username: 'system:kube-scheduler', groups: ['system:authenticated'] },
  sourceIPs: ['172.31.22.7'],
  objectRef: { resource: 'leases', namespace: 'kube-system', name: 'kube-scheduler', apiGroup: 'coordination.k8s.io', apiVersion: 'v1' },
  responseStatus: { metadata: {}, code: 200 },
  requestReceivedTimestamp: '2026-12-03T10:40:01.000000Z',
  stageTimestamp: '2026-12-03T10:40:01.011204Z',
};
const events = [lease, exec('ResponseStarted', '2026-12-03T10:40:02.029114Z'), exec('ResponseComplete', '2026-12-03T10:52:30.188305Z')];

async function sessionsOf(name: string, text: string) {
  const path = join(tmp, name);
  writeFileSync(path, text);
  const warnings: string[] = [];
  const r = await readAuditLogs([path], (m) => warnings.push(m));
  return r.execSessions.map((s) => ({ user: s.user, pod: s.pod, start: s.start, end: s.end, command: s.command }));
}
const expected = [{ user: 'nadia.okafor@ledgerco.example', pod: 'statements-api-gbtvz89nmc-blkmh', start: '2026-12-03T10:40:02.000Z', end: '2026-12-03T10:52:30.188Z', command: ['sh'] }];

describe('AKS audit logs out of Azure', () => {
  it('reads the native events (the reference)', async () => {
    expect(await sessionsOf('native.jsonl', events.map((e) => JSON.stringify(e)).join('\n') + '\n')).toMatchObject(expected);
  });

  it('reads diagnostic-setting batches, one {"records":[…]} per line, whatever the first record is', async () => {
    const batch = { records: events.map((e) => ({ time: e.stageTimestamp, resourceId: RID.toUpperCase(), category: 'kube-audit', operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read', properties: { log: JSON.stringify(e), stream: 'stdout', pod: 'kube-apiserver-6d8c9b7f5-x2k4q' } })) };
    expect(await sessionsOf('eventhub.json', JSON.stringify(batch) + '\n')).toMatchObject(expected);
  });

  it('reads AKSAudit rows, with dynamic columns as objects or as JSON text', async () => {
    const row = (e: (typeof events)[number], text: boolean) => {
      const dyn = (v: unknown) => (text ? JSON.stringify(v) : v);
      return {
        TimeGenerated: e.stageTimestamp,
        Level: e.level,
        AuditId: e.auditID,
        Stage: e.stage,
        RequestUri: e.requestURI,
        Verb: e.verb,
        User: dyn(e.user),
        SourceIps: dyn(e.sourceIPs),
        UserAgent: 'userAgent' in e ? e.userAgent : undefined,
        ObjectRef: dyn(e.objectRef),
        ResponseStatus: dyn(e.responseStatus),
        RequestReceivedTime: e.requestReceivedTimestamp,
        StageReceivedTime: e.stageTimestamp,
        _ResourceId: RID.toLowerCase(),
        Type: 'AKSAudit',
      };
    };
    expect(await sessionsOf('aksaudit.json', JSON.stringify(events.map((e) => row(e, false))))).toMatchObject(expected);
    expect(await sessionsOf('aksaudit-text.json', JSON.stringify(events.map((e) => row(e, true))))).toMatchObject(expected);
  });

  it('reads AzureDiagnostics rows (log_s)', async () => {
    const rows = events.map((e) => ({ TimeGenerated: e.stageTimestamp, Category: 'kube-audit', log_s: JSON.stringify(e), ResourceId: RID.toUpperCase(), Type: 'AzureDiagnostics' }));
    expect(await sessionsOf('azurediagnostics.json', JSON.stringify(rows))).toMatchObject(expected);
  });

  it('parses a line that holds several events, and still skips a lone system event', () => {
    expect(mayMatter(JSON.stringify({ records: events.map((e) => ({ properties: { log: JSON.stringify(e) } })) }))).toBe(true);
    expect(mayMatter(JSON.stringify(lease))).toBe(false);
  });
});
