/**
 * kubelet-volume-mount: the kubelet mounts a tmpfs for every Secret, projected (kube-api-access-*, the service-account
 * token) and memory-backed emptyDir volume of a pod it starts, at <kubelet root>/pods/<pod uid>/volumes/<plugin>/<name>,
 * and unmounts it when the pod goes. A node sensor sees `mount -t tmpfs … tmpfs <that directory>` under the kubelet
 * (or the distribution's agent that runs it in-process: MicroK8s' kubelite, k3s) and the path names a token volume.
 * It is the kubelet's work when the directory is exactly one volume of a pod bound to this node, mounted around the
 * time that pod started, by the kubelet host daemon itself (not under a login). Anything reading inside the directory
 * (…/token), a bind mount elsewhere, another node's pod, or an unknown volume name is not this.
 */
import { argvOf, isNodeLogin } from '../argv.js';
import type { Pod } from '../../cluster/model.js';
import type { Evidence, Rule, RuleContext } from '../model.js';
import { benign, describePod, executableNames } from './support.js';

/** Host daemons that run the kubelet: upstream's, and agents that embed it (MicroK8s kubelite, k3s, k0s' worker). */
const KUBELET_DAEMONS: ReadonlySet<string> = new Set(['kubelet', 'kubelite', 'k3s', 'k3s-server', 'k3s-agent', 'k0s']);
/** The volume plugins whose directories the kubelet backs with tmpfs, and the pod volume kind each one is. */
const PLUGIN_KIND: Readonly<Record<string, 'projected' | 'secret' | 'emptyDir' | 'downwardAPI'>> = {
  'kubernetes.io~projected': 'projected',
  'kubernetes.io~secret': 'secret',
  'kubernetes.io~empty-dir': 'emptyDir',
  'kubernetes.io~downward-api': 'downwardAPI',
};
/** <kubelet root, ending in /kubelet>/pods/<uid>/volumes/<plugin>/<volume name>, nothing after it. */
const VOLUME_DIR = /^\/(?:[\w.-]+\/)*kubelet\/pods\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/volumes\/(kubernetes\.io~[a-z-]+)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)\/?$/;
/** How long after the pod's creation the kubelet sets its volumes up (image pulls come after the mounts). */
const SETUP_WINDOW_MS = 10 * 60_000;

interface VolumeMount {
  pod: Pod;
  volume: string;
  kind: string;
  unmount: boolean;
}

/** `mount -t tmpfs [-o opts] tmpfs <dir>` or `umount <dir>`: the directory, or undefined for any other form. */
function mountTarget(argv: readonly string[]): { dir: string; unmount: boolean } | undefined {
  const program = (argv[0] ?? '').split('/').pop();
  if (program === 'umount') {
    const rest = argv.slice(1).filter((a) => !/^-[lf]+$/.test(a));
    return rest.length === 1 ? { dir: rest[0], unmount: true } : undefined;
  }
  if (program !== 'mount') return undefined;
  const positional: string[] = [];
  let type: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === '-t') type = argv[++i];
    else if (argv[i] === '-o') i++;
    else if (argv[i].startsWith('-')) return undefined;
    else positional.push(argv[i]);
  }
  return type === 'tmpfs' && positional.length === 2 && positional[0] === 'tmpfs' ? { dir: positional[1], unmount: false } : undefined;
}

export function kubeletVolumeMount(ctx: RuleContext): VolumeMount | undefined {
  const { alert, correlation, index } = ctx;
  const node = correlation.subject.node;
  if (!node || correlation.subject.pod || !alert.process.commandLine) return undefined;
  const [parent] = alert.process.ancestors;
  if (!parent || !executableNames(parent).some((n) => KUBELET_DAEMONS.has(n))) return undefined;
  if (alert.process.ancestors.some(isNodeLogin)) return undefined;
  const target = mountTarget(argvOf(alert.process.commandLine));
  const m = target && VOLUME_DIR.exec(target.dir);
  if (!target || !m) return undefined;
  const [, podUid, plugin, volume] = m;
  const kind = PLUGIN_KIND[plugin];
  const pod = index.podByUid(podUid);
  if (!kind || !pod || pod.spec.nodeName !== node.metadata.name) return undefined;
  const declared = (pod.spec.volumes ?? []).find((v) => v.name === volume);
  if (!declared || !(kind in declared)) return undefined;
  if (!target.unmount) {
    const created = pod.metadata.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : NaN;
    const at = alert.time ? Date.parse(alert.time) : NaN;
    if (!(at >= created - 60_000 && at <= created + SETUP_WINDOW_MS)) return undefined;
  }
  return { pod, volume, kind, unmount: target.unmount };
}

export const kubeletVolumeMountRule: Rule = {
  id: 'kubelet-volume-mount',
  family: 'workload-baseline',
  direction: 'benign',
  description: "The kubelet mounting (or unmounting) the tmpfs of a Secret, projected token or memory emptyDir volume of a pod it starts on this node",
  evaluate(ctx): Evidence[] {
    const found = kubeletVolumeMount(ctx);
    if (!found) return [];
    const parent = ctx.alert.process.ancestors[0];
    return [
      benign(
        this.id,
        'workload-baseline',
        'strong',
        `${parent.name ?? parent.path ?? 'the kubelet'} ${found.unmount ? 'unmounts' : 'mounts'} the tmpfs of ${found.kind} volume ${found.volume} of ${describePod(ctx.index, found.pod)}, bound to this node${found.unmount ? '' : ` and created at ${found.pod.metadata.creationTimestamp}`}: the kubelet sets up every such volume when it starts the pod; nothing reads the token here.`,
        { pod: found.pod.metadata.name, volume: found.volume },
      ),
    ];
  },
};
