/**
 * Export shapes met in the openshift-ovn-gpu and eks-bottlerocket validation scenarios: Wazuh auditd records whose
 * decoder keeps four arguments, Wazuh who-data FIM, Datadog's v2 signals API, Vectra sweeps and GuardDuty findings
 * about a controller rather than a pod.
 */
import { describe, expect, it } from 'vitest';
import { datadogCws } from '../../../src/alerts/vendors/datadog-cws.js';
import { guardDuty } from '../../../src/alerts/vendors/guardduty.js';
import { vectra } from '../../../src/alerts/vendors/vectra.js';
import { wazuh } from '../../../src/alerts/vendors/wazuh.js';
import { mapAll } from './helpers.js';

const hex = (s: string) => Buffer.from(s).toString('hex').toUpperCase();

describe('wazuh auditd and FIM records', () => {
  const execve = {
    timestamp: '2027-07-21T13:13:32.435+0000',
    rule: { level: 8, id: '100110', description: 'Audit: iptables rules changed' },
    agent: { id: '014', name: 'worker-a', ip: '10.40.16.21' },
    decoder: { parent: 'auditd', name: 'auditd' },
    location: '/var/log/audit/audit.log',
    full_log:
      'type=SYSCALL msg=audit(1816175611.204:444026): arch=c000003e syscall=59 success=yes exit=0 ppid=2856 pid=1301 auid=4294967295 uid=0 tty=(none) comm="iptables" exe="/usr/sbin/xtables-nft-multi" ' +
      `type=EXECVE msg=audit(1816175611.204:444026): argc=7 a0="iptables" a1="-t" a2="nat" a3="-A" a4="OVN-KUBE-SNAT-MGMTPORT" a5="--comment" a6=${hex('OVN SNAT to Management Port')} ` +
      'type=CWD msg=audit(1816175611.204:444026): cwd="/"',
    data: { audit: { command: 'iptables', exe: '/usr/sbin/xtables-nft-multi', pid: '1301', ppid: '2856', tty: '(none)', execve: { a0: 'iptables', a1: '-t', a2: 'nat', a3: '-A' } } },
  };
  const fim = {
    timestamp: '2027-07-21T13:33:09.101+0000',
    rule: { level: 7, id: '550', description: 'Integrity checksum changed.' },
    agent: { id: '015', name: 'worker-b', ip: '10.40.16.22' },
    decoder: { name: 'syscheck_integrity_changed' },
    location: 'syscheck',
    syscheck: {
      path: '/etc/containers/registries.conf',
      event: 'modified',
      sha256_after: 'ab'.repeat(32),
      audit: { process: { id: '3187', name: '/usr/bin/machine-config-daemon', ppid: '2984', parent_name: '/usr/bin/conmon' }, effective_user: { id: '0', name: 'root' } },
    },
  };
  const watch = {
    timestamp: '2027-07-21T15:07:31.100+0000',
    rule: { level: 12, id: '100230', description: 'kubelet credentials read' },
    agent: { id: '017', name: 'gpu-a', ip: '10.40.16.31' },
    decoder: { parent: 'auditd', name: 'auditd' },
    data: { audit: { command: 'cat', exe: '/usr/bin/cat', pid: '77', ppid: '76', tty: 'pts1', file: { name: '/var/lib/kubelet/kubeconfig' } } },
  };
  const [a, b, c] = mapAll(wazuh, [execve, fim, watch]);
  it('reads every argument from the EXECVE record, decoding hex-encoded ones', () => {
    expect(a.process.commandLine).toBe('iptables -t nat -A OVN-KUBE-SNAT-MGMTPORT --comment "OVN SNAT to Management Port"');
    expect(a.process.tty).toBe(false);
  });
  it('takes the who-data writer and its parent from a FIM record', () => {
    expect(b.file).toMatchObject({ path: '/etc/containers/registries.conf', name: 'registries.conf' });
    expect(b.process).toMatchObject({ name: 'machine-config-daemon', path: '/usr/bin/machine-config-daemon', pid: '3187', user: 'root' });
    expect(b.process.ancestors).toEqual([{ pid: '2984', path: '/usr/bin/conmon', name: 'conmon' }]);
  });
  it('keeps the watched file of an audit read and the terminal', () => {
    expect(c.file).toEqual({ path: '/var/lib/kubelet/kubeconfig' });
    expect(c.process.tty).toBe(true);
  });
});

