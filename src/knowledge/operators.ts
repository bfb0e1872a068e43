/**
 * Operators that run administration commands in the pods they manage through the API's pods/exec, non-interactively,
 * from their own controller pod (client-go's remotecommand): redis-operator points replicas at the primary with
 * redis-cli, cass-operator asks nodetool for ring state, Percona and Zalando operators drive patronictl or the database
 * client. Data, not code: the controller's image repositories (matched without registry and tag, as a repository or a
 * trailing path of one) and the programs it is known to exec.
 */
export interface ExecOperator {
  name: string;
  /** Repository (or trailing path) of the controller's image: `k8ssandra/cass-operator`. */
  images: readonly string[];
  /** Base names of the programs it runs through exec (the first word, or the first word of a `sh -c` script). */
  execPrograms: readonly string[];
}

export const EXEC_OPERATORS: readonly ExecOperator[] = [
  { name: 'cass-operator (K8ssandra)', images: ['k8ssandra/cass-operator', 'datastax/cass-operator'], execPrograms: ['nodetool', 'cqlsh'] },
  { name: 'redis-operator (OT-CONTAINER-KIT)', images: ['ot-container-kit/redis-operator/redis-operator', 'opstree/redis-operator', 'ot-container-kit/redis-operator'], execPrograms: ['redis-cli'] },
  { name: 'CloudNativePG', images: ['cloudnative-pg/cloudnative-pg'], execPrograms: ['pg_ctl', 'psql', 'pg_controldata'] },
  { name: 'Strimzi', images: ['strimzi/operator'], execPrograms: ['kafka-configs.sh', 'kafka-topics.sh', 'kafka-metadata-quorum.sh', 'kafka-broker-api-versions.sh'] },
  { name: 'Elastic Cloud on Kubernetes', images: ['eck/eck-operator'], execPrograms: ['elasticsearch-keystore'] },
  { name: 'Zalando postgres-operator', images: ['zalando/postgres-operator', 'acid/postgres-operator'], execPrograms: ['patronictl', 'psql'] },
  { name: 'Percona XtraDB Cluster operator', images: ['percona/percona-xtradb-cluster-operator'], execPrograms: ['mysql', 'mysqladmin', 'peer-list'] },
  { name: 'Percona Server for MongoDB operator', images: ['percona/percona-server-mongodb-operator'], execPrograms: ['mongo', 'mongosh'] },
  { name: 'Percona operator for PostgreSQL', images: ['percona/percona-postgresql-operator'], execPrograms: ['patronictl', 'psql', 'pgbackrest'] },
  { name: 'MariaDB operator', images: ['mariadb-operator/mariadb-operator'], execPrograms: ['mariadb', 'mysql'] },
];
