/**
 * Red-team trap for workload-baseline's OpenTelemetry exporter excuse (the collector sending OTLP to its backend on
 * 4317/4318): a process the sensor names in the collector's pod that is not the collector — a dropped binary
 * beaconing on the OTLP port — must stay genuine.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'i-0b77e3f190c2a4d62';
const agent = pod('otel-agent-abcde', {
  namespace: 'opentelemetry',
  node: N,
  ip: '100.112.0.12',
  owner: { kind: 'DaemonSet', name: 'otel-agent' },
  containers: [{ name: 'otel-collector', image: 'otel/opentelemetry-collector-contrib:0.102.1', command: ['/otelcol-contrib', '--config=/conf/config.yaml'] }],
});
const index = indexOf([node(N, '172.20.71.203'), owner('DaemonSet', 'otel-agent', 'opentelemetry'), agent]);
const at = { id: containerIdOf(agent).slice(0, 12), name: 'otel-collector', pod: agent.metadata.name, namespace: 'opentelemetry' };
const beacon = (process?: { name: string; path?: string; commandLine: string }) =>
  triageAlert(alert({ title: 'Beaconing to a rare external endpoint', process, container: process ? at : undefined, network: { srcIp: '100.112.0.12', dstIp: '203.0.113.50', dstPort: 4317 } }), { index }).verdict;

describe('redteam workload-baseline: the OpenTelemetry collector exporting over OTLP', () => {
  it('still explains the collector itself (no process named)', () => {
    expect(beacon().label).toBe('likely-false-positive');
  });
  it('trap: a dropped binary in the collector pod beaconing on 4317', () => {
    expect(beacon({ name: 'kworker', path: '/otel/kworker', commandLine: '/otel/kworker -c 203.0.113.50:4317' }).label).toBe('genuine');
  });
});
