/**
 * Red-team 5 traps for runtime-socket's "the runtime naming its own socket" (RUNTIME_SOCKET_FLAGS, runtimeOwnSocket):
 * the excuse trusts the program's name and the flag before the socket. The Docker CLI takes -H too, so the CLI copied
 * to /usr/local/bin/dockerd and given a subcommand is a client; and a daemon started inside an application pod that
 * names a socket reached through the pod's hostPath mount (a second dockerd driving the node's containerd) is a client
 * of the node's runtime, not the runtime itself.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { attackIndicators } from '../../../src/triage/rules/attack-indicators.js';
import { correlate } from '../../../src/triage/correlate.js';
import type { Alert } from '../../../src/alerts/model.js';
import { alert, containerIdOf, node, pod, snapshot } from '../../support/cluster.js';

const W = 'wrk-02';
const app = pod('reports-6b9f-2kq8d', {
  namespace: 'reports',
  node: W,
  ip: '10.50.3.14',
  owner: { kind: 'ReplicaSet', name: 'reports-6b9f' },
  containers: [{ name: 'reports', image: 'registry.example.com/reports:4.1', command: ['/app/reports'], securityContext: { privileged: true }, volumeMounts: [{ name: 'run', mountPath: '/host/run' }] }],
  volumes: [{ name: 'run', hostPath: { path: '/run' } }],
});
const index = buildIndex([snapshot([node(W, '10.50.1.22'), app])]);
const judge = (cmd: string, inPod = false) => {
  const a: Alert = alert({
    host: W,
    time: '2027-03-16T02:20:15.000Z',
    title: 'Process started',
    process: { name: cmd.split(' ')[0].split('/').pop(), commandLine: cmd },
    ancestors: [{ name: inPod ? 'sh' : 'systemd' }],
    container: inPod ? { id: containerIdOf(app), name: 'reports', pod: app.metadata.name, namespace: 'reports' } : undefined,
  });
  const hits = attackIndicators.evaluate({ alert: a, correlation: correlate(a, index), index }).filter((e) => e.facts?.indicator === 'runtime-socket');
  return { hits, verdict: triageAlert(a, { index }).verdict };
};

describe('redteam5 the runtime naming its own socket', () => {
  it('still explained: the node dockerd and containerd with their address flags', () => {
    expect(judge('/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock').hits).toEqual([]);
    expect(judge('/usr/bin/dockerd -H unix:///var/run/docker.sock --log-level info').hits).toEqual([]);
  });
  it('trap: the Docker CLI renamed dockerd, given a subcommand, is a client of the socket', () => {
    const r = judge('/usr/local/bin/dockerd -H unix:///var/run/docker.sock run --rm --privileged --pid=host alpine nsenter -t 1 -m sh');
    expect(r.hits.length).toBeGreaterThan(0);
    expect(r.verdict.label).toBe('genuine');
    expect(judge('/usr/local/bin/containerd --address /run/containerd/containerd.sock containers list').hits.length).toBeGreaterThan(0);
  });
  it("trap: a dockerd in an application pod driving the node's containerd through a hostPath mount", () => {
    const r = judge('dockerd --containerd=/host/run/containerd/containerd.sock --data-root=/tmp/d', true);
    expect(r.hits.length).toBeGreaterThan(0);
    expect(r.verdict.label).toBe('genuine');
  });
});
