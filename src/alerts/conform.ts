/**
 * The last check between a vendor profile and the rest of the pipeline: an Alert whose fields do not have the types
 * the model promises (a title that is an array, a port that is a string) would crash a report half-way through a run.
 * Such a record is rejected with a warning instead, like any other bad record.
 */
import type { Alert } from './model.js';

const SEVERITIES = new Set(['critical', 'high', 'medium', 'low', 'informational', 'unknown']);
const ACTIONS = new Set(['detected', 'blocked', 'killed', 'quarantined', 'unknown']);
const PROCESS_FIELDS = ['name', 'path', 'commandLine', 'pid', 'user', 'uid', 'hash', 'startTime'] as const;
const CONTAINER_FIELDS = ['id', 'name', 'image', 'pod', 'namespace', 'podUid', 'cgroupPath'] as const;
const NETWORK_TEXT = ['srcIp', 'dstIp', 'protocol', 'appProtocol', 'domain', 'url', 'httpMethod', 'userAgent', 'interface', 'direction'] as const;
const API_TEXT = ['user', 'verb', 'resource', 'subresource', 'namespace', 'name', 'userAgent', 'requestUri'] as const;

const isText = (v: unknown) => typeof v === 'string';
const optionalText = (v: unknown) => v === undefined || typeof v === 'string';
const textList = (v: unknown) => Array.isArray(v) && v.every(isText);
const optionalPort = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535);

function fieldsOk(record: object | undefined, fields: readonly string[]): string | undefined {
  if (record === undefined) return undefined;
  for (const f of fields) if (!optionalText((record as Record<string, unknown>)[f])) return f;
  return undefined;
}

/** Why the alert breaks the model, or undefined when it conforms. */
export function alertProblem(alert: Alert): string | undefined {
  if (!isText(alert.id)) return 'id';
  if (!isText(alert.title)) return 'title';
  if (alert.time !== null && !isText(alert.time)) return 'time';
  if (!SEVERITIES.has(alert.severity)) return 'severity';
  if (!ACTIONS.has(alert.action)) return 'action';
  if (!textList(alert.tactics)) return 'tactics';
  if (!textList(alert.techniques)) return 'techniques';
  for (const f of ['cluster', 'description', 'sensor'] as const) if (!optionalText(alert[f])) return f;
  if (!alert.host || !textList(alert.host.ips) || !optionalText(alert.host.name) || !optionalText(alert.host.instanceId)) return 'host';
  const container = fieldsOk(alert.container, CONTAINER_FIELDS);
  if (!alert.container || container) return `container.${container ?? ''}`;
  if (!alert.process || !Array.isArray(alert.process.ancestors)) return 'process';
  for (const p of [alert.process, ...alert.process.ancestors]) {
    const bad = p && typeof p === 'object' ? fieldsOk(p, PROCESS_FIELDS) : 'ancestor';
    if (bad) return `process.${bad}`;
  }
  const file = fieldsOk(alert.file, ['path', 'name', 'hash']);
  if (file) return `file.${file}`;
  const network = fieldsOk(alert.network, NETWORK_TEXT);
  if (network) return `network.${network}`;
  if (alert.network && (!optionalPort(alert.network.srcPort) || !optionalPort(alert.network.dstPort))) return 'network port';
  const api = fieldsOk(alert.apiRequest, API_TEXT);
  if (api) return `apiRequest.${api}`;
  return undefined;
}
