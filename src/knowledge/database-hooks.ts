/**
 * Commands a database server runs through a shell by design. PostgreSQL hands archive_command, restore_command and
 * archive_cleanup_command to `sh -c` (system()), so "a shell started by postgres" is how every WAL archiving setup
 * works; the command it runs is a known archiving tool's, with the segment name as its argument. Anything else under
 * the server (recon, a download, a second command chained to the tool) stays command injection.
 */
export interface DatabaseHook {
  id: string;
  /** What runs it, for messages: "CloudNativePG's WAL archiving". */
  what: string;
  /** Executable names of the server process that runs the hook through a shell. */
  servers: readonly string[];
  /** The whole command handed to the shell (after `-c`). */
  command: RegExp;
  /** A container running this server: its image or its command names one of these. */
  runsServer: RegExp;
  /** The whole command line of a tool the hook's own command runs for the same WAL file (CloudNativePG's manager runs barman-cloud). */
  runsTool?: RegExp;
}

const POSTGRES_SERVERS = ['postgres', 'postmaster'] as const;
/**
 * What PostgreSQL substitutes for %f / %p / %r in these commands: a WAL segment (24 hex digits, maybe .partial), a
 * backup label (….00000028.backup) or a timeline history file, bare (%f) or under pg_wal/ (%p, relative to the data
 * directory). A hook always names one; the archiving tool pointed at anything else (the data directory, a key file, a
 * segment-named copy in /tmp — `COPY … TO PROGRAM` runs through `sh -c` too) is not the hook.
 */
