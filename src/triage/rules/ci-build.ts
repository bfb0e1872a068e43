/**
 * ci-build: a CI/CD job pod (GitHub Actions runner, GitLab Runner job, Tekton TaskRun, Argo Workflows step, Jenkins
 * or Buildkite agent) doing build work — installing packages, compiling, running the test binaries it built, building
 * and pushing images. Sensors flag that work as drift, package management or binaries run from /tmp; in a job pod it
 * is the job. The pod is recognised by what its executor puts on it (labels, owner, its own images), and a job pod
 * that finished and was deleted before the snapshot by its creation in the audit log. The process must itself be
 * build work: a miner started by an npm install script or a shell in the job is not, and attack indicators still win.
 * The job's Docker-in-Docker service starting its daemon (its own DOCKER* chains, the dind wrapper's mounts) is part of
 * that work.
 */
import type { Alert } from '../../alerts/model.js';
import { splitCommandLine } from '../../alerts/fields.js';
import type { AuditActivity, ClusterIndex, ExecSession, Pod } from '../../cluster/model.js';
import { identityKind } from '../../cluster/audit-identities.js';
import { gonePodAt, gonePodsWithImage, podCreationBefore } from '../audit-pods.js';
import { isRepoOrPathSuffix } from '../../knowledge/components.js';
import { BUILD_ACTIVITY, CI_EXECUTORS, DIND_DAEMON_SETUP, DOCKER_BUILD_SUBCOMMANDS, IMAGE_BUILDERS, type CiExecutor } from '../../knowledge/ci-executors.js';
import type { Evidence, Rule } from '../model.js';
import { allContainerSpecs, benign, clip, describePod, executableNames } from './support.js';

/** How far up the process tree an image builder is looked for. */
const BUILDER_DEPTH = 6;
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash']);
/** A Docker daemon of the job itself: a local socket, or the docker:dind sidecar reached on the pod's loopback (or by its `docker` service alias). */
const JOB_OWN_DAEMON = /^(?:unix:\/\/\/|npipe:|(?:tcp|https?):\/\/(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|docker)(?::\d+)?\/?$)/;
const GO_BUILD_BINARY = /\/go-build\d+\/b\d+\/(?:exe\/)?[\w.-]+$/;

function repoOf(image: string): string {
  const ref = image.split('@')[0];
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? ref.slice(0, colon) : ref;
}

function executorImage(executor: CiExecutor, images: readonly string[]): string | undefined {
  return images.find((image) => executorsOfImage(image).includes(executor));
}

/** The executors whose image this is; remembered per image (every pod is asked about, replicas share their images). */
function executorsOfImage(image: string): readonly CiExecutor[] {
  let found = executorsByImage.get(image);
  if (found === undefined) {
    const repo = repoOf(image);
    const matching = CI_EXECUTORS.filter((executor) => executor.images.some((suffix) => isRepoOrPathSuffix(repo, suffix)));
    found = matching.length ? matching : NO_EXECUTORS;
    if (image.length > IMAGE_MEMO_CHARS) return found;
    if (executorsByImage.size >= IMAGE_MEMO_ENTRIES) executorsByImage.clear();
    executorsByImage.set(image, found);
  }
  return found;
}
const NO_EXECUTORS: readonly CiExecutor[] = [];
const IMAGE_MEMO_ENTRIES = 10_000;
const IMAGE_MEMO_CHARS = 512;
const executorsByImage = new Map<string, readonly CiExecutor[]>();

function createdByPerson(index: ClusterIndex, pod: Pod): boolean {
  return index.auditActivities.some(
    (a) => a.verb === 'create' && a.resource === 'pods' && !a.subresource && a.namespace === pod.metadata.namespace && a.name === pod.metadata.name && (a.code ?? 201) < 300 && identityKind(a.user, a.groups) === 'user',
  );
}

interface JobPod {
  executor: CiExecutor;
  /** Names the pod for the message. */
  pod: string;
  /** How the cluster shows it is a job pod of that executor. */
  how: string;
}

/** The answer for each pod, kept while the pod is (every alert from a pod asks; most pods are not job pods). */
const jobPodOf = new WeakMap<Pod, JobPod | null>();

function liveJobPod(index: ClusterIndex, pod: Pod): JobPod | undefined {
  let known = jobPodOf.get(pod);
  if (known === undefined) jobPodOf.set(pod, (known = findJobPod(index, pod) ?? null));
  return known ?? undefined;
}

function findJobPod(index: ClusterIndex, pod: Pod): JobPod | undefined {
  // Labels, owner references and images are what the creator wrote: a pod a person created by hand is theirs, not
  // an executor's job pod, however it is labelled.
  if (createdByPerson(index, pod)) return undefined;
  const labels = pod.metadata.labels ?? {};
  const owner = (pod.metadata.ownerReferences ?? []).find((r) => r.controller) ?? pod.metadata.ownerReferences?.[0];
  // Asked once per pod, and most pods are no job pod: the sentence is built only on a hit.
  const images = allContainerSpecs(pod)
    .map((c) => c.image)
    .filter((i): i is string => !!i);
  for (const executor of CI_EXECUTORS) {
    const label = executor.labelKeys.find((k) => k in labels);
    const ownedBy = owner && executor.ownerKinds.includes(owner.kind) ? `${owner.kind} ${owner.name}` : undefined;
    const image = executorImage(executor, images);
    if (!label && !ownedBy && !image) continue;
    const how = [label && `label ${label}`, ownedBy && `owned by ${ownedBy}`, image && `runs ${image}`].filter(Boolean).join(', ');
    return { executor, pod: describePod(index, pod), how };
  }
  return undefined;
}

