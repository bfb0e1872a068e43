/**
 * A network sensor's view of EKS Fargate pods: the pod's address is its micro-VM node's too, and it is the pod's (also
 * after the pod finished and its node is gone); the platform's log router ships the pod's logs from that address; a
 * Job uploads to the bucket its own arguments name. Traps: host-network pods keep the node's address, other
 * destinations and pods without the platform's marks are not explained.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { vmPerPodPlatform } from '../../../src/knowledge/vm-per-pod.js';
import { bucketUriOf } from '../../../src/knowledge/cloud-endpoints.js';
import type { Pod } from '../../../src/cluster/model.js';
import { alert, node, owner, pod, snapshot } from '../../support/cluster.js';

const T = (hms: string) => `2027-03-09T${hms}.000Z`;
const FARGATE_LABEL = { 'eks.amazonaws.com/fargate-profile': 'fp-payments', app: 'payments-api' };

function fargatePod(name: string, ip: string, o: { annotations?: Record<string, string>; labels?: Record<string, string>; args?: string[]; phase?: string; finished?: string } = {}): Pod {
  const p = pod(name, {
    namespace: 'payments',
    node: `fargate-ip-${ip.replaceAll('.', '-')}.us-east-2.compute.internal`,
    ip,
    created: T('13:00:00'),
    labels: o.labels ?? FARGATE_LABEL,
    phase: o.phase,
    owner: { kind: 'ReplicaSet', name: 'payments-api-abc' },
    containers: [{ name: 'app', image: 'payments-api:5.8.2', command: ['python', '-m', 'app'], args: o.args }],
    statuses: o.finished ? [{ state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: T('13:00:05'), finishedAt: o.finished } } }] : undefined,
  });
  p.metadata.annotations = o.annotations;
  p.status!.hostIP = ip;
  return p;
}

const logged = fargatePod('payments-api-abc-x1', '10.42.101.87', { annotations: { CapacityProvisioned: '0.5vCPU 1GB', Logging: 'LoggingEnabled' } });
const unlogged = fargatePod('payments-api-abc-x2', '10.42.96.14');
const job = fargatePod('ledger-reconcile-1-abcde', '10.42.99.121', { args: ['--since=1h', '--upload=s3://ledger-prod-reconcile-reports/'], phase: 'Succeeded', finished: T('14:43:17') });
const ec2Twin = pod('payments-api-abc-x3', { namespace: 'payments', node: 'ip-10-42-11-23.us-east-2.compute.internal', ip: '10.42.11.23', created: T('13:00:00'), containers: [{ name: 'app', image: 'payments-api:5.8.2' }] });
ec2Twin.metadata.annotations = { Logging: 'LoggingEnabled' };
ec2Twin.status!.hostIP = '10.42.11.23';

const snap = snapshot([
  node('fargate-ip-10-42-101-87.us-east-2.compute.internal', '10.42.101.87'),
  node('fargate-ip-10-42-96-14.us-east-2.compute.internal', '10.42.96.14'),
  node('ip-10-42-11-23.us-east-2.compute.internal', '10.42.11.23'),
  owner('ReplicaSet', 'payments-api-abc', 'payments'),
  logged,
  unlogged,
  job,
  ec2Twin,
]);
const index = buildIndex([snap]);
const flow = (src: string, domain: string, time = T('13:41:05'), dstIp = '52.94.210.18') =>
  alert({ time, title: 'Unusual Data Transfer to External Endpoint', network: { srcIp: src, dstIp, dstPort: 443, domain } });
const verdict = (a: ReturnType<typeof alert>) => triageAlert(a, { index });

describe('EKS Fargate pods seen on the wire', () => {
  it('knows a Fargate pod by the platform label, never a host-network pod', () => {
    expect(vmPerPodPlatform(logged)?.name).toBe('EKS Fargate');
    expect(vmPerPodPlatform({ ...logged, spec: { ...logged.spec, hostNetwork: true } })).toBeUndefined();
    expect(vmPerPodPlatform(ec2Twin)).toBeUndefined();
  });
  it("places the Fargate pod's own address on the pod, also after it finished and its node is gone", () => {
    expect(index.podByIp('10.42.101.87', T('13:41:05'))?.metadata.name).toBe(logged.metadata.name);
    expect(index.podByIp('10.42.99.121', T('14:41:02'))?.metadata.name).toBe(job.metadata.name);
  });
  it('trap: an EC2 pod whose address is its node address stays the node (a host-network pod without the field)', () => {
    expect(index.podByIp('10.42.11.23', T('13:41:05'))).toBeUndefined();
  });

  it("explains the platform log router's delivery to CloudWatch Logs from a logged Fargate pod", () => {
    const { verdict: v, correlation } = verdict(flow('10.42.101.87', 'logs.us-east-2.amazonaws.com'));
    expect(correlation.subject.pod?.metadata.name).toBe(logged.metadata.name);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: the same pod sending to anything but a logging service', () => {
    expect(verdict(flow('10.42.101.87', 'paste.example.net', T('13:41:05'), '203.0.113.66')).verdict.label).toBe('genuine');
    expect(verdict(flow('10.42.101.87', 'sts.us-east-2.amazonaws.com')).verdict.label).toBe('genuine');
  });
  it('trap: a Fargate pod the platform does not log, and an EC2 pod carrying the annotation', () => {
    expect(verdict(flow('10.42.96.14', 'logs.us-east-2.amazonaws.com')).verdict.label).toBe('genuine');
    expect(verdict(flow('10.42.11.23', 'logs.us-east-2.amazonaws.com')).verdict.label).toBe('genuine');
  });

  it('reads a virtual-hosted bucket endpoint as the bucket URI', () => {
    expect(bucketUriOf('ledger-prod-reconcile-reports.s3.us-east-2.amazonaws.com')).toBe('s3://ledger-prod-reconcile-reports');
    expect(bucketUriOf('backups.storage.googleapis.com')).toBe('gs://backups');
    expect(bucketUriOf('s3.us-east-2.amazonaws.com')).toBeUndefined();
    expect(bucketUriOf('logs.us-east-2.amazonaws.com')).toBeUndefined();
  });
  it("explains a finished Job pod's upload to the bucket its own arguments name", () => {
    const v = verdict(flow('10.42.99.121', 'ledger-prod-reconcile-reports.s3.us-east-2.amazonaws.com', T('14:41:02'), '52.219.100.41')).verdict;
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: the same Job uploading to another bucket, or to a bucket whose name only starts like its own', () => {
    expect(verdict(flow('10.42.99.121', 'attacker-drop.s3.us-east-2.amazonaws.com', T('14:41:02'), '52.219.100.41')).verdict.label).toBe('genuine');
    expect(verdict(flow('10.42.99.121', 'ledger-prod-reconcile.s3.us-east-2.amazonaws.com', T('14:41:02'), '52.219.100.41')).verdict.label).toBe('genuine');
  });
});
