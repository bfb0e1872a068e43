/**
 * Context found in the aks-oncall-audit validation scenario, as rule tables: a person's token used from somewhere the
 * person never works from, kubectl --as between people, and the traps each must not fall into.
 */
import { describe, expect, it } from 'vitest';
import type { AuditActivity, ExecSession } from '../../../src/cluster/model.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { unfamiliarOrigin } from '../../../src/triage/rules/person-origin.js';
import { impersonatedComponent } from '../../../src/triage/rules/component-impersonation.js';
import { alert, containerIdOf, node, owner, pod, snapshot } from '../../support/cluster.js';

const N1 = 'aks-pool-1-vmss000000';
const T = (hms: string) => `2027-03-14T${hms}.000Z`;
const OFFICE = '198.51.100.10';
const ELSEWHERE = '203.0.113.66';
const MAC = 'kubectl/v1.31.3 (darwin/arm64) kubernetes/c83cbee';
const OLD_LINUX = 'kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819';

const rs = owner('ReplicaSet', 'gateway-7c5d8f6b9', 'payments', { kind: 'Deployment', name: 'gateway' });
const gateway = pod('gateway-7c5d8f6b9-w8n3p', {
  namespace: 'payments',
  node: N1,
  ip: '10.244.4.31',
  owner: { kind: 'ReplicaSet', name: 'gateway-7c5d8f6b9' },
  containers: [{ name: 'gateway', image: 'acr.example/payments/gateway:2.9.1', command: ['/usr/local/bin/gateway'] }],
});
const objects = [node(N1, '10.224.0.8'), owner('Deployment', 'gateway', 'payments'), rs, gateway];

const SARA = { user: 'sara@contoso.example', groups: ['oncall', 'system:authenticated'] };
const LUKAS = { user: 'lukas@contoso.example', groups: ['dba', 'system:authenticated'] };

function session(over: Partial<ExecSession>): ExecSession {
  return {
    kind: 'exec',
    ...SARA,
    sourceIps: [ELSEWHERE],
    userAgent: OLD_LINUX,
    namespace: 'payments',
    pod: gateway.metadata.name,
    container: 'gateway',
    command: ['sh'],
    tty: true,
    start: T('03:41:00'),
    end: T('03:55:00'),
    code: 101,
    ...over,
  };
}

function activity(who: { user: string; groups: string[] }, ip: string, agent: string, time: string): AuditActivity {
  return { time, user: who.user, groups: who.groups, verb: 'list', resource: 'pods', namespace: 'payments', sourceIps: [ip], userAgent: agent, code: 200 };
}

/** The night before: sara and lukas both work from the office egress, sara with kubectl 1.31 on her Mac. */
const usual = [activity(SARA, OFFICE, MAC, T('01:04:40')), activity(SARA, OFFICE, MAC, T('02:57:30')), activity(LUKAS, OFFICE, 'kubectl/v1.30.6 (windows/amd64) kubernetes/00f20d4', T('00:37:52'))];

function indexWith(sessions: ExecSession[], activities: AuditActivity[] = usual) {
  const snap = snapshot(objects, sessions);
  snap.auditActivities = activities;
  return buildIndex([snap]);
}
const shellAlert = (cmd: string, time = T('03:45:00')) =>
  alert({ host: N1, time, process: { name: cmd.split(' ')[0], commandLine: cmd }, ancestors: [{ name: 'sh', commandLine: 'sh' }], container: { id: containerIdOf(gateway) } });
const verdict = (sessions: ExecSession[], a = shellAlert('cat /etc/gateway/gateway.yaml'), activities?: AuditActivity[]) =>
  triageAlert(a, { index: indexWith(sessions, activities) }).verdict;

