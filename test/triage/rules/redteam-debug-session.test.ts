/**
 * Red-team traps for the excuses given to node sensors' host processes (no container id): an attacker on the node who
 * knows the rule names their processes like the excused daemon, or works while a colleague's debug session is open.
 * Every alert here must stay genuine.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { buildIndex } from '../../../src/cluster/index.js';
import type { ExecSession } from '../../../src/cluster/model.js';
import { alert, node, pod, snapshot } from '../../support/cluster.js';

const SHIM = { name: 'containerd-shim-runc-v2', commandLine: 'containerd-shim-runc-v2 -namespace k8s.io -id 1a2b' };
const SSHD = { name: 'sshd', commandLine: 'sshd: root@pts/0' };
const SYSTEMD = { name: 'systemd', commandLine: '/sbin/init' };

describe('redteam correlate: a host shell during a colleague\'s kubectl debug session on the node', () => {
  const N = 'aks-pool-1-vmss000000';
  const debugged = pod('gateway-7c5d8f6b9-k4m2x', {
    namespace: 'payments',
    node: N,
    ip: '10.244.2.24',
    containers: [{ name: 'gateway', image: 'acr.example/payments/gateway:2.9.1', command: ['/usr/local/bin/gateway'] }],
  });
  debugged.spec.ephemeralContainers = [{ name: 'debugger-7xk2q', image: 'busybox:1.36', stdin: true, tty: true, targetContainerName: 'gateway' } as never];
  debugged.status!.ephemeralContainerStatuses = [{ name: 'debugger-7xk2q', containerID: `containerd://${'d'.repeat(64)}` } as never];
  const session: ExecSession = {
    kind: 'ephemeral-container',
    user: 'sara@example.com',
    groups: ['system:authenticated'],
    sourceIps: ['10.60.4.21'],
    userAgent: 'kubectl/v1.30.2 (darwin/arm64) kubernetes/39683505',
    namespace: 'payments',
    pod: debugged.metadata.name,
    container: 'debugger-7xk2q',
    command: [],
    tty: true,
    start: '2026-01-01T11:55:00Z',
    end: '2026-01-01T12:10:00Z',
    code: 101,
  } as ExecSession;
  const index = buildIndex([snapshot([node(N, '10.224.0.6'), debugged], [session])]);
  const run = (ancestors: { name: string; path?: string; commandLine?: string }[]) =>
    triageAlert(
      alert({ host: N, title: 'Suspicious access to the file system of another process', process: { name: 'cat', path: '/usr/bin/cat', commandLine: 'cat /proc/1/root/etc/gateway/gateway.yaml' }, ancestors }),
      { index },
    ).verdict;

  it('trap: cat under a bash of an SSH login on the node is not the debug container', () => {
    const v = run([{ name: 'bash', path: '/usr/bin/bash', commandLine: '-bash' }, SSHD, SYSTEMD]);
    expect(v.label).toBe('genuine');
    expect(v.cause).not.toBe('admin-activity');
  });
  it('trap: cat under a shell whose chain stops at the shell (no runtime seen) is not placed in the debug container', () => {
    const v = run([{ name: 'sh', path: '/bin/sh', commandLine: 'sh' }]);
    expect(v.cause).not.toBe('admin-activity');
  });
  it('still places the shell the runtime started (shim above it)', () => {
    const v = run([{ name: 'sh', path: '/bin/sh', commandLine: 'sh' }, SHIM]);
    expect(v.cause).toBe('admin-activity');
  });
});
