/**
 * nested-entrypoint: a Kubeflow Pipelines v2 step wraps its command in Argo's emissary and its own launcher, which an
 * init container copies in; the launcher is flagged as drift, and the bootstrap script's `python3 -m pip install …` and
 * `python3 -m kfp.dsl.executor_main …` as package management and script execution from /tmp. Traps: a pip install the
 * script does not spell out, another binary on the same volume, the launcher started by a shell, and a pod whose init
 * containers stage nothing.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { Pod } from '../../../src/cluster/model.js';
import type { ProcessInfo } from '../../../src/alerts/model.js';
import { nestedScripts } from '../../../src/triage/rules/nested-entrypoint.js';
import { alert, containerIdOf, indexOf, node, pod } from '../../support/cluster.js';

const N = 'mlp-cpu-2';
const NS = 'kubeflow-user-ana';
const PIP = `\nif ! [ -x "$(command -v pip)" ]; then\n    python3 -m ensurepip || python3 -m ensurepip --user\nfi\n\nPIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install --quiet --no-warn-script-location 'kfp==2.9.0' '--no-deps' 'typing-extensions>=3.7.4,<5; python_version<"3.9"' && "$0" "$@"\n`;
const PROG = `\nprogram_path=$(mktemp -d)\n\nprintf "%s" "$0" > "$program_path/ephemeral_component.py"\n_KFP_RUNTIME=true python3 -m kfp.dsl.executor_main                         --component_module_path                         "$program_path/ephemeral_component.py"                         "$@"\n`;
const COMMAND = ['/var/run/argo/argoexec', 'emissary', '--loglevel', 'info', '--', '/kfp-launcher/launch', '--pipeline_name', 'llm-eval', '--', 'sh', '-c', PIP, 'sh', '-ec', PROG, 'def evaluate(): ...', '--executor_input', '{}', '--function_to_execute', 'evaluate'];
const step = (name: string, staged: boolean): Pod => {
  const p = pod(name, {
    namespace: NS,
    node: N,
    ip: '10.200.2.61',
    owner: { kind: 'Workflow', name: 'llm-eval-x8k2m' },
    created: '2027-03-11T09:01:50Z',
    containers: [{ name: 'main', image: 'python:3.11', command: COMMAND }],
  });
  p.spec.initContainers = [
    { name: 'init', image: 'gcr.io/ml-pipeline/argoexec:v3.4.17-license-compliance', command: ['argoexec', 'init'] },
    ...(staged ? [{ name: 'kfp-launcher', image: 'gcr.io/ml-pipeline/kfp-launcher:2.3.0', command: ['launcher-v2', '--copy', '/kfp-launcher/launch'] }] : []),
  ];
  return p;
};
const kfp = step('llm-eval-x8k2m-system-container-impl-1', true);
const unstaged = step('llm-eval-x8k2m-system-container-impl-2', false);
const index = indexOf([node(N, '10.164.0.12'), kfp, unstaged]);

const ARGOEXEC: ProcessInfo = { name: 'argoexec', commandLine: '/var/run/argo/argoexec emissary --loglevel info -- /kfp-launcher/launch' };
const SH: ProcessInfo = { name: 'sh', commandLine: 'sh -c ...' };

function verdict(p: Pod, process: ProcessInfo, parent: ProcessInfo) {
  const a = alert({ host: N, time: '2027-03-11T09:02:05.310Z', title: 'Drift Detection', process, ancestors: [parent], container: { id: containerIdOf(p), pod: p.metadata.name, namespace: NS } });
  return triageAlert(a, { index }).verdict;
}

describe('nested-entrypoint', () => {
  it('finds the sh -c scripts inside a wrapper chain, not the first program', () => {
    expect(nestedScripts(COMMAND)).toEqual([PIP, PROG]);
    expect(nestedScripts(['sh', '-c', 'echo hi'])).toEqual([]);
  });
  it('explains the launcher an init container copies in, started by the wrapper', () => {
    const v = verdict(kfp, { name: 'launch', path: '/kfp-launcher/launch', commandLine: 'launch --pipeline_name llm-eval --run_id 1' }, ARGOEXEC);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
    expect(v.reasons[0].rule).toBe('nested-entrypoint');
  });
  it("explains the bootstrap's pip install and the component runner, word for word", () => {
    const pip = 'python3 -m pip install --quiet --no-warn-script-location kfp==2.9.0 --no-deps typing-extensions>=3.7.4,<5; python_version<"3.9"';
    expect(verdict(kfp, { name: 'python3', commandLine: pip }, SH).label).toBe('likely-false-positive');
    const run = 'python3 -m kfp.dsl.executor_main --component_module_path /tmp/tmp.k3JdQ8wX2a/ephemeral_component.py --executor_input {} --function_to_execute evaluate';
    expect(verdict(kfp, { name: 'python3', commandLine: run }, SH).label).toBe('likely-false-positive');
  });
  it('trap: a program the nested script gives only variables (python3 $SCRIPT fits any file)', () => {
    const generic = pod('runner-1', { namespace: NS, node: N, ip: '10.200.2.62', owner: { kind: 'Workflow', name: 'w' }, containers: [{ name: 'main', image: 'python:3.11', command: ['/var/run/argo/argoexec', 'emissary', '--', 'sh', '-c', 'python3 $SCRIPT "$@"'] }] });
    const idx = indexOf([node(N, '10.164.0.12'), generic]);
    const a = alert({ host: N, time: '2027-03-11T09:02:05.310Z', process: { name: 'python3', commandLine: 'python3 /srv/tools/sync_buckets.py' }, ancestors: [SH], container: { id: containerIdOf(generic), pod: generic.metadata.name, namespace: NS } });
    expect(triageAlert(a, { index: idx }).verdict.label).toBe('genuine');
  });
  it('trap: a pip install the script does not spell out', () => {
    expect(verdict(kfp, { name: 'python3', commandLine: 'python3 -m pip install --quiet torch-utils-ng==0.1' }, SH).label).toBe('genuine');
  });
  it('trap: another binary on the same volume, and the launcher started by a shell', () => {
    expect(verdict(kfp, { name: 'x', path: '/kfp-launcher/x', commandLine: '/kfp-launcher/x' }, ARGOEXEC).label).toBe('genuine');
    expect(verdict(kfp, { name: 'launch', path: '/kfp-launcher/launch', commandLine: 'launch --pipeline_name llm-eval' }, { name: 'bash', commandLine: 'bash' }).label).toBe('genuine');
  });
  it('trap: a pod whose init containers stage nothing', () => {
    expect(verdict(unstaged, { name: 'launch', path: '/kfp-launcher/launch', commandLine: 'launch --pipeline_name llm-eval' }, ARGOEXEC).label).toBe('genuine');
  });
});
