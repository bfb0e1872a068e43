import type { Alert, AlertAction, Severity } from '../alerts/model.js';
import type { Node, Pod } from '../cluster/model.js';
import type { Cause, ContextLevel, Direction, Label, TriageResult } from '../triage/model.js';
import { leadingReason, nodeName } from './describe.js';

/**
 * The compact record of one triaged alert that a triage thread sends back to the main thread instead of the whole
 * result: exactly what the summary, the report filters, `--fail-on` and `--baseline` (the fingerprint) read, as a
 * fixed run of cells in one flat array per frame (a flat array of strings and numbers is far cheaper to clone than
 * an object tree per alert).
 *
 * `digestView` turns the cells back into a TriageResult holding those fields and nothing else (no raw record, one
 * reason, placeholder pods): enough for SummaryBuilder, filters and fingerprints to give what they give on the full
 * result (test/report/digest.test.ts checks that on the corpus), not for a report format.
 */
export type DigestCell = string | number | undefined;

const enum F {
  id,
  file,
  record,
  vendor,
  time,
  title,
  severity,
  action,
  hostName,
  commandLine,
  path,
  name,
  namespace,
  pod,
  container,
  image,
  srcIp,
  dstIp,
  dstPort,
  domain,
  label,
  confidence,
  context,
  cause,
  leadRule,
  leadDirection,
  cluster,
  workloadKind,
  workloadNamespace,
  workloadName,
  podNamespace,
  podName,
  node,
}

/** Cells per alert. */
export const DIGEST_CELLS = F.node + 1;

/** Appends one result's cells to `cells`. */
export function pushDigest(cells: DigestCell[], result: TriageResult): void {
  const { alert, correlation, verdict } = result;
  const { process, container, network } = alert;
  const subject = correlation.subject;
  const workload = subject.workload;
  const pod = subject.pod;
  const lead = leadingReason(result);
  cells.push(
    alert.id,
    alert.source.file,
    alert.source.record,
    alert.source.vendor,
    alert.time ?? undefined,
    alert.title,
    alert.severity,
    alert.action,
    alert.host.name,
    process.commandLine,
    process.path,
    process.name,
    container.namespace,
    container.pod,
    container.name,
    container.image,
    network?.srcIp,
    network?.dstIp,
    network?.dstPort,
    network?.domain,
    verdict.label,
    verdict.confidence,
    verdict.context,
    verdict.cause,
    lead?.rule,
    lead?.direction,
    correlation.cluster,
    workload?.kind,
    workload?.namespace,
    workload?.name,
    pod?.metadata.namespace,
    pod?.metadata.name,
    nodeName(result) ?? undefined,
  );
}

const text = (cells: readonly DigestCell[], i: number): string | undefined => {
  const v = cells[i];
  return typeof v === 'string' ? v : undefined;
};

/** The result view of the `n`-th digest in `cells` (see the note at the top). */
export function digestView(cells: readonly DigestCell[], n: number): TriageResult {
  const o = n * DIGEST_CELLS;
  const s = (f: F) => text(cells, o + f);
  const dstPort = cells[o + F.dstPort];
  const alert: Alert = {
    id: s(F.id) ?? '',
    source: { file: s(F.file) ?? '', record: Number(cells[o + F.record]), vendor: s(F.vendor) ?? '' },
    time: s(F.time) ?? null,
    title: s(F.title) ?? '',
    severity: (s(F.severity) ?? 'unknown') as Severity,
    tactics: [],
    techniques: [],
    action: (s(F.action) ?? 'unknown') as AlertAction,
    host: { name: s(F.hostName), ips: [] },
    container: { namespace: s(F.namespace), pod: s(F.pod), name: s(F.container), image: s(F.image) },
    process: { commandLine: s(F.commandLine), path: s(F.path), name: s(F.name), ancestors: [] },
    network: { srcIp: s(F.srcIp), dstIp: s(F.dstIp), dstPort: typeof dstPort === 'number' ? dstPort : undefined, domain: s(F.domain) },
    raw: {},
  };
  const workloadKind = s(F.workloadKind);
  const podName = s(F.podName);
  const node = s(F.node);
  const leadRule = s(F.leadRule);
  const pod: Pod | undefined = podName === undefined ? undefined : { kind: 'Pod', metadata: { name: podName, namespace: s(F.podNamespace) }, spec: { containers: [] } };
  const nodeObject: Node | undefined = node === undefined ? undefined : { kind: 'Node', metadata: { name: node } };
  return {
    alert,
    correlation: {
      cluster: s(F.cluster),
      subject: {
        via: [],
        pod,
        node: nodeObject,
        workload: workloadKind === undefined ? undefined : { kind: workloadKind, namespace: s(F.workloadNamespace) ?? '', name: s(F.workloadName) ?? '' },
      },
      notes: [],
    },
    verdict: {
      label: s(F.label) as Label,
      confidence: Number(cells[o + F.confidence]),
      context: s(F.context) as ContextLevel,
      cause: s(F.cause) as Cause,
      reasons: leadRule === undefined ? [] : [{ rule: leadRule, direction: s(F.leadDirection) as Direction, strength: 'weak', message: '' }],
    },
  };
}
