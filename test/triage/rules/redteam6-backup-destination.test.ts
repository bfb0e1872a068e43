/**
 * Red-team 6: database-backup-upload's Velero story took any S3, GCS or Azure bucket as "the backup store", and the
 * snapshot holds no BackupStorageLocation to compare the destination with. An attacker with the Velero token (often
 * cluster-admin) patches the BackupStorageLocation to their bucket, creates a Backup, and the node-agent, doing its job,
 * ships every pod volume out: the upload was excused. Fixed: a change to the store (audit: a BackupStorageLocation
 * created, updated or patched — not its status) in the day before the upload keeps the upload unexplained, and a bucket
 * of another cloud than the one the node runs in is no store of the cluster. The audit reader now keeps such changes
 * even when a service account makes them from a private address.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mayMatter } from '../../../src/cluster/audit-prefilter.js';
import { readAuditLogs } from '../../../src/cluster/audit.js';
import { buildIndex } from '../../../src/cluster/index.js';
import type { AuditActivity } from '../../../src/cluster/model.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, node, pod, snapshot } from '../../support/cluster.js';

const W = 'ip-10-60-0-24.eu-west-1.compute.internal';
const nodeAgent = pod('node-agent-tsc6q', {
  namespace: 'velero',
  node: W,
  ip: '10.245.7.31',
  owner: { kind: 'DaemonSet', name: 'node-agent' },
  labels: { name: 'node-agent' },
  containers: [{ name: 'node-agent', image: 'velero/velero:v1.15.2', command: ['/velero'], args: ['node-agent', 'server'], securityContext: { privileged: true } }],
});
const VELERO_SA = 'system:serviceaccount:velero:velero-server';
const backup: AuditActivity = { time: '2027-03-11T09:00:00.102Z', user: VELERO_SA, groups: ['system:serviceaccounts'], verb: 'create', resource: 'backups', apiGroup: 'velero.io', namespace: 'velero', name: 'grab-all', sourceIps: ['10.245.5.30'], code: 200 };
const bslChange = (time: string, extra: Partial<AuditActivity> = {}): AuditActivity => ({
  time,
  user: VELERO_SA,
  groups: ['system:serviceaccounts'],
  verb: 'patch',
  resource: 'backupstoragelocations',
  apiGroup: 'velero.io',
  namespace: 'velero',
  name: 'default',
  sourceIps: ['10.245.3.17'],
  code: 200,
  ...extra,
});

function upload(activities: AuditActivity[], domain: string) {
  const s = snapshot([node(W, '10.60.0.24'), nodeAgent]);
  s.auditActivities = activities;
  return triageAlert(
    alert({ time: '2027-03-11T09:02:10.000Z', title: 'Large outbound transfer from pod network', network: { srcIp: '10.245.7.31', srcPort: 38812, dstIp: '52.218.1.10', dstPort: 443, domain, protocol: 'TCP' } }),
    { index: buildIndex([s]) },
  ).verdict;
}

describe('redteam6 Velero upload to a store the cluster does not name', () => {
  it('still explained: the node-agent uploading to S3 after the Backup was created (the node runs in AWS)', () => {
    expect(upload([backup], 'prod-backups.s3.eu-west-1.amazonaws.com')).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it("still explained: velero-server's own status patches of the BackupStorageLocation, and a store set up days before", () => {
    expect(upload([bslChange('2027-03-11T08:59:00.000Z', { subresource: 'status' }), backup], 'prod-backups.s3.eu-west-1.amazonaws.com').label).toBe('likely-false-positive');
    expect(upload([bslChange('2027-03-08T09:00:00.000Z', { verb: 'create' }), backup], 'prod-backups.s3.eu-west-1.amazonaws.com').label).toBe('likely-false-positive');
  });
  it('trap: the BackupStorageLocation patched (stolen Velero token) minutes before the Backup', () => {
    const v = upload([bslChange('2027-03-11T08:58:41.000Z'), backup], 'exfil-7731.s3.eu-west-1.amazonaws.com');
    expect(v.label).toBe('genuine');
    expect(v.reasons.map((r) => r.message).join(' ')).toContain('backupstoragelocations default');
  });
  it('trap: a new BackupStorageLocation created by a person before the Backup', () => {
    expect(upload([bslChange('2027-03-11T07:30:00.000Z', { verb: 'create', name: 'offsite', user: 'mallory@example.com', groups: ['system:authenticated'] }), backup], 'offsite.s3.eu-west-1.amazonaws.com').label).toBe('genuine');
  });
  it('trap: an AWS node uploading to Azure Blob or Google Cloud Storage', () => {
    expect(upload([backup], 'attackerdrop.blob.core.windows.net').label).toBe('genuine');
    expect(upload([backup], 'attacker-drop.storage.googleapis.com').label).toBe('genuine');
  });
});

describe('redteam6 the audit reader keeps changes to where backups go', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'kdr-rt6-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const event = (auditID: string, uri: string, subresource?: string) => ({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID,
    stage: 'ResponseComplete',
    requestURI: uri,
    verb: 'patch',
    user: { username: VELERO_SA, groups: ['system:serviceaccounts', 'system:serviceaccounts:velero'] },
    sourceIPs: ['10.245.3.17'],
    objectRef: { resource: 'backupstoragelocations', namespace: 'velero', name: 'default', apiGroup: 'velero.io', apiVersion: 'v1', ...(subresource ? { subresource } : {}) },
    responseStatus: { code: 200 },
    requestReceivedTimestamp: '2027-03-11T08:58:41.000000Z',
    stageTimestamp: '2027-03-11T08:58:41.020000Z',
  });
  it('a service account patching a BackupStorageLocation from a private address, not its status', async () => {
    const spec = JSON.stringify(event('p-1', '/apis/velero.io/v1/namespaces/velero/backupstoragelocations/default'));
    const status = JSON.stringify(event('p-2', '/apis/velero.io/v1/namespaces/velero/backupstoragelocations/default/status', 'status'));
    expect(mayMatter(spec)).toBe(true);
    const file = join(tmp, 'audit.log');
    writeFileSync(file, `${spec}\n${status}\n`);
    const r = await readAuditLogs([file], () => undefined);
    expect(r.auditActivities.filter((a) => a.resource === 'backupstoragelocations').map((a) => [a.verb, a.name, a.subresource])).toEqual([['patch', 'default', undefined]]);
  });
});
