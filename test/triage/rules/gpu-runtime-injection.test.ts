/**
 * gpu-runtime-injection: GuardDuty's "new library loaded" for the NVIDIA driver library the container runtime mounted
 * into a GPU container, loaded by the container's own entrypoint — and the traps: a library outside the runtime's
 * files, a container that asked for no GPU, and a process that is not the container's own program.
 */
import { describe, expect, it } from 'vitest';
import { guardDuty } from '../../../src/alerts/vendors/guardduty.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { Pod } from '../../../src/cluster/model.js';
import { containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'ip-10-42-18-205.us-east-2.compute.internal';
const NVML = '/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.550.127.05';
const exporter = (name: string, env: string[]) =>
  pod(name, {
    namespace: 'monitoring',
    node: N,
    ip: '10.42.18.47',
    owner: { kind: 'DaemonSet', name: 'dcgm-exporter' },
    containers: [{ name: 'exporter', image: 'nvcr.io/nvidia/k8s/dcgm-exporter:3.3.9-3.6.1-ubuntu22.04', command: ['/usr/bin/dcgm-exporter'], args: ['-f', '/etc/dcgm-exporter/dcp-metrics-included.csv'], env: env.map((n) => ({ name: n })) }],
  });
const gpu = exporter('dcgm-exporter-jqlbw', ['NODE_NAME', 'NVIDIA_VISIBLE_DEVICES']);
const noGpu = exporter('dcgm-exporter-x2', ['NODE_NAME']);
const index = indexOf([node(N, '10.42.18.205'), owner('DaemonSet', 'dcgm-exporter', 'monitoring'), gpu, noGpu]);

function finding(p: Pod, processPath: string, library: string) {
  const record = {
    schemaVersion: '2.0', accountId: '1', region: 'us-east-2', id: 'f', arn: 'arn:aws:guardduty:us-east-2:1:detector/d/finding/f', type: 'Execution:Runtime/NewLibraryLoaded', severity: 5,
    title: 'A newly created or recently modified library was loaded by a process inside a container.', createdAt: '2027-03-09T14:01:22.412Z',
    resource: {
      resourceType: 'EKSCluster',
      instanceDetails: { instanceId: 'i-0d6e2a9c4b81f7350', networkInterfaces: [{ privateDnsName: N, privateIpAddress: '10.42.18.205' }] },
      kubernetesDetails: { kubernetesWorkloadDetails: { name: p.metadata.name, type: 'pods', namespace: 'monitoring', containers: [{ id: containerIdOf(p), name: 'exporter', image: 'nvcr.io/nvidia/k8s/dcgm-exporter:3.3.9-3.6.1-ubuntu22.04' }] } },
    },
    service: {
      serviceName: 'guardduty', featureName: 'RuntimeMonitoring', eventFirstSeen: '2027-03-09T14:00:24.000Z',
      runtimeDetails: { process: { name: processPath.split('/').pop(), executablePath: processPath, pid: 1622109 }, context: { libraryPath: library } },
    },
  };
  return guardDuty.map(record, { file: 'gd.jsonl', record: 1, vendor: 'guardduty' });
}

describe('gpu-runtime-injection', () => {
  it("maps GuardDuty's runtime context library path as the alert's file", () => {
    expect(finding(gpu, '/usr/bin/dcgm-exporter', NVML).file).toEqual({ path: NVML });
  });
  it('explains the NVML library loaded by the entrypoint of a container given GPUs', () => {
    expect(triageAlert(finding(gpu, '/usr/bin/dcgm-exporter', NVML), { index }).verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: a library the runtime never injects', () => {
    expect(triageAlert(finding(gpu, '/usr/bin/dcgm-exporter', '/tmp/.x/libprocesshider.so'), { index }).verdict.label).toBe('genuine');
  });
  it('trap: a container that asked for no GPU', () => {
    expect(triageAlert(finding(noGpu, '/usr/bin/dcgm-exporter', NVML), { index }).verdict.label).toBe('genuine');
  });
  it("trap: a process that is not the container's own program", () => {
    expect(triageAlert(finding(gpu, '/tmp/warmup', NVML), { index }).verdict.label).toBe('genuine');
  });
});
