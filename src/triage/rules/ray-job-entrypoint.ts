/**
 * ray-job-entrypoint: a Ray head pod running the entrypoint of a job the cluster itself submitted. KubeRay turns a
 * RayJob into a submitter Job whose pod runs `ray job submit --address http://<head service>:8265 … -- <entrypoint>`;
 * the head's JobSupervisor then starts `/bin/sh -c <entrypoint>`, which runtime sensors flag as a shell spawned by an
 * untrusted (Python) parent. The same chain is what an unauthenticated job submission looks like (ShadowRay), so only
 * the entrypoint a Job's pod template declares is explained, only on the head pod its address's Service selects, in
 * the Job's namespace, and only while that Job ran.
 */
import type { ProcessInfo } from '../../alerts/model.js';
import type { ClusterIndex, KubeObject, Pod } from '../../cluster/model.js';
import { RAY_HEAD_LABEL, RAY_JOB_SUBMIT, RAY_JOB_SUPERVISOR } from '../../knowledge/interactive-compute.js';
import { commandMatches } from '../correlate.js';
import type { Rule, RuleContext } from '../model.js';
import { benign, clip, describePod, executableNames } from './support.js';

interface SubmittedJob {
  job: KubeObject;
  entrypoint: string;
  /** The head Service the submit command addresses (its name), in the Job's namespace. */
  service: string;
  start: number;
  end: number;
}

/** A submitter may follow its job's logs a little past the Ray job's end; the job's processes stop with it. */
const AFTER_END_MS = 10 * 60_000;
const SHELL_OPERATOR = /\s(?:;|&&|\|\||\||fi|done)(?:\s|$)|\n/;

/** `ray job submit [--address URL] … -- <entrypoint>` in a script: the address's Service name and the entrypoint. */
export function parseRaySubmit(script: string): { service: string; entrypoint: string } | undefined {
  const m = RAY_JOB_SUBMIT.exec(script);
  if (!m) return undefined;
  const rest = script.slice(m.index + m[0].length);
  const dash = rest.search(/(?:^|\s)--\s/);
  if (dash < 0) return undefined;
  const options = rest.slice(0, dash);
  const address = /--address[=\s]+(?:https?:\/\/)?([a-z0-9-]+)[.:/\s]/i.exec(`${options} `);
  const after = rest.slice(dash).replace(/^\s*--\s+/, '');
  const stop = after.search(SHELL_OPERATOR);
  const entrypoint = (stop >= 0 ? after.slice(0, stop) : after).trim();
  if (!address || !entrypoint) return undefined;
  return { service: address[1].toLowerCase(), entrypoint };
}

function time(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : NaN;
}

const submittedByIndex = new WeakMap<ClusterIndex, Map<string, SubmittedJob[]>>();

/** Jobs whose pod template submits a Ray job, by namespace (worked out once per index). */
function submittedJobs(index: ClusterIndex, namespace: string): SubmittedJob[] {
  let byNs = submittedByIndex.get(index);
  if (!byNs) {
    byNs = new Map();
    for (const job of index.list('jobs')) {
      const ns = job.metadata.namespace ?? '';
      const spec = job.spec as { template?: { spec?: { containers?: { command?: string[]; args?: string[] }[] } } } | undefined;
      const status = job.status as { startTime?: string; completionTime?: string } | undefined;
      const start = time(status?.startTime ?? job.metadata.creationTimestamp);
      const completed = time(status?.completionTime);
      for (const c of spec?.template?.spec?.containers ?? []) {
        const parsed = parseRaySubmit([...(c.command ?? []), ...(c.args ?? [])].join(' '));
        if (!parsed) continue;
        const list = byNs.get(ns) ?? [];
        list.push({ job, ...parsed, start, end: Number.isNaN(completed) ? Infinity : completed + AFTER_END_MS });
        byNs.set(ns, list);
      }
    }
    submittedByIndex.set(index, byNs);
  }
  return byNs.get(namespace) ?? [];
}

function selects(service: KubeObject | undefined, pod: Pod): boolean {
  const selector = (service?.spec as { selector?: Record<string, string> } | undefined)?.selector;
  const labels = pod.metadata.labels ?? {};
  return !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
}

const servicesByIndex = new WeakMap<ClusterIndex, Map<string, KubeObject>>();

function serviceNamed(index: ClusterIndex, namespace: string, name: string): KubeObject | undefined {
  let byKey = servicesByIndex.get(index);
  if (!byKey) {
    byKey = new Map(index.list('services').map((s) => [`${s.metadata.namespace ?? ''}/${s.metadata.name}`, s] as const));
    servicesByIndex.set(index, byKey);
  }
  return byKey.get(`${namespace}/${name}`);
}