describe("a person's credentials used from somewhere they never work from", () => {
  it('an address nobody else used, with a client the person never used from the shared office address: not troubleshooting', () => {
    const v = verdict([session({})]);
    expect(v.label).toBe('genuine');
    expect(v.reasons.map((r) => r.message).join(' ')).toMatch(/possibly stolen credentials/);
  });
  it('names the address, the client and where the person usually comes from', () => {
    const odd = unfamiliarOrigin(indexWith([]), session({}));
    expect(odd).toEqual({ addresses: [ELSEWHERE], usual: [OFFICE], usualAgents: [MAC] });
  });
  it('trap: the same person from the office egress with their usual client is troubleshooting', () => {
    expect(verdict([session({ sourceIps: [OFFICE], userAgent: MAC })])).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
  });
  it('trap: working from home with the usual kubectl (a new address, the same client) is still the person', () => {
    expect(verdict([session({ userAgent: MAC })])).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
  });
  it('trap: a person seen from one address only has no usual origin to differ from', () => {
    const alone = [activity(SARA, '192.0.2.77', MAC, T('01:04:40'))];
    expect(unfamiliarOrigin(indexWith([], alone), session({}))).toBeUndefined();
    expect(verdict([session({})], undefined, alone)).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
  });
  it('trap: an address another engineer also used is a shared network, not a thief', () => {
    const shared = [...usual, activity(LUKAS, ELSEWHERE, 'kubectl/v1.30.6 (windows/amd64) kubernetes/00f20d4', T('03:10:00'))];
    expect(unfamiliarOrigin(indexWith([], shared), session({}))).toBeUndefined();
  });
  it('trap: private addresses (a VPN pool, a jump host) are not judged', () => {
    expect(unfamiliarOrigin(indexWith([]), session({ sourceIps: ['10.50.8.21'] }))).toBeUndefined();
  });
});

describe('kubectl --as between people', () => {
  const imp = (over: Partial<ExecSession>) => session({ sourceIps: [OFFICE], userAgent: MAC, impersonatedUser: 'omar@contoso.example', impersonatedGroups: ['payments-devs'], ...over });
  it('a person impersonating another person: the person at the keyboard is judged', () => {
    const v = verdict([imp({})]);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
    expect(v.reasons[0].message).toMatch(/sara@contoso\.example from 198\.51\.100\.10 \(where the audit log also shows sara@contoso\.example working as themselves\), impersonating omar@contoso\.example/);
  });
  it('trap: a caller the audit log knows only from impersonating is not an established person', () => {
    const otherAddress = [activity(SARA, '192.0.2.99', MAC, T('01:04:40')), ...usual.slice(2)];
    expect(verdict([imp({})], undefined, otherAddress).label).toBe('genuine');
  });
  it('trap: impersonating system:masters is more than a person', () => {
    expect(verdict([imp({ impersonatedGroups: ['system:masters'] })]).label).toBe('genuine');
  });
  it('trap: impersonating a service account is not a person', () => {
    expect(verdict([imp({ impersonatedUser: 'system:serviceaccount:payments:gateway', impersonatedGroups: undefined })]).label).toBe('genuine');
  });
  it('trap: a service account impersonating a person is not that person', () => {
    expect(verdict([imp({ user: 'system:serviceaccount:ci:deployer', groups: ['system:serviceaccounts', 'system:authenticated'] })]).label).toBe('genuine');
  });
  it('trap: the impersonating person from an address nobody else used, with an unfamiliar client', () => {
    expect(verdict([imp({ sourceIps: [ELSEWHERE], userAgent: OLD_LINUX })]).label).toBe('genuine');
  });
});

describe('a naked pod whose name is built on a component workload name', () => {
  // The container is named neutrally: a component's own container name is a claim of its own (component-impersonation).
  const naked = (name: string, image: string, namespace = 'default') =>
    pod(name, { namespace, node: N1, ip: '10.224.0.7', containers: [{ name: 'shell', image, command: ['/bin/sh', '-c', 'sleep infinity'], securityContext: { privileged: true } }] });
  it('ama-logs-node-<5> with an image named like Azure Monitor\'s, from another repository: a look-alike', () => {
    const claim = impersonatedComponent(naked('ama-logs-node-7kq2d', 'docker.io/azuremonitorr/ciprod:3.1.25'));
    expect(claim).toMatchObject({ workload: 'ama-logs', lookalike: 'docker.io/azuremonitorr/ciprod:3.1.25', namespace: false });
  });
  it('its privileged start is not explained by its own spec', () => {
    const p = naked('ama-logs-node-7kq2d', 'docker.io/azuremonitorr/ciprod:3.1.25');
    const a = alert({ host: N1, time: T('03:52:40'), process: { name: 'sh', commandLine: 'sh -c sleep infinity' }, container: { id: containerIdOf(p) } });
    expect(triageAlert(a, { index: buildIndex([snapshot([...objects, p])]) }).verdict.label).toBe('genuine');
  });
  it('trap: the same name prefix with an unrelated image is no claim (the prefix alone could be anyone\'s)', () => {
    expect(impersonatedComponent(naked('ama-logs-node-7kq2d', 'docker.io/library/busybox:1.36'))).toBeNull();
  });
  it('trap: a pod its controller owns is not naked', () => {
    const p = naked('ama-logs-node-7kq2d', 'docker.io/azuremonitorr/ciprod:3.1.25');
    p.metadata.ownerReferences = [{ kind: 'DaemonSet', name: 'ama-logs-node', uid: 'ds-1', controller: true }];
    expect(impersonatedComponent(p)).toBeNull();
  });
  it('trap: a name that is not controller-generated (kubectl debug --copy-to ama-logs-node-debug) is no claim', () => {
    expect(impersonatedComponent(naked('ama-logs-node-debug', 'docker.io/azuremonitorr/ciprod:3.1.25'))).toBeNull();
  });
});

