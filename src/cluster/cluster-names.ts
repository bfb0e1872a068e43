/**
 * One cluster, several spellings. `aws eks update-kubeconfig` names the kubeconfig cluster by its ARN while EKS audit
 * log groups (`/aws/eks/<name>/cluster`) and GuardDuty findings use the short name; `gcloud container clusters
 * get-credentials` names it `gke_<project>_<location>_<name>`; AKS resource ids end in `/managedClusters/<name>`.
 * Two spellings name the same cluster when they are equal or when one is the other's short name and nothing more
 * specific (account, project, subscription) disagrees.
 */

interface ClusterName {
  /** The short cluster name, lower case. */
  short: string;
  /** Account, project+location or subscription+group when the spelling carries it (lower case), else undefined. */
  scope?: string;
}

const EKS_ARN = /^arn:aws[a-z-]*:eks:([a-z0-9-]+):(\d{12}):cluster\/([^/\s]+)$/i;
const GKE_CONTEXT = /^gke_([^_]+)_([^_]+)_(.+)$/;
const AKS_ID = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.containerservice\/managedclusters\/([^/]+)$/i;

export function parseClusterName(name: string): ClusterName {
  const text = name.trim();
  let m = EKS_ARN.exec(text);
  if (m) return { short: m[3].toLowerCase(), scope: `aws:${m[2]}:${m[1].toLowerCase()}` };
  m = GKE_CONTEXT.exec(text);
  if (m) return { short: m[3].toLowerCase(), scope: `gcp:${m[1].toLowerCase()}:${m[2].toLowerCase()}` };
  m = AKS_ID.exec(text);
  if (m) return { short: m[3].toLowerCase(), scope: `azure:${m[1].toLowerCase()}:${m[2].toLowerCase()}` };
  return { short: text.toLowerCase() };
}

/** Whether two spellings can name the same cluster (see above). */
export function sameClusterName(a: string, b: string): boolean {
  if (a === b) return true;
  const x = parseClusterName(a);
  const y = parseClusterName(b);
  if (x.short !== y.short || x.short === '') return false;
  return x.scope === undefined || y.scope === undefined || x.scope === y.scope;
}

/**
 * The one candidate a name designates, or undefined when none or several do (a short name shared by two accounts'
 * clusters names neither).
 */
export function clusterNamed<T>(name: string, candidates: readonly T[], namesOf: (candidate: T) => readonly string[]): T | undefined {
  const exact = candidates.filter((c) => namesOf(c).includes(name));
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) return undefined;
  const loose = candidates.filter((c) => namesOf(c).some((n) => sameClusterName(n, name)));
  return loose.length === 1 ? loose[0] : undefined;
}
