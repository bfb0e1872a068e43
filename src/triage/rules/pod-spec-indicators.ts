import type { ClusterIndex, ContainerSpec, Pod } from '../../cluster/model.js';
import { ATTACK_INDICATORS, type AttackIndicator } from '../../knowledge/indicators.js';
import type { Evidence, Rule } from '../model.js';
import { containerArgv } from '../correlate.js';
import { allContainerSpecs, componentOfPod, describePod, malicious } from './support.js';

/** Indicators that, found in a pod's own spec, make everything the pod does suspect. */
const SPEC_INDICATORS = new Set(['download-and-execute', 'crypto-miner', 'reverse-shell', 'host-namespace-entry', 'chroot-host', 'host-disk-mount', 'script-from-temp']);

/**
 * A spec is not a licence (issue 4): a workload whose own command downloads and runs a payload, mines, or enters the
 * host does not make its behaviour benign — it makes every alert from it suspect.
 */
export const podSpecIndicators: Rule = {
  id: 'pod-spec-indicators',
  family: 'attack-indicators',
  direction: 'malicious',
  description: "Attack indicators in the pod's own command, args and probes (download-and-execute, miners, host entry)",
  evaluate(ctx) {
    const pods = [ctx.correlation.subject.pod, ctx.correlation.peer?.pod].filter((p) => p !== undefined);
    const out: Evidence[] = [];
    for (const pod of pods) {
      const found = specIndicatorOf(ctx.index, pod);
      if (!found) continue;
      const { spec, argv, hit } = found;
      out.push(
        malicious(this.id, 'strong', `The pod spec of ${describePod(ctx.index, pod)} itself runs ${hit.what} (${hit.technique}) in container ${spec.name}: ${argv.length > 160 ? `${argv.slice(0, 160)}…` : argv}. Its own behaviour is not a baseline.`, {
          pod: pod.metadata.name,
          indicator: hit.id,
        }),
      );
    }
    return out;
  },
};

type SpecHit = { spec: ContainerSpec; argv: string; hit: AttackIndicator } | null;

/** The first container of a pod whose own argv shows an indicator: a property of the pod, asked for every alert placed in it. */
const specHits = new WeakMap<Pod, SpecHit>();
function specIndicatorOf(index: ClusterIndex, pod: Pod): SpecHit {
  let found = specHits.get(pod);
  if (found === undefined) {
    found = null;
    for (const spec of allContainerSpecs(pod)) {
      const argv = containerArgv(spec).join(' ');
      if (!argv) continue;
      // Stock manifests do some of this (Cilium's init containers nsenter into PID 1): only a confirmed component is excused.
      const component = componentOfPod(index, pod, spec);
      const excused = (i: AttackIndicator) => !!component && component.strength === 'strong' && !!i.excusedBy?.(component.component);
      const hit = ATTACK_INDICATORS.find((i) => SPEC_INDICATORS.has(i.id) && i.pattern.test(argv) && !excused(i));
      if (hit) {
        found = { spec, argv, hit };
        break;
      }
    }
    specHits.set(pod, found);
  }
  return found;
}