describe('datadog v2 signals API', () => {
  it('reads the workload-protection event under attributes.custom and the Kubernetes tags', () => {
    const signal = {
      id: 'AQAAAZ1',
      type: 'signal',
      attributes: {
        timestamp: '2027-07-21T14:52:10.512Z',
        message: '## Goal',
        tags: ['kube_namespace:risk-ml', 'pod_name:triton-0', 'kube_container_name:triton', `container_id:${'c'.repeat(64)}`, 'host:gpu-a'],
        custom: {
          title: 'Kubernetes service account token read by an unexpected process',
          status: 'high',
          agent: { rule_id: 'k8s_sa_token_access' },
          evt: { name: 'open', outcome: 'Success' },
          file: { path: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
          process: { pid: 9, comm: 'python3', executable: { path: '/usr/bin/python3.10', name: 'python3.10' }, argv0: 'python3', args: ['-c', 'print(1)'], parent: { pid: 8, comm: 'sh', argv0: 'sh', args: ['-c', 'x'] } },
          container: { id: 'c'.repeat(64) },
        },
      },
    };
    expect(datadogCws.detect(signal, { fileName: 'x.json' })).toBe(1);
    const [a] = mapAll(datadogCws, [signal]);
    expect(a).toMatchObject({ time: '2027-07-21T14:52:10.512Z', severity: 'high', title: 'Kubernetes service account token read by an unexpected process' });
    expect(a.container).toMatchObject({ pod: 'triton-0', namespace: 'risk-ml', name: 'triton', id: 'c'.repeat(64) });
    expect(a.file?.path).toBe('/var/run/secrets/kubernetes.io/serviceaccount/token');
    expect(a.process.ancestors[0].commandLine).toBe('sh -c x');
  });
});

describe('vectra sweeps', () => {
  it('places a 0.0.0.0 sweep on the first host of dst_ips', () => {
    const [a] = mapAll(vectra, [
      { detection_id: 1, d_type: 'port_sweep', d_type_vname: 'Port Sweep', host_ip: '172.31.22.31', dd_dst_ip: '0.0.0.0', dd_dst_port: 9100, dst_ips: '172.31.4.37/32, 172.31.21.190/32', vectra_timestamp: '1810647380' },
    ]);
    expect(a.network).toMatchObject({ srcIp: '172.31.22.31', dstIp: '172.31.4.37', dstPort: 9100 });
    expect(a.description).toContain('172.31.21.190');
  });
});

describe('guardduty findings on a controller', () => {
  it('names the DaemonSet instead of a pod', () => {
    const [a] = mapAll(guardDuty, [
      {
        schemaVersion: '2.0',
        id: 'f1',
        arn: 'arn:aws:guardduty:us-east-2:1:detector/d/finding/f1',
        type: 'PrivilegeEscalation:Kubernetes/PrivilegedContainer',
        title: 'Privileged container with root level access launched on EKS Cluster prod.',
        severity: 5,
        createdAt: '2027-05-18T13:25:00.000Z',
        resource: {
          resourceType: 'EKSCluster',
          eksClusterDetails: { name: 'prod' },
          kubernetesDetails: { kubernetesWorkloadDetails: { name: 'node-maintenance', type: 'daemonsets', namespace: 'ops', containers: [{ name: 'node-maintenance', image: 'x/node-maintenance:1.9.0', securityContext: { privileged: true } }] } },
        },
        service: { serviceName: 'guardduty', eventFirstSeen: '2027-05-18T13:20:41.204Z', action: { actionType: 'KUBERNETES_API_CALL', kubernetesApiCallAction: { verb: 'patch', resource: 'daemonsets', namespace: 'ops', resourceName: 'node-maintenance' } } },
      },
    ]);
    expect(a.container).toMatchObject({ namespace: 'ops', workload: { kind: 'DaemonSet', name: 'node-maintenance' }, name: 'node-maintenance', privileged: true });
    expect(a.container.pod).toBeUndefined();
  });
});
