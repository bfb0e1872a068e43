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

/**
 * Entrypoint wrappers that run the container's arguments as the workload: image entry scripts that end in
 * `exec "$@"` (the official images' docker-entrypoint.sh) and the minimal inits that start them as their child (tini,
 * dumb-init, catatonit). With `command: [docker-entrypoint.sh]` and `args: [node, index.js]`, the workload's process
 * is `node index.js`.
 */
export const EXEC_WRAPPERS: ReadonlySet<string> = new Set(['docker-entrypoint.sh', 'docker-entrypoint', 'entrypoint.sh', 'tini', 'tini-static', 'dumb-init', 'catatonit']);

/**
 * The runtime daemons and the flags by which each names its own socket: containerd serving it (--address), a shim
 * connecting back to its containerd (-address), dockerd listening (-H/--host) or reaching its containerd (--containerd),
 * CRI-O listening (--listen), cri-dockerd naming dockerd (--docker-endpoint). The socket in these places is the
 * runtime's own plumbing, not a client using it.
 */
export const RUNTIME_SOCKET_FLAGS: Readonly<Record<string, readonly string[]>> = {
  containerd: ['--address', '-a'],
  'containerd-shim': ['-address', '--address'],
  'containerd-shim-runc-v1': ['-address', '--address'],
  'containerd-shim-runc-v2': ['-address', '--address'],
  dockerd: ['-H', '--host', '--containerd'],
  crio: ['--listen'],
  'cri-dockerd': ['--docker-endpoint'],
};

/**
 * The runtime processes whose command line names the container they serve (`containerd-shim-runc-v2 -id <id>`,
 * `conmon -c <id>`, `runc exec … <id>`, Docker's `containerd-shim -workdir …/moby/<id>`): only there is a container id
 * in a parent's command line the container's. Anyone can type an id into their own command line (`bash -c '… # <id>'`).
 */
export const CONTAINER_ID_HOLDERS: ReadonlySet<string> = new Set([
  'containerd-shim',
  'containerd-shim-runc-v1',
  'containerd-shim-runc-v2',
  'docker-containerd-shim',
  'conmon',
  'runc',
  'crun',
]);
