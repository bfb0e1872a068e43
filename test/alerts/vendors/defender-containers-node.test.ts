import { describe, expect, it } from 'vitest';
import { defenderXdr } from '../../../src/alerts/vendors/defender.js';
import { mapAll } from './helpers.js';

/** A Defender for Containers node-sensor alert (K8S.NODE_*) as it lands in the hunting export: no DeviceId, the pod in AdditionalFields. */
const row = {
  Timestamp: '2026-12-03T12:00:14.2290000Z',
  AlertId: 'dc2482083534047067_181555362',
  Title: 'Possible data exfiltration to cloud storage',
  Category: 'Exfiltration',
  Severity: 'Low',
  ServiceSource: 'Microsoft Defender for Cloud',
  DetectionSource: 'Microsoft Defender for Cloud',
  AttackTechniques: '["Transfer Data to Cloud Account (T1537)"]',
  EntityType: 'Process',
  EvidenceRole: 'Impacted',
  DeviceId: '',
  DeviceName: 'gke-pool-a-x4tn',
  LocalIP: '10.132.0.24',
  FileName: 'python3',
  FolderPath: '/usr/bin/python3',
  ProcessCommandLine: '/usr/bin/python3 gsutil -q cp - gs://bucket/x.gz',
  InitiatingProcessFileName: 'bash',
  InitiatingProcessCommandLine: '/bin/bash -c pg_dump db | gzip -c | gsutil -q cp - gs://bucket/x.gz',
  InitiatingProcessParentFileName: 'containerd-shim-runc-v2',
  AdditionalFields: '{"AlertType":"K8S.NODE_DataExfiltrationCloudStorage","ClusterName":"prod","Namespace":"storefront","PodName":"pg-backup-1-w9n4t","ContainerName":"pg-backup"}',
};

describe('defender-xdr: Defender for Containers node-sensor rows', () => {
  it('reads namespace, pod and container from AdditionalFields', () => {
    const [a] = mapAll(defenderXdr, [row], 'd.csv');
    expect(a.container).toMatchObject({ namespace: 'storefront', pod: 'pg-backup-1-w9n4t', name: 'pg-backup' });
    expect(a.cluster).toBe('prod');
  });

  it('leaves the container name empty when AdditionalFields has none (an MDE row)', () => {
    const [a] = mapAll(defenderXdr, [{ ...row, AdditionalFields: '{"ProcessPosixEffectiveUser":{"Name":"root","PosixUserId":0}}' }], 'd.csv');
    expect(a.container.name).toBeUndefined();
    expect(a.container.pod).toBeUndefined();
  });
});

describe('defender-xdr: Defender for Containers control-plane rows naming a workload', () => {
  const plane = {
    ...row,
    Title: 'Container with a sensitive volume mount detected',
    EntityType: 'CloudLogonSession',
    DeviceName: '',
    LocalIP: '',
    FileName: '',
    FolderPath: '',
    ProcessCommandLine: '',
    InitiatingProcessFileName: '',
    InitiatingProcessCommandLine: '',
    InitiatingProcessParentFileName: '',
    AccountName: 'storefront-web@acme-retail-prod.iam.gserviceaccount.com',
    RemoteIP: '192.0.2.147',
    AdditionalFields: '{"AlertType":"K8S_SensitiveMount","ClusterName":"prod","Namespace":"default","ResourceName":"fluentbit-gke","ResourceKind":"DaemonSet","HostPath":"/var/lib/kubelet"}',
  };
  it('places the alert on the named workload and keeps the API identity', () => {
    const [a] = mapAll(defenderXdr, [plane], 'd.csv');
    expect(a.container).toMatchObject({ namespace: 'default', workload: { kind: 'DaemonSet', name: 'fluentbit-gke' } });
    expect(a.apiRequest).toMatchObject({ user: 'storefront-web@acme-retail-prod.iam.gserviceaccount.com', resource: 'daemonsets', name: 'fluentbit-gke', namespace: 'default', sourceIps: ['192.0.2.147'] });
  });
  it('trap: a row naming no workload kind is not placed on one', () => {
    const [a] = mapAll(defenderXdr, [{ ...plane, AdditionalFields: '{"AlertType":"K8S_ServiceAccountRareOperation","Namespace":"ci","Operations":["patch deployments"]}' }], 'd.csv');
    expect(a.container.workload).toBeUndefined();
    expect(a.container.namespace).toBeUndefined();
  });
});
