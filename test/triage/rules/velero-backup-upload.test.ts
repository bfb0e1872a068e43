/**
 * database-backup-upload, Velero: the node-agent uploading pod volumes to self-hosted object storage (a private
 * address) after velero-server created PodVolumeBackups (audit) — and the traps: no PodVolumeBackup in the window, an
 * upload to a public address that is no object store, a DaemonSet pod with the labels but another image, and a
 * database-style upload to a node address.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import type { AuditActivity } from '../../../src/cluster/model.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, node, pod, snapshot } from '../../support/cluster.js';

const W = 'kw-04';
const agent = (name: string, image: string, ip: string) =>
  pod(name, {
    namespace: 'velero',
    node: W,
    ip,
    owner: { kind: 'DaemonSet', name: 'node-agent' },
    labels: { name: 'node-agent' },
    containers: [{ name: 'node-agent', image, command: ['/velero'], args: ['node-agent', 'server'], securityContext: { privileged: true } }],
  });
const nodeAgent = agent('node-agent-tsc6q', 'velero/velero:v1.15.2', '10.245.7.31');
const impostor = agent('node-agent-x9k2w', 'ghcr.io/someone/uploader:1.0', '10.245.7.32');
const podVolumeBackup = (time: string): AuditActivity => ({
  time,
  user: 'system:serviceaccount:velero:velero-server',
  groups: ['system:serviceaccounts'],
  verb: 'create',
  resource: 'podvolumebackups',
  apiGroup: 'velero.io',
  namespace: 'velero',
  sourceIps: ['10.245.5.30'],
  code: 201,
});

function upload(activities: AuditActivity[], srcIp: string, dstIp: string, domain?: string) {
  const s = snapshot([node(W, '10.60.0.24'), node('kw-05', '10.60.0.25'), nodeAgent, impostor]);
  s.auditActivities = activities;
  return triageAlert(
    alert({ time: '2027-03-11T09:02:10.000Z', title: 'LOCAL POLICY Large S3 PUT from pod network', network: { srcIp, srcPort: 38812, dstIp, dstPort: 9000, domain, protocol: 'TCP', httpMethod: 'PUT' } }),
    { index: buildIndex([s]) },
  ).verdict;
}

describe('database-backup-upload: Velero node-agent file-system backups', () => {
  it('explains the node-agent uploading to a private object store after PodVolumeBackups were created', () => {
    const v = upload([podVolumeBackup('2027-03-11T09:00:03.331Z')], '10.245.7.31', '10.80.0.30', 's3.bern.example.ch');
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons.map((r) => r.message).join(' ')).toContain('the Velero node-agent');
  });
  it('trap: no PodVolumeBackup created in the window', () => {
    expect(upload([], '10.245.7.31', '10.80.0.30', 's3.bern.example.ch').label).toBe('genuine');
  });
  it('trap: the node-agent uploading to a public address that is no object store', () => {
    expect(upload([podVolumeBackup('2027-03-11T09:00:03.331Z')], '10.245.7.31', '203.0.113.50', 'files.example.net').label).toBe('genuine');
  });
  it('trap: a DaemonSet pod with the labels but another image, and the agent sending to a node address', () => {
    expect(upload([podVolumeBackup('2027-03-11T09:00:03.331Z')], '10.245.7.32', '10.80.0.30', 's3.bern.example.ch').label).toBe('genuine');
    expect(upload([podVolumeBackup('2027-03-11T09:00:03.331Z')], '10.245.7.31', '10.60.0.25').reasons.some((r) => r.rule === 'database-backup-upload')).toBe(false);
  });
});

describe('database-backup-upload: a Velero Backup created by its schedule', () => {
  it('explains the node-agent upload after the Backup object was created, and not without it', () => {
    const backup: AuditActivity = { ...podVolumeBackup('2027-03-11T09:00:00.102Z'), resource: 'backups', name: 'daily-20270311090000' };
    expect(upload([backup], '10.245.7.31', '10.80.0.30', 's3.bern.example.ch')).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    const cnpgBackup: AuditActivity = { ...backup, apiGroup: 'postgresql.cnpg.io' };
    expect(upload([cnpgBackup], '10.245.7.31', '10.80.0.30', 's3.bern.example.ch').label).toBe('genuine');
  });
});
