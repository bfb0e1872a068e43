/**
 * notebook-session: a notebook's user setting up their work from the notebook itself — pip, conda or git started by
 * the notebook server's terminal (`jupyter-lab → bash -l → pip`) or by a kernel (`ipykernel_launcher → pip`), in a
 * container of a notebook image. Runtime sensors flag package managers in containers; in a notebook that is what the
 * pod is for. Only those setup tools (a download, a cluster client or a network tool is not explained here), only
 * under the server's own processes (a shell the runtime started is a `kubectl exec`, admin-activity's question), only
 * in a notebook image, only while the pod ran, and never when the command names a destination that is neither the
 * cluster's nor a public source host.
 */
import type { Alert, ProcessInfo } from '../../alerts/model.js';
import type { ContainerSpec, Pod } from '../../cluster/model.js';
import { imageRepository } from '../../knowledge/components.js';
import { SOURCE_HOSTS } from '../../knowledge/gitops.js';
import { NOTEBOOK_SERVERS, NOTEBOOK_SETUP_TOOLS, NOTEBOOK_SHELLS, PYTHON_MODULE_TOOL, type NotebookServer } from '../../knowledge/interactive-compute.js';
import type { Rule } from '../model.js';
import { benign, clip, describePod, executableNames, podIsLive, unexplainedCommandEgress } from './support.js';

export function notebookServerOf(spec: ContainerSpec | undefined): NotebookServer | undefined {
  const repo = imageRepository(spec?.image);
  return repo ? NOTEBOOK_SERVERS.find((s) => s.images.test(repo)) : undefined;
}

/** The setup tool the process is (by executable name, or `python -m pip`), if any. */
function setupTool(p: ProcessInfo): string | undefined {
  const named = executableNames(p).find((n) => NOTEBOOK_SETUP_TOOLS.includes(n));
  if (named) return named;
  const module = p.commandLine ? PYTHON_MODULE_TOOL.exec(p.commandLine) : null;
  return module ? module[1] : undefined;
}

function isServerProcess(p: ProcessInfo, server: NotebookServer): boolean {
  if (executableNames(p).some((n) => server.daemons.includes(n))) return true;
  return !!server.kernels && !!p.commandLine && server.kernels.test(p.commandLine);
}

/** The server process the tool descends from, through shells only (at most three generations up), or undefined. */
function startingServerProcess(alert: Alert, server: NotebookServer): ProcessInfo | undefined {
  const chain = alert.process.ancestors.slice(0, 3);
  for (const p of chain) {
    if (isServerProcess(p, server)) return p;
    if (!executableNames(p).some((n) => NOTEBOOK_SHELLS.includes(n))) return undefined;
  }
  return undefined;
}

function runningAt(pod: Pod, time: string | null): boolean {
  if (!podIsLive(pod)) return false;
  const created = pod.metadata.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : NaN;
  const at = time ? Date.parse(time) : NaN;
  return !(created > at);
}

export const notebookSession: Rule = {
  id: 'notebook-session',
  family: 'workload-baseline',
  direction: 'benign',
  description: "A notebook's user installing packages or cloning repositories from the notebook server's terminal or kernel, in a notebook image",
  evaluate(ctx) {
    const { alert, index, correlation } = ctx;
    const { pod, container } = correlation.subject;
    if (!pod || !container) return [];
    const tool = setupTool(alert.process);
    if (!tool) return [];
    const server = notebookServerOf(container.spec);
    if (!server) return [];
    const starter = startingServerProcess(alert, server);
    if (!starter || !runningAt(pod, alert.time)) return [];
    const egress = unexplainedCommandEgress(alert.process.commandLine, pod, index, alert.time);
    if (egress && !SOURCE_HOSTS.some((h) => h.test(egress))) return [];
    const via = executableNames(starter)[0] ?? 'the server';
    const what = clip(alert.process.commandLine ?? alert.process.name ?? tool, 100);
    return [
      benign(
        this.id,
        'workload-baseline',
        'medium',
        `\`${what}\` is ${tool} started from the ${server.name} of ${describePod(index, pod)}, container ${container.spec.name} (${container.spec.image}), through ${via}: its user setting up their work in the notebook.`,
        { pod: pod.metadata.name, tool },
      ),
    ];
  },
};
