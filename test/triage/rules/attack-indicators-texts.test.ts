import { describe, expect, it } from 'vitest';
import { attackIndicators } from '../../../src/triage/rules/attack-indicators.js';
import { alert, indexOf } from '../../support/cluster.js';
import type { Alert } from '../../../src/alerts/model.js';

/** The messages of attack-indicators for an alert placed nowhere (no pod, no node: no context excuses it). */
function messages(a: Alert): string[] {
  return attackIndicators.evaluate({ alert: a, correlation: { subject: { via: [] }, notes: [] }, index: indexOf([]) }).map((e) => e.message);
}

describe('attack-indicators: where each text is', () => {
  it('names the field a text came from, the parent, and an ancestor above it by its name', () => {
    const miner = 'xmrig --donate-level 1 -o stratum+tcp://pool.example:3333';
    expect(messages(alert({ process: { name: 'xmrig', commandLine: miner } }))[0]).toMatch(/^The command line shows /);
    expect(messages(alert({ process: { name: 'sh', commandLine: 'sh' }, ancestors: [{ name: 'xmrig', commandLine: miner }] }))[0]).toMatch(/^The parent process shows /);
    const deeper = alert({ process: { name: 'sh', commandLine: 'sh' }, ancestors: [{ name: 'bash', commandLine: 'bash' }, { name: 'xmrig', commandLine: miner }] });
    expect(messages(deeper)[0]).toMatch(/^An ancestor process \(xmrig\) shows /);
    const unnamed = alert({ process: { name: 'sh', commandLine: 'sh' }, ancestors: [{ name: 'bash', commandLine: 'bash' }, { commandLine: miner }] });
    expect(messages(unnamed)[0]).toMatch(/^An ancestor process \(unnamed\) shows /);
  });

  it('takes the first text of a field that shows the indicator, in the order the fields and ancestors come', () => {
    const a = alert({
      process: { name: 'sh', commandLine: 'sh' },
      ancestors: [
        { name: 'bash', commandLine: 'bash' },
        { name: 'one', commandLine: 'xmrig -o stratum+tcp://a.example:1' },
        { name: 'two', commandLine: 'xmrig -o stratum+tcp://b.example:2' },
      ],
    });
    const found = messages(a);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^An ancestor process \(one\) shows .*a\.example/);
  });

  it('shows nothing for an alert with no indicator', () => {
    expect(messages(alert({ process: { name: 'ls', commandLine: 'ls -l /' }, ancestors: [{ name: 'bash', commandLine: 'bash' }] }))).toEqual([]);
  });
});
