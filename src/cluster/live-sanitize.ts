/**
 * Drops, in place, what must never be stored from objects freshly parsed from the API server's JSON: container
 * `env` values (the names stay), `metadata.managedFields`, and the `kubectl.kubernetes.io/last-applied-configuration`
 * annotation (a full copy of the applied spec, env values included). Containers are found wherever they occur: pod
 * specs and every pod template (Deployments, DaemonSets, Jobs, CronJobs' job templates…).
 *
 * A deliberately small, private sanitizer for live capture: `src/cluster/sanitize.ts` (`sanitizeObject`) is the
 * project-wide one; the lead unifies the two.
 */

import { scrubAnnotations } from './sanitize.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Keys holding container lists. */
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function envNames(env: unknown[]): { name: string }[] {
  const names: { name: string }[] = [];
  for (const entry of env) if (isRecord(entry) && typeof entry.name === 'string') names.push({ name: entry.name });
  return names;
}

function walk(value: unknown, key: string | undefined): void {
  if (Array.isArray(value)) {
    const containers = key !== undefined && CONTAINER_LISTS.has(key);
    for (const element of value) {
      if (containers && isRecord(element) && 'env' in element) element.env = Array.isArray(element.env) ? envNames(element.env) : [];
      walk(element, undefined);
    }
    return;
  }
  if (!isRecord(value)) return;
  if ('managedFields' in value) delete value.managedFields;
  const annotations = value.annotations;
  if (isRecord(annotations) && LAST_APPLIED in annotations) delete annotations[LAST_APPLIED];
  // Credential-bearing annotation values (tokens, kubeconfigs, keys) are replaced, as on load.
  scrubAnnotations(annotations);
  for (const k in value) {
    const v = value[k];
    if (typeof v === 'object' && v !== null) walk(v, k);
  }
}

/** Sanitizes `object` (a Kubernetes object as parsed from JSON) in place. */
export function sanitizeInPlace(object: Record<string, unknown>): void {
  walk(object, undefined);
}
