/**
 * cluster-controller: a Kubernetes controller's own program doing what controllers do — reading its service-account
 * token, connecting to the API server with it, reading the keys its own manifests mount where the project puts them
 * (knowledge: ownFiles; loaded snapshots keep no Secret volumes, so the directory is the project's, not read from the
 * pod). Confirmed by the
 * cluster: the pod belongs to a workload (not a naked pod), the container runs the controller's image, the process is
 * one of its programs (not from a temporary or hidden directory, not under a shell), and no kubectl exec or debug
 * session was open in the pod. A shell, cat or a downloaded kubectl in the same container, or the same image in a
 * naked pod, stay with the other rules.
 */
import { CLUSTER_CONTROLLERS, SERVICE_ACCOUNT_TOKEN, type ClusterController } from '../../knowledge/cluster-controllers.js';
import { imageRepository, isRepoOrPathSuffix } from '../../knowledge/components.js';
import { SHELL_PROGRAMS } from '../argv.js';
import type { Evidence, Rule, RuleContext } from '../model.js';
import { benign, describePod, executableNames, isStagingPath, sessionOpenIn } from './support.js';

/** Answers per image (null: no controller); the rule asks for every alert placed in a container, of a few images. */
const controllerByImage = new Map<string, ClusterController | null>();
const CONTROLLER_BY_IMAGE_ENTRIES = 4096;

function controllerOfImage(image: string | undefined): ClusterController | undefined {
  if (!image) return undefined;
  const known = controllerByImage.get(image);
  if (known !== undefined) return known ?? undefined;
  const repo = imageRepository(image);
  const found = repo ? CLUSTER_CONTROLLERS.find((c) => c.images.some((suffix) => isRepoOrPathSuffix(repo, suffix))) : undefined;
  if (controllerByImage.size >= CONTROLLER_BY_IMAGE_ENTRIES) controllerByImage.clear();
  controllerByImage.set(image, found ?? null);
  return found;
}

/** What this controller's own program did that is its work, or undefined. */
export function controllerOwnWork(ctx: RuleContext): { controller: ClusterController; what: string } | undefined {
  const { alert, correlation, index } = ctx;
  const { pod, container } = correlation.subject;
  if (!pod || !container) return undefined;
  const controller = controllerOfImage(container.spec.image);
  if (!controller || !index.workloadOf(pod)) return undefined;
  const p = alert.process;
  const names = executableNames(p);
  if (!names.some((n) => controller.programs.includes(n)) || (p.path && isStagingPath(p.path))) return undefined;
  if (p.tty || p.ancestors.slice(0, 3).some((a) => executableNames(a).some((n) => SHELL_PROGRAMS.has(n)))) return undefined;
  if (sessionOpenIn(index, pod, alert.time)) return undefined;
  const file = alert.file?.path;
  if (file && SERVICE_ACCOUNT_TOKEN.test(file) && pod.spec.automountServiceAccountToken !== false) {
    return { controller, what: `reads its own service-account token (${file}) to call the API server` };
  }
  const own = file && !file.includes('/../') ? controller.ownFiles?.find((dir) => file.startsWith(dir)) : undefined;
  if (own) return { controller, what: `reads ${file}, under ${own}, where ${controller.name}'s own manifests mount its keys and certificates` };
  const dst = alert.network?.dstIp;
  const svc = dst ? index.serviceByIp(dst) : undefined;
  if (!file && svc?.metadata.namespace === 'default' && svc.metadata.name === 'kubernetes') {
    return { controller, what: `connects to the API server through Service default/kubernetes (${dst})` };
  }
  return undefined;
}

export const clusterController: Rule = {
  id: 'cluster-controller',
  family: 'workload-baseline',
  direction: 'benign',
  description: "A Kubernetes controller's own program reading its service-account token, calling the API server or reading the keys its manifests mount",
  evaluate(ctx): Evidence[] {
    const work = controllerOwnWork(ctx);
    if (!work) return [];
    const { pod, container } = ctx.correlation.subject;
    return [
      benign(
        this.id,
        'workload-baseline',
        'strong',
        `${describePod(ctx.index, pod!)} runs ${work.controller.name} (image ${container!.spec.image}); its own program ${ctx.alert.process.path ?? ctx.alert.process.name} ${work.what}, which is a controller's work.`,
        { controller: work.controller.id, pod: pod!.metadata.name },
      ),
    ];
  },
};
