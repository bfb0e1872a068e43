import type { ClusterIndex, ContainerSpec, Pod } from '../../cluster/model.js';
import { ATTACK_INDICATORS, type AttackIndicator } from '../../knowledge/indicators.js';
import { examinedPart } from './indicator-match.js';
import { foldedForLiterals, indicatorMatches } from '../../knowledge/indicator-literals.js';
import type { Evidence, Rule } from '../model.js';
import { containerArgv } from '../correlate.js';
import { allContainerSpecs, componentOfPod, describePod, malicious } from './support.js';
import { snatClient } from './workload-baseline.js';

/** Indicators that, found in a pod's own spec, make everything the pod does suspect. */
export const SPEC_INDICATORS = new Set(['download-and-execute', 'crypto-miner', 'reverse-shell', 'host-namespace-entry', 'chroot-host', 'host-disk-mount', 'script-from-temp', 'kubelet-pod-tokens']);

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
    // A node-addressed flow is the pod's whose spec names the peer (SNAT): its spec is judged as the subject's would be.
    const pods = [ctx.correlation.subject.pod ?? snatClient(ctx), ctx.correlation.peer?.pod].filter((p) => p !== undefined);
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

/** A container's own argv as text, and the spec indicators it shows: a property of its command and args arrays. */
interface ArgvIndicators {
  argv: string;
  found: readonly AttackIndicator[];
}
const NO_ARGS: string[] = [];
const byCommand = new WeakMap<string[], WeakMap<string[], ArgvIndicators>>();
function argvIndicators(spec: ContainerSpec): ArgvIndicators {
  const command = spec.command ?? NO_ARGS;
  const args = spec.args ?? NO_ARGS;
  let byArgs = byCommand.get(command);
  if (!byArgs) byCommand.set(command, (byArgs = new WeakMap()));
  let known = byArgs.get(args);
  if (!known) {
    const argv = examinedPart(containerArgv(spec).join(' '));
    const folded = foldedForLiterals(argv);
    known = { argv, found: argv ? ATTACK_INDICATORS.filter((i) => SPEC_INDICATORS.has(i.id) && indicatorMatches(i, argv, folded)) : [] };
    byArgs.set(args, known);
  }
  return known;
}

/**
 * The first container of a pod whose own argv shows an indicator. Replicas share their command and args arrays, so
 * the patterns run once per distinct argv; only a pod that shows one is asked which component it is.
 */
export function specIndicatorOf(index: ClusterIndex, pod: Pod): SpecHit {
  for (const spec of allContainerSpecs(pod)) {
    const { argv, found } = argvIndicators(spec);
    if (found.length === 0) continue;
    // Stock manifests do some of this (Cilium's init containers nsenter into PID 1): only a confirmed component is excused.
    const component = componentOfPod(index, pod, spec);
    const hit = found.find((i) => !(!!component && component.strength === 'strong' && !!i.excusedBy?.(component.component)));
    if (hit) return { spec, argv, hit };
  }
  return null;
}
