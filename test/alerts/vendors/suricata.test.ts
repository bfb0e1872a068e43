import { describe, expect, it } from 'vitest';
import { NotAnAlert, RecordError } from '../../../src/alerts/vendors/profile.js';
import { suricata } from '../../../src/alerts/vendors/suricata.js';
import { CORPUS, FIXTURES, FORMATS, hasShared, mapAll, readNdjson, src } from './helpers.js';

describe('suricata fixtures', () => {
  const [blocked, flow] = readNdjson(`${FIXTURES}suricata-variants.ndjson`);
  it('maps a blocked alert with TLS SNI and MITRE metadata; the sensor is not the host', () => {
    const a = suricata.map(blocked, src('eve'));
    expect(a).toMatchObject({ action: 'blocked', severity: 'high', time: '2026-01-10T04:59:58.000Z', sensor: 'sensor-a' });
    expect(a.host).toEqual({ ips: [] });
    expect(a.container).toEqual({});
    expect(a.network).toMatchObject({ srcIp: '10.0.3.4', srcPort: 51514, dstIp: '203.0.113.99', dstPort: 443, protocol: 'tcp', domain: 'evil.example', interface: 'ens5' });
    expect(a.tactics).toEqual(['TA0011']);
    expect(a.techniques).toEqual(['T1071']);
  });
  it('reports other EVE events as not alerts', () => {
    expect(() => suricata.map(flow, src('eve'))).toThrow(NotAnAlert);
    expect(() => suricata.map({ foo: 'bar' }, src('eve'))).toThrow(RecordError);
  });
});

describe.skipIf(!hasShared)('suricata samples', () => {
  it('maps the documentation alert (offset without a colon)', () => {
    const [record] = readNdjson(`${FORMATS}suricata/suricata-docs_eve-json-format_alert-examples.ndjson`);
    const a = suricata.map(record, src('docs'));
    expect(a).toMatchObject({ time: '2017-04-07T21:24:37.251Z', severity: 'medium', action: 'detected' });
    expect(a.title).toBe('ET HUNTING GENERIC SUSPICIOUS POST to Dotted Quad with Fake Browser 1');
    expect(a.network).toMatchObject({ srcIp: '192.168.2.14', srcPort: 50096, dstIp: '209.53.113.5', dstPort: 80, protocol: 'tcp', appProtocol: 'http' });
  });
});

describe.skipIf(!hasShared)('suricata on the eks-calico corpus', () => {
  it('maps every alert with endpoints and sensor, and no host', () => {
    const alerts = mapAll(suricata, readNdjson(`${CORPUS}suricata-eve.json`));
    expect(alerts.length).toBeGreaterThan(10);
    for (const a of alerts) {
      expect(a.time).toMatch(/^2026-11-20T/);
      expect(a.network?.srcIp).toBeTruthy();
      expect(a.network?.dstIp).toBeTruthy();
      expect(a.sensor).toMatch(/\.compute\.internal$/);
      expect(a.host.name).toBeUndefined();
    }
    expect(alerts[0].network).toMatchObject({ dstIp: '169.254.169.254', url: '/latest/meta-data/network/interfaces/macs/0a:4f:9c:21:3b:7d/local-ipv4s', userAgent: 'aws-sdk-go/1.55.5 (go1.22.8; linux; amd64)' });
  });
});
