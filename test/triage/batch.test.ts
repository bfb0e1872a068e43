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
