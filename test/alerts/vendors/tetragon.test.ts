import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tetragon } from '../../../src/alerts/vendors/tetragon.js';
import { FIXTURES, FORMATS, hasShared, mapAll, readJson, readNdjson } from './helpers.js';

describe('tetragon fixtures', () => {
  const [kprobe, host] = mapAll(tetragon, readNdjson(`${FIXTURES}tetragon-variants.ndjson`));
  it('maps a SIGKILL kprobe with socket arguments', () => {
    expect(kprobe).toMatchObject({ time: '2026-09-01T00:00:00.200Z', action: 'killed', title: 'block-imds: kprobe: tcp_connect' });
    expect(kprobe.host.name).toBe('node-1');
    expect(kprobe.container).toEqual({ pod: 'web-0', namespace: 'shop', id: 'aaaabbbbccccddddeeeeffff0000111122223333444455556666777788889999', name: 'web', image: 'nginx:1.27' });
    expect(kprobe.process).toMatchObject({ name: 'curl', path: '/usr/bin/curl', commandLine: '/usr/bin/curl http://169.254.169.254/latest/meta-data/', pid: '9001', uid: '0' });
    expect(kprobe.process.ancestors[0]).toMatchObject({ name: 'sh', commandLine: '/bin/sh -c curl', pid: '9000' });
    expect(kprobe.network).toEqual({ srcIp: '10.244.1.5', srcPort: 51000, dstIp: '169.254.169.254', dstPort: 80, protocol: 'tcp' });
  });
  it('uses the truncated docker id only without a pod block', () => {
    expect(host.container).toEqual({ id: '0123456789abcdef01234567' });
    expect(host.action).toBe('detected');
  });
});

describe.skipIf(!hasShared)('tetragon samples', () => {
  it('maps the privileged nsenter exec', () => {
    const [a] = mapAll(tetragon, readJson(`${FORMATS}tetragon/tetragon-docs_privileged-pod-nsenter.json`));
    expect(a).toMatchObject({ time: '2022-01-19T11:16:29.378Z', action: 'detected' });
    expect(a.host.name).toBe('minikube');
    expect(a.container).toEqual({ pod: 'privileged-pod', namespace: 'default', id: '85f791fd8dfa740a3b1c177e8f68e8fdb4803a7c8fa0e957a5ec38460ce047ef', name: 'privileged-pod', image: 'nginx:latest' });
    expect(a.process).toMatchObject({ name: 'nsenter', commandLine: '/usr/bin/nsenter -t 1 -m -u -n -i -p bash', pid: '19009', uid: '0' });
  });
  it('maps the file-access kprobe and the nc exec', () => {
    const [kprobe] = mapAll(tetragon, readJson(`${FORMATS}tetragon/tetragon-docs_filename-access_process_kprobe.json`));
    expect(kprobe.file).toEqual({ path: '/etc/passwd' });
    expect(kprobe.title).toBe('file-monitoring: kprobe: security_file_permission');
    const [nc] = mapAll(tetragon, readJson(`${FORMATS}tetragon/tetragon-docs_nc_process_exec.json`));
    expect(nc.container).toMatchObject({ pod: 'elasticsearch-56f8fc6988-65smb', namespace: 'tenant-jobs' });
    expect(nc.process.commandLine).toBe('/usr/bin/nc raiz3gjkgtfhkkc.not-reverse-shell.com 443');
  });
  it('maps the testdata events (NDJSON; the first has no time)', () => {
    const lines = readFileSync(`${FORMATS}tetragon/tetragon_testdata_events.json`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const alerts = mapAll(tetragon, lines);
    expect(alerts[0].time).toBe('2022-10-18T03:16:18.273Z');
    expect(alerts[0].container).toMatchObject({ pod: 'tiefighter', id: '19a02291e106ce6227b684197be232ea57c4e1a5ab2604a12608c325d701c7f4' });
    expect(alerts[1].host.name).toBe('my-node');
  });
});

describe('tetragon syscall hooks: the path as the string the caller passed', () => {
  const proc = { exec_id: 'eA==', pid: 412, uid: 101, cwd: '/etc/nginx', binary: '/usr/bin/nginx', arguments: '-c /tmp/nginx/nginx-cfg1 -t', flags: 'execve', start_time: '2027-03-11T03:08:44.102230000Z', auid: 4294967295 };
  const event = (args: unknown[]) => ({ process_kprobe: { process: proc, function_name: '__x64_sys_openat', args, action: 'KPROBE_ACTION_POST', policy_name: 'proc-fd-open' }, node_name: 'wk-1', time: '2027-03-11T03:08:44.187713000Z' });
  it('maps an absolute-path string_arg to file.path', () => {
    const [a] = mapAll(tetragon, [event([{ int_arg: -100 }, { string_arg: '/proc/31/fd/27' }, { int_arg: 524288 }])]);
    expect(a.file).toEqual({ path: '/proc/31/fd/27' });
  });
  it('a string that is not a path is not a file', () => {
    const [a] = mapAll(tetragon, [event([{ string_arg: 'hello world' }, { string_arg: 'relative/x' }])]);
    expect(a.file).toBeUndefined();
  });
  it('the first path argument is the file', () => {
    const [a] = mapAll(tetragon, [event([{ string_arg: '/a' }, { file_arg: { path: '/etc/passwd' } }])]);
    expect(a.file).toEqual({ path: '/a' });
  });
});

