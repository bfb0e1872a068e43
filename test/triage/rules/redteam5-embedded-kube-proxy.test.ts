/**
 * Red-team 5 traps for node-networking's embedded agents (embedded-network.ts: MicroK8s' kubelite running kube-proxy
 * on a node labelled microk8s.io/cluster): the excuse is kube-proxy maintaining its own KUBE-* rules. kube-proxy never
 * starts a shell, and never opens the host firewall (INPUT policy ACCEPT, flushing INPUT) nor touches chains that are
 * not its own; netfilter commands like those under kubelite (a FlexVolume driver the kubelet executes, a shell) are
 * not its work.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import { alert, indexOf, node } from '../../support/cluster.js';

const edge = node('till-edge-1', '192.168.7.11');
edge.metadata.labels = { 'microk8s.io/cluster': 'true' };
(edge.status as { nodeInfo?: { kubeletVersion: string } }).nodeInfo = { kubeletVersion: 'v1.30.6' };
const index = indexOf([edge]);
const kubelite: ProcessInfo = { name: 'kubelite', path: '/snap/microk8s/7229/kubelite', commandLine: '/snap/microk8s/7229/kubelite --proxy-args-file=/var/snap/microk8s/7229/args/kube-proxy' };
const init: ProcessInfo = { name: 'systemd', path: '/usr/lib/systemd/systemd', commandLine: '/sbin/init' };
const run = (commandLine: string, ancestors: ProcessInfo[]) =>
  triageAlert(alert({ host: 'till-edge-1', title: 'Firewall rules modified', process: { name: 'iptables', path: '/snap/microk8s/7229/usr/sbin/xtables-legacy-multi', commandLine }, ancestors }), { index }).verdict;

describe("redteam5 MicroK8s kubelite's embedded kube-proxy", () => {
  it('still explained: kube-proxy creating and hooking its own chains', () => {
    expect(run('iptables -w 5 -W 100000 -N KUBE-PROXY-FIREWALL -t filter', [kubelite, init]).label).toBe('likely-false-positive');
    expect(run('iptables -w 5 -W 100000 -I INPUT -t filter -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL', [kubelite, init]).label).toBe('likely-false-positive');
  });
  it('trap: a shell between kubelite and iptables', () => {
    expect(run('iptables -t filter -A KUBE-SERVICES -j ACCEPT', [{ name: 'sh', path: '/bin/sh', commandLine: 'sh -c "iptables -t filter -A KUBE-SERVICES -j ACCEPT"' }, kubelite, init]).label).toBe('genuine');
  });
  it('trap: opening the host firewall under kubelite', () => {
    expect(run('iptables -P INPUT ACCEPT', [kubelite, init]).label).toBe('genuine');
    expect(run('iptables -F INPUT', [kubelite, init]).label).toBe('genuine');
    expect(run('iptables -I INPUT 1 -p tcp --dport 4444 -j ACCEPT', [kubelite, init]).label).toBe('genuine');
  });
});
