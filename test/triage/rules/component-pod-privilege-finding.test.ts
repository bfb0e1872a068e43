/**
 * Control-plane findings about how a pod was started ("Privileged container detected", "Container with a sensitive
 * volume mount detected"), naming no process, fire when a node image upgrade recreates the DaemonSet pods of the
 * cluster's own agents. For a confirmed component whose DaemonSet has run with those settings for weeks, the settings
 * are its design. Traps: the same finding for a DaemonSet created minutes earlier, for a pod that only borrows the
 * component's name (other image), and for an alert that names a process (behaviour, judged elsewhere).
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/cluster/model.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, containerIdOf, indexOf, node, pod } from '../../support/cluster.js';

const N = 'aks-workers-38104822-vmss000002';
const T = (hms: string) => `2026-12-03T${hms}.000Z`;
const DEFENDER = 'mcr.microsoft.com/azuredefender/stable/low-level-collector:1.3.81';
const SECRETS_STORE = 'mcr.microsoft.com/oss/kubernetes-csi/secrets-store/driver:v1.4.6';

const daemonSet = (name: string, created: string): KubeObject => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: 'kube-system', uid: `ds-${name}`, creationTimestamp: created } });
const collector = (name: string, image: string, owner: string) =>
  pod(name, {
    namespace: 'kube-system',
    node: N,
    hostNetwork: true,
    hostPID: true,
    created: T('10:09:31'),
    owner: { kind: 'DaemonSet', name: owner },
    containers: [{ name: 'microsoft-defender-low-level-collector', image, securityContext: { privileged: true } }],
    volumes: [{ name: 'proc', hostPath: { path: '/proc' } }],
  });
const csiDriver = pod('aks-secrets-store-csi-driver-2b7zj', {
  namespace: 'kube-system',
  node: N,
  ip: '10.244.4.3',
  created: T('10:09:31'),
  owner: { kind: 'DaemonSet', name: 'aks-secrets-store-csi-driver' },
  containers: [{ name: 'secrets-store', image: SECRETS_STORE, securityContext: { privileged: true }, volumeMounts: [{ name: 'mountpoint-dir', mountPath: '/var/lib/kubelet/pods' }] }],
  volumes: [{ name: 'mountpoint-dir', hostPath: { path: '/var/lib/kubelet/pods' } }],
});

function verdict(p: ReturnType<typeof pod>, objects: KubeObject[], title: string, process?: { name: string; commandLine: string }) {
  const index = indexOf([node(N, '10.224.0.8'), ...objects, p]);
  const a = alert({ time: T('10:10:02'), title, container: { id: containerIdOf(p), namespace: 'kube-system', pod: p.metadata.name }, process });
  return triageAlert(a, { index }).verdict;
}

describe("privilege findings about a component's recreated pod", () => {
  it("the Defender sensor's privileged collector, recreated on a reimaged node", () => {
    const p = collector('microsoft-defender-collector-ds-2mv8s', DEFENDER, 'microsoft-defender-collector-ds');
    const v = verdict(p, [daemonSet('microsoft-defender-collector-ds', '2026-10-14T07:52:10Z')], 'Privileged container detected');
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });
  it("the Secrets Store CSI driver's kubelet pods mount", () => {
    const v = verdict(csiDriver, [daemonSet('aks-secrets-store-csi-driver', '2026-10-14T07:52:10Z')], 'Container with a sensitive volume mount detected');
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });
  it('trap: a DaemonSet created minutes before the finding is news', () => {
    const p = collector('microsoft-defender-collector-ds-2mv8s', DEFENDER, 'microsoft-defender-collector-ds');
    expect(verdict(p, [daemonSet('microsoft-defender-collector-ds', T('10:01:00'))], 'Privileged container detected').label).toBe('genuine');
  });
  it("trap: a DaemonSet borrowing the sensor's name with another image", () => {
    const p = collector('microsoft-defender-collector-ds-2mv8s', 'docker.io/attacker/low-level-collector:1.3.81', 'microsoft-defender-collector-ds');
    expect(verdict(p, [daemonSet('microsoft-defender-collector-ds', '2026-10-14T07:52:10Z')], 'Privileged container detected').label).toBe('genuine');
  });
  it('trap: a finding that names a shell in the privileged container is behaviour, not how the pod was started', () => {
    const p = collector('microsoft-defender-collector-ds-2mv8s', DEFENDER, 'microsoft-defender-collector-ds');
    const v = verdict(p, [daemonSet('microsoft-defender-collector-ds', '2026-10-14T07:52:10Z')], 'Privileged container detected', { name: 'sh', commandLine: 'sh -c cat /host/proc/1/environ' });
    expect(v.label).toBe('genuine');
  });
});
