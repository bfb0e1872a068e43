/**
 * Red-team traps for gone-component ("one of the component's own executables, in a gone DaemonSet pod"):
 * node-problem-detector lists sh, bash, crictl, systemctl and journalctl among its programs (its health-checker runs
 * them), so any shell — or those CLIs doing something else — in a gone node-problem-detector pod was "its own
 * executable". A shell or CLI that every intruder also runs proves nothing about whose it was.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import type { AuditActivity, KubeObject } from '../../../src/cluster/model.js';
import { correlate } from '../../../src/triage/correlate.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { goneComponent } from '../../../src/triage/rules/gone-component.js';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import { alert, node, snapshot } from '../../support/cluster.js';

const NPD = 'registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.20';
const GONE_NODE = 'ip-10-42-23-77.eu-central-1.compute.internal';
const ds: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'node-problem-detector', namespace: 'kube-system', uid: 'ds-npd' },
  spec: { template: { spec: { containers: [{ name: 'node-problem-detector', image: NPD, command: ['/node-problem-detector'], securityContext: { privileged: true } }] } } },
};
const created: AuditActivity = {
  time: '2026-12-03T07:40:26.000Z',
  user: 'system:serviceaccount:kube-system:daemon-set-controller',
  groups: [],
  verb: 'create',
  resource: 'pods',
  namespace: 'kube-system',
  name: 'node-problem-detector-q7x2m',
  sourceIps: ['10.42.31.201'],
  code: 201,
  podSpec: { images: [NPD], owner: 'DaemonSet', ownerName: 'node-problem-detector', nodeName: GONE_NODE },
};

function run(process: ProcessInfo, ancestors: ProcessInfo[], extra: { file?: string; title?: string } = {}) {
  const s = snapshot([node('ip-10-42-7-141.eu-central-1.compute.internal', '10.42.7.141'), ds]);
  s.auditActivities = [created];
  const index = buildIndex([s]);
  const a = alert({ host: 'ip-10-42-23-77', time: '2026-12-03T07:52:00.000Z', title: extra.title, file: extra.file, container: { id: 'd'.repeat(64), name: 'node-problem-detector', namespace: 'kube-system', image: NPD }, process, ancestors });
  const correlation = correlate(a, index);
  return { gone: correlation.gonePod?.name, evidence: goneComponent.evaluate({ alert: a, correlation, index }), verdict: triageAlert(a, { index }).verdict };
}

describe('redteam3 gone-component: a shell in a gone node-problem-detector pod', () => {
  it('trap: bash -c reading the node credentials is not "one of its own executables"', () => {
    const r = run({ name: 'bash', path: '/bin/bash', commandLine: 'bash -c cat /var/lib/kubelet/kubeconfig' }, [{ name: 'bash', commandLine: 'bash -i' }], { title: 'Shell in a monitoring container' });
    expect(r.gone).toBe('node-problem-detector-q7x2m');
    expect(r.evidence).toEqual([]);
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: an interactive sh in the pod stays genuine', () => {
    const r = run({ name: 'sh', path: '/bin/sh', commandLine: 'sh -i' }, [{ name: 'runc', commandLine: 'runc exec' }], { title: 'Terminal shell in container' });
    expect(r.evidence).toEqual([]);
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: journalctl dumping another unit is not its own health check (CLIs prove nothing either)', () => {
    const r = run({ name: 'journalctl', path: '/usr/bin/journalctl', commandLine: 'journalctl -u sshd --no-pager' }, [{ name: 'sh', commandLine: 'sh' }]);
    expect(r.evidence).toEqual([]);
  });
  it('still explained: its own daemon', () => {
    const r = run({ name: 'node-problem-detector', path: '/node-problem-detector', commandLine: '/node-problem-detector --logtostderr' }, [{ name: 'containerd-shim-runc-v2' }]);
    expect(r.evidence).toHaveLength(1);
  });
});

describe('redteam3 gone-component: the health-checker’s own shell', () => {
  it('still explained: sh -c under health-checker', () => {
    const r = run({ name: 'sh', path: '/bin/sh', commandLine: 'sh -c systemctl is-active kubelet' }, [{ name: 'health-checker', commandLine: '/home/kubernetes/bin/health-checker --component=kubelet' }]);
    expect(r.evidence).toHaveLength(1);
  });
});
