/**
 * Red-team traps for the excuses given to node sensors' host processes (no container id): an attacker on the node who
 * knows the rule names their processes like the excused daemon, or works while a colleague's debug session is open.
 * Every alert here must stay genuine.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const W = 'mfg-w-02';
const SSHD = { name: 'sshd', commandLine: 'sshd: root@pts/0' };
const SYSTEMD = { name: 'systemd', commandLine: '/sbin/init' };

describe('redteam storage-agent: a volume tool under a process merely named like the daemon', () => {
  const satellite = pod('linstor-satellite.mfg-w-02-98xsq', {
    namespace: 'piraeus-datastore',
    node: W,
    hostNetwork: true,
    owner: { kind: 'DaemonSet', name: 'linstor-satellite.mfg-w-02' },
    containers: [{ name: 'linstor-satellite', image: 'quay.io/piraeusdatastore/piraeus-server:v1.29.2', args: ['startSatellite'], securityContext: { privileged: true } }],
  });
  const index = indexOf([node(W, '172.22.10.22'), owner('DaemonSet', 'linstor-satellite.mfg-w-02', 'piraeus-datastore'), satellite]);
  const run = (process: { name: string; path?: string; commandLine: string }, ancestors: { name: string; commandLine?: string }[]) =>
    triageAlert(alert({ host: W, title: 'Suspicious block device operation', process, ancestors }), { index }).verdict;

  it('trap: cryptsetup luksFormat of a node disk under a `java` an SSH login started (no container runtime above it)', () => {
    const v = run({ name: 'cryptsetup', path: '/usr/sbin/cryptsetup', commandLine: 'cryptsetup -q luksFormat /dev/nvme1n1 /tmp/.k' }, [{ name: 'java', commandLine: 'java -jar /tmp/.x/l.jar' }, { name: 'bash', commandLine: '-bash' }, SSHD]);
    expect(v.label).toBe('genuine');
  });
  it('trap: mount of the root disk under a `java` started from /tmp by a shell', () => {
    const v = run({ name: 'mount', path: '/usr/bin/mount', commandLine: 'mount /dev/nvme0n1p1 /mnt/h' }, [{ name: 'java', commandLine: '/tmp/java' }, { name: 'sh', commandLine: 'sh' }, SYSTEMD]);
    expect(v.label).toBe('genuine');
  });
});
