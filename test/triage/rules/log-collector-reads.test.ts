/**
 * Container insights' log agent (kube-system/ama-logs, privileged, the host's /var/log mounted) tails every container's
 * log with fluent-bit: "log files of other containers read" is its ordinary work. Traps: the agent's daemon reading a
 * file outside the log directory, an agent pod that does not mount the host's logs, and the same read from a pod of an
 * unrelated image.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'aks-workers-25193847-vmss000001';
const T = (hms: string) => `2026-12-03T${hms}.000Z`;
const agent = (name: string, image: string, ownerName: string) =>
  pod(name, {
    namespace: 'kube-system',
    node: N,
    ip: '10.244.3.4',
    owner: { kind: 'DaemonSet', name: ownerName },
    containers: [{ name: 'ama-logs', image, securityContext: { privileged: true }, volumeMounts: [{ name: 'host-log', mountPath: '/var/log' }] }],
    volumes: [{ name: 'host-log', hostPath: { path: '/var/log' } }],
  });
const ama = agent('ama-logs-z75t2', 'mcr.microsoft.com/azuremonitor/containerinsights/ciprod:3.1.25', 'ama-logs');
const other = agent('log-tailer-k2x9p', 'docker.io/someone/tailer:1.0', 'log-tailer');
const unmounted = pod('ama-logs-q8w3e', { namespace: 'kube-system', node: N, ip: '10.244.3.5', owner: { kind: 'DaemonSet', name: 'ama-logs' }, containers: [{ name: 'ama-logs', image: 'mcr.microsoft.com/azuremonitor/containerinsights/ciprod:3.1.25' }] });
const index = indexOf([node(N, '10.224.0.7'), owner('DaemonSet', 'ama-logs', 'kube-system'), owner('DaemonSet', 'log-tailer', 'kube-system'), ama, other, unmounted]);

const FLUENT_BIT = { name: 'fluent-bit', path: '/opt/fluent-bit/bin/fluent-bit', commandLine: '/opt/fluent-bit/bin/fluent-bit -c /etc/opt/microsoft/docker-cimprov/fluent-bit.conf -e /opt/fluent-bit/bin/out_oms.so' };
const MAIN = { name: 'bash', commandLine: '/bin/bash /opt/main.sh' };
const read = (p: typeof ama, process: { name: string; path?: string; commandLine: string }, parent: { name: string; commandLine: string }, file?: string) =>
  triageAlert(alert({ time: T('11:20:33'), title: 'Container log files read by a process in another container', container: { id: containerIdOf(p) }, process, ancestors: [parent], file }), { index }).verdict;

describe("a log collector's own reads", () => {
  it("ama-logs' fluent-bit reading container logs", () => {
    expect(read(ama, FLUENT_BIT, MAIN, '/var/log/containers/ledger-api-6vl22f6gpd-5qnlj_ledger_ledger-api-0a1b.log')).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('the same, when the alert names no file', () => {
    expect(read(ama, FLUENT_BIT, MAIN)).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: its daemon reading a file outside the log directory', () => {
    expect(read(ama, FLUENT_BIT, MAIN, '/etc/kubernetes/azure.json').label).toBe('genuine');
  });
  it("trap: an agent pod that does not mount the host's logs", () => {
    expect(read(unmounted, FLUENT_BIT, MAIN).label).toBe('genuine');
  });
  it('trap: fluent-bit in a pod of an unrelated image', () => {
    expect(read(other, FLUENT_BIT, MAIN).label).toBe('genuine');
  });
});
