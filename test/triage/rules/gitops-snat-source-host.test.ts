/**
 * Under Azure CNI Overlay (and any masquerading CNI) a pod's traffic leaves the cluster with its node's address: a
 * network sensor on the VNet sees Flux's image-automation-controller pushing to github.com over SSH as the node. The
 * GitOps server running on that node explains a connection to a public source host on a git port. Traps: the same
 * flow from a node that runs no GitOps server, to another port, and to a file URL.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const SYS = 'aks-system-25193847-vmss000001';
const WRK = 'aks-workers-25193847-vmss000000';
const T = (hms: string) => `2026-12-03T${hms}.000Z`;
const automation = pod('image-automation-controller-6f9c8d7b5-kq2xz', {
  namespace: 'flux-system',
  node: SYS,
  ip: '10.244.1.45',
  created: '2026-11-20T09:12:15Z',
  owner: { kind: 'ReplicaSet', name: 'image-automation-controller-6f9c8d7b5' },
  containers: [{ name: 'manager', image: 'mcr.microsoft.com/oss/fluxcd/image-automation-controller:v0.39.0', args: ['--watch-all-namespaces=true'] }],
});
const app = pod('ledger-api-6vl22f6gpd-5qnlj', { namespace: 'ledger', node: WRK, ip: '10.244.2.45', created: '2026-11-20T09:12:15Z', owner: { kind: 'ReplicaSet', name: 'ledger-api-6vl22f6gpd' }, containers: [{ name: 'ledger-api', image: 'ledgerprodacr.azurecr.io/ledger/ledger-api:2.14.1' }] });
const index = indexOf([node(SYS, '10.224.0.5'), node(WRK, '10.224.0.6'), owner('ReplicaSet', 'image-automation-controller-6f9c8d7b5', 'flux-system'), owner('ReplicaSet', 'ledger-api-6vl22f6gpd', 'ledger'), automation, app]);

const flow = (srcIp: string, dstPort: number, url?: string) =>
  triageAlert(alert({ time: T('11:40:22'), title: 'Compliance::SSH to Rare External Location', network: { srcIp, dstIp: '198.51.100.140', dstPort, domain: 'github.com', url } }), { index }).verdict;

describe('a GitOps server behind its node address', () => {
  it("the node of Flux's image-automation-controller connecting to github.com over SSH", () => {
    const v = flow('10.224.0.5', 22);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons.some((r) => /image-automation-controller/.test(r.message))).toBe(true);
  });
  it('trap: the same flow from a node that runs no GitOps server', () => {
    expect(flow('10.224.0.6', 22).label).toBe('genuine');
  });
  it('trap: github.com on a port git does not use', () => {
    expect(flow('10.224.0.5', 4444).label).toBe('genuine');
  });
  it('trap: a file fetched from the source host (a URL path) is not a repository fetch', () => {
    expect(flow('10.224.0.5', 443, '/attacker/tools/raw/main/x.sh').label).toBe('genuine');
  });
});
