/**
 * Agents whose work reaches every node or pod, or a backend outside the cluster, by design — known by image repository
 * (registry stripped) and the ports that work uses.
 */
export interface CollectorImage {
  image: RegExp;
  ports: number[];
  /** What it does there, as a sentence fragment: "Prometheus scrapes metrics endpoints". */
  what: string;
  /** It also scrapes any pod port the pod itself declares as a metrics endpoint (port name, prometheus.io/port). */
  declaredMetricsPorts?: boolean;
}

/**
 * Container port names that declare a metrics endpoint, as charts and ServiceMonitors name them: `metrics`,
 * `http-metrics`, `https-metrics`, `<x>-metrics`, `metrics-<x>`, `prom`, `prometheus`; and the ports mesh sidecars
 * declare for the mesh's Prometheus: Linkerd's proxy `linkerd-admin` (4191, /metrics, scraped by linkerd-viz and the
 * kube-prometheus PodMonitors) and Istio's `http-envoy-prom` (15090, /stats/prometheus) — injected into every meshed pod.
 */
export const METRICS_PORT_NAME = /^(?:metrics|https?-metrics|[a-z0-9]+(?:-[a-z0-9]+)*-metrics|metrics-[a-z0-9-]+|prom|prometheus|linkerd-admin|http-envoy-prom)$/;
/**
 * What a scrape looks like on the wire when the network record carries it: a GET of a metrics path (`/metrics`,
 * `/actuator/prometheus`, `/stats/prometheus`, `/federate`), optionally with plain `name=value` parameters, and
 * Prometheus's own user agent. An actuator heap dump or an exploit string on the metrics port is not a scrape.
 */
export const SCRAPE_URL_PATH = /^(?:https?:\/\/[\w.:[\]-]+)?\/(?:[\w.-]+\/)*(?:metrics|prometheus|federate)\/?(?:\?[\w.%=&[\]-]*)?$/i;
export const SCRAPE_USER_AGENT = /^Prometheus\/\S+$/;
/** The pod annotation that tells an annotation-driven Prometheus which port to scrape. */
export const PROMETHEUS_PORT_ANNOTATION = 'prometheus.io/port';

/**
 * The OpenTelemetry collector's official images (Docker Hub otel/…, the releases repository on ghcr.io), registry
 * stripped: a look-alike under another organisation is not the collector.
 */
const OTEL_COLLECTOR = /^(?:otel|open-telemetry\/opentelemetry-collector-releases)\/opentelemetry-collector(?:-contrib|-k8s|-otlp)?$/;

/**
 * metrics-server's published repositories, registry stripped: registry.k8s.io/metrics-server/metrics-server, the
 * legacy k8s.gcr.io/metrics-server-<arch>, GKE's gke.gcr.io/metrics-server, and the Bitnami, Rancher and EKS-D builds.
 * The whole repository, not a substring: attacker/metrics-server-tools is not metrics-server.
 */
const METRICS_SERVER = /^(?:metrics-server\/metrics-server|(?:google_containers\/)?metrics-server(?:-(?:amd64|arm64|arm|ppc64le|s390x))?|bitnami\/metrics-server|rancher\/(?:mirrored-)?metrics-server|eks-distro\/kubernetes-sigs\/metrics-server)$/;
/** Prometheus's published repositories (quay.io and Docker Hub prometheus/ and prom/, Bitnami, Rancher's mirror, GMP): evil/prometheus is not. */
const PROMETHEUS = /^(?:prometheus|prom|bitnami|prometheus-operator|prometheus-engine|gke-release\/prometheus-engine)\/prometheus$|^rancher\/mirrored-prometheus-prometheus$/;

/** Well-known collectors that reach every node or pod by design, by whole image repository (registry stripped). */
export const COLLECTORS: readonly CollectorImage[] = [
  { image: METRICS_SERVER, ports: [10250], what: 'metrics-server scrapes every kubelet' },
  { image: PROMETHEUS, ports: [9100, 10250, 10249, 9090, 8080, 9113, 9121, 9187, 9402], what: 'Prometheus scrapes metrics endpoints', declaredMetricsPorts: true },
  { image: /^(?:datadog|datadoghq)\/agent$/, ports: [10250, 9100], what: 'the Datadog agent scrapes kubelets and exporters' },
  { image: OTEL_COLLECTOR, ports: [10250, 10255], what: "the OpenTelemetry collector's kubeletstats receiver scrapes the kubelet" },
  // Container insights (AKS monitoring add-on): the ama-logs DaemonSet scrapes its node's kubelet and node exporter; the
  // ama-logs-rs replica scrapes, cluster-wide, the pods that declare a Prometheus endpoint (monitor_kubernetes_pods).
  {
    image: /^azuremonitor\/containerinsights\/ciprod$/,
    ports: [10250, 10255, 9100],
    what: "Container insights' agent (ama-logs) scrapes Prometheus endpoints",
    declaredMetricsPorts: true,
  },
];

/** Agents whose own work is to send telemetry to a backend outside the cluster, on their export protocol's ports. */
export const TELEMETRY_EXPORTERS: readonly CollectorImage[] = [{ image: OTEL_COLLECTOR, ports: [4317, 4318], what: 'the OpenTelemetry collector exports telemetry over OTLP (gRPC 4317, HTTP 4318)' }];

/**
 * Monitoring vendors' node agents and the intake domains they send to (the vendors' documented site and intake
 * domains; any host under them): an agent's persistent HTTPS sessions to its backend look like a tunnel or beaconing to
 * a network sensor. Image repositories are whole (registry stripped): a look-alike under another organisation is not.
 */
export interface VendorAgentIntake {
  image: RegExp;
  domains: string[];
  what: string;
}

export const VENDOR_AGENT_INTAKES: readonly VendorAgentIntake[] = [
  { image: /^(?:datadog|datadoghq)\/(?:agent|cluster-agent)$/, domains: ['datadoghq.com', 'datadoghq.eu', 'ddog-gov.com'], what: 'the Datadog agent sends metrics, logs and traces to its Datadog site' },
  { image: /^newrelic\/(?:infrastructure(?:-k8s|-bundle)?|nri-kubernetes|newrelic-fluentbit-output)$/, domains: ['newrelic.com', 'nr-data.net'], what: 'the New Relic infrastructure agent reports to New Relic' },
  { image: /^dynatrace\/(?:oneagent|dynatrace-operator|dynatrace-k8s-node-config-collector)$/, domains: ['dynatrace.com'], what: 'Dynatrace OneAgent reports to its Dynatrace environment' },
  { image: /^sysdig\/(?:agent|agent-slim|agent-kmodule)$/, domains: ['sysdigcloud.com', 'sysdig.com'], what: 'the Sysdig agent reports to its Sysdig collector' },
  { image: /^signalfx\/splunk-otel-collector$/, domains: ['signalfx.com', 'splunkcloud.com'], what: 'the Splunk OpenTelemetry collector sends to Splunk Observability' },
];

/** The intake domain (one of `domains`, or a host under it) the name belongs to, or undefined. */
export function intakeDomainOf(intake: VendorAgentIntake, host: string): string | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  return intake.domains.find((d) => name === d || name.endsWith(`.${d}`));
}
