/**
 * Red-team traps for workload-baseline's Service traffic ("talks to port 5432 of the database pod, a backend of Service
 * shop/db: ordinary traffic inside namespace shop"): the flow was excused whatever process the sensor named — nc or a
 * python script under an interactive shell in the web pod, moving through the namespace. Ordinary traffic is the
 * workload's own process making it; the same flow from another program is the behaviour to explain.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { KubeObject } from '../../../src/cluster/model.js';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'node-a';
const web = pod('web-6c-abcde', { namespace: 'shop', node: N, ip: '10.1.0.40', owner: { kind: 'ReplicaSet', name: 'web-6c' }, containers: [{ name: 'web', image: 'shop/web:3.1', command: ['/app/web', '--listen=:8080'] }] });
const db = pod('db-0', { namespace: 'shop', node: N, ip: '10.1.0.50', owner: { kind: 'StatefulSet', name: 'db' }, labels: { app: 'db' }, containers: [{ name: 'postgres', image: 'postgres:16', ports: [{ containerPort: 5432 }] }] });
const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'shop' }, spec: { clusterIP: '10.96.0.50', selector: { app: 'db' }, ports: [{ port: 5432 }] } };
const index = indexOf([node(N, '10.0.1.11'), owner('ReplicaSet', 'web-6c', 'shop'), owner('StatefulSet', 'db', 'shop'), web, db, svc]);
const flow = (process: ProcessInfo, ancestors: ProcessInfo[]) =>
  triageAlert(
    alert({ host: N, title: 'Unusual internal connection', container: { id: containerIdOf(web), name: 'web', pod: web.metadata.name, namespace: 'shop' }, process, ancestors, network: { srcIp: '10.1.0.40', dstIp: '10.1.0.50', dstPort: 5432, protocol: 'tcp' } }),
    { index },
  ).verdict;

describe('redteam3 Service traffic: another program making the workload’s flow', () => {
  it('trap: nc to the database under an interactive sh in the web pod stays genuine', () => {
    expect(flow({ name: 'nc', path: '/usr/bin/nc', commandLine: 'nc -v 10.1.0.50 5432' }, [{ name: 'sh', commandLine: 'sh -i' }, { name: 'runc', commandLine: 'runc init' }]).label).toBe('genuine');
  });
  it('trap: a dropped python script under bash in the web pod stays genuine', () => {
    expect(flow({ name: 'python3', path: '/usr/bin/python3', commandLine: 'python3 /tmp/.p/dump.py' }, [{ name: 'bash', commandLine: 'bash' }]).label).toBe('genuine');
  });
  it('still explained: the web entrypoint itself, or no process named (an NDR)', () => {
    expect(flow({ name: 'web', path: '/app/web', commandLine: '/app/web --listen=:8080' }, [{ name: 'containerd-shim-runc-v2' }]).label).toBe('likely-false-positive');
    expect(flow({}, []).label).toBe('likely-false-positive');
  });
});
