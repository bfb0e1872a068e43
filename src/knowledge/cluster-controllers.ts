/**
 * Kubernetes controllers and operators: programs whose whole job is to watch and change the cluster through the API
 * server with their pod's service account. Their own program reading the service-account token, connecting to the
 * API server, or reading the keys their own manifests mount for them is their work. Matched by the image repository (path suffix) and the
 * program's executable name, as the projects' images and charts ship them (Dockerfile entrypoints, Helm charts of
 * each project, from memory of their repositories; check a new entry against the image's entrypoint).
 */

export interface ClusterController {
  id: string;
  name: string;
  /** Image repository path suffixes (registry and tag ignored). */
  images: string[];
  /** The executables the images run (basename). */
  programs: string[];
  /**
   * Directories where the project's own manifests mount the keys and certificates the controller works with (Linkerd's
   * identity issuer, istiod's CA): its own program reading a file there is its work.
   */
  ownFiles?: string[];
}

export const CLUSTER_CONTROLLERS: readonly ClusterController[] = [
  { id: 'argo-rollouts', name: 'Argo Rollouts controller', images: ['argoproj/argo-rollouts'], programs: ['rollouts-controller'] },
  { id: 'argocd-controllers', name: 'Argo CD controllers and API server', images: ['argoproj/argocd'], programs: ['argocd-application-controller', 'argocd-applicationset-controller', 'argocd-server', 'argocd-notifications'] },
  {
    id: 'linkerd-control-plane',
    name: 'Linkerd control plane (destination, identity, proxy injector, policy)',
    images: ['linkerd/controller', 'linkerd/policy-controller'],
    programs: ['controller', 'policy-controller', 'linkerd-policy-controller'],
    ownFiles: ['/var/run/linkerd/identity/issuer/', '/var/run/linkerd/identity/trust-roots/', '/var/run/linkerd/tls/'],
  },
  { id: 'istiod', name: 'Istio control plane (istiod)', images: ['istio/pilot', 'istio-release/pilot'], programs: ['pilot-discovery'], ownFiles: ['/etc/cacerts/', '/var/run/secrets/istiod/', '/var/run/secrets/istio-dns/'] },
  { id: 'cert-manager', name: 'cert-manager', images: ['jetstack/cert-manager-controller', 'jetstack/cert-manager-cainjector', 'jetstack/cert-manager-webhook'], programs: ['controller', 'cainjector', 'webhook'] },
  { id: 'external-secrets', name: 'External Secrets Operator', images: ['external-secrets/external-secrets'], programs: ['external-secrets'] },
  { id: 'kyverno', name: 'Kyverno controllers', images: ['kyverno/kyverno', 'kyverno/background-controller', 'kyverno/cleanup-controller', 'kyverno/reports-controller'], programs: ['kyverno', 'background-controller', 'cleanup-controller', 'reports-controller'] },
  { id: 'prometheus-operator', name: 'Prometheus Operator', images: ['prometheus-operator/prometheus-operator'], programs: ['operator'] },
  { id: 'aws-load-balancer-controller', name: 'AWS Load Balancer Controller', images: ['eks/aws-load-balancer-controller', 'aws-load-balancer-controller'], programs: ['controller', 'aws-load-balancer-controller'] },
  { id: 'external-dns', name: 'ExternalDNS', images: ['external-dns/external-dns'], programs: ['external-dns'] },
  { id: 'cluster-autoscaler', name: 'Cluster Autoscaler', images: ['autoscaling/cluster-autoscaler'], programs: ['cluster-autoscaler'] },
  { id: 'karpenter', name: 'Karpenter', images: ['karpenter/controller'], programs: ['controller', 'karpenter'] },
  { id: 'flux', name: 'Flux controllers', images: ['fluxcd/source-controller', 'fluxcd/kustomize-controller', 'fluxcd/helm-controller', 'fluxcd/notification-controller', 'fluxcd/image-reflector-controller', 'fluxcd/image-automation-controller'], programs: ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller', 'image-reflector-controller', 'image-automation-controller'] },
  { id: 'kube-state-metrics', name: 'kube-state-metrics', images: ['kube-state-metrics/kube-state-metrics'], programs: ['kube-state-metrics'] },
  { id: 'metrics-server', name: 'metrics-server', images: ['metrics-server/metrics-server'], programs: ['metrics-server'] },
];

/** The standard projected service-account token, as containers see it (the ..<timestamp> directory of the atomic writer included). */
export const SERVICE_ACCOUNT_TOKEN = /^\/(?:var\/)?run\/secrets\/kubernetes\.io\/serviceaccount\/(?:\.\.[^/]+\/)?token$/;
