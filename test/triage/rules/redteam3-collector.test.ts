/**
 * Red-team traps for workload-baseline's collectors ("metrics-server scrapes every kubelet", "Prometheus scrapes metrics
 * endpoints"): COLLECTORS knew a collector by an unanchored image pattern (/metrics-server/, /prometheus$/), so any
 * image whose name contains metrics-server, or ends in prometheus, under any organisation, had every kubelet's 10250
 * excused — and whatever process in it made the connection (curl to the kubelet's /run, a python script).
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const A = 'node-a';
const B = 'node-b';
const scraperPod = (name: string, image: string, command: string[]) =>
  pod(name, { namespace: 'tools', node: A, ip: '10.1.0.31', owner: { kind: 'ReplicaSet', name: `${name.split('-')[0]}-5d` }, containers: [{ name: 'main', image, command }] });

function run(p: ReturnType<typeof pod>, process: ProcessInfo, ancestors: ProcessInfo[] = []) {
  const rs = p.metadata.ownerReferences![0].name;
  const index = indexOf([node(A, '10.0.1.11'), node(B, '10.0.1.12'), owner('ReplicaSet', rs, 'tools'), p]);
  return triageAlert(
    alert({ host: A, title: 'Connection to kubelet API', container: { id: containerIdOf(p), name: 'main', pod: p.metadata.name, namespace: 'tools' }, process, ancestors, network: { srcIp: '10.1.0.31', dstIp: '10.0.1.12', dstPort: 10250, protocol: 'tcp' } }),
    { index },
  ).verdict;
}

describe('redteam3 collectors: a look-alike image, or another process, on the kubelet port', () => {
  it('trap: docker.io/attacker/metrics-server-tools (contains metrics-server) connecting to a kubelet stays genuine', () => {
    const p = scraperPod('mstools-5d-abcde', 'docker.io/attacker/metrics-server-tools:1.0', ['/opt/kx']);
    expect(run(p, { name: 'kx', path: '/opt/kx', commandLine: '/opt/kx' }, [{ name: 'containerd-shim-runc-v2' }]).label).toBe('genuine');
  });
  it('trap: ghcr.io/evil/prometheus (ends in prometheus) connecting to a kubelet stays genuine', () => {
    const p = scraperPod('prom-5d-abcde', 'ghcr.io/evil/prometheus:2.54', ['/bin/prometheus']);
    expect(run(p, { name: 'prometheus', path: '/bin/prometheus', commandLine: '/bin/prometheus' }, [{ name: 'containerd-shim-runc-v2' }]).label).toBe('genuine');
  });
  it("trap: curl to the kubelet's /run from a shell in the real metrics-server's pod stays genuine", () => {
    const p = scraperPod('metrics-5d-abcde', 'registry.k8s.io/metrics-server/metrics-server:v0.7.2', ['/metrics-server', '--secure-port=10250']);
    const curl = { name: 'curl', path: '/usr/bin/curl', commandLine: 'curl -sk -X POST https://10.0.1.12:10250/run/kube-system/etcd-b/etcd -d cmd=id' };
    expect(run(p, curl, [{ name: 'sh', commandLine: 'sh -i' }]).label).toBe('genuine');
  });
  it("trap: a python script under a shell in the real Prometheus pod, on a kubelet's 10250, stays genuine", () => {
    const p = scraperPod('prom-5d-abcde', 'quay.io/prometheus/prometheus:v2.54.1', ['/bin/prometheus']);
    expect(run(p, { name: 'python3', path: '/usr/bin/python3', commandLine: 'python3 /tmp/k.py' }, [{ name: 'sh', commandLine: 'sh' }]).label).toBe('genuine');
  });
  it('still explained: the real metrics-server and Prometheus, their own entrypoints', () => {
    const ms = scraperPod('metrics-5d-abcde', 'registry.k8s.io/metrics-server/metrics-server:v0.7.2', ['/metrics-server', '--secure-port=10250']);
    expect(run(ms, { name: 'metrics-server', path: '/metrics-server', commandLine: '/metrics-server --secure-port=10250' }, [{ name: 'containerd-shim-runc-v2' }]).label).toBe('likely-false-positive');
    const prom = scraperPod('prom-5d-abcde', 'quay.io/prometheus/prometheus:v2.54.1', ['/bin/prometheus']);
    expect(run(prom, { name: 'prometheus', path: '/bin/prometheus', commandLine: '/bin/prometheus' }, [{ name: 'containerd-shim-runc-v2' }]).label).toBe('likely-false-positive');
    expect(run(prom, {}).label, 'no process named (an NDR)').toBe('likely-false-positive');
  });
});
