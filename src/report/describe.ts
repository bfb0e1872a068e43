import type { Evidence, TriageResult } from '../triage/model.js';

/** Small, shared views of a result for the report formats (same names as the machine VerdictRecord). */

export function workloadName(result: TriageResult): string | null {
  const w = result.correlation.subject.workload;
  return w ? `${w.kind}/${w.namespace}/${w.name}` : null;
}

export function podName(result: TriageResult): string | null {
  const pod = result.correlation.subject.pod;
  if (!pod) return null;
  return pod.metadata.namespace ? `${pod.metadata.namespace}/${pod.metadata.name}` : pod.metadata.name;
}

export function nodeName(result: TriageResult): string | null {
  const s = result.correlation.subject;
  return s.node?.metadata.name ?? s.pod?.spec.nodeName ?? null;
}

/** The workload when there is one, else the naked pod: what "noisy workload" counts. */
export function workloadOrPod(result: TriageResult): string | null {
  const workload = workloadName(result);
  if (workload) return workload;
  const pod = podName(result);
  return pod ? `Pod/${pod}` : null;
}

/** The reason that decided the verdict: the first one pointing the same way as the label, else the first. */
export function leadingReason(result: TriageResult): Evidence | undefined {
  const { label, reasons } = result.verdict;
  const direction = label === 'genuine' ? 'malicious' : 'benign';
  return reasons.find((r) => r.direction === direction) ?? reasons[0];
}

export function isFalsePositive(result: TriageResult): boolean {
  return result.verdict.label === 'likely-false-positive';
}

/** What the alert was about in one line: the command line, else the process, file, domain or network tuple. */
export function alertSubject(result: TriageResult): string {
  const { process, file, network } = result.alert;
  if (process.commandLine) return process.commandLine;
  if (process.path ?? process.name) return (process.path ?? process.name) as string;
  if (file?.path) return file.path;
  if (network?.domain) return network.domain;
  if (network?.dstIp) {
    const dst = `${network.dstIp}${network.dstPort !== undefined ? `:${network.dstPort}` : ''}`;
    return network.srcIp ? `${network.srcIp} → ${dst}` : dst;
  }
  return '';
}

const UNITS: [number, string][] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
  [1_000, 's'],
];

/** "2 d 4 h", "35 min", "12 s": the two largest units, rounded down. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(abs)} ms`;
  const parts: string[] = [];
  let rest = abs;
  for (const [size, unit] of UNITS) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)} ${unit}`);
      rest %= size;
    } else if (parts.length > 0) break;
  }
  return parts.join(' ');
}

/** Percent with one decimal, locale-independent. */
export function percent(share: number): string {
  return `${(Math.round(share * 1000) / 10).toFixed(1)} %`;
}

/** Code-point order, locale-independent: the tie-breaker everywhere. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
