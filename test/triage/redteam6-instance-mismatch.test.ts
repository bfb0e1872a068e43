/**
 * Red-team 6: an export holding several clusters' alerts, triaged against one cluster's snapshot. StatefulSet pods
 * have the same names in every cluster (db/postgres-0), and a sensor that names the pod but gives no container id
 * (Cortex XDR, Defender hunting) placed another cluster's alert in this cluster's pod of that name — even when the
 * alert's EC2 instance id was not the pod's node (correlate noted "another machine" and kept the pod). A developer's
 * `kubectl exec` into staging's postgres-0 then explained prod's `pg_dumpall` piped off the host. Fix (correlate): a
 * pod placed by name on a node whose instance is not the alert's is another machine's pod of the same name.
 */
import { describe, expect, it } from 'vitest';
import type { ExecSession } from '../../src/cluster/model.js';
import { triageAlert } from '../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../support/cluster.js';

const N = 'ip-10-0-1-11.eu-west-1.compute.internal';
const OWN = 'i-0aaaaaaaaaaaaaaaa';
const pg = pod('postgres-0', {
  namespace: 'db',
  node: N,
  ip: '10.1.0.5',
  owner: { kind: 'StatefulSet', name: 'postgres' },
  created: '2026-11-20T08:00:00Z',
  containers: [{ name: 'postgres', image: 'postgres:16.4', command: ['docker-entrypoint.sh'], args: ['postgres'] }],
});
const session: ExecSession = {
  kind: 'exec',
  user: 'dana@example.com',
  groups: ['oidc:dba', 'system:authenticated'],
  sourceIps: ['192.0.2.88'],
  namespace: 'db',
  pod: 'postgres-0',
  container: 'postgres',
  command: ['bash'],
  tty: true,
  start: '2026-11-20T09:00:00.000Z',
  end: '2026-11-20T09:10:00.000Z',
  code: 101,
};
const index = indexOf([node(N, '10.0.1.11', OWN), owner('StatefulSet', 'postgres', 'db'), pg], [session]);

function dump(instanceId: string | undefined, host: string | undefined = N) {
  const a = alert({
    host,
    time: '2026-11-20T09:03:00.000Z',
    title: 'Database dump piped to a network tool',
    container: { pod: 'postgres-0', namespace: 'db', name: 'postgres' },
    process: { name: 'pg_dumpall', path: '/usr/lib/postgresql/16/bin/pg_dumpall', commandLine: 'pg_dumpall -U postgres' },
    ancestors: [{ name: 'bash', path: '/bin/bash', commandLine: 'bash' }],
  });
  a.host.instanceId = instanceId;
  return triageAlert(a, { index });
}

describe('redteam6 correlate: a pod named by the alert on another machine', () => {
  it("still explained: the DBA's exec session in this cluster's postgres-0, on its node's instance (or no instance given)", () => {
    expect(dump(OWN).verdict).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
    expect(dump(undefined).verdict.label).toBe('likely-false-positive');
  });
  it("trap: the alert's instance is another machine — with the node's name, or with no host name at all", () => {
    for (const host of [N, undefined]) {
      const r = dump('i-0bbbbbbbbbbbbbbbb', host);
      expect(r.correlation.subject.pod).toBeUndefined();
      expect(r.correlation.notes.join(' ')).toContain('a pod of the same name on another machine');
      expect(r.verdict.label).toBe('genuine');
    }
  });
});
