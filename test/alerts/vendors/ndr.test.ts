import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCefLine } from '../../../src/alerts/readers/cef.js';
import { parseZeekHeader, zeekRowToRecord } from '../../../src/alerts/readers/zeek-tsv.js';
import { corelight } from '../../../src/alerts/vendors/corelight.js';
import { darktrace } from '../../../src/alerts/vendors/darktrace.js';
import { extrahop } from '../../../src/alerts/vendors/extrahop.js';
import { NotAnAlert } from '../../../src/alerts/vendors/profile.js';
import type { RawRecord } from '../../../src/alerts/vendors/profile.js';
import { vectra } from '../../../src/alerts/vendors/vectra.js';
import { zeek } from '../../../src/alerts/vendors/zeek.js';
import { FIXTURES, FORMATS, hasShared, mapAll, readCsv, readNdjson, src } from './helpers.js';

function readZeekTsv(path: string): RawRecord[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const header = parseZeekHeader(lines.filter((l) => l.startsWith('#')));
  if (!header) throw new Error('no header');
  return lines.map((l) => zeekRowToRecord(l, header)).filter((r): r is RawRecord => r !== undefined);
}

describe('network-only products leave host and container empty', () => {
  it('corelight: notice and suricata_corelight (flat dotted keys) behind syslog prefixes', () => {
    const [notice, suri] = mapAll(corelight, readNdjson(`${FIXTURES}corelight-variants.log`));
    expect(notice).toMatchObject({ time: '2026-03-01T10:00:00.123Z', title: 'SSH::Password_Guessing', severity: 'high', sensor: 'sensor-1', action: 'detected' });
    expect(notice.network).toEqual({ srcIp: '10.0.1.9', srcPort: 50000, dstIp: '203.0.113.80', dstPort: 22, protocol: 'tcp' });
    expect(notice.host).toEqual({ ips: [] });
    expect(suri).toMatchObject({ id: 'S1', title: 'ET POLICY curl User-Agent', severity: 'medium', action: 'detected' });
    expect(suri.network).toMatchObject({ srcIp: '10.0.1.10', dstIp: '198.51.100.1', dstPort: 443 });
  });

  it('darktrace: a CEF syslog line', () => {
    const record = parseCefLine(readFileSync(`${FIXTURES}darktrace-cef.log`, 'utf8').trim());
    expect(darktrace.detect(record!, { fileName: 'x' })).toBeGreaterThan(0.9);
    const a = darktrace.map(record!, src('dt.log'));
    expect(a).toMatchObject({ id: '4321', time: '2026-02-02T02:02:01.000Z', title: 'Compromise/Beaconing Activity To External Rare', severity: 'high', action: 'detected' });
    expect(a.network).toEqual({ srcIp: '10.0.3.3', srcPort: 51515, dstIp: '203.0.113.66', dstPort: 443, protocol: 'tcp', domain: 'rare.example' });
    expect(a.container).toEqual({});
  });
});

