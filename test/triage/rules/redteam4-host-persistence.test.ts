/**
 * Red-team traps for privileged-root's "the file is under a host path the pod spec mounts" (medium): a privileged
 * DaemonSet that mounts the host's / at /host was excused for whatever its processes wrote there, and the persistence
 * indicators only knew the host's own paths (`> /etc/cron.d/x`), not the same files through the mount
 * (`> /host/etc/cron.d/x`), nor a cp / mv / install into them. A compromised agent pod planting a cron job, a systemd
 * unit or a line in root's .bashrc on its node was "a host file under its mount".
 * Fix (knowledge/indicators.ts): cron-persistence sees writes by redirect, tee, cp, mv, install or ln, under any mount
 * prefix; a new shell-profile-persistence indicator sees the same for /etc/profile(.d), bash.bashrc, /etc/environment,
 * rc.local and a home's .bashrc / .profile / .zshrc.
 * And a host program or library replaced through the mount (`cp x /host/usr/bin/kubelet`, `> /host/lib/…so`) was the
 * same "host file under its mount". Fix (privileged-root): a write by redirect, tee, cp, mv, install or ln through a
 * writable host mount (not the container's own /) into the host's program or library directories is not excused, and
 * says so (medium).
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'node-a';
const agent = pod('log-agent-abcde', {
  namespace: 'legacy',
  node: N,
  ip: '10.1.0.9',
  owner: { kind: 'DaemonSet', name: 'log-agent' },
  containers: [{ name: 'agent', image: 'registry.example.com/legacy/log-agent:2', command: ['/usr/bin/log-agent', '--root=/host'], securityContext: { privileged: true }, volumeMounts: [{ name: 'root', mountPath: '/host' }] }],
  volumes: [{ name: 'root', hostPath: { path: '/' } }],
});
const index = indexOf([node(N, '10.0.1.11'), owner('DaemonSet', 'log-agent', 'legacy'), agent]);
const written = (commandLine: string, file?: string) =>
  triageAlert(
    alert({ host: N, title: 'Suspicious file write', container: { id: containerIdOf(agent), name: 'agent', pod: agent.metadata.name, namespace: 'legacy' }, file, process: { name: commandLine.split(' ')[0], commandLine }, ancestors: [{ name: 'log-agent', commandLine: '/usr/bin/log-agent --root=/host' }] }),
    { index },
  ).verdict;

describe("redteam4 persistence planted through a pod's mount of the host", () => {
  it.each([
    ['a cron job', 'sh -c "echo KiAqICogKiAqIHJvb3Q= | base64 -d > /host/etc/cron.d/sync"'],
    ['a systemd unit', 'cp /var/lib/log-agent/u /host/etc/systemd/system/node-sync.service'],
    ["root's crontab", 'mv /var/lib/log-agent/c /host/var/spool/cron/crontabs/root'],
    ["root's .bashrc", 'sh -c "echo curl_x >> /host/root/.bashrc"'],
    ['a profile script', 'install /var/lib/log-agent/p /host/etc/profile.d/zz-sync.sh'],
  ])('trap: %s written through /host stays genuine', (_what, commandLine) => {
    expect(written(commandLine)).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: a host program replaced through /host stays genuine', () => {
    expect(written('cp /var/lib/log-agent/k /host/usr/bin/kubelet').label).toBe('genuine');
    expect(written('sh -c "cat /var/lib/log-agent/l > /host/usr/lib/x86_64-linux-gnu/libpam.so.0"').label).toBe('genuine');
  });
  it('still explained: the agent reading host logs and cron listings under its mount, and writing its own state there', () => {
    expect(written('cp /var/lib/log-agent/pos /host/var/lib/log-agent/pos.db', '/host/var/lib/log-agent/pos.db').label).toBe('likely-false-positive');
    expect(written('cat /host/usr/bin/kubelet', '/host/usr/bin/kubelet').label).toBe('likely-false-positive');
    expect(written('cat /host/var/log/syslog', '/host/var/log/syslog').label).toBe('likely-false-positive');
    expect(written('ls -la /host/etc/cron.d', '/host/etc/cron.d').label).toBe('likely-false-positive');
    expect(written('sh -c "grep -h PATH /host/etc/profile /host/root/.bashrc"').label).toBe('likely-false-positive');
  });
});
