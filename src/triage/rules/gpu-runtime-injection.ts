/**
 * A runtime sensor's "new binary / new library" finding about a file the GPU container runtime mounted into the
 * container at its start (the NVIDIA driver's libnvidia-ml, nvidia-smi): not a drift of the image, when the container
 * asked for GPUs and the process loading the library is the container's own program. A binary run by someone
 * (kubectl exec nvidia-smi) is judged by admin-activity; other files, a container without GPUs, or a process typed
 * into the container stay unexplained here.
 */
import type { Node } from '../../cluster/model.js';
import { GPU_RUNTIMES, type GpuRuntime } from '../../knowledge/gpu-runtime.js';
import type { Evidence, Rule } from '../model.js';
import { entrypointMatches } from '../correlate.js';
import { benign, describePod, runsContainerCommand } from './support.js';

/** Findings about a file that appeared in the container after its image was built. */
const DRIFT_FINDING = /new(?:ly)?[ -]?(?:created|added)?.*\b(?:binary|library|executable)|(?:binary|library) (?:loaded|executed)|modified (?:binary|library)|NewBinaryExecuted|NewLibraryLoaded|drift/i;

/** The host driver's version by the node's feature-discovery labels, when it has them. */
function driverVersion(runtime: GpuRuntime, node: Node | undefined): string | undefined {
  const labels = node?.metadata.labels ?? {};
  for (const name of runtime.driverVersionLabels.full) if (labels[name]) return labels[name];
  for (const [major, minor, patch] of runtime.driverVersionLabels.parts) {
    if (labels[major] && labels[minor]) return [labels[major], labels[minor], labels[patch]].filter(Boolean).join('.');
  }
  return undefined;
}

/** A library's full version suffix (`libnvidia-ml.so.550.127.05` → 550.127.05); not the ABI suffix of its links (.so.1). */
function fullVersionOf(file: string): string | undefined {
  const suffix = file.slice(file.lastIndexOf('/') + 1).split('.so.')[1];
  return suffix && suffix.includes('.') ? suffix : undefined;
}

export const gpuRuntimeInjection: Rule = {
  id: 'gpu-runtime-injection',
  family: 'workload-baseline',
  direction: 'benign',
  description: 'Driver libraries the GPU container runtime mounted into a GPU container, loaded by its own program',
  evaluate(ctx): Evidence[] {
    const { alert, correlation, index } = ctx;
    const { pod, container } = correlation.subject;
    const file = alert.file?.path;
    if (!pod || !container || !file || !DRIFT_FINDING.test(`${alert.title} ${alert.description ?? ''}`)) return [];
    const spec = container.spec;
    const resources = (spec as { resources?: { limits?: Record<string, unknown>; requests?: Record<string, unknown> } }).resources;
    const runtime = GPU_RUNTIMES.find(
      (r) =>
        r.files.some((f) => f.test(file)) &&
        ((spec.env ?? []).some((e) => r.envNames.includes(e?.name)) || r.resources.some((name) => resources?.limits?.[name] !== undefined || resources?.requests?.[name] !== undefined)),
    );
    if (!runtime) return [];
    // The runtime mounts the node's own driver: a library of another version was put there by someone else.
    const version = fullVersionOf(file);
    const installed = version && driverVersion(runtime, index.nodeOfPod(pod));
    if (installed && installed !== version) return [];
    const p = alert.process;
    // Runtime findings may give only the executable: then it must be the entrypoint's own, by full path.
    const ownExecutable = !p.commandLine && !!p.path && (spec.command?.[0] ?? spec.args?.[0]) === p.path;
    if (!ownExecutable && !runsContainerCommand(p, spec) && !entrypointMatches(p.commandLine, spec)) return [];
    return [
      benign(
        this.id,
        'workload-baseline',
        'medium',
        `${file} is a driver file ${runtime.name} mounts into every container given GPUs, and container ${spec.name} of ${describePod(index, pod)} asks for them; the process is the container's own program (${p.path ?? p.name}).`,
        { pod: pod.metadata.name },
      ),
    ];
  },
};
