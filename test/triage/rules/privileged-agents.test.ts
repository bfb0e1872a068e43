import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { ExecSession } from '../../../src/cluster/model.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

// Privileged node agents doing, on the host, what they are privileged for: Dynatrace OneAgent writing its library into
// /etc/ld.so.preload (a host file it manages), and the NeuVector enforcer's own processes opening packet sockets and
// entering workload namespaces.
const W1 = 'plant-wk-1';
const W2 = 'plant-wk-2';
const W3 = 'plant-wk-3';
const OA_BIN = '/opt/dynatrace/oneagent/agent/lib64';
const oaDs = owner('DaemonSet', 'plant-oneagent', 'dynatrace');
const oneagent = (name: string, nodeName: string, namespace = 'dynatrace', started = '2027-03-16T08:11:58Z') =>
  pod(name, {
    namespace,
    node: nodeName,
    hostNetwork: true,
    hostPID: true,
    created: started,
    owner: namespace === 'dynatrace' ? { kind: 'DaemonSet', name: 'plant-oneagent' } : undefined,
    containers: [
      {
        name: 'dynatrace-oneagent',
        image: 'public.ecr.aws/dynatrace/dynatrace-oneagent:1.299.63.20250115-083112',
        securityContext: { privileged: true },
        volumeMounts: [{ name: 'host-root', mountPath: '/mnt/root' }],
      },
    ],
    volumes: [{ name: 'host-root', hostPath: { path: '/' } }],
  });
const oa1 = oneagent('plant-oneagent-abcde', W1);
const lookalike = oneagent('oneagent-x', W2, 'monitoring');
const nvDs = owner('DaemonSet', 'neuvector-enforcer-pod', 'neuvector');
const enforcer = pod('neuvector-enforcer-pod-qlpbq', {
  namespace: 'neuvector',
  node: W3,
  hostPID: true,
  owner: { kind: 'DaemonSet', name: 'neuvector-enforcer-pod' },
  containers: [{ name: 'neuvector-enforcer-pod', image: 'docker.io/neuvector/enforcer:5.4.1', securityContext: { privileged: true } }],
});
const objects = [node(W1, '172.22.10.21'), node(W2, '172.22.10.22'), node(W3, '172.22.10.23'), oaDs, oa1, lookalike, nvDs, enforcer];
const index = indexOf(objects);
const T = '2027-03-16T08:12:40.318Z';
const preload = (host: string, path: string, parent: { name: string; path: string }) =>
  alert({ host, time: T, title: 'Integrity checksum changed.', process: { name: path.split('/').pop(), path }, ancestors: [parent], file: '/etc/ld.so.preload' });
const watchdog = { name: 'oneagentwatchdog', path: `${OA_BIN}/oneagentwatchdog` };

