/**
 * Red-team traps for ci-build (build work in a CI job pod). The Docker client's "build or move images" subcommands
 * were build work whatever daemon they talked to: `docker -H tcp://<another node>:2375 ps` from a job pod is the
 * job reaching a foreign Docker daemon (lateral movement), not its build. Only the job's own daemon (a socket, the
 * dind sidecar on loopback or by its `docker` alias) counts.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, pod } from '../../support/cluster.js';

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
