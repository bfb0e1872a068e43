/**
 * The Cloud SQL Auth Proxy sidecar fetching its Workload Identity token from the metadata server is its work; the
 * traps: curl in the same pod, the application container beside it, and a proxy-named binary from another image.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';
import type { Pod } from '../../../src/cluster/model.js';

const N = 'gk3-shop-prod-pool-2-3f9a1c2d-x7kq';
const NS = 'payments';
const TOKEN = 'http://169.254.169.254/computeMetadata/v1/instance/service-accounts/default/token';
const PROXY_ARGS = ['--structured-logs', '--port=5432', '--private-ip', 'acme-prod:europe-west1:payments-pg'];

function paymentsPod(proxyImage: string): Pod {
  return pod('payments-api-84c6f7d9b8-hv6ql', {
    namespace: NS,
    node: N,
    ip: '10.68.1.37',
    owner: { kind: 'ReplicaSet', name: 'payments-api-84c6f7d9b8' },
    containers: [
      { name: 'payments', image: 'europe-west1-docker.pkg.dev/acme-prod/shop/payments:3.4.1', command: ['/app/payments-api'], args: ['--listen=:8080'] },
      { name: 'cloud-sql-proxy', image: proxyImage, args: PROXY_ARGS },
    ],
  });
}

function verdict(p: Pod, container: number, process: { name: string; path: string; commandLine: string }) {
  const index = indexOf([node(N, '10.132.0.21'), p, owner('ReplicaSet', 'payments-api-84c6f7d9b8', NS, { kind: 'Deployment', name: 'payments-api' }), owner('Deployment', 'payments-api', NS)]);
  const a = alert({
    host: N,
    time: '2027-03-09T09:21:02.000Z',
    title: 'Access to cloud instance metadata token from a container',
    process,
    container: { id: containerIdOf(p, container), name: p.spec.containers[container].name, namespace: NS, pod: p.metadata.name },
    network: { dstIp: '169.254.169.254', dstPort: 80, url: TOKEN },
  });
  return triageAlert(a, { index }).verdict;
}

const proxyProcess = { name: 'cloud-sql-proxy', path: '/cloud-sql-proxy', commandLine: `/cloud-sql-proxy ${PROXY_ARGS.join(' ')}` };

describe('Cloud SQL Auth Proxy sidecar and the metadata token', () => {
  it('the proxy sidecar (gcr.io/cloud-sql-connectors/cloud-sql-proxy) fetching its token is its work', () => {
    expect(verdict(paymentsPod('gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1'), 1, proxyProcess)).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });

  it('trap: curl in the proxy container fetching the token is credential theft', () => {
    const v = verdict(paymentsPod('gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1'), 1, { name: 'curl', path: '/usr/bin/curl', commandLine: `curl -H Metadata-Flavor:Google ${TOKEN}` });
    expect(v.label).toBe('genuine');
  });

  it('trap: the application container beside the proxy fetching the token is not the proxy', () => {
    const v = verdict(paymentsPod('gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1'), 0, { name: 'payments-api', path: '/app/payments-api', commandLine: '/app/payments-api --listen=:8080' });
    expect(v.label).toBe('genuine');
  });

  it('trap: a binary named cloud-sql-proxy from an unrelated image is not the proxy', () => {
    expect(verdict(paymentsPod('ghcr.io/someone/cloud-sql-proxy:2.14.1'), 1, proxyProcess).label).toBe('genuine');
  });
});
