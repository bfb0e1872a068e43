/**
 * Who made an API request, as far as the username alone tells. Used to skip control-plane noise while reading
 * audit logs and, by the admin-activity rule, to decide whose exec sessions can explain an alert.
 */

export type IdentityKind =
  /** API server, scheduler, controller manager, cloud-provider control loops (`system:kube-*`, `eks:*`, `aksService`). */
  | 'control-plane'
  /** A kubelet (`system:node:<name>`). */
  | 'node'
  /** A kube-system service account (controllers with per-controller credentials, cluster add-ons). */
  | 'system-service-account'
  /** Any other service account: a workload's own token. */
  | 'service-account'
  | 'anonymous'
  /** A machine identity from the cloud IAM (an instance or CI role session, a GCP service account, an Azure service principal). */
  | 'cloud-role'
  /** Anything else: a person (OIDC e-mail, client certificate CN, IAM user, SSO role session named after a person). */
  | 'user';

interface PrefixRule {
  prefix: string;
  kind: IdentityKind;
}

/** Ordered: the first matching prefix wins. */
const PREFIX_RULES: PrefixRule[] = [
  { prefix: 'system:anonymous', kind: 'anonymous' },
  { prefix: 'system:node:', kind: 'node' },
  { prefix: 'system:serviceaccount:kube-system:', kind: 'system-service-account' },
  { prefix: 'system:serviceaccount:', kind: 'service-account' },
  { prefix: 'system:', kind: 'control-plane' },
  { prefix: 'eks:', kind: 'control-plane' },
];

/** Exact names of managed control-plane identities. */
const CONTROL_PLANE_USERS = new Set(['aksService', 'aksProblemDetector', 'aks-support', 'nodeclient', 'kube-apiserver', 'kube-apiserver-kubelet-client']);

const AWS_ASSUMED_ROLE = /^arn:aws[\w-]*:sts::\d{12}:assumed-role\/([^/]+)\/(.+)$/;
const GCP_SERVICE_ACCOUNT = /@[\w-]+\.iam\.gserviceaccount\.com$|@developer\.gserviceaccount\.com$|@cloudservices\.gserviceaccount\.com$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAILBOX = /^[^@\s]+@[^@\s]+$/;

/** local@domain, the domain with a dot neither first nor last (written without a regular expression that backtracks). */
function isEmail(text: string): boolean {
  return MAILBOX.test(text) && text.slice(text.indexOf('@') + 2, -1).includes('.');
}

/**
 * A directory login of the first.last form, as SAML federation (Okta, Entra ID, ADFS) sets RoleSessionName for a
 * person. Machines' session names carry digits or a single word (instance ids, botocore-session-<n>, gha-<run>,
 * codebuild-…, karpenter), so only letters separated by dots count.
 */
const PERSON_LOGIN = /^[A-Za-z]{2,}(?:\.[A-Za-z]{2,}){1,2}$/;

/**
 * An AWS role session is a person when IAM Identity Center issued it (role `AWSReservedSSO_*`) or when the session
 * name is an e-mail address or a first.last login (federated SSO sets it to the user's name); instance ids, CI job
 * ids and other session names are machines.
 */
function awsRoleSessionIsPerson(role: string, session: string): boolean {
  return role.startsWith('AWSReservedSSO_') || isEmail(session) || PERSON_LOGIN.test(session);
}

export function identityKind(username: string, groups: readonly string[] = []): IdentityKind {
  if (groups.includes('system:unauthenticated')) return 'anonymous';
  for (const rule of PREFIX_RULES) if (username.startsWith(rule.prefix)) return rule.kind;
  if (CONTROL_PLANE_USERS.has(username)) return 'control-plane';
  const role = AWS_ASSUMED_ROLE.exec(username);
  if (role) return awsRoleSessionIsPerson(role[1], role[2]) ? 'user' : 'cloud-role';
  if (GCP_SERVICE_ACCOUNT.test(username)) return 'cloud-role';
  // AKS with Entra ID shows service principals by object id; people by their UPN.
  if (UUID.test(username)) return 'cloud-role';
  if (username === '') return 'anonymous';
  return 'user';
}

/** Identities whose routine requests are background noise for triage. */
export function isSystemIdentity(kind: IdentityKind): boolean {
  return kind === 'control-plane' || kind === 'node' || kind === 'system-service-account';
}

/** `system:serviceaccount:<ns>:<name>` → { namespace, name }. */
export function serviceAccountOf(username: string): { namespace: string; name: string } | undefined {
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  return m ? { namespace: m[1], name: m[2] } : undefined;
}

/** The AWS role and session of an assumed-role ARN, for messages. */
export function awsRoleSession(username: string): { role: string; session: string } | undefined {
  const m = AWS_ASSUMED_ROLE.exec(username);
  return m ? { role: m[1], session: m[2] } : undefined;
}

/** Loopback, RFC 1918, CGNAT (100.64/10, used by some CNIs), link-local and IPv6 ULA/link-local addresses. */
export function isPrivateAddress(ip: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip.startsWith('::ffff:') ? ip.slice(7) : ip);
  if (v4) {
    const a = Number(v4[1]);
    const b = Number(v4[2]);
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254)
    );
  }
  const lower = ip.toLowerCase();
  if (lower === '::1') return true;
  return /^f[cd][0-9a-f]{2}:/.test(lower) || /^fe[89ab][0-9a-f]:/.test(lower);
}

export function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}
