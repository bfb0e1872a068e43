/**
 * Chaos Mesh's chaos-daemon starts with the container runtime's socket on its command line (--runtime-socket-path):
 * a confirmed chaos-daemon pod's own entrypoint is excused from the runtime-socket indicator (a privileged start, as
 * Falco's "Launch Privileged Container" reports it). Found in the chaos-gameday validation scenario; with the traps:
 * another program using the socket in that container, and the same command in a look-alike pod outside chaos-mesh.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, node, owner, pod, snapshot } from '../../support/cluster.js';

const CMD = ['/usr/local/bin/chaos-daemon', '--runtime', 'containerd', '--grpc-port', '31767', '--runtime-socket-path', '/host-run/containerd.sock'];
const agent = (namespace: string, ownerKind = 'DaemonSet') =>
  pod('chaos-daemon-7lmhp', {
    namespace,
    node: 'stg-wrk-04',
    ip: '10.16.0.24',
    owner: { kind: ownerKind, name: 'chaos-daemon' },
    hostPID: true,
    containers: [{ name: 'chaos-daemon', image: 'ghcr.io/chaos-mesh/chaos-daemon:v2.7.2', command: CMD, securityContext: { privileged: true } }],
    volumes: [{ name: 'socket-path', hostPath: { path: '/run/containerd' } }],
  });

function verdictFor(namespace: string, cmd: string, parent = 'containerd-shim') {
  const p = agent(namespace);
  const index = buildIndex([snapshot([node('stg-wrk-04', '10.60.0.24'), owner('DaemonSet', 'chaos-daemon', namespace), p])]);
  const name = cmd.split(' ')[0].split('/').pop()!;
  const a = alert({
    host: 'stg-wrk-04',
    title: 'Launch Privileged Container',
    process: { name, path: cmd.split(' ')[0], commandLine: cmd },
    ancestors: [{ name: parent }],
    container: { id: containerIdOf(p).slice(0, 12), namespace, pod: p.metadata.name, name: 'chaos-daemon' },
  });
  return triageAlert(a, { index }).verdict;
}

describe("chaos-daemon's own runtime socket", () => {
  it("the confirmed agent's entrypoint starting privileged: privileged-root, not an escape", () => {
    expect(verdictFor('chaos-mesh', CMD.join(' '))).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });
  it('trap: crictl through the same socket inside the chaos-daemon container', () => {
    const v = verdictFor('chaos-mesh', 'crictl --runtime-endpoint unix:///host-run/containerd.sock exec -it 4f2a sh', 'sh');
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: the same image and command in a pod outside the chaos namespaces', () => {
    expect(verdictFor('default', CMD.join(' '))).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});
