/**
 * Context found in the eks-vpccni-vanilla validation scenario, as rule tables: an IMDS redirect rule run under the
 * VPC CNI's daemon name, with the traps each explanation must not fall into.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import { ATTACK_INDICATORS } from '../../../src/knowledge/indicators.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, node, owner, pod, snapshot } from '../../support/cluster.js';

const N1 = 'ip-10-42-11-23.eu-central-1.compute.internal';
const N2 = 'ip-10-42-27-150.eu-central-1.compute.internal';
const T = (hms: string) => `2027-03-11T${hms}.000Z`;
const ECR = '602401143452.dkr.ecr.eu-central-1.amazonaws.com';

const awsNodeDs = owner('DaemonSet', 'aws-node', 'kube-system');
const awsNode = pod('aws-node-lmqks', {
  namespace: 'kube-system',
  node: N1,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'aws-node' },
  containers: [
    { name: 'aws-node', image: `${ECR}/amazon-k8s-cni:v1.19.2-eksbuild.1`, securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } } },
    { name: 'aws-eks-nodeagent', image: `${ECR}/amazon/aws-network-policy-agent:v1.1.6-eksbuild.1`, securityContext: { privileged: true } },
  ],
});
const gmsDs = owner('DaemonSet', 'gke-metadata-server', 'kube-system');
const gms = pod('gke-metadata-server-5tk8r', {
  namespace: 'kube-system',
  node: N2,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'gke-metadata-server' },
  containers: [{ name: 'gke-metadata-server', image: 'gke.gcr.io/gke-metadata-server:gke_metadata_server_20241010.00_p0', command: ['/gke-metadata-server', '--metadata-server-port=988'], securityContext: { privileged: true } }],
});
const index = buildIndex([snapshot([node(N1, '10.42.11.23'), node(N2, '10.42.27.150'), awsNodeDs, awsNode, gmsDs, gms])]);
const verdict = (a: ReturnType<typeof alert>) => triageAlert(a, { index }).verdict;

describe('NAT rules that redirect metadata-endpoint traffic', () => {
  const redirect = ATTACK_INDICATORS.find((i) => i.id === 'metadata-redirect')!;
  it.each([
    'iptables -w -t nat -I PREROUTING 1 -d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.42.11.23:18080',
    'iptables -t nat -A PREROUTING -p tcp -d 169.254.169.254 --dport 80 -i eni+ -j DNAT --to-destination 10.0.3.4:8181',
    'iptables -t nat -I OUTPUT -p tcp -d 169.254.170.23 --dport 80 -j REDIRECT --to-ports 3001',
    'ip6tables -t nat -A PREROUTING -d fd00:ec2::254/128 -p tcp --dport 80 -j DNAT --to-destination [fd00::1]:8181',
    'nft add rule ip nat prerouting ip daddr 169.254.169.254 tcp dport 80 dnat to 10.0.0.5:8080',
  ])('flags %s', (command) => {
    expect(redirect.pattern.test(command)).toBe(true);
  });
  it.each([
    'iptables -t nat -C AWS-SNAT-CHAIN-0 ! -d 10.42.0.0/16 -m comment --comment AWS SNAT CHAIN -j AWS-SNAT-CHAIN-1 --wait',
    'iptables -w -t filter -A OUTPUT -d 169.254.169.254/32 -j ACCEPT',
    'iptables -t nat -A KUBE-SEP-ABC -p tcp -m tcp -j DNAT --to-destination 10.42.12.5:53',
    'curl -s http://169.254.169.254/latest/meta-data/instance-id',
  ])('leaves %s alone', (command) => {
    expect(redirect.pattern.test(command)).toBe(false);
  });

  const hostIptables = (commandLine: string, host = N1, parent = { name: 'aws-k8s-agent', path: '/app/aws-k8s-agent', commandLine: '/app/aws-k8s-agent' }) =>
    alert({
      host,
      time: T('10:53:30'),
      title: 'FirewallRuleChange',
      process: { name: 'iptables', path: '/usr/sbin/xtables-nft-multi', commandLine },
      ancestors: [parent, { name: 'containerd-shim-runc-v2', path: '/usr/bin/containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 51980 -address /run/containerd/containerd.sock' }],
    });
  it("the VPC CNI daemon's own SNAT chain check is node networking", () => {
    expect(verdict(hostIptables('iptables -t nat -C AWS-SNAT-CHAIN-0 ! -d 10.42.0.0/16 -m comment --comment AWS SNAT CHAIN -j AWS-SNAT-CHAIN-1 --wait'))).toMatchObject({
      label: 'likely-false-positive',
      cause: 'node-networking',
    });
  });
  it('trap: an IMDS DNAT under a process named like the VPC CNI daemon is credential interception, not the CNI', () => {
    expect(verdict(hostIptables('iptables -w -t nat -I PREROUTING 1 -d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.42.11.23:18080'))).toMatchObject({
      label: 'genuine',
      cause: 'attack',
    });
  });
  it("the GKE metadata server's own redirect, in its confirmed pod, is not the indicator", () => {
    const a = alert({
      host: N2,
      time: T('10:00:00'),
      title: 'Launch Privileged Container',
      process: { name: 'iptables', path: '/sbin/iptables', commandLine: 'iptables -w -t nat -A PREROUTING -d 169.254.169.254/32 -p tcp --dport 80 -j DNAT --to-destination 169.254.169.252:988' },
      ancestors: [{ name: 'gke-metadata-server', path: '/gke-metadata-server', commandLine: '/gke-metadata-server --metadata-server-port=988' }],
      container: { namespace: 'kube-system', pod: 'gke-metadata-server-5tk8r', name: 'gke-metadata-server' },
    });
    const v = verdict(a);
    expect(v.reasons.some((r) => r.facts?.indicator === 'metadata-redirect')).toBe(false);
  });
});

describe("a metadata proxy's own IMDS redirect (kube2iam --iptables), seen by a node sensor", () => {
  const k2iDs = owner('DaemonSet', 'kube2iam', 'kube-system');
  const k2i = pod('kube2iam-4mzxq', {
    namespace: 'kube-system',
    node: N2,
    hostNetwork: true,
    owner: { kind: 'DaemonSet', name: 'kube2iam' },
    containers: [{ name: 'kube2iam', image: 'docker.io/jtblin/kube2iam:0.11.2', args: ['--iptables=true', '--host-interface=eni+', '--host-ip=$(HOST_IP)'], securityContext: { privileged: true } }],
  });
  const idx = buildIndex([snapshot([node(N1, '10.42.11.23'), node(N2, '10.42.27.150'), awsNodeDs, awsNode, k2iDs, k2i])]);
  const dnat = (host: string, parent: string) =>
    triageAlert(
      alert({
        host,
        time: T('09:00:00'),
        title: 'FirewallRuleChange',
        process: { name: 'iptables', path: '/sbin/iptables', commandLine: 'iptables -t nat -A PREROUTING -d 169.254.169.254/32 -i eni+ -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.42.27.150:8181' },
        ancestors: [{ name: parent, path: `/bin/${parent}`, commandLine: `/bin/${parent} --iptables=true --host-interface=eni+` }, { name: 'containerd-shim-runc-v2' }],
      }),
      { index: idx },
    ).verdict;
  it('run by the kube2iam daemon on the node where its DaemonSet pod runs', () => {
    expect(dnat(N2, 'kube2iam')).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: the same rule under a kube2iam-named parent on a node where kube2iam does not run', () => {
    expect(dnat(N1, 'kube2iam')).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it("trap: the same rule under the VPC CNI's daemon on the kube2iam node (not a metadata proxy)", () => {
    expect(dnat(N2, 'aws-k8s-agent')).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe('EKS Pod Identity credential fetches', () => {
  const agentDs = owner('DaemonSet', 'eks-pod-identity-agent', 'kube-system');
  const agent = pod('eks-pod-identity-agent-qcbhf', {
    namespace: 'kube-system',
    node: N1,
    hostNetwork: true,
    owner: { kind: 'DaemonSet', name: 'eks-pod-identity-agent' },
    containers: [{ name: 'eks-pod-identity-agent', image: `${ECR}/eks/eks-pod-identity-agent:v0.1.17`, command: ['/go-runner', '/eks-pod-identity-agent', 'server'] }],
  });
  const podIdentityVolume = {
    name: 'eks-pod-identity-token',
    projected: { sources: [{ serviceAccountToken: { audience: 'pods.eks.amazonaws.com', expirationSeconds: 86400, path: 'eks-pod-identity-token' } }] },
  };
  const catalog = pod('catalog-7f6b8d9c4b-b2n6q', {
    namespace: 'shop',
    node: N1,
    ip: '10.42.14.55',
    containers: [{ name: 'catalog', image: 'registry.example/catalog:1.9.0', command: ['gunicorn', 'catalog.wsgi'], env: [{ name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI' }, { name: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE' }] }],
    volumes: [podIdentityVolume],
  });
  const uriOnly = pod('reports-5d4c8b7f9-x2k4q', {
    namespace: 'shop',
    node: N1,
    ip: '10.42.13.9',
    containers: [{ name: 'reports', image: 'registry.example/reports:1', command: ['python', 'reports.py'], env: [{ name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI' }] }],
  });
  const frontend = pod('frontend-6d8f7c9b5d-p9w3d', { namespace: 'shop', node: N1, ip: '10.42.10.17', containers: [{ name: 'frontend', image: 'registry.example/frontend:3.8.0', command: ['node', 'server.js'] }] });
  const catalogElsewhere = pod('catalog-7f6b8d9c4b-w8d4k', {
    namespace: 'shop',
    node: N2,
    ip: '10.42.30.142',
    containers: [{ name: 'catalog', image: 'registry.example/catalog:1.9.0', command: ['gunicorn', 'catalog.wsgi'], env: [{ name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI' }] }],
    volumes: [podIdentityVolume],
  });
  const idx = buildIndex([snapshot([node(N1, '10.42.11.23'), node(N2, '10.42.27.150'), agentDs, agent, catalog, uriOnly, frontend, catalogElsewhere])]);
  const boto = 'Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#6.1.127 lang/python#3.12.7';
  const fetch = (srcIp: string, userAgent: string) =>
    triageAlert(
      alert({
        time: T('10:16:12'),
        title: 'LOCAL POLICY link-local container credential endpoint request',
        network: { srcIp, srcPort: 38102, dstIp: '169.254.170.23', dstPort: 80, protocol: 'tcp', url: '/v1/credentials', domain: '169.254.170.23', userAgent, appProtocol: 'http' },
      }),
      { index: idx },
    ).verdict;
  it("a pod with a Pod Identity association: its AWS SDK asks the node's agent", () => {
    expect(fetch('10.42.14.55', boto)).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: curl from the same pod', () => {
    expect(fetch('10.42.14.55', 'curl/8.5.0').label).toBe('genuine');
  });
  it('trap: a pod without the association (no credential variable, no projected Pod Identity token)', () => {
    expect(fetch('10.42.10.17', boto).label).toBe('genuine');
  });
  it('trap: a credential URI variable alone (no Pod Identity token in the pod spec) is not the association', () => {
    expect(fetch('10.42.13.9', boto).label).toBe('genuine');
  });
  it('trap: the same pod spec on a node where no eks-pod-identity-agent runs', () => {
    expect(fetch('10.42.30.142', boto).label).toBe('genuine');
  });
});

describe('Container Insights CloudWatch agent and the instance metadata service', () => {
  const cwDs = owner('DaemonSet', 'cloudwatch-agent', 'amazon-cloudwatch');
  const cwImage = 'public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300052.0b1024';
  const cw = pod('cloudwatch-agent-fsjhs', {
    namespace: 'amazon-cloudwatch',
    node: N1,
    ip: '10.42.10.88',
    owner: { kind: 'DaemonSet', name: 'cloudwatch-agent' },
    containers: [{ name: 'cloudwatch-agent', image: cwImage, volumeMounts: [{ name: 'rootfs', mountPath: '/rootfs', readOnly: true }] }],
    volumes: [{ name: 'rootfs', hostPath: { path: '/' } }],
  });
  const lookAlikeDs = owner('DaemonSet', 'cloudwatch-agent', 'shop');
  const lookAlike = pod('cloudwatch-agent-zz9kq', { namespace: 'shop', node: N1, ip: '10.42.10.99', owner: { kind: 'DaemonSet', name: 'cloudwatch-agent' }, containers: [{ name: 'cloudwatch-agent', image: cwImage }] });
  const payments = pod('payments-8f4d6c7b9d-x2v7q', { namespace: 'shop', node: N1, ip: '10.42.29.201', containers: [{ name: 'payments', image: 'registry.example/payments:5.2.1', command: ['/usr/local/bin/payments'] }] });
  const idx = buildIndex([snapshot([node(N1, '10.42.11.23'), cwDs, cw, lookAlikeDs, lookAlike, payments])]);
  const imds = (srcIp: string, process?: { name: string; path: string; commandLine: string }, container?: { namespace: string; pod: string; name: string }) =>
    triageAlert(
      alert({
        time: T('08:30:04'),
        title: 'LOCAL POLICY IMDS IAM role credential request',
        process,
        container,
        network: { srcIp, srcPort: 51422, dstIp: '169.254.169.254', dstPort: 80, protocol: 'tcp', url: '/latest/meta-data/iam/security-credentials/retail-prod-node-role', userAgent: 'aws-sdk-go/1.55.5 (go1.22.10; linux; amd64)', appProtocol: 'http' },
      }),
      { index: idx },
    ).verdict;
  it('the agent (confirmed DaemonSet, namespace and image) fetching the node role it runs with', () => {
    expect(imds('10.42.10.88')).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it("the agent's own daemon, as a runtime sensor names it", () => {
    const agent = { name: 'amazon-cloudwat', path: '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent', commandLine: 'amazon-cloudwatch-agent -config /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.toml' };
    expect(imds('10.42.10.88', agent, { namespace: 'amazon-cloudwatch', pod: 'cloudwatch-agent-fsjhs', name: 'cloudwatch-agent' })).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: curl in the agent pod', () => {
    const curl = { name: 'curl', path: '/usr/bin/curl', commandLine: 'curl -s http://169.254.169.254/latest/meta-data/iam/security-credentials/retail-prod-node-role' };
    expect(imds('10.42.10.88', curl, { namespace: 'amazon-cloudwatch', pod: 'cloudwatch-agent-fsjhs', name: 'cloudwatch-agent' })).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it("trap: the agent's image and name in an application namespace", () => {
    expect(imds('10.42.10.99')).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: an application pod asking for role credentials', () => {
    expect(imds('10.42.29.201')).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it("trap: the agent's container reading another pod's projected token through its host mount", () => {
    const a = alert({
      host: N1,
      time: T('11:20:33'),
      title: 'Read Projected Service Account Token of Another Pod',
      process: { name: 'cat', path: '/usr/bin/cat', commandLine: 'cat /rootfs/var/lib/kubelet/pods/bcf7f199-562c-46fa-ab94-46d7e4978114/volumes/kubernetes.io~projected/aws-iam-token/token' },
      ancestors: [{ name: 'sh' }, { name: 'amazon-cloudwat' }],
      container: { namespace: 'amazon-cloudwatch', pod: 'cloudwatch-agent-fsjhs', name: 'cloudwatch-agent' },
      file: '/rootfs/var/lib/kubelet/pods/bcf7f199-562c-46fa-ab94-46d7e4978114/volumes/kubernetes.io~projected/aws-iam-token/token',
    });
    expect(triageAlert(a, { index: idx }).verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe("the VPC CNI's init container (aws-vpc-cni-init) on a node that just joined", () => {
  const init = { name: 'aws-vpc-cni-init', image: `${ECR}/amazon-k8s-cni-init:v1.19.2-eksbuild.1`, securityContext: { privileged: true } };
  const withInit = (p: ReturnType<typeof pod>): ReturnType<typeof pod> => {
    p.spec.initContainers = [init];
    p.status!.initContainerStatuses = [{ name: 'aws-vpc-cni-init', containerID: `containerd://${'ab'.repeat(32)}`, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: T('09:13:09'), finishedAt: T('09:13:12') } } }];
    return p;
  };
  const N3 = 'ip-10-42-44-8.eu-central-1.compute.internal';
  const real = withInit(
    pod('aws-node-pqmrp', {
      namespace: 'kube-system',
      node: N3,
      hostNetwork: true,
      created: T('09:12:47'),
      owner: { kind: 'DaemonSet', name: 'aws-node' },
      containers: [{ name: 'aws-node', image: `${ECR}/amazon-k8s-cni:v1.19.2-eksbuild.1` }],
    }),
  );
  const fake = withInit(
    pod('aws-node-9fz2q', { namespace: 'kube-system', node: N1, hostNetwork: true, created: T('09:12:47'), containers: [{ name: 'aws-node', image: 'docker.io/amazonk8s/amazon-k8s-cni:v1.19.2' }] }),
  );
  fake.spec.initContainers = [{ ...init, image: 'docker.io/amazonk8s/amazon-k8s-cni-init:v1.19.2' }];
  const idx = buildIndex([snapshot([node(N1, '10.42.11.23'), node(N2, '10.42.27.150'), node(N3, '10.42.44.8'), awsNodeDs, real, fake])]);
  const hostInit = (host: string) =>
    triageAlert(
      alert({
        host,
        time: T('09:13:10'),
        title: 'KernelParameterModification',
        process: { name: 'aws-vpc-cni-init', path: '/init/aws-vpc-cni-init', commandLine: '/init/aws-vpc-cni-init' },
        ancestors: [{ name: 'containerd-shim-runc-v2', path: '/usr/bin/containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 4101 -address /run/containerd/containerd.sock' }],
      }),
      { index: idx },
    ).verdict;
  it('seen by a host sensor on the node where aws-node runs', () => {
    expect(hostInit(N3)).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: the same process on a node where no aws-node pod runs', () => {
    expect(hostInit(N2).label).toBe('genuine');
  });
  const privileged = (ns: string, podName: string) =>
    triageAlert(
      alert({
        host: ns === 'kube-system' && podName === 'aws-node-pqmrp' ? N3 : N1,
        time: T('09:13:09'),
        title: 'Launch Privileged Container',
        process: { name: 'aws-vpc-cni-init', path: '/init/aws-vpc-cni-init', commandLine: 'aws-vpc-cni-init' },
        ancestors: [{ name: 'containerd-shim' }],
        container: { namespace: ns, pod: podName, name: 'aws-vpc-cni-init' },
      }),
      { index: idx },
    ).verdict;
  it('a runtime sensor seeing the privileged init container of the DaemonSet pod', () => {
    expect(privileged('kube-system', 'aws-node-pqmrp').label).toBe('likely-false-positive');
  });
  it('trap: the same init container in a naked kube-system pod with a Docker Hub image', () => {
    expect(privileged('kube-system', 'aws-node-9fz2q').label).toBe('genuine');
  });
});

describe("a node EDR's view of containerised agents' own processes (host-component)", () => {
  const fbDs = owner('DaemonSet', 'fluent-bit', 'amazon-cloudwatch');
  const fb = pod('fluent-bit-7xkq2', {
    namespace: 'amazon-cloudwatch',
    node: N1,
    ip: '10.42.8.230',
    owner: { kind: 'DaemonSet', name: 'fluent-bit' },
    containers: [{ name: 'fluent-bit', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5' }],
  });
  const efsDs = owner('DaemonSet', 'efs-csi-node', 'kube-system');
  const efs = pod('efs-csi-node-h2t9v', {
    namespace: 'kube-system',
    node: N1,
    hostNetwork: true,
    owner: { kind: 'DaemonSet', name: 'efs-csi-node' },
    containers: [{ name: 'efs-plugin', image: `${ECR}/eks/aws-efs-csi-driver:v1.7.7`, securityContext: { privileged: true } }],
  });
  const idx = buildIndex([snapshot([node(N1, '10.42.11.23'), node(N2, '10.42.27.150'), fbDs, fb, efsDs, efs])]);
  const shim = { name: 'containerd-shim-runc-v2', path: '/usr/bin/containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 2201 -address /run/containerd/containerd.sock' };
  const fluentBit = { name: 'fluent-bit', path: '/fluent-bit/bin/fluent-bit', commandLine: '/fluent-bit/bin/fluent-bit -c /fluent-bit/etc/fluent-bit.conf' };
  const watchdog = { name: 'python3.9', path: '/usr/bin/python3.9', commandLine: '/usr/bin/python3 /usr/bin/amazon-efs-mount-watchdog' };
  const stunnel = { name: 'stunnel5', path: '/usr/bin/stunnel5', commandLine: '/usr/bin/stunnel5 /var/run/efs/stunnel-config.fs-0d3f6a1b2c4e5f789.var.lib.kubelet.pods.x.mount.20261' };
  const onHost = (host: string, process: typeof fluentBit, ancestors: (typeof fluentBit)[], title = 'Access to container log files by process with host mounts') =>
    triageAlert(alert({ host, time: T('10:15:41'), title, process, ancestors }), { index: idx }).verdict;
  it('the log shipper itself, under the runtime, on the node where its DaemonSet pod runs', () => {
    expect(onHost(N1, fluentBit, [fluentBit, shim])).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it("the EFS CSI plugin's stunnel, started by its mount watchdog script", () => {
    expect(onHost(N1, stunnel, [watchdog, shim], 'Protocol tunneling tool launched')).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });
  it('trap: stunnel from a shell', () => {
    expect(onHost(N1, stunnel, [{ name: 'bash', path: '/usr/bin/bash', commandLine: '-bash' }, shim], 'Protocol tunneling tool launched').label).toBe('genuine');
  });
  it('trap: stunnel under an interpreter running another script', () => {
    expect(onHost(N1, stunnel, [{ name: 'python3.9', path: '/usr/bin/python3.9', commandLine: 'python3 /tmp/t.py' }, shim], 'Protocol tunneling tool launched').label).toBe('genuine');
  });
  it('trap: the same chain on a node where no EFS CSI node pod runs', () => {
    expect(onHost(N2, stunnel, [watchdog, shim], 'Protocol tunneling tool launched').label).toBe('genuine');
  });
  it('trap: a process named like the shipper, not started by the runtime', () => {
    expect(onHost(N1, fluentBit, [{ name: 'sshd', path: '/usr/sbin/sshd', commandLine: 'sshd: root@pts/0' }]).label).toBe('genuine');
  });
});

describe("a node EDR's process under runc exec, tied to a kubectl exec session into a pod on that node", () => {
  const checkout = pod('checkout-5b7c9d4f6c-h8q2n', { namespace: 'shop', node: N1, ip: '10.42.11.190', containers: [{ name: 'checkout', image: 'registry.example/checkout:2.11.4', command: ['java', '-jar', '/app/checkout.jar'] }] });
  const payments = pod('payments-8f4d6c7b9d-x2v7q', { namespace: 'shop', node: N2, ip: '10.42.29.201', containers: [{ name: 'payments', image: 'registry.example/payments:5.2.1', command: ['/usr/local/bin/payments'] }] });
  const dana = 'arn:aws:sts::615274839201:assumed-role/AWSReservedSSO_PlatformAdmin_5c2e8f1a9b3d7046/dana.kowalski@retail.example';
  const session = (podName: string, start: string, end: string) => ({
    kind: 'exec' as const,
    user: dana,
    groups: ['system:authenticated'],
    sourceIps: ['10.42.140.21'],
    userAgent: 'kubectl/v1.31.2 (darwin/arm64) kubernetes/5864a46',
    namespace: 'shop',
    pod: podName,
    container: podName.split('-')[0],
    command: ['sh'],
    tty: true,
    start: T(start),
    end: T(end),
    code: 101,
  });
  const idx = buildIndex([snapshot([node(N1, '10.42.11.23'), node(N2, '10.42.27.150'), checkout, payments], [session('checkout-5b7c9d4f6c-h8q2n', '10:02:10', '10:09:40'), session('payments-8f4d6c7b9d-x2v7q', '10:40:20', '10:41:30')])]);
  const tool = (host: string, time: string, commandLine: string) =>
    triageAlert(
      alert({
        host,
        time: T(time),
        title: 'Suspicious network tool in container',
        process: { name: commandLine.split(' ')[0], path: `/usr/bin/${commandLine.split(' ')[0]}`, commandLine },
        ancestors: [{ name: 'sh', path: '/bin/sh', commandLine: 'sh' }, { name: 'runc' }],
      }),
      { index: idx },
    ).verdict;
  it("the admin's shell session in a pod on that node covers the time", () => {
    expect(tool(N1, '10:04:18', 'openssl s_client -connect master.retail-sessions.x7k2pq.euc1.cache.amazonaws.com:6379 -brief')).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
  });
  it('trap: the same shell on another node (the session was into a pod elsewhere)', () => {
    expect(tool(N2, '10:04:18', 'openssl s_client -connect master.retail-sessions.x7k2pq.euc1.cache.amazonaws.com:6379 -brief').label).toBe('genuine');
  });
  it("trap: after the session's window (the pod on that node, six minutes after it ended)", () => {
    expect(tool(N2, '10:47:09', 'openssl s_client -connect 10.42.200.37:5432').label).toBe('genuine');
  });
  it('trap: the session covers the time, but the command is an attack indicator', () => {
    expect(tool(N1, '10:05:00', 'curl -s http://169.254.169.254/latest/meta-data/iam/security-credentials/')).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});
