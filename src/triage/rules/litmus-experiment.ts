import type { AuditActivity, ClusterIndex, Pod } from '../../cluster/model.js';
import { LITMUS_HELPER_LABEL, LITMUS_WIND_DOWN_MS } from '../../knowledge/chaos-engineering.js';
import { entrypointMatches } from '../correlate.js';
import type { Evidence, Rule } from '../model.js';
import { benign, clip, describePod } from './support.js';

const ENGINE_GROUP = 'litmuschaos.io';
const ENGINE_RESOURCE = 'chaosengines';

/**
 * litmus-experiment: LitmusChaos runs a ChaosEngine as pods in the engine's namespace — a runner and an experiment Job
 * owned by the engine, and helper pods the experiment pod creates (stress-ng for node-cpu-hog). A pod's own command
 * during the experiment is the experiment the audit log shows someone creating. A helper is tied to the engine only
 * through its creation: by the token of the engine's experiment pod, from that pod's own address. A pod that merely
 * wears Litmus labels (created elsewhere, with a stolen token, in another namespace) is not.
 */
export const litmusExperiment: Rule = {
  id: 'litmus-experiment',
  family: 'admin-activity',
  direction: 'benign',
  description: 'A LitmusChaos runner, experiment or helper pod running its own command during the ChaosEngine a person created (audit log)',
  evaluate(ctx): Evidence[] {
    const { alert, correlation, index } = ctx;
    const pod = correlation.subject.pod;
    const spec = correlation.subject.container?.spec;
    const cmd = alert.process.commandLine;
    if (!pod || !spec || !cmd || !alert.time || !entrypointMatches(cmd, spec) || index.auditActivities.length === 0) return [];
    const ns = pod.metadata.namespace ?? '';
    const link = engineOf(index, pod);
    if (!link) return [];
    const t = Date.parse(alert.time);
    const created = index.auditActivities.find(
      (a) => a.verb === 'create' && a.apiGroup === ENGINE_GROUP && a.resource === ENGINE_RESOURCE && a.namespace === ns && a.name === link.engine && (a.code === undefined || a.code < 300),
    );
    if (!created) return [];
    const start = Date.parse(created.time);
    const end = start + (created.chaos?.durationMs ?? 0) + LITMUS_WIND_DOWN_MS;
    if (Number.isNaN(start) || t < start || t > end) return [];
    return [
      benign(
        this.id,
        'admin-activity',
        'strong',
        `${clip(cmd, 100)} is the own command of ${describePod(index, pod)}, ${link.how} ChaosEngine ${ns}/${link.engine}${created.chaos?.action ? ` (${created.chaos.action})` : ''}, which ${created.user} created at ${created.time} (audit).`,
        { engine: `${ns}/${link.engine}`, user: created.user },
      ),
    ];
  },
};

function engineOwner(index: ClusterIndex, pod: Pod): string | undefined {
  return index.ownerChain(pod).find((w) => w.kind === 'ChaosEngine')?.name;
}

/** The engine a pod belongs to: by its owners, or (a helper) by its creation from the engine's experiment pod. */
function engineOf(index: ClusterIndex, pod: Pod): { engine: string; how: string } | undefined {
  const owned = engineOwner(index, pod);
  if (owned) return { engine: owned, how: 'a pod of' };
  if (!pod.metadata.labels?.[LITMUS_HELPER_LABEL]) return undefined;
  const ns = pod.metadata.namespace ?? '';
  const creation = index.auditActivities.find((a: AuditActivity) => a.verb === 'create' && a.resource === 'pods' && a.namespace === ns && a.name === pod.metadata.name);
  const creator = creation?.tokenBoundPod ? index.podByName(ns, creation.tokenBoundPod) : undefined;
  const creatorIp = creator?.status?.podIP;
  const engine = creator ? engineOwner(index, creator) : undefined;
  if (!engine || !creatorIp || !creation!.sourceIps.includes(creatorIp)) return undefined;
  return { engine, how: `a helper created by experiment pod ${creator!.metadata.name} (its own token, from its address ${creatorIp}) for` };
}