describe('AKS security and monitoring agents', () => {
  const S0 = 'aks-system-vmss000000';
  const kubernetesSvc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default', uid: 'svc-k' }, spec: { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'], ports: [{ name: 'https', port: 443, targetPort: 443 }] } };
  const defenderDs = owner('DaemonSet', 'microsoft-defender-collector-ds', 'kube-system');
  const defender = pod('microsoft-defender-collector-ds-gdwsd', {
    namespace: 'kube-system',
    node: S0,
    ip: '10.224.0.4',
    owner: { kind: 'DaemonSet', name: 'microsoft-defender-collector-ds' },
    containers: [{ name: 'microsoft-defender-low-level-collector', image: 'mcr.microsoft.com/azuredefender/stable/low-level-collector:1.3.81', securityContext: { privileged: true } }],
  });
  const fakeDs = owner('DaemonSet', 'microsoft-defender-collector-ds', 'tools');
  const fake = pod('microsoft-defender-collector-ds-x7k2p', {
    namespace: 'tools',
    node: S0,
    ip: '10.244.0.40',
    owner: { kind: 'DaemonSet', name: 'microsoft-defender-collector-ds' },
    containers: [{ name: 'microsoft-defender-low-level-collector', image: 'docker.io/someone/low-level-collector:1.3.81', securityContext: { privileged: true } }],
  });
  const amaDep = owner('Deployment', 'ama-logs-rs', 'kube-system');
  const amaRs = owner('ReplicaSet', 'ama-logs-rs-7b9d6c8f5f', 'kube-system', { kind: 'Deployment', name: 'ama-logs-rs' });
  const ama = pod('ama-logs-rs-7b9d6c8f5f-m4x7n', {
    namespace: 'kube-system',
    node: S0,
    ip: '10.244.0.21',
    owner: { kind: 'ReplicaSet', name: 'ama-logs-rs-7b9d6c8f5f' },
    containers: [{ name: 'ama-logs', image: 'mcr.microsoft.com/azuremonitor/containerinsights/ciprod:3.1.25' }],
  });
  ama.spec.serviceAccountName = 'ama-logs';
  const appRs = owner('ReplicaSet', 'reports-6c9f8d7b5d', 'payments', { kind: 'Deployment', name: 'reports' });
  const app = pod('reports-6c9f8d7b5d-l5z8c', { namespace: 'payments', node: S0, ip: '10.244.0.30', owner: { kind: 'ReplicaSet', name: 'reports-6c9f8d7b5d' }, containers: [{ name: 'reports', image: 'acr.example/reports:1.0' }] });
  const idx = buildIndex([snapshot([node(S0, '10.224.0.4'), defenderDs, defender, fakeDs, fake, amaDep, amaRs, ama, owner('Deployment', 'reports', 'payments'), appRs, app, kubernetesSvc])]);

  const bpfLoad = (p: typeof defender) =>
    triageAlert(alert({ host: S0, title: 'BPF Program Not Profiled', time: T('00:34:40'), container: { id: containerIdOf(p) }, process: { name: 'collector', commandLine: 'collector --config /etc/defender/collector.yaml' } }), { index: idx }).verdict;
  it("the Defender for Containers sensor's low-level collector loading eBPF programs is its design", () => {
    expect(bpfLoad(defender)).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });
  it('trap: the same workload name with an image from elsewhere, outside kube-system', () => {
    expect(bpfLoad(fake).label).toBe('genuine');
  });

  const apiCall = (p: typeof ama, name: string, path: string, commandLine: string) =>
    triageAlert(
      alert({
        host: S0,
        title: 'Contact K8S API Server From Container',
        time: T('03:48:12'),
        container: { id: containerIdOf(p) },
        process: { name, path, commandLine },
        network: { srcIp: p.status!.podIP!, srcPort: 40218, dstIp: '10.0.0.1', dstPort: 443, protocol: 'tcp' },
      }),
      { index: idx },
    ).verdict;
  const FLUENTD = 'ruby /usr/local/bin/fluentd -c /etc/fluent/kube.conf -o /var/opt/microsoft/docker-cimprov/log/fluentd.log';
  it("Azure Monitor's fluentd (a Ruby script) in ama-logs-rs collecting the inventory from the API server", () => {
    expect(apiCall(ama, 'ruby', '/usr/bin/ruby3.1', FLUENTD)).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: Ruby given code inline in the same pod is not fluentd', () => {
    expect(apiCall(ama, 'ruby', '/usr/bin/ruby3.1', "ruby -e 'require \"net/http\"; puts Net::HTTP.get(URI(\"https://10.0.0.1/api/v1/secrets\"))'").label).toBe('genuine');
  });
  it('trap: another Ruby script in the same pod is not fluentd', () => {
    expect(apiCall(ama, 'ruby', '/usr/bin/ruby3.1', 'ruby /tmp/.x/list.rb').label).toBe('genuine');
  });
  it('trap: fluentd in an application pod is no Azure Monitor agent', () => {
    expect(apiCall(app, 'ruby', '/usr/bin/ruby3.1', FLUENTD).label).toBe('genuine');
  });
});

