/**
 * GitOps repository servers: the pods that clone repositories and render manifests (Argo CD's repo server, Flux's
 * source, kustomize and helm controllers). Their ordinary work is a chain of git, its remote helpers, helm and
 * kustomize under their own daemon, and Argo CD answers git's credential prompt itself: it sets GIT_ASKPASS to its own
 * `argocd` binary, so git runs `argocd "Username for 'https://…': "`. Sources: the Argo CD repo server (util/git,
 * util/askpass) and Flux controllers' documentation.
 */
export interface GitopsServer {
  id: string;
  name: string;
  /** Image repository suffixes of the server's own container (registry and tag ignored). */
  images: string[];
  /** Daemons (entrypoint base names) that start the tools. */
  daemons: string[];
  /** Tools it runs to fetch and render (base names). */
  tools: string[];
  /** Its credential helper: the process, when git asks it for a username or password. */
  askpass?: RegExp;
  /** Entrypoint shims among the daemons (tini): too generic to name the server when the sensor names no container. */
  genericDaemons?: string[];
}

/** Tools only git starts (its transport), by the programs that may start them. */
export const TRANSPORTS: Readonly<Record<string, readonly string[]>> = {
  ssh: ['git', 'git-remote-ssh', 'git-lfs'],
};

/**
 * ssh port forwarding (-R, -L, -D, -w, also in a cluster of flags like -NR, or as RemoteForward / LocalForward /
 * DynamicForward options): a tunnel, never git's transport.
 */
export const SSH_FORWARDING = /(?:^|\s)-[46AaCfGgKkMNnqsTtVvXxYy]*[RLDw]|\b(?:Remote|Local|Dynamic)Forward\b|\bPermitRemoteOpen\b/;

const GIT = ['git', 'git-remote-http', 'git-remote-https', 'git-remote-ssh', 'ssh', 'git-lfs', 'gpg', 'gpg-agent'];

export const GITOPS_SERVERS: readonly GitopsServer[] = [
  {
    id: 'argocd-repo-server',
    name: 'Argo CD repo server',
    images: ['argoproj/argocd'],
    daemons: ['argocd-repo-server', 'argocd', 'tini'],
    genericDaemons: ['tini'],
    tools: [...GIT, 'helm', 'kustomize'],
    askpass: /^\s*(?:\S*\/)?argocd\s+(?:Username|Password) for '[^']*':\s*$/,
  },
  {
    id: 'flux-source-controller',
    name: 'Flux source-controller',
    images: ['fluxcd/source-controller'],
    daemons: ['source-controller'],
    tools: [...GIT],
  },
  {
    // Clones the repository, commits the image tag updates of its ImageUpdateAutomation and pushes them, with go-git in
    // process (no git binary).
    id: 'flux-image-automation-controller',
    name: 'Flux image-automation-controller',
    images: ['fluxcd/image-automation-controller'],
    daemons: ['image-automation-controller'],
    tools: [],
  },
  {
    id: 'flux-kustomize-controller',
    name: 'Flux kustomize-controller',
    images: ['fluxcd/kustomize-controller'],
    daemons: ['kustomize-controller'],
    tools: ['kustomize', 'gpg', 'sops'],
  },
];

/** Ports of git's transports (SSH, HTTPS, the git protocol) and of chart and OCI registries over HTTPS. */
export const SOURCE_PORTS: ReadonlySet<number> = new Set([22, 443, 9418]);

/**
 * Public hosts a repository server fetches sources and charts from (git over HTTPS/SSH, raw files, release archives,
 * OCI chart registries). Threat-intelligence feeds list some of them as whole domains because malware is hosted there
 * too; a domain match alone then says nothing about what was fetched (a listed URL would).
 */
export const SOURCE_HOSTS: readonly RegExp[] = [
  /^(?:github\.com|api\.github\.com|codeload\.github\.com|raw\.githubusercontent\.com|objects\.githubusercontent\.com|ghcr\.io)$/,
  /^(?:gitlab\.com|registry\.gitlab\.com|bitbucket\.org|api\.bitbucket\.org|dev\.azure\.com|ssh\.dev\.azure\.com)$/,
  /^git-codecommit\.[a-z0-9-]+\.amazonaws\.com$/,
  /^(?:registry-1\.docker\.io|public\.ecr\.aws|charts\.bitnami\.com|kubernetes-charts\.storage\.googleapis\.com)$/,
];
