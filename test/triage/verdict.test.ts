import { describe, expect, it } from 'vitest';
import type { Correlation, Evidence } from '../../src/triage/model.js';
import { decide } from '../../src/triage/verdict.js';
import { alert, indexOf, node } from '../support/cluster.js';

const worker = node('node-1', '10.0.0.1');
const index = indexOf([worker]);
const placed: Correlation = { subject: { node: worker, via: ['node name'] }, notes: [] };
const evidence = (rule: string, strength: Evidence['strength'], facts?: Evidence['facts']): Evidence => ({ rule, direction: 'malicious', strength, message: `${rule} says so.`, facts });

describe('decide: the cause of a genuine verdict without strong evidence', () => {
  const a = alert({ host: 'node-1', process: { name: 'sh' } });

  it('is an attack when an attack indicator of medium strength is part of it (a detection title naming a reverse shell)', () => {
    const v = decide(a, placed, [evidence('attack-indicators', 'medium', { indicator: 'reverse-shell-traffic' })], index);
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('is unexplained when the only sign is that nothing explains it (a terminal with no exec session)', () => {
    expect(decide(a, placed, [evidence('admin-activity', 'medium')], index)).toMatchObject({ label: 'genuine', cause: 'unexplained' });
  });
  it('is unexplained for a weak indicator, and when the cluster explains nothing at all', () => {
    expect(decide(a, placed, [evidence('attack-indicators', 'weak')], index)).toMatchObject({ label: 'genuine', cause: 'unexplained' });
    expect(decide(a, placed, [], index)).toMatchObject({ label: 'genuine', cause: 'unexplained' });
  });
  it('is the benign story when a strong, confirmed one outweighs a single medium doubt', () => {
    const benign: Evidence = { rule: 'node-networking', direction: 'benign', strength: 'strong', cause: 'node-networking', message: 'calico-node does this.' };
    expect(decide(a, placed, [evidence('node-networking', 'medium'), benign], index)).toMatchObject({ label: 'likely-false-positive', cause: 'node-networking' });
  });
  // Red team 4: a medium attack indicator (a title naming a miner or a reverse shell) used to lose to any strong story —
  // a person's exec session, the entrypoint, a kill-restart loop — in which that very attack may have run.
  it('is the attack when a single medium attack indicator meets even a strong benign story', () => {
    const benign: Evidence = { rule: 'node-networking', direction: 'benign', strength: 'strong', cause: 'node-networking', message: 'calico-node does this.' };
    expect(decide(a, placed, [evidence('attack-indicators', 'medium'), benign], index)).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});

describe('decide: the more specific benign story names the cause', () => {
  const a = alert({ host: 'node-1', process: { name: 'log-shipper' } });
  const story = (rule: string, cause: NonNullable<Evidence['cause']>, strength: Evidence['strength']): Evidence => ({ rule, direction: 'benign', strength, cause, message: `${rule} explains it.` });

  it("privileges that cover the alert (medium or more) say more than 'the container's own command'", () => {
    const v = decide(a, placed, [story('workload-baseline', 'workload-baseline', 'strong'), story('privileged-root', 'privileged-root', 'medium')], index);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
    expect(v.reasons[0].rule).toBe('privileged-root');
  });
  it('a weak privilege story does not take the cause, and the label never depends on the choice', () => {
    expect(decide(a, placed, [story('workload-baseline', 'workload-baseline', 'strong'), story('privileged-root', 'privileged-root', 'weak')], index)).toMatchObject({
      label: 'likely-false-positive',
      cause: 'workload-baseline',
    });
    const malicious: Evidence = { rule: 'node-networking', direction: 'malicious', strength: 'medium', message: 'a doubt.' };
    expect(decide(a, placed, [story('workload-baseline', 'workload-baseline', 'strong'), story('privileged-root', 'privileged-root', 'medium'), malicious], index).label).toBe('likely-false-positive');
    expect(decide(a, placed, [story('privileged-root', 'privileged-root', 'medium'), malicious], index).label).toBe('genuine');
  });
});

describe('decide: a finding about how a container was started is told by its privileges', () => {
  const story = (rule: string, cause: NonNullable<Evidence['cause']>, strength: Evidence['strength']): Evidence => ({ rule, direction: 'benign', strength, cause, message: `${rule} explains it.` });
  const networkAndPrivilege = [story('node-networking', 'node-networking', 'strong'), story('workload-baseline', 'workload-baseline', 'strong'), story('privileged-root', 'privileged-root', 'strong')];
  const titled = (title: string) => ({ ...alert({ host: 'node-1', process: { name: 'calico-node' } }), title });

  it.each(['Launch Privileged Container', 'Privileged container started', 'Privileged container detected', 'Launch Sensitive Mount Container', 'Container with a sensitive volume mount detected', 'Container Run as Root User'])(
    '%s in a network component: privileged-root, not node-networking',
    (title) => {
      expect(decide(titled(title), placed, networkAndPrivilege, index)).toMatchObject({ label: 'likely-false-positive', cause: 'privileged-root' });
    },
  );
  it.each(['Mount Launched in Privileged Container', 'Command within a container running with high privileges', 'Iptables rules modified', 'Read sensitive file untrusted'])(
    '%s is behaviour: the network story stays',
    (title) => {
      expect(decide(titled(title), placed, networkAndPrivilege, index)).toMatchObject({ cause: 'node-networking' });
    },
  );
  it('needs the privileges to explain it at least as medium, and never moves a person\'s session', () => {
    expect(decide(titled('Launch Privileged Container'), placed, [story('node-networking', 'node-networking', 'strong'), story('privileged-root', 'privileged-root', 'weak')], index).cause).toBe('node-networking');
    expect(decide(titled('Launch Privileged Container'), placed, [story('admin-activity', 'admin-activity', 'strong'), story('privileged-root', 'privileged-root', 'medium')], index).cause).toBe('admin-activity');
  });
});

describe('decide: a confirmed EDR-kill restart loop names the cause', () => {
  const a = alert({ host: 'node-1', process: { name: 'controller' }, action: 'killed' });
  const story = (rule: string, cause: NonNullable<Evidence['cause']>, strength: Evidence['strength']): Evidence => ({ rule, direction: 'benign', strength, cause, message: `${rule} explains it.` });

  it("a strong ping-pong story wins the cause over stronger-scored 'it is the component's daemon' stories", () => {
    const v = decide(a, placed, [story('workload-baseline', 'node-networking', 'strong'), story('privileged-root', 'node-networking', 'strong'), story('ping-pong', 'ping-pong', 'strong')], index);
    expect(v).toMatchObject({ label: 'likely-false-positive', cause: 'ping-pong' });
    expect(v.reasons[0].rule).toBe('ping-pong');
  });
  it('a ping-pong story below strong does not take the cause, and never turns a genuine verdict', () => {
    expect(decide(a, placed, [story('workload-baseline', 'node-networking', 'strong'), story('ping-pong', 'ping-pong', 'medium')], index).cause).toBe('node-networking');
    const indicator: Evidence = { rule: 'attack-indicators', direction: 'malicious', strength: 'decisive', message: 'a miner.' };
    expect(decide(a, placed, [story('ping-pong', 'ping-pong', 'strong'), indicator], index)).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
});
