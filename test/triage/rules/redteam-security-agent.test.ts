/**
 * Red-team trap for privileged-root's security-agent excuse: a node sensor's eBPF load by a process named like the
 * GuardDuty agent's daemon, where the "launcher" is a tini the attacker started from an SSH login rather than the
 * container runtime. It must stay genuine.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'ip-10-0-9-41.us-east-2.compute.internal';
const agent = pod('aws-guardduty-agent-k2x8p', {
  namespace: 'amazon-guardduty',
  node: N,
  ip: '10.0.9.60',
  owner: { kind: 'DaemonSet', name: 'aws-guardduty-agent' },
  containers: [{ name: 'aws-guardduty-agent', image: '602401143452.dkr.ecr.us-east-2.amazonaws.com/aws-guardduty-agent:v1.7.1', securityContext: { privileged: true } }],
});
const index = indexOf([node(N, '10.0.9.41'), owner('DaemonSet', 'aws-guardduty-agent', 'amazon-guardduty'), agent]);
const DAEMON = { name: 'aws-guardduty-agent', path: '/usr/local/bin/aws-guardduty-agent', commandLine: '/usr/local/bin/aws-guardduty-agent' };
const run = (ancestors: { name: string; commandLine?: string }[]) => triageAlert(alert({ host: N, title: 'SuspiciousEbpfProgramLoad', process: DAEMON, ancestors }), { index }).verdict;

describe('redteam privileged-root: a security agent daemon look-alike loading eBPF', () => {
  it('still explains the daemon the runtime started through tini', () => {
    expect(run([{ name: 'tini', commandLine: 'tini -- /usr/local/bin/aws-guardduty-agent' }, { name: 'containerd-shim-runc-v2' }]).label).toBe('likely-false-positive');
  });
  it('trap: the same name under a tini that an SSH login started (no runtime above the init)', () => {
    expect(run([{ name: 'tini', commandLine: 'tini -- /usr/local/bin/aws-guardduty-agent' }, { name: 'bash', commandLine: '-bash' }, { name: 'sshd', commandLine: 'sshd: root@pts/0' }]).label).toBe('genuine');
  });
});
