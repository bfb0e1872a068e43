/**
 * Red-team traps for declared-host-files ("the workload's own spec mounts this host credential and its entrypoint
 * script uses it"): an etcd backup CronJob mounts /etc/kubernetes/pki/etcd and runs `etcdctl … snapshot save`. A file
 * event that names only the program (etcdctl, no command line) was that declared step whoever ran it — an intruder's
 * etcdctl under an interactive bash, or under a dropped python implant, reading the etcd server key.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'cp-1';
const STEP = 'etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key snapshot save /backup/etcd.db';
const backup = pod('etcd-backup-29123-xk2p9', {
  namespace: 'kube-system',
  node: N,
  hostNetwork: true,
  owner: { kind: 'Job', name: 'etcd-backup-29123' },
  containers: [
    {
      name: 'backup',
      image: 'registry.k8s.io/etcd:3.5.15-0',
      command: ['/bin/sh', '-c', STEP],
      volumeMounts: [
        { name: 'pki', mountPath: '/etc/kubernetes/pki/etcd' },
        { name: 'out', mountPath: '/backup' },
      ],
    },
  ],
  volumes: [
    { name: 'pki', hostPath: { path: '/etc/kubernetes/pki/etcd' } },
    { name: 'out', hostPath: { path: '/var/backups/etcd' } },
  ],
});
const index = indexOf([node(N, '10.0.0.10'), owner('CronJob', 'etcd-backup', 'kube-system'), owner('Job', 'etcd-backup-29123', 'kube-system', { kind: 'CronJob', name: 'etcd-backup' }), backup]);
const at = { id: containerIdOf(backup), name: 'backup', pod: backup.metadata.name, namespace: 'kube-system' };
const keyRead = (ancestors: ProcessInfo[]) =>
  triageAlert(
    alert({ host: N, title: 'Sensitive credential file read', container: at, file: '/etc/kubernetes/pki/etcd/server.key', process: { name: 'etcdctl', path: '/usr/local/bin/etcdctl' }, ancestors }),
    { index },
  ).verdict;

describe('redteam3 declared-host-files: etcdctl reading the etcd key, not from the declared step', () => {
  it('trap: etcdctl under an interactive bash (runc exec) stays genuine', () => {
    expect(keyRead([{ name: 'bash', commandLine: 'bash -i' }, { name: 'runc', commandLine: 'runc exec -t 5e1f' }]).label).toBe('genuine');
  });
  it('trap: etcdctl under a dropped python implant stays genuine', () => {
    expect(keyRead([{ name: 'python3', commandLine: 'python3 /tmp/.x/agent.py' }]).label).toBe('genuine');
  });
  it('still explained: etcdctl under the entrypoint script, or with no parent named', () => {
    expect(keyRead([{ name: 'sh', path: '/bin/sh', commandLine: `/bin/sh -c ${STEP}` }]).label).toBe('likely-false-positive');
    expect(keyRead([]).label).toBe('likely-false-positive');
  });
});
