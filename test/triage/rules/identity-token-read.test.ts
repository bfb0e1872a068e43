/**
 * workload-identity: a container's own program (here the JVM a wrapper entrypoint starts) re-reading the IRSA web
 * identity token its platform declared for it is the SDK refreshing credentials — and the traps: cat under a shell
 * reading the same file, the same read while a kubectl exec session is open, a container that declares no such
 * variable, and the pod's Kubernetes service-account token.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { ExecSession } from '../../../src/cluster/model.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'fargate-ip-10-42-96-14.us-east-2.compute.internal';
const T = (hms: string) => `2027-03-09T${hms}.000Z`;
const TOKEN = '/var/run/secrets/eks.amazonaws.com/serviceaccount/..2027_03_09_14_14_05.2781230113/token';
const app = (name: string, env: string[]) =>
  pod(name, {
    namespace: 'payments',
    node: N,
    ip: '10.42.96.14',
    owner: { kind: 'ReplicaSet', name: 'payments-api-abc' },
    containers: [
      {
        name: 'payments-api',
        image: 'payments-api:5.8.2',
        command: ['/opt/draios/bin/instrument'],
        args: ['java', '-XX:MaxRAMPercentage=70', '-jar', '/app/payments-api.jar'],
        env: env.map((name) => ({ name })),
      },
    ],
  });
const irsa = app('payments-api-abc-x1', ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE']);
const plain = app('payments-api-abc-x2', ['JAVA_OPTS']);
const session: ExecSession = {
  kind: 'exec', namespace: 'payments', pod: 'payments-api-abc-x1', container: 'payments-api', user: 'dana@example.com', groups: [], sourceIps: ['10.60.4.21'],
  command: ['sh'], tty: true, start: T('15:40:00'), end: T('15:45:00'),
} as ExecSession;
const index = indexOf([node(N, '10.42.96.14'), owner('ReplicaSet', 'payments-api-abc', 'payments'), irsa, plain], [session]);

const read = (p: typeof irsa, hms: string, process: { name: string; commandLine: string }, parent: { name: string; commandLine?: string }, file = TOKEN) =>
  triageAlert(
    alert({ time: T(hms), title: 'Read Cloud Credentials', process, ancestors: [parent], file, container: { id: containerIdOf(p).slice(0, 12), name: 'payments-api', namespace: 'payments', pod: p.metadata.name } }),
    { index },
  ).verdict;
const JAVA = { name: 'java', commandLine: 'java -XX:MaxRAMPercentage=70 -jar /app/payments-api.jar' };
const INSTRUMENT = { name: 'instrument', commandLine: '/opt/draios/bin/instrument java -XX:MaxRAMPercentage=70 -jar /app/payments-api.jar' };

describe('workload-identity: the declared IRSA token read by the container\'s own program', () => {
  it('explains the JVM the wrapper entrypoint runs re-reading its IRSA token', () => {
    expect(read(irsa, '15:30:12', JAVA, INSTRUMENT)).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: cat under a shell reading the same token', () => {
    expect(read(irsa, '16:21:40', { name: 'cat', commandLine: 'cat /var/run/secrets/eks.amazonaws.com/serviceaccount/token' }, { name: 'sh', commandLine: 'sh -c curl …' })).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: the same read while a kubectl exec session is open in the pod', () => {
    expect(read(irsa, '15:42:00', JAVA, INSTRUMENT).label).toBe('genuine');
  });
  it('trap: a container that declares no web identity token', () => {
    expect(read(plain, '15:30:12', JAVA, INSTRUMENT).label).toBe('genuine');
  });
  it("trap: the pod's Kubernetes service-account token, which no cloud SDK is pointed at", () => {
    expect(read(irsa, '15:30:12', JAVA, INSTRUMENT, '/var/run/secrets/kubernetes.io/serviceaccount/token').label).toBe('genuine');
  });
});
