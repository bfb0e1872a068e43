/**
 * Context found in the aks-azurecni-calico validation scenario, as rule tables: the konnectivity agent reaching every
 * kubelet (the API server's tunnel on AKS and GKE), and process names the kernel cut to 15 bytes — with the traps each
 * must not fall into.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { executableNames } from '../../../src/triage/rules/support.js';
import { alert, containerIdOf, node, owner, pod, snapshot } from '../../support/cluster.js';

const S1 = 'aks-system-41726385-vmss000001';
const U0 = 'aks-user-41726385-vmss000000';
const T = (hms: string) => `2026-12-03T${hms}.000Z`;

const konnDep = owner('Deployment', 'konnectivity-agent', 'kube-system');
const konnRs = owner('ReplicaSet', 'konnectivity-agent-mqpzn98vmn', 'kube-system', { kind: 'Deployment', name: 'konnectivity-agent' });
const konn = pod('konnectivity-agent-mqpzn98vmn-66787', {
  namespace: 'kube-system',
  node: S1,
  ip: '10.224.0.42',
  owner: { kind: 'ReplicaSet', name: 'konnectivity-agent-mqpzn98vmn' },
  containers: [{ name: 'konnectivity-agent', image: 'mcr.microsoft.com/oss/kubernetes/apiserver-network-proxy/agent:v0.30.3-hotfix.20240819', command: ['/proxy-agent'] }],
});
// The same image and name in an application namespace, owned by someone's own Deployment: not the platform's tunnel.
const rogueDep = owner('Deployment', 'konnectivity-agent', 'ledger');
const rogueRs = owner('ReplicaSet', 'konnectivity-agent-7c9d5', 'ledger', { kind: 'Deployment', name: 'konnectivity-agent' });
const rogue = pod('konnectivity-agent-7c9d5-abcde', {
  namespace: 'ledger',
  node: U0,
  ip: '10.224.0.80',
  owner: { kind: 'ReplicaSet', name: 'konnectivity-agent-7c9d5' },
  containers: [{ name: 'agent', image: 'mcr.microsoft.com/oss/kubernetes/apiserver-network-proxy/agent:v0.30.3' }],
});
const appRs = owner('ReplicaSet', 'posting-engine-pkd9nn6wgk', 'ledger', { kind: 'Deployment', name: 'posting-engine' });
const app = pod('posting-engine-pkd9nn6wgk-hdnrl', {
  namespace: 'ledger',
  node: U0,
  ip: '10.224.0.74',
  owner: { kind: 'ReplicaSet', name: 'posting-engine-pkd9nn6wgk' },
  containers: [{ name: 'posting-engine', image: 'ledgeracr.azurecr.io/ledger/posting-engine:3.4.2', command: ['java'] }],
});
const cpaDep = owner('Deployment', 'coredns-autoscaler', 'kube-system');
const cpaRs = owner('ReplicaSet', 'coredns-autoscaler-xhxt4ntmvw', 'kube-system', { kind: 'Deployment', name: 'coredns-autoscaler' });
const cpa = pod('coredns-autoscaler-xhxt4ntmvw-bg6wk', {
  namespace: 'kube-system',
  node: S1,
  ip: '10.224.0.43',
  owner: { kind: 'ReplicaSet', name: 'coredns-autoscaler-xhxt4ntmvw' },
  containers: [{ name: 'autoscaler', image: 'mcr.microsoft.com/oss/kubernetes/autoscaler/cluster-proportional-autoscaler:v1.8.11', command: ['/cluster-proportional-autoscaler', '--namespace=kube-system'] }],
});
const kubernetesSvc = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'kubernetes', namespace: 'default', uid: 'svc-k' },
  spec: { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'], ports: [{ port: 443 }] },
};

const index = buildIndex([
  snapshot([node(S1, '10.224.0.35'), node(U0, '10.224.0.66'), konnDep, konnRs, konn, rogueDep, rogueRs, rogue, appRs, app, cpaDep, cpaRs, cpa, kubernetesSvc]),
]);
const kubeletCall = (srcIp: string) =>
  triageAlert(alert({ title: 'LOCAL K8S Kubelet API (TCP/10250) access from pod network', time: T('09:31:10'), network: { srcIp, srcPort: 47002, dstIp: '10.224.0.66', dstPort: 10250, protocol: 'TCP' } }), { index })
    .verdict;

describe('konnectivity agent and the kubelet API', () => {
  it("explains the platform's konnectivity-agent reaching a kubelet", () => {
    const v = kubeletCall('10.224.0.42');
    expect(v.label).toBe('likely-false-positive');
    expect(v.reasons[0].message).toContain('konnectivity');
  });
  it('keeps an application pod, and a konnectivity look-alike in an application namespace, as reconnaissance', () => {
    expect(kubeletCall('10.224.0.74')).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(kubeletCall('10.224.0.80')).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe('process names cut to 15 bytes', () => {
  it('drops the kernel-truncated name when the path or argv names the whole executable', () => {
    expect(executableNames({ name: 'cluster-proport', path: '/cluster-proportional-autoscaler' })).toEqual(['cluster-proportional-autoscaler']);
    // A 15-byte name that is no prefix of the path is a different program, and both are kept.
    expect(executableNames({ name: 'kube-controller', path: '/usr/local/bin/xmrig-wrapper-x86' })).toEqual(['kube-controller', 'xmrig-wrapper-x86']);
  });

  const apiCall = (name: string, path: string, commandLine: string) =>
    triageAlert(
      alert({
        host: S1,
        title: 'Contact K8S API Server From Container',
        time: T('07:21:44'),
        container: { id: containerIdOf(cpa) },
        process: { name, path, commandLine },
        network: { srcIp: '10.224.0.43', srcPort: 44312, dstIp: '10.0.0.1', dstPort: 443, protocol: 'tcp' },
      }),
      { index },
    ).verdict;
  it("explains the DNS autoscaler's own daemon calling the API server, reported under its truncated name", () => {
    expect(apiCall('cluster-proport', '/cluster-proportional-autoscaler', '/cluster-proportional-autoscaler --namespace=kube-system').label).toBe('likely-false-positive');
  });
  it('keeps a shell in the same pod calling the API server', () => {
    expect(apiCall('curl', '/usr/bin/curl', 'curl -sk https://10.0.0.1/api/v1/secrets').label).toBe('genuine');
  });
});

describe("a CronJob's own shell script and its configured fetch", () => {
  const P2 = 'aks-spot-41726385-vmss000002';
  const archiveJob = owner('Job', 'statement-archive-29412900', 'ledger');
  const archive = pod('statement-archive-29412900-wpbgg', {
    namespace: 'ledger',
    node: P2,
    ip: '10.224.0.199',
    owner: { kind: 'Job', name: 'statement-archive-29412900' },
    containers: [
      {
        name: 'statement-archive',
        image: 'ledgeracr.azurecr.io/ledger/statement-archive:2.1.3',
        command: ['/bin/sh', '-c', 'kubectl -n ledger get configmap statement-index -o json > /work/index.json && /app/archive --index /work/index.json 2>&1'],
      },
    ],
  });
  const fxJob = owner('Job', 'fx-rates-sync-29412990', 'ledger');
  const fx = pod('fx-rates-sync-29412990-6fp4h', {
    namespace: 'ledger',
    node: P2,
    ip: '10.224.0.196',
    owner: { kind: 'Job', name: 'fx-rates-sync-29412990' },
    containers: [{ name: 'fx-rates-sync', image: 'ledgeracr.azurecr.io/ledger/fx-rates-sync:1.8.0', command: ['/bin/sh', '-c', "curl -fsS 'http://rates.fxfeed.example/v1/latest?base=EUR' -o /tmp/rates.json && /app/load-rates /tmp/rates.json"] }],
  });
  const idx = buildIndex([snapshot([node(P2, '10.224.0.190'), archiveJob, archive, fxJob, fx])]);
  const kubectl = (commandLine: string) =>
    triageAlert(
      alert({
        host: P2,
        title: 'Kubernetes Client Tool Launched in Container',
        time: T('09:00:07'),
        container: { id: containerIdOf(archive) },
        process: { name: 'kubectl', path: '/usr/local/bin/kubectl', commandLine },
        ancestors: [{ name: 'sh', commandLine: 'sh' }],
      }),
      { index: idx },
    ).verdict;
  it('matches a step of the script whatever redirections follow it', () => {
    expect(kubectl('kubectl -n ledger get configmap statement-index -o json')).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(kubectl('/app/archive --index /work/index.json').label).toBe('likely-false-positive');
  });
  it('keeps another kubectl in the same pod', () => {
    expect(kubectl('kubectl get secrets -A -o yaml').label).toBe('genuine');
    // The redirection target is no argument of the step.
    expect(kubectl('kubectl -n ledger get configmap statement-index -o json /work/index.json').label).toBe('genuine');
  });

  const fetch = (domain: string, url: string) =>
    triageAlert(
      alert({
        title: 'ET POLICY curl User-Agent Outbound',
        time: T('10:30:04'),
        network: { srcIp: '10.224.0.196', srcPort: 36502, dstIp: '198.51.100.40', dstPort: 80, protocol: 'TCP', domain, url, userAgent: 'curl/8.5.0' },
      }),
      { index: idx },
    ).verdict;
  it('explains the request for the URL the pod command names', () => {
    expect(fetch('rates.fxfeed.example', '/v1/latest?base=EUR')).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('keeps a request to another host, or a host that only shares a prefix', () => {
    expect(fetch('pool.supportxmr.example', '/')).toMatchObject({ label: 'genuine' });
    expect(fetch('rates.fxfeed.ex', '/v1/latest?base=EUR')).toMatchObject({ label: 'genuine' });
  });
});

describe('DNS on a flat pod network (Azure CNI): CoreDNS forwarding with its own address, pods asking kube-dns', () => {
  const S0 = 'aks-system-41726385-vmss000000';
  const U1 = 'aks-user-41726385-vmss000001';
  const corednsRs = owner('ReplicaSet', 'coredns-p5pdcpndcm', 'kube-system', { kind: 'Deployment', name: 'coredns' });
  const corednsDep = owner('Deployment', 'coredns', 'kube-system');
  const coredns = pod('coredns-p5pdcpndcm-whltt', {
    namespace: 'kube-system',
    node: S0,
    ip: '10.224.0.10',
    owner: { kind: 'ReplicaSet', name: 'coredns-p5pdcpndcm' },
    labels: { 'k8s-app': 'kube-dns' },
    containers: [{ name: 'coredns', image: 'mcr.microsoft.com/oss/kubernetes/coredns:v1.11.3-2', args: ['-conf', '/etc/coredns/Corefile'] }],
  });
  const webRs = owner('ReplicaSet', 'web-front-clvv2xmwsg', 'ledger', { kind: 'Deployment', name: 'web-front' });
  const web = pod('web-front-clvv2xmwsg-bdqg9', { namespace: 'ledger', node: U1, ip: '10.224.0.103', owner: { kind: 'ReplicaSet', name: 'web-front-clvv2xmwsg' }, containers: [{ name: 'nginx', image: 'ledgeracr.azurecr.io/ledger/web-front:5.2.0' }] });
  const kubeDns = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system', uid: 'svc-dns' }, spec: { clusterIP: '10.0.0.10', clusterIPs: ['10.0.0.10'], ports: [{ port: 53 }] } };
  const appSvc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'dns-proxy', namespace: 'ledger', uid: 'svc-app' }, spec: { clusterIP: '10.0.9.9', clusterIPs: ['10.0.9.9'], ports: [{ port: 53 }] } };
  const idx = buildIndex([snapshot([node(S0, '10.224.0.4'), node(U1, '10.224.0.97'), corednsDep, corednsRs, coredns, webRs, web, kubeDns, appSvc])]);
  const dns = (srcIp: string, dstIp: string, domain: string, title = 'LOCAL DNS Possible DNS tunneling - high rate of long query names') =>
    triageAlert(alert({ title, time: T('09:02:15'), network: { srcIp, srcPort: 40917, dstIp, dstPort: 53, protocol: 'udp', appProtocol: 'dns', domain } }), { index: idx }).verdict;

  it("explains CoreDNS forwarding a name under the VM's search domain to the cloud resolver", () => {
    expect(dns('10.224.0.10', '168.63.129.16', 'rates.fxfeed.example.q1xj5v2k4nbpjmxz0cwl3t7hre.ax.internal.cloudapp.net', 'LOCAL DNS Excessive NXDOMAIN responses')).toMatchObject({
      label: 'likely-false-positive',
      cause: 'node-networking',
    });
  });
  it('keeps CoreDNS sending a named outside domain upstream (it may carry a tunnel)', () => {
    expect(dns('10.224.0.10', '168.63.129.16', 'ZXhwb3J0.q7.t.cdn-metrics.example').label).toBe('genuine');
  });
  it('explains a pod asking kube-dns for a search-path expansion of a cluster name', () => {
    expect(dns('10.224.0.103', '10.0.0.10', 'accounts-api.ledger.svc.cluster.local.ledger.svc.cluster.local')).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('keeps a pod tunnelling through kube-dns, and cluster-looking names sent to a Service that is not cluster DNS', () => {
    expect(dns('10.224.0.103', '10.0.0.10', 'ZXhwb3J0OmxlZGdlci1zZWNyZXRz.MDAxOmF6dXJlLWNyZWRz.q7.t.cdn-metrics.example').label).toBe('genuine');
    expect(dns('10.224.0.103', '10.0.9.9', 'accounts-api.ledger.svc.cluster.local.ledger.svc.cluster.local').label).toBe('genuine');
  });
});

describe("privilege findings about a confirmed component's own daemon", () => {
  const S0 = 'aks-system-41726385-vmss000000';
  const amaDs = owner('DaemonSet', 'ama-logs', 'kube-system');
  const hostPathVolumes = [
    { name: 'host-root', hostPath: { path: '/' } },
    { name: 'host-log', hostPath: { path: '/var/log' } },
  ];
  const containers = (image: string) => [
    {
      name: 'ama-logs',
      image,
      securityContext: { privileged: true },
      volumeMounts: [
        { name: 'host-log', mountPath: '/var/log' },
        { name: 'host-root', mountPath: '/hostfs', readOnly: true },
      ],
    },
  ];
  const ama = pod('ama-logs-spnq7', { namespace: 'kube-system', node: S0, owner: { kind: 'DaemonSet', name: 'ama-logs' }, volumes: hostPathVolumes, containers: containers('mcr.microsoft.com/azuremonitor/containerinsights/ciprod:3.1.24') });
  // A privileged DaemonSet in another namespace that runs a fluent-bit of its own: not the Azure Monitor agent.
  const otherDs = owner('DaemonSet', 'log-agent', 'tools');
  const other = pod('log-agent-x2k9p', { namespace: 'tools', node: S0, owner: { kind: 'DaemonSet', name: 'log-agent' }, volumes: hostPathVolumes, containers: containers('registry.example/log-agent:1') });
  const idx = buildIndex([snapshot([node(S0, '10.224.0.4'), amaDs, ama, otherDs, other])]);
  const mount = (p: ReturnType<typeof pod>, name: string, path: string) =>
    triageAlert(
      alert({ host: S0, title: 'Container with a sensitive volume mount detected', time: T('07:35:20'), container: { id: containerIdOf(p) }, process: { name, path, commandLine: `${path} -c /etc/opt/microsoft/docker-cimprov/fluent-bit.conf` } }),
      { index: idx },
    ).verdict;
  it("explains the finding when the process is the Azure Monitor agent's own fluent-bit", () => {
    expect(mount(ama, 'fluent-bit', '/opt/fluent-bit/bin/fluent-bit')).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });
  it('keeps a shell in the same pod, and fluent-bit in a pod that is not the component', () => {
    expect(mount(ama, 'bash', '/usr/bin/bash').label).toBe('genuine');
    expect(mount(other, 'fluent-bit', '/opt/fluent-bit/bin/fluent-bit').label).toBe('genuine');
  });
});

describe('privilege findings about a daemon are not file findings', () => {
  const S0 = 'aks-system-41726385-vmss000000';
  const amaDs = owner('DaemonSet', 'ama-logs', 'kube-system');
  const ama = pod('ama-logs-spnq7', {
    namespace: 'kube-system',
    node: S0,
    owner: { kind: 'DaemonSet', name: 'ama-logs' },
    volumes: [{ name: 'host-log', hostPath: { path: '/var/log' } }],
    containers: [{ name: 'ama-logs', image: 'mcr.microsoft.com/azuremonitor/containerinsights/ciprod:3.1.24', securityContext: { privileged: true }, volumeMounts: [{ name: 'host-log', mountPath: '/var/log' }] }],
  });
  const idx = buildIndex([snapshot([node(S0, '10.224.0.4'), amaDs, ama])]);
  it("keeps the agent's own daemon reading a sensitive file outside what it mounts", () => {
    const v = triageAlert(
      alert({ host: S0, title: 'Read sensitive file untrusted', time: T('07:35:20'), container: { id: containerIdOf(ama) }, process: { name: 'fluent-bit', path: '/opt/fluent-bit/bin/fluent-bit', commandLine: '/opt/fluent-bit/bin/fluent-bit -c /etc/fluent-bit.conf' }, file: '/etc/shadow' }),
      { index: idx },
    ).verdict;
    expect(v.label).toBe('genuine');
  });
});
