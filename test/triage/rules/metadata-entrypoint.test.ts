/**
 * workload-baseline and the instance metadata service: the container's entrypoint connecting to 169.254.169.254 is
 * explained by the entrypoint only when the pod declares it is a cloud API client (GOOGLE_CLOUD_PROJECT and the like,
 * or the Workload Identity node selector); a web server that declares nothing may be the victim of an SSRF.
 * Traps: the declared client stays a false positive, and the same entrypoint's other connections stay explained.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';
import type { Pod } from '../../../src/cluster/model.js';

const N = 'gk3-shop-prod-pool-2-3f9a1c2d-x7kq';
const NS = 'storefront';
const CMD = ['gunicorn', 'shop.wsgi:application', '--bind', '0.0.0.0:8000', '--workers', '4'];

function webPod(env: { name: string; value?: string }[], nodeSelector?: Record<string, string>): Pod {
  const p = pod('web-6b8f9d7c54-4kq8d', {
    namespace: NS,
    node: N,
    ip: '10.68.1.14',
    owner: { kind: 'ReplicaSet', name: 'web-6b8f9d7c54' },
    containers: [{ name: 'web', image: 'europe-west1-docker.pkg.dev/acme/shop/storefront:5.8.2', command: CMD, env }],
  });
  if (nodeSelector) (p.spec as { nodeSelector?: Record<string, string> }).nodeSelector = nodeSelector;
  return p;
}

function verdict(p: Pod, dstIp: string, dstPort: number) {
  const index = indexOf([node(N, '10.132.0.21'), p, owner('ReplicaSet', 'web-6b8f9d7c54', NS, { kind: 'Deployment', name: 'web' }), owner('Deployment', 'web', NS)]);
  const a = alert({
    host: N,
    time: '2027-03-09T10:31:18.000Z',
    title: 'Contact cloud metadata service from container',
    process: { name: 'gunicorn', commandLine: CMD.join(' ') },
    ancestors: [{ name: 'gunicorn' }],
    container: { id: containerIdOf(p).slice(0, 12), name: 'web', namespace: NS, pod: p.metadata.name },
    network: { srcIp: '10.68.1.14', dstIp, dstPort },
  });
  return triageAlert(a, { index }).verdict;
}

describe('the entrypoint and the instance metadata service', () => {
  it('a web server declaring no cloud client that connects to the metadata service is not explained by being the entrypoint', () => {
    const v = verdict(webPod([{ name: 'DJANGO_SETTINGS_MODULE' }, { name: 'REDIS_URL' }]), '169.254.169.254', 80);
    expect(v.label).toBe('genuine');
    expect(v.reasons.some((r) => r.direction === 'benign' && /own entrypoint/.test(r.message))).toBe(false);
  });

  it('trap: the same entrypoint in a pod declaring GOOGLE_CLOUD_PROJECT (a Workload Identity client) stays a false positive', () => {
    expect(verdict(webPod([{ name: 'GOOGLE_CLOUD_PROJECT' }]), '169.254.169.254', 80)).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });

  it('trap: the Workload Identity node selector is such a declaration too', () => {
    expect(verdict(webPod([], { 'iam.gke.io/gke-metadata-server-enabled': 'true' }), '169.254.169.254', 80).label).toBe('likely-false-positive');
  });

  it('trap: the entrypoint connecting anywhere else is still its own', () => {
    expect(verdict(webPod([{ name: 'DJANGO_SETTINGS_MODULE' }]), '10.20.0.3', 6379)).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
});
