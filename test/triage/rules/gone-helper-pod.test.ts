/**
 * A storage provisioner's helper pod (OpenEBS hostpath `init-pvc-…`), pinned to a live node, run and deleted before
 * the snapshot, seen by a sensor that names the namespace, image and container id but no pod (Cortex XDR). The
 * provisioner's request reached an API server outside the pod and node networks (k0s controllers), so it came from its
 * node's address. Found in the k0s-kuberouter-baremetal validation scenario; with the traps.
 */
import { describe, expect, it } from 'vitest';
import type { AuditActivity } from '../../../src/cluster/model.js';
import { summarizePodSpec } from '../../../src/cluster/audit.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, node, pod, snapshot } from '../../support/cluster.js';

const W1 = 'hel1-wrk-01';
const W2 = 'hel1-wrk-02';
const T = (hms: string) => `2027-03-16T${hms}.000Z`;
const NS = 'openebs';
const SA = 'system:serviceaccount:openebs:openebs-localpv-provisioner';
const HELPER_IMAGE = 'openebs/linux-utils:4.1.0';
const PV = 'pvc-8cf1ac13-310b-413a-a255-c2aab40ae180';

const provisioner = pod('openebs-localpv-provisioner-4b6c-x2k9q', {
  namespace: NS,
  node: W1,
  ip: '10.244.0.9',
  owner: { kind: 'ReplicaSet', name: 'openebs-localpv-provisioner-4b6c' },
  containers: [{ name: 'openebs-localpv-provisioner', image: 'openebs/provisioner-localpv:4.1.1' }],
});
provisioner.spec.serviceAccountName = 'openebs-localpv-provisioner';
provisioner.status!.hostIP = '10.50.1.21';

function helper(name: string, time: string, nodeName: string, command: string[], from = '10.50.1.21', boundTo = provisioner.metadata.name): AuditActivity {
  const body = {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name, namespace: NS },
    spec: {
      nodeName,
      restartPolicy: 'Never',
      containers: [{ name: 'local-path-init', image: HELPER_IMAGE, command, volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      volumes: [{ name: 'data', hostPath: { path: '/var/openebs/local', type: 'DirectoryOrCreate' } }],
    },
  };
  return { time: T(time), user: SA, groups: ['system:serviceaccounts'], verb: 'create', resource: 'pods', namespace: NS, name, sourceIps: [from], code: 201, tokenBoundPod: boundTo, podSpec: summarizePodSpec(body) };
}
const deletion = (a: AuditActivity, time: string): AuditActivity => ({ ...a, time: T(time), verb: 'delete', podSpec: undefined, code: 200 });

function verdictFor(activities: AuditActivity[], cmd: string, host = W2) {
  const snap = snapshot([node(W1, '10.50.1.21'), node(W2, '10.50.1.22'), provisioner]);
  snap.auditActivities = activities;
  const a = alert({
    host,
    time: T('01:30:04'),
    process: { name: cmd.split(' ')[0], path: '/bin/mkdir', commandLine: cmd },
    ancestors: [{ name: 'containerd-shim-runc-v2', commandLine: '/var/lib/k0s/bin/containerd-shim-runc-v2 -namespace k8s.io -id 1f2e -address /run/k0s/containerd.sock' }],
    container: { id: 'c'.repeat(64), namespace: NS, image: HELPER_IMAGE },
  });
  return triageAlert(a, { index: buildIndex([snap]) }).verdict;
}

const INIT = ['mkdir', '-m', '0777', '-p', `/data/${PV}`];
const init = helper(`init-${PV}`, '01:30:02', W2, INIT);

describe("a provisioner's helper pod gone from the snapshot, named by namespace and image only", () => {
  it('its own command, created by the provisioner with its bound token from its node (masqueraded): workload-baseline', () => {
    const v = verdictFor([init, deletion(init, '01:30:09')], INIT.join(' '));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons.map((r) => r.message).join(' ')).toMatch(/init-pvc-8cf1ac13.*openebs-localpv-provisioner/);
  });
  it('trap: another command in that helper container', () => {
    expect(verdictFor([init, deletion(init, '01:30:09')], 'mkdir -p /data/../../etc/cron.d/x').label).toBe('genuine');
  });
  it("trap: the provisioner's token used from another node's address", () => {
    const elsewhere = helper(`init-${PV}`, '01:30:02', W2, INIT, '10.50.1.22');
    expect(verdictFor([elsewhere], INIT.join(' ')).label).toBe('genuine');
  });
  it('trap: the helper was pinned to another node than the alert', () => {
    const other = helper(`init-${PV}`, '01:30:02', W1, INIT);
    expect(verdictFor([other], INIT.join(' ')).label).toBe('genuine');
  });
  it('trap: two gone helper pods of that image on the node at the time: which one is unknown', () => {
    const second = helper('init-pvc-0b1c2d3e-0000-4000-a000-000000000001', '01:30:03', W2, ['mkdir', '-m', '0777', '-p', '/data/pvc-0b1c2d3e-0000-4000-a000-000000000001']);
    expect(verdictFor([init, second], INIT.join(' ')).label).toBe('genuine');
  });
});
