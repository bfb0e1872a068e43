/**
 * A text longer than the attack-indicator patterns look at (MAX_EXAMINED_CHARS) is never dismissed: padding a command
 * line past the examined part would otherwise hide what follows from every pattern while the benign context (here:
 * the container's own entrypoint) explains the process.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import { MAX_EXAMINED_CHARS } from '../../../src/triage/rules/indicator-match.js';
import { alert, containerIdOf, indexOf, node, owner, pod } from '../../support/cluster.js';

const W = 'wk-1';
function javaWith(classpathEntries: number) {
  const classpath = Array.from({ length: classpathEntries }, (_, i) => `/opt/app/lib/dependency-${i}.jar`).join(':');
  const args = ['-cp', classpath, 'com.example.Main'];
  const app = pod('ledger-7c9f-x2k4p', { namespace: 'ledger', node: W, owner: { kind: 'ReplicaSet', name: 'ledger-7c9f' }, containers: [{ name: 'ledger', image: 'registry.example.com/ledger:1.4.2', command: ['java'], args }] });
  const index = indexOf([node(W, '10.0.0.11'), owner('ReplicaSet', 'ledger-7c9f', 'ledger', { kind: 'Deployment', name: 'ledger' }), owner('Deployment', 'ledger', 'ledger'), app]);
  const commandLine = ['java', ...args].join(' ');
  const verdict = triageAlert(
    alert({ host: W, time: '2026-01-01T12:00:00Z', title: 'Suspicious Java process', process: { name: 'java', path: '/usr/bin/java', commandLine }, container: { id: containerIdOf(app) } }),
    { index },
  ).verdict;
  return { verdict, length: commandLine.length };
}

describe('a text longer than the patterns look at', () => {
  it('still explained: the entrypoint with a long but examined class path', () => {
    const { verdict, length } = javaWith(200);
    expect(length).toBeLessThan(MAX_EXAMINED_CHARS);
    expect(verdict.label).toBe('likely-false-positive');
  });

  it('trap: the same entrypoint past the examined length stays genuine, and says why', () => {
    const { verdict, length } = javaWith(600);
    expect(length).toBeGreaterThan(MAX_EXAMINED_CHARS);
    expect(verdict.label).toBe('genuine');
    expect(verdict.reasons[0].message).toMatch(/^The command line is [\d,]+ characters long; attack indicators are looked for in its first 16,384 only/);
  });
});
