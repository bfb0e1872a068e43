/**
 * Red-team 5 traps for the EDR agents' own host-file scans (components.ts scansHostFiles, used by attack-indicators'
 * component excuse for node-credentials and by privileged-root's "own privileged behaviour"): a confirmed Cortex XDR
 * or SentinelOne agent pod reading credential files through its host-root mount is its scan, but a shell or an
 * interpreter in that pod reading them (an intruder in the agent's pod, or someone's kubectl exec) is not the agent.
 * Hole fixed (indicators.ts excusedForOwnProgramsOnly, attack-indicators componentExcuse): sh / bash / python3 in the
 * Cortex agent pod reading admin.conf, /etc/shadow or the kubelet key through /host-fs were excused as its scan.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'wrk-1';
const cortex = pod('cortex-agent-x7k2p', {
  namespace: 'cortex-xdr',
  node: N,
  hostNetwork: true,
  hostPID: true,
  owner: { kind: 'DaemonSet', name: 'cortex-agent' },
  containers: [{ name: 'cortex-agent', image: 'europe-docker.pkg.dev/xdr-eu/agent-docker/cortex-agent:8.5.0', securityContext: { privileged: true }, volumeMounts: [{ name: 'host-fs', mountPath: '/host-fs' }] }],
  volumes: [{ name: 'host-fs', hostPath: { path: '/' } }],
});
const index = indexOf([node(N, '10.0.1.11'), owner('DaemonSet', 'cortex-agent', 'cortex-xdr'), cortex]);
const inAgent = (process: { name: string; commandLine?: string; path?: string }, file: string, title = 'Credential file access', ancestors = [{ name: 'pmd', path: '/opt/traps/bin/pmd' }]) =>
  triageAlert(
    alert({ host: N, title, file, container: { id: containerIdOf(cortex), name: 'cortex-agent', pod: cortex.metadata.name, namespace: 'cortex-xdr' }, process, ancestors }),
    { index },
  ).verdict;

describe("redteam5 an EDR agent's host-file scan", () => {
  it('still explained: the agent daemon itself reading a credential file through its host mount', () => {
    expect(inAgent({ name: 'pmd', path: '/opt/traps/bin/pmd' }, '/host-fs/etc/kubernetes/admin.conf', 'Credential file access', []).label).toBe('likely-false-positive');
  });
  it.each([
    ['sh -c cat', { name: 'sh', path: '/bin/sh', commandLine: 'sh -c "cat /host-fs/etc/kubernetes/admin.conf"' }, '/host-fs/etc/kubernetes/admin.conf'],
    ['python3 reading the kubelet key', { name: 'python3', path: '/usr/bin/python3', commandLine: "python3 -c \"print(open('/host-fs/var/lib/kubelet/pki/kubelet-client-current.pem').read())\"" }, '/host-fs/var/lib/kubelet/pki/kubelet-client-current.pem'],
    ['bash reading /etc/shadow', { name: 'bash', path: '/bin/bash', commandLine: 'bash -c "cat /host-fs/etc/shadow"' }, '/host-fs/etc/shadow'],
    ['an unnamed process copying the ssh key', { name: 'cp', path: '/usr/bin/cp', commandLine: 'cp /host-fs/root/.ssh/id_rsa /tmp/.k' }, '/host-fs/root/.ssh/id_rsa'],
  ])('trap: %s in the agent pod stays genuine', (_what, process, file) => {
    expect(inAgent(process, file)).toMatchObject({ label: 'genuine' });
  });
  it("trap: a program named like the agent's daemon, run from a temporary or hidden path in its pod", () => {
    expect(inAgent({ name: 'pmd', path: '/tmp/.x/pmd', commandLine: '/tmp/.x/pmd' }, '/host-fs/etc/kubernetes/admin.conf', 'Credential file access', []).label).toBe('genuine');
    expect(inAgent({ name: 'dypd', path: '/dev/shm/dypd' }, '/host-fs/etc/shadow', 'Sensitive file read', []).label).toBe('genuine');
  });
});
