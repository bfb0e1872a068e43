/**
 * A kubelet reads the Secrets and ConfigMaps of the pods bound to its node (their volumes and env), and the API
 * server's node authorizer lets it read nothing else. A runtime-anomaly finding about system:node:<name> reading one
 * (every EKS Fargate pod brings a new node identity, new to any anomaly model) is that kubelet starting its pod, when
 * the request succeeded, came from that node's own address, and named an object in the namespace of a pod bound to
 * that node at the time. From any other address, for another namespace or kind, or with another client than the
 * kubelet's (the node's certificate taken and used with kubectl), it is not.
 */
import { vmPerPodPlatform } from '../../knowledge/vm-per-pod.js';
import type { Evidence, Rule } from '../model.js';
import { benign, describePod } from './support.js';

const KUBELET_READS = new Set(['secrets', 'configmaps']);
const READ_VERBS = new Set(['get', 'list', 'watch']);
/**
 * The kubelet's own client (`kubelet/v1.30.4 (linux/amd64) kubernetes/…`). Its client certificate sits on the node
 * (/var/lib/kubelet/pki): whoever took it there reads the same objects from the same address, with kubectl or curl.
 */
const KUBELET_AGENT = /^kubelet\//;

export const kubeletOwnPods: Rule = {
  id: 'kubelet-own-pods',
  family: 'workload-baseline',
  direction: 'benign',
  description: "A kubelet reading a Secret or ConfigMap of a pod bound to its own node, from its own address",
  evaluate(ctx): Evidence[] {
    const { alert, correlation, index } = ctx;
    const req = alert.apiRequest;
    const pod = correlation.subject.pod;
    if (!req?.user?.startsWith('system:node:') || !pod || !req.resource || !KUBELET_READS.has(req.resource) || !READ_VERBS.has(req.verb ?? '')) return [];
    if (req.statusCode !== undefined && (req.statusCode < 200 || req.statusCode >= 300)) return [];
    if (req.userAgent !== undefined && !KUBELET_AGENT.test(req.userAgent)) return [];
    if (!req.namespace || req.namespace !== pod.metadata.namespace) return [];
    // The pod was placed by the request's source address; it must be bound to the node the identity names.
    const identity = req.user.slice('system:node:'.length).toLowerCase();
    const nodeName = (pod.spec.nodeName ?? '').toLowerCase();
    const prefix = vmPerPodPlatform(pod)?.nodeNamePrefix ?? '';
    if (nodeName !== identity && nodeName !== `${prefix}${identity}`) return [];
    const ips = [pod.status?.podIP, pod.status?.hostIP].filter((x): x is string => !!x);
    if (!(req.sourceIps ?? []).every((ip) => ips.includes(ip))) return [];
    return [
      benign(
        this.id,
        'workload-baseline',
        'medium',
        `${req.user} read ${req.resource.replace(/s$/, '')} ${req.namespace}/${req.name ?? '(list)'} from ${req.sourceIps?.join(', ')}, the address of its own node, where ${describePod(index, pod)} is bound; the node authorizer lets a kubelet read only the objects of its own pods.`,
        { pod: pod.metadata.name },
      ),
    ];
  },
};
