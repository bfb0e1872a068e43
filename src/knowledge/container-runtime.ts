/**
 * The processes a container runtime starts a container's first process under: containerd's shims, CRI-O's conmon and
 * the OCI runtimes themselves (runc, crun). A process whose parent is one of these was started by the runtime — as a
 * container's entrypoint, an exec probe or a `kubectl exec` — not by a shell or a login on the host.
 */
export const CONTAINER_RUNTIME_PROCESSES: ReadonlySet<string> = new Set(['containerd-shim', 'containerd-shim-runc-v2', 'conmon', 'runc', 'crun']);

/** Whether an executable name (no path) is one of the container runtime's own processes. */
export function isContainerRuntimeProcess(name: string | undefined): boolean {
  return name !== undefined && CONTAINER_RUNTIME_PROCESSES.has(name);
}
