/**
 * Red-team traps for ci-build (build work in a CI job pod). The Docker client's "build or move images" subcommands
 * were build work whatever daemon they talked to: `docker -H tcp://<another node>:2375 ps` from a job pod is the
 * job reaching a foreign Docker daemon (lateral movement), not its build. Only the job's own daemon (a socket, the
 * dind sidecar on loopback or by its `docker` alias) counts.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { alert, containerIdOf, indexOf, node, pod, snapshot } from '../../support/cluster.js';

const N = 'ip-10-0-1-10.ec2.internal';
const job = pod('build-run-x-pod', {
  namespace: 'ci',
  node: N,
  ip: '10.1.0.5',
  owner: { kind: 'TaskRun', name: 'build-run-x' },
  labels: { 'tekton.dev/taskRun': 'build-run-x' },
  containers: [{ name: 'step-build', image: 'docker:24', command: ['/tekton/bin/entrypoint'] }],
});
const index = indexOf([node(N, '10.0.1.10'), job]);

function docker(commandLine: string) {
  return triageAlert(
    alert({ host: N, container: { id: containerIdOf(job) }, title: 'Container management tool executed', process: { name: 'docker', path: '/usr/local/bin/docker', commandLine } }),
    { index },
  ).verdict;
}

describe('redteam2 ci-build: the Docker client talking to someone else’s daemon', () => {
  it.each([
    'docker -H tcp://10.0.1.20:2375 ps',
    'docker --host=tcp://10.0.1.20:2375 images',
    'docker -H ssh://root@10.0.1.20 pull alpine',
    'docker --context prod image ls',
  ])('trap: %s stays genuine', (cmd) => {
    expect(docker(cmd).label).toBe('genuine');
  });

  it.each(['docker build -t app .', 'docker -H tcp://localhost:2375 push registry.example.com/app:1', 'docker -H tcp://docker:2376 build .'])(
    'still build work: %s',
    (cmd) => {
      expect(docker(cmd).label).toBe('likely-false-positive');
    },
  );
});

describe('redteam2 ci-build: a CI-looking pod a person created by hand', () => {
  const naked = pod('jenkins-agent-x7k2p', {
    namespace: 'ci',
    node: N,
    ip: '10.1.0.9',
    labels: { 'jenkins/label': 'build' },
    containers: [{ name: 'jnlp', image: 'jenkins/inbound-agent:3206.vb_15dcf73f6a_9-1' }],
  });
  const handMade = {
    time: '2026-01-01T11:50:00Z',
    user: 'mallory@example.com',
    groups: ['system:authenticated'],
    verb: 'create',
    resource: 'pods',
    namespace: 'ci',
    name: 'jenkins-agent-x7k2p',
    sourceIps: ['203.0.113.5'],
    code: 201,
  };
  it('trap: a program under a process named buildkitd in a Jenkins-labelled pod mallory created stays genuine', () => {
    const s = snapshot([node(N, '10.0.1.10'), naked]);
    s.auditActivities = [handMade];
    const v = triageAlert(
      alert({ host: N, container: { id: containerIdOf(naked) }, title: 'Unexpected outbound connection', process: { name: 'python3', path: '/usr/bin/python3', commandLine: 'python3 /srv/agent.py' }, ancestors: [{ name: 'sh', commandLine: 'sh -c python3 /srv/agent.py' }, { name: 'buildkitd', commandLine: 'buildkitd' }], network: { dstIp: '198.51.100.7', dstPort: 443 } }),
      { index: buildIndex([s]) },
    ).verdict;
    expect(v.label).toBe('genuine');
  });
});
