/**
 * CI/CD executors that run build jobs as pods, and what a build job does. Data, not code: the ci-build rule asks the
 * cluster (pod labels, owners, images — or the pod's creation in the audit log once the job pod is gone) whether the
 * alert came from such a job pod, and whether the process is ordinary build work. Sources: the executors' own
 * documentation and manifests (ARC runner scale sets, GitLab Runner Kubernetes executor, Tekton, Argo Workflows,
 * Jenkins Kubernetes plugin, Buildkite agent-stack-k8s).
 */

export interface CiExecutor {
  id: string;
  name: string;
  /** Label keys its controller puts on every job pod. */
  labelKeys: string[];
  /** Kinds of the controlling owner of its job pods (the executor's custom resources). */
  ownerKinds: string[];
  /** Image repository suffixes of the executor's own containers in a job pod (runner, helper, entrypoint), tag ignored. */
  images: string[];
  /** Job pod names (or generateName) the executor makes. */
  podName?: RegExp;
}

export const CI_EXECUTORS: readonly CiExecutor[] = [
  {
    id: 'github-arc',
    name: 'GitHub Actions Runner Controller',
    labelKeys: ['actions.github.com/scale-set-name', 'actions-ephemeral-runner', 'actions-runner-controller/inject-registration-token', 'runner-deployment-name'],
    ownerKinds: ['EphemeralRunner', 'Runner'],
    images: ['actions/actions-runner', 'summerwind/actions-runner', 'summerwind/actions-runner-dind', 'actions-runner-controller/actions-runner'],
  },
  {
    id: 'gitlab-runner',
    name: 'GitLab Runner (Kubernetes executor)',
    labelKeys: ['job.runner.gitlab.com/pod', 'project.runner.gitlab.com/id'],
    ownerKinds: [],
    images: ['gitlab-org/gitlab-runner/gitlab-runner-helper', 'gitlab/gitlab-runner-helper', 'gitlab-org/ci-cd/gitlab-runner-ubi-images/gitlab-runner-helper-ocp'],
    podName: /^runner-[a-z0-9]+-project-\d+-concurrent-\d+-/,
  },
  {
    id: 'tekton',
    name: 'Tekton Pipelines',
    labelKeys: ['tekton.dev/taskRun'],
    ownerKinds: ['TaskRun'],
    images: ['tektoncd/pipeline/cmd/entrypoint'],
  },
  {
    id: 'argo-workflows',
    name: 'Argo Workflows',
    labelKeys: ['workflows.argoproj.io/workflow'],
    ownerKinds: ['Workflow'],
    images: ['argoproj/argoexec'],
  },
  {
    id: 'jenkins-kubernetes',
    name: 'Jenkins Kubernetes plugin agent',
    labelKeys: ['jenkins/label', 'jenkins/label-digest'],
    ownerKinds: [],
    images: ['jenkins/inbound-agent', 'jenkins/jnlp-slave', 'jenkinsci/jnlp-slave'],
  },
  {
    id: 'buildkite',
    name: 'Buildkite agent-stack-k8s',
    labelKeys: ['buildkite.com/job-uuid'],
    ownerKinds: [],
    images: ['buildkite/agent', 'buildkite/agent-stack-k8s/agent'],
  },
];

/** What a build job runs, by executable base name. */
export const BUILD_ACTIVITY: readonly { what: string; names: readonly string[] }[] = [
  {
    what: 'a package manager installing build or test dependencies',
    names: ['apt-get', 'apt', 'dpkg', 'dnf', 'yum', 'microdnf', 'apk', 'zypper', 'pip', 'pip3', 'npm', 'yarn', 'pnpm', 'gem', 'bundle', 'composer', 'cargo'],
  },
  {
    what: 'a compiler or build tool',
    names: ['cc1', 'cc1plus', 'cc', 'c++', 'gcc', 'g++', 'clang', 'clang++', 'ld', 'ld.bfd', 'ld.gold', 'collect2', 'as', 'rustc', 'javac', 'make', 'cmake', 'ninja', 'mvn', 'gradle', 'go', 'compile', 'link', 'dotnet', 'msbuild'],
  },
  {
    what: 'an image builder',
    names: ['buildkit-runc', 'buildctl', 'buildah', 'img'],
  },
];

/** Image builders whose children are the steps of the image being built (RUN lines), by executable path or name. */
export const IMAGE_BUILDERS: readonly { what: string; paths: readonly string[]; names: readonly string[] }[] = [
  { what: 'Kaniko', paths: ['/kaniko/executor'], names: [] },
  { what: 'BuildKit', paths: [], names: ['buildkit-runc', 'buildkitd'] },
  { what: 'Buildah', paths: [], names: ['buildah'] },
];

/** Docker client subcommands that build, move or inspect images — not `run`/`exec`, where a container escape starts. */
export const DOCKER_BUILD_SUBCOMMANDS: readonly string[] = ['build', 'buildx', 'push', 'pull', 'tag', 'images', 'image', 'login', 'logout', 'ps', 'system', 'info', 'version', 'inspect', 'manifest', 'save', 'load'];

/**
 * What the Docker-in-Docker service of a build job (docker:dind, privileged) does as its daemon starts: the dind
 * wrapper mounts securityfs and nests cgroups, and dockerd creates its own DOCKER* chains for its bridge. Both act
 * inside the job pod's own namespaces (Docker's dind hack script; dockerd's iptables driver).
 */
export const DIND_DAEMON_SETUP = {
  daemons: ['dockerd'] as readonly string[],
  wrappers: ['dind', 'dockerd-entrypoint.sh'] as readonly string[],
  firewall: ['iptables', 'ip6tables', 'iptables-nft', 'ip6tables-nft', 'iptables-legacy', 'ip6tables-legacy', 'xtables-nft-multi', 'xtables-legacy-multi'] as readonly string[],
  /** The chains dockerd owns (DOCKER, DOCKER-USER, DOCKER-ISOLATION-STAGE-1, …). */
  chainPrefix: 'DOCKER',
  mountTargets: ['/sys/kernel/security', '/sys/fs/cgroup'] as readonly string[],
  /** The pseudo file systems it mounts there (`mount -t securityfs none …`, `-t tmpfs … cgroup /sys/fs/cgroup`, `-t cgroup`). */
  mountTypes: ['securityfs', 'tmpfs', 'cgroup', 'cgroup2'] as readonly string[],
};
