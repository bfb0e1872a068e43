/**
 * chaos-experiment: Chaos Mesh's privileged chaos-daemon applying a fault (tc netem, iptables, stress-ng, toda) is
 * explained by an experiment the audit log shows someone creating, whose window and selector cover the alert's time and
 * a pod on the alert's node — never by the agent's presence alone. Found in the chaos-gameday validation scenario; with
 * the traps (outside the window, a pod it does not select, another fault kind, a program no fault runs, a look-alike
 * daemon name where no agent runs).
 */
import { describe, expect, it } from 'vitest';
import type { AuditActivity } from '../../../src/cluster/model.js';
import { summarizeChaosFault } from '../../../src/cluster/audit.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { parseGoDuration } from '../../../src/knowledge/chaos-engineering.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, node, owner, pod, snapshot } from '../../support/cluster.js';

const W1 = 'stg-wrk-01';
const W2 = 'stg-wrk-02';
const T = (hms: string) => `2027-03-11T${hms}.000Z`;
const DAEMON_CMD = '/usr/local/bin/chaos-daemon --runtime containerd --grpc-port 31767';

const daemonPod = (n: string, suffix: string) =>
  pod(`chaos-daemon-${suffix}`, {
    namespace: 'chaos-mesh',
    node: n,
    ip: `10.16.0.2${suffix.length}`,
    owner: { kind: 'DaemonSet', name: 'chaos-daemon' },
    hostPID: true,
    containers: [{ name: 'chaos-daemon', image: 'ghcr.io/chaos-mesh/chaos-daemon:v2.7.2', command: DAEMON_CMD.split(' '), securityContext: { privileged: true } }],
  });
const frontend = pod('frontend-6c7f9b8d44-qlcqs', { namespace: 'shop', node: W1, ip: '10.16.0.41', labels: { app: 'frontend' }, containers: [{ name: 'frontend', image: 'shop/frontend:5.3.0', command: ['node', 'server.js'] }] });
const cart = pod('cart-5d8c6f7b9f-x2k4n', { namespace: 'shop', node: W2, ip: '10.16.0.51', labels: { app: 'cart' }, containers: [{ name: 'cart', image: 'shop/cart:3.1.4' }] });

function created(kind: string, resource: string, name: string, time: string, spec: Record<string, unknown>): AuditActivity {
  return {
    time: T(time),
    user: 'priya.nair@example.org',
    groups: ['oidc:sre'],
    verb: 'create',
    resource,
    apiGroup: 'chaos-mesh.org',
    namespace: 'shop',
    name,
    sourceIps: ['10.70.8.14'],
    code: 201,
    chaos: summarizeChaosFault({ apiVersion: 'chaos-mesh.org/v1alpha1', kind, metadata: { name, namespace: 'shop' }, spec }, 'shop'),
  };
}
const latency = created('NetworkChaos', 'networkchaos', 'frontend-latency', '09:30:58', {
  action: 'delay',
  mode: 'all',
  selector: { namespaces: ['shop'], labelSelectors: { app: 'frontend' } },
  delay: { latency: '200ms' },
  duration: '10m',
});
const stress = created('StressChaos', 'stresschaos', 'cart-cpu', '09:50:05', { mode: 'one', selector: { labelSelectors: { app: 'cart' } }, stressors: { cpu: { workers: 2 } }, duration: '15m' });

const NETEM = 'tc qdisc add dev eth0 root handle 1: netem delay 200ms';
function verdictFor(o: { time: string; host?: string; cmd: string; parent?: string; activities?: AuditActivity[]; agents?: boolean }) {
  const objects = [node(W1, '10.60.0.21'), node(W2, '10.60.0.22'), frontend, cart, owner('DaemonSet', 'chaos-daemon', 'chaos-mesh')];
  if (o.agents !== false) objects.push(daemonPod(W1, 'kncxx'), daemonPod(W2, 'pvjwz'));
  const snap = snapshot(objects);
  snap.auditActivities = [
    { time: T('09:00:00'), user: 'jonas.berg@example.org', groups: ['oidc:sre'], verb: 'patch', resource: 'deployments', sourceIps: ['10.70.8.27'] },
    ...(o.activities ?? [latency, stress]),
    { time: T('12:40:00'), user: 'jonas.berg@example.org', groups: ['oidc:sre'], verb: 'get', resource: 'pods', sourceIps: ['10.70.8.27'] },
  ];
  const name = o.cmd.split(' ')[0].split('/').pop()!;
  const a = alert({
    host: o.host ?? W1,
    time: T(o.time),
    process: { name, path: `/usr/sbin/${name}`, commandLine: o.cmd },
    ancestors: [
      { name: 'nsexec', path: '/usr/local/bin/nsexec', commandLine: o.parent ?? `/usr/local/bin/nsexec -n /proc/48211/ns/net -- ${o.cmd}` },
      { name: 'chaos-daemon', path: '/usr/local/bin/chaos-daemon', commandLine: DAEMON_CMD },
    ],
  });
  return triageAlert(a, { index: buildIndex([snap]) }).verdict;
}

