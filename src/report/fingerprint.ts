import { createRequire } from 'node:module';
import type { Alert } from '../alerts/model.js';

/** node:crypto, loaded the first time an alert without a product id needs a hash (a start-up without one skips it). */
let crypto: typeof import('node:crypto') | undefined;
function sha256Hex(text: string): string {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return crypto.createHash('sha256').update(text).digest('hex');
}

/**
 * A stable identity for an alert across runs, for `--baseline`.
 *
 * - When the product gave the alert its own id, the fingerprint is `vendor:id:<id>`: the same alert exported twice
 *   (overlapping export windows) is recognised, a new occurrence of the same behaviour is not.
 * - Otherwise (the reader fell back to `file:record`, which changes from export to export) it is `vendor:h:<hash>`, a
 *   SHA-256 over what the alert is about: title, host, process command line (else path or name), container and pod
 *   (namespace, pod, container name, image) and the network tuple (source and destination address, destination
 *   port, domain). Times and pids are left out on purpose, so the same finding on a later day is "known".
 */
export function fingerprint(alert: Alert): string {
  if (hasProductId(alert)) return `${alert.source.vendor}:id:${alert.id}`;
  const c = alert.container;
  const n = alert.network;
  const parts = [
    alert.title,
    (alert.host.name ?? '').toLowerCase(),
    alert.process.commandLine ?? alert.process.path ?? alert.process.name ?? '',
    c.namespace ?? '',
    c.pod ?? '',
    c.name ?? '',
    c.image ?? '',
    n?.srcIp ?? '',
    n?.dstIp ?? '',
    n?.dstPort === undefined ? '' : String(n.dstPort),
    n?.domain ?? '',
  ];
  const hash = sha256Hex(JSON.stringify(parts)).slice(0, 32);
  return `${alert.source.vendor}:h:${hash}`;
}

/** The reader's fallback id is `file:record` (see emptyAlert); anything else came from the product. */
export function hasProductId(alert: Alert): boolean {
  return alert.id !== '' && alert.id !== `${alert.source.file}:${alert.source.record}`;
}
