/**
 * Red-team 6: gpu-runtime-injection excused a "new library loaded" finding for any /usr/lib/…/libnvidia-<anything>.so
 * loaded by a GPU container's own program. The toolkit bind-mounts the driver's libraries read-only, but the directory
 * is the image's: root in the container writes libnvidia-hook.so next to them, adds it to /etc/ld.so.preload, and the
 * entrypoint loads it — "a driver file the runtime mounts". Fix: the driver libraries by name (knowledge/gpu-runtime.ts),
 * and, when the node's GPU feature-discovery labels give the driver version, a versioned library of another version is
 * no file the runtime mounted there.
 */
import { describe, expect, it } from 'vitest';
import { guardDuty } from '../../../src/alerts/vendors/guardduty.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'ip-10-42-18-205.us-east-2.compute.internal';
const DIR = '/usr/lib/x86_64-linux-gnu';
const gpu = pod('dcgm-exporter-jqlbw', {
  namespace: 'monitoring',
  node: N,
  ip: '10.42.18.47',
  owner: { kind: 'DaemonSet', name: 'dcgm-exporter' },
  containers: [{ name: 'exporter', image: 'nvcr.io/nvidia/k8s/dcgm-exporter:3.3.9-3.6.1-ubuntu22.04', command: ['/usr/bin/dcgm-exporter'], env: [{ name: 'NVIDIA_VISIBLE_DEVICES' }] }],
});
const labelled = node(N, '10.42.18.205');
labelled.metadata.labels = { 'nvidia.com/cuda.driver.major': '550', 'nvidia.com/cuda.driver.minor': '127', 'nvidia.com/cuda.driver.rev': '05' };
const unlabelled = node(N, '10.42.18.205');

function loaded(library: string, labels = true) {
  const index = indexOf([labels ? labelled : unlabelled, owner('DaemonSet', 'dcgm-exporter', 'monitoring'), gpu]);
  const record = {
    schemaVersion: '2.0', accountId: '1', region: 'us-east-2', id: 'f', arn: 'arn:aws:guardduty:us-east-2:1:detector/d/finding/f', type: 'Execution:Runtime/NewLibraryLoaded', severity: 5,
    title: 'A newly created or recently modified library was loaded by a process inside a container.', createdAt: '2027-03-09T14:01:22.412Z',
    resource: {
      resourceType: 'EKSCluster',
      instanceDetails: { instanceId: 'i-0d6e2a9c4b81f7350', networkInterfaces: [{ privateDnsName: N, privateIpAddress: '10.42.18.205' }] },
      kubernetesDetails: { kubernetesWorkloadDetails: { name: gpu.metadata.name, type: 'pods', namespace: 'monitoring', containers: [{ id: containerIdOf(gpu), name: 'exporter', image: 'nvcr.io/nvidia/k8s/dcgm-exporter:3.3.9-3.6.1-ubuntu22.04' }] } },
    },
    service: {
      serviceName: 'guardduty', featureName: 'RuntimeMonitoring', eventFirstSeen: '2027-03-09T14:00:24.000Z',
      runtimeDetails: { process: { name: 'dcgm-exporter', executablePath: '/usr/bin/dcgm-exporter', pid: 1622109 }, context: { libraryPath: library } },
    },
  };
  return triageAlert(guardDuty.map(record, { file: 'gd.jsonl', record: 1, vendor: 'guardduty' }), { index }).verdict;
}

describe('redteam6 gpu-runtime-injection: which libraries the runtime mounts', () => {
  it("still explained: the node's own NVML, its ABI link, and NVML on a node without driver labels", () => {
    expect(loaded(`${DIR}/libnvidia-ml.so.550.127.05`)).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(loaded(`${DIR}/libnvidia-ml.so.1`).label).toBe('likely-false-positive');
    expect(loaded(`${DIR}/libcuda.so.535.161.08`, false).label).toBe('likely-false-positive');
  });
  it('trap: a library named libnvidia-<anything> written next to the mounted ones', () => {
    expect(loaded(`${DIR}/libnvidia-hook.so`).label).toBe('genuine');
    expect(loaded(`${DIR}/libnvidia-ml-preload.so.1`).label).toBe('genuine');
  });
  it("trap: a driver library's name with a version the node's driver is not", () => {
    expect(loaded(`${DIR}/libnvidia-ml.so.999.1.1`).label).toBe('genuine');
  });
});
