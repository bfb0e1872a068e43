import { describe, expect, it } from 'vitest';
import { datadogCws } from '../../../src/alerts/vendors/datadog-cws.js';
import { FIXTURES, mapAll, readNdjson } from './helpers.js';

// No public Datadog sample exists (../shared/formats/datadog_cws has field names only); these fixtures follow that schema.
describe('datadog-cws fixtures', () => {
  const [agent, signal] = mapAll(datadogCws, readNdjson(`${FIXTURES}datadog-cws.ndjson`));
  it('maps an agent event with ancestors, tty, a kill action and Kubernetes tags', () => {
    expect(agent).toMatchObject({ time: '2026-10-10T10:10:10.123Z', title: 'A shell was spawned in a container', severity: 'high', action: 'killed', cluster: 'prod' });
    expect(agent.host.name).toBe('node-9');
    expect(agent.container).toEqual({ id: 'feedfacecafe', image: 'nginx:1.27', pod: 'web-1', namespace: 'shop' });
    expect(agent.process).toMatchObject({ name: 'bash', path: '/bin/bash', commandLine: 'bash -i', pid: '515', user: 'root', uid: '0', tty: true });
    expect(agent.process.ancestors).toEqual([{ name: 'runc', path: '/usr/bin/runc', commandLine: 'runc exec', pid: '510' }, { name: 'systemd', pid: '1' }]);
  });
  it('maps an API security signal', () => {
    expect(signal).toMatchObject({ id: 'AQAAAYx', time: '2026-10-10T11:00:00.000Z', title: 'IMDS access from a container', severity: 'medium', action: 'detected' });
    expect(signal.host.name).toBe('node-8');
    expect(signal.container).toEqual({ id: 'abcabcabcabc', pod: 'api-0', namespace: 'payments' });
    expect(signal.network).toEqual({ dstIp: '169.254.169.254', dstPort: 80, protocol: 'tcp' });
    expect(signal.process.ancestors).toEqual([]);
  });
});
