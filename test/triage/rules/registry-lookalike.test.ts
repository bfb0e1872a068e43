/**
 * registry-lookalike: an image pulled from a host that imitates the cluster's own registry or a public one is an
 * image swapped to an impostor, whatever its command says. Traps: the real registry, different-but-legitimate hosts
 * (eu.gcr.io and us.gcr.io), an unrelated private registry.
 */
import { describe, expect, it } from 'vitest';
import { registryHost, registrySkeleton } from '../../../src/knowledge/registries.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = '10.0.10.37';
const SCRIPT = 'mysqldump -h 10.0.20.15 -u backup payments | gzip > /backup/dump.sql.gz';
const job = (name: string, image: string, ip: string) =>
  pod(name, {
    namespace: 'batch',
    node: N,
    ip,
    owner: { kind: 'Job', name: name.replace(/-[a-z0-9]+$/, '') },
    containers: [{ name: 'mysql-backup', image, command: ['/bin/sh', '-c', SCRIPT] }],
  });
const app = (name: string, image: string, ip: string) => pod(name, { namespace: 'payments', node: N, ip, owner: { kind: 'ReplicaSet', name: name.replace(/-[a-z0-9]+$/, '') }, containers: [{ name: 'app', image, command: ['/app/run'] }] });

const good = job('mysql-backup-29938080-b9j4j', 'fra.ocir.io/frq4pdkzlm2b/payments/mysql-backup:8.0.39', '10.244.3.160');
const swapped = job('mysql-backup-29938200-hdx6k', 'fra-ocir.io/frq4pdkzlm2b/payments/mysql-backup:8.0.39', '10.244.3.162');
const api = app('payments-api-5fk5kbhbg9-747kd', 'fra.ocir.io/frq4pdkzlm2b/payments/payments-api:5.4.2', '10.244.3.12');
const quayImpostor = app('metrics-7d9f-x2k4p', 'quay.i0/prometheus/node-exporter:v1.8.2', '10.244.3.20');
const euGcr = app('legacy-6c8d-q9w2e', 'eu.gcr.io/acme-prod/legacy:1.2', '10.244.3.21');
const usGcr = app('legacy-us-5b7c-r8t1y', 'us.gcr.io/acme-prod/legacy:1.2', '10.244.3.22');
const harbor = app('reports-4f6a-z3x5c', 'harbor.corp.example.net/payments/reports:2.0', '10.244.3.23');

const index = indexOf([
  node(N, N),
  owner('Job', 'mysql-backup-29938080', 'batch', { kind: 'CronJob', name: 'mysql-backup' }),
  owner('Job', 'mysql-backup-29938200', 'batch', { kind: 'CronJob', name: 'mysql-backup' }),
  owner('CronJob', 'mysql-backup', 'batch'),
  ...['payments-api-5fk5kbhbg9', 'metrics-7d9f', 'legacy-6c8d', 'legacy-us-5b7c', 'reports-4f6a'].map((rs) => owner('ReplicaSet', rs, 'payments')),
  good,
  swapped,
  api,
  quayImpostor,
  euGcr,
  usGcr,
  harbor,
]);
const run = (p: typeof good, name = 'mysqldump', commandLine = 'mysqldump -h 10.0.20.15 -u backup payments') =>
  triageAlert(alert({ host: N, title: 'Database dump utility executed', container: { id: containerIdOf(p) }, process: { name, path: `/usr/bin/${name}`, commandLine } }), { index }).verdict;

describe('registry hosts', () => {
  it('reads the host of an image reference (Docker Hub when none is named)', () => {
    expect(registryHost('fra.ocir.io/ns/app:1')).toBe('fra.ocir.io');
    expect(registryHost('redis:7.4')).toBe('docker.io');
    expect(registryHost('library/redis@sha256:abc')).toBe('docker.io');
    expect(registryHost('localhost:5000/app')).toBe('localhost:5000');
  });

  it('folds separators and digit homoglyphs into one skeleton', () => {
    expect(registrySkeleton('fra-ocir.io')).toBe(registrySkeleton('fra.ocir.io'));
    expect(registrySkeleton('quay.i0')).toBe(registrySkeleton('quay.io'));
    expect(registrySkeleton('eu.gcr.io')).not.toBe(registrySkeleton('us.gcr.io'));
  });
});

describe('registry-lookalike', () => {
  it("flags the CronJob run whose image comes from a look-alike of the cluster's registry, though its command is the spec's", () => {
    const v = run(swapped);
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
    expect(v.reasons.some((r) => r.rule === 'registry-lookalike' && r.facts?.imitates === 'fra.ocir.io')).toBe(true);
  });

  it('flags an imitation of a public registry', () => {
    expect(run(quayImpostor, 'node_exporter', '/bin/node_exporter').reasons.some((r) => r.rule === 'registry-lookalike')).toBe(true);
  });

  it('trap: the real registry, eu.gcr.io next to us.gcr.io, and an unrelated private registry are not look-alikes', () => {
    expect(run(good)).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    for (const p of [api, euGcr, usGcr, harbor]) expect(run(p, 'run', '/app/run').reasons.some((r) => r.rule === 'registry-lookalike')).toBe(false);
  });
});
