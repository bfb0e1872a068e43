/**
 * workload-identity seen by a host sensor (auditd through Wazuh, no container context): the IRSA token read by the
 * program of the one container on that node that declares AWS_WEB_IDENTITY_TOKEN_FILE, named as the container, as its
 * user. Traps: cat reading it, the program's name from /tmp, another UID, a login session, and a node where the
 * container of that name declares no such variable.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { Pod } from '../../../src/cluster/model.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const N1 = 'ip-10-42-21-205.eu-central-1.compute.internal';
const N2 = 'ip-10-42-44-14.eu-central-1.compute.internal';
const N3 = 'ip-10-42-80-128.eu-central-1.compute.internal';
const TOKEN = '/var/run/secrets/eks.amazonaws.com/serviceaccount/token';
const IRSA_ENV = [{ name: 'AWS_ROLE_ARN' }, { name: 'AWS_WEB_IDENTITY_TOKEN_FILE' }];
const eso = (name: string, n: string, env = IRSA_ENV): Pod =>
  pod(name, {
    namespace: 'external-secrets',
    node: n,
    ip: '10.42.25.13',
    owner: { kind: 'ReplicaSet', name: 'external-secrets-vtj6bdpsw' },
    containers: [{ name: 'external-secrets', image: 'oci.external-secrets.io/external-secrets/external-secrets:v0.14.3', args: ['--concurrent=1'], env, securityContext: { runAsUser: 1000 } }],
  });
const gateway = pod('payment-gateway-nvmrlkcxn8-2p2rq', {
  namespace: 'payments',
  node: N2,
  ip: '10.42.43.135',
  owner: { kind: 'ReplicaSet', name: 'payment-gateway-nvmrlkcxn8' },
  containers: [{ name: 'payment-gateway', image: 'payments/payment-gateway:3.8.0', command: ['java', '-jar', '/app/gateway.jar'], env: IRSA_ENV, securityContext: { runAsUser: 1000 } }],
});
const index = indexOf([
  node(N1, '10.42.21.205'),
  node(N2, '10.42.44.14'),
  node(N3, '10.42.80.128'),
  owner('ReplicaSet', 'external-secrets-vtj6bdpsw', 'external-secrets'),
  owner('ReplicaSet', 'payment-gateway-nvmrlkcxn8', 'payments'),
  eso('external-secrets-vtj6bdpsw-gcbxx', N1),
  gateway,
  eso('external-secrets-vtj6bdpsw-aaaaa', N3, [{ name: 'AWS_REGION' }]),
]);

const read = (host: string, process: { name: string; path: string; uid?: string; loginUid?: string; tty?: boolean }) =>
  triageAlert(
    alert({ host, time: '2027-03-16T09:00:04.207Z', title: 'Kubernetes or AWS web-identity token read by a process', process: { uid: '1000', loginUid: '4294967295', tty: false, ...process }, ancestors: [{ pid: '2790' }], file: TOKEN }),
    { index },
  ).verdict;
const ESO = { name: 'external-secret', path: '/bin/external-secrets' };

describe('workload-identity: a host sensor sees the IRSA token read', () => {
  it("explains external-secrets' own program reading its declared IRSA token on its node", () => {
    const v = read(N1, ESO);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons.map((r) => r.message).join(' ')).toContain('external-secrets-vtj6bdpsw-gcbxx');
  });
  it('trap: cat reading the same token on a node where a container declares it', () => {
    expect(read(N2, { name: 'cat', path: '/usr/bin/cat' })).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it("trap: the container's name run from /tmp", () => {
    expect(read(N2, { name: 'payment-gateway', path: '/tmp/.cache/payment-gateway' }).label).toBe('genuine');
  });
  it('trap: another UID', () => {
    expect(read(N1, { ...ESO, uid: '0' }).label).toBe('genuine');
  });
  it('trap: from a login session with a terminal', () => {
    expect(read(N1, { ...ESO, loginUid: '1001', tty: true }).label).toBe('genuine');
  });
  it('trap: a node where the container of that name declares no web identity token', () => {
    expect(read(N3, ESO).label).toBe('genuine');
  });
});
