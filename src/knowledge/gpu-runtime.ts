/**
 * Files a GPU container runtime mounts into every container it gives GPUs, at container start: the NVIDIA Container
 * Toolkit (OCI hook or CDI) bind-mounts the host driver's user-space libraries and utilities into the container's
 * filesystem, so a runtime sensor sees them as files that appeared after the image was built ("new binary executed",
 * "new library loaded"). A container asks for GPUs with an extended resource or with the environment variable the
 * runtime reads (snapshots keep env names, not values).
 */
export interface GpuRuntime {
  name: string;
  envNames: readonly string[];
  resources: readonly string[];
  /** Paths of the files it injects, as the container sees them. */
  files: readonly RegExp[];
}

export const GPU_RUNTIMES: readonly GpuRuntime[] = [
  {
    name: 'the NVIDIA container runtime',
    envNames: ['NVIDIA_VISIBLE_DEVICES'],
    resources: ['nvidia.com/gpu'],
    files: [
      /^\/usr\/(?:lib|lib64|lib\/x86_64-linux-gnu|lib\/aarch64-linux-gnu)\/lib(?:nvidia-[a-z0-9-]+|cuda|cudadebugger|nvcuvid|nvoptix)\.so(?:\.[0-9]+)*$/,
      /^\/usr\/bin\/nvidia-(?:smi|debugdump|persistenced|cuda-mps-control|cuda-mps-server)$/,
    ],
  },
];
