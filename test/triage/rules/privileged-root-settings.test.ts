import { describe, expect, it } from 'vitest';
import { privilegedRoot } from '../../../src/triage/rules/privileged-root.js';
import { securityFacts } from '../../../src/triage/rules/support.js';
import { correlate } from '../../../src/triage/correlate.js';
import { alert, containerIdOf, indexOf, node, pod } from '../../support/cluster.js';

// Replicas share their container specs' parts (cluster/compact.ts): the host-path list is worked out once per mounts
// and volume list, and the sentence describing it once per list. Neither may leak from one pod to another.
const mounts = [
  { name: 'host-etc', mountPath: '/host/etc', readOnly: true },
  { name: 'run', mountPath: '/var/run/agent' },
];
const agent = (name: string, nodeName: string, runPath: string) =>
  pod(name, {
    namespace: 'monitoring',
    node: nodeName,
    containers: [{ name: 'agent', image: 'example.com/agent:1', command: ['/agent', '--serve'], securityContext: { privileged: true }, volumeMounts: mounts }],
    volumes: [
      { name: 'host-etc', hostPath: { path: '/etc' } },
      { name: 'run', hostPath: { path: runPath } },
    ],
  });
const a1 = agent('agent-1', 'n1', '/run/agent');
const a2 = agent('agent-2', 'n2', '/var/lib/agent-run');
const index = indexOf([node('n1', '10.0.0.1'), node('n2', '10.0.0.2'), a1, a2]);

function message(p: typeof a1): string {
  const a = alert({ host: p.spec.nodeName, title: 'Privileged container started', process: { name: 'agent', commandLine: '/agent --serve' }, container: { id: containerIdOf(p) } });
  const evidence = privilegedRoot.evaluate({ alert: a, correlation: correlate(a, index), index });
  expect(evidence).toHaveLength(1);
  return evidence[0].message;
}

describe('privileged-root: host-path settings shared by replicas', () => {
  it('lists each pod its own host paths, the same each time it is asked', () => {
    const first = message(a1);
    expect(first).toContain('hostPath /etc at /host/etc (read-only), /run/agent at /var/run/agent');
    expect(message(a2)).toContain('hostPath /etc at /host/etc (read-only), /var/lib/agent-run at /var/run/agent');
    expect(message(a1)).toBe(first);
  });

  it('gives the same list to every alert from a container, and none to a container without host paths', () => {
    const spec = a1.spec.containers[0];
    expect(securityFacts(a1, spec).hostPaths).toBe(securityFacts(a1, spec).hostPaths);
    expect(securityFacts(a1, spec).hostPaths.map((h) => h.hostPath)).toEqual(['/etc', '/run/agent']);
    expect(securityFacts(a2, a2.spec.containers[0]).hostPaths.map((h) => h.hostPath)).toEqual(['/etc', '/var/lib/agent-run']);
    expect(securityFacts(a1, { name: 'plain', image: 'x' }).hostPaths).toEqual([]);
  });
});
