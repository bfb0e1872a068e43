/**
 * A surge node added for a node image upgrade is gone before the snapshot, and so are its DaemonSet pods; the audit
 * log recorded the Cilium pod's creation. Cilium's stock init container nsenters into PID 1 to mount cgroup v2: in a
 * confirmed component's spec that is not the "spec is itself an attack" a stranger's would be. Traps: the same spec in a
 * pod the DaemonSet controller did not create, and in a DaemonSet whose images are not Cilium's.
 */
import { describe, expect, it } from 'vitest';
import { summarizePodSpec } from '../../../src/cluster/audit.js';
import { buildIndex } from '../../../src/cluster/index.js';
import type { AuditActivity, KubeObject } from '../../../src/cluster/model.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, node, snapshot } from '../../support/cluster.js';

const IMAGE = 'mcr.microsoft.com/containernetworking/cilium/cilium:v1.14.15-241125';
const GONE = 'aks-workers-38104822-vmss000003';
const T = (hms: string) => `2026-12-03T${hms}.000Z`;
const MOUNT_CGROUP = ['sh', '-ec', 'cp /usr/bin/cilium-mount /hostbin/cilium-mount;\nnsenter --cgroup=/hostproc/1/ns/cgroup --mount=/hostproc/1/ns/mnt "${BIN_PATH}/cilium-mount" $CGROUP_ROOT;\nrm /hostbin/cilium-mount\n'];

function template(image: string) {
  return {
    containers: [{ name: 'cilium-agent', image, command: ['cilium-agent'], args: ['--config-dir=/tmp/cilium/config-map'] }],
    initContainers: [{ name: 'mount-cgroup', image, command: MOUNT_CGROUP }],
  };
}
const daemonSet = (image: string): KubeObject => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'cilium', namespace: 'kube-system', uid: 'ds-cilium' }, spec: { template: { spec: template(image) } } });

function created(user: string, image: string): AuditActivity {
  const body = { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'cilium-dh9zt', namespace: 'kube-system', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'cilium', uid: 'ds-cilium', controller: true }] }, spec: { nodeName: GONE, hostNetwork: true, ...template(image) } };
  return { time: T('09:31:20'), user, groups: [], verb: 'create', resource: 'pods', namespace: 'kube-system', name: 'cilium-dh9zt', sourceIps: ['172.31.1.5'], code: 201, podSpec: summarizePodSpec(body) };
}

function verdict(creation: AuditActivity, dsImage = IMAGE) {
  const s = snapshot([node('aks-workers-38104822-vmss000000', '10.224.0.6'), daemonSet(dsImage)]);
  s.auditActivities = [creation];
  const a = alert({
    host: GONE,
    time: T('09:33:12'),
    title: 'iptables rules modified',
    container: { namespace: 'kube-system', pod: 'cilium-dh9zt', name: 'cilium-agent', image: creation.podSpec?.images?.[0] },
    process: { name: 'iptables-restore', path: '/usr/sbin/iptables-restore', commandLine: 'iptables-restore -w 5 --noflush' },
    ancestors: [{ name: 'cilium-agent', commandLine: 'cilium-agent --config-dir=/tmp/cilium/config-map' }],
  });
  return triageAlert(a, { index: buildIndex([s]) }).verdict;
}

describe("a gone Cilium pod's own spec", () => {
  it("Cilium's mount-cgroup nsenter in the recorded spec does not indict the agent's iptables-restore", () => {
    expect(verdict(created('system:serviceaccount:kube-system:daemon-set-controller', IMAGE))).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  it('trap: the same spec in a pod a person created is an attack', () => {
    expect(verdict(created('mallory@example.com', IMAGE))).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: a DaemonSet named cilium that runs another image is no confirmed component', () => {
    const other = 'docker.io/attacker/cilium:v1.14.15';
    expect(verdict(created('system:serviceaccount:kube-system:daemon-set-controller', other), other)).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});
