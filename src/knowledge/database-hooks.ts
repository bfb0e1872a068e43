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
}

const POSTGRES_SERVERS = ['postgres', 'postmaster'] as const;
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
