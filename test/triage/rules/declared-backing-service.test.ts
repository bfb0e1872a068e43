/**
 * declared-backing-service: a network alert from an application pod to the managed data service its spec declares
 * (Memorystore Redis behind REDIS_URL, Cloud SQL's connector port behind the Auth Proxy container), on a private
 * address outside the cluster. Traps: a public address, a pod that declares nothing, a hand-made pod, a tool typed
 * into the pod, and a port that is not the declared service's.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';
import type { Pod } from '../../../src/cluster/model.js';
import type { ProcessInfo } from '../../../src/alerts/model.js';

const N = 'gk3-shop-prod-pool-2-5c6e0b9a-m4pz';
const NS = 'storefront';
const WORKER = ['celery', '-A', 'shop', 'worker', '-l', 'info'];

function workerPod(env: string[], withOwner = true, image = 'europe-west1-docker.pkg.dev/acme/shop/storefront:5.8.2'): Pod {
  return pod('celery-worker-5d7c9b8f6d-p9r4x', {
    namespace: NS,
    node: N,
    ip: '10.68.2.44',
    owner: withOwner ? { kind: 'ReplicaSet', name: 'celery-worker-5d7c9b8f6d' } : undefined,
    containers: [{ name: 'worker', image, command: WORKER, env: env.map((name) => ({ name })) }],
  });
}

function verdict(p: Pod, dstIp: string, dstPort: number, process?: ProcessInfo) {
  const index = indexOf([node(N, '10.132.0.22'), p, owner('ReplicaSet', 'celery-worker-5d7c9b8f6d', NS, { kind: 'Deployment', name: 'celery-worker' }), owner('Deployment', 'celery-worker', NS)]);
  const a = alert({
    host: N,
    time: '2027-03-09T11:50:12.000Z',
    title: 'LOCAL POLICY Redis cleartext AUTH to host outside the cluster',
    process,
    network: { srcIp: '10.68.2.44', srcPort: 45190, dstIp, dstPort, protocol: 'TCP' },
  });
  return triageAlert(a, { index }).verdict;
}

describe('declared-backing-service', () => {
  it('a Celery worker declaring CELERY_BROKER_URL talking to Memorystore on a private address, port 6379, is its broker', () => {
    expect(verdict(workerPod(['DJANGO_SETTINGS_MODULE', 'CELERY_BROKER_URL']), '10.20.0.3', 6379)).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });

  it('a pod running the Cloud SQL Auth Proxy reaching the connector port 3307 on a private address', () => {
    const p = workerPod([], true, 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1');
    expect(verdict(p, '10.30.0.5', 3307)).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });

  it('trap: the same connection to a public address is not its managed service', () => {
    expect(verdict(workerPod(['CELERY_BROKER_URL']), '203.0.113.9', 6379).label).toBe('genuine');
  });

  it('trap: a pod that declares no Redis client, or another port, is not explained', () => {
    expect(verdict(workerPod(['DJANGO_SETTINGS_MODULE']), '10.20.0.3', 6379).label).toBe('genuine');
    expect(verdict(workerPod(['CELERY_BROKER_URL']), '10.20.0.3', 22).label).toBe('genuine');
  });

  it('trap: a hand-made pod, or redis-cli typed into the pod, is not the application', () => {
    expect(verdict(workerPod(['CELERY_BROKER_URL'], false), '10.20.0.3', 6379).label).toBe('genuine');
    expect(verdict(workerPod(['CELERY_BROKER_URL']), '10.20.0.3', 6379, { name: 'redis-cli', commandLine: 'redis-cli -h 10.20.0.3 CONFIG GET *' }).label).toBe('genuine');
  });
});
