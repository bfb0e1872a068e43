/**
 * A DNS query goes to the cluster's resolver, but the name asked for is where the process is going: being the
 * entrypoint (or its child) says who looked it up, not why. Found when the runtime-socket indicator stopped misfiring
 * on dockerd's own --host flag (eks-karpenter-ci: a dind daemon resolving a registry nobody uses).
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, node, owner, pod, snapshot } from '../../support/cluster.js';

const N = 'ip-10-42-60-33.eu-central-1.compute.internal';
const T = '2026-12-03T17:10:11.458Z';
const dind = pod('build-dind-w4k7p-runner-8vfz3', {
  namespace: 'arc-runners',
  node: N,
  ip: '10.42.61.7',
  owner: { kind: 'ReplicaSet', name: 'builder-7d9f' },
  containers: [{ name: 'dind', image: 'docker:27.3.1-dind', args: ['dockerd', '--host=unix:///var/run/docker.sock'], env: [{ name: 'REGISTRY_MIRROR', value: 'https://mirror.gcr.example.net' }], securityContext: { privileged: true } }],
});
const index = buildIndex([snapshot([node(N, '10.42.60.33'), owner('ReplicaSet', 'builder-7d9f', 'arc-runners'), dind])]);
const lookup = (domain: string | undefined, dstIp = '172.20.0.10', dstPort = 53) =>
  triageAlert(
    alert({
      host: N,
      time: T,
      title: 'Container resolved a newly observed domain',
      process: { name: 'dockerd', path: '/usr/local/bin/dockerd', commandLine: 'dockerd --host=unix:///var/run/docker.sock' },
      ancestors: [{ name: 'dind', path: '/bin/sh', commandLine: '/usr/local/bin/dind dockerd --host=unix:///var/run/docker.sock' }],
      container: { id: containerIdOf(dind), namespace: 'arc-runners', pod: dind.metadata.name, name: 'dind' },
      network: { dstIp, dstPort, domain },
    }),
    { index },
  ).verdict;

describe('a DNS lookup by the entrypoint or its child is judged by the name looked up', () => {
  it('an external name neither the cluster nor the spec names stays unexplained', () => {
    expect(lookup('registry.cachefront.example.net')).toMatchObject({ label: 'genuine' });
  });
  it('the name the spec gives (env), and a cluster name, are the workload', () => {
    expect(lookup('mirror.gcr.example.net').label).toBe('likely-false-positive');
    expect(lookup('minio.data.svc.cluster.local').label).toBe('likely-false-positive');
  });
  it('not a DNS query: a connection to the in-cluster resolver address itself is private and stays explained', () => {
    expect(lookup(undefined).label).toBe('likely-false-positive');
  });
  it('a bare public address from a child of the entrypoint (no name to compare) is not indicted by this', () => {
    expect(lookup(undefined, '142.250.102.207', 443).label).toBe('likely-false-positive');
  });
});