export const WAL_FILE_ARGUMENT = /(?:^|[\s"'])(?:pg_wal\/|pg_xlog\/)?(?:[0-9A-F]{24}(?:\.partial|\.[0-9A-F]{8}\.backup)?|[0-9A-F]{8}\.history)(?=$|[\s"'])/;
/** Images and entrypoints of PostgreSQL containers (upstream, CloudNativePG, Zalando Spilo, Crunchy, Bitnami). */
const POSTGRES_CONTAINER = /postgres|postgresql|cloudnative-pg|\/controller\/manager\s+instance\b|spilo|crunchy-postgres|patroni/i;
/** A segment or file argument: a path, a quoted %p/%f expansion, options — never a second command. */
const ARGS = String.raw`(?:\s+[^\s;&|\`$<>()]+)*\s*$`;

export const DATABASE_HOOKS: readonly DatabaseHook[] = [
  {
    id: 'cloudnative-pg-wal',
    what: "CloudNativePG's WAL archiving (the instance manager's wal-archive / wal-restore)",
    servers: POSTGRES_SERVERS,
    command: new RegExp(String.raw`^(?:\S*/)?controller/manager\s+wal-(?:archive|restore)\b${ARGS}`),
    runsServer: POSTGRES_CONTAINER,
    runsTool: new RegExp(String.raw`^(?:\S*/)?barman-cloud-(?:wal-archive|wal-restore|check-wal-archive)\b${ARGS}`),
  },
  {
    id: 'pgbackrest-wal',
    what: "pgBackRest's WAL archiving (archive-push / archive-get)",
    servers: POSTGRES_SERVERS,
    command: new RegExp(String.raw`^(?:\S*/)?pgbackrest(?:\s+--?[\w-]+(?:=\S+)?)*\s+archive-(?:push|get)\b${ARGS}`),
    runsServer: POSTGRES_CONTAINER,
  },
  {
    id: 'wal-g-wal',
    what: 'WAL-G / WAL-E archiving (wal-push / wal-fetch, as Spilo runs it through envdir)',
    servers: POSTGRES_SERVERS,
    command: new RegExp(String.raw`^(?:(?:\S*/)?envdir\s+["']?[\w./-]+["']?\s+)?(?:\S*/)?wal-[ge]\s+(?:wal-(?:push|fetch)|backup-push)\b${ARGS}`),
    runsServer: POSTGRES_CONTAINER,
  },
  {
    id: 'barman-wal',
    what: "Barman's WAL archiving (barman-wal-archive, barman-cloud-wal-archive / -restore)",
    servers: POSTGRES_SERVERS,
    command: new RegExp(String.raw`^(?:\S*/)?barman-(?:cloud-)?wal-(?:archive|restore)\b${ARGS}`),
    runsServer: POSTGRES_CONTAINER,
  },
  {
    id: 'pg-archivecleanup',
    what: "PostgreSQL's archive_cleanup_command (pg_archivecleanup)",
    servers: POSTGRES_SERVERS,
    command: new RegExp(String.raw`^(?:\S*/)?pg_archivecleanup\b${ARGS}`),
    runsServer: POSTGRES_CONTAINER,
  },
];

/**
 * Database operators whose backups are API objects: creating one (by hand or from a schedule) starts a base backup
 * that the instance pod uploads to object storage. The audit log's creation of such an object is when a large upload
 * from that namespace's database pods begins.
 */
export interface DatabaseBackupKind {
  id: string;
  what: string;
  apiGroup: string;
  resource: string;
  /** A pod of a database instance this operator backs up: its controlling owner's kind, or a label it carries. */
  instanceOwnerKinds: readonly string[];
  instanceLabels: readonly string[];
  /** Programs that upload the backup (executable base names), for a sensor that names the uploading process. */
  uploaders: readonly string[];
  /** Image repository suffixes the uploading pod must run, when its owner kind and labels are generic (a DaemonSet). */
  instanceImages?: readonly string[];
  /** What the uploading pod is, as a noun phrase (default: a database instance). */
  instanceRole?: string;
  /**
   * The API objects dedicated to saying where this operator's backups go (Velero's BackupStorageLocation, the barman
   * plugin's ObjectStore). The snapshot holds none of them, so the bucket itself cannot be compared: a change to one of
   * them shortly before the upload (audit) may have pointed the backups at another store.
   */
  destinations: readonly { apiGroup: string; resource: string }[];
}

const VELERO_DESTINATIONS = [{ apiGroup: 'velero.io', resource: 'backupstoragelocations' }] as const;

export const DATABASE_BACKUP_KINDS: readonly DatabaseBackupKind[] = [
  {
    id: 'cloudnative-pg',
    what: 'CloudNativePG Backup (barman-cloud base backup to object storage)',
    apiGroup: 'postgresql.cnpg.io',
    resource: 'backups',
    instanceOwnerKinds: ['Cluster'],
    instanceLabels: ['cnpg.io/cluster'],
    uploaders: ['barman-cloud-backup', 'barman-cloud-wal-archive', 'manager'],
    // The Cluster's own spec.backup is changed with every other edit of the Cluster: only the plugin's dedicated store.
    destinations: [{ apiGroup: 'barmancloud.cnpg.io', resource: 'objectstores' }],
  },
  {
    id: 'percona-pg',
    what: 'Percona PostgreSQL backup (pgBackRest to object storage)',
    apiGroup: 'pgv2.percona.com',
    resource: 'perconapgbackups',
    instanceOwnerKinds: ['StatefulSet'],
    instanceLabels: ['postgres-operator.crunchydata.com/cluster'],
    uploaders: ['pgbackrest'],
    // The repository is part of the PerconaPGCluster, changed with every other edit of it: no dedicated object.
    destinations: [],
  },
  {
    // Velero's file-system backup: velero-server creates a PodVolumeBackup per volume, and the node-agent on the
    // volume's node uploads its files (kopia or restic) to the backup storage location.
    id: 'velero-fs-backup',
    what: 'Velero file-system backup (the node-agent uploading pod volumes with kopia or restic)',
    apiGroup: 'velero.io',
    resource: 'podvolumebackups',
    instanceOwnerKinds: ['DaemonSet'],
    instanceLabels: ['name', 'component', 'app.kubernetes.io/name'],
    uploaders: ['velero', 'kopia', 'restic'],
    instanceImages: ['velero/velero'],
    instanceRole: 'the Velero node-agent',
    destinations: VELERO_DESTINATIONS,
  },
  {
    // The Backup itself (a schedule's or `velero backup create`): its file-system part is the node-agents' uploads.
    id: 'velero-backup',
    what: 'Velero backup (the node-agent uploading pod volumes with kopia or restic)',
    apiGroup: 'velero.io',
    resource: 'backups',
    instanceOwnerKinds: ['DaemonSet'],
    instanceLabels: ['name', 'component', 'app.kubernetes.io/name'],
    uploaders: ['velero', 'kopia', 'restic'],
    instanceImages: ['velero/velero'],
    instanceRole: 'the Velero node-agent',
    destinations: VELERO_DESTINATIONS,
  },
];

/**
 * Object-storage endpoints backups go to: S3 (path or virtual-host style), Google Cloud Storage, Azure Blob. A
 * private (datacenter) address is taken as self-hosted object storage (MinIO, Ceph RGW) by the rule itself.
 */
export const OBJECT_STORAGE_HOSTS: readonly { host: RegExp; cloud: string; provider: string }[] = [
  { host: /^(?:[a-z0-9.-]+\.)?s3(?:[.-](?:dualstack\.)?[a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/, cloud: 'Amazon S3', provider: 'aws' },
  { host: /^(?:[a-z0-9.-]+\.)?storage\.googleapis\.com$/, cloud: 'Google Cloud Storage', provider: 'gce' },
  { host: /^[a-z0-9]+\.blob\.core\.windows\.net$/, cloud: 'Azure Blob Storage', provider: 'azure' },
];

/** Every (apiGroup, resource) that names where some operator's backups go. */
export const BACKUP_DESTINATION_RESOURCES: readonly { apiGroup: string; resource: string }[] = [
  ...new Map(DATABASE_BACKUP_KINDS.flatMap((k) => k.destinations).map((d) => [`${d.apiGroup}/${d.resource}`, d])).values(),
];

/**
 * Ports object storage answers on (S3 and its on-premises implementations speak HTTP(S)): 80/443 and their 8080/8443
 * alternates, MinIO's 9000/9443, Ceph RGW's 7480/7443, SeaweedFS's 8333. An upload elsewhere (SSH, a shell port) is
 * not a backup to a bucket.
 */
export const OBJECT_STORAGE_PORTS: ReadonlySet<number> = new Set([80, 443, 8080, 8443, 9000, 9443, 7480, 7443, 8333]);

/** How long a base backup may keep uploading after its object was created. */
export const BACKUP_UPLOAD_WINDOW_MS = 6 * 3600_000;

/** How long before an upload a change to the backup destination (BackupStorageLocation) keeps the upload unexplained. */
export const DESTINATION_CHANGE_WINDOW_MS = 24 * 3600_000;
