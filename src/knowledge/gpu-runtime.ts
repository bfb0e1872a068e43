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
  /**
   * Node labels (GPU feature discovery) giving the host driver's version, whole or as major/minor/patch: an injected
   * library's version suffix is that version, so a file with another version is no file the runtime mounted here.
   */
  driverVersionLabels: { full: readonly string[]; parts: readonly (readonly [string, string, string])[] };
}

/**
 * The user-space libraries of the NVIDIA driver the toolkit mounts (its list of driver libraries: compute, utility,
 * video, graphics, display), by name: a library named libnvidia-<anything> is someone's own file in the image's
 * directory, which a root process in the container can write next to the mounted ones.
 */
const NVIDIA_DRIVER_LIBRARIES = [
  'nvidia-ml', 'nvidia-cfg', 'nvidia-opencl', 'nvidia-gpucomp', 'nvidia-ptxjitcompiler', 'nvidia-fatbinaryloader', 'nvidia-allocator',
  'nvidia-compiler', 'nvidia-pkcs11', 'nvidia-pkcs11-openssl3', 'nvidia-nvvm', 'nvidia-ngx', 'nvidia-encode', 'nvidia-opticalflow',
  'nvidia-eglcore', 'nvidia-glcore', 'nvidia-tls', 'nvidia-glsi', 'nvidia-fbc', 'nvidia-ifr', 'nvidia-rtcore', 'nvidia-glvkspirv',
  'nvidia-cbl', 'nvidia-egl-gbm', 'nvidia-egl-wayland', 'nvidia-wayland-client', 'nvidia-nscq', 'nvidia-sandboxutils', 'nvidia-api',
  'cuda', 'cudadebugger', 'nvcuvid', 'nvoptix',
] as const;

export const GPU_RUNTIMES: readonly GpuRuntime[] = [
  {
    name: 'the NVIDIA container runtime',
    envNames: ['NVIDIA_VISIBLE_DEVICES'],
    resources: ['nvidia.com/gpu'],
    files: [
      new RegExp(String.raw`^/usr/(?:lib|lib64|lib/x86_64-linux-gnu|lib/aarch64-linux-gnu)/lib(?:${NVIDIA_DRIVER_LIBRARIES.join('|')})\.so(?:\.[0-9]+)*$`),
      /^\/usr\/bin\/nvidia-(?:smi|debugdump|persistenced|cuda-mps-control|cuda-mps-server)$/,
    ],
    driverVersionLabels: {
      full: ['nvidia.com/cuda.driver-version.full'],
      parts: [
        ['nvidia.com/cuda.driver-version.major', 'nvidia.com/cuda.driver-version.minor', 'nvidia.com/cuda.driver-version.revision'],
        ['nvidia.com/cuda.driver.major', 'nvidia.com/cuda.driver.minor', 'nvidia.com/cuda.driver.rev'],
      ],
    },
  },
];
