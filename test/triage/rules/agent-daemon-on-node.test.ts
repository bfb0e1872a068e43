/**
 * privileged-root, node sensor view: a runtime security agent's own daemon (the GuardDuty runtime agent, the Sysdig
 * agent behind tini) loading its eBPF programs, seen as a host process under the container runtime — and the traps: the
 * same name run from a staging directory or from a shell, and a node where the agent's pod does not run.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const N1 = 'ip-10-42-13-77.us-east-2.compute.internal';
const N2 = 'ip-10-42-27-141.us-east-2.compute.internal';
const N3 = 'ip-10-42-40-8.us-east-2.compute.internal';
const STARTED = '2027-03-09T13:22:05Z';
const gdDs = owner('DaemonSet', 'aws-guardduty-agent', 'amazon-guardduty');
const guardduty = (name: string, nodeName: string) =>
  pod(name, {
    namespace: 'amazon-guardduty',
    node: nodeName,
    hostPID: true,
    created: STARTED,
    owner: { kind: 'DaemonSet', name: 'aws-guardduty-agent' },
    containers: [
      {
        name: 'aws-guardduty-agent',
        image: '602401143452.dkr.ecr.us-east-2.amazonaws.com/aws-guardduty-agent:v1.9.0',
        securityContext: { runAsUser: 0, capabilities: { add: ['BPF', 'PERFMON', 'SYS_ADMIN'], drop: ['ALL'] } },
      },
    ],
  });
const sysdigDs = owner('DaemonSet', 'sysdig-agent', 'sysdig-agent');
const sysdig = pod('sysdig-agent-gqjkh', {
  namespace: 'sysdig-agent',
  node: N2,
  hostNetwork: true,
  hostPID: true,
  created: '2027-03-09T13:06:49Z',
  owner: { kind: 'DaemonSet', name: 'sysdig-agent' },
  containers: [{ name: 'sysdig', image: 'quay.io/sysdig/agent-slim:13.6.1', securityContext: { privileged: true } }],
});
const index = indexOf([node(N1, '10.42.13.77'), node(N2, '10.42.27.141'), node(N3, '10.42.40.8'), gdDs, guardduty('aws-guardduty-agent-zxlbq', N1), sysdigDs, sysdig]);

const SHIM = { name: 'containerd-shim-runc-v2', path: '/usr/bin/containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 0123abcd -address /run/containerd/containerd.sock' };
const bpfLoad = (host: string, path: string, ancestors: { name: string; path: string; commandLine?: string }[]) =>
  alert({ host, time: '2027-03-09T13:22:07.000Z', title: 'SuspiciousEbpfProgramLoad', process: { name: path.split('/').pop(), path, commandLine: path }, ancestors });

describe('privileged-root: a security agent daemon loading eBPF, seen from the node', () => {
  it('explains the GuardDuty runtime agent started by the container runtime on a node where its DaemonSet pod runs', () => {
    const v = triageAlert(bpfLoad(N1, '/usr/bin/aws-guardduty-agent', [SHIM]), { index }).verdict;
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
    expect(v.reasons[0].message).toContain('aws-guardduty-agent-zxlbq');
  });
  it('explains the Sysdig agent daemon behind tini', () => {
    const v = triageAlert(bpfLoad(N2, '/opt/draios/bin/dragent', [{ name: 'tini', path: '/usr/bin/tini', commandLine: '/usr/bin/tini -g -- /docker-entrypoint.sh' }, SHIM]), { index }).verdict;
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });
  it('trap: the agent name run from a hidden staging directory', () => {
    expect(triageAlert(bpfLoad(N1, '/var/tmp/.gd/aws-guardduty-agent', [SHIM]), { index }).verdict.label).toBe('genuine');
  });
  it('trap: the agent name run from a shell', () => {
    expect(triageAlert(bpfLoad(N1, '/usr/bin/aws-guardduty-agent', [{ name: 'sh', path: '/bin/sh' }, SHIM]), { index }).verdict.label).toBe('genuine');
  });
  it("trap: a node where the agent's pod does not run", () => {
    expect(triageAlert(bpfLoad(N3, '/usr/bin/aws-guardduty-agent', [SHIM]), { index }).verdict.label).toBe('genuine');
  });
  it('trap: a behaviour that is not the privileged work the agent exists for', () => {
    const a = bpfLoad(N1, '/usr/bin/aws-guardduty-agent', [SHIM]);
    a.title = 'Outbound connection to a rare domain';
    expect(triageAlert(a, { index }).verdict.label).toBe('genuine');
  });
});
