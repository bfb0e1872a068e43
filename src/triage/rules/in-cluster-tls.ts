import type { Pod } from '../../cluster/model.js';
import { isUntrustedCertificateFinding } from '../../knowledge/tls-findings.js';
import type { Evidence, Rule } from '../model.js';
import { allContainerSpecs, benign, describePod } from './support.js';

/**
 * in-cluster-tls: a network sensor could not validate the server certificate of a TLS connection between two of the
 * cluster's own controller-managed pods, on a port the server pod declares (an operator's mTLS to its agents, a
 * webhook, a gRPC API): such services are signed by a private CA the sensor does not hold. A naked pod at either end,
 * a port the server does not declare, or a process other than the pod's own (a sensor that names a curl) explains
 * nothing here; a server outside the cluster is someone else's certificate.
 */
export const inClusterTls: Rule = {
  id: 'in-cluster-tls',
  family: 'workload-baseline',
  direction: 'benign',
  description: "An untrusted-certificate finding on TLS between two controller-managed pods, to a port the server pod declares",
  evaluate(ctx): Evidence[] {
    const { alert, correlation, index } = ctx;
    const n = alert.network;
    const client = correlation.subject.pod;
    const server = correlation.peer?.pod;
    if (!isUntrustedCertificateFinding(alert.title) || !n?.dstPort || !client || !server || client === server) return [];
    if (alert.process.name || alert.process.commandLine || alert.process.path) return [];
    if (!managed(client) || !managed(server) || client.spec.hostNetwork || server.spec.hostNetwork) return [];
    const port = allContainerSpecs(server)
      .flatMap((c) => (c.ports ?? []).map((p) => ({ c, p })))
      .find(({ p }) => p.containerPort === n.dstPort && (p.protocol ?? 'TCP') === 'TCP');
    if (!port) return [];
    return [
      benign(
        this.id,
        'workload-baseline',
        'medium',
        `${describePod(index, client)} connects over TLS to ${describePod(index, server)} on port ${n.dstPort}, which its container ${port.c.name} declares${port.p.name ? ` (${port.p.name})` : ''}; both are the cluster's own controller-managed pods, whose certificates come from a private CA the sensor cannot validate.`,
        { client: client.metadata.name, server: server.metadata.name, port: n.dstPort },
      ),
    ];
  },
};

function managed(pod: Pod): boolean {
  return (pod.metadata.ownerReferences ?? []).some((o) => o.controller !== false && o.kind !== 'Node');
}