function isJobSupervisor(p: ProcessInfo | undefined): boolean {
  if (!p) return false;
  return [p.name, p.commandLine?.trim()].some((t) => !!t && RAY_JOB_SUPERVISOR.test(t));
}

/** `sh -c <script>` → script, for a shell process; undefined otherwise. */
function shellScript(p: ProcessInfo | undefined): string | undefined {
  if (!p?.commandLine || !executableNames(p).some((n) => n === 'sh' || n === 'bash' || n === 'dash')) return undefined;
  const m = /^\s*(?:\S*\/)?(?:ba|da)?sh\s+-c\s/.exec(p.commandLine);
  const script = m ? p.commandLine.slice(m[0].length).trim() : '';
  return script || undefined;
}

function servicePorts(service: KubeObject): number[] {
  const ports = (service.spec as { ports?: { port?: number; targetPort?: number | string }[] } | undefined)?.ports ?? [];
  return ports.flatMap((p) => [p.port, typeof p.targetPort === 'number' ? p.targetPort : undefined]).filter((n): n is number => typeof n === 'number');
}

/**
 * A connection from a KubeRay submitter pod to the Ray head its Job addresses, on that Service's ports, while the Job
 * ran: the job submission the cluster declared. Network signatures for Ray's unauthenticated job API (CVE-2023-48022)
 * cannot tell it from an exploit; the declaring Job can. Exported for attack-indicators' exploit-signature excuse.
 */
export function declaredRaySubmission(ctx: RuleContext): string | undefined {
  const { alert, index, correlation } = ctx;
  const port = alert.network?.dstPort;
  const src = correlation.subject.pod;
  const dst = correlation.peer?.pod;
  if (port === undefined || !src || !dst || src.metadata.namespace !== dst.metadata.namespace) return undefined;
  const ns = src.metadata.namespace ?? '';
  const jobName = index.ownerChain(src).find((w) => w.kind === 'Job')?.name;
  if (!jobName) return undefined;
  const at = alert.time ? Date.parse(alert.time) : NaN;
  const job = submittedJobs(index, ns).find((j) => j.job.metadata.name === jobName && j.start <= at && at <= j.end);
  const service = job && serviceNamed(index, ns, job.service);
  if (!job || !service || !selects(service, dst) || !servicePorts(service).includes(port)) return undefined;
  return `${describePod(index, src)} is the submitter pod of Job ${ns}/${jobName}, whose command submits a Ray job to Service ${job.service}, and ${describePod(index, dst)} is the Ray head that Service selects (port ${port})`;
}

export const rayJobEntrypoint: Rule = {
  id: 'ray-job-entrypoint',
  family: 'workload-baseline',
  direction: 'benign',
  description: "A Ray head pod running the entrypoint a KubeRay submitter Job declared (ray job submit … -- <entrypoint>), and that submitter's connection to the head, while the Job ran",
  evaluate(ctx) {
    const { alert, index, correlation } = ctx;
    if (correlation.peer?.pod && alert.network) {
      const submission = declaredRaySubmission(ctx);
      return submission ? [benign(this.id, 'workload-baseline', 'medium', `${submission}: the job submission the cluster declared.`, { pod: correlation.subject.pod!.metadata.name })] : [];
    }
    const pod = correlation.subject.pod;
    if (!pod || pod.metadata.labels?.[RAY_HEAD_LABEL.key] !== RAY_HEAD_LABEL.value) return [];
    const p = alert.process;
    const parent = p.ancestors[0];
    // The supervisor's own shell, or what that shell ran (sensors that report one parent only).
    const ownScript = isJobSupervisor(parent) ? shellScript(p) : undefined;
    const parentScript = ownScript ? undefined : shellScript(parent);
    const script = ownScript ?? parentScript;
    if (!script) return [];
    const at = alert.time ? Date.parse(alert.time) : NaN;
    const ns = pod.metadata.namespace ?? '';
    for (const job of submittedJobs(index, ns)) {
      if (job.entrypoint !== script || !(job.start <= at && at <= job.end)) continue;
      if (parentScript && !commandMatches(p.commandLine, [...job.entrypoint.split(/\s+/)])) continue;
      if (!selects(serviceNamed(index, ns, job.service), pod)) continue;
      return [
        benign(
          this.id,
          'workload-baseline',
          'medium',
          `\`${clip(job.entrypoint, 100)}\` is the entrypoint that Job ${ns}/${job.job.metadata.name} submits (ray job submit to Service ${job.service}, which selects ${describePod(index, pod)}), and the Job ran at the alert's time: the Ray head running its own cluster's job.`,
          { pod: pod.metadata.name, job: job.job.metadata.name },
        ),
      ];
    }
    return [];
  },
};
