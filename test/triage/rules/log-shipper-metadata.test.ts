/**
 * A log shipper's cloud output taking the instance's token from the metadata service: Fluent Bit (its stackdriver,
 * cloudwatch_logs and azure outputs fall back to instance credentials) connecting to 169.254.169.254 from its own
 * DaemonSet pod is its work. Traps: curl in the same pod, and the fluent-bit binary in a pod that only borrows the name
 * (another image), stay genuine.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { Pod } from '../../../src/cluster/model.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'mlp-cpu-1';
const shipper = (name: string, ns: string, image: string, ip: string): Pod =>
  pod(name, {
    namespace: ns,
    node: N,
    ip,
    owner: { kind: 'DaemonSet', name: 'fluent-bit' },
    containers: [{ name: 'fluent-bit', image, command: ['/fluent-bit/bin/fluent-bit'], args: ['--workdir=/fluent-bit/etc', '--config=/fluent-bit/etc/conf/fluent-bit.conf'] }],
  });
const real = shipper('fluent-bit-hz728', 'logging', 'cr.fluentbit.io/fluent/fluent-bit:3.1.9', '10.200.1.21');
const fake = shipper('fluent-bit-q8x2m', 'tools', 'docker.io/someone/log-helper:1.0', '10.200.1.22');
const index = indexOf([node(N, '10.164.0.11'), owner('DaemonSet', 'fluent-bit', 'logging'), owner('DaemonSet', 'fluent-bit', 'tools'), real, fake]);

function connect(p: Pod, name: string, commandLine: string) {
  const a = alert({
    host: N,
    time: '2027-03-11T08:50:10.330Z',
    title: 'cloud-metadata-access: kprobe: tcp_connect',
    process: { name, path: name === 'curl' ? '/usr/bin/curl' : '/fluent-bit/bin/fluent-bit', commandLine },
    // Tetragon names the parent: the runtime's shim for the entrypoint.
    ancestors: [{ name: 'containerd-shim-runc-v2', path: '/usr/bin/containerd-shim-runc-v2', commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 4f1c -address /run/containerd/containerd.sock' }],
    container: { id: containerIdOf(p), pod: p.metadata.name, namespace: p.metadata.namespace },
    network: { srcIp: p.status!.podIP, srcPort: 51022, dstIp: '169.254.169.254', dstPort: 80 },
  });
  return triageAlert(a, { index }).verdict;
}

describe('log shipper and the instance metadata service', () => {
  it("explains Fluent Bit's own daemon fetching its output's token", () => {
    expect(connect(real, 'fluent-bit', '/fluent-bit/bin/fluent-bit --workdir=/fluent-bit/etc --config=/fluent-bit/etc/conf/fluent-bit.conf')).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
  it('trap: curl in the same pod asking for the token', () => {
    expect(connect(real, 'curl', 'curl -s -H Metadata-Flavor: Google http://169.254.169.254/computeMetadata/v1/instance/service-accounts/default/token').label).toBe('genuine');
  });
  it('trap: a pod that only borrows the name, with another image', () => {
    expect(connect(fake, 'fluent-bit', '/fluent-bit/bin/fluent-bit --workdir=/fluent-bit/etc --config=/fluent-bit/etc/conf/fluent-bit.conf').label).toBe('genuine');
  });
});
