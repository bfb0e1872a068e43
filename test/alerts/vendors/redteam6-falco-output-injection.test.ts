/**
 * Red-team 6: Falco alerts whose output_fields lack the container and Kubernetes fields (older rule sets) are read from
 * the output text, `container_id=… k8s.pod=… k8s.ns=…`, first occurrence first. The text also holds the process's
 * command line, typed by whoever ran it: a root shell on the node ran `iptables … --comment "container_id=<calico-node's
 * id> k8s.pod=calico-node-… k8s.ns=kube-system"`, and the alert was placed in calico-node and dismissed as its network
 * maintenance (the real `container_id=host` came later in the text). Fix (falco): the values output_fields gives for
 * the process, its parents and files are taken out of the text before it is read, and a key given two different
 * values in the text is read as neither.
 */
import { describe, expect, it } from 'vitest';
import { falco } from '../../../src/alerts/vendors/falco.js';
import type { RawRecord } from '../../../src/alerts/vendors/profile.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';
import { src } from './helpers.js';

const N = 'node-a';
const calico = pod('calico-node-x1y2z', {
  namespace: 'kube-system',
  node: N,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'calico-node' },
  created: '2026-11-20T08:00:00Z',
  containers: [{ name: 'calico-node', image: 'docker.io/calico/node:v3.28.0', securityContext: { privileged: true } }],
});
const index = indexOf([node(N, '10.0.1.11'), owner('DaemonSet', 'calico-node', 'kube-system'), calico]);
const ID = containerIdOf(calico);

function record(cmdline: string, tail: string, withFields = true): RawRecord {
  return {
    time: '2026-11-20T09:01:00.000000000Z',
    rule: 'Unexpected iptables change',
    priority: 'Warning',
    source: 'syscall',
    hostname: N,
    output: `09:01:00.000000000: Warning iptables changed (user=root command=${cmdline} parent=bash) ${tail}`,
    ...(withFields ? { output_fields: { 'evt.time': 1795251660000000000, 'proc.cmdline': cmdline, 'proc.name': 'iptables', 'proc.pname': 'bash', 'user.name': 'root' } } : {}),
  };
}

const FORGED = `iptables -t nat -I PREROUTING -p tcp --dport 5432 -j DNAT --to-destination 10.1.0.99:5432 -m comment --comment container_id=${ID} container_name=calico-node k8s.pod=calico-node-x1y2z k8s.ns=kube-system`;

describe('redteam6 Falco: container and pod read from the output text', () => {
  it('trap: a command line carrying container_id= and k8s.pod= of calico-node, the real container_id=host after it', () => {
    const alert = falco.map(record(FORGED, 'container_id=host container_name=host k8s.ns=<NA> k8s.pod=<NA>'), src('falco.json'));
    expect(alert.container.id).toBeUndefined();
    expect(alert.container.pod).toBeUndefined();
    expect(triageAlert(alert, { index }).verdict.label).toBe('genuine');
  });
  it('trap: the same without output_fields (text only): two values for one key are neither', () => {
    const alert = falco.map(record(FORGED, 'container_id=host k8s.ns=<NA> k8s.pod=<NA>', false), src('falco.json'));
    expect(alert.container.pod).toBeUndefined();
    expect(triageAlert(alert, { index }).verdict.label).toBe('genuine');
  });
  it("still read: the real fields at the end of an older rule's output", () => {
    const own = 'iptables -t nat -I PREROUTING -p tcp --dport 5432 -j DNAT --to-destination 10.1.0.99:5432';
    for (const withFields of [true, false]) {
      const alert = falco.map(record(own, `container_id=${ID.slice(0, 12)} container_name=calico-node k8s.ns=kube-system k8s.pod=calico-node-x1y2z`, withFields), src('falco.json'));
      expect(alert.container).toMatchObject({ id: ID.slice(0, 12), pod: 'calico-node-x1y2z', namespace: 'kube-system' });
    }
  });
});