describe('chaos-experiment', () => {
  it('tc netem by the chaos-daemon during a NetworkChaos that selects a pod on this node: admin-activity, naming the experiment', () => {
    const v = verdictFor({ time: '09:31:04', cmd: NETEM });
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
    expect(v.reasons[0].message).toMatch(/NetworkChaos shop\/frontend-latency.*priya\.nair@example\.org.*shop\/frontend-6c7f9b8d44-qlcqs on stg-wrk-01/);
  });
  it('recovery shortly after the declared duration is still the experiment', () => {
    expect(verdictFor({ time: '09:42:10', cmd: 'tc qdisc del dev eth0 root' }).label).toBe('likely-false-positive');
  });
  it('stress-ng under nsexec during a StressChaos whose selector (namespace from the resource) picks a pod here', () => {
    expect(verdictFor({ time: '09:51:00', host: W2, cmd: '/usr/local/bin/stress-ng --cpu 2 --cpu-load 80' })).toMatchObject({ label: 'likely-false-positive', cause: 'admin-activity' });
  });
  it('a stressor started through pause (no --) during the StressChaos', () => {
    const cmd = '/usr/local/bin/pause /usr/local/bin/stress-ng --cpu 2 --cpu-load 80';
    expect(verdictFor({ time: '09:51:00', host: W2, cmd, parent: DAEMON_CMD }).label).toBe('likely-false-positive');
  });
  it('trap: pause wrapping a shell during the StressChaos', () => {
    const cmd = '/usr/local/bin/pause sh -c id';
    expect(verdictFor({ time: '09:51:00', host: W2, cmd, parent: DAEMON_CMD }).label).toBe('genuine');
  });
  it('trap: the same tc long after the experiment ended', () => {
    const v = verdictFor({ time: '11:15:00', cmd: NETEM });
    expect(v.label).toBe('genuine');
    expect(v.reasons.some((r) => r.rule === 'chaos-experiment' && r.direction === 'malicious')).toBe(true);
  });
  it('trap: during the experiment, but on a node where no selected pod runs', () => {
    expect(verdictFor({ time: '09:31:04', host: W2, cmd: NETEM }).label).toBe('genuine');
  });
  it('trap: a fault of another kind than the active experiment (iptables during a StressChaos on this node)', () => {
    expect(verdictFor({ time: '09:51:00', host: W2, cmd: 'iptables -w -A CHAOS-OUTPUT -j DROP' }).label).toBe('genuine');
  });
  it('trap: the chaos-daemon starting a shell that no fault runs, during an experiment', () => {
    const v = verdictFor({ time: '09:31:04', cmd: 'sh -c tc qdisc del dev eth0 root; id', parent: '/usr/local/bin/nsexec -n /proc/48211/ns/net -- sh -c tc qdisc del dev eth0 root; id' });
    expect(v.label).toBe('genuine');
    expect(v.reasons.some((r) => r.rule === 'chaos-experiment' && /none of the programs its faults run/.test(r.message))).toBe(true);
  });
  it('trap: a chaos-daemon parent name on a node where no Chaos Mesh agent runs explains nothing', () => {
    const v = verdictFor({ time: '09:31:04', cmd: NETEM, agents: false });
    expect(v.label).toBe('genuine');
    expect(v.reasons.some((r) => r.rule === 'chaos-experiment')).toBe(false);
  });
  it('trap: no experiment at all in an audit log that covers the time', () => {
    expect(verdictFor({ time: '09:31:04', cmd: NETEM, activities: [] }).label).toBe('genuine');
  });
});

describe('summarizeChaosFault and parseGoDuration', () => {
  it('reads the selector, the partition target and the duration', () => {
    const s = summarizeChaosFault(
      { kind: 'NetworkChaos', spec: { action: 'partition', selector: { labelSelectors: { app: 'cart' } }, target: { selector: { namespaces: ['db'], labelSelectors: { app: 'redis' } } }, duration: '1h30m' } },
      'shop',
    );
    expect(s).toEqual({
      kind: 'NetworkChaos',
      action: 'partition',
      selectors: [
        { namespaces: ['shop'], labels: { app: 'cart' } },
        { namespaces: ['db'], labels: { app: 'redis' } },
      ],
      durationMs: 5_400_000,
    });
  });
  it('durations', () => {
    expect(parseGoDuration('90s')).toBe(90_000);
    expect(parseGoDuration('500ms')).toBe(500);
    expect(parseGoDuration('10 minutes')).toBeUndefined();
    expect(parseGoDuration(undefined)).toBeUndefined();
  });
});
