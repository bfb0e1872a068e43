import type { Alert } from '../../alerts/model.js';
import { ATTACK_INDICATORS, type AttackIndicator, type IndicatorField } from '../../knowledge/indicators.js';
import type { Evidence, Rule, RuleContext } from '../model.js';
import { componentOfPod, describePod, executableNames, malicious, moduleLoaderOnNode, timeBetween } from './support.js';
import { isHumanIdentity } from '../identity.js';
import { isNetworkAlert } from '../correlate.js';
import { hostDebugSessions } from './admin-activity.js';

/** Entering the host from a `kubectl debug node` pod is what that pod is for, when a person opened it. */
const NODE_DEBUG_USES = new Set(['chroot-host', 'host-namespace-entry', 'runtime-socket']);
const SESSION_SKEW_MS = 60_000;

function fieldTexts(alert: Alert, field: IndicatorField): { text: string; where: string }[] {
  const p = alert.process;
  switch (field) {
    case 'command':
      return [p.commandLine && { text: p.commandLine, where: 'the command line' }].filter(Boolean) as { text: string; where: string }[];
    case 'path':
      return [p.path && { text: p.path, where: 'the executable path' }].filter(Boolean) as { text: string; where: string }[];
    case 'ancestry':
      return p.ancestors
        .map((a, i) => ({ text: a.commandLine ?? a.path ?? '', where: i === 0 ? 'the parent process' : `an ancestor process (${a.name ?? 'unnamed'})` }))
        .filter((x) => x.text);
    case 'file':
      return [alert.file?.path && { text: alert.file.path, where: 'the file path' }].filter(Boolean) as { text: string; where: string }[];
    case 'network': {
      const n = alert.network;
      if (!n) return [];
      return [n.url && { text: n.url, where: 'the requested URL' }, n.domain && { text: n.domain, where: 'the domain' }].filter(Boolean) as { text: string; where: string }[];
    }
    case 'title':
      return [alert.title && { text: alert.title, where: 'the detection name' }].filter(Boolean) as { text: string; where: string }[];
  }
}

function clip(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A confirmed system component whose documented behaviour is exactly this (Cilium's nsenter, CSI mkfs, aws-node IMDS). */
function excused(ctx: RuleContext, indicator: AttackIndicator): string | undefined {
  const { subject } = ctx.correlation;
  if (NODE_DEBUG_USES.has(indicator.id) && subject.node) {
    const node = subject.node.metadata.name;
    const pod = subject.pod;
    // On the host, or inside the debug pod itself.
    const open = hostDebugSessions(ctx.index).filter(
      (s) => s.node === node && timeBetween(ctx.alert.time, s.start, s.end, SESSION_SKEW_MS) && (!pod || (pod.metadata.namespace === s.namespace && pod.metadata.name === s.pod)),
    );
    // Only a person's session, and only when nobody else (a service account, a stolen token) had one on that node then.
    const session = open.find((s) => isHumanIdentity(s.user, s.groups, ctx.policy as never));
    if (session && open.every((s) => isHumanIdentity(s.user, s.groups, ctx.policy as never))) {
      return `${session.user} had a node debug session on ${session.node} (pod ${session.namespace}/${session.pod}) from ${session.start} to ${session.end}`;
    }
  }
  if (!indicator.excusedBy) return undefined;
  const pod = subject.pod;
  if (!pod) {
    // A module load the sensor saw only on the host: the component that loads exactly those modules started there just before.
    if (indicator.id === 'kernel-module-load' && subject.node) {
      const loader = moduleLoaderOnNode(ctx.index, subject.node, ctx.alert);
      if (loader) return `${describePod(ctx.index, loader.pod)} is ${loader.match.component.name}, which loads these modules, and started at ${loader.started}`;
    }
    return undefined;
  }
  const match = componentOfPod(ctx.index, pod, subject.container?.spec);
  // The component's own processes only: while someone has a kubectl exec/debug session open in that pod, a look-alike
  // may have been typed by them, and the look-alike is no longer excused.
  const sessionOpen = ctx.index
    .execSessionsForPod(pod.metadata.namespace ?? '', pod.metadata.name)
    .some((s) => s.kind !== 'portforward' && timeBetween(ctx.alert.time, s.start, s.end, SESSION_SKEW_MS));
  if (match && match.strength === 'strong' && !sessionOpen && indicator.excusedBy(match.component)) {
    return `${describePod(ctx.index, pod)} is ${match.component.name}, which does this as part of its documented work`;
  }
  return undefined;
}

/** Servers that never start a shell in normal operation: a shell under one is command injection or a webshell. */
const SERVER_PROCESSES = new Set(['redis-server', 'postgres', 'postmaster', 'mysqld', 'mariadbd', 'mongod', 'memcached', 'nginx', 'httpd', 'apache2', 'php-fpm', 'php-fpm8', 'elasticsearch', 'rabbitmq-server', 'etcd']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'busybox']);

function serverSpawnedShell(ctx: RuleContext): Evidence | undefined {
  const parent = ctx.alert.process.ancestors[0];
  if (!parent) return undefined;
  const server = executableNames(parent).find((n) => SERVER_PROCESSES.has(n));
  if (!server || !executableNames(ctx.alert.process).some((n) => SHELLS.has(n))) return undefined;
  return malicious('attack-indicators', 'strong', `A shell was started by ${server}, a server process that never runs one in normal operation: command injection or a webshell (T1059.004).`, {
    indicator: 'server-spawned-shell',
  });
}

export const attackIndicators: Rule = {
  id: 'attack-indicators',
  family: 'attack-indicators',
  direction: 'malicious',
  description: 'Escape, credential theft, miners, reverse shells, download-and-execute, metadata abuse, API recon, log tampering, kernel modules: never dismissed',
  evaluate(ctx) {
    const out: Evidence[] = [];
    const shell = serverSpawnedShell(ctx);
    if (shell) out.push(shell);
    for (const indicator of ATTACK_INDICATORS) {
      for (const field of indicator.fields) {
        const hit = fieldTexts(ctx.alert, field).find((f) => indicator.pattern.test(f.text));
        if (!hit) continue;
        if (excused(ctx, indicator)) break;
        // A network sensor's signature is all the evidence it has; an endpoint's title is weaker than its process facts.
        const strength = field === 'title' ? (isNetworkAlert(ctx.alert) ? 'strong' : 'medium') : field === 'ancestry' ? 'strong' : 'decisive';
        out.push(
          malicious(this.id, strength, `${hit.where[0].toUpperCase()}${hit.where.slice(1)} shows ${indicator.what} (${indicator.technique}): ${clip(hit.text)}.`, {
            indicator: indicator.id,
            technique: indicator.technique,
          }),
        );
        break;
      }
    }
    return out;
  },
};
