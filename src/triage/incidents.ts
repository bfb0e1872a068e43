/**
 * Alerts of one incident. An alert the cluster cannot explain, on the pod where another alert of the same export shows
 * an attack within minutes (or, for a host or network alert, on the node where it happened), is told as part of that
 * attack: the connection an NDR saw from a node whose pod opened a reverse shell, the node role used after a pod read
 * it from the metadata service — or, wherever it was seen, a connection to an outside address the attack's own command
 * line or connection named (the DNAT target of a hijack, the host a dropper came from). Only the cause and the reasons
 * of a genuine verdict change: the label never does, and nothing benign is weakened or explained by it. The attacks are found by the first pass over the export
 * (run.ts, with the replica counts), with the attack-indicator rules only.
 */
import { basename } from 'node:path';
import type { Alert } from '../alerts/model.js';
import type { ClusterIndex } from '../cluster/model.js';
import { isPrivateAddress } from '../cluster/audit-identities.js';
import { ATTACK_INDICATORS } from '../knowledge/indicators.js';
import { STRENGTH_WEIGHT, type Correlation, type Evidence, type Rule, type TriageResult } from './model.js';

export interface AttackSite {
  time: number;
  /** What the attack was: "a reverse shell". */
  what: string;
  file: string;
  record: number;
  /** "pod shop/storefront-7b9d" or "node ip-10-0-4-37". */
  where: string;
}

/** Attack sites by place: `<cluster>\0pod\0<namespace>/<name>`, `<cluster>\0node\0<name>` and `<cluster>\0addr\0<outside address>`. */
export type AttackSites = Map<string, AttackSite[]>;

/** How close in time two alerts must be to be told as one incident: a shell and its connection, a theft and its use. */
const INCIDENT_WINDOW_MS = 5 * 60_000;
/**
 * A later connection from the very pod of an attack to the outside address that attack named (the implant it started
 * beaconing home, the dropper's host called again) is tied by place and address at once: for longer.
 */
const PLACE_AND_ADDRESS_WINDOW_MS = 60 * 60_000;
/**
 * Places (pods, nodes, outside addresses) and attacks per place kept per export: the first pass holds aggregates,
 * never every alert, and an export full of attacks needs no linking to find them.
 */
const MAX_PLACES = 10_000;
const MAX_SITES_PER_PLACE = 256;

const podKey = (cluster: string, namespace: string | undefined, name: string) => `${cluster}\0pod\0${namespace ?? ''}/${name}`;
const nodeKey = (cluster: string, name: string) => `${cluster}\0node\0${name}`;
const addressKey = (cluster: string, ip: string) => `${cluster}\0addr\0${ip}`;

const IPV4_LITERAL = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g;
/** An address that names no outside host: private, shared, loopback, link-local or unspecified. */
const inside = (ip: string) => isPrivateAddress(ip) || ip.startsWith('0.');

/** Outside IPv4 addresses an attack alert names: in its command line and as the far end of its connection. */
function outsideAddresses(alert: Alert, index: ClusterIndex): string[] {
  const found = new Set<string>(alert.process.commandLine?.match(IPV4_LITERAL) ?? []);
  if (alert.network?.dstIp) found.add(alert.network.dstIp);
  return [...found].filter((ip) => !inside(ip) && ip.split('.').every((o) => Number(o) <= 255) && !index.findNode(ip));
}
const clusterOf = (correlation: Correlation, index: ClusterIndex) => correlation.cluster ?? index.clusters[0] ?? '';

function whatOf(evidence: Evidence): string {
  const id = evidence.facts?.indicator;
  return ATTACK_INDICATORS.find((i) => i.id === id)?.what ?? (id === 'server-spawned-shell' ? 'a shell started by a server process' : `an attack (${evidence.rule})`);
}

/**
 * First pass: when the attack-indicator rules give this alert strong evidence (its verdict will be an attack whatever
 * else holds), remember where and when. `rules` are those rules (rules/index.ts, family attack-indicators).
 */
