/**
 * A runtime sensor's "new binary / new library" finding about a file the GPU container runtime mounted into the
 * container at its start (the NVIDIA driver's libnvidia-ml, nvidia-smi): not a drift of the image, when the container
 * asked for GPUs and the process loading the library is the container's own program. A binary run by someone
 * (kubectl exec nvidia-smi) is judged by admin-activity; other files, a container without GPUs, or a process typed
 * into the container stay unexplained here.
 */
import { GPU_RUNTIMES } from '../../knowledge/gpu-runtime.js';
import type { Evidence, Rule } from '../model.js';
import { entrypointMatches } from '../correlate.js';
import { benign, describePod, runsContainerCommand } from './support.js';

/** Findings about a file that appeared in the container after its image was built. */
const DRIFT_FINDING = /new(?:ly)?[ -]?(?:created|added)?.*\b(?:binary|library|executable)|(?:binary|library) (?:loaded|executed)|modified (?:binary|library)|NewBinaryExecuted|NewLibraryLoaded|drift/i;

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
