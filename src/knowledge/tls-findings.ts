/**
 * Network sensors' findings about a server certificate they could not validate. Inside a cluster most TLS is signed by
 * a private CA the sensor does not hold (admission webhooks, gRPC between an operator and its agents, etcd, metrics):
 * the finding says nothing of intent when both ends are the cluster's own pods and the server port is one its pod declares.
 */
export const UNTRUSTED_CERTIFICATE_TITLES: readonly RegExp[] = [
  // Zeek / Corelight (policy/protocols/ssl/validate-certs.zeek)
  /^SSL::Invalid_Server_Cert$/,
  // Suricata / ET rules, generic wording of other NDRs
  /\bself[- ]signed (?:server )?certificate\b/i,
  /\b(?:untrusted|invalid) (?:server )?certificate\b/i,
];

export function isUntrustedCertificateFinding(title: string | undefined): boolean {
  return !!title && UNTRUSTED_CERTIFICATE_TITLES.some((p) => p.test(title));
}
