/**
 * CrowdStrike Falcon. Four shapes:
 *  - Alerts API v2 records (snake_case: agent_id, device{…}, cmdline, parent_details{…}, pattern_disposition_details{…}),
 *    and the older Detects API summaries (device + behaviors[]), read through the same table;
 *  - the same fields exported from Sentinel's CrowdStrikeDetections table as CSV (PascalCase columns, JSON in cells,
 *    "TimeGenerated [UTC]" headers with dates like "11/06/2026, 08:18:17.083");
 *  - streaming API events ({metadata, event} with PascalCase fields, or the event alone as SIEMs store it);
 *  - CEF lines from the SIEM connector (see readers/cef.ts).
 *
 * The action is read from the disposition flags with care: KillProcess together with PolicyDisabled (value 272,
 * "process would have been killed if related prevention policy setting was enabled") killed nothing.
 */
import { normalizeAction, normalizeSeverity } from '../fields.js';
import type { Alert, AlertAction, AlertSource, ProcessInfo } from '../model.js';
import { asCef } from '../readers/cef.js';
import type { CefRecord } from '../readers/cef.js';
import { RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import {
  addMitre,
  bool,
  clean,
  finish,
  ips,
  isRecord,
  joinPath,
  lineage,
  newAlert,
  numericId,
  obj,
  objects,
  present,
  proc,
  str,
  strs,
  time,
} from './common.js';

const ID = 'crowdstrike';

/** snake_case API key → the PascalCase column Sentinel exports ("local_process_id" → "LocalProcessId"). */
function pascal(key: string): string {
  return key
    .split('_')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/** Read an Alerts API field from an API record or a Sentinel CSV row. */
function apiValue(r: RawRecord, key: string): unknown {
  if (r[key] !== undefined) return r[key];
  const p = pascal(key);
  return r[p] !== undefined ? r[p] : r[`${p} [UTC]`];
}

function apiTime(r: RawRecord, options: MapOptions | undefined, ...keys: string[]): string | null {
  for (const k of keys) {
    const t = time({ v: apiValue(r, k) }, options, 'v');
    if (t !== null) return t;
  }
  return null;
}

function apiStr(r: RawRecord, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = clean(apiValue(r, k));
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Disposition flags, whatever their spelling: kill_process, KillProcess, killprocess. */
function flagReader(flags: RawRecord): (name: string) => boolean | undefined {
  const byKey = new Map<string, unknown>();
  for (const [k, v] of Object.entries(flags)) byKey.set(k.toLowerCase().replace(/_/g, ''), v);
  return (name) => bool({ v: byKey.get(name) }, 'v');
}

/** Bits of pattern_disposition whose meaning the published values confirm (16, 272, 2048, 2176). */
const BIT_KILL_PROCESS = 16;
const BIT_QUARANTINE_FILE = 128;
const BIT_POLICY_DISABLED = 256;
const BIT_PROCESS_BLOCKED = 2048;

export function dispositionAction(flagsValue: unknown, value: unknown, description: string | undefined, quarantinedStates: string[] = []): AlertAction {
  const flags = obj(flagsValue);
  if (flags && Object.keys(flags).length > 0) {
    const f = flagReader(flags);
    if (f('policydisabled') || f('sensoronly')) return 'detected';
    const killFailed = f('killactionfailed') === true;
    if (f('quarantinefile') && !quarantinedStates.some((s) => /fail/i.test(s))) return 'quarantined';
    if (!killFailed && (f('killprocess') || f('killsubprocess') || f('killparent'))) return 'killed';
    if (f('processblocked') || f('operationblocked') || f('fsoperationblocked') || f('registryoperationblocked') || f('suspendprocess')) return 'blocked';
    if (f('quarantinemachine')) return 'quarantined';
    return 'detected';
  }
  const text = description?.toLowerCase();
  if (text) {
    if (/would have been|standard detection|not (?:been )?(?:killed|blocked)/.test(text)) return 'detected';
    if (/quarantin/.test(text)) return 'quarantined';
    if (/killed|kill/.test(text)) return 'killed';
    if (/block|prevent/.test(text)) return 'blocked';
    if (/detect/.test(text)) return 'detected';
  }
  const bits = Number(clean(value));
  if (Number.isInteger(bits) && bits >= 0) {
    if (bits & BIT_POLICY_DISABLED) return 'detected';
    if (bits & BIT_QUARANTINE_FILE) return 'quarantined';
    if (bits & BIT_KILL_PROCESS) return 'killed';
    if (bits & BIT_PROCESS_BLOCKED) return 'blocked';
    if (bits === 0) return 'detected';
  }
  return description ? normalizeAction(description) : 'unknown';
}

function severity(name: string | undefined, value: string | undefined): Alert['severity'] {
  const s = normalizeSeverity(name);
  return s !== 'unknown' ? s : normalizeSeverity(value);
}

/** Process details blocks (parent_details, grandparent_details) of the Alerts API. */
function details(value: unknown): ProcessInfo | undefined {
  const d = obj(value);
  if (!d) return undefined;
  return proc({
    name: str(d, 'filename'),
    path: str(d, 'filepath'),
    commandLine: str(d, 'cmdline'),
    pid: str(d, 'local_process_id'),
    user: str(d, 'user_name'),
    uid: numericId(str(d, 'user_id')),
    hash: str(d, 'sha256'),
  });
}

function mapApi(r: RawRecord, alert: Alert, options: MapOptions | undefined): void {
  // Detects API summaries hold the detection in behaviors[]; read the first behaviour as the alert body.
  const behaviour = objects(r.behaviors)[0];
  const body: RawRecord = behaviour ? { ...r, ...behaviour } : r;
  const device = obj(apiValue(body, 'device')) ?? {};

  alert.id = apiStr(body, 'composite_id', 'id', 'indicator_id', 'detection_id', 'behavior_id') ?? alert.id;
  alert.time = apiTime(body, options, 'timestamp', 'context_timestamp', 'created_timestamp', 'first_behavior', 'time_generated');
  alert.title = apiStr(body, 'display_name', 'name', 'scenario') ?? 'CrowdStrike detection';
  alert.description = apiStr(body, 'description');
  alert.severity = severity(apiStr(body, 'severity_name', 'max_severity_displayname'), apiStr(body, 'severity', 'max_severity'));

  const mitreAttack = objects(apiValue(body, 'mitre_attack'));
  addMitre(
    alert,
    [...strs(body, 'tactic_id', 'technique_id', 'TacticId', 'TechniqueId'), ...mitreAttack.flatMap((m) => strs(m, 'tactic_id', 'technique_id'))],
    [...strs(body, 'tactic', 'Tactic'), ...mitreAttack.flatMap((m) => strs(m, 'tactic'))],
  );

  alert.host.name = str(device, 'hostname') ?? apiStr(body, 'computer_name', 'hostname', 'worker_node_name');
  alert.host.ips = ips(str(device, 'local_ip'), apiStr(body, 'local_ip'));
  alert.host.instanceId = str(device, 'instance_id', 'service_provider_instance_id');
  alert.cluster = apiStr(body, 'cluster_name') ?? str(device, 'k8s_cluster_name');

  alert.container.id = apiStr(body, 'container_id');
  alert.container.pod = apiStr(body, 'pod_name') ?? str(device, 'pod_name');
  alert.container.namespace = apiStr(body, 'namespace') ?? str(device, 'pod_namespace');
  alert.container.image = apiStr(body, 'image_name', 'image_id');

  const user = apiStr(body, 'user_name');
  alert.process = {
    name: apiStr(body, 'filename'),
    path: apiStr(body, 'filepath'),
    commandLine: apiStr(body, 'cmdline'),
    pid: apiStr(body, 'local_process_id'),
    user,
    uid: numericId(apiStr(body, 'user_id')),
    hash: apiStr(body, 'sha256'),
    startTime: apiTime(body, options, 'process_start_time') ?? undefined,
    ancestors: lineage(details(apiValue(body, 'parent_details')), details(apiValue(body, 'grandparent_details'))),
  };

  const quarantined = objects(apiValue(body, 'quarantined_files')).flatMap((q) => strs(q, 'state'));
  alert.action = dispositionAction(
    apiValue(body, 'pattern_disposition_details'),
    apiValue(body, 'pattern_disposition'),
    apiStr(body, 'pattern_disposition_description'),
    quarantined,
  );
}

function mapStreaming(event: RawRecord, metadata: RawRecord, alert: Alert, options: MapOptions | undefined): void {
  alert.id = str(event, 'CompositeId', 'DetectId', 'CompositeID') ?? alert.id;
  alert.time =
    time(event, options, 'UTCTimestamp', 'ContextTimeStamp', 'Timestamp', 'timestamp') ??
    time(metadata, options, 'eventCreationTime') ??
    time(event, options, 'ProcessStartTime');
  alert.title = str(event, 'DetectName', 'Name', 'Objective') ?? 'CrowdStrike detection';
  alert.description = str(event, 'DetectDescription', 'Description');
  alert.severity = severity(str(event, 'SeverityName'), str(event, 'Severity'));
  addMitre(alert, strs(event, 'TacticId', 'TechniqueId', 'Technique'), strs(event, 'Tactic'));

  alert.host.name = str(event, 'Hostname', 'ComputerName', 'HostName');
  alert.host.ips = ips(str(event, 'LocalIP'), str(event, 'LocalIPv6'));
  alert.cluster = str(event, 'ClusterName');
  alert.container.id = str(event, 'ContainerId');
  alert.container.pod = str(event, 'PodName');
  alert.container.namespace = str(event, 'PodNamespace', 'Namespace');

  const fileName = str(event, 'FileName');
  const grandparent = proc({
    name: str(event, 'GrandParentImageFileName'),
    path: str(event, 'GrandParentImageFilePath'),
    commandLine: str(event, 'GrandParentCommandLine'),
  });
  const parent = proc({
    name: str(event, 'ParentImageFileName'),
    path: str(event, 'ParentImageFilePath'),
    commandLine: str(event, 'ParentCommandLine'),
    pid: str(event, 'ParentProcessId'),
  });
  alert.process = {
    name: fileName,
    path: joinPath(str(event, 'FilePath'), fileName),
    commandLine: str(event, 'CommandLine'),
    pid: str(event, 'ProcessId'),
    user: str(event, 'UserName'),
    hash: str(event, 'SHA256String'),
    startTime: time(event, options, 'ProcessStartTime') ?? undefined,
    ancestors: lineage(parent, grandparent),
  };
  // A pid of 0 means "not known" in these events.
  for (const p of [alert.process, ...alert.process.ancestors]) if (p.pid === '0') delete p.pid;
  // A parent given only as a path ("/usr/libexec/runningboardd") is a path.
  if (parent?.name?.includes('/') && !parent.path) parent.path = parent.name;

  alert.action = dispositionAction(event.PatternDispositionFlags, event.PatternDispositionValue, str(event, 'PatternDispositionDescription'));
}

function mapCef(cef: CefRecord, alert: Alert, options: MapOptions | undefined): void {
  const labels = cef.cefLabels;
  const label = (name: string): string | undefined => clean(labels[name]);
  alert.id = label('DetectId') ?? str(cef, 'externalId', 'externalID') ?? alert.id;
  alert.time = time(cef, options, 'rt', 'end', 'start', 'syslogTime') ?? time(labels, options, 'ProcessStartTime');
  alert.title = label('DetectName') ?? (cef.name || 'CrowdStrike detection');
  alert.description = str(cef, 'msg') ?? label('DetectDescription');
  alert.severity = normalizeSeverity(cef.severity, 'ten');
  addMitre(alert, [label('Technique') ?? '', label('TechniqueId') ?? ''], [label('Tactic') ?? '', str(cef, 'cat') ?? '']);
  alert.host.name = str(cef, 'dhost', 'shost', 'dvchost');
  alert.host.ips = ips(str(cef, 'dvc'), str(cef, 'src'));
  const fileName = str(cef, 'fname');
  alert.process = {
    name: fileName,
    path: joinPath(str(cef, 'filePath'), fileName),
    commandLine: label('CommandLine'),
    pid: label('ProcessId'),
    user: str(cef, 'duser', 'suser'),
    hash: str(cef, 'fileHash'),
    ancestors: lineage(proc({ pid: label('ParentProcessId'), commandLine: label('ParentCommandLine'), name: label('ParentImageFileName') })),
  };
  alert.action = dispositionAction(undefined, label('PatternDispositionValue'), label('PatternDispositionDescription') ?? str(cef, 'act'));
}

function streamingParts(r: RawRecord): { event: RawRecord; metadata: RawRecord } | undefined {
  if (isRecord(r.event) && isRecord(r.metadata)) return { event: r.event, metadata: r.metadata };
  // The event alone, as Panther and other SIEMs store it.
  if (present(r, 'PatternDispositionValue', 'PatternDispositionFlags', 'ParentImageFileName', 'SHA256String', 'AgentIdString') >= 2) {
    return { event: r, metadata: {} };
  }
  return undefined;
}

function isCrowdStrikeCef(r: RawRecord): CefRecord | undefined {
  const cef = asCef(r);
  return cef && /crowdstrike/i.test(cef.deviceVendor) ? cef : undefined;
}

export const crowdstrike: VendorProfile = {
  id: ID,
  product: 'CrowdStrike Falcon (Alerts API, Detects API, streaming API, Sentinel CSV, CEF)',
  detect(record: RawRecord, _hints: DetectHints): number {
    const meta = isRecord(record.metadata) ? record.metadata : undefined;
    if (meta && isRecord(record.event) && /detection|crowdstrike|epp/i.test(String(meta.eventType ?? ''))) return 1;
    if (isCrowdStrikeCef(record)) return 1;
    const api = present(record, 'pattern_disposition', 'pattern_disposition_details', 'falcon_host_link', 'composite_id', 'agent_id', 'parent_details', 'behaviors', 'detection_id');
    if (api >= 2) return 1;
    const csv = present(record, 'PatternDisposition', 'PatternDispositionDescription', 'PatternDispositionDetails', 'FalconHostLink', 'CompositeId', 'ParentDetails', 'GrandparentDetails');
    if (csv >= 2) return 0.95;
    const streaming = present(record, 'PatternDispositionValue', 'PatternDispositionFlags', 'ParentImageFileName', 'SHA256String', 'FalconHostLink', 'AgentIdString', 'AgentId');
    if (streaming >= 2) return 0.95;
    return 0;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    const alert = newAlert(record, source, ID);
    const cef = isCrowdStrikeCef(record);
    const streaming = cef ? undefined : streamingParts(record);
    if (cef) mapCef(cef, alert, options);
    else if (streaming) mapStreaming(streaming.event, streaming.metadata, alert, options);
    else if (present(record, 'cmdline', 'Cmdline', 'device', 'Device', 'pattern_disposition', 'PatternDisposition', 'behaviors', 'composite_id', 'CompositeId') > 0) mapApi(record, alert, options);
    else throw new RecordError('not a CrowdStrike alert: none of device, cmdline, pattern_disposition, event, CEF header');
    return finish(alert);
  },
  fields: {
    id: 'composite_id | CompositeId | CEF externalId',
    time: 'timestamp | context_timestamp | created_timestamp | "TimeGenerated [UTC]" | event.UTCTimestamp | metadata.eventCreationTime (ms) | CEF rt',
    title: 'display_name | name | event.DetectName | event.Name | CEF name',
    severity: 'severity_name | severity (0–100) | SeverityName',
    action: 'pattern_disposition_details{kill_process, policy_disabled, process_blocked, quarantine_file, …} | PatternDispositionFlags | pattern_disposition | description',
    'tactics/techniques': 'tactic_id | technique_id | tactic name | MitreAttack[]',
    'host.name': 'device.hostname | event.Hostname | CEF dhost',
    'host.ips': 'device.local_ip | event.LocalIP',
    'host.instanceId': 'device.instance_id',
    cluster: 'cluster_name',
    'container.id/pod/namespace': 'container_id | pod_name | device.pod_name | namespace | device.pod_namespace',
    'process.name/path': 'filename | filepath | event.FileName | event.FilePath | CEF fname, filePath',
    'process.commandLine': 'cmdline | event.CommandLine | CEF CommandLine label',
    'process.pid': 'local_process_id | event.ProcessId | CEF ProcessId label',
    'process.user/uid': 'user_name | user_id (numeric) | event.UserName',
    'process.ancestors': 'parent_details{…}, grandparent_details{…} | event.Parent*, event.GrandParent*',
  },
};
