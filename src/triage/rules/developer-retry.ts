/**
 * developer-retry: the EDR blocks or kills a command an engineer typed through kubectl exec, and the audit log shows
 * the same person retrying variations of it into the same pod minutes apart — every exec accepted by the API server
 * (101), because it cannot know the EDR killed the process inside the container. The EDR is silently blocking an
 * engineer, not stopping an attack.
 */
import { baseName } from '../../alerts/fields.js';
import type { ExecSession } from '../../cluster/model.js';
import type { Evidence, Rule } from '../model.js';
import { clock, commandText, judgeIdentity, sessionsForAlert, trustPolicyOf } from './admin-activity.js';
import { benign } from './support.js';

/** Retries this far apart still count as one troubleshooting attempt. */
const RETRY_WINDOW_MS = 10 * 60_000;
const STOPPED = new Set(['blocked', 'killed', 'quarantined']);

function program(argv: string[]): string | undefined {
  return baseName(argv[0])?.replace(/\.(openbsd|traditional|bsd)$/, '');
}

/** Exec requests by the same person into the same pod and container, minutes apart, running the same program. */
export function retriesOf(all: ExecSession[], session: ExecSession): ExecSession[] {
  const prog = program(session.command);
  if (!prog) return [];
  const t = Date.parse(session.start);
  return all
    .filter(
      (s) =>
        s.kind === 'exec' &&
        s.user === session.user &&
        s.impersonatedUser === session.impersonatedUser &&
        s.container === session.container &&
        program(s.command) === prog &&
        (s.code === undefined || s.code < 400) &&
        Math.abs(Date.parse(s.start) - t) <= RETRY_WINDOW_MS,
    )
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

export const developerRetry: Rule = {
  id: 'developer-retry',
  family: 'admin-activity',
  direction: 'benign',
  description: 'A person retrying variations of a kubectl exec command into one pod while the EDR blocks or kills it: the EDR is silently blocking an engineer',
  evaluate(ctx) {
    const { alert, index } = ctx;
    if (!alert.time || !STOPPED.has(alert.action)) return [];
    const policy = trustPolicyOf(ctx.policy);
    const out: Evidence[] = [];
    for (const m of sessionsForAlert(ctx)) {
      if (m.link !== 'command' && m.link !== 'ancestor') continue;
      const s = m.session;
      if (s.kind !== 'exec' || !judgeIdentity(ctx, s, policy).trusted) continue;
      const retries = retriesOf(index.execSessionsForPod(s.namespace, s.pod), s);
      if (retries.length < 2) continue;
      const distinct = new Set(retries.map((r) => r.command.join('\u0000'))).size;
      const list = retries.map((r) => `${clock(r.start).slice(11, 19)} ${commandText(r.command)}`).join('; ');
      out.push(
        benign(
          this.id,
          'admin-activity',
          'strong',
          `${s.user} ran ${program(s.command)} into ${s.namespace}/${s.pod} ${retries.length} times within ${Math.max(1, Math.round((Date.parse(retries[retries.length - 1].start) - Date.parse(retries[0].start)) / 60_000))} min (${list})${distinct > 1 ? ', varying the command' : ''}, each accepted by the API server, while the EDR ${alert.action} this one at ${clock(alert.time)}: the EDR is silently blocking an engineer's troubleshooting.`,
          { user: s.user, namespace: s.namespace, pod: s.pod, retries: retries.length, action: alert.action },
        ),
      );
      break;
    }
    return out;
  },
};