describe('a node sensor process in a kubectl debug (ephemeral container) session', () => {
  const N2 = 'aks-pool-1-vmss000001';
  const gwRs = owner('ReplicaSet', 'gateway-7c5d8f6b9', 'payments', { kind: 'Deployment', name: 'gateway' });
  const debugged = pod('gateway-7c5d8f6b9-k4m2x', {
    namespace: 'payments',
    node: N1,
    ip: '10.244.2.24',
    owner: { kind: 'ReplicaSet', name: 'gateway-7c5d8f6b9' },
    containers: [{ name: 'gateway', image: 'acr.example/payments/gateway:2.9.1', command: ['/usr/local/bin/gateway'] }],
  });
  const ephemeral = (command?: string[]) => ({ name: 'debugger-7xk2q', image: 'mcr.microsoft.com/azurelinux/busybox:1.36', stdin: true, tty: true, targetContainerName: 'gateway', ...(command ? { command } : {}) });
  debugged.spec.ephemeralContainers = [ephemeral()];
  debugged.status!.ephemeralContainerStatuses = [{ name: 'debugger-7xk2q', containerID: `containerd://${'d'.repeat(64)}` }];
  const debugSession: ExecSession = {
    kind: 'ephemeral-container',
    ...SARA,
    sourceIps: [OFFICE],
    userAgent: MAC,
    namespace: 'payments',
    pod: debugged.metadata.name,
    container: 'debugger-7xk2q',
    command: [],
    tty: true,
    start: T('01:40:05'),
    end: T('01:55:30'),
    code: 101,
  };
  const objectsWith = (p: typeof debugged) => [node(N1, '10.224.0.6'), node(N2, '10.224.0.7'), owner('Deployment', 'gateway', 'payments'), gwRs, p];
  const hostAlert = (o: { host?: string; time?: string; parent?: string } = {}) =>
    alert({
      host: o.host ?? N1,
      time: o.time ?? T('01:44:52'),
      title: 'Suspicious access to the file system of another process in a container',
      process: { name: 'busybox', path: '/bin/busybox', commandLine: 'cat /proc/1/root/etc/gateway/gateway.yaml' },
      ancestors: [{ name: 'busybox', path: '/bin/busybox', commandLine: o.parent ?? 'sh' }, { name: 'containerd-shim-runc-v2' }],
    });
  const judge = (a: ReturnType<typeof hostAlert>, sessions = [debugSession], p = debugged) => triageAlert(a, { index: buildIndex([snapshot(objectsWith(p), sessions)]) }).verdict;

  it("a process under busybox's sh on the node while a person's debug container there is attached: that session", () => {
    const v = judge(hostAlert());
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
    expect(v.reasons.map((r) => r.message).join(' ')).toMatch(/debugger-7xk2q/);
  });
  it('trap: the same process on another node', () => {
    expect(judge(hostAlert({ host: N2 })).label).toBe('genuine');
  });
  it('trap: the same process after the session ended', () => {
    expect(judge(hostAlert({ time: T('02:10:00') })).label).toBe('genuine');
  });
  it('trap: a process with no shell above it', () => {
    expect(judge(hostAlert({ parent: '/tmp/.x/agent' })).label).toBe('genuine');
  });
  it('trap: a debug container started with its own non-shell command', () => {
    const other = structuredClone(debugged);
    other.spec.ephemeralContainers = [ephemeral(['sleep', '3600'])];
    expect(judge(hostAlert(), [debugSession], other).label).toBe('genuine');
  });
});

