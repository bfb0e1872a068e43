import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { buildIndex } from '../../../src/cluster/index.js';
import type { AuditActivity, ExecSession, KubeObject } from '../../../src/cluster/model.js';
import { alert, containerIdOf, node, pod, snapshot } from '../../support/cluster.js';

// A token bound to a CI build pod that was deleted after its job: the audit log shows the pod alive at the time of the
// exec, and the exec came from the pod network, so the address was most likely the pod's own — not "a replayed token
// from neither a node nor a pod". The verdict stays genuine (a service account is no engineer); the explanation is right.
const W = 'plant-wk-3';
const recipe = pod('recipe-svc-r9tz-r97th', { namespace: 'mes', node: W, ip: '10.16.0.70', containers: [{ name: 'recipe-svc', image: 'registry.example/recipe-svc:2.2.0', command: ['/app/bin/recipe-svc'] }] });
const BUILD = 'runner-t3xq8kzp-project-42-concurrent-0-7lq2m9xd';
const lifecycle = (verb: 'create' | 'delete', time: string): AuditActivity => ({
  time,
  user: 'system:serviceaccount:gitlab-runner:gitlab-runner',
  groups: ['system:serviceaccounts'],
  verb,
  resource: 'pods',
  namespace: 'gitlab-runner',
  name: BUILD,
  sourceIps: ['10.16.0.66'],
  code: verb === 'create' ? 201 : 200,
});
const exec = (ip: string): ExecSession => ({
  kind: 'exec',
  user: 'system:serviceaccount:gitlab-runner:gitlab-runner',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:gitlab-runner', 'system:authenticated'],
  sourceIps: [ip],
  namespace: 'mes',
  pod: recipe.metadata.name,
  container: 'recipe-svc',
  command: ['sh', '-c', '/app/bin/migrate --dir /app/migrations up'],
  tty: false,
  start: '2027-03-16T09:20:05.000Z',
  end: '2027-03-16T09:20:31.000Z',
  code: 101,
  tokenBoundPod: BUILD,
});
const indexWith = (sessions: ExecSession[], activities: AuditActivity[], objects: KubeObject[] = [node(W, '172.22.10.23'), recipe]) => {
  const s = snapshot(objects, sessions);
  s.auditActivities = activities;
  return buildIndex([s]);
};
const migrate = alert({ host: W, time: '2027-03-16T09:20:06Z', title: 'Run shell untrusted', process: { name: 'sh', commandLine: 'sh -c /app/bin/migrate --dir /app/migrations up' }, container: { id: containerIdOf(recipe) } });
const reasons = (r: ReturnType<typeof triageAlert>) => r.verdict.reasons.map((x) => x.message).join(' ');
const alive = [lifecycle('create', '2027-03-16T09:19:48.000Z'), lifecycle('delete', '2027-03-16T09:20:52.000Z')];

describe('admin-activity: a token bound to a pod deleted since', () => {
  it('says the address was in the pod network and the bound pod alive then, by the audit log', () => {
    const r = triageAlert(migrate, { index: indexWith([exec('10.16.1.41')], alive) });
    expect(r.verdict.label).toBe('genuine');
    expect(reasons(r)).toContain('in the pod network');
    expect(reasons(r)).not.toContain('neither a node nor a pod');
  });
  it('trap: the same token from outside the pod network is a replayed token', () => {
    expect(reasons(triageAlert(migrate, { index: indexWith([exec('172.22.30.77')], alive) }))).toContain('neither a node nor a pod');
  });
  it('trap: the bound pod had been deleted before the exec', () => {
    const early = [lifecycle('create', '2027-03-16T08:00:00.000Z'), lifecycle('delete', '2027-03-16T08:05:00.000Z')];
    expect(reasons(triageAlert(migrate, { index: indexWith([exec('10.16.1.41')], early) }))).toContain('neither a node nor a pod');
  });
  it('trap: pods and nodes share the address range (VPC CNI): no pod network to tell apart', () => {
    const vpc = [node(W, '10.16.9.23'), recipe];
    expect(reasons(triageAlert(migrate, { index: indexWith([exec('10.16.1.41')], alive, vpc) }))).toContain('neither a node nor a pod');
  });
});
