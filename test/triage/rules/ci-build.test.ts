import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import type { AuditActivity, ExecSession, KubeObject } from '../../../src/cluster/model.js';
import { correlate } from '../../../src/triage/correlate.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { adminActivity } from '../../../src/triage/rules/admin-activity.js';
import { buildWork, ciBuild } from '../../../src/triage/rules/ci-build.js';
import { alert, containerIdOf, node, pod, snapshot } from '../../support/cluster.js';

const N1 = 'ip-10-0-1-10.ec2.internal';
const RUNNER_SA = 'system:serviceaccount:gitlab-runner:gitlab-runner';
const HELPER = 'registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v17.6.0';

const arcRunner = pod('build-dind-abc12-runner-x7k2p', {
  namespace: 'arc-runners',
  node: N1,
  ip: '10.0.1.50',
  owner: { kind: 'EphemeralRunner', name: 'build-dind-abc12-runner-x7k2p' },
  labels: { 'actions.github.com/scale-set-name': 'build-dind' },
  containers: [
    { name: 'runner', image: 'ghcr.io/actions/actions-runner:2.321.0', command: ['/home/runner/run.sh'] },
    { name: 'dind', image: 'docker:27.3.1-dind', args: ['dockerd', '--host=unix:///var/run/docker.sock'], securityContext: { privileged: true } },
  ],
});
// the look-alike: an ordinary application pod doing the same things
const web = pod('web-5c7d-q2w8x', { namespace: 'shop', node: N1, ip: '10.0.1.60', owner: { kind: 'ReplicaSet', name: 'web-5c7d' }, containers: [{ name: 'web', image: 'nginx:1.27', command: ['nginx'] }] });
const manager = pod('gitlab-runner-6d8f9c7b5-jx4tm', { namespace: 'gitlab-runner', node: N1, ip: '10.0.1.7', owner: { kind: 'ReplicaSet', name: 'gitlab-runner-6d8f9c7b5' }, containers: [{ name: 'gitlab-runner', image: 'registry.gitlab.com/gitlab-org/gitlab-runner:alpine-v17.6.0' }] });
manager.spec.serviceAccountName = 'gitlab-runner';
const OBJECTS: KubeObject[] = [node(N1, '10.0.1.10'), arcRunner, web, manager];

const T = (hms: string) => `2026-12-03T${hms}.000Z`;

/** A GitLab job pod created by the runner's service account (Request-level audit), gone from the snapshot. */
function jobCreation(name: string, created: string, images: string[] = ['golang:1.23', HELPER], owner = 'none'): AuditActivity {
  return {
    time: created,
    user: RUNNER_SA,
    groups: ['system:serviceaccounts'],
    verb: 'create',
    resource: 'pods',
    namespace: 'gitlab-ci',
    name,
    sourceIps: ['10.0.1.7'],
    code: 201,
    podSpec: { images, commands: [['sh', '-c', 'if [ -x /usr/local/bin/bash ]; then exec /usr/local/bin/bash; fi']], owner, generateName: name.replace(/[a-z0-9]+$/, '') },
  };
}
const deletion = (name: string, at: string): AuditActivity => ({ time: at, user: RUNNER_SA, groups: [], verb: 'delete', resource: 'pods', namespace: 'gitlab-ci', name, sourceIps: ['10.0.1.7'], code: 200 });

function indexWith(activities: AuditActivity[] = [], sessions: ExecSession[] = []) {
  const s = snapshot(OBJECTS, sessions);
  s.auditActivities = activities;
  return buildIndex([s]);
}

function evaluate(a: ReturnType<typeof alert>, activities: AuditActivity[] = [], sessions: ExecSession[] = []) {
  const index = indexWith(activities, sessions);
  const ctx = { alert: a, correlation: correlate(a, index), index };
  return { ci: ciBuild.evaluate(ctx), admin: adminActivity.evaluate(ctx), verdict: triageAlert(a, { index }).verdict };
}

const JOB = 'runner-t3xqbz7m-project-388-concurrent-1-9wq4zd';
const inJob = (cmd: string, time = T('09:41:00'), ancestors = [{ name: 'bash', commandLine: '/usr/bin/bash' }], host = N1) =>
  alert({ host, time, container: { id: 'a'.repeat(12), name: 'build', namespace: 'gitlab-ci', pod: JOB }, process: { name: cmd.split(' ')[0], commandLine: cmd }, ancestors });

