/**
 * Red-team traps for the excuses given to a workload's own behaviour: an attacker who knows the rule reads the declared
 * token file from a child of the app, uploads from a database pod with their own tool, tunnels out of a GitOps repo
 * server, or runs a miner in a pod the EDR keeps killing. Every alert here must stay genuine.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const SHIM = { name: 'containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 0123' };
const at = (p: ReturnType<typeof pod>) => ({ id: containerIdOf(p).slice(0, 12), name: p.spec.containers[0].name, pod: p.metadata.name, namespace: p.metadata.namespace });

describe('redteam ping-pong: a miner the EDR keeps killing and Kubernetes keeps restarting', () => {
  const N = 'node-a';
  const miner = pod('aws-node-x7k2p', {
    namespace: 'kube-system',
    node: N,
    hostNetwork: true,
    owner: { kind: 'DaemonSet', name: 'aws-node' },
    containers: [{ name: 'aws-node', image: '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.18.2', command: ['/app/aws-k8s-agent'] }],
    statuses: [{ restartCount: 31, lastState: { terminated: { exitCode: 137, reason: 'Error' } }, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
  });
  const backoff = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'aws-node.1', namespace: 'kube-system' }, involvedObject: { kind: 'Pod', name: miner.metadata.name, namespace: 'kube-system' }, reason: 'BackOff', message: 'Back-off restarting failed container' };
  const index = indexOf([node(N, '10.0.1.10'), owner('DaemonSet', 'aws-node', 'kube-system'), miner, backoff]);
  it('trap: the killed "aws-k8s-agent" mines to a stratum pool', () => {
    const v = triageAlert(
      alert({ host: N, action: 'killed', title: 'Cryptocurrency mining', process: { name: 'aws-k8s-agent', path: '/app/aws-k8s-agent', commandLine: '/app/aws-k8s-agent -o stratum+tcp://pool.minexmr.example:4444 -u 4A9x --donate-level 1' }, ancestors: [SHIM], container: at(miner) }),
      { index },
    ).verdict;
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});
