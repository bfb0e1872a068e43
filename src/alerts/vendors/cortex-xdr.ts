/**
 * Palo Alto Cortex XDR alerts (get_alerts / get_alerts_multi_events v2). Most per-event fields are arrays (one value
 * per event of the alert); the first element is read. Times are epoch milliseconds. agent_os_type "NO_HOST" marks
 * alerts from non-endpoint sources (firewalls, third-party feeds): they have no host.
 * For a process-start event (action_process_image_* filled) the alert is about the started process and the actor
 * is its parent; otherwise the actor is the process. Cortex does not name the actor's parent; the causality-group
 * owner (the root of the chain) is kept as the farthest known ancestor when it differs from the actor.
 */
import { normalizeAction, normalizeSeverity } from '../fields.js';
import type { Alert, AlertSource } from '../model.js';
import { RecordError } from './profile.js';
import type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
import { addMitre, finish, ip, ips, newAlert, port, present, proc, str, strs, stripRuntime, time } from './common.js';

const ID = 'cortex-xdr';

export const cortexXdr: VendorProfile = {
  id: ID,
  product: 'Palo Alto Cortex XDR (alerts API v2)',
  detect(record: RawRecord, _hints: DetectHints): number {
    const core = present(record, 'alert_id', 'detection_timestamp', 'local_insert_ts', 'action_pretty', 'agent_os_type', 'matching_service_rule_id', 'causality_actor_process_image_name', 'actor_process_image_name', 'endpoint_id');
    return core >= 4 ? 1 : core >= 3 ? 0.7 : 0;
  },
  map(record: RawRecord, source: AlertSource, options?: MapOptions): Alert {
    if (present(record, 'alert_id', 'detection_timestamp', 'local_insert_ts', 'name') < 2) throw new RecordError('not a Cortex XDR alert: expected alert_id, detection_timestamp, name');
    const alert = newAlert(record, source, ID);
    alert.id = str(record, 'alert_id', 'external_id') ?? alert.id;
    alert.time = time(record, options, 'detection_timestamp', 'event_timestamp', 'local_insert_ts');
    alert.title = str(record, 'name', 'alert_name') ?? 'Cortex XDR alert';
    alert.description = str(record, 'description');
    alert.severity = normalizeSeverity(str(record, 'severity'));
    alert.action = normalizeAction(str(record, 'action', 'action_pretty'));
    addMitre(alert, strs(record, 'mitre_tactic_id_and_name', 'mitre_technique_id_and_name'));

    if (str(record, 'agent_os_type') !== 'NO_HOST') {
      alert.host.name = str(record, 'host_name', 'agent_fqdn');
      alert.host.ips = ips(record.host_ip, record.agent_ip_addresses);
    }
    alert.cluster = str(record, 'cluster_name');
    alert.container.id = stripRuntime(str(record, 'container_id'));
    alert.container.name = str(record, 'container_name');
    alert.container.namespace = str(record, 'namespace');
    alert.container.image = str(record, 'image_name', 'image_id');

    const actor = {
      name: str(record, 'actor_process_image_name'),
      path: str(record, 'actor_process_image_path'),
      commandLine: str(record, 'actor_process_command_line'),
      pid: str(record, 'actor_process_os_pid'),
      user: str(record, 'user_name', 'os_actor_effective_username'),
      hash: str(record, 'actor_process_image_sha256'),
    };
    const causality = proc({
      name: str(record, 'causality_actor_process_image_name'),
      path: str(record, 'causality_actor_process_image_path'),
      commandLine: str(record, 'causality_actor_process_command_line'),
      startTime: time(record, options, 'causality_actor_process_execution_time') ?? undefined,
    });
    const sameAsActor = causality !== undefined && causality.commandLine === actor.commandLine && causality.name === actor.name;
    const started = proc({
      name: str(record, 'action_process_image_name'),
      path: str(record, 'action_process_image_path'),
      commandLine: str(record, 'action_process_image_command_line'),
      pid: str(record, 'action_process_os_pid'),
      user: actor.user,
      hash: str(record, 'action_process_image_sha256'),
    });
    const upper = causality && !sameAsActor ? [causality] : [];
    if (started !== undefined && (started.name !== undefined || started.commandLine !== undefined)) {
      // A process-start event: the actor started the action process, which is what the alert is about.
      const parent = proc({ name: actor.name, path: actor.path, commandLine: actor.commandLine, pid: actor.pid, hash: actor.hash });
      alert.process = { ...started, ancestors: parent ? [parent, ...upper] : upper };
    } else {
      alert.process = { ...actor, ancestors: upper };
    }

    const remoteIp = ip(str(record, 'action_remote_ip'));
    const domain = str(record, 'dns_query_name', 'action_external_hostname', 'fw_url_domain');
    if (remoteIp || domain) {
      alert.network = {
        srcIp: ip(str(record, 'action_local_ip')),
        srcPort: port(record, 'action_local_port'),
        dstIp: remoteIp,
        dstPort: port(record, 'action_remote_port'),
        domain,
        userAgent: str(record, 'user_agent'),
      };
    }
    return finish(alert);
  },
  fields: {
    id: 'alert_id',
    time: 'detection_timestamp | event_timestamp[] | local_insert_ts (epoch ms)',
    title: 'name',
    severity: 'severity',
    action: 'action | action_pretty (DETECTED, REPORTED → detected; BLOCKED, PREVENTED → blocked)',
    'tactics/techniques': 'mitre_tactic_id_and_name[] | mitre_technique_id_and_name[]',
    'host.name/ips': 'host_name | agent_fqdn, host_ip[] (none when agent_os_type is NO_HOST)',
    cluster: 'cluster_name',
    'container.id/name/namespace/image': 'container_id | container_name | namespace | image_name',
    'process.*': 'action_process_image_name[], _image_path[], _command_line[], _os_pid[], _image_sha256[] when the event started a process (its actor is then the parent); otherwise actor_process_image_name[], _image_path[], _command_line[], _os_pid[]; user_name[]',
    'process.ancestors': 'actor_process_* (when a process was started), then causality_actor_process_* (causality-group owner)',
    network: 'action_local_ip[], action_local_port[], action_remote_ip[], action_remote_port[], dns_query_name',
  },
};