describe("a public API endpoint sees the cluster's clients from its outbound address", () => {
  const A = 'aks-pool-a-vmss000000';
  const B = 'aks-pool-b-vmss000000';
  const EGRESS = '192.0.2.40';
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
  const cp = (over: Partial<ExecSession>): ExecSession => ({
    kind: 'exec',
    user: 'system:serviceaccount:batch:cache-backup',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:batch', 'system:authenticated'],
    sourceIps: [EGRESS],
    tokenBoundPod: backup.metadata.name,
    namespace: 'shop',
    pod: 'cache-0',
    container: 'redis',
    command: ['tar', 'cf', '-', '/data/dump.rdb'],
    tty: false,
    start: '2026-11-20T08:30:16.000Z',
    end: '2026-11-20T08:30:17.000Z',
    code: 101,
    ...over,
  });
  const judgeCp = (sessions: ExecSession[], activities: AuditActivity[]) => {
    const snap = snapshot([node(A, '10.224.0.4'), node(B, '10.224.0.5'), cache, backupCronJob, backupJob, backup, agentA, agentB], sessions);
    snap.auditActivities = activities;
    const a = alert({ host: A, time: '2026-11-20T08:30:16.500Z', container: { id: containerIdOf(cache) }, process: { name: 'tar', commandLine: 'tar cf - /data/dump.rdb' }, ancestors: [{ name: 'containerd-shim-runc-v2' }] });
    return triageAlert(a, { index: buildIndex([snap]) }).verdict;
  };
  const kubeletActivity: AuditActivity = {
    time: '2026-11-20T08:02:00Z',
    user: `system:node:${A}`,
    groups: ['system:nodes', 'system:authenticated'],
    verb: 'get',
    resource: 'secrets',
    sourceIps: [EGRESS],
    code: 200,
  };
  const natted = [agentActivity(agentA, EGRESS), agentActivity(agentB, EGRESS), kubeletActivity];

  it("a CronJob's own kubectl cp from the cluster's outbound address, its token bound to the Job's pod", () => {
    const v = judgeCp([cp({})], natted);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons[0].message).toMatch(/token bound to cache-backup-29919390-fz9wq, from 192\.0\.2\.40, the cluster's own outbound address/);
  });
  it('trap: an address only one pod\'s token was used from is no cluster egress (a token replayed from outside)', () => {
    const v = judgeCp([cp({})], [agentActivity(agentA, EGRESS), kubeletActivity]);
    expect(v.label).toBe('genuine');
    expect(v.reasons.map((r) => r.message).join(' ')).toMatch(/neither a node nor a pod of the cluster/);
  });
  it('trap: pod tokens from two nodes but no kubelet at the address (stolen tokens replayed from one place)', () => {
    expect(judgeCp([cp({})], natted.slice(0, 2)).label).toBe('genuine');
  });
  it("trap: the same exec with a token bound to another pod, from the outbound address", () => {
    expect(judgeCp([cp({ tokenBoundPod: 'web-5c7d-x2k8p' })], natted).label).toBe('genuine');
  });
  it('an interactive shell by a service account from the outbound address stays suspicious, told without claiming a foreign address', () => {
    const v = judgeCp([cp({ command: ['sh'], tty: true })], natted);
    expect(v.label).toBe('genuine');
    expect(v.reasons.map((r) => r.message).join(' ')).not.toMatch(/neither a node nor a pod/);
  });
});
