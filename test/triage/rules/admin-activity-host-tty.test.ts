/**
 * admin-activity for a host sensor that names no container (auditd through Wazuh): a process with a terminal and no
 * login uid while a person's interactive debug session into a pod on that node is open. Traps: a login on the host
 * (login uid set), no terminal, the session in a pod on another node, after the session, and a service account's session.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { ExecSession } from '../../../src/cluster/model.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const N1 = 'ip-10-42-21-205.eu-central-1.compute.internal';
const N2 = 'ip-10-42-44-14.eu-central-1.compute.internal';
const T = (hms: string) => `2027-03-16T${hms}.000Z`;
const gw = (name: string, n: string, ip: string) =>
  pod(name, { namespace: 'payments', node: n, ip, owner: { kind: 'ReplicaSet', name: 'payment-gateway-wrxl9hmqbv' }, containers: [{ name: 'payment-gateway', image: 'payments/payment-gateway:3.7.4', command: ['java', '-jar', '/app/gateway.jar'] }] });
const onN1 = gw('payment-gateway-wrxl9hmqbv-p9ndf', N1, '10.42.23.222');
const onN2 = gw('payment-gateway-wrxl9hmqbv-ll9dn', N2, '10.42.44.114');
const session = (p: typeof onN1, user: string, start: string, end: string): ExecSession =>
  ({ kind: 'attach', namespace: 'payments', pod: p.metadata.name, container: 'debugger-r9x4k', user, groups: ['system:authenticated'], sourceIps: ['198.51.100.87'], command: [], tty: true, start: T(start), end: T(end) }) as ExecSession;
const ALICE = 'arn:aws:sts::382915604117:assumed-role/PaymentsSRE/alice.nguyen';
const index = indexOf(
  [node(N1, '10.42.21.205'), node(N2, '10.42.44.14'), owner('ReplicaSet', 'payment-gateway-wrxl9hmqbv', 'payments'), onN1, onN2],
  [session(onN1, ALICE, '11:05:14', '11:22:40'), session(onN2, 'system:serviceaccount:payments:payment-gateway', '11:05:14', '11:22:40')],
);

const tcpdump = (host: string, hms: string, o: { loginUid?: string; tty?: boolean } = {}) =>
  triageAlert(
    alert({
      host,
      time: T(hms),
      title: 'Packet capture started',
      process: { name: 'tcpdump', path: '/usr/bin/tcpdump', commandLine: 'tcpdump -i eth0 -nn -c 200 host 10.42.16.73', uid: '0', loginUid: o.loginUid ?? '4294967295', tty: o.tty ?? true },
      ancestors: [{ pid: '34877' }],
    }),
    { index },
  ).verdict;

describe("admin-activity: a host sensor's terminal process during a person's debug session on that node", () => {
  it('explains tcpdump with a terminal and no login while alice is attached to a pod on the node', () => {
    expect(tcpdump(N1, '11:15:02')).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
  });
  it('trap: the same command from a login on the host (login uid 1001)', () => {
    expect(tcpdump(N1, '11:15:02', { loginUid: '1001' }).label).toBe('genuine');
  });
  it('trap: no terminal', () => {
    expect(tcpdump(N1, '11:15:02', { tty: false }).label).toBe('genuine');
  });
  it('trap: after the session ended', () => {
    expect(tcpdump(N1, '11:52:40').label).toBe('genuine');
  });
  it("trap: a service account's session into a pod on that node", () => {
    expect(tcpdump(N2, '11:15:02').label).toBe('genuine');
  });
});
