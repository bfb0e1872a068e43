import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { wazuh } from '../../../src/alerts/vendors/wazuh.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

// node-problem-detector's health checker lists pods through the containerd socket it mounts; the same crictl from an
// SSH session, or crictl exec, is a person (or an intruder) at the node.
const W = 'plant-wk-2';
const npdDs = owner('DaemonSet', 'node-problem-detector', 'kube-system');
const npd = (name: string, namespace: string, socket: boolean, ds = true) =>
  pod(name, {
    namespace,
    node: W,
    hostPID: true,
    owner: ds ? { kind: 'DaemonSet', name: 'node-problem-detector' } : undefined,
    containers: [{ name: 'node-problem-detector', image: 'registry.example/platform/node-problem-detector:v0.8.20-crictl', command: ['/node-problem-detector'], securityContext: { privileged: true } }],
    volumes: socket ? [{ name: 'sock', hostPath: { path: '/run/containerd/containerd.sock' } }] : [],
  });
const pods = indexOf([node(W, '172.22.10.22'), npdDs, npd('node-problem-detector-5vxgm', 'kube-system', true)]);
const crictl = (commandLine: string, loginUid: string | undefined, tty = false) =>
  alert({ host: W, time: '2027-03-16T09:30:00Z', title: 'Container runtime CLI run on a Kubernetes node: /usr/bin/crictl', process: { name: 'crictl', path: '/usr/bin/crictl', commandLine, loginUid, tty } });
const LIST = 'crictl --timeout=2s --runtime-endpoint=unix:///run/containerd/containerd.sock pods --latest';

describe('runtime-query', () => {
  it("explains node-problem-detector's read-only crictl pods from no login session", () => {
    const r = triageAlert(crictl(LIST, '4294967295'), { index: pods });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(r.verdict.reasons[0].message).toContain('node-problem-detector-5vxgm');
  });
  it('trap: the same command from an SSH session (login uid set)', () => {
    expect(triageAlert(crictl(LIST, '1003'), { index: pods }).verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: a sensor that reports no login uid proves nothing', () => {
    expect(triageAlert(crictl(LIST, undefined), { index: pods }).verdict.label).toBe('genuine');
  });
  it('trap: crictl exec into a container, even from no login session', () => {
    expect(triageAlert(crictl('crictl --runtime-endpoint=unix:///run/containerd/containerd.sock exec -it 9ee78212470e3 sh', '4294967295'), { index: pods }).verdict.label).toBe('genuine');
  });
  it('trap: a value flag given as a separate word is not taken for the subcommand', () => {
    expect(triageAlert(crictl('crictl -r unix:///run/containerd/containerd.sock exec 9ee78212470e3 cat /etc/shadow', '4294967295'), { index: pods }).verdict.label).toBe('genuine');
  });
  it('trap: the agent does not mount the runtime socket, or is a look-alike in another namespace', () => {
    const noSocket = indexOf([node(W, '172.22.10.22'), npdDs, npd('node-problem-detector-5vxgm', 'kube-system', false)]);
    expect(triageAlert(crictl(LIST, '4294967295'), { index: noSocket }).verdict.label).toBe('genuine');
    const lookalike = indexOf([node(W, '172.22.10.22'), npd('npd-x', 'default', true, false)]);
    expect(triageAlert(crictl(LIST, '4294967295'), { index: lookalike }).verdict.label).toBe('genuine');
  });
});

describe('login uid from Wazuh auditd alerts', () => {
  it('maps data.audit.auid to the process login uid', () => {
    const record = {
      timestamp: '2027-03-16T11:06:50.088+0000',
      rule: { level: 10, id: '100320', description: 'crictl', groups: ['audit'] },
      agent: { id: '005', name: W, ip: '172.22.10.22' },
      decoder: { parent: 'auditd', name: 'auditd' },
      location: '/var/log/audit/audit.log',
      data: { audit: { exe: '/usr/bin/crictl', command: 'crictl', pid: '1', ppid: '2', auid: '1003', euid: '0', tty: 'pts1', execve: { a0: 'crictl', a1: 'ps' } } },
    };
    const a = wazuh.map(record, { file: 'w.json', record: 1, vendor: 'wazuh' });
    expect(a.process).toMatchObject({ loginUid: '1003', tty: true, commandLine: 'crictl ps' });
  });
});

describe('login uid from Falco', () => {
  it('maps user.loginuid (-1 = no login session)', async () => {
    const { falco } = await import('../../../src/alerts/vendors/falco.js');
    const record = { time: '2027-03-16T09:30:00.000000000Z', rule: 'x', priority: 'Notice', source: 'syscall', hostname: W, output_fields: { 'proc.name': 'crictl', 'proc.cmdline': 'crictl ps', 'user.loginuid': -1 } };
    expect(falco.map(record, { file: 'f.json', record: 1, vendor: 'falco' }).process.loginUid).toBe('-1');
  });
});
