/**
 * A confirmed component's DaemonSet pod gone before the snapshot (the audit log recorded it; its DaemonSet's template
 * confirms the component) is excused for an attack indicator its capability covers, as a live one is — only for its own
 * distinctive programs: the EBS CSI plugin's `mount -t ext4 /dev/nvme1n1 …` staging a volume is its work, the same mount
 * typed by a shell in that pod is not.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../src/cluster/index.js';
import type { AuditActivity, KubeObject } from '../../../src/cluster/model.js';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { alert, node, snapshot } from '../../support/cluster.js';

const IMAGE = 'public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.35.0';
const GONE_NODE = 'ip-10-42-48-61.eu-central-1.compute.internal';
const ebsCsiNode: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'ebs-csi-node', namespace: 'kube-system', uid: 'ds-ebs-csi-node' },
  spec: { template: { spec: { containers: [{ name: 'ebs-plugin', image: IMAGE, securityContext: { privileged: true } }] } } },
};
const T = (hms: string) => `2026-12-03T${hms}.000Z`;
const created: AuditActivity = {
  time: T('09:12:09'),
  user: 'system:serviceaccount:kube-system:daemon-set-controller',
  groups: [],
  verb: 'create',
  resource: 'pods',
  namespace: 'kube-system',
  name: 'ebs-csi-node-rknpz',
  sourceIps: ['10.42.31.201'],
  code: 201,
  podSpec: { images: [IMAGE], owner: 'DaemonSet', ownerName: 'ebs-csi-node', nodeName: GONE_NODE },
};
const MOUNT = 'mount -t ext4 -o defaults /dev/nvme1n1 /var/lib/kubelet/plugins/kubernetes.io/csi/ebs.csi.aws.com/b9f6da27/globalmount';

function verdict(process: { name: string; commandLine: string }, parent: { name: string; commandLine: string }) {
  const s = snapshot([node('ip-10-42-7-141.eu-central-1.compute.internal', '10.42.7.141'), ebsCsiNode]);
  s.auditActivities = [created];
  const index = buildIndex([s]);
  const a = alert({ host: 'ip-10-42-48-61', time: T('14:02:10'), container: { id: 'd'.repeat(64), name: 'ebs-plugin', namespace: 'kube-system', image: IMAGE }, process, ancestors: [parent] });
  return triageAlert(a, { index }).verdict;
}

describe('attack indicators in a gone component pod', () => {
  it("the CSI plugin's own mount of the volume it stages is excused (the pod and its node are gone)", () => {
    const v = verdict({ name: 'mount', commandLine: MOUNT }, { name: 'aws-ebs-csi-driver', commandLine: 'aws-ebs-csi-driver node --endpoint=unix:/csi/csi.sock' });
    expect(v.label).toBe('likely-false-positive');
  });
  it('trap: the same mount typed by a shell in that pod stays genuine', () => {
    const v = verdict({ name: 'sh', commandLine: `sh -c "${MOUNT}"` }, { name: 'bash', commandLine: 'bash' });
    expect(v.label).toBe('genuine');
  });
});
