/**
 * Cheap tests on a raw audit-log line, made before JSON.parse: most of a real audit log is control-plane
 * chatter (leases, node status, informer watches) that triage never uses. A line is skipped only when it
 * provably belongs to a system identity, names none of the resources we keep, and (for service-account
 * tokens) comes from a private address; anything unusual is parsed.
 */
import { identityKind, isPrivateAddress, isSystemIdentity } from './audit-identities.js';

/**
 * Substrings that make a line worth parsing whoever sent it: streaming subresources, Secrets and ConfigMaps,
 * denied or unauthenticated requests, impersonation, RBAC self-inspection and changes, token requests, proxies,
 * kubectl debug's node pods, anonymous callers. Both plain and JSON-in-a-string (AKS) spellings match.
 */
const PARSE_MARKERS = [
  '/exec',
  'exec"',
  'exec\\"',
  '.exec.',
  '/attach',
  'attach"',
  'attach\\"',
  '.attach.',
  'portforward',
  'ephemeralcontainers',
  'secrets',
  'configmaps',
  'orbid', // forbid, Forbidden, forbidden
  ':403',
  ': 403',
  ':401',
  'nauthorized',
  'PERMISSION_DENIED',
  'UNAUTHENTICATED',
  'impersonat',
  'selfsubject',
  'rolebindings',
  'clusterroles',
  '/token',
  '/proxy',
  'node-debugger',
  'system:anonymous',
  'system:unauthenticated',
];

/** The string value of the first `"key":"value"` in the line, plain or escaped inside a JSON string. */
function rawValue(line: string, key: string): string | undefined {
  const plain = `"${key}":"`;
  let i = line.indexOf(plain);
  if (i >= 0) {
    const start = i + plain.length;
    const end = line.indexOf('"', start);
    return end < 0 ? undefined : line.slice(start, end);
  }
  const escaped = `\\"${key}\\":\\"`;
  i = line.indexOf(escaped);
  if (i >= 0) {
    const start = i + escaped.length;
    const end = line.indexOf('\\"', start);
    return end < 0 ? undefined : line.slice(start, end);
  }
  return undefined;
}

/** All `sourceIPs` (or GKE `callerIp`) of the line, or undefined when they cannot be read cheaply. */
function rawSourceIps(line: string): string[] | undefined {
  for (const [open, sep, close] of [
    ['"sourceIPs":["', '","', '"]'],
    ['\\"sourceIPs\\":[\\"', '\\",\\"', '\\"]'],
  ] as const) {
    const i = line.indexOf(open);
    if (i < 0) continue;
    const start = i + open.length;
    const end = line.indexOf(close, start);
    if (end < 0) return undefined;
    return line.slice(start, end).split(sep);
  }
  const caller = rawValue(line, 'callerIp') ?? rawValue(line, 'callerIP');
  return caller === undefined ? undefined : [caller];
}

/** false only when the line is certainly background noise. */
export function mayMatter(line: string): boolean {
  for (const marker of PARSE_MARKERS) if (line.includes(marker)) return true;
  if (line.includes('pods') && (line.includes('create') || line.includes('delete'))) return true;
  const user = rawValue(line, 'username') ?? rawValue(line, 'principalEmail');
  if (user === undefined || user.includes('\\')) return true;
  const kind = identityKind(user);
  if (kind === 'service-account' || kind === 'system-service-account') {
    const ips = rawSourceIps(line);
    return ips === undefined || ips.some((ip) => !isPrivateAddress(ip));
  }
  return !isSystemIdentity(kind);
}
