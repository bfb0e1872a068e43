/**
 * Who is behind a Kubernetes identity. Humans troubleshoot; service accounts, nodes, controllers and machine roles
 * do not type commands — an exec by one of those is not "an engineer debugging".
 */
export interface TrustPolicy {
  trustedUsers?: string[];
  trustedGroups?: string[];
}

const MACHINE_PREFIXES = ['system:', 'eks:', 'aksService', 'masterclient', 'kubernetes-admin-machine'];

export function isServiceAccount(user: string): boolean {
  return user.startsWith('system:serviceaccount:');
}

/** AWS IAM role sessions other than SSO (AWSReservedSSO_…) are machines: CI runners, instance roles. */
export function isMachineRole(user: string): boolean {
  if (/assumed-role\/AWSReservedSSO_/i.test(user)) return false;
  return /^arn:aws[\w-]*:(?:sts|iam)::\d+:(?:assumed-role|role)\//i.test(user) || /^system:node:/.test(user);
}

export function isHumanIdentity(user: string | undefined, groups: string[] = [], policy?: TrustPolicy): boolean {
  if (!user) return false;
  if (policy?.trustedUsers?.includes(user)) return true;
  if (policy?.trustedGroups?.some((g) => groups.includes(g))) return true;
  if (user === 'system:anonymous' || user === 'anonymous') return false;
  if (MACHINE_PREFIXES.some((p) => user.startsWith(p))) return false;
  if (isMachineRole(user)) return false;
  return true;
}
