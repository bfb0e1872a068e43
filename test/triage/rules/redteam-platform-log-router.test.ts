/**
 * Red-team trap for platform-log-router: a Fargate pod the platform logs, sending data to CloudWatch Logs (or Firehose)
 * of another region — an attacker's own log group used as a drop box — is not the platform's log router, which ships
 * to the service of the cluster's region. It must stay genuine.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'fargate-ip-10-42-101-87.us-east-2.compute.internal';
const logged = pod('payments-api-abc-x1', {
  namespace: 'payments',
  node: N,
  ip: '10.42.101.87',
  labels: { 'eks.amazonaws.com/fargate-profile': 'fp-payments' },
  owner: { kind: 'ReplicaSet', name: 'payments-api-abc' },
  containers: [{ name: 'app', image: 'payments-api:5.8.2', command: ['python', '-m', 'app'] }],
});
logged.metadata.annotations = { Logging: 'LoggingEnabled' };
const index = indexOf([node(N, '10.42.101.87'), owner('ReplicaSet', 'payments-api-abc', 'payments'), logged]);
const flow = (domain: string) =>
  triageAlert(alert({ time: '2027-03-09T13:41:05.000Z', title: 'Unusual Data Transfer to External Endpoint', network: { srcIp: '10.42.101.87', dstIp: '52.94.210.18', dstPort: 443, domain } }), { index }).verdict;

describe('redteam platform-log-router: the logging service of another region', () => {
  it("still explains the pod's logs going to CloudWatch Logs of its own region", () => {
    expect(flow('logs.us-east-2.amazonaws.com').label).toBe('likely-false-positive');
  });
  it('trap: CloudWatch Logs of another region', () => {
    expect(flow('logs.eu-north-1.amazonaws.com').label).toBe('genuine');
  });
  it('trap: Firehose of another region', () => {
    expect(flow('firehose.ap-southeast-1.amazonaws.com').label).toBe('genuine');
  });
});
