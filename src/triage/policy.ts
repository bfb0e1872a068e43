/**
 * The policy file (--policy, default ./.kdr-triage.yaml): who and what the organisation trusts, extra node
 * components, and narrow exceptions. Schema:
 *
 *   trusted:
 *     users: [alice@example.com]          # identities whose kubectl exec/debug is troubleshooting
 *     groups: [platform-sre]
 *     namespaces: [monitoring]            # workloads here: their own behaviour is baseline
 *     images: [registry.example.com/platform/*]
 *     workloads: [DaemonSet/legacy/log-shipper]   # Kind/namespace/name
 *   components:                           # extra node components, same fields as the built-in knowledge
 *     - { id: my-cni, name: My CNI, role: cni, namespaces: [kube-system], workloads: [my-cni],
 *         images: [example/my-cni], binaries: [iptables, ipset], daemons: [my-cni-agent], hostNetwork: true }
 *   exceptions:                           # each combines at least two fields; never one broad field
 *     - reason: nightly backup copies the Redis dump with kubectl cp
 *       expires: 2027-03-31               # optional; expired exceptions stop applying and are reported
 *       cause: workload-baseline          # optional: the benign story (default workload-baseline)
 *       match: { namespace: shop, pod: cart-*, process: tar, title: Exfiltrating* }
 *
 * Match fields: vendor, title, host, namespace, pod, workload, container, image, process, commandLine, user;
 * values are exact or glob (* and ?). Exceptions never override an attack indicator.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Alert } from '../alerts/model.js';
import type { ComponentRole, NodeComponent } from '../knowledge/components.js';
import type { BenignCause, Correlation } from './model.js';

export const MATCH_FIELDS = ['vendor', 'title', 'host', 'namespace', 'pod', 'workload', 'container', 'image', 'process', 'commandLine', 'user'] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];

export interface PolicyException {
  reason: string;
  /** The benign story the exception tells; default workload-baseline. */
  cause: BenignCause;
  expires?: string;
  match: Partial<Record<MatchField, string>>;
  expired: boolean;
}

export interface Policy {
  source: string;
  trustedUsers: string[];
  trustedGroups: string[];
  trustedNamespaces: string[];
  trustedImages: string[];
  trustedWorkloads: string[];
  components: NodeComponent[];
  exceptions: PolicyException[];
}

export class PolicyError extends Error {}

const ROLES: ComponentRole[] = ['cni', 'network-policy', 'kube-proxy', 'dns', 'load-balancer', 'service-mesh', 'csi', 'monitoring', 'logging', 'security-agent', 'cloud-agent', 'tunnel', 'node-maintenance', 'ingress-controller', 'workload-sidecar'];

export function emptyPolicy(source = '(none)'): Policy {
  return { source, trustedUsers: [], trustedGroups: [], trustedNamespaces: [], trustedImages: [], trustedWorkloads: [], components: [], exceptions: [] };
}

function strings(value: unknown, where: string, file: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '')) throw new PolicyError(`${file}: ${where} must be a list of non-empty strings`);
  return value as string[];
}

