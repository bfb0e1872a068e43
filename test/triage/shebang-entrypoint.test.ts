import { describe, expect, it } from 'vitest';
import { correlate, execCommandMatches } from '../../src/triage/correlate.js';
import { alert, indexOf, node, pod } from '../support/cluster.js';

// A node sensor (Falcon) sees a container whose entrypoint is a script as `<#! interpreter> <script>`: the Strimzi
// Cruise Control container runs /opt/cruise-control/cruise_control_run.sh, which the kernel starts as /bin/bash <script>.
const N1 = 'node-a';
const N2 = 'node-b';
const cruise = pod('events-cruise-control-5f7c-abcde', {
  namespace: 'kafka',
  node: N1,
  ip: '10.0.1.14',
  owner: { kind: 'ReplicaSet', name: 'events-cruise-control-5f7c' },
  containers: [{ name: 'cruise-control', image: 'quay.io/strimzi/kafka:0.43.0-kafka-3.8.0', command: ['/opt/cruise-control/cruise_control_run.sh'] }],
});
const index = indexOf([node(N1, '10.0.1.10'), node(N2, '10.0.2.20'), cruise]);
const shim = { name: 'containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 0123' };
const java = { name: 'java', commandLine: 'java -Xmx2g -cp /opt/cruise-control/libs/* com.linkedin.kafka.cruisecontrol.KafkaCruiseControlMain /tmp/cruisecontrol.properties' };

function placed(host: string, script: string) {
  const a = alert({ host, time: '2026-11-26T11:14:43.000Z', process: java, ancestors: [{ name: 'bash', commandLine: `/bin/bash ${script}` }, shim] });
  return correlate(a, index).subject.pod?.metadata.name;
}

describe('entrypoint scripts run by their #! interpreter, seen by a node sensor', () => {
  it("places the child of `/bin/bash <the container's script>` in that container", () => {
    expect(placed(N1, '/opt/cruise-control/cruise_control_run.sh')).toBe('events-cruise-control-5f7c-abcde');
  });

  it('not a same-named script elsewhere, and not on a node where the pod does not run', () => {
    expect(placed(N1, '/tmp/cruise_control_run.sh')).toBeUndefined();
    expect(placed(N2, '/opt/cruise-control/cruise_control_run.sh')).toBeUndefined();
  });
});

describe('execCommandMatches: an exec request naming a script by the name PATH resolves', () => {
  it('matches the script at an absolute path run by its interpreter', () => {
    expect(execCommandMatches('/bin/sh /opt/cassandra/bin/nodetool -h ::FFFF:127.0.0.1 status', ['nodetool', '-h', '::FFFF:127.0.0.1', 'status'])).toBe(true);
    expect(execCommandMatches('nodetool status', ['nodetool', 'status'])).toBe(true);
  });

  it('not from a temporary or hidden directory, not relative, not other arguments', () => {
    expect(execCommandMatches('/bin/sh /tmp/nodetool status', ['nodetool', 'status'])).toBe(false);
    expect(execCommandMatches('/bin/sh /opt/.cache/nodetool status', ['nodetool', 'status'])).toBe(false);
    expect(execCommandMatches('/bin/sh ./nodetool status', ['nodetool', 'status'])).toBe(false);
    expect(execCommandMatches('/bin/sh /opt/cassandra/bin/nodetool decommission', ['nodetool', 'status'])).toBe(false);
  });
});
