import { describe, expect, it } from 'vitest';
import { wazuh } from '../../../src/alerts/vendors/wazuh.js';
import { FIXTURES, FORMATS, hasShared, mapAll, readJson, readNdjson } from './helpers.js';

describe('wazuh fixtures', () => {
  const [docker, audit] = mapAll(wazuh, readNdjson(`${FIXTURES}wazuh-docker-audit.ndjson`));
  it('reads pod and namespace from a dockershim container name', () => {
    expect(docker).toMatchObject({ id: '1780000000.12345', time: '2026-03-03T03:03:03.303Z', severity: 'high', action: 'detected', techniques: ['T1609'], tactics: ['TA0002'] });
    expect(docker.host).toEqual({ name: 'worker-5', ips: ['10.0.5.5'] });
    expect(docker.container).toEqual({
      id: '8f7e6d5c4b3a29180716f5e4d3c2b1a08f7e6d5c4b3a29180716f5e4d3c2b1a0',
      image: 'nginx:1.27',
      name: 'web',
      pod: 'web-0',
      namespace: 'shop',
      podUid: '0f1e2d3c-aaaa-bbbb-cccc-123456789abc',
    });
  });
  it('maps auditd process fields', () => {
    expect(audit.severity).toBe('informational');
    expect(audit.process).toMatchObject({ name: 'curl', path: '/usr/bin/curl', commandLine: 'curl -s http://203.0.113.1/', pid: '4242', uid: '0', tty: true });
    expect(audit.process.ancestors).toEqual([{ pid: '4200' }]);
  });
});

describe.skipIf(!hasShared)('wazuh sample', () => {
  it('maps the sshd brute-force alert', () => {
    const [a] = mapAll(wazuh, readJson(`${FORMATS}wazuh/wazuh-v4.9.2_integratord-test_alert_sample.json`));
    expect(a).toMatchObject({ id: '1652272159.1549653', time: '2022-05-11T12:29:19.905Z', severity: 'medium', techniques: ['T1110'], tactics: ['TA0006'] });
    expect(a.host.name).toBe('localhost.localdomain');
    expect(a.network).toEqual({ srcIp: '172.17.1.1', srcPort: 56404 });
  });
});
