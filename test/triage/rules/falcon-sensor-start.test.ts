/**
 * The CrowdStrike Falcon node sensor's container starting privileged (Falco "Launch Privileged Container") runs
 * falcon-daemonset-init, its entrypoint, from the image when the spec names no command. Trap: the same process name in
 * a pod that is not the sensor stays unexplained.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';
import type { Pod } from '../../../src/cluster/model.js';

const N = 'gk3-shop-prod-pool-3-8b21e0f4-q9wd';

function sensorPod(namespace: string, name: string, image: string, ownerName?: string): Pod {
  return pod(name, {
    namespace,
    node: N,
    hostNetwork: true,
    hostPID: true,
    owner: ownerName ? { kind: 'DaemonSet', name: ownerName } : undefined,
    containers: [{ name: 'falcon-node-sensor', image, securityContext: { privileged: true } }],
  });
}

function verdict(p: Pod, ownerName?: string) {
  const objects = [node(N, '10.132.0.27'), p, ...(ownerName ? [owner('DaemonSet', ownerName, p.metadata.namespace!)] : [])];
  const a = alert({
    host: N,
    time: '2027-03-09T10:58:09.000Z',
    title: 'Launch Privileged Container',
    process: { name: 'falcon-daemonset-init', path: '/opt/CrowdStrike/falcon-daemonset-init', commandLine: 'falcon-daemonset-init -i' },
    ancestors: [{ name: 'containerd-shim' }],
    container: { id: containerIdOf(p).slice(0, 12), name: 'falcon-node-sensor', namespace: p.metadata.namespace, pod: p.metadata.name },
  });
  return triageAlert(a, { index: indexOf(objects) }).verdict;
}

describe('Falcon node sensor start', () => {
  it('falcon-daemonset-init starting the privileged sensor container of DaemonSet falcon-system/falcon-node-sensor is its design', () => {
    const p = sensorPod('falcon-system', 'falcon-node-sensor-wkntx', 'registry.crowdstrike.com/falcon-sensor/release/falcon-sensor:7.20.0-17306-1.falcon-linux.Release.EU-1', 'falcon-node-sensor');
    expect(verdict(p, 'falcon-node-sensor')).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });

  it('trap: the same process in a privileged naked pod of another image is not the sensor', () => {
    const p = sensorPod('shop', 'tools', 'docker.io/library/alpine:3.20');
    expect(verdict(p).label).toBe('genuine');
  });
});
