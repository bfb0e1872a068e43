/**
 * storage-agent (talos-cilium-kpr scenario): a node sensor sees the LINSTOR satellite's `lvresize` as a host process
 * whose parent is the JVM. It is the satellite's work when a satellite pod of the Piraeus DaemonSet runs on that node;
 * the same tool from a shell, on a node without the satellite, from a look-alike satellite pod, or in an alert that
 * names a container is not explained here.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { storageAgent } from '../../../src/triage/rules/storage-agent.js';
import { alert, indexOf, node, owner, pod } from '../../support/cluster.js';

const W2 = 'mfg-w-02';
const W3 = 'mfg-w-03';
const W4 = 'mfg-w-04';
const satDs = owner('DaemonSet', 'linstor-satellite.mfg-w-02', 'piraeus-datastore');
const satellite = pod('linstor-satellite.mfg-w-02-98xsq', {
  namespace: 'piraeus-datastore',
  node: W2,
  hostNetwork: true,
  owner: { kind: 'DaemonSet', name: 'linstor-satellite.mfg-w-02' },
  containers: [{ name: 'linstor-satellite', image: 'quay.io/piraeusdatastore/piraeus-server:v1.29.2', args: ['startSatellite'], securityContext: { privileged: true } }],
});
// A naked pod in an application namespace with the satellite's image is no satellite of the DaemonSet.
const fakeSatellite = pod('storage-helper', {
  namespace: 'plant-edge',
  node: W4,
  hostNetwork: true,
  containers: [{ name: 'helper', image: 'quay.io/piraeusdatastore/piraeus-server:v1.29.2', securityContext: { privileged: true } }],
});
const index = indexOf([node(W2, '172.22.10.22'), node(W3, '172.22.10.23'), node(W4, '172.22.10.24'), satDs, satellite, fakeSatellite]);
const JAVA = { name: 'java', path: '/usr/lib/jvm/java-17-openjdk-amd64/bin/java', commandLine: 'java -Xms32M -classpath /usr/share/linstor-server/lib/* com.linbit.linstor.core.Satellite' };
const SHIM = { name: 'containerd-shim-runc-v2', commandLine: 'containerd-shim-runc-v2 -namespace k8s.io -id 1a2b' };
const lvresize = { name: 'lvresize', path: '/usr/sbin/lvresize', commandLine: 'lvresize --size 41943040k linstor_vg/pvc-3f9a_00000' };
const run = (host: string, ancestors: { name: string; commandLine?: string }[], extra: Partial<Parameters<typeof alert>[0]> = {}) =>
  triageAlert(alert({ host, title: 'Suspicious logical volume modification', process: lvresize, ancestors, ...extra }), { index }).verdict;

describe('storage-agent', () => {
  it("explains the satellite's LVM tool under its JVM on the node where the satellite pod runs", () => {
    const v = run(W2, [JAVA, SHIM]);
    expect(v.label).toBe('likely-false-positive');
    // host-component tells the same process as the privileged agent's own (cause privileged-root): either story holds.
    expect(['workload-baseline', 'privileged-root']).toContain(v.cause);
    const ours = v.reasons.find((r) => r.rule === storageAgent.id);
    expect(ours?.message).toContain('LINSTOR');
    // The JVM is a generic daemon name: medium, never strong.
    expect(ours?.strength).toBe('medium');
  });

  it('does not explain it from a shell, on a node without the satellite, or next to a look-alike satellite pod', () => {
    const ours = (v: ReturnType<typeof run>) => v.reasons.filter((r) => r.rule === storageAgent.id);
    expect(ours(run(W2, [{ name: 'bash', commandLine: 'bash' }, SHIM]))).toEqual([]);
    expect(ours(run(W3, [JAVA, SHIM]))).toEqual([]);
    expect(ours(run(W4, [JAVA, SHIM]))).toEqual([]);
    expect(run(W3, [JAVA, SHIM]).label).toBe('genuine');
  });
});
