/**
 * litmus-experiment: LitmusChaos experiment and helper pods running their own command while the ChaosEngine a person
 * created (audit log) runs: admin-activity, naming the engine and its creator. Found in the chaos-gameday validation
 * scenario; with the traps (a Litmus-labelled pod created with the experiment's token from another address, after the
 * engine's window, another command in the experiment pod).
 */
import { describe, expect, it } from 'vitest';
import type { AuditActivity } from '../../../src/cluster/model.js';
import { summarizeChaosFault } from '../../../src/cluster/audit.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, node, owner, pod, snapshot } from '../../support/cluster.js';

const T = (hms: string) => `2027-03-11T${hms}.000Z`;
const NS = 'litmus';
const experiment = pod('node-cpu-hog-w8m2qz-94xpq', {
  namespace: NS,
  node: 'stg-wrk-01',
  ip: '10.16.0.85',
  owner: { kind: 'Job', name: 'node-cpu-hog-w8m2qz' },
  containers: [{ name: 'node-cpu-hog', image: 'litmuschaos/go-runner:3.10.0', command: ['/bin/bash'], args: ['-c', './experiments -name node-cpu-hog'] }],
});
const helperPod = pod('node-cpu-hog-helper-n6l2b', {
  namespace: NS,
  node: 'stg-wrk-04',
  ip: '10.16.0.38',
  labels: { app: 'node-cpu-hog-helper', chaosUID: '6c1f0f7e-0000-4000-a000-000000000001' },
  containers: [{ name: 'node-cpu-hog-helper', image: 'litmuschaos/go-runner:3.10.0', command: ['stress-ng'], args: ['--cpu', '4', '--timeout', '120'] }],
});
const engine: AuditActivity = {
  time: T('10:44:55'),
  user: 'priya.nair@example.org',
  groups: ['oidc:sre'],
  verb: 'create',
  apiGroup: 'litmuschaos.io',
  resource: 'chaosengines',
  namespace: NS,
  name: 'node-cpu-hog-wrk04',
  sourceIps: ['10.70.8.14'],
  code: 201,
  chaos: summarizeChaosFault(
    {
      kind: 'ChaosEngine',
      spec: { engineState: 'active', experiments: [{ name: 'node-cpu-hog', spec: { components: { env: [{ name: 'TOTAL_CHAOS_DURATION', value: '120' }, { name: 'TARGET_NODES', value: 'stg-wrk-04' }] } } }] },
    },
    NS,
  ),
};
const helperCreated = (from: string): AuditActivity => ({
  time: T('10:45:30'),
  user: 'system:serviceaccount:litmus:litmus-admin',
  groups: ['system:serviceaccounts'],
  verb: 'create',
  resource: 'pods',
  namespace: NS,
  name: helperPod.metadata.name,
  sourceIps: [from],
  code: 201,
  tokenBoundPod: experiment.metadata.name,
});

function verdictFor(target: typeof helperPod, cmd: string, time: string, activities: AuditActivity[]) {
  const job = owner('Job', 'node-cpu-hog-w8m2qz', NS, { kind: 'ChaosEngine', name: 'node-cpu-hog-wrk04' });
  const snap = snapshot([node('stg-wrk-01', '10.60.0.21'), node('stg-wrk-04', '10.60.0.24'), job, experiment, helperPod]);
  snap.auditActivities = activities;
  const a = alert({
    host: target.spec.nodeName,
    time: T(time),
    process: { name: cmd.split(' ')[0].split('/').pop(), commandLine: cmd },
    ancestors: [{ name: 'containerd-shim-runc-v2' }],
    container: { id: containerIdOf(target).slice(0, 12), namespace: NS, pod: target.metadata.name, name: target.spec.containers[0].name },
  });
  return triageAlert(a, { index: buildIndex([snap]) }).verdict;
}

const litmusEvidence = (v: ReturnType<typeof verdictFor>) => v.reasons.some((r) => r.rule === 'litmus-experiment');

describe('litmus-experiment', () => {
  it("the engine's experiment pod running its own command: admin-activity, naming the engine and its creator", () => {
    const v = verdictFor(experiment, '/bin/bash -c ./experiments -name node-cpu-hog', '10:45:20', [engine]);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
    expect(v.reasons[0].message).toMatch(/ChaosEngine litmus\/node-cpu-hog-wrk04.*priya\.nair@example\.org/);
  });
  it("a helper created by the experiment pod's token from that pod's address, running stress-ng", () => {
    const v = verdictFor(helperPod, 'stress-ng --cpu 4 --timeout 120', '10:45:40', [engine, helperCreated('10.16.0.85')]);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
  });
  it("trap: the same helper created with the experiment's token from a node's address", () => {
    const v = verdictFor(helperPod, 'stress-ng --cpu 4 --timeout 120', '10:45:40', [engine, helperCreated('10.60.0.21')]);
    expect(litmusEvidence(v)).toBe(false);
    expect(v.cause).not.toBe('admin-activity');
  });
  it("trap: long after the engine's duration", () => {
    expect(litmusEvidence(verdictFor(experiment, '/bin/bash -c ./experiments -name node-cpu-hog', '12:30:00', [engine]))).toBe(false);
  });
  it('trap: another command in the experiment pod', () => {
    expect(litmusEvidence(verdictFor(experiment, 'sh -c id', '10:45:20', [engine]))).toBe(false);
  });
  it('trap: no ChaosEngine in the audit log', () => {
    expect(litmusEvidence(verdictFor(experiment, '/bin/bash -c ./experiments -name node-cpu-hog', '10:45:20', [helperCreated('10.16.0.85')]))).toBe(false);
  });
});
