import { isPrivateAddress } from '../../cluster/audit-identities.js';
import { imageRepository, isRepoOrPathSuffix } from '../../knowledge/components.js';
import { BACKUP_UPLOAD_WINDOW_MS, DATABASE_BACKUP_KINDS, DESTINATION_CHANGE_WINDOW_MS, OBJECT_STORAGE_HOSTS, OBJECT_STORAGE_PORTS } from '../../knowledge/database-hooks.js';
import type { Node } from '../../cluster/model.js';
import type { Rule } from '../model.js';
import { benign, clip, describePod, executableNames, malicious } from './support.js';

/** The cloud a node runs in, from its providerID's scheme (`aws:///…`, `gce://…`, `azure://…`). */
function providerOf(node: Node | undefined): string | undefined {
  return /^([a-z][a-z0-9+.-]*):\/\//i.exec(node?.spec?.providerID ?? '')?.[1]?.toLowerCase();
}

/**
 * database-backup-upload: an NDR sees a database instance pod send gigabytes to object storage. When the audit log shows
 * the database operator creating a backup object in that pod's namespace shortly before, that is the base backup
 * (CloudNativePG's barman-cloud, pgBackRest) on its way to the bucket; the same holds for Velero's node-agent after
 * velero-server created PodVolumeBackups. The bucket is a cloud object store or, on premises, a private address (MinIO,
 * Ceph RGW) — never a public address that is no object store. When the sensor names the uploading process, it
 * must be the operator's backup tool (a shell's rclone or curl is not). Without such a record the upload stays
 * unexplained: the same hosts would take an exfiltration to a foreign bucket.
 *
 * The snapshot holds no BackupStorageLocation (nor the database cluster's object store), so the bucket itself is never
 * confirmed. What the cluster does say is refused: a bucket of another cloud than the one its nodes run in, and a
 * store changed (audit: a BackupStorageLocation created, updated or patched) in the day before the upload — a stolen
 * operator token pointing the backups at the attacker's bucket, then starting a backup.
 */
export const databaseBackupUpload: Rule = {
  id: 'database-backup-upload',
  family: 'workload-baseline',
  direction: 'both',
  description: "A database instance pod uploading to object storage after its operator created a backup object (audit log)",
  evaluate(ctx) {
    const { alert, correlation, index } = ctx;
    const pod = correlation.subject.pod;
    const host = alert.network?.domain?.toLowerCase().replace(/\.$/, '');
    const dstIp = alert.network?.dstIp;
    const store = host ? OBJECT_STORAGE_HOSTS.find((h) => h.host.test(host)) : undefined;
    const cloudStore = !!store;
    const onPremises = !cloudStore && !!dstIp && isPrivateAddress(dstIp) && !dstIp.startsWith('127.') && !dstIp.startsWith('169.254.') && !index.findNode(dstIp) && !index.podByIp(dstIp, alert.time);
    const dstPort = alert.network?.dstPort;
    if (!pod || !alert.time || !(cloudStore || onPremises) || (dstPort !== undefined && !OBJECT_STORAGE_PORTS.has(dstPort))) return [];
    const target = cloudStore ? host! : `${host ? `${host} (${dstIp})` : dstIp}, a private address outside the cluster (self-hosted object storage)`;
    const owners = (pod.metadata.ownerReferences ?? []).map((o) => o.kind);
    const labels = pod.metadata.labels ?? {};
    // A sensor that names the uploading process must name the backup tool: rclone or curl in the same pod is no backup.
    const names = executableNames(alert.process);
    const kinds = DATABASE_BACKUP_KINDS.filter(
      (k) =>
        k.instanceOwnerKinds.some((o) => owners.includes(o)) &&
        k.instanceLabels.some((l) => l in labels) &&
        (!k.instanceImages || pod.spec.containers.some((c) => k.instanceImages!.some((i) => isRepoOrPathSuffix(imageRepository(c.image), i)))) &&
        (names.length === 0 || names.some((n) => k.uploaders.includes(n))),
    );
    if (kinds.length === 0) return [];
    // A bucket of another cloud than the pod's node runs in is no store this cluster was set up with.
    const nodeCloud = store && providerOf(index.nodeOfPod(pod));
    if (store && nodeCloud && OBJECT_STORAGE_HOSTS.some((h) => h.provider === nodeCloud) && nodeCloud !== store.provider) {
      const own = OBJECT_STORAGE_HOSTS.find((h) => h.provider === nodeCloud)!;
      return [
        malicious(
          this.id,
          'weak',
          `${describePod(index, pod)} looks like ${kinds[0].instanceRole ?? 'a database instance'}, but it sends to ${clip(host!, 120)} (${store.cloud}) while its node's providerID places it in ${nodeCloud} (where backups would go to ${own.cloud}): no store of this cluster is known there.`,
          { pod: pod.metadata.name, store: store.cloud },
        ),
      ];
    }
    const t = Date.parse(alert.time);
    const ns = pod.metadata.namespace;
    const created = index.auditActivities.find((a) => {
      const at = Date.parse(a.time);
      return a.verb === 'create' && a.namespace === ns && (a.code === undefined || a.code < 300) && at <= t + 60_000 && at >= t - BACKUP_UPLOAD_WINDOW_MS &&
        kinds.some((k) => k.apiGroup === a.apiGroup && k.resource === a.resource);
    });
    if (!created) return [];
    const kind = kinds.find((k) => k.apiGroup === created.apiGroup && k.resource === created.resource)!;
    // Where the backups go was changed shortly before: the operator is doing its job, but maybe for someone else's bucket.
    const redirected = index.auditActivities.find((a) => {
      const at = Date.parse(a.time);
      return a.namespace === ns && a.subresource === undefined && (a.verb === 'create' || a.verb === 'update' || a.verb === 'patch') && (a.code === undefined || a.code < 300) &&
        at <= t + 60_000 && at >= t - DESTINATION_CHANGE_WINDOW_MS && kind.destinations.some((d) => d.apiGroup === a.apiGroup && d.resource === a.resource);
    });
    if (redirected) {
      return [
        malicious(
          this.id,
          'medium',
          `${describePod(index, pod)} is ${kind.instanceRole ?? 'a database instance'} uploading to ${clip(target, 120)} after ${created.resource} was created, but ${redirected.user} ${redirected.verb === 'create' ? 'created' : 'changed'} ${redirected.resource}${redirected.name ? ` ${redirected.name}` : ''} in ${ns} at ${redirected.time} (audit): where the backups go may have been changed, and the snapshot holds no store to compare the destination with.`,
          { pod: pod.metadata.name, destination: `${redirected.resource}/${redirected.name ?? ''}` },
        ),
      ];
    }
    return [
      benign(
        this.id,
        'workload-baseline',
        'medium',
        `${describePod(index, pod)} is ${kind.instanceRole ?? `a database instance of ${kind.what.split(' (')[0]}`}; ${created.user} created ${created.resource}${created.name ? ` ${created.name}` : ''} in ${ns} at ${created.time} (audit), and its backup goes to ${clip(target, 120)}: ${kind.what}.`,
        { pod: pod.metadata.name },
      ),
    ];
  },
};
