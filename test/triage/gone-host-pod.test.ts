/**
 * A node sensor's host process (no container id, no namespace) on a node the snapshot no longer has — the surge node
 * of an AKS node-image upgrade, a node the cluster autoscaler removed — is placed on the one gone pod pinned to that
 * host whose own command the process or its parent runs (aks-azurecni-calico scenario).
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/cluster/index.js';
import type { AuditActivity, KubeObject } from '../../src/cluster/model.js';
import { correlate } from '../../src/triage/correlate.js';
import { triageAlert } from '../../src/triage/pipeline.js';
import { alert, node, snapshot } from '../support/cluster.js';

const PROXY = 'mcr.microsoft.com/oss/kubernetes/kube-proxy:v1.30.6-hotfix.20241115';
const SURGE = 'aks-user-41726385-vmss000003';
const T = (hms: string) => `2026-12-03T${hms}.000Z`;
const kubeProxy: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'kube-proxy', namespace: 'kube-system', uid: 'ds-kube-proxy' },
  spec: { template: { spec: { hostNetwork: true, containers: [{ name: 'kube-proxy', image: PROXY, command: ['kube-proxy', '--v=3'], securityContext: { privileged: true } }] } } },
};

function creation(o: Partial<AuditActivity> = {}, commands = [['kube-proxy', '--v=3']]): AuditActivity {
  return {
    time: T('06:04:17'),
    user: 'system:serviceaccount:kube-system:daemon-set-controller',
    groups: [],
    verb: 'create',
    resource: 'pods',
    namespace: 'kube-system',
    name: 'kube-proxy-4pbdt',
    sourceIps: ['172.31.22.7'],
    code: 201,
    podSpec: { images: [PROXY], owner: 'DaemonSet', ownerName: 'kube-proxy', nodeName: SURGE, hostNetwork: true, privileged: true, commands },
    ...o,
  };
}

function run(a: ReturnType<typeof alert>, activities: AuditActivity[], extraNodes: ReturnType<typeof node>[] = []) {
  const s = snapshot([node('aks-user-41726385-vmss000000', '10.224.0.66'), ...extraNodes, kubeProxy]);
  s.auditActivities = activities;
  const index = buildIndex([s]);
  return { correlation: correlate(a, index), verdict: triageAlert(a, { index }).verdict };
}

/** Falcon: the host name, the process, its parent and grandparent; no container. */
const restore = (parent = { name: 'kube-proxy', path: '/usr/local/bin/kube-proxy', commandLine: 'kube-proxy --v=3' }, host = SURGE) =>
  alert({
    host,
    time: T('06:35:41'),
    process: { name: 'xtables-nft-multi', path: '/usr/sbin/xtables-nft-multi', commandLine: 'iptables-restore -w 5 -W 100000 --noflush --counters' },
    ancestors: [parent, { name: 'containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id abc' }],
  });

describe('a host process on a gone node', () => {
  it("is placed on the gone kube-proxy pod whose command its parent runs, and kube-proxy's iptables-restore is explained", () => {
    const { correlation, verdict } = run(restore(), [creation()]);
    expect(correlation.gonePod?.name).toBe('kube-proxy-4pbdt');
    expect(verdict).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking', context: 'partial' });
  });

  it('traps: a chain no gone pod runs, two candidate pods, another host, a node the snapshot has', () => {
    const shell = run(restore({ name: 'sh', path: '/bin/sh', commandLine: 'sh -c iptables-restore' }), [creation()]);
    expect(shell.correlation.gonePod).toBeUndefined();
    // The gone node is still known (main's goneNode: partial context), but nothing on it explains a shell's iptables-restore.
    expect(shell.verdict).toMatchObject({ label: 'genuine', cause: 'unexplained' });
    expect(run(restore(), [creation(), creation({ name: 'kube-proxy-zz9zz' })]).correlation.gonePod).toBeUndefined();
    expect(run(restore(undefined, 'aks-user-41726385-vmss000009'), [creation()]).correlation.gonePod).toBeUndefined();
    // The node is in the snapshot: the live node decides, not the audit log.
    expect(run(restore(), [creation()], [node(SURGE, '10.224.0.159')]).correlation.gonePod).toBeUndefined();
  });
});