describe.skipIf(!hasShared)('NDR samples', () => {
  it('zeek: JSON notices', () => {
    const alerts = mapAll(zeek, readNdjson(`${FORMATS}zeek/elastic-integrations_zeek_notice_test-notice.log.ndjson`));
    expect(alerts[0]).toMatchObject({ time: '2011-11-04T19:44:35.879Z', title: 'SSH::Password_Guessing', action: 'detected', sensor: 'bro' });
    expect(alerts[0].network).toEqual({ srcIp: '172.16.238.1' });
    expect(alerts[3].network).toEqual({ srcIp: '10.156.0.2', srcPort: 48818, dstIp: '89.160.20.156', dstPort: 443, protocol: 'tcp' });
    for (const a of alerts) expect(a.host).toEqual({ ips: [] });
  });

  it('zeek: TSV notice.log through the #fields header', () => {
    const [attacker, victim] = mapAll(zeek, readZeekTsv(`${FORMATS}zeek/zeek-btest-baseline_scripts.policy.protocols.http.sql-injection-plus-dvwa2_notice.log`));
    expect(attacker).toMatchObject({ title: 'HTTP::SQL_Injection_Attacker', time: null });
    expect(attacker.network).toEqual({ srcIp: '192.168.111.148', dstIp: '192.168.111.154' });
    expect(victim.title).toBe('HTTP::SQL_Injection_Victim');
    const [ssh] = mapAll(zeek, readZeekTsv(`${FORMATS}zeek/zeek-btest-baseline_scripts.policy.protocols.ssh.detect-bruteforcing_notice.log`));
    expect(ssh.network).toEqual({ srcIp: '192.168.56.1' });
    expect(mapAll(zeek, readZeekTsv(`${FORMATS}zeek/zeek-btest-baseline_scripts.policy.frameworks.intel.notice_notice.log`))).toHaveLength(3);
  });

  it('corelight: the sample is a dns log, recognised but not an alert', () => {
    const [record] = readNdjson(`${FORMATS}corelight/corelight-Chronicle_python-tools_corelight.log`);
    expect(corelight.detect(record, { fileName: 'corelight.log' })).toBe(1);
    expect(() => corelight.map(record, src('corelight.log'))).toThrow(NotAnAlert);
  });

  it('darktrace: model breach JSON', () => {
    const [system, recon] = mapAll(darktrace, readNdjson(`${FORMATS}darktrace/elastic-integrations_darktrace_test-model-breach-alert.log.excerpt.ndjson`));
    expect(system).toMatchObject({ id: '5', time: '2022-07-13T02:12:46.000Z', title: 'System::System', severity: 'informational' });
    expect(system.network).toBeUndefined();
    expect(recon).toMatchObject({ id: '6', title: 'Device::Attack and Recon Tools', techniques: ['T1200'], action: 'detected' });
    expect(recon.network).toMatchObject({ srcIp: '81.2.69.192', dstIp: '81.2.69.144', direction: 'out' });
  });

  it('darktrace: Sentinel CommonSecurityLog CSV with spaces inside IPs', () => {
    const alerts = mapAll(darktrace, readCsv(`${FORMATS}darktrace/azure-sentinel_Sample-Data_AIA-Darktrace.csv`));
    expect(alerts).toHaveLength(7);
    expect(alerts[0]).toMatchObject({ id: '1907243', title: 'Anomalous Connection/Anomalous SSL without SNI to New External', severity: 'high' });
    expect(alerts[0].network).toEqual({ dstIp: '127.0.0.1', dstPort: 443 });
    expect(alerts[1].network).toEqual({ dstPort: 445 });
  });

  it('vectra: syslog-tagged JSON, severity as number or string, service_info JSON string', () => {
    const alerts = mapAll(vectra, readNdjson(`${FORMATS}vectra/elastic-integrations_vectra_detect_test-host-detection.log.excerpt.txt`));
    expect(alerts).toHaveLength(6);
    expect(alerts[0]).toMatchObject({ id: '131', time: '2023-02-14T02:31:22.000Z', title: 'Hidden DNS Tunnel', severity: 'low', sensor: 'x29-1-37.sc.tvec', tactics: ['TA0011'] });
    expect(alerts[0].description).toContain('adm-roger@corp.example.com');
    expect(alerts[0].network).toMatchObject({ srcIp: '89.160.20.112', dstPort: 53, protocol: 'udp', domain: 'abcdomain' });
    expect(alerts[1]).toMatchObject({ severity: 'high', tactics: ['TA0008'] });
    expect(alerts[3].network?.dstIp).toBeUndefined();
    for (const a of alerts) expect(a.host).toEqual({ ips: [] });
  });

  it('extrahop: participants by endpoint role, epoch ms, MITRE ids', () => {
    const [cert, icmp, kali] = mapAll(extrahop, readNdjson(`${FORMATS}extrahop/elastic-integrations_extrahop_test-pipeline-detection.log.ndjson`));
    expect(cert).toMatchObject({ id: '25769804127', time: '2025-06-26T10:57:30.304Z', severity: 'low', tactics: ['TA0007'], techniques: ['T1087'] });
    expect(cert.network).toEqual({ dstIp: '1.128.0.0' });
    expect(icmp.network).toEqual({ srcIp: '81.2.69.142', dstIp: '175.16.199.0', domain: '09i2TY0xVtw7DPECOJQte01i7IK8B9FV.rx.tours' });
    expect(kali).toMatchObject({ id: '17179869713', severity: 'high' });
    expect(kali.network).toEqual({ srcIp: '67.43.156.0', srcPort: 63855, dstIp: '89.160.20.112', dstPort: 443, domain: 'www.kali.org' });
  });
});
