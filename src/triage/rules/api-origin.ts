import type { ClusterIndex, Pod } from '../../cluster/model.js';
import { imageRepository } from '../../knowledge/components.js';
import type { Evidence, Rule } from '../model.js';
import { isServiceAccount } from '../identity.js';
import { componentOfPod, describePod, malicious } from './support.js';

/**
 * Agents that legitimately read every kubelet's API (metrics, logs enrichment), by a path segment of their image
 * repository that is, or begins with, the agent's name (`otel/…`, `prometheus/node-exporter`, `fluent-bit-…`): not any
 * image whose name merely contains one (`shop/hotel-web` holds "otel", `vectorsearch` "vector").
 */
const COLLECTORS = ['metrics-server', 'prometheus', 'datadog', 'datadoghq', 'node-exporter', 'kube-state-metrics', 'opentelemetry', 'otel', 'grafana-agent', 'alloy', 'newrelic', 'dynatrace', 'sysdig', 'falco', 'fluent-bit', 'fluentbit', 'fluentd', 'vector', 'splunk', 'elastic-agent', 'metricbeat', 'filebeat', 'gke-metrics-agent', 'ama-logs', 'omsagent', 'cadvisor', 'kubelet-stats'];
const COLLECTOR_SEGMENT = new RegExp(`^(?:${COLLECTORS.join('|')})(?:$|[-_.])`);

function runsCollector(pod: Pod): boolean {
  return pod.spec.containers.some((c) => imageRepository(c.image).split('/').some((segment) => COLLECTOR_SEGMENT.test(segment)));
}

function isClusterAddress(index: ClusterIndex, ip: string, time: string | null): boolean {
  return !!index.findNode(ip) || !!index.podByIp(ip, time) || ip === '127.0.0.1' || ip === '::1';
}

/**
 * Who reached the API server or a kubelet, and from where. A service-account token belongs to pods; used from an
 * address that is neither a node nor a pod of the cluster, it has left the cluster. A kubelet API call from an
 * application pod that is no metrics collector is reconnaissance or worse.
 */
export const apiOrigin: Rule = {
  id: 'api-origin',
  family: 'attack-indicators',
  direction: 'malicious',
  description: 'Service-account tokens used from outside the cluster, anonymous reads of API objects, and kubelet API calls from pods that are not collectors',
  evaluate(ctx) {
    const { alert, index, correlation } = ctx;
    const out: Evidence[] = [];
    const req = alert.apiRequest;
    if (req?.user && isServiceAccount(req.user)) {
      const foreign = (req.sourceIps ?? []).filter((ip) => !isClusterAddress(index, ip, alert.time));
      if (foreign.length) {
        out.push(malicious(this.id, 'strong', `The service-account token of ${req.user} was used from ${foreign.join(', ')}, which is neither a node nor a pod of the cluster: a token that left the cluster.`, { user: req.user }));
      }
      // The audit log may show the same identity's other requests from foreign addresses.
      const seen = index.auditActivities.filter((a) => a.user === req.user && a.sourceIps.some((ip) => !isClusterAddress(index, ip, a.time)));
      if (!foreign.length && seen.length) {
        const first = seen[0];
        out.push(malicious(this.id, 'strong', `The audit log shows ${req.user} calling ${first.verb} ${first.resource}${first.subresource ? `/${first.subresource}` : ''} from ${first.sourceIps.join(', ')} at ${first.time}, an address outside the cluster.`));
      }
    }
    // Unauthenticated requests are only ever granted the public discovery and health endpoints; one that read a
    // resource went through an anonymous binding someone made.
    if (req?.user === 'system:anonymous' && req.resource && req.statusCode !== undefined && req.statusCode >= 200 && req.statusCode < 300) {
      out.push(
        malicious(this.id, 'strong', `An unauthenticated request (system:anonymous${req.sourceIps?.length ? ` from ${req.sourceIps.join(', ')}` : ''}) succeeded in ${req.verb ?? 'reading'} ${req.resource}${req.namespace ? ` in ${req.namespace}` : ''}: the cluster grants anonymous access to its objects.`, {
          user: req.user,
        }),
      );
    }
    const n = alert.network;
    const src = correlation.subject;
    if (n?.dstPort === 10250 && src.pod && !src.pod.spec.hostNetwork) {
      const tunnel = () => {
        const match = componentOfPod(index, src.pod!);
        return match?.strength === 'strong' && !!match.component.kubeletPurpose;
      };
      if (!runsCollector(src.pod) && !tunnel()) out.push(malicious(this.id, 'strong', `${describePod(index, src.pod)} calls the kubelet API (port 10250) of ${correlation.peer?.node?.metadata.name ?? n.dstIp} but is no metrics or log collector: kubelet API access from an application pod is reconnaissance (MS-TA9030).`));
    }
    return out;
  },
};
