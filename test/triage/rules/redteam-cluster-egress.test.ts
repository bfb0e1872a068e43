/**
 * Red-team trap for the cluster-egress excuse (admin-activity: a workload's own kubectl exec/cp behind the cluster's NAT
 * to a public API endpoint). A thief who stole the tokens of two agent pods on different nodes and of a backup Job
 * replays them all from their own address: the two agents' tokens make that address look like the cluster's way out,
 * and the Job's own `kubectl cp` of the Redis dump, replayed while the Job's pod runs, should stay genuine. The
 * cluster's own outbound address also carries its kubelets' requests, which no token thief has — but the audit reader
 * keeps a kubelet's Secret and ConfigMap reads, so the rule asks for a kubelet request from the address too.
 */
import { describe, expect, it } from 'vitest';
import type { AuditActivity, ExecSession } from '../../../src/cluster/model.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, node, owner, pod, snapshot } from '../../support/cluster.js';

const A = 'aks-pool-a-vmss000000';
const B = 'aks-pool-b-vmss000000';
const EGRESS = '192.0.2.40';
const THIEF = '203.0.113.66';
const cache = pod('cache-0', { namespace: 'shop', node: A, ip: '10.244.0.6', containers: [{ name: 'redis', image: 'redis:7', command: ['redis-server'] }] });
const script = 'kubectl cp -c redis shop/cache-0:/data/dump.rdb /backup/dump.rdb';
const backupCronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cache-backup', namespace: 'batch', uid: 'cj-1' }, spec: { schedule: '30 */4 * * *' } };
const backupJob = owner('Job', 'cache-backup-29919390', 'batch', { kind: 'CronJob', name: 'cache-backup' });
const backup = pod('cache-backup-29919390-fz9wq', {
  namespace: 'batch',
  node: B,
  ip: '10.244.1.5',
  owner: { kind: 'Job', name: 'cache-backup-29919390' },
  created: '2026-11-20T08:30:00Z',
  containers: [{ name: 'backup', image: 'bitnami/kubectl:1.30', command: ['/bin/sh', '-c'], args: [script] }],
});
backup.spec.serviceAccountName = 'cache-backup';
const agentA = pod('agent-a1b2c', { namespace: 'kube-system', node: A, ip: '10.224.0.4', containers: [{ name: 'agent', image: 'agent:1' }] });
const agentB = pod('agent-d3e4f', { namespace: 'kube-system', node: B, ip: '10.224.0.5', containers: [{ name: 'agent', image: 'agent:1' }] });
const agentActivity = (p: typeof agentA, ip: string): AuditActivity => ({
  time: p === agentA ? '2026-11-20T08:00:00Z' : '2026-11-20T08:01:00Z',
  user: 'system:serviceaccount:kube-system:agent',
  groups: ['system:serviceaccounts', 'system:authenticated'],
  verb: 'list',
  resource: 'pods',
  sourceIps: [ip],
  tokenBoundPod: p.metadata.name,
  code: 200,
});
const kubeletActivity = (n: string, ip: string): AuditActivity => ({
  time: '2026-11-20T08:02:00Z',
  user: `system:node:${n}`,
  groups: ['system:nodes', 'system:authenticated'],
  verb: 'get',
  resource: 'nodes',
  name: n,
  sourceIps: [ip],
  code: 200,
});
const cp = (ip: string): ExecSession => ({
  kind: 'exec',
  user: 'system:serviceaccount:batch:cache-backup',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:batch', 'system:authenticated'],
  sourceIps: [ip],
  tokenBoundPod: backup.metadata.name,
  namespace: 'shop',
  pod: 'cache-0',
  container: 'redis',
  command: ['tar', 'cf', '-', '/data/dump.rdb'],
  tty: false,
  start: '2026-11-20T08:30:16.000Z',
  end: '2026-11-20T08:30:17.000Z',
  code: 101,
} as ExecSession);
const judge = (session: ExecSession, activities: AuditActivity[]) => {
  const snap = snapshot([node(A, '10.224.0.4'), node(B, '10.224.0.5'), cache, backupCronJob, backupJob, backup, agentA, agentB], [session]);
  snap.auditActivities = activities;
  const a = alert({ host: A, time: '2026-11-20T08:30:16.500Z', container: { id: containerIdOf(cache) }, process: { name: 'tar', commandLine: 'tar cf - /data/dump.rdb' }, ancestors: [{ name: 'containerd-shim-runc-v2' }] });
  return triageAlert(a, { index: buildIndex([snap]) }).verdict;
};

describe('redteam cluster-egress: an address made to look like the cluster NAT by replaying stolen pod tokens', () => {
  it('still explains the Job\'s own kubectl cp from the outbound address that the kubelets use too', () => {
    expect(judge(cp(EGRESS), [agentActivity(agentA, EGRESS), agentActivity(agentB, EGRESS), kubeletActivity(A, EGRESS)]).label).toBe('likely-false-positive');
  });
  it("trap: two stolen agent tokens replayed from the thief's address (no kubelet there), then the Job's kubectl cp from there", () => {
    expect(judge(cp(THIEF), [agentActivity(agentA, THIEF), agentActivity(agentB, THIEF), kubeletActivity(A, EGRESS), kubeletActivity(B, EGRESS)]).label).toBe('genuine');
  });
});
