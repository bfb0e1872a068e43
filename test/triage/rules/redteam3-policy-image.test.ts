/**
 * Red-team trap for the policy's trusted images: `trusted.images: [registry.example.com/platform/*]` was also matched
 * against the image's repository with the registry stripped, so evil.io/registry.example.com/platform/tools (whose
 * repository, registry stripped, reads registry.example.com/platform/tools) was a trusted image.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { parsePolicy } from '../../../src/triage/policy.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'node-c';
const policy = parsePolicy('trusted:\n  images: [registry.example.com/platform/*]\n', 'policy.yaml', '2026-01-01');
const run = (image: string) => {
  const p = pod('tools-4b-abcde', { namespace: 'ops', node: N, ip: '10.1.0.61', owner: { kind: 'ReplicaSet', name: 'tools-4b' }, containers: [{ name: 'tools', image, command: ['/bin/tools'] }] });
  const index = indexOf([node(N, '10.0.1.13'), owner('ReplicaSet', 'tools-4b', 'ops'), p]);
  return triageAlert(
    alert({ host: N, title: 'Unexpected process', container: { id: containerIdOf(p), name: 'tools', pod: p.metadata.name, namespace: 'ops' }, process: { name: 'socat', path: '/usr/bin/socat', commandLine: 'socat TCP-LISTEN:9000,fork TCP:10.1.0.9:22' }, ancestors: [{ name: 'sh', commandLine: 'sh' }] }),
    { index, policy },
  ).verdict;
};

describe('redteam3 policy trusted images: the registry is part of the trust', () => {
  it('trap: evil.io/registry.example.com/platform/tools is not a trusted image', () => {
    expect(run('evil.io/registry.example.com/platform/tools:1.0').label).toBe('genuine');
  });
  it('still trusted: registry.example.com/platform/tools', () => {
    expect(run('registry.example.com/platform/tools:1.0')).toMatchObject({ label: 'likely-false-positive' });
  });
});
