/**
 * The generic mapping: for records no vendor profile claims. It looks for the field names products commonly use —
 * host / hostname / host.name / computer_name / DeviceName / node…, container.id / containerId, pod / k8s.pod.name,
 * namespace, process name / path / command line / pid / user / parent, time / @timestamp / created…, severity,
 * title / rule / signature, source and destination IP and port, domain and URL — in any nesting and spelling:
 * keys are compared lower-case with separators removed, so "host.name", "host_name", {"host":{"name":…}} and
 * "HostName" are the same field.
 */
import type { Alert, AlertSource } from '../model.js';
import { RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { finish, isRecord, newAlert } from './common.js';
import { TARGET_FIELDS } from './targets.js';
import type { ValueContext } from './targets.js';

/** Tool field → normalised candidate keys, most specific first. */
export const GENERIC_CANDIDATES: Record<string, string[]> = {
  id: ['alertid', 'detectionid', 'findingid', 'eventid', 'id', 'uuid'],
  time: [
    'timestamp', 'time', 'eventtime', 'eventtimestamp', 'datetime', 'timegenerated', 'detectiontime', 'detectedat', 'detecttime',
    'alerttime', 'createdat', 'created', 'createdtime', 'createdtimestamp', 'createddatetime', 'starttime', 'starttimeutc',
    'firstseen', 'firstactivity', 'firstactivitydatetime', 'occurredat', 'eventcreationtime', 'receipttime', 'rt', 'ts', 'date', 'logtime',
  ],
  title: [
    'title', 'alerttitle', 'alertname', 'alertdisplayname', 'displayname', 'rulename', 'ruletitle', 'rule', 'signature',
    'alertsignature', 'detectionname', 'threatname', 'eventname', 'note', 'name', 'activity', 'msg', 'message',
  ],
  description: ['description', 'alertdescription', 'ruledescription', 'output', 'details', 'summary', 'message'],
  severity: ['severity', 'severityname', 'alertseverity', 'severitylevel', 'priority', 'level', 'rulelevel', 'risklevel', 'riskscore'],
  action: ['actiontaken', 'action', 'disposition', 'eventoutcome', 'outcome', 'response'],
  tactics: ['tactics', 'tactic', 'tacticid', 'mitretactics', 'mitretactic', 'threattacticid', 'threattacticname', 'tags'],
  techniques: ['techniques', 'technique', 'techniqueid', 'mitretechniques', 'mitretechnique', 'attacktechniques', 'mitreattack', 'threattechniqueid', 'tags'],
  cluster: ['clustername', 'cluster', 'k8sclustername', 'kubernetesclustername', 'orchestratorclustername', 'eksclustername'],
  'host.name': [
    'hostname', 'hosthostname', 'host', 'hostfqdn', 'fqdn', 'computername', 'computer', 'devicename', 'dvchost', 'nodename', 'node',
    'k8snodename', 'kubernetesnodename', 'machinename', 'machine', 'agentname', 'endpointname', 'workstation', 'servername',
  ],
  'host.ips': ['hostip', 'hostips', 'localip', 'deviceip', 'agentip', 'nodeip', 'ipaddress', 'ip', 'hostaddress', 'internalip', 'privateip', 'deviceaddress'],
  'host.instanceId': ['instanceid', 'cloudinstanceid', 'ec2instanceid', 'vmid'],
  'container.id': ['containerid', 'containerfullid', 'container', 'dockerid'],
  'container.name': ['containername'],
  'container.image': ['containerimage', 'containerimagename', 'containerimagerepository', 'imagename'],
  'container.pod': ['podname', 'k8spodname', 'kubernetespodname', 'kubernetespod', 'pod'],
  'container.namespace': [
    'namespace', 'podnamespace', 'k8snsname', 'k8snamespace', 'k8snamespacename', 'kubernetesnamespace', 'kubernetesnamespacename',
    'namespacename', 'orchestratornamespace', 'kubenamespace',
  ],
  'container.podUid': ['poduid', 'k8spoduid', 'kubernetespoduid'],
  'container.privileged': ['privileged', 'containerprivileged'],
  'process.name': ['processname', 'procname', 'processimagename', 'process', 'comm', 'exe'],
  'process.path': ['processpath', 'processexecutable', 'processexecutablepath', 'executable', 'executablepath', 'exepath', 'procexepath', 'processimagepath', 'imagepath'],
  'process.commandLine': ['commandline', 'processcommandline', 'cmdline', 'proccmdline', 'processcmdline', 'cmd', 'command'],
  'process.pid': ['pid', 'processid', 'procpid', 'processpid'],
  'process.user': ['username', 'user', 'processuser', 'processusername', 'accountname', 'account', 'suser'],
  'process.uid': ['uid', 'useruid', 'userid', 'processuid', 'processuserid'],
  'process.hash': ['sha256', 'processsha256', 'processhash', 'hash', 'filehash', 'sha1', 'md5'],
  'process.parent.name': [
    'processparentname', 'parentprocessname', 'parentname', 'procpname', 'pname', 'parentprocess', 'parentimage', 'parentprocessfilename', 'initiatingprocessfilename',
  ],
  'process.parent.path': ['processparentexecutable', 'parentprocesspath', 'parentexecutable', 'parentimagepath', 'procpexepath'],
  'process.parent.commandLine': ['processparentcommandline', 'parentcommandline', 'parentcmdline', 'procpcmdline', 'pcmdline', 'parentprocesscommandline', 'initiatingprocesscommandline'],
  'process.parent.pid': ['processparentpid', 'processppid', 'ppid', 'parentpid', 'parentprocessid', 'procppid', 'initiatingprocessid'],
  'file.path': ['filepath', 'targetfilename', 'filename', 'file'],
  'network.srcIp': ['srcip', 'sourceip', 'sourceipaddress', 'sourceaddress', 'src', 'clientip', 'srcaddr', 'idorigh', 'origip'],
  'network.srcPort': ['srcport', 'sourceport', 'spt', 'clientport', 'sport', 'idorigp'],
  'network.dstIp': ['dstip', 'destip', 'destinationip', 'destinationipaddress', 'destinationaddress', 'dst', 'serverip', 'remoteip', 'dstaddr', 'idresph'],
  'network.dstPort': ['dstport', 'destport', 'destinationport', 'dpt', 'serverport', 'remoteport', 'dport', 'idrespp'],
  'network.protocol': ['protocol', 'proto', 'transport', 'networkprotocol', 'l4proto'],
  'network.domain': ['domain', 'dnsquery', 'query', 'queryname', 'dnsname', 'dnsquestionname', 'destinationdomain', 'remotedomain', 'sni'],
  'network.url': ['url', 'requesturl', 'remoteurl', 'httpurl', 'urlfull', 'urloriginal', 'uri'],
  'network.userAgent': ['useragent', 'httpuseragent', 'useragentoriginal'],
};

const MAX_DEPTH = 5;
const MAX_KEYS = 2000;

/** Lower-case, without separators or a trailing " [UTC]" (Sentinel CSV headers). */
export function normalizeKey(key: string): string {
  return key
    .replace(/\s*\[utc\]\s*$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Every leaf of the record under its normalised path, shallow paths first (breadth first), the first occurrence of a
 * normalised path winning. Arrays of scalars are leaves; of arrays of objects only the first element is read.
 */
export function flattenRecord(record: RawRecord): Map<string, unknown> {
  const out = new Map<string, unknown>();
  let level: [string, unknown][] = Object.entries(record);
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0 && out.size < MAX_KEYS; depth++) {
    const next: [string, unknown][] = [];
    for (const [key, value] of level) {
      if (out.size >= MAX_KEYS) break;
      const first = Array.isArray(value) && value.length > 0 && isRecord(value[0]) ? value[0] : value;
      if (isRecord(first)) {
        for (const [k, v] of Object.entries(first)) next.push([`${key}.${k}`, v]);
        continue;
      }
      const norm = normalizeKey(key);
      if (!out.has(norm)) out.set(norm, value);
    }
    level = next;
  }
  return out;
}

/** Fill an alert from the candidates; returns the tool fields that were set. */
export function fillFromCandidates(
  alert: Alert,
  flat: Map<string, unknown>,
  candidates: Record<string, string[]>,
  ctx: ValueContext,
  skip: Set<string> = new Set(),
): Set<string> {
  const filled = new Set<string>();
  for (const [field, keys] of Object.entries(candidates)) {
    if (skip.has(field)) continue;
    const target = TARGET_FIELDS[field];
    for (const key of keys) {
      const value = flat.get(key);
      if (value === undefined || value === null) continue;
      if (target.set(alert, value, ctx)) {
        filled.add(field);
        break;
      }
    }
  }
  return filled;
}

export function mapGeneric(record: RawRecord, source: AlertSource, options: MapOptions | undefined, vendor = 'generic'): Alert {
  const alert = newAlert(record, source, vendor);
  const filled = fillFromCandidates(alert, flattenRecord(record), GENERIC_CANDIDATES, { dateOrder: options?.dateOrder });
  if (!filled.has('time') && !filled.has('title') && !filled.has('host.name')) {
    throw new RecordError('no alert fields recognised (expected a time, a title or a host name)');
  }
  if (!alert.title && alert.process.name) alert.title = `${alert.process.name} on ${alert.host.name ?? 'unknown host'}`;
  return finish(alert);
}

function recognises(record: RawRecord): boolean {
  const flat = flattenRecord(record);
  const any = (field: string): boolean => GENERIC_CANDIDATES[field].some((k) => flat.get(k) !== undefined && flat.get(k) !== null);
  return any('time') || any('title');
}

export const generic: VendorProfile = {
  id: 'generic',
  product: 'Generic (common field names: host, container, pod, namespace, process, time, severity, title, network)',
  detect(record: RawRecord, _hints: DetectHints): number {
    return recognises(record) ? 0.1 : 0;
  },
  map: (record, source, options) => mapGeneric(record, source, options),
  fields: Object.fromEntries(Object.entries(GENERIC_CANDIDATES).map(([field, keys]) => [field, keys.slice(0, 6).join(' | ')])),
};
