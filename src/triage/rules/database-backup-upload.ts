import { isPrivateAddress } from '../../cluster/audit-identities.js';
import { imageRepository, isRepoOrPathSuffix } from '../../knowledge/components.js';
import { BACKUP_UPLOAD_WINDOW_MS, DATABASE_BACKUP_KINDS, OBJECT_STORAGE_HOSTS, OBJECT_STORAGE_PORTS } from '../../knowledge/database-hooks.js';
import type { Rule } from '../model.js';
import { benign, clip, describePod, executableNames } from './support.js';

/**
 * database-backup-upload: an NDR sees a database instance pod send gigabytes to object storage. When the audit log shows
 * the database operator creating a backup object in that pod's namespace shortly before, that is the base backup
 * (CloudNativePG's barman-cloud, pgBackRest) on its way to the bucket; the same holds for Velero's node-agent after
 * velero-server created PodVolumeBackups. The bucket is a cloud object store or, on premises, a private address (MinIO,
 * Ceph RGW) — never a public address that is no object store. When the sensor names the uploading process, it
 * must be the operator's backup tool (a shell's rclone or curl is not). Without such a record the upload stays
 * unexplained: the same hosts would take an exfiltration to a foreign bucket.
 */
export const databaseBackupUpload: Rule = {
  id: 'database-backup-upload',
  family: 'workload-baseline',
  direction: 'benign',
  description: "A database instance pod uploading to object storage after its operator created a backup object (audit log)",
  evaluate(ctx) {
    const { alert, correlation, index } = ctx;
    const pod = correlation.subject.pod;
    const host = alert.network?.domain?.toLowerCase().replace(/\.$/, '');
    const dstIp = alert.network?.dstIp;
    const cloudStore = !!host && OBJECT_STORAGE_HOSTS.some((h) => h.test(host));
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
    const t = Date.parse(alert.time);
    const ns = pod.metadata.namespace;
    const created = index.auditActivities.find((a) => {
      const at = Date.parse(a.time);
      return a.verb === 'create' && a.namespace === ns && (a.code === undefined || a.code < 300) && at <= t + 60_000 && at >= t - BACKUP_UPLOAD_WINDOW_MS &&
        kinds.some((k) => k.apiGroup === a.apiGroup && k.resource === a.resource);
    });
    if (!created) return [];
    const kind = kinds.find((k) => k.apiGroup === created.apiGroup && k.resource === created.resource)!;
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
