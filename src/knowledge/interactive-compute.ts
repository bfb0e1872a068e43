/**
 * Interactive and batch compute that runs code its users hand it, by design: notebook servers (Jupyter as Kubeflow,
 * JupyterHub and the Jupyter Docker Stacks ship it; code-server; RStudio) and Ray's job API (KubeRay's RayJob starts a
 * submitter Job whose pod runs `ray job submit … -- <entrypoint>`; the head's JobSupervisor actor then runs the
 * entrypoint with `/bin/sh -c`). Sources: the Kubeflow notebook images (s6 run script starting jupyter-lab),
 * jupyter_server's terminal and kernel launchers, KubeRay's submitter command and Ray's job manager.
 */

/** A notebook server: the image that ships it and the processes that start what its user types or runs. */
export interface NotebookServer {
  name: string;
  /** Image repositories (registry and tag ignored). */
  images: RegExp;
  /** Base names of the server's own processes (terminals start a login shell under them, kernels run user code). */
  daemons: readonly string[];
  /** Command-line words that name a kernel of this server (`python -m ipykernel_launcher -f …json`). */
  kernels?: RegExp;
}

export const NOTEBOOK_SERVERS: readonly NotebookServer[] = [
  {
    name: 'Jupyter notebook server',
    images: /^(?:kubeflownotebookswg\/jupyter[\w.-]*|jupyter\/[\w.-]+-notebook|quay\.io\/jupyter\/[\w.-]+-notebook|jupyterhub\/k8s-singleuser-sample|jupyterhub\/singleuser)$/,
    daemons: ['jupyter-lab', 'jupyter-notebook', 'jupyter-server', 'jupyterhub-singleuser', 'jupyter-labhub'],
    kernels: /(?:^|\s)(?:-m\s+)?ipykernel_launcher(?:\.py)?(?:\s|$)|(?:^|\s)-m\s+ipykernel(?:\s|$)/,
  },
  { name: 'code-server', images: /^kubeflownotebookswg\/codeserver[\w.-]*|^codercom\/code-server$/, daemons: ['code-server'] },
  { name: 'RStudio Server', images: /^kubeflownotebookswg\/rstudio[\w.-]*|^rocker\/rstudio$/, daemons: ['rsession', 'rserver'] },
];

/**
 * What a notebook's user ordinarily runs from its terminals and kernels to set up their work: package managers and
 * version control. Downloaders, cluster clients, compilers of payloads and network tools are not in this list: those
 * are what an intruder on an exposed notebook runs, and their case is the analyst's.
 */
export const NOTEBOOK_SETUP_TOOLS: readonly string[] = ['pip', 'pip3', 'conda', 'mamba', 'micromamba', 'uv', 'poetry', 'git', 'git-remote-http', 'git-remote-https', 'git-lfs'];

/** `python -m pip install …`: pip run through the interpreter (KFP and notebooks' `%pip` do this). */
export const PYTHON_MODULE_TOOL = /^(?:\S*\/)?python[\d.]*\s+(?:-\S+\s+)*-m\s+(pip|conda|uv)\b/;

/** Shells that sit between a notebook server and what its terminal runs (`bash -l`). */
export const NOTEBOOK_SHELLS: readonly string[] = ['bash', 'sh', 'dash', 'zsh', 'ash'];

/** Ray's job runner on the head node: the process title of the JobSupervisor actor (the kernel keeps 15 bytes of it). */
export const RAY_JOB_SUPERVISOR = /^ray::JobSuperv(?:isor)?$/;

/** A `ray job submit` command line: the dashboard address and the entrypoint after `--`. */
export const RAY_JOB_SUBMIT = /(?:^|[\s;&|(])(?:\S*\/)?ray\s+job\s+submit\s/;

/** Pod labels KubeRay sets on a Ray cluster's head pod. */
export const RAY_HEAD_LABEL = { key: 'ray.io/node-type', value: 'head' } as const;
export const RAY_CLUSTER_LABEL = 'ray.io/cluster';

/**
 * Pipeline platforms whose step pods talk to the platform's own services: Kubeflow Pipelines v2 steps (the pod has
 * the kfp-launcher init container) store and read artifacts in the pipeline root, by default the MinIO that Kubeflow
 * ships (`minio-service.kubeflow:9000`, with the credentials Kubeflow generates — network signatures for default MinIO
 * credentials fire on it), and record executions in ML Metadata and the API server.
 */
export interface PipelinePlatform {
  name: string;
  /** Image repositories (path suffixes) of an init or main container that marks a pod as one of its steps. */
  stepImages: readonly string[];
  /** The platform's own services a step reaches: the image repositories (path suffixes) of their pods, and their ports. */
  services: readonly { what: string; images: readonly string[]; ports: readonly number[] }[];
}

export const PIPELINE_PLATFORMS: readonly PipelinePlatform[] = [
  {
    name: 'Kubeflow Pipelines',
    stepImages: ['ml-pipeline/kfp-launcher'],
    services: [
      { what: 'artifact store (MinIO)', images: ['ml-pipeline/minio', 'minio/minio'], ports: [9000] },
      { what: 'ML Metadata store', images: ['tfx-oss-public/ml_metadata_store_server'], ports: [8080] },
      { what: 'pipeline API server', images: ['ml-pipeline/api-server'], ports: [8887, 8888] },
    ],
  },
];