describe('ci-build: build work in CI job pods', () => {
  it('a package install in a live runner pod (label, owner, image): workload-baseline', () => {
    const a = alert({ host: N1, time: T('10:00:00'), container: { id: containerIdOf(arcRunner, 1), name: 'dind', pod: arcRunner.metadata.name, namespace: 'arc-runners' }, process: { name: 'apt-get', commandLine: 'apt-get update' }, ancestors: [{ name: 'sh', commandLine: '/bin/sh -c apt-get update' }, { name: 'runc', commandLine: 'runc init' }, { name: 'dockerd', commandLine: 'dockerd --host=unix:///var/run/docker.sock' }] });
    const { ci, verdict } = evaluate(a);
    expect(ci).toHaveLength(1);
    expect(ci[0]).toMatchObject({ direction: 'benign', cause: 'workload-baseline', strength: 'medium' });
    expect(ci[0].message).toMatch(/GitHub Actions Runner Controller job pod \(label actions\.github\.com\/scale-set-name/);
    expect(verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });

  it('a job pod gone from the snapshot, known from its creation in the audit log (context partial, not none)', () => {
    // on a node that is gone as well (Karpenter removed it): only the audit log places the alert
    const gone = inJob('apt-get install -y libpq-dev', T('09:41:00'), undefined, 'ip-10-0-9-9.ec2.internal');
    const { ci, verdict } = evaluate(gone, [jobCreation(JOB, T('09:37:30')), deletion(JOB, T('09:48:55'))]);
    expect(ci[0].message).toMatch(/GitLab Runner \(Kubernetes executor\) job pod \(runs registry\.gitlab\.com\/gitlab-org\/gitlab-runner\/gitlab-runner-helper/);
    expect(ci[0].message).toMatch(/gone from the snapshot/);
    expect(verdict).toMatchObject({ label: 'likely-false-positive', context: 'partial' });
  });

  it("the runner's own attach to the job pod it created is its operation, not a suspicious session", () => {
    const attach: ExecSession = { kind: 'attach', user: RUNNER_SA, groups: ['system:serviceaccounts'], sourceIps: ['10.0.1.7'], namespace: 'gitlab-ci', pod: JOB, container: 'build', command: [], tty: false, start: T('09:38:17'), end: T('09:48:49'), code: 101 };
    const { admin, verdict } = evaluate(inJob('apt-get install -y libpq-dev'), [jobCreation(JOB, T('09:37:30')), deletion(JOB, T('09:48:55'))], [attach]);
    expect(admin.filter((e) => e.direction === 'malicious')).toEqual([]);
    expect(admin[0].message).toMatch(/the executor feeding its own job/);
    expect(verdict.label).toBe('likely-false-positive');
  });

  it('names build work: compilers, go test binaries, kaniko and its RUN steps, docker build — not docker run', () => {
    const p = (cmd: string, ancestors: { name: string; commandLine?: string; path?: string }[] = []) => alert({ process: { name: cmd.split(' ')[0], commandLine: cmd }, ancestors });
    expect(buildWork(p('/tmp/go-build2384756190/b001/api.test -test.count=1', [{ name: 'go', commandLine: 'go test ./...' }]))).toMatch(/Go toolchain/);
    expect(buildWork(alert({ process: { name: 'executor', path: '/kaniko/executor', commandLine: '/kaniko/executor --context . --destination x' } }))).toMatch(/Kaniko/);
    expect(buildWork(p('node /usr/local/bin/npm ci', [{ name: 'sh', commandLine: '/bin/sh -c npm ci' }, { name: 'executor', path: '/kaniko/executor', commandLine: '/kaniko/executor' }]))).toMatch(/image build run by Kaniko/);
    expect(buildWork(p('docker -H unix:///var/run/docker.sock build -t app .'))).toMatch(/docker build/);
    expect(buildWork(p('docker run --rm --privileged -v /dev:/dev alpine sh'))).toBeUndefined();
    expect(buildWork(p('curl -s http://169.254.169.254/latest/meta-data/iam/security-credentials/x'))).toBeUndefined();
  });
});

describe('ci-build: traps', () => {
  it('the same package install in an application pod is no CI job', () => {
    const a = alert({ host: N1, time: T('10:00:00'), container: { id: containerIdOf(web), name: 'web', pod: web.metadata.name, namespace: 'shop' }, process: { name: 'apt-get', commandLine: 'apt-get install -y netcat' }, ancestors: [{ name: 'sh' }] });
    expect(evaluate(a).ci).toEqual([]);
  });

  it('a miner started by an npm install script in a job pod stays genuine', () => {
    const a = inJob('./kswapd0 -o stratum+ssl://pool.example.net:443 -u 48edf', T('09:40:00'), [{ name: 'node', commandLine: 'node scripts/postinstall.js' }, { name: 'npm', commandLine: 'npm ci' }]);
    const { ci, verdict } = evaluate(a, [jobCreation(JOB, T('09:37:30'))]);
    expect(ci).toEqual([]);
    expect(verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });

  it('a gone pod that is no job pod (no executor image or owner), or one deleted before the alert, explains nothing', () => {
    expect(evaluate(inJob('apt-get install -y x'), [jobCreation(JOB, T('09:37:30'), ['golang:1.23'])]).ci).toEqual([]);
    expect(evaluate(inJob('apt-get install -y x', T('10:30:00')), [jobCreation(JOB, T('09:37:30')), deletion(JOB, T('09:48:55'))]).ci).toEqual([]);
  });

  it('an interactive build tool (someone typing in the job pod) is left to the session rules', () => {
    const a = inJob('apt-get install -y nmap');
    a.process.tty = true;
    expect(evaluate(a, [jobCreation(JOB, T('09:37:30'))]).ci).toEqual([]);
  });

  it("another service account attaching to a job pod it did not create is still suspicious", () => {
    const attach: ExecSession = { kind: 'attach', user: 'system:serviceaccount:shop:web', groups: ['system:serviceaccounts'], sourceIps: ['10.0.1.60'], namespace: 'gitlab-ci', pod: JOB, container: 'build', command: [], tty: false, start: T('09:40:00'), end: T('09:45:00'), code: 101 };
    const { admin } = evaluate(inJob('apt-get install -y x'), [jobCreation(JOB, T('09:37:30'))], [attach]);
    expect(admin.some((e) => e.direction === 'malicious')).toBe(true);
  });

  it('a gone pod places the alert (context partial) but explains nothing by itself: an unexplained process stays genuine', () => {
    const gone = inJob('sh -i', T('09:41:00'), [], 'ip-10-0-9-9.ec2.internal');
    const { verdict } = evaluate(gone, [jobCreation(JOB, T('09:37:30'))]);
    expect(verdict).toMatchObject({ label: 'genuine', context: 'partial' });
    expect(verdict.reasons[0].message).toMatch(/gone from the snapshot; the audit log recorded its creation/);
  });
});

describe("ci-build: the job's Docker-in-Docker service starting its daemon", () => {
  const DOCKERD = { name: 'dockerd', commandLine: 'dockerd --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2375' };
  const DIND = { name: 'dind', commandLine: 'dind dockerd --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2375' };
  const inDind = (cmd: string, parent: { name: string; commandLine: string }, p = arcRunner) =>
    alert({ host: N1, time: T('10:00:00'), container: { id: containerIdOf(p, p === arcRunner ? 1 : 0), name: p.spec.containers[p === arcRunner ? 1 : 0].name, pod: p.metadata.name, namespace: p.metadata.namespace }, process: { name: cmd.split(' ')[0], commandLine: cmd }, ancestors: [parent] });

  it("dockerd creating its own DOCKER* chain, and the dind wrapper mounting securityfs, in a runner pod's dind container", () => {
    for (const [cmd, parent] of [['iptables --wait -t filter -N DOCKER-ISOLATION-STAGE-1', DOCKERD], ['mount -t securityfs none /sys/kernel/security', DIND]] as const) {
      const { ci, verdict } = evaluate(inDind(cmd, parent));
      expect(ci[0]?.message).toMatch(/Docker-in-Docker/);
      expect(verdict.label).toBe('likely-false-positive');
    }
  });
  it('trap: a DNAT to a public address in a DOCKER chain is not the bridge', () => {
    expect(evaluate(inDind('iptables -t nat -A DOCKER -p tcp --dport 443 -j DNAT --to-destination 203.0.113.45:8443', DOCKERD)).ci).toEqual([]);
  });
  it("trap: iptables on a chain that is not dockerd's, or typed into a shell", () => {
    expect(evaluate(inDind('iptables -t nat -I PREROUTING -p tcp --dport 443 -j REDIRECT --to-ports 8443', DOCKERD)).ci).toEqual([]);
    expect(evaluate(inDind('iptables -N DOCKER-X', { name: 'sh', commandLine: 'sh' })).ci).toEqual([]);
  });
  it('trap: mounting the host disk from the dind container, or the same start-up in an application pod', () => {
    expect(evaluate(inDind('mount /dev/sda1 /mnt', DIND)).ci).toEqual([]);
    expect(evaluate(inDind('mount -t securityfs none /sys/kernel/security', DIND, web)).ci).toEqual([]);
  });
});