export function noteAttackSite(sites: AttackSites, alert: Alert, correlation: Correlation, index: ClusterIndex, rules: readonly Rule[]): void {
  const { pod, node } = correlation.subject;
  if (!alert.time || (!pod && !node) || sites.size >= MAX_PLACES) return;
  const context = { alert, correlation, index };
  let strongest: Evidence | undefined;
  for (const rule of rules) {
    for (const e of rule.evaluate(context)) {
      if (e.direction === 'malicious' && STRENGTH_WEIGHT[e.strength] >= STRENGTH_WEIGHT.strong && (!strongest || STRENGTH_WEIGHT[e.strength] > STRENGTH_WEIGHT[strongest.strength])) strongest = e;
    }
  }
  if (!strongest) return;
  const cluster = clusterOf(correlation, index);
  const nodeName = node?.metadata.name ?? pod?.spec.nodeName;
  const site: AttackSite = {
    time: Date.parse(alert.time),
    what: whatOf(strongest),
    file: alert.source.file,
    record: alert.source.record,
    where: pod ? `pod ${pod.metadata.namespace}/${pod.metadata.name}` : `node ${nodeName}`,
  };
  const add = (key: string) => {
    const list = sites.get(key);
    if (!list) sites.set(key, [site]);
    else if (list.length < MAX_SITES_PER_PLACE) list.push(site);
  };
  if (pod) add(podKey(cluster, pod.metadata.namespace, pod.metadata.name));
  if (nodeName) add(nodeKey(cluster, nodeName));
  for (const ip of outsideAddresses(alert, index)) add(addressKey(cluster, ip));
}

/**
 * The nearest attack another alert of the export shows on the alert's own pod within minutes, if any (first pass only:
 * no sites for inputs too large for it). For a rule whose story is that the sensor is wrong about this pod.
 */
export function attackOnSamePod(sites: AttackSites | undefined, alert: Alert, correlation: Correlation, index: ClusterIndex): { site: AttackSite; gap: string } | undefined {
  const pod = correlation.subject.pod;
  if (!sites?.size || !pod || !alert.time) return undefined;
  const here = sites.get(podKey(clusterOf(correlation, index), pod.metadata.namespace, pod.metadata.name));
  if (!here) return undefined;
  const time = Date.parse(alert.time);
  const nearest = nearestSite(here, alert, time, () => INCIDENT_WINDOW_MS);
  return nearest && { site: nearest, gap: describeGap(time - nearest.time) };
}

/** The site nearest in time to the alert (not the alert itself) within its window. */
function nearestSite(sites: readonly AttackSite[], alert: Alert, time: number, windowOf: (site: AttackSite) => number): AttackSite | undefined {
  let nearest: AttackSite | undefined;
  for (const site of sites) {
    if (site.file === alert.source.file && site.record === alert.source.record) continue;
    if (Math.abs(time - site.time) > windowOf(site)) continue;
    if (!nearest || Math.abs(time - site.time) < Math.abs(time - nearest.time)) nearest = site;
  }
  return nearest;
}

function describeGap(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  const span = seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return ms === 0 ? 'at the same time' : `${span} ${ms > 0 ? 'after' : 'before'} it`;
}

/**
 * Second pass: a genuine verdict the cluster could not explain, on the pod (or, for an alert placed on a node only,
 * the node) of an attack site within the window, is that attack's: the nearest such site is named.
 */
export function linkToIncident(result: TriageResult, sites: AttackSites | undefined, index: ClusterIndex | undefined): TriageResult {
  const { alert, correlation, verdict } = result;
  if (!sites?.size || !index || verdict.label !== 'genuine' || verdict.cause !== 'unexplained' || !alert.time) return result;
  const { pod, node } = correlation.subject;
  const cluster = clusterOf(correlation, index);
  const key = pod ? podKey(cluster, pod.metadata.namespace, pod.metadata.name) : node ? nodeKey(cluster, node.metadata.name) : undefined;
  const far = alert.network?.dstIp;
  const here = (key && sites.get(key)) || [];
  const named = (far && !inside(far) && sites.get(addressKey(cluster, far))) || [];
  const candidates = [...here, ...named];
  if (!candidates.length) return result;
  const time = Date.parse(alert.time);
  // Only a pod is a place precise enough to hold the tie longer: a node carries many workloads' traffic.
  const placeAndAddress = (site: AttackSite) => !!pod && here.includes(site) && named.includes(site) && time >= site.time;
  const nearest = nearestSite(candidates, alert, time, (site) => (placeAndAddress(site) ? PLACE_AND_ADDRESS_WINDOW_MS : INCIDENT_WINDOW_MS));
  if (!nearest) return result;
  const reason: Evidence = {
    rule: 'same-incident',
    direction: 'malicious',
    strength: 'weak',
    message: `Part of an attack: ${nearest.what} on ${nearest.where} (${basename(nearest.file)} record ${nearest.record})${here.includes(nearest) && !(placeAndAddress(nearest) && time - nearest.time > INCIDENT_WINDOW_MS) ? '' : `, which named ${far}, this connection's destination`}, this alert ${describeGap(time - nearest.time)}, and the cluster explains neither.`,
    facts: { incidentFile: basename(nearest.file), incidentRecord: nearest.record },
  };
  return { ...result, verdict: { ...verdict, cause: 'attack', reasons: [reason, ...verdict.reasons] } };
}