/** @param today ISO date (YYYY-MM-DD) used to judge expiry; injectable for tests. */
export function parsePolicy(text: string, file: string, today: string): Policy {
  let doc: unknown;
  try {
    // YAML costs ~35 ms to import: only runs with a policy file pay for it.
    const { parse: parseYaml } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    doc = parseYaml(text);
  } catch (error) {
    throw new PolicyError(`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return emptyPolicy(file);
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new PolicyError(`${file}: the policy must be a mapping with trusted, components and exceptions`);
  const d = doc as Record<string, unknown>;
  for (const key of Object.keys(d)) if (!['trusted', 'components', 'exceptions'].includes(key)) throw new PolicyError(`${file}: unknown key "${key}" (expected trusted, components, exceptions)`);
  const policy = emptyPolicy(file);
  const trusted = (d.trusted ?? {}) as Record<string, unknown>;
  if (typeof trusted !== 'object' || Array.isArray(trusted)) throw new PolicyError(`${file}: trusted must be a mapping`);
  for (const key of Object.keys(trusted)) if (!['users', 'groups', 'namespaces', 'images', 'workloads'].includes(key)) throw new PolicyError(`${file}: unknown key trusted.${key}`);
  policy.trustedUsers = strings(trusted.users, 'trusted.users', file);
  policy.trustedGroups = strings(trusted.groups, 'trusted.groups', file);
  policy.trustedNamespaces = strings(trusted.namespaces, 'trusted.namespaces', file);
  policy.trustedImages = strings(trusted.images, 'trusted.images', file);
  policy.trustedWorkloads = strings(trusted.workloads, 'trusted.workloads', file);
  for (const w of policy.trustedWorkloads) if (w.split('/').length !== 3) throw new PolicyError(`${file}: trusted.workloads entry "${w}" must be Kind/namespace/name`);

  const components = d.components ?? [];
  if (!Array.isArray(components)) throw new PolicyError(`${file}: components must be a list`);
  components.forEach((c, i) => {
    const where = `components[${i}]`;
    if (!c || typeof c !== 'object') throw new PolicyError(`${file}: ${where} must be a mapping`);
    const o = c as Record<string, unknown>;
    if (typeof o.id !== 'string' || !o.id) throw new PolicyError(`${file}: ${where}.id is required`);
    if (!ROLES.includes(o.role as ComponentRole)) throw new PolicyError(`${file}: ${where}.role must be one of ${ROLES.join(', ')}`);
    const images = strings(o.images, `${where}.images`, file);
    const namespaces = strings(o.namespaces, `${where}.namespaces`, file);
    if (!images.length || !namespaces.length) throw new PolicyError(`${file}: ${where} needs images and namespaces, so that the cluster can confirm it`);
    policy.components.push({
      id: o.id,
      name: typeof o.name === 'string' ? o.name : o.id,
      role: o.role as ComponentRole,
      namespaces,
      workloads: strings(o.workloads, `${where}.workloads`, file),
      images,
      binaries: strings(o.binaries, `${where}.binaries`, file),
      daemons: strings(o.daemons, `${where}.daemons`, file),
      hostNetwork: o.hostNetwork === true,
      usesInstanceMetadata: o.usesInstanceMetadata === true,
    });
  });

  const exceptions = d.exceptions ?? [];
  if (!Array.isArray(exceptions)) throw new PolicyError(`${file}: exceptions must be a list`);
  exceptions.forEach((e, i) => {
    const where = `exceptions[${i}]`;
    if (!e || typeof e !== 'object') throw new PolicyError(`${file}: ${where} must be a mapping`);
    const o = e as Record<string, unknown>;
    if (typeof o.reason !== 'string' || o.reason.trim() === '') throw new PolicyError(`${file}: ${where}.reason is required: say why this is benign`);
    const match = o.match as Record<string, unknown> | undefined;
    if (!match || typeof match !== 'object') throw new PolicyError(`${file}: ${where}.match is required`);
    for (const [k, v] of Object.entries(match)) {
      if (!(MATCH_FIELDS as readonly string[]).includes(k)) throw new PolicyError(`${file}: ${where}.match.${k} is not a field (use ${MATCH_FIELDS.join(', ')})`);
      if (typeof v !== 'string' || v === '' || /^\*+$/.test(v)) throw new PolicyError(`${file}: ${where}.match.${k} must be a non-empty value that is not just *`);
    }
    if (Object.keys(match).length < 2) throw new PolicyError(`${file}: ${where}.match must combine at least two fields; one broad field would hide too much`);
    let expires: string | undefined;
    if (o.expires !== undefined) {
      expires = o.expires instanceof Date ? o.expires.toISOString().slice(0, 10) : String(o.expires);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(expires)) throw new PolicyError(`${file}: ${where}.expires must be a date YYYY-MM-DD`);
    }
    const causes: BenignCause[] = ['node-networking', 'privileged-root', 'workload-baseline', 'admin-activity', 'ping-pong'];
    if (o.cause !== undefined && !causes.includes(o.cause as BenignCause)) throw new PolicyError(`${file}: ${where}.cause must be one of ${causes.join(', ')}`);
    policy.exceptions.push({ reason: o.reason, cause: (o.cause as BenignCause | undefined) ?? 'workload-baseline', expires, match: match as PolicyException['match'], expired: !!expires && expires < today });
  });
  return policy;
}

export function loadPolicy(path: string | undefined, today: string): Policy | undefined {
  const file = path ?? '.kdr-triage.yaml';
  if (!existsSync(file)) {
    if (path) throw new PolicyError(`${path}: no such policy file`);
    return undefined;
  }
  return parsePolicy(readFileSync(file, 'utf8'), file, today);
}

export function globMatch(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(value);
}

/** The value of a match field for one alert and its correlation. */
export function matchValue(field: MatchField, alert: Alert, correlation: Correlation): string | undefined {
  const s = correlation.subject;
  // The pod's identity comes from the cluster. The alert's own namespace, pod and container names are container labels
  // anyone who reaches the runtime sets: they count only for a pod the audit log shows was created with that name (a
  // gone CI or Job pod), and the alert's image only if that creation ran it.
  const gone = s.pod ? undefined : correlation.gonePod;
  switch (field) {
    case 'vendor':
      return alert.source.vendor;
    case 'title':
      return alert.title;
    case 'host':
      return s.node?.metadata.name ?? alert.host.name;
    case 'namespace':
      return s.pod?.metadata.namespace ?? gone?.namespace;
    case 'pod':
      return s.pod?.metadata.name ?? gone?.name;
    case 'workload':
      return s.workload ? `${s.workload.kind}/${s.workload.namespace}/${s.workload.name}` : undefined;
    case 'container':
      return s.container?.spec.name ?? (gone ? alert.container.name : undefined);
    case 'image':
      if (s.container) return s.container.spec.image;
      return gone && alert.container.image && gone.podSpec?.images?.includes(alert.container.image) ? alert.container.image : undefined;
    case 'process':
      return alert.process.name;
    case 'commandLine':
      return alert.process.commandLine;
    case 'user':
      return alert.process.user ?? alert.apiRequest?.user;
  }
}

