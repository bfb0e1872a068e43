/**
 * The public API endpoints of the cloud a cluster runs on: every managed node agent, CSI driver, logging agent and
 * SDK-using workload resolves them all day (GKE: storage / logging / monitoring / pubsub .googleapis.com; EKS:
 * <service>.<region>.amazonaws.com; AKS: *.blob.core.windows.net, management.azure.com; OKE: <service>.<region>.oraclecloud.com). A cluster DNS pod forwarding a
 * lookup of one of these to the node's resolver is name resolution, not a pod's C2 lookup. Suffix matches on a label
 * boundary only, so `googleapis.com.example.net` or `evilgoogleapis.com` are not covered.
 */
export const CLOUD_API_DOMAIN_SUFFIXES: readonly string[] = [
  'googleapis.com',
  'gcr.io',
  'pkg.dev',
  'amazonaws.com',
  'core.windows.net',
  'management.azure.com',
  'login.microsoftonline.com',
  'azurecr.io',
  // OCI: <service>.<region>.oraclecloud.com and <service>.<region>.oci.oraclecloud.com; the OCIR registry <region>.ocir.io.
  'oraclecloud.com',
  'ocir.io',
];

/** Whether a DNS name is one of the cloud's own API endpoints (a trailing dot ignored, case-insensitive). */
export function isCloudApiDomain(domain: string): boolean {
  const name = domain.toLowerCase().replace(/\.$/, '');
  return CLOUD_API_DOMAIN_SUFFIXES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`));
}

/**
 * User agents of Google's own client libraries when they ask the metadata server for a token (the Go
 * cloud.google.com/go/compute/metadata client sends `gcloud-golang/0.1`; the others are the libraries' documented or
 * observed defaults, inferred where no documentation states them). Matched at the start of the header.
 */
export const GOOGLE_CLIENT_USER_AGENTS: readonly RegExp[] = [
  /^gcloud-golang\//i,
  /^google-api-go-client\//i,
  /^Google-HTTP-Java-Client\//i,
  /^google-api-nodejs-client\//i,
  /^gcloud-python\//i,
  /^gcloud-node\//i,
  /^google-cloud-sdk\b/i,
  /^gcloud\//i,
];

/**
 * User agents of the AWS SDKs and CLI (`aws-sdk-go/…`, `aws-sdk-go-v2/…`, `aws-sdk-java/…`, `aws-sdk-js/…`,
 * `aws-sdk-rust/…`, `aws-sdk-dotnet…`, `aws-cli/…`, `Boto3/…`, `Botocore/…`), as they send them to the container
 * credential endpoint (EKS Pod Identity). Matched at the start of the header.
 */
export const AWS_SDK_USER_AGENTS: readonly RegExp[] = [/^aws-sdk-[a-z0-9-]+\//i, /^aws-cli\//i, /^Boto3\//i, /^Botocore\//i, /^aws-sdk-dotnet/i];

/** EKS Pod Identity's credential endpoint, served on every node by the eks-pod-identity-agent DaemonSet. */
export const POD_IDENTITY_ADDRESSES: ReadonlySet<string> = new Set(['169.254.170.23', 'fd00:ec2::23']);
/** The audience of the projected token EKS injects into pods with a Pod Identity association. */
export const POD_IDENTITY_AUDIENCE = 'pods.eks.amazonaws.com';

/**
 * ExternalDNS: the API hosts each `--provider` talks to when it reads and writes DNS records (sources: the providers'
 * public API documentation; the token exchange hosts where the provider signs requests with a cloud identity).
 */
export const DNS_PROVIDER_API_HOSTS: Readonly<Record<string, readonly string[]>> = {
  digitalocean: ['api.digitalocean.com'],
  aws: ['route53.amazonaws.com', 'sts.amazonaws.com'],
  google: ['dns.googleapis.com', 'oauth2.googleapis.com'],
  azure: ['management.azure.com', 'login.microsoftonline.com'],
  'azure-private-dns': ['management.azure.com', 'login.microsoftonline.com'],
  cloudflare: ['api.cloudflare.com'],
  linode: ['api.linode.com'],
  scaleway: ['api.scaleway.com'],
  exoscale: ['api.exoscale.com'],
  gandi: ['api.gandi.net'],
  godaddy: ['api.godaddy.com'],
  ns1: ['api.nsone.net'],
};

/** Image repositories (path suffixes) of ExternalDNS. */
export const DNS_CONTROLLER_IMAGES: readonly string[] = ['external-dns/external-dns', 'bitnami/external-dns'];

/**
 * Object-storage endpoints whose host names a bucket (virtual-hosted style), and how a workload writes that bucket in
 * its own arguments or environment: an upload to `reports.s3.us-east-2.amazonaws.com` is to `s3://reports`.
 */
export const BUCKET_HOSTS: readonly { host: RegExp; uri: (bucket: string) => string }[] = [
  { host: /^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\.s3(?:[.-](?:dualstack\.)?[a-z0-9-]+)?\.amazonaws\.com\.?$/, uri: (b) => `s3://${b}` },
  { host: /^([a-z0-9][a-z0-9._-]{1,220}[a-z0-9])\.storage\.googleapis\.com\.?$/, uri: (b) => `gs://${b}` },
];

/** The bucket URI a virtual-hosted object-storage host stands for (`s3://reports`), if it is one. */
export function bucketUriOf(host: string): string | undefined {
  const name = host.toLowerCase();
  for (const { host: pattern, uri } of BUCKET_HOSTS) {
    const m = pattern.exec(name);
    if (m) return uri(m[1]);
  }
  return undefined;
}

/**
 * Workload identities that hand a pod a projected token file and point its cloud SDK at it with an environment
 * variable, injected by the platform's admission webhook at the documented path: the SDK re-reads the file whenever
 * it refreshes its credentials. Snapshots keep env names, not values, and not the mounts of projected volumes, so
 * the variable's presence and the file lying under the documented `dir` are what is checked.
 */
export const WORKLOAD_IDENTITY_TOKEN_FILES: readonly { name: string; env: string; dir: string }[] = [
  { name: 'IRSA (IAM roles for service accounts) web identity token', env: 'AWS_WEB_IDENTITY_TOKEN_FILE', dir: '/var/run/secrets/eks.amazonaws.com/serviceaccount' },
  { name: 'EKS Pod Identity token', env: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', dir: '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount' },
  { name: 'Azure workload identity federated token', env: 'AZURE_FEDERATED_TOKEN_FILE', dir: '/var/run/secrets/azure/tokens' },
];

/**
 * What a pod declares when its program is a cloud API client that gets its credentials from the instance metadata
 * service (GKE Workload Identity, the node's role): the variables the cloud SDKs read for the project / region (names
 * only — snapshots keep no values), and the node selector GKE Standard needs for Workload Identity nodes.
 */
export const CLOUD_CLIENT_ENV_NAMES: ReadonlySet<string> = new Set([
  'GOOGLE_CLOUD_PROJECT',
  'GCLOUD_PROJECT',
  'GCP_PROJECT',
  'CLOUDSDK_CORE_PROJECT',
  'GOOGLE_CLOUD_REGION',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
]);
export const WORKLOAD_IDENTITY_NODE_SELECTORS: readonly string[] = ['iam.gke.io/gke-metadata-server-enabled'];