describe('privileged-root: a host file a confirmed agent manages, written by its own process', () => {
  it('explains OneAgent registering its library in /etc/ld.so.preload right after its pod started', () => {
    const r = triageAlert(preload(W1, `${OA_BIN}/oneagentinstallaction`, watchdog), { index });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
    expect(r.verdict.reasons[0].message).toContain('plant-oneagent-abcde');
    expect(r.verdict.reasons[0].message).toContain('started at 2027-03-16T08:11:58Z');
  });
  it('trap: a shell writing /etc/ld.so.preload on the same node is the linker-preload attack indicator', () => {
    const r = triageAlert(preload(W1, '/usr/bin/dash', { name: 'sh', path: '/bin/sh' }), { index });
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(r.verdict.reasons.map((x) => x.message).join(' ')).toContain('T1574.006');
  });
  it('trap: an echo into /etc/ld.so.preload from an application container', () => {
    const app = pod('web-1', { namespace: 'shop', node: W1, containers: [{ name: 'web', image: 'nginx:1.27', command: ['nginx'] }] });
    const a = alert({ host: W1, time: T, process: { name: 'sh', commandLine: 'sh -c echo /tmp/.x.so >> /etc/ld.so.preload' }, container: { id: containerIdOf(app) } });
    expect(triageAlert(a, { index: indexOf([...objects, app]) }).verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it("trap: the agent's process name under a shell parent", () => {
    const r = triageAlert(preload(W1, `${OA_BIN}/oneagentinstallaction`, { name: 'bash', path: '/usr/bin/bash' }), { index });
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: the same writer on a node where only a look-alike OneAgent pod (another namespace, no DaemonSet) runs', () => {
    const r = triageAlert(preload(W2, `${OA_BIN}/oneagentinstallaction`, watchdog), { index });
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: a file the agent does not manage', () => {
    const a = preload(W1, `${OA_BIN}/oneagentinstallaction`, watchdog);
    a.file = { path: '/etc/sudoers' };
    expect(triageAlert(a, { index }).verdict.label).toBe('genuine');
  });
});

describe("privileged-root: a privileged agent's own process doing what it is privileged for", () => {
  const falco = (title: string, name: string, path: string, parent: string, time = '2027-03-16T09:06:40Z') =>
    alert({ host: W3, time, title, process: { name, path, commandLine: name === 'agent' ? 'agent -c' : 'dp -n 1' }, ancestors: [{ name: parent, commandLine: `${parent} -r` }], container: { id: containerIdOf(enforcer) } });

  it("explains the NeuVector data path's packet socket", () => {
    const r = triageAlert(falco('Packet socket created in container', 'dp', '/usr/local/bin/dp', 'monitor'), { index });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });
  it("explains the enforcer agent's setns into workload namespaces (it enters them in process)", () => {
    const r = triageAlert(falco('Change thread namespace', 'agent', '/usr/local/bin/agent', 'monitor'), { index });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });
  it('trap: the same while someone has a kubectl exec session open in the enforcer pod', () => {
    const session: ExecSession = {
      kind: 'exec',
      user: 'system:serviceaccount:ci:runner',
      groups: [],
      sourceIps: ['172.22.30.77'],
      namespace: 'neuvector',
      pod: enforcer.metadata.name,
      container: 'neuvector-enforcer-pod',
      command: ['sh'],
      tty: true,
      start: '2027-03-16T09:05:00Z',
      end: '2027-03-16T09:10:00Z',
    };
    const r = triageAlert(falco('Change thread namespace', 'agent', '/usr/local/bin/agent', 'monitor'), { index: indexOf(objects, [session]) });
    expect(r.verdict.label).toBe('genuine');
  });
  it('trap: nsenter into PID 1 from a shell in the enforcer pod (the agent enters namespaces in process, never this way)', () => {
    const a = falco('Change thread namespace', 'agent', '/usr/local/bin/agent', 'monitor');
    a.process = { name: 'nsenter', path: '/usr/bin/nsenter', commandLine: 'nsenter -t 1 -m -u -i -n sh', ancestors: [{ name: 'sh', commandLine: 'sh' }] };
    expect(triageAlert(a, { index }).verdict.label).toBe('genuine');
  });
});

describe("attack indicators: another process's environment, read by a monitoring agent that reads every /proc by design", () => {
  const ddDs = owner('DaemonSet', 'datadog-agent', 'datadog');
  const spec = (image: string) => [
    {
      name: 'system-probe',
      image,
      command: ['system-probe', '--config=/etc/datadog-agent/system-probe.yaml'],
      securityContext: { capabilities: { add: ['SYS_ADMIN', 'SYS_PTRACE'] } },
      volumeMounts: [{ name: 'procdir', mountPath: '/host/proc', readOnly: true }],
    },
  ];
  const volumes = [{ name: 'procdir', hostPath: { path: '/proc' } }];
  const dd = pod('datadog-agent-z8wxz', { namespace: 'datadog', node: W3, hostPID: true, owner: { kind: 'DaemonSet', name: 'datadog-agent' }, containers: spec('gcr.io/datadoghq/agent:7.58.2'), volumes });
  const fake = pod('datadog-agent-helper-1', { namespace: 'monitoring', node: W3, hostPID: true, containers: spec('docker.io/datad0ghq/agent:7.58.2'), volumes });
  const app = pod('web-1', { namespace: 'shop', node: W3, containers: [{ name: 'web', image: 'nginx:1.27', command: ['nginx'] }] });
  const objs = [node(W3, '172.22.10.23'), ddDs, dd, fake, app];
  const read = (p: typeof dd, file = '/host/proc/14022/environ') =>
    alert({
      host: W3,
      time: '2027-03-16T08:18:30Z',
      title: 'Read environment variable from /proc files',
      process: { name: 'system-probe', path: '/opt/datadog-agent/embedded/bin/system-probe', commandLine: 'system-probe --config=/etc/datadog-agent/system-probe.yaml' },
      container: { id: containerIdOf(p) },
      file,
    });

  it('explains system-probe of the Datadog DaemonSet reading /host/proc/<pid>/environ', () => {
    const r = triageAlert(read(dd), { index: indexOf(objs) });
    expect(r.verdict.label).toBe('likely-false-positive');
  });
  it('trap: the same read from a look-alike image in another namespace', () => {
    const r = triageAlert(read(fake), { index: indexOf(objs) });
    expect(r.verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: an application container reading PID 1 environment', () => {
    const a = read(app, '/proc/1/environ');
    a.process = { name: 'cat', path: '/bin/cat', commandLine: 'cat /proc/1/environ', ancestors: [] };
    expect(triageAlert(a, { index: indexOf(objs) }).verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: the agent pod while a kubectl exec session is open in it', () => {
    const session: ExecSession = {
      kind: 'exec',
      user: 'mallory@example.com',
      groups: [],
      sourceIps: ['203.0.113.9'],
      namespace: 'datadog',
      pod: dd.metadata.name,
      container: 'system-probe',
      command: ['sh'],
      tty: true,
      start: '2027-03-16T08:15:00Z',
      end: '2027-03-16T08:20:00Z',
    };
    expect(triageAlert(read(dd), { index: indexOf(objs, [session]) }).verdict.label).toBe('genuine');
  });
});

describe('attack indicators: a threat-intelligence match from a network sensor', () => {
  it('keeps a Zeek Intel::Notice as an attack, even from a node address', () => {
    const a = alert({ title: 'Intel::Notice', network: { srcIp: '172.22.10.21', srcPort: 48812, dstIp: '198.51.100.77', dstPort: 80 } });
    expect(triageAlert(a, { index }).verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});
