/**
 * Authenticating proxies that reach the API server on a person's behalf with impersonation headers. The audit log
 * then names the proxy's own identity as `user` and the person as `impersonatedUser`; the request comes from the
 * proxy's pod. Data, not code: the admin-activity rule trusts the impersonated person only when the cluster confirms
 * the request came from a pod of the proxy (namespace, owning workload and image together).
 *
 * Rancher: "Each user account in Rancher correlates with an equivalent service account in the downstream cluster.
 * Rancher uses the service account to impersonate the user" (Rancher manager docs, "Communicating with downstream user
 * clusters", the authentication proxy); the service accounts are `cattle-impersonation-<rancher user id>` in
 * namespace `cattle-impersonation-system`, and the requests are forwarded by cattle-cluster-agent (or by the Rancher
 * server pods themselves for Rancher's local cluster).
 */
import { imageRepository, nameMatches } from './components.js';

export interface ImpersonatingProxy {
  id: string;
  name: string;
  /** The proxy's own identity; group 1, when present, must equal the impersonated username (one identity per person). */
  impersonator: RegExp;
  /** Where the proxy's pods run, which controllers own them (a trailing * matches a prefix), and their images. */
  namespaces: string[];
  workloads: string[];
  images: string[];
}

export const IMPERSONATING_PROXIES: ImpersonatingProxy[] = [
  {
    id: 'rancher',
    name: "Rancher's authentication proxy",
    impersonator: /^system:serviceaccount:cattle-impersonation-system:cattle-impersonation-((?:u|user)-[a-z0-9]+)$/,
    namespaces: ['cattle-system'],
    workloads: ['cattle-cluster-agent', 'rancher'],
    images: ['rancher/rancher-agent', 'rancher/rancher'],
  },
];

/** The proxy whose impersonating identity this is, when the impersonated name is the one that identity stands for. */
export function proxyOfImpersonator(user: string, impersonated: string): ImpersonatingProxy | undefined {
  return IMPERSONATING_PROXIES.find((p) => {
    const m = p.impersonator.exec(user);
    return !!m && (m[1] === undefined || m[1] === impersonated);
  });
}

export function isProxyPod(proxy: ImpersonatingProxy, namespace: string | undefined, workloadNames: string[], images: (string | undefined)[]): boolean {
  if (!namespace || !proxy.namespaces.includes(namespace)) return false;
  if (!workloadNames.some((w) => nameMatches(proxy.workloads, w))) return false;
  return images.some((image) => {
    const repo = imageRepository(image);
    return !!repo && proxy.images.some((suffix) => repo === suffix || repo.endsWith(`/${suffix}`));
  });
}
