import { describe, expect, it } from 'vitest';
import { BatchCollector } from '../../src/triage/batch.js';
import { correlate } from '../../src/triage/correlate.js';
import { triageAlert } from '../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../support/cluster.js';

const mq = (name: string, nodeName: string) =>
  pod(name, { namespace: 'queue', node: nodeName, owner: { kind: 'StatefulSet', name: 'rabbitmq' }, containers: [{ name: 'rabbitmq', image: 'rabbitmq:3.13' }] });
const mq0 = mq('rabbitmq-0', 'node-a');
const mq1 = mq('rabbitmq-1', 'node-b');
const index = indexOf([node('node-a', '10.0.0.1'), node('node-b', '10.0.0.2'), owner('StatefulSet', 'rabbitmq', 'queue'), mq0, mq1]);
const erl = { name: 'erl_child_setup', commandLine: 'erl_child_setup 1048576' };
const disksup = (p: typeof mq0, ancestors = [erl]) => alert({ process: { name: 'sh', commandLine: '/bin/sh -s disksup' }, ancestors, container: { id: containerIdOf(p) } });

function withBatch(alerts: ReturnType<typeof disksup>[]) {
  const collector = new BatchCollector();
  for (const a of alerts) collector.add(a, correlate(a, index));
  return collector.stats;
}

describe('the same command in several replicas of one workload', () => {
  it('is the workload baseline when it runs in two replicas', () => {
    const alerts = [disksup(mq0), disksup(mq1)];
    const r = triageAlert(alerts[0], { index, batch: withBatch(alerts) });
    expect(r.verdict).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(r.verdict.reasons[0].message).toMatch(/2 replicas of StatefulSet queue\/rabbitmq/);
  });
  it('is not, with one replica only', () => {
    const alerts = [disksup(mq0)];
    expect(triageAlert(alerts[0], { index, batch: withBatch(alerts) }).verdict.label).toBe('genuine');
  });
  it('trap: the runtime starting the same command in every replica (kubectl exec) is not a baseline', () => {
    const runc = [{ name: 'runc', commandLine: 'runc exec' }];
    const alerts = [disksup(mq0, runc), disksup(mq1, runc)];
    expect(triageAlert(alerts[0], { index, batch: withBatch(alerts) }).verdict.label).toBe('genuine');
  });
  it('trap: an attack indicator repeated across replicas stays an attack', () => {
    const miner = (p: typeof mq0) => alert({ process: { name: 'xmrig', commandLine: '/tmp/xmrig -o stratum+tcp://pool:3333' }, ancestors: [erl], container: { id: containerIdOf(p) } });
    const alerts = [miner(mq0), miner(mq1)];
    expect(triageAlert(alerts[0], { index, batch: withBatch(alerts) }).verdict).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe('run: the replica pass through the CLI', () => {
  it('explains the command seen in two replicas when on, and not when off', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { execFileSync } = await import('node:child_process');
    const { snapshot } = await import('../support/cluster.js');
    const dir = mkdtempSync(join(tmpdir(), 'kdr-replicas-'));
    const snap = snapshot([node('node-a', '10.0.0.1'), node('node-b', '10.0.0.2'), owner('StatefulSet', 'rabbitmq', 'queue'), mq0, mq1]);
    writeFileSync(join(dir, 'cluster.json'), JSON.stringify(snap));
    const falco = (p: typeof mq0, host: string) =>
      JSON.stringify({
        time: '2026-01-01T12:00:00.000000000Z',
        rule: 'Run shell untrusted',
        priority: 'Notice',
        source: 'syscall',
        hostname: host,
        output: 'shell',
        output_fields: { 'container.id': containerIdOf(p).slice(0, 12), 'proc.name': 'sh', 'proc.cmdline': 'sh -s disksup', 'proc.pname': 'erl_child_setup', 'proc.pcmdline': 'erl_child_setup 1048576', 'k8s.ns.name': 'queue', 'k8s.pod.name': p.metadata.name },
      });
    writeFileSync(join(dir, 'falco.ndjson'), `${falco(mq0, 'node-a')}\n${falco(mq1, 'node-b')}\n`);
    const bin = join(process.cwd(), 'bin', 'kdr-triage.js');
    const labels = (mode: string) =>
      execFileSync(process.execPath, [bin, join(dir, 'falco.ndjson'), '--snapshot', join(dir, 'cluster.json'), '--format', 'ndjson', '-q', '--replica-pass', mode], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { label: string; cause: string }).cause);
    expect(labels('on')).toEqual(['workload-baseline', 'workload-baseline']);
    expect(labels('off')).toEqual(['unexplained', 'unexplained']);
  });
});
