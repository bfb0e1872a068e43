/**
 * Managed data services an application pod reaches outside the cluster on a private address (Memorystore / ElastiCache
 * Redis, Cloud SQL / RDS PostgreSQL and MySQL, the Cloud SQL server-side connector): the service's ports, and the
 * environment variable names by which a pod declares it is that service's client (names only — snapshots keep no
 * values). Data, used by rules/declared-backing-service.ts.
 */
export interface BackingService {
  name: string;
  ports: readonly number[];
  /** A container env var name matching this declares the client. */
  env: RegExp;
  /** Images whose container is this service's client by itself (the Cloud SQL Auth Proxy), as repository path suffixes. */
  clientImages?: readonly string[];
}

export const BACKING_SERVICES: readonly BackingService[] = [
  { name: 'Redis', ports: [6379, 6378], env: /(?:^|_)(?:REDIS|CELERY_BROKER|CELERY_RESULT_BACKEND|CACHE_REDIS)(?:_|$)/i },
  { name: 'PostgreSQL', ports: [5432], env: /(?:^|_)(?:POSTGRES(?:QL)?|PG(?:HOST|PORT|DATABASE|USER)|DATABASE_URL|DB_HOST)(?:_|$)/i },
  { name: 'MySQL', ports: [3306], env: /(?:^|_)(?:MYSQL|MARIADB|DATABASE_URL|DB_HOST)(?:_|$)/i },
  {
    name: 'Cloud SQL server-side connector',
    ports: [3307],
    env: /^(?:INSTANCE_CONNECTION_NAME|CLOUD_SQL_CONNECTION_NAME)$/,
    clientImages: ['cloud-sql-connectors/cloud-sql-proxy', 'cloudsql-docker/gce-proxy', 'alloydb-connectors/alloydb-auth-proxy'],
  },
];

/**
 * Findings whose subject is not a client's connection but what it did over many (guessing passwords, sweeping
 * addresses, moving between hosts): that a pod declares itself the service's client does not explain them — an intruder
 * in the pod has the same network position and the same port.
 */
export const NOT_A_CLIENT_CONNECTION = /brute[ -]?forc|password (?:guess|spray)|credential (?:stuffing|guess)|(?:login|auth(?:entication)?) failures|\bsweep|\bscan\b|\bscanning\b|lateral movement|\bexploit/i;