function specJobPod(a: AuditActivity, name: string): JobPod | undefined {
  const spec = a.podSpec;
  if (!spec || identityKind(a.user, a.groups) === 'user') return undefined;
  for (const executor of CI_EXECUTORS) {
    const ownedBy = spec.owner && executor.ownerKinds.includes(spec.owner) ? `owned by ${spec.owner} ${spec.ownerName ?? ''}`.trim() : undefined;
    const image = executorImage(executor, spec.images ?? []);
    if (!ownedBy && !image) continue;
    const how = [ownedBy, image && `runs ${image}`].filter(Boolean).join(', ');
    return { executor, pod: `${a.namespace}/${name} (created at ${a.time} by ${a.user}, audit log; gone from the snapshot)`, how };
  }
  return undefined;
}

/**
 * A CI executor operating its own job pod: its service account created the pod and attaches to (or execs into) it to
 * run the job's script, as the GitLab Runner Kubernetes executor does. Returns the sentence, or undefined.
 */
export function executorOwnSession(index: ClusterIndex, session: ExecSession): string | undefined {
  if (!session.user.startsWith('system:serviceaccount:') || (session.kind !== 'attach' && session.kind !== 'exec')) return undefined;
  const created = podCreationBefore(index, session.namespace, session.pod, session.start);
  if (!created || created.user !== session.user) return undefined;
  const job = specJobPod(created, session.pod);
  if (!job) return undefined;
  return `${session.user} created ${session.namespace}/${session.pod} at ${created.time} (audit log), a ${job.executor.name} job pod (${job.how}), and ${session.kind === 'attach' ? 'attached to' : 'exec\'d into'} it from ${session.start} to ${session.end}: the executor feeding its own job, not a person's session`;
}

/** A job pod gone from the snapshot: by the name the alert gives, or (no name) every pod of that image alive then. */
function goneJobPod(ctx: Parameters<Rule['evaluate']>[0]): JobPod | undefined {
  const { alert, index, correlation } = ctx;
  const { namespace, pod: name, image } = alert.container;
  if (!namespace) return undefined;
  if (name) {
    const created = gonePodAt(index, namespace, name, alert.time);
    const node = correlation.subject.node?.metadata.name;
    if (!created || (created.podSpec!.nodeName && node && created.podSpec!.nodeName !== node)) return undefined;
    return specJobPod(created, name);
  }
  if (!image || !alert.container.name) return undefined;
  // No pod name (a host-installed sensor reporting namespace, container name and image): every pod of that namespace
  // and image alive at the time must be a job pod of one executor.
  const candidates = gonePodsWithImage(index, namespace, image, alert.time);
  const jobs = candidates.map((a) => specJobPod(a, a.name!));
  if (jobs.length === 0 || jobs.some((j) => !j || j.executor !== jobs[0]!.executor)) return undefined;
  return jobs.length === 1 ? jobs[0] : { ...jobs[0]!, pod: `one of ${jobs.length} ${jobs[0]!.executor.name} job pods in ${namespace} running ${image} at the time (audit log; gone from the snapshot)` };
}

const CHAIN_FLAG = /^-(?:[AIDRNCFXZ]|-append|-insert|-delete|-replace|-new-chain|-flush|-delete-chain|-zero)$/;
const PRIVATE_TARGET = /^(?:10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|127\.)/;
const IPV4_IN_ARG = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;

/**
 * The dind service's own start-up work (dockerd's DOCKER* chains, the wrapper's mounts), or undefined. In a host-network
 * pod the chains dockerd would touch are the node's own firewall, not the pod's: no excuse for them there.
 */
