/**
 * DigitalOcean Kubernetes context (doks-cilium-hubble scenario): Cilium and Hubble Relay pulled from DigitalOcean's
 * mirror, the block storage CSI node plugin reading its droplet id, and the look-alikes that stay genuine — the same
 * image outside kube-system, a read of the droplet user-data (the node's join credentials), a paste site.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const A = 'pool-k3v9q-wq4n1';
const B = 'pool-k3v9q-wq4n8';
const CILIUM_IMG = 'ghcr.io/digitalocean-packages/cilium:v1.15.11-conformance';
const cilium = (name: string, n: string) =>
  pod(name, {
    namespace: 'kube-system',
    node: n,
    hostNetwork: true,
    owner: { kind: 'DaemonSet', name: 'cilium' },
    containers: [{ name: 'cilium-agent', image: CILIUM_IMG, command: ['cilium-agent'], args: ['--config-dir=/tmp/cilium/config-map'], securityContext: { capabilities: { add: ['NET_ADMIN', 'SYS_ADMIN', 'SYS_MODULE'] } } }],
  });
const ciliumA = cilium('cilium-68d91', A);
const ciliumB = cilium('cilium-1ec80', B);
// The trap: the very same image, run as an ordinary workload in an application namespace.
const lookalike = pod('net-debug-7c9d8f6b5-x2x9k', { namespace: 'parcel', node: A, ip: '10.244.1.170', owner: { kind: 'ReplicaSet', name: 'net-debug-7c9d8f6b5' }, containers: [{ name: 'cilium-agent', image: CILIUM_IMG, command: ['cilium-agent'] }] });
const relay = pod('hubble-relay-7b9c5f6d48-r8kzt', {
  namespace: 'kube-system',
  node: B,
  ip: '10.244.2.41',
  owner: { kind: 'ReplicaSet', name: 'hubble-relay-7b9c5f6d48' },
  containers: [{ name: 'hubble-relay', image: 'ghcr.io/digitalocean-packages/hubble-relay:v1.15.11', command: ['hubble-relay'], args: ['serve'] }],
});
const web = pod('parcel-web-7f5c8d9b6c-xq7lm', { namespace: 'parcel', node: A, ip: '10.244.1.150', owner: { kind: 'ReplicaSet', name: 'parcel-web-7f5c8d9b6c' }, containers: [{ name: 'django', image: 'registry.digitalocean.com/parcelco/parcel-web:4.3.2', command: ['gunicorn'] }] });
const extdns = (name: string, namespace: string, image: string, provider: string) =>
  pod(name, { namespace, node: B, ip: name.startsWith('external') ? '10.244.2.23' : '10.244.2.99', owner: { kind: 'ReplicaSet', name: name.replace(/-[a-z0-9]+$/, '') }, containers: [{ name: 'external-dns', image, args: ['--source=ingress', `--provider=${provider}`, '--policy=upsert-only'] }] });
const externalDns = extdns('external-dns-5f8b7c6d94-k2wqp', 'external-dns', 'registry.k8s.io/external-dns/external-dns:v0.15.0', 'digitalocean');
const worker = pod('parcel-worker-5b6f9c7d8f-n4jrw', {
  namespace: 'parcel',
  node: B,
  ip: '10.244.2.33',
  owner: { kind: 'ReplicaSet', name: 'parcel-worker-5b6f9c7d8f' },
  containers: [{ name: 'worker', image: 'registry.digitalocean.com/parcelco/parcel-worker:5.8.0', command: ['/app/parcel-worker'], args: ['worker', '--broker=redis://default:s3cr3t@redis-0.redis.parcel.svc.cluster.local:6379/0'] }],
});
const csi = pod('csi-do-node-4a80e', {
  namespace: 'kube-system',
  node: A,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'csi-do-node' },
  containers: [{ name: 'csi-do-plugin', image: 'docker.io/digitalocean/do-csi-plugin:v4.12.0', args: ['--endpoint=$(CSI_ENDPOINT)'], securityContext: { privileged: true } }],
});

const index = indexOf([
  node(A, '10.114.0.8'),
  node(B, '10.114.0.9'),
  owner('DaemonSet', 'cilium', 'kube-system'),
  owner('DaemonSet', 'csi-do-node', 'kube-system'),
  owner('ReplicaSet', 'hubble-relay-7b9c5f6d48', 'kube-system', { kind: 'Deployment', name: 'hubble-relay' }),
  owner('Deployment', 'hubble-relay', 'kube-system'),
  owner('ReplicaSet', 'parcel-web-7f5c8d9b6c', 'parcel', { kind: 'Deployment', name: 'parcel-web' }),
  owner('ReplicaSet', 'net-debug-7c9d8f6b5', 'parcel', { kind: 'Deployment', name: 'net-debug' }),
  ciliumA,
  ciliumB,
  lookalike,
  relay,
  web,
  csi,
  externalDns,
  worker,
  owner('ReplicaSet', 'external-dns-5f8b7c6d94', 'external-dns', { kind: 'Deployment', name: 'external-dns' }),
  owner('ReplicaSet', 'parcel-worker-5b6f9c7d8f', 'parcel', { kind: 'Deployment', name: 'parcel-worker' }),
]);
const run = (a: ReturnType<typeof alert>) => triageAlert(a, { index }).verdict;

describe('DOKS: Cilium from the DigitalOcean mirror', () => {
  const flush = (p: typeof ciliumA) =>
    alert({
      host: A,
      title: 'Suspicious network configuration change',
      container: { id: containerIdOf(p) },
      process: { name: 'iptables', path: '/usr/sbin/iptables', commandLine: 'iptables -w 5 -t filter -F OLD_CILIUM_FORWARD' },
      ancestors: [{ name: 'cilium-agent', commandLine: 'cilium-agent --config-dir=/tmp/cilium/config-map' }],
    });

  it("explains the agent flushing its own OLD_CILIUM_ chains, as node networking", () => {
    const v = run(flush(ciliumA));
    expect(v.label).toBe('likely-false-positive');
    expect(v.cause).toBe('node-networking');
  });

  it('trap: the same image as a workload in an application namespace is not Cilium', () => {
    expect(run(flush(lookalike)).label).toBe('genuine');
  });
});

describe('DOKS: Hubble Relay dialling the agents', () => {
  const dial = (srcIp: string, dstIp: string, dstPort: number) =>
    alert({ host: B, title: 'LOCAL SCAN TCP sweep - single source to many destinations, same port', network: { srcIp, srcPort: 41022, dstIp, dstPort, protocol: 'tcp' } });

  it("explains the relay reaching each node's Hubble peer port 4244", () => {
    expect(run(dial('10.244.2.41', '10.114.0.8', 4244))).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });

  it('trap: another port, an outside address, or an application pod on 4244 stay genuine', () => {
    expect(run(dial('10.244.2.41', '10.114.0.8', 10250)).label).toBe('genuine');
    expect(run(dial('10.244.2.41', '203.0.113.9', 4244)).label).toBe('genuine');
    expect(run(dial('10.244.1.150', '10.114.0.9', 4244)).label).toBe('genuine');
  });
});

describe('DOKS: droplet metadata', () => {
  const md = (srcIp: string, url: string) =>
    alert({ host: A, title: 'LOCAL POLICY DigitalOcean droplet metadata API request', network: { srcIp, srcPort: 38220, dstIp: '169.254.169.254', dstPort: 80, protocol: 'tcp', url } });

  it('explains the node address asking for its droplet id where the host-network CSI node plugin runs', () => {
    expect(run(md('10.114.0.8', '/metadata/v1/id'))).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });

  it("trap: the droplet user-data (the node's join credentials) is an attack from the node or from a pod", () => {
    for (const v of [run(md('10.114.0.8', '/metadata/v1/user-data')), run(md('10.244.1.150', '/metadata/v1/user-data'))]) {
      expect(v.label).toBe('genuine');
      expect(v.cause).toBe('attack');
      expect(v.reasons.some((r) => r.facts?.indicator === 'instance-metadata-bootstrap')).toBe(true);
    }
  });

  it('reads user-data and GKE kube-env fetched with curl on a host as the same indicator', () => {
    const host = (commandLine: string) => alert({ host: 'pool-k3v9q-e7h2p', title: 'Cloud metadata access', process: { name: 'curl', path: '/usr/bin/curl', commandLine } });
    expect(run(host('curl -s http://169.254.169.254/metadata/v1/user-data')).cause).toBe('attack');
    expect(run(host("curl -s -H 'Metadata-Flavor: Google' http://169.254.169.254/computeMetadata/v1/instance/attributes/kube-env")).cause).toBe('attack');
    expect(run(host('curl -s http://169.254.169.254/metadata/v1/region')).cause).not.toBe('attack');
  });
});

describe('exfiltration to a paste site', () => {
  it('names pastebin.com in the TLS SNI an upload to a file-sharing service', () => {
    const v = run(alert({ host: A, title: 'ET POLICY Pastebin-style Service (pastebin .com) in TLS SNI', network: { srcIp: '10.244.1.150', srcPort: 55930, dstIp: '203.0.113.150', dstPort: 443, protocol: 'tcp', domain: 'pastebin.com' } }));
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(v.reasons.some((r) => r.facts?.indicator === 'exfiltration-file-sharing')).toBe(true);
  });
});

describe('workload-baseline: hosts the pod spec names', () => {
  const tls = (srcIp: string, dstIp: string, dstPort: number, domain: string) =>
    alert({ host: B, title: 'LOCAL POLICY outbound TLS from a pod', network: { srcIp, srcPort: 52714, dstIp, dstPort, protocol: 'tcp', domain } });

  it("explains ExternalDNS calling the API of the provider its --provider argument selects", () => {
    expect(run(tls('10.244.2.23', '198.51.100.140', 443, 'api.digitalocean.com'))).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });

  it("trap: another provider's API from ExternalDNS, or the DigitalOcean API from an application pod, stay genuine", () => {
    expect(run(tls('10.244.2.23', '198.51.100.141', 443, 'api.cloudflare.com')).label).toBe('genuine');
    expect(run(tls('10.244.1.150', '198.51.100.140', 443, 'api.digitalocean.com')).label).toBe('genuine');
  });

  it('reads the host of a URL that carries user-info (scheme://user:password@host:port)', () => {
    expect(run(tls('10.244.2.33', '10.244.1.40', 6379, 'redis-0.redis.parcel.svc.cluster.local'))).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });

  it('trap: a host that only appears as the user-info, or as a longer name, is not named', () => {
    expect(run(tls('10.244.2.33', '203.0.113.5', 443, 's3cr3t')).label).toBe('genuine');
    expect(run(tls('10.244.2.33', '203.0.113.5', 443, 'redis-0.redis')).label).toBe('genuine');
  });
});
