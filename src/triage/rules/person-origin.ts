/**
 * Where a person's requests come from, by the audit log: a stolen token or kubeconfig is used from the thief's
 * machine, not from the network the team works from. The signal is deliberately narrow so that engineers who change
 * networks or upgrade kubectl are not flagged:
 * - the session comes only from public addresses that no other person used in the log,
 * - the same person also worked from a shared origin — an address other people used too (the office or VPN egress),
 * - and the session's client (user agent) is one the person never used from that shared origin.
 * The profile is built once per index from the sessions and activities the audit log kept.
 */
import { identityKind, isPrivateAddress } from '../../cluster/audit-identities.js';
import type { ClusterIndex, ExecSession } from '../../cluster/model.js';

interface Profiles {
  /** address → people who used it */
  peopleByAddress: Map<string, Set<string>>;
  /** person → address → user agents seen from it */
  agentsByPerson: Map<string, Map<string, Set<string>>>;
  /** person → addresses of the requests they made as themselves (no impersonation) */
  ownAddresses: Map<string, Set<string>>;
}

const cache = new WeakMap<ClusterIndex, Profiles>();

function profiles(index: ClusterIndex): Profiles {
  const known = cache.get(index);
  if (known) return known;
  const p: Profiles = { peopleByAddress: new Map(), agentsByPerson: new Map(), ownAddresses: new Map() };
  const note = (user: string, groups: string[], ips: string[], agent: string | undefined, impersonating: boolean): void => {
    if (identityKind(user, groups) !== 'user') return;
    if (!impersonating) {
      let own = p.ownAddresses.get(user);
      if (!own) p.ownAddresses.set(user, (own = new Set()));
      for (const ip of ips) own.add(ip);
    }
    let byAddress = p.agentsByPerson.get(user);
    if (!byAddress) p.agentsByPerson.set(user, (byAddress = new Map()));
    for (const ip of ips) {
      let people = p.peopleByAddress.get(ip);
      if (!people) p.peopleByAddress.set(ip, (people = new Set()));
      people.add(user);
      let agents = byAddress.get(ip);
      if (!agents) byAddress.set(ip, (agents = new Set()));
      if (agent) agents.add(agent);
    }
  };
  for (const s of index.execSessions) note(s.user, s.groups, s.sourceIps, s.userAgent, !!s.impersonatedUser);
  for (const a of index.auditActivities) note(a.user, a.groups, a.sourceIps, a.userAgent, !!a.impersonatedUser);
  cache.set(index, p);
  return p;
}

export interface UnfamiliarOrigin {
  /** The session's addresses, used by no other person. */
  addresses: string[];
  /** The shared addresses the person otherwise works from. */
  usual: string[];
  /** The clients the person used from there. */
  usualAgents: string[];
}

/** The session came from somewhere its person never otherwise works from, with a client they never use there. */
export function unfamiliarOrigin(index: ClusterIndex, s: ExecSession): UnfamiliarOrigin | undefined {
  if (!s.userAgent || s.sourceIps.length === 0 || s.sourceIps.some((ip) => isPrivateAddress(ip))) return undefined;
  const p = profiles(index);
  if (s.sourceIps.some((ip) => [...(p.peopleByAddress.get(ip) ?? [])].some((other) => other !== s.user))) return undefined;
  const mine = p.agentsByPerson.get(s.user);
  if (!mine) return undefined;
  const usual: string[] = [];
  const usualAgents = new Set<string>();
  for (const [ip, agents] of mine) {
    if (s.sourceIps.includes(ip)) continue;
    if ((p.peopleByAddress.get(ip)?.size ?? 0) < 2) continue;
    usual.push(ip);
    for (const a of agents) usualAgents.add(a);
  }
  if (usual.length === 0 || usualAgents.size === 0 || usualAgents.has(s.userAgent)) return undefined;
  return { addresses: [...s.sourceIps], usual: usual.sort(), usualAgents: [...usualAgents].sort() };
}

/** Addresses of this session from which its caller also made requests as themselves, by the audit log. */
export function ownRequestsFrom(index: ClusterIndex, s: ExecSession): string[] {
  const own = profiles(index).ownAddresses.get(s.user);
  return own ? s.sourceIps.filter((ip) => own.has(ip)) : [];
}
