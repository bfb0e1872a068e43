/**
 * Red-team traps for whose exec session is a person's troubleshooting. A person's identity (an OIDC e-mail, a client
 * certificate) was trusted wherever the session came from, unless from a public address no one else used with a client
 * the person never used (person-origin). An intruder in a compromised pod who finds a person's kubeconfig or token
 * (a CI secret, a mounted admin kubeconfig) and execs into the database pod with it comes from that pod's own address:
 * the person's "troubleshooting" dumped the database.
 * Fix (admin-activity judgeIdentity): a person's session whose every source address is a pod's own address (not a
 * node's, which host-network pods share; not an impersonating proxy's pods, judged by proxiedPerson) is not trusted.
 * Left open (see the report): a stolen credential used from outside with the person's own kubectl user agent, from an
 * address no one else used, looks exactly like that person working from home.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { ExecSession } from '../../../src/cluster/model.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'node-a';
const web = pod('web-7d-abcde', { namespace: 'shop', node: N, ip: '10.1.0.40', owner: { kind: 'ReplicaSet', name: 'web-7d' }, containers: [{ name: 'web', image: 'shop/web:3.1', command: ['/app/web'] }] });
const db = pod('db-0', { namespace: 'shop', node: N, ip: '10.1.0.50', owner: { kind: 'StatefulSet', name: 'db' }, containers: [{ name: 'postgres', image: 'postgres:16', command: ['postgres'] }] });
const T0 = '2026-11-20T09:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();
const session = (sourceIps: string[]): ExecSession => ({
  kind: 'exec',
  user: 'dana@example.com',
  groups: ['oidc:dbas', 'system:authenticated'],
  sourceIps,
  userAgent: 'kubectl/v1.30.1 (linux/amd64) kubernetes/abc',
  namespace: 'shop',
  pod: 'db-0',
  container: 'postgres',
  command: ['bash'],
  tty: true,
  start: at(0),
  end: at(600),
  code: 101,
});
const objects = [node(N, '10.0.1.11'), owner('ReplicaSet', 'web-7d', 'shop'), owner('StatefulSet', 'db', 'shop'), web, db];
const dump = alert({
  host: N,
  time: at(60),
  title: 'Database dump utility executed',
  container: { id: containerIdOf(db), name: 'postgres', pod: 'db-0', namespace: 'shop' },
  process: { name: 'pg_dump', path: '/usr/bin/pg_dump', commandLine: 'pg_dump -U postgres -Fc shop -f /var/lib/postgresql/shop.dump', tty: true },
  ancestors: [{ name: 'bash', commandLine: 'bash' }, { name: 'runc', commandLine: 'runc init' }],
});

describe("redteam4 admin-activity: a person's credentials used from inside a workload", () => {
  it("trap: dana's exec into the database from the web pod's own address stays genuine", () => {
    const v = triageAlert(dump, { index: indexOf(objects, [session(['10.1.0.40'])]) }).verdict;
    expect(v.label).toBe('genuine');
    expect(v.reasons[0].message).toMatch(/from 10\.1\.0\.40, the address of web-7d-abcde .*not from a person's machine/);
  });
  it("still explained: the same session from dana's machine, or from a node (a bastion shell on a control-plane host)", () => {
    expect(triageAlert(dump, { index: indexOf(objects, [session(['192.0.2.88'])]) }).verdict).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
    expect(triageAlert(dump, { index: indexOf(objects, [session(['10.0.1.11'])]) }).verdict).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
  });
});