function dindSetup(alert: Alert, hostNetwork = false): string | undefined {
  const p = alert.process;
  const parent = p.ancestors[0];
  if (!parent || !p.commandLine) return undefined;
  const names = executableNames(p);
  const parentNames = executableNames(parent);
  const argv = splitCommandLine(p.commandLine);
  if (!hostNetwork && names.some((n) => DIND_DAEMON_SETUP.firewall.includes(n)) && parentNames.some((n) => DIND_DAEMON_SETUP.daemons.includes(n))) {
    const chains = argv.flatMap((a, i) => (CHAIN_FLAG.test(a) && argv[i + 1] ? [argv[i + 1]] : []));
    // Published ports are DNATed to the daemon's own containers (private addresses); anything else is not its bridge.
    // Every address anywhere in the arguments (`--to-destination x`, `--to-destination=x`, getopt's `--to-dest x`).
    const addresses = argv.flatMap((a) => a.match(IPV4_IN_ARG) ?? []);
    if (chains.length && chains.every((c) => c.startsWith(DIND_DAEMON_SETUP.chainPrefix)) && addresses.every((t) => PRIVATE_TARGET.test(t) || t === '0.0.0.0')) {
      return `the job's Docker-in-Docker daemon (dockerd) setting up its own ${chains[0]} chain`;
    }
  }
  if (names.includes('mount') && parentNames.some((n) => DIND_DAEMON_SETUP.wrappers.includes(n) || DIND_DAEMON_SETUP.daemons.includes(n))) {
    const target = argv[argv.length - 1] ?? '';
    // A pseudo file system, not a device or a bind of another path mounted at those places.
    const type = argv.flatMap((a, i) => (a === '-t' || a === '--types' ? [argv[i + 1] ?? ''] : a.startsWith('--types=') ? [a.slice(8)] : []));
    const binds = argv.some((a, i) => ((/^-[a-zA-Z]+$/.test(a) && /[BRM]/.test(a)) || /^--(?:r?bind|move)$/.test(a)) || ((a === '-o' || a === '--options') && /(?:^|,)r?bind(?:,|$)/.test(argv[i + 1] ?? '')));
    if (type.length !== 1 || !DIND_DAEMON_SETUP.mountTypes.includes(type[0]) || binds) return undefined;
    if (DIND_DAEMON_SETUP.mountTargets.some((m) => target === m || target.startsWith(`${m}/`))) return `the Docker-in-Docker wrapper mounting ${target} as its daemon starts`;
  }
  return undefined;
}

/** What build work the process is, or undefined. */
export function buildWork(alert: Alert, hostNetwork = false): string | undefined {
  const p = alert.process;
  const dind = dindSetup(alert, hostNetwork);
  if (dind) return dind;
  const names = executableNames(p);
  for (const entry of BUILD_ACTIVITY) if (names.some((n) => entry.names.includes(n))) return entry.what;
  const path = p.path ?? (p.commandLine ? splitCommandLine(p.commandLine)[0] : undefined);
  // The go tool's work directory (some sensors report only the process and its causality root, not go itself).
  if (path && GO_BUILD_BINARY.test(path) && (!p.ancestors[0] || executableNames(p.ancestors[0]).some((n) => n === 'go' || SHELLS.has(n)))) {
    return 'a test or program binary the Go toolchain built in its work directory';
  }
  if (names.includes('docker') && p.commandLine) {
    const argv = splitCommandLine(p.commandLine);
    let sub: string | undefined;
    let foreignDaemon = false;
    for (let i = 1; i < argv.length && !sub; i++) {
      const flag = /^(-H|--host|--context|-c)(?:=(.*))?$/.exec(argv[i]);
      if (flag) {
        const target = flag[2] ?? argv[++i] ?? '';
        // The job's own daemon (a socket, or the dind sidecar on localhost) builds; another host's daemon is lateral movement.
        if (flag[1] === '--context' || flag[1] === '-c' ? target !== 'default' : !JOB_OWN_DAEMON.test(target)) foreignDaemon = true;
      } else if (argv[i] === '--config') i++;
      else if (!argv[i].startsWith('-')) sub = argv[i];
    }
    if (sub && !foreignDaemon && DOCKER_BUILD_SUBCOMMANDS.includes(sub)) return `the Docker client (docker ${sub}) building or moving images`;
  }
  const itself = IMAGE_BUILDERS.find((b) => (p.path && b.paths.includes(p.path)) || names.some((n) => b.names.includes(n)));
  if (itself) return `${itself.what}, building an image`;
  for (const a of p.ancestors.slice(0, BUILDER_DEPTH)) {
    const builder = IMAGE_BUILDERS.find((b) => (a.path && b.paths.includes(a.path)) || executableNames(a).some((n) => b.names.includes(n)));
    if (builder) return `a step of an image build run by ${builder.what}`;
  }
  return undefined;
}

export const ciBuild: Rule = {
  id: 'ci-build',
  family: 'workload-baseline',
  direction: 'benign',
  description: 'Build work (package installs, compilers, test binaries, image builds) in a CI/CD job pod (GitHub Actions runner, GitLab Runner, Tekton, Argo Workflows, Jenkins, Buildkite), also once the job pod is gone',
  evaluate(ctx): Evidence[] {
    const { alert, correlation, index } = ctx;
    if (!alert.time || alert.process.tty === true || alert.apiRequest) return [];
    const pod = correlation.subject.pod;
    const live = pod ? liveJobPod(index, pod) : undefined;
    if (pod && !live) return [];
    const what = buildWork(alert, pod?.spec.hostNetwork === true);
    if (!what) return [];
    const job = live ?? goneJobPod(ctx);
    if (!job) return [];
    const cmd = clip(alert.process.commandLine ?? alert.process.path ?? alert.process.name ?? 'the process', 100);
    return [
      benign(
        this.id,
        'workload-baseline',
        'medium',
        `${cmd} is ${what} in ${job.pod}, a ${job.executor.name} job pod (${job.how}): installing packages, compiling, testing and building images is what a CI job does.`,
        { executor: job.executor.id },
      ),
    ];
  },
};
