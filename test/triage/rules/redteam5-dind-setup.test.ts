/**
 * Red-team 5 traps for ci-build's Docker-in-Docker daemon setup (DIND_DAEMON_SETUP): dockerd creating its own DOCKER*
 * chains and the dind wrapper mounting securityfs / cgroups. The excuse reads the command line: a DNAT target written
 * `--to-destination=<public>` (getopt accepts both forms) or a block device mounted at a cgroup path is not that setup.
 * In a host-network job pod the chains are the node's: no excuse there.
 * And host-disk-mount missed `mount -t ext4 /dev/nvme0n1p1 …` (an option with a value before the device).
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import { correlate } from '../../../src/triage/correlate.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { ciBuild } from '../../../src/triage/rules/ci-build.js';
import { alert, containerIdOf, node, pod, snapshot } from '../../support/cluster.js';

const N1 = 'ip-10-0-1-10.ec2.internal';
const runner = pod('build-dind-abc12-runner-x7k2p', {
  namespace: 'arc-runners',
  node: N1,
  ip: '10.0.1.50',
  owner: { kind: 'EphemeralRunner', name: 'build-dind-abc12-runner-x7k2p' },
  labels: { 'actions.github.com/scale-set-name': 'build-dind' },
  containers: [
    { name: 'runner', image: 'ghcr.io/actions/actions-runner:2.321.0', command: ['/home/runner/run.sh'] },
    { name: 'dind', image: 'docker:27.3.1-dind', args: ['dockerd', '--host=unix:///var/run/docker.sock'], securityContext: { privileged: true } },
  ],
});
const hostNetRunner = pod('build-dind-hn-runner-q8w2e', {
  namespace: 'arc-runners',
  node: N1,
  hostNetwork: true,
  owner: { kind: 'EphemeralRunner', name: 'build-dind-hn-runner-q8w2e' },
  labels: { 'actions.github.com/scale-set-name': 'build-dind' },
  containers: [
    { name: 'runner', image: 'ghcr.io/actions/actions-runner:2.321.0', command: ['/home/runner/run.sh'] },
    { name: 'dind', image: 'docker:27.3.1-dind', args: ['dockerd', '--host=unix:///var/run/docker.sock'], securityContext: { privileged: true } },
  ],
});
const index = buildIndex([snapshot([node(N1, '10.0.1.10'), runner, hostNetRunner])]);
const DOCKERD = { name: 'dockerd', commandLine: 'dockerd --host=unix:///var/run/docker.sock' };
const DIND = { name: 'dind', commandLine: 'dind dockerd --host=unix:///var/run/docker.sock' };
const inDind = (cmd: string, parent: { name: string; commandLine: string }, p = runner) => {
  const a = alert({ host: N1, time: '2026-12-03T10:00:00.000Z', title: 'Suspicious system command', container: { id: containerIdOf(p, 1), name: 'dind', pod: p.metadata.name, namespace: 'arc-runners' }, process: { name: cmd.split(' ')[0], commandLine: cmd }, ancestors: [parent] });
  return { ci: ciBuild.evaluate({ alert: a, correlation: correlate(a, index), index }), verdict: triageAlert(a, { index }).verdict };
};

describe('redteam5 Docker-in-Docker daemon setup', () => {
  it('still explained: DOCKER chains with a private DNAT, and the cgroup / securityfs mounts', () => {
    expect(inDind('iptables --wait -t nat -A DOCKER -p tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80', DOCKERD).ci[0]?.message).toMatch(/Docker-in-Docker/);
    expect(inDind('iptables --wait -t nat -A DOCKER -p tcp --dport 8080 -j DNAT --to-destination=172.17.0.2:80', DOCKERD).ci[0]?.message).toMatch(/Docker-in-Docker/);
    expect(inDind('mount -t securityfs none /sys/kernel/security', DIND).ci[0]?.message).toMatch(/Docker-in-Docker/);
    expect(inDind('mount -t cgroup -o rdma cgroup /sys/fs/cgroup/rdma', DIND).ci[0]?.message).toMatch(/Docker-in-Docker/);
  });
  it('trap: a DNAT to a public address written --to-destination=… is not the bridge', () => {
    const r = inDind('iptables -t nat -A DOCKER -p tcp --dport 443 -j DNAT --to-destination=203.0.113.45:8443', DOCKERD);
    expect(r.ci).toEqual([]);
    expect(r.verdict.label).toBe('genuine');
  });
  it("trap: the node's disk mounted at a cgroup path is not the wrapper's cgroup setup", () => {
    for (const cmd of ['mount /dev/sda1 /sys/fs/cgroup/x', 'mount -t ext4 /dev/nvme0n1p1 /sys/fs/cgroup/host']) {
      const r = inDind(cmd, DIND);
      expect(r.ci, cmd).toEqual([]);
      expect(r.verdict.label, cmd).toBe('genuine');
    }
    // A bind mount there is not the wrapper's setup either (the verdict is then the entrypoint-child story's to make).
    expect(inDind('mount --bind /var/lib/x /sys/fs/cgroup/r', DIND).ci).toEqual([]);
  });
  it("trap: in a host-network job pod, dockerd's chains are the node's own firewall", () => {
    const r = inDind('iptables --wait -I DOCKER-USER -j ACCEPT', DOCKERD, hostNetRunner);
    expect(r.ci).toEqual([]);
  });
});
