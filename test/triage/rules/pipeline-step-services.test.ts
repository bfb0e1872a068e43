/**
 * pipeline-step-services: a Kubeflow Pipelines v2 step pod (kfp-launcher init container) writing to the Kubeflow MinIO,
 * flagged by a network sensor for MinIO's default credentials — and the traps: a notebook pod doing the same, the step
 * to another port or another image on 9000, and a named process that is not the container's own.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { Pod } from '../../../src/cluster/model.js';
import { alert, indexOf, node, pod } from '../../support/cluster.js';

const NS = 'kubeflow-user-ana';
const step: Pod = pod('llm-eval-x8k2m-system-container-impl-1', {
  namespace: NS,
  node: 'mlp-cpu-2',
  ip: '10.200.2.61',
  owner: { kind: 'Workflow', name: 'llm-eval-x8k2m' },
  containers: [{ name: 'main', image: 'python:3.11', command: ['/var/run/argo/argoexec', 'emissary', '--', '/kfp-launcher/launch'] }],
});
step.spec.initContainers = [{ name: 'kfp-launcher', image: 'gcr.io/ml-pipeline/kfp-launcher:2.3.0', command: ['launcher-v2', '--copy', '/kfp-launcher/launch'] }];
const notebook = pod('ana-nb-0', { namespace: NS, node: 'mlp-cpu-2', ip: '10.200.2.44', owner: { kind: 'StatefulSet', name: 'ana-nb' }, containers: [{ name: 'nb', image: 'kubeflownotebookswg/jupyter-scipy:v1.9.0' }] });
const minio = pod('minio-5d8f-q589r', { namespace: 'kubeflow', node: 'mlp-cpu-1', ip: '10.200.1.20', owner: { kind: 'ReplicaSet', name: 'minio-5d8f' }, containers: [{ name: 'minio', image: 'gcr.io/ml-pipeline/minio:RELEASE.2019-08-14T20-37-41Z-license-compliance', args: ['server', '/data'] }] });
const other = pod('blob-7c9d-x2k4p', { namespace: 'kubeflow', node: 'mlp-cpu-1', ip: '10.200.1.21', owner: { kind: 'ReplicaSet', name: 'blob-7c9d' }, containers: [{ name: 'blob', image: 'registry.example/blob-cache:1.0' }] });
const index = indexOf([node('mlp-cpu-1', '10.164.0.11'), node('mlp-cpu-2', '10.164.0.12'), step, notebook, minio, other]);

function flow(srcIp: string, dstIp: string, dstPort: number, processName?: string) {
  const a = alert({
    time: '2027-03-11T09:03:40.220Z',
    title: 'ET POLICY MinIO Default Credentials (minio/minio123) in S3 Authorization Header',
    network: { srcIp, srcPort: 44120, dstIp, dstPort, protocol: 'tcp' },
    process: processName ? { name: processName, commandLine: `${processName} -s http://10.200.1.20:9000/` } : undefined,
  });
  return triageAlert(a, { index }).verdict;
}

describe('pipeline-step-services', () => {
  it("explains a KFP step writing to the pipeline's MinIO", () => {
    expect(flow('10.200.2.61', '10.200.1.20', 9000)).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: a notebook pod doing the same', () => {
    expect(flow('10.200.2.44', '10.200.1.20', 9000).label).toBe('genuine');
  });
  it('trap: the step to another port, or to another image on 9000', () => {
    expect(flow('10.200.2.61', '10.200.1.20', 22).label).toBe('genuine');
    expect(flow('10.200.2.61', '10.200.1.21', 9000).label).toBe('genuine');
  });
  it('trap: a named process (a host or runtime sensor) is not this rule’s to explain', () => {
    expect(flow('10.200.2.61', '10.200.1.20', 9000, 'curl').label).toBe('genuine');
  });
});
