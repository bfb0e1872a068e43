/**
 * cluster-controller: a Kubernetes controller's own program reading its service-account token and calling the API
 * server is its work. Traps: cat under a shell in the same container, the controller's program name run from /tmp,
 * the controller's image in a naked pod, a kubectl exec session open in the pod, and an application container.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { ExecSession, KubeObject } from '../../../src/cluster/model.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'ip-10-42-7-73.eu-central-1.compute.internal';
const T = (hms: string) => `2027-03-16T${hms}.000Z`;
const TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const rollouts = pod('argo-rollouts-7j84t6tkk-lzdhg', {
  namespace: 'argo-rollouts',
  node: N,
  ip: '10.42.9.159',
  owner: { kind: 'ReplicaSet', name: 'argo-rollouts-7j84t6tkk' },
  containers: [{ name: 'argo-rollouts', image: 'quay.io/argoproj/argo-rollouts:v1.7.2', args: ['--leader-elect'] }],
});
const naked = pod('rollouts-debug', {
  namespace: 'default',
  node: N,
  ip: '10.42.9.160',
  containers: [{ name: 'argo-rollouts', image: 'quay.io/argoproj/argo-rollouts:v1.7.2', args: ['--leader-elect'] }],
});
const destination = pod('linkerd-destination-k6xc72qqq-j5kz4', {
  namespace: 'linkerd',
  node: N,
  ip: '10.42.4.17',
  owner: { kind: 'ReplicaSet', name: 'linkerd-destination-k6xc72qqq' },
  containers: [{ name: 'destination', image: 'cr.l5d.io/linkerd/controller:edge-25.2.3', args: ['destination', '-addr=:8086'] }],
});
const identity = pod('linkerd-identity-2qg5qhmtm-q84rq', {
  namespace: 'linkerd',
  node: N,
  ip: '10.42.4.18',
  owner: { kind: 'ReplicaSet', name: 'linkerd-destination-k6xc72qqq' },
  containers: [{ name: 'identity', image: 'cr.l5d.io/linkerd/controller:edge-25.2.3', args: ['identity', '-log-level=info'] }],
});
const app = pod('payment-gateway-nvmrlkcxn8-2p2rq', {
  namespace: 'payments',
  node: N,
  ip: '10.42.43.135',
  owner: { kind: 'ReplicaSet', name: 'payment-gateway-nvmrlkcxn8' },
  containers: [{ name: 'payment-gateway', image: 'payments/payment-gateway:3.8.0', command: ['java', '-jar', '/app/gateway.jar'] }],
});
const kubernetesService: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default', uid: 'svc-kubernetes' }, spec: { clusterIP: '172.20.0.1', clusterIPs: ['172.20.0.1'], ports: [{ port: 443 }] } };
const session: ExecSession = {
  kind: 'exec', namespace: 'argo-rollouts', pod: rollouts.metadata.name, container: 'argo-rollouts', user: 'dana@example.com', groups: [], sourceIps: ['198.51.100.61'],
  command: ['sh'], tty: true, start: T('12:00:00'), end: T('12:10:00'),
} as ExecSession;
const index = indexOf(
  [
    node(N, '10.42.7.73'),
    owner('Deployment', 'argo-rollouts', 'argo-rollouts'),
    owner('ReplicaSet', 'argo-rollouts-7j84t6tkk', 'argo-rollouts', { kind: 'Deployment', name: 'argo-rollouts' }),
    owner('Deployment', 'linkerd-destination', 'linkerd'),
    owner('ReplicaSet', 'linkerd-destination-k6xc72qqq', 'linkerd', { kind: 'Deployment', name: 'linkerd-destination' }),
    owner('ReplicaSet', 'payment-gateway-nvmrlkcxn8', 'payments'),
    rollouts,
    naked,
    destination,
    identity,
    app,
    kubernetesService,
  ],
  [session],
);

const at = (p: typeof rollouts, hms: string, process: { name: string; path: string }, o: { file?: string; dstIp?: string; parent?: { name: string; commandLine?: string } } = {}) =>
  triageAlert(
    alert({
      time: T(hms),
      title: o.file ? 'K8s Service Account Token Use Detected' : 'K8s API Connection Detected',
      process,
      ancestors: o.parent ? [o.parent] : [],
      file: o.file,
      network: o.dstIp ? { dstIp: o.dstIp, dstPort: 443, protocol: 'tcp' } : undefined,
      container: { id: containerIdOf(p), name: p.spec.containers[0].name, namespace: p.metadata.namespace, pod: p.metadata.name },
    }),
    { index },
  ).verdict;

const CONTROLLER = { name: 'rollouts-controller', path: '/bin/rollouts-controller' };

describe('cluster-controller', () => {
  it("explains the Argo Rollouts controller reading its own service-account token", () => {
    expect(at(rollouts, '09:30:20', CONTROLLER, { file: TOKEN })).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('explains the Linkerd destination controller connecting to the API server', () => {
    expect(at(destination, '10:06:40', { name: 'controller', path: '/controller' }, { dstIp: '172.20.0.1' })).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: cat under a shell reading the same token in the controller container', () => {
    expect(at(rollouts, '09:30:20', { name: 'cat', path: '/usr/bin/cat' }, { file: TOKEN, parent: { name: 'sh', commandLine: 'sh' } })).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it("trap: the controller's program name run from /tmp", () => {
    expect(at(rollouts, '09:30:20', { name: 'rollouts-controller', path: '/tmp/.x/rollouts-controller' }, { file: TOKEN }).label).toBe('genuine');
  });
  it("trap: the controller's image in a naked pod", () => {
    expect(at(naked, '09:30:20', CONTROLLER, { file: TOKEN }).label).toBe('genuine');
  });
  it('trap: the same read while a kubectl exec session is open in the pod', () => {
    expect(at(rollouts, '12:05:00', CONTROLLER, { file: TOKEN }).label).toBe('genuine');
  });
  it('trap: a kubectl in an application container connecting to the API server', () => {
    expect(at(app, '10:55:21', { name: 'kubectl', path: '/tmp/.cache/kubectl' }, { dstIp: '172.20.0.1' }).label).toBe('genuine');
  });
  it("explains the Linkerd identity controller reading its issuer key where Linkerd's manifests mount it", () => {
    expect(at(identity, '10:07:09', { name: 'controller', path: '/controller' }, { file: '/var/run/linkerd/identity/issuer/tls.key' })).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: cat under a shell reading the issuer key', () => {
    expect(at(identity, '10:07:09', { name: 'cat', path: '/usr/bin/cat' }, { file: '/var/run/linkerd/identity/issuer/tls.key', parent: { name: 'sh', commandLine: 'sh' } }).label).toBe('genuine');
  });
  it('trap: the identity controller reading a key outside its own directories', () => {
    expect(at(identity, '10:07:09', { name: 'controller', path: '/controller' }, { file: '/var/run/linkerd/identity/issuer/../../../../etc/shadow' }).label).toBe('genuine');
  });
  it("trap: another controller's program reading Linkerd's issuer key", () => {
    expect(at(rollouts, '10:07:09', CONTROLLER, { file: '/var/run/linkerd/identity/issuer/tls.key' }).label).toBe('genuine');
  });
});
