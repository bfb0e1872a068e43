/**
 * A host file (typically a credential) the workload's own spec declares: a controller-owned pod whose container mounts the file from the
 * host and whose entrypoint script uses it (an etcd backup CronJob's `etcdctl --key=/etc/kubernetes/pki/etcd/… snapshot
 * save`), seen running exactly that declared step. The spec, not the process, is then the place where the credential
 * use was decided — by whoever owns the controller — and the alert shows nothing beyond it.
 *
 * Not for bare pods (their spec is what their creator typed), static pods (a manifest dropped on the host is the
 * classic persistence), a command that differs from the declared step, or a file the spec does not name. The one
 * exception is kubeadm's own control plane: the mirror pod `<component>-<node>` in kube-system, labelled
 * `component=<component>, tier=control-plane`, whose container of that name runs the component's image and binary
 * (etcd with its own `--peer-key-file`): its keys are its configuration. A dropped manifest under another name, image
 * or binary (etcdctl in a look-alike pod) is not.
 */
import type { Alert } from '../../alerts/model.js';
import type { ClusterIndex, ContainerSpec, Pod } from '../../cluster/model.js';
import { commandMatches, entrypointMatches, entrypointScriptSteps } from '../correlate.js';
import { executableNames, RUNTIME_PARENTS } from './support.js';

const CONTROLLER_KINDS = new Set(['Job', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'CronJob', 'Deployment']);
const KUBEADM_CONTROL_PLANE = new Set(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']);

/** The image's repository path without registry port, tag or digest. */
function imageRepository(image: string): string {
  const noDigest = image.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** kubeadm's own control-plane static pod, and its component's container running the component's binary. */
export function kubeadmControlPlaneContainer(pod: Pod, container: ContainerSpec): boolean {
  const component = pod.metadata.labels?.component;
  if (!component || !KUBEADM_CONTROL_PLANE.has(component) || pod.metadata.labels?.tier !== 'control-plane') return false;
  if (pod.metadata.namespace !== 'kube-system' || !pod.spec.nodeName || pod.metadata.name !== `${component}-${pod.spec.nodeName}`) return false;
  if (!pod.metadata.annotations?.['kubernetes.io/config.mirror'] || container.name !== component) return false;
  if (!imageRepository(container.image ?? '').endsWith(`/${component}`)) return false;
  return (container.command?.[0] ?? '').split('/').pop() === component;
}

export interface DeclaredUse {
  /** The declared command the process runs (clipped by the caller). */
  step: string;
  /** The host mount that brings the credential into the container. */
  hostPath: string;
  mountPath: string;
}

function hostMountOf(pod: Pod, container: ContainerSpec, path: string): { hostPath: string; mountPath: string } | undefined {
  for (const m of container.volumeMounts ?? []) {
    const mount = m.mountPath.replace(/\/$/, '');
    if (!mount || (path !== mount && !path.startsWith(`${mount}/`))) continue;
    const volume = pod.spec.volumes?.find((v) => v.name === m.name);
    if (volume?.hostPath?.path) return { hostPath: volume.hostPath.path, mountPath: m.mountPath };
  }
  return undefined;
}

/** The paths an argv names, as whole tokens or as the value of `--flag=`. */
function namedPaths(argv: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const a of argv) {
    const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : a;
    if (value.startsWith('/')) out.add(value);
  }
  return out;
}

/**
 * The declared step is run by the container's entrypoint: the process's reported parent (when the sensor names one) is
 * the entrypoint's script shell, or — for an entrypoint that is the program itself — the container runtime. The same
 * program under an interactive shell (kubectl exec, a webshell) or an implant is someone else's use of the credential.
 */
function startedByEntrypoint(alert: Alert, container: ContainerSpec, scripted: boolean): boolean {
  const parent = alert.process.ancestors[0];
  if (!parent || !(parent.name || parent.path || parent.commandLine)) return true;
  if (scripted) return !!parent.commandLine && entrypointMatches(parent.commandLine, container);
  return executableNames(parent).some((n) => RUNTIME_PARENTS.test(n)) || (!!parent.commandLine && entrypointMatches(parent.commandLine, container));
}

/**
 * The declared use of the host file `path` the alert shows, or undefined. `path` is the file the alert names, or a
 * credential path found in its command line.
 */
export function declaredHostFileUse(index: ClusterIndex, pod: Pod, container: ContainerSpec, alert: Alert, path: string): DeclaredUse | undefined {
  const owners = pod.metadata.ownerReferences ?? [];
  if (!kubeadmControlPlaneContainer(pod, container)) {
    if (!owners.some((o) => CONTROLLER_KINDS.has(o.kind)) || pod.metadata.annotations?.['kubernetes.io/config.mirror']) return undefined;
    if (!index.workloadOf(pod)) return undefined;
  }
  const mount = hostMountOf(pod, container, path);
  if (!mount) return undefined;
  const steps = entrypointScriptSteps(container);
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  const candidates = steps.length ? steps : [argv];
  const cmd = alert.process.commandLine;
  const names = executableNames(alert.process);
  if (!startedByEntrypoint(alert, container, steps.length > 0)) return undefined;
  for (const step of candidates) {
    if (!namedPaths(step).has(path)) continue;
    // The process runs exactly this step; with no command line (a file event), its program is the step's program.
    const runs = cmd ? (steps.length ? commandMatches(cmd, step) : entrypointMatches(cmd, container)) : names.includes((step[0].split('/').pop() ?? '').toLowerCase());
    if (runs) return { step: step.join(' '), ...mount };
  }
  return undefined;
}
