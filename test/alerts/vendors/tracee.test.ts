import { describe, expect, it } from 'vitest';
import { tracee } from '../../../src/alerts/vendors/tracee.js';
import { FIXTURES, FORMATS, hasShared, mapAll, readJson, readNdjson } from './helpers.js';

describe('tracee fixture', () => {
  it('maps a signature finding with nested container and kubernetes blocks', () => {
    const [a] = mapAll(tracee, readJson(`${FIXTURES}tracee-signature.json`));
    expect(a).toMatchObject({ time: '2026-08-01T10:00:00.123Z', title: 'Container escape', severity: 'high', action: 'detected', techniques: ['T1611'], tactics: ['TA0004'] });
    expect(a.host.name).toBe('node-x');
    expect(a.container).toEqual({ id: 'abcdef012345', name: 'debug', image: 'busybox:1.36', pod: 'debug-pod', namespace: 'ops', podUid: '11111111-2222-3333-4444-555555555555' });
    expect(a.process).toMatchObject({ name: 'nsenter', pid: '31337', uid: '0' });
    expect(a.process.ancestors).toEqual([{ pid: '31000' }]);
  });
});

describe.skipIf(!hasShared)('tracee samples', () => {
  it('maps the nested (empty) and flat layouts; execve names the program it starts', () => {
    const [exec, open] = mapAll(tracee, readNdjson(`${FORMATS}tracee/tracee-docs_event_examples.ndjson.txt`));
    expect(exec).toMatchObject({ time: '2023-05-21T16:57:30.477Z', title: 'execve_event: execve' });
    expect(exec.host.name).toBe('minikube');
    expect(exec.container).toEqual({});
    expect(exec.process).toMatchObject({ name: 'bridge', path: '/opt/cni/bin/bridge', commandLine: '/opt/cni/bin/bridge', pid: '3242201', uid: '0' });
    expect(open.process).toMatchObject({ name: 'bash', pid: '2578238', uid: '1000' });
    expect(open.container).toEqual({});
    expect(open.file).toEqual({ path: '/tmp/testing.txt' });
  });
});

describe('tracee plain events (no signature)', () => {
  const base = { timestamp: 1804739364009331000, processId: 2250, hostProcessId: 2250, processName: 'ptp4l', hostName: 'wk-2', eventId: '2026', argsNum: 4, returnValue: 0 };
  it('names the matched policy and the socket family in the title', () => {
    const [a] = mapAll(tracee, [{ ...base, eventName: 'security_socket_create', matchedPolicies: ['packet-sockets'], args: [{ name: 'family', type: 'int', value: 'AF_PACKET' }, { name: 'type', type: 'int', value: 'SOCK_RAW' }] }]);
    expect(a.title).toBe('packet-sockets: security_socket_create (AF_PACKET, SOCK_RAW)');
  });
  it('keeps the bare event name without policies or socket arguments', () => {
    const [a] = mapAll(tracee, [{ ...base, eventName: 'security_file_open', args: [{ name: 'pathname', type: 'const char*', value: '/tmp/x' }] }]);
    expect(a.title).toBe('security_file_open');
    expect(a.file).toEqual({ path: '/tmp/x' });
  });
});


describe('tracee rename events', () => {
  it('names the destination of a rename as the file', () => {
    const [a] = mapAll(tracee, [{ timestamp: 1804728672004550000, processId: 7, hostProcessId: 7, processName: 'mv', hostName: 'cp-b', eventId: '1037', eventName: 'security_inode_rename', matchedPolicies: ['static-pod-manifests'], args: [{ name: 'old_path', type: 'const char*', value: '/root/bak/kube-apiserver.yaml' }, { name: 'new_path', type: 'const char*', value: '/etc/kubernetes/manifests/kube-apiserver.yaml' }] }]);
    expect(a.file).toEqual({ path: '/etc/kubernetes/manifests/kube-apiserver.yaml' });
    expect(a.title).toBe('static-pod-manifests: security_inode_rename');
  });
});
