/**
 * Red-team traps for deleted-pod (a pod gone from the snapshot, explained by its spec as the audit log recorded it):
 * the spec's owner came from the request body. A person who creates a pod naming a ReplicaSet in its ownerReferences
 * (the garbage collector removes it moments later, so only the audit log knows it) got "a container command of a
 * ReplicaSet's pod" for whatever it ran. The owner now counts only when a controller identity (a service account,
 * the control plane) created the pod.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { buildIndex } from '../../../src/cluster/index.js';
import type { AuditActivity } from '../../../src/cluster/model.js';
import { alert, node, snapshot } from '../../support/cluster.js';

const N = 'ip-10-0-1-10.ec2.internal';
const creation = (user: string, groups: string[]): AuditActivity => ({
  time: '2026-01-01T12:00:00Z',
  user,
  groups,
  verb: 'create',
  resource: 'pods',
  namespace: 'shop',
  name: 'web-7d9c-zz9xk',
  sourceIps: ['203.0.113.5'],
  code: 201,
  podSpec: { owner: 'ReplicaSet', ownerName: 'web-7d9c', images: ['python:3.12'], commands: [['python3', '/srv/serve.py']], nodeName: N },
});
const indexWith = (a: AuditActivity) => {
  const s = snapshot([node(N, '10.0.1.10')]);
  s.auditActivities = [a];
  return buildIndex([s]);
};
const run = (a: AuditActivity) =>
  triageAlert(
    alert({
      host: N,
      time: '2026-01-01T12:02:00Z',
      title: 'Reverse connection from container',
      container: { namespace: 'shop', pod: 'web-7d9c-zz9xk', name: 'web' },
      process: { name: 'python3', path: '/usr/local/bin/python3', commandLine: 'python3 /srv/serve.py' },
      network: { dstIp: '198.51.100.7', dstPort: 8443 },
    }),
    { index: indexWith(a) },
  ).verdict;

describe('redteam2 deleted-pod: an owner claimed in the request body by a person', () => {
  it('trap: mallory’s pod naming ReplicaSet web-7d9c, gone from the snapshot, stays genuine', () => {
    expect(run(creation('mallory@example.com', ['system:authenticated'])).label).toBe('genuine');
  });
  it('still explained: the same pod created by the ReplicaSet controller', () => {
    expect(run(creation('system:serviceaccount:kube-system:replicaset-controller', ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'])).label).toBe('likely-false-positive');
  });
});
