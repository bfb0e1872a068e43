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
