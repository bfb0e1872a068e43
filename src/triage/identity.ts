/**
 * Who is behind a Kubernetes identity, for the rules: one classifier (cluster/audit-identities.ts) decides what an
 * identity is; the policy's trust lists, when it has any, decide which people count.
 */
import { identityKind } from '../cluster/audit-identities.js';
import { globMatch } from './policy.js';

export interface TrustPolicy {
  trustedUsers?: string[];
  trustedGroups?: string[];
}

export function isServiceAccount(user: string): boolean {
  const kind = identityKind(user);
  return kind === 'service-account' || kind === 'system-service-account';
}

/** A person the policy trusts, or — when the policy lists nobody — any identity that is a person. */
export function isHumanIdentity(user: string | undefined, groups: string[] = [], policy?: TrustPolicy): boolean {
  if (!user) return false;
  if (policy?.trustedUsers?.some((p) => globMatch(p, user)) || policy?.trustedGroups?.some((p) => groups.some((g) => globMatch(p, g)))) return true;
  if (policy?.trustedUsers?.length || policy?.trustedGroups?.length) return false;
  return identityKind(user, groups) === 'user';
}
