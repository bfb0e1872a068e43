import { describe, expect, it } from 'vitest';
import { isContainerRuntimeProcess } from '../../src/knowledge/container-runtime.js';

describe('the container runtime processes', () => {
  it.each(['containerd-shim', 'containerd-shim-runc-v2', 'conmon', 'runc', 'crun'])('%s starts containers', (name) => {
    expect(isContainerRuntimeProcess(name)).toBe(true);
  });
  it.each(['sshd', 'bash', 'tini', 'containerd', 'dockerd', 'runc-wrapper', 'xcrun', undefined])('%s does not (an init or a daemon is not the runtime’s launcher)', (name) => {
    expect(isContainerRuntimeProcess(name)).toBe(false);
  });
});
