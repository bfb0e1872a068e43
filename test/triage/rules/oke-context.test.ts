/**
 * Oracle Kubernetes Engine context (oke-flannel-ingress scenario): node names are private IPs, the add-ons ship from
 * Oracle's registry as oke-public-*, the block-volume CSI node plugin logs in to iSCSI targets, cluster-autoscaler
 * authenticates with instance principals from the metadata service. Traps: the same images or binaries outside their
 * component, and credential reads by anything else.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const A = '10.0.10.21';
const B = '10.0.10.37';
const OCIR = 'fra.ocir.io/axoxdievda5j';
const flannel = (name: string, n: string) =>
  pod(name, {
    namespace: 'kube-system',
    node: n,
    hostNetwork: true,
    owner: { kind: 'DaemonSet', name: 'kube-flannel-ds' },
    containers: [{ name: 'kube-flannel', image: `${OCIR}/oke-public-flannel:v0.26.1-9d7e2c1`, command: ['/opt/bin/flanneld'], args: ['--ip-masq', '--kube-subnet-mgr', '--iface=ens3'], securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } } }],
  });
const flannelA = flannel('kube-flannel-ds-bgj46', A);
const flannelB = flannel('kube-flannel-ds-hb2j9', B);
// Trap: a naked 'kube-flannel' pod in default with a look-alike image.
const fake = pod('kube-flannel-ds-7qz5x', {
  namespace: 'default',
  node: A,
  hostNetwork: true,
  containers: [{ name: 'kube-flannel', image: 'docker.io/flanne1io/flannel:v0.26.1', command: ['/opt/bin/flanneld'], args: ['--ip-masq', '--kube-subnet-mgr'], securityContext: { privileged: true } }],
});
const kubeProxy = pod('kube-proxy-45bhk', {
  namespace: 'kube-system',
  node: B,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'kube-proxy' },
  containers: [{ name: 'kube-proxy', image: `${OCIR}/oke-public-kube-proxy:v1.31.1-3a6f0d2-1`, command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf'], securityContext: { privileged: true } }],
});
const csi = pod('csi-oci-node-gb2g7', {
  namespace: 'kube-system',
  node: B,
  hostNetwork: true,
  hostPID: true,
  owner: { kind: 'DaemonSet', name: 'csi-oci-node' },
  containers: [{ name: 'csi-node-driver', image: `${OCIR}/oke-public-cloud-provider-oci:v1.31.0-5a42e6b`, command: ['/usr/local/bin/oci-csi-node-driver'], args: ['--v=2', '--endpoint=unix:///csi/csi.sock'], securityContext: { privileged: true } }],
});
const autoscaler = pod('cluster-autoscaler-x59k7d9fgx-dgbfk', {
  namespace: 'kube-system',
  node: B,
  ip: '10.244.3.136',
  owner: { kind: 'ReplicaSet', name: 'cluster-autoscaler-x59k7d9fgx' },
  containers: [{ name: 'cluster-autoscaler', image: `${OCIR}/oke-public-cluster-autoscaler:1.31.0-8`, command: ['./cluster-autoscaler'], args: ['--v=4', '--cloud-provider=oci-oke'] }],
});
const coredns = pod('coredns-9c29bbj9g9-c4j84', {
  namespace: 'kube-system',
  node: A,
  ip: '10.244.3.5',
  owner: { kind: 'ReplicaSet', name: 'coredns-9c29bbj9g9' },
  containers: [{ name: 'coredns', image: `${OCIR}/oke-public-coredns:v1.11.3-0d0a1e4`, args: ['-conf', '/etc/coredns/Corefile'] }],
});
const api = pod('payments-api-5fk5kbhbg9-747kd', {
  namespace: 'payments',
  node: A,
  ip: '10.244.3.12',
  owner: { kind: 'ReplicaSet', name: 'payments-api-5fk5kbhbg9' },
  containers: [
    {
      name: 'payments-api',
      image: 'fra.ocir.io/frq4pdkzlm2b/payments/payments-api:5.4.2',
      command: ['sh', '-c', 'exec java -jar /app/payments-api.jar'],
      ports: [{ containerPort: 8080 }, { containerPort: 8081 }],
      readinessProbe: { httpGet: { path: '/actuator/health/readiness', port: 8081 } },
    },
  ],
});
// flannel gives each node a /25; its cni0 bridge holds the first host address.
const withPodCidr = (n: ReturnType<typeof node>, cidr: string) => ({ ...n, spec: { ...n.spec, podCIDR: cidr, podCIDRs: [cidr] } });

const index = indexOf([
  withPodCidr(node(A, A), '10.244.3.0/25'),
  withPodCidr(node(B, B), '10.244.3.128/25'),
  owner('DaemonSet', 'kube-flannel-ds', 'kube-system'),
  owner('DaemonSet', 'kube-proxy', 'kube-system'),
  owner('DaemonSet', 'csi-oci-node', 'kube-system'),
  owner('ReplicaSet', 'cluster-autoscaler-x59k7d9fgx', 'kube-system', { kind: 'Deployment', name: 'cluster-autoscaler' }),
  owner('Deployment', 'cluster-autoscaler', 'kube-system'),
  owner('ReplicaSet', 'coredns-9c29bbj9g9', 'kube-system', { kind: 'Deployment', name: 'coredns' }),
  owner('Deployment', 'coredns', 'kube-system'),
  coredns,
  owner('ReplicaSet', 'payments-api-5fk5kbhbg9', 'payments', { kind: 'Deployment', name: 'payments-api' }),
  owner('Deployment', 'payments-api', 'payments'),
  flannelA,
  flannelB,
  fake,
  kubeProxy,
  csi,
  autoscaler,
  api,
]);
const run = (a: ReturnType<typeof alert>) => triageAlert(a, { index }).verdict;

describe('OKE: flannel and kube-proxy from the oke-public images', () => {
  const masq = (p: typeof flannelA, host: string) =>
    alert({
      host,
      title: 'Modify iptables Rules in Container',
      container: { id: containerIdOf(p) },
      process: { name: 'iptables', path: '/usr/sbin/xtables-nft-multi', commandLine: 'iptables -t nat -A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.0.0/16 -j RETURN --wait' },
      ancestors: [{ name: 'flanneld', commandLine: '/opt/bin/flanneld --ip-masq --kube-subnet-mgr --iface=ens3' }],
    });

  it('explains flanneld writing its FLANNEL- chains as node networking', () => {
    expect(run(masq(flannelA, A))).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });

  it('trap: a naked look-alike kube-flannel pod in default is not flannel', () => {
    expect(run(masq(fake, A)).label).toBe('genuine');
  });

  it('explains kube-proxy syncing its rules with iptables-restore', () => {
    const v = run(
      alert({
        host: B,
        title: 'Suspicious firewall rule modification',
        container: { id: containerIdOf(kubeProxy) },
        process: { name: 'iptables-restore', path: '/usr/sbin/xtables-nft-multi', commandLine: 'iptables-restore -w 5 -W 100000 --noflush --counters' },
        ancestors: [{ name: 'kube-proxy', commandLine: '/usr/local/bin/kube-proxy --config=/var/lib/kube-proxy/config.conf' }],
      }),
    );
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });

  it('explains VXLAN on UDP 8472 between two nodes that run flannel', () => {
    const vxlan = alert({ host: B, title: 'LOCAL POLICY VXLAN (UDP 8472) between hosts', network: { srcIp: A, srcPort: 48211, dstIp: B, dstPort: 8472, protocol: 'udp' } });
    expect(run(vxlan)).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
});

describe('OKE: the block-volume CSI node plugin', () => {
  const iscsi = (p: typeof csi, host: string, parent: string) =>
    alert({
      host,
      title: 'Remote storage target connected',
      container: { id: containerIdOf(p) },
      process: { name: 'iscsiadm', path: '/usr/sbin/iscsiadm', commandLine: 'iscsiadm -m node -T iqn.2015-12.com.oracleiaas:5e4b7c2d -p 169.254.2.2:3260 --login' },
      ancestors: [{ name: parent, commandLine: parent === 'oci-csi-node-driver' ? '/usr/local/bin/oci-csi-node-driver --v=2 --endpoint=unix:///csi/csi.sock' : 'sh' }],
    });

  it('explains oci-csi-node-driver logging in to the iSCSI target of a block volume', () => {
    expect(run(iscsi(csi, B, 'oci-csi-node-driver')).label).toBe('likely-false-positive');
  });

  it('trap: iscsiadm from a shell in an application pod stays genuine', () => {
    expect(run(iscsi(api, A, 'sh')).label).toBe('genuine');
  });
});

describe('OKE: cluster-autoscaler and instance principals', () => {
  const imds = (srcIp: string, url: string, proc?: { pod: typeof api; name: string; commandLine: string }) =>
    alert({
      host: B,
      title: 'Contact cloud metadata service from container',
      ...(proc ? { container: { id: containerIdOf(proc.pod) }, process: { name: proc.name, path: `/usr/bin/${proc.name}`, commandLine: proc.commandLine } } : {}),
      network: { srcIp, srcPort: 51122, dstIp: '169.254.169.254', dstPort: 80, protocol: 'tcp', url },
    });

  it('explains the autoscaler fetching its instance-principal certificate (seen by the NDR, and by Falco in its container)', () => {
    expect(run(imds('10.244.3.136', '/opc/v2/identity/cert.pem'))).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(run(imds('10.244.3.136', '/opc/v2/identity/key.pem', { pod: autoscaler, name: 'cluster-autoscaler', commandLine: './cluster-autoscaler --v=4' })).label).toBe('likely-false-positive');
  });

  it('reads /opc/v2/identity/*.pem as instance credentials: curl in the autoscaler pod, or an application pod, is an attack', () => {
    const curl = 'curl -s -H "Authorization: Bearer Oracle" http://169.254.169.254/opc/v2/identity/key.pem';
    for (const v of [run(imds('10.244.3.136', '/opc/v2/identity/key.pem', { pod: autoscaler, name: 'curl', commandLine: curl })), run(imds('10.244.3.12', '/opc/v2/identity/key.pem')), run(imds('10.244.3.12', '/opc/v2/identity/key.pem', { pod: api, name: 'curl', commandLine: curl }))]) {
      expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
      expect(v.reasons.some((r) => r.facts?.indicator === 'instance-metadata-credentials')).toBe(true);
    }
  });

  it('trap: the instance document (/opc/v2/instance/) is not a credential read', () => {
    expect(run(imds('10.244.3.12', '/opc/v2/instance/')).cause).not.toBe('attack');
  });
});

describe('OKE: CoreDNS and the VCN resolver on 169.254.169.254:53', () => {
  const dns = (srcIp: string, domain: string, dstPort = 53) =>
    alert({ host: A, title: 'LOCAL POLICY Pod traffic to link-local metadata address 169.254.169.254', network: { srcIp, srcPort: 47720, dstIp: '169.254.169.254', dstPort, protocol: dstPort === 53 ? 'udp' : 'tcp', domain, appProtocol: dstPort === 53 ? 'dns' : 'http' } });

  it('explains CoreDNS forwarding an OCI API name, or a VCN search-path expansion, to the VCN resolver', () => {
    expect(run(dns('10.244.3.5', 'objectstorage.eu-frankfurt-1.oraclecloud.com'))).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
    expect(run(dns('10.244.3.5', 'redis.payments.svc.sub1.paymentsvcn.oraclevcn.com'))).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });

  it('trap: a look-alike of the OCI domain, or CoreDNS talking HTTP to the metadata service, stays genuine', () => {
    expect(run(dns('10.244.3.5', 'objectstorage.oraclecloud.com.example.net')).label).toBe('genuine');
    expect(run(dns('10.244.3.5', 'evil-oraclecloud.com')).label).toBe('genuine');
    expect(run(dns('10.244.3.5', 'objectstorage.eu-frankfurt-1.oraclecloud.com', 80)).label).toBe('genuine');
  });
});

describe("bridge CNI: the kubelet's probes come from the node's bridge address", () => {
  const probe = (srcIp: string, dstPort = 8081, userAgent = 'kube-probe/1.31') =>
    alert({ host: A, title: 'LOCAL POLICY Spring Boot Actuator endpoint access', network: { srcIp, srcPort: 38110, dstIp: '10.244.3.12', dstPort, protocol: 'tcp', url: '/actuator/health/readiness', userAgent } });

  it('explains kube-probe from the first host of the pod node\'s pod CIDR (cni0) on a declared probe port', () => {
    expect(run(probe('10.244.3.1'))).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });

  it("trap: another address of the CIDR, another node's bridge, a port no probe uses, or no kube-probe agent stay genuine", () => {
    expect(run(probe('10.244.3.2')).label).toBe('genuine');
    expect(run(probe('10.244.3.129')).label).toBe('genuine');
    expect(run(probe('10.244.3.1', 8080)).label).toBe('genuine');
    expect(run(probe('10.244.3.1', 8081, 'curl/8.5.0')).label).toBe('genuine');
  });
});
