import type { ClusterIndex, ContainerStatus } from '../../cluster/model.js';
import type { Rule } from '../model.js';
import { entrypointMatches } from '../correlate.js';
import { benign, describePod, malicious, shellScriptUnderApplication, unexplainedCommandEgress, unexplainedEgress } from './support.js';
import { attackOnSamePod } from '../incidents.js';
import { basename } from 'node:path';

const SIGKILL_EXIT = 137;

/** Clock skew between the sensor and the kubelet, and the time a kill takes to show as the container's end. */
const KILL_SKEW_MS = 60_000;

/**
 * The container the snapshot shows did not die of this kill: it was already running before the alert and still ran
 * when the snapshot was taken after it, or its last death came before the alert and nothing ran since. The loop's
 * story is that each kill takes the container down; a kill that did not is of some other process in it.
 */
function survivedTheKill(time: string | null, index: ClusterIndex, status: ContainerStatus): boolean {
  const t = time ? Date.parse(time) : NaN;
  // Taken no earlier than the newest time its objects carry, when the capture time itself is not recorded.
  const captured = Math.max(...[index.capturedAt, index.observedUntil].map((x) => (x ? Date.parse(x) : NaN)).filter(Number.isFinite), -Infinity);
  if (!Number.isFinite(t) || !Number.isFinite(captured) || captured < t + KILL_SKEW_MS) return false;
  const running = status.state?.running?.startedAt;
  const lastDied = status.lastState?.terminated?.finishedAt;
  // A status whose last death comes after the current start is not one the kubelet wrote: nothing is concluded from it.
  if (running && lastDied && Date.parse(lastDied) > Date.parse(running) + KILL_SKEW_MS) return false;
  if (running) return t > Date.parse(running) + KILL_SKEW_MS;
  const died = status.state?.terminated?.finishedAt ?? status.lastState?.terminated?.finishedAt;
  return !!died && t > Date.parse(died) + KILL_SKEW_MS;
}

function killedByExternalSignal(status: ContainerStatus): boolean {
  const t = status.lastState?.terminated ?? status.state?.terminated;
  return !!t && (t.exitCode === SIGKILL_EXIT || t.signal === 9) && t.reason !== 'OOMKilled';
}

export const pingPong: Rule = {
  id: 'ping-pong',
  family: 'ping-pong',
  direction: 'both',
  description: 'The EDR kills a workload, Kubernetes restarts it, the EDR kills it again: exit 137 (not OOMKilled), restarts and BackOff events around kill actions',
  evaluate(ctx) {
    const { alert, correlation, index } = ctx;
    const { pod, container } = correlation.subject;
    if (!pod || !container?.status) return [];
    if (alert.action !== 'killed' && alert.action !== 'blocked' && alert.action !== 'quarantined') return [];
    const status = container.status;
    const restarts = status.restartCount ?? 0;
    if (restarts < 2) return [];
    const isEntrypoint = entrypointMatches(alert.process.commandLine, container.spec);
    // XDR agents kill a blocked process's causality group: a child of the entrypoint blocked takes PID 1 with it.
    // A shell script an application entrypoint started (a webshell, an injected command) is the attack the EDR stopped,
    // not the workload the EDR keeps killing.
    const childOfEntrypoint = !isEntrypoint && entrypointMatches(alert.process.ancestors[0]?.commandLine, container.spec) && !shellScriptUnderApplication([alert.process], alert.process.ancestors[0]);
    const last = status.lastState?.terminated;
    if (last?.reason === 'OOMKilled') {
      return [malicious(this.id, 'weak', `${describePod(index, pod)} restarts (${restarts} times) because it runs out of memory (last termination OOMKilled), not because the EDR kills it, so this kill is not a restart loop.`)];
    }
    if (!killedByExternalSignal(status) || (!isEntrypoint && !childOfEntrypoint)) return [];
    // The loop explains the kills and the restarts, not the behaviour the EDR killed the process for: not a connection,
    // nor a command line that names a destination, out of the cluster that nothing accounts for.
    if (unexplainedEgress(alert, pod, index) || unexplainedCommandEgress(alert.process.commandLine, pod, index, alert.time)) return [];
    if (survivedTheKill(alert.time, index, status)) return [];
    // Its story is that the EDR is wrong about this pod: another alert showing an attack on the pod says it may be right.
    const attack = attackOnSamePod(ctx.batch?.attackSites, alert, correlation, index);
    if (attack) {
      const { site, gap } = attack;
      return [
        malicious(
          this.id,
          'strong',
          `The EDR ${alert.action} the ${isEntrypoint ? 'entrypoint' : "entrypoint's child"} of ${describePod(index, pod)}, which Kubernetes keeps restarting (restartCount ${restarts}), but ${site.what} on this pod (${basename(site.file)} record ${site.record}) ${gap} says the EDR may be right: the loop is Kubernetes restarting a compromised workload, not the EDR misjudging it.`,
          { pod: pod.metadata.name, incidentFile: basename(site.file), incidentRecord: site.record },
        ),
      ];
    }
    const events = index.eventsFor(pod.metadata.namespace ?? '', pod.metadata.name).filter((e) => /BackOff|Killing/.test(String((e as { reason?: string }).reason ?? '')));
    const waiting = status.state?.waiting?.reason;
    const details = [
      `last terminated with exit ${last?.exitCode ?? SIGKILL_EXIT} reason ${last?.reason ?? 'unknown'}`,
      `restartCount ${restarts}`,
      waiting && `now ${waiting}`,
      events.length > 0 && `${events.length} BackOff/Killing event${events.length > 1 ? 's' : ''}`,
    ].filter(Boolean);
    return [
      benign(
        this.id,
        'ping-pong',
        (waiting === 'CrashLoopBackOff' || events.length > 0) && isEntrypoint ? 'strong' : 'medium',
        `The EDR ${alert.action} ${isEntrypoint ? 'the entrypoint' : 'a child of the entrypoint'} of ${describePod(index, pod)} (container ${container.spec.name}), which Kubernetes keeps restarting (${details.join(', ')}): the EDR and Kubernetes are in a kill-restart loop, an outage the security tool is causing.`,
        { restarts, pod: pod.metadata.name },
      ),
    ];
  },
};
