import { imageRepository } from '../../knowledge/components.js';
import type { Evidence, Rule } from '../model.js';
import { globMatch, matchValue, MATCH_FIELDS, type Policy } from '../policy.js';
import { benign, describePod } from './support.js';

/**
 * A pattern whose first segment is a registry host (has a dot or a port, or is localhost): it is matched against the
 * whole image only, never against the registry-stripped repository, where evil.io/registry.example.com/platform/x
 * would read registry.example.com/platform/x.
 */
function namesRegistry(pattern: string): boolean {
  const first = pattern.split('/')[0];
  return pattern.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
}

export const policyTrust: Rule = {
  id: 'policy',
  family: 'context',
  direction: 'benign',
  description: 'Trusted namespaces, images and workloads, and narrow exceptions from the policy file (never over an attack indicator)',
  evaluate(ctx) {
    const policy = ctx.policy as Policy | undefined;
    if (!policy) return [];
    const out: Evidence[] = [];
    const { pod, container, workload } = ctx.correlation.subject;
    if (pod && container) {
      const workloadId = workload ? `${workload.kind}/${workload.namespace}/${workload.name}` : undefined;
      const image = container.spec.image ?? '';
      const trusted = policy.trustedWorkloads.find((w) => workloadId && globMatch(w, workloadId))
        ? `workload ${workloadId}`
        : policy.trustedNamespaces.find((n) => globMatch(n, pod.metadata.namespace))
          ? `namespace ${pod.metadata.namespace}`
          : policy.trustedImages.find((i) => globMatch(i, image) || (!namesRegistry(i) && globMatch(i, imageRepository(image))))
            ? `image ${image}`
            : undefined;
      if (trusted) out.push(benign(this.id, 'workload-baseline', 'medium', `The policy (${policy.source}) trusts ${trusted}, and the process runs in ${describePod(ctx.index, pod)}.`));
    }
    for (const exception of policy.exceptions) {
      if (exception.expired) continue;
      const fields = MATCH_FIELDS.filter((f) => exception.match[f] !== undefined);
      if (fields.every((f) => globMatch(exception.match[f]!, matchValue(f, ctx.alert, ctx.correlation)))) {
        out.push(
          benign(this.id, exception.cause, 'strong', `Policy exception (${policy.source}${exception.expires ? `, until ${exception.expires}` : ''}): ${exception.reason} — matched on ${fields.map((f) => `${f}=${exception.match[f]}`).join(', ')}.`, {
            matched: fields.join(','),
          }),
        );
      }
    }
    return out;
  },
};
