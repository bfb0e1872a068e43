/**
 * Red-team traps for policy exceptions matched on the alert's own fields. An exception's namespace, pod, container and
 * image were taken from the cluster when the alert was placed in a pod, and otherwise from the alert — that is, from the
 * container labels a node sensor reports, which whoever reaches the runtime sets on a container of their own. An
 * intruder's container on node-a labelled namespace=monitoring, pod=node-exporter-…, running a program named
 * node_exporter, met the exception {namespace: monitoring, process: node_exporter}: "strong" benign.
 * Fix (policy matchValue): when no pod of the cluster holds the process, those fields are the alert's only for a pod
 * the audit log shows was created with that name (a gone pod: a CI runner, a finished Job), and the image only if that
 * creation named it; otherwise they match nothing.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import type { AuditActivity } from '../../../src/cluster/model.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { parsePolicy } from '../../../src/triage/policy.js';
import { alert, containerIdOf, node, owner, pod, snapshot } from '../../support/cluster.js';

const N = 'node-a';
const exporter = pod('node-exporter-abcde', {
  namespace: 'monitoring',
  node: N,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'node-exporter' },
  containers: [{ name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.8.1', command: ['/bin/node_exporter'] }],
});
const policy = parsePolicy(
  `exceptions:
  - reason: node_exporter reads every mount and network counter on the host
    match: { namespace: monitoring, process: node_exporter }
  - reason: CI runners build images with buildah
    match: { namespace: ci, pod: runner-*, image: quay.io/buildah/* }
`,
  'policy.yaml',
  '2026-01-01',
);
const runnerCreated: AuditActivity = {
  time: '2026-01-01T11:50:00.000Z',
  verb: 'create',
  resource: 'pods',
  namespace: 'ci',
  name: 'runner-x7k2p',
  user: 'system:serviceaccount:ci:runner-controller',
  groups: [],
  sourceIps: ['10.0.1.5'],
  code: 201,
  podSpec: { images: ['quay.io/buildah/stable:v1.37'], nodeName: N },
};
const s = snapshot([node(N, '10.0.1.11'), owner('DaemonSet', 'node-exporter', 'monitoring'), exporter]);
s.auditActivities = [runnerCreated];
const index = buildIndex([s]);
const title = 'Unexpected outbound connection';
const net = { dstIp: '198.51.100.7', dstPort: 4444, protocol: 'tcp' };

describe('redteam4 policy exceptions: fields the alert claims for itself', () => {
  it("trap: an unknown pod labelled as the monitoring namespace, running a program named node_exporter, stays genuine", () => {
    const a = alert({ host: N, title, container: { id: 'f'.repeat(64), name: 'node-exporter', pod: 'node-exporter-zzzzz', namespace: 'monitoring' }, process: { name: 'node_exporter', path: '/usr/local/bin/node_exporter', commandLine: 'node_exporter' }, network: net });
    expect(triageAlert(a, { index, policy }).verdict.label).toBe('genuine');
  });
  it('trap: a gone CI pod whose alert names an image its creation did not run stays genuine', () => {
    const a = alert({ host: N, title, container: { id: 'e'.repeat(64), name: 'build', pod: 'runner-x7k2p', namespace: 'ci', image: 'quay.io/buildah/evil:1' }, process: { name: 'buildah', commandLine: 'buildah bud .' } });
    expect(triageAlert(a, { index, policy }).verdict.label).toBe('genuine');
  });
  it("still applies: node_exporter in the cluster's own monitoring pod, and the gone CI runner's own image", () => {
    const own = alert({ host: N, title, container: { id: containerIdOf(exporter), name: 'node-exporter', pod: exporter.metadata.name, namespace: 'monitoring' }, process: { name: 'node_exporter', path: '/bin/node_exporter', commandLine: '/bin/node_exporter' }, network: net });
    expect(triageAlert(own, { index, policy }).verdict.label).toBe('likely-false-positive');
    const runner = alert({ host: N, title, container: { id: 'e'.repeat(64), name: 'build', pod: 'runner-x7k2p', namespace: 'ci', image: 'quay.io/buildah/stable:v1.37' }, process: { name: 'buildah', commandLine: 'buildah bud .' } });
    expect(triageAlert(runner, { index, policy }).verdict.label).toBe('likely-false-positive');
  });
});
