/**
 * Red-team traps for ping-pong's "the EDR and Kubernetes are in a kill-restart loop": a trojaned image whose entrypoint
 * connects to a public address (port 4444, or any port no Service or spec names) is killed each time and restarted by
 * Kubernetes. The loop explains the kills and the restarts, not the behaviour the EDR killed the entrypoint for.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'ip-10-0-1-10.ec2.internal';
const SHIM = { name: 'containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 0123' };
const trojan = pod('web-6c-abcde', {
  namespace: 'shop',
  node: N,
  ip: '10.1.0.9',
  owner: { kind: 'ReplicaSet', name: 'web-6c' },
  containers: [{ name: 'web', image: 'shop/web:2.0', command: ['/app/web'] }],
  statuses: [{ restartCount: 7, lastState: { terminated: { exitCode: 137, reason: 'Error' } }, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
});
const backoff = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1', namespace: 'shop' }, involvedObject: { kind: 'Pod', name: trojan.metadata.name, namespace: 'shop' }, reason: 'BackOff', message: 'Back-off restarting failed container' };
const index = indexOf([node(N, '10.0.1.10'), owner('ReplicaSet', 'web-6c', 'shop', { kind: 'Deployment', name: 'web' }), owner('Deployment', 'web', 'shop'), trojan, backoff]);
const web = { name: 'web', path: '/app/web', commandLine: '/app/web' };
const at = { id: containerIdOf(trojan), name: 'web', pod: trojan.metadata.name, namespace: 'shop' };

describe('redteam3 ping-pong: the entrypoint the EDR keeps killing connects out', () => {
  it('trap: the entrypoint connects to a public address on 4444, killed, CrashLoopBackOff, stays genuine', () => {
    const v = triageAlert(
      alert({ host: N, action: 'killed', container: at, title: 'Suspicious outbound connection', process: web, ancestors: [SHIM], network: { dstIp: '203.0.113.50', dstPort: 4444, protocol: 'tcp' } }),
      { index },
    ).verdict;
    expect(v.label).toBe('genuine');
  });
  it('trap: the entrypoint connects to a public address on a port no Service or spec names (8443), stays genuine', () => {
    const v = triageAlert(
      alert({ host: N, action: 'killed', container: at, title: 'Connection to rare external host', process: web, ancestors: [SHIM], network: { dstIp: '198.51.100.23', dstPort: 8443, protocol: 'tcp' } }),
      { index },
    ).verdict;
    expect(v.label).toBe('genuine');
  });
  it('trap: the entrypoint resolves and calls a public domain no spec names (domain only, no address), stays genuine', () => {
    const v = triageAlert(
      alert({ host: N, action: 'killed', container: at, title: 'Suspicious outbound connection', process: web, ancestors: [SHIM], network: { domain: 'c2.evil-updates.example', dstPort: 8443, protocol: 'tcp' } }),
      { index },
    ).verdict;
    expect(v.label).toBe('genuine');
  });
  it('trap: the entrypoint reads the service-account token, killed each time, stays genuine', () => {
    const v = triageAlert(
      alert({ host: N, action: 'killed', container: at, title: 'Credential file access', process: web, ancestors: [SHIM], file: '/root/.aws/credentials' }),
      { index },
    ).verdict;
    expect(v.label).toBe('genuine');
  });
  it('still the loop: the entrypoint killed for a behaviour-less detection (suspicious binary) is the loop', () => {
    const v = triageAlert(alert({ host: N, action: 'killed', container: at, title: 'Suspicious process behaviour', process: web, ancestors: [SHIM] }), { index }).verdict;
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'ping-pong' });
  });
  it('trap: the same entrypoint, detected (not killed), connecting to 4444 is not "its own entrypoint" either', () => {
    const v = triageAlert(
      alert({ host: N, action: 'detected', container: at, title: 'Suspicious outbound connection', process: web, ancestors: [SHIM], network: { dstIp: '203.0.113.50', dstPort: 4444, protocol: 'tcp' } }),
      { index },
    ).verdict;
    expect(v.label).toBe('genuine');
  });
  it('still the loop: a destination the pod spec names (its own --upstream) is the workload\'s behaviour', () => {
    const named = pod('relay-7d-abcde', {
      namespace: 'shop',
      node: N,
      ip: '10.1.0.10',
      owner: { kind: 'ReplicaSet', name: 'relay-7d' },
      containers: [{ name: 'relay', image: 'shop/relay:1.0', command: ['/app/relay'], args: ['--upstream=203.0.113.80:9000'] }],
      statuses: [{ restartCount: 6, lastState: { terminated: { exitCode: 137, reason: 'Error' } }, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
    });
    const idx = indexOf([node(N, '10.0.1.10'), owner('ReplicaSet', 'relay-7d', 'shop', { kind: 'Deployment', name: 'relay' }), owner('Deployment', 'relay', 'shop'), named]);
    const v = triageAlert(
      alert({
        host: N,
        action: 'killed',
        container: { id: containerIdOf(named), name: 'relay', pod: named.metadata.name, namespace: 'shop' },
        title: 'Suspicious outbound connection',
        process: { name: 'relay', path: '/app/relay', commandLine: '/app/relay --upstream=203.0.113.80:9000' },
        ancestors: [SHIM],
        network: { dstIp: '203.0.113.80', dstPort: 9000, protocol: 'tcp' },
      }),
      { index: idx },
    ).verdict;
    expect(v.label).toBe('likely-false-positive');
    const prefix = triageAlert(
      alert({
        host: N,
        action: 'killed',
        container: { id: containerIdOf(named), name: 'relay', pod: named.metadata.name, namespace: 'shop' },
        title: 'Suspicious outbound connection',
        process: { name: 'relay', path: '/app/relay', commandLine: '/app/relay --upstream=203.0.113.80:9000' },
        ancestors: [SHIM],
        network: { dstIp: '203.0.113.8', dstPort: 4444, protocol: 'tcp' },
      }),
      { index: idx },
    ).verdict;
    expect(prefix.label, 'trap: 203.0.113.8 is not the spec\'s 203.0.113.80').toBe('genuine');
  });
});

describe('unexplainedEgress: a URL whose host is an address', () => {
  it('judges a link-local address named as the URL host (a credentials endpoint) as the address it is, not as a public name', async () => {
    const { unexplainedEgress } = await import('../../../src/triage/rules/support.js');
    const a = (domain: string) => alert({ host: N, container: at, process: web, network: { domain, dstPort: 80 } });
    expect(unexplainedEgress(a('169.254.170.23'), trojan, index)).toBeUndefined();
    expect(unexplainedEgress(a('203.0.113.50'), trojan, index)).toBe('203.0.113.50:80');
    expect(unexplainedEgress(a('c2.example.net'), trojan, index)).toBe('c2.example.net:80');
  });
});
