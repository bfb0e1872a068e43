/**
 * Red-team traps for workload-baseline's ExternalDNS excuse (a pod of the ExternalDNS image calling the API of the DNS
 * provider its --provider names): curl typed into that pod calling the same API, and a naked look-alike pod with an
 * image named like ExternalDNS's, must stay genuine.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'ip-10-0-4-12.eu-west-1.compute.internal';
const externalDns = pod('external-dns-6d9f7c-abcde', {
  namespace: 'external-dns',
  node: N,
  ip: '10.0.4.40',
  owner: { kind: 'ReplicaSet', name: 'external-dns-6d9f7c' },
  containers: [{ name: 'external-dns', image: 'registry.k8s.io/external-dns/external-dns:v0.14.2', args: ['--source=service', '--provider=aws', '--registry=txt'] }],
});
const lookalike = pod('external-dns', {
  namespace: 'default',
  node: N,
  ip: '10.0.4.41',
  containers: [{ name: 'external-dns', image: 'ghcr.io/dns-tools/external-dns/external-dns:v0.14.2', args: ['--provider=aws'] }],
});
const index = indexOf([node(N, '10.0.4.12'), owner('ReplicaSet', 'external-dns-6d9f7c', 'external-dns', { kind: 'Deployment', name: 'external-dns' }), owner('Deployment', 'external-dns', 'external-dns'), externalDns, lookalike]);
const flow = (src: string, extra: Partial<Parameters<typeof alert>[0]> = {}) =>
  triageAlert(alert({ title: 'Unusual API call to cloud identity service', network: { srcIp: src, dstIp: '52.94.241.10', dstPort: 443, domain: 'sts.amazonaws.com' }, ...extra }), { index }).verdict;

describe('redteam workload-baseline: ExternalDNS calling its provider API', () => {
  it('still explains the ExternalDNS pod itself (no process named) calling STS', () => {
    expect(flow('10.0.4.40').label).toBe('likely-false-positive');
  });
  it('trap: curl under a shell in the ExternalDNS pod calling the same API', () => {
    const v = flow('10.0.4.40', {
      process: { name: 'curl', commandLine: 'curl -s https://sts.amazonaws.com/?Action=AssumeRoleWithWebIdentity&RoleArn=arn:aws:iam::111122223333:role/dns-admin' },
      ancestors: [{ name: 'sh', commandLine: 'sh' }],
      container: { id: containerIdOf(externalDns).slice(0, 12), name: 'external-dns', pod: externalDns.metadata.name, namespace: 'external-dns' },
    });
    expect(v.label).toBe('genuine');
  });
  it('trap: a naked look-alike pod with an image named like ExternalDNS under another registry path', () => {
    expect(flow('10.0.4.41').label).toBe('genuine');
  });
});
