import { describe, expect, it } from 'vitest';
import { parseZeekHeader, zeekRowToRecord } from '../../../src/alerts/readers/zeek-tsv.js';
import { NotAnAlert, type RawRecord } from '../../../src/alerts/vendors/profile.js';
import { zeek } from '../../../src/alerts/vendors/zeek.js';

const HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tintel',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tseen.indicator\tseen.indicator_type\tseen.where\tseen.node\tmatched\tsources\tfuid\tfile_mime_type\tfile_desc',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tstring\tenum\tenum\tstring\tset[enum]\tset[string]\tstring\tstring\tstring',
];
const ROWS = [
  '1805203205.880412\tCFv5HnXylw6q9XukQx\t100.120.0.95\t38021\t100.64.0.10\t53\ttelemetry.npm-stats.example\tIntel::DOMAIN\tDNS::IN_REQUEST\tzeek-1\tIntel::DOMAIN\tThreatFox\t-\t-\t-',
  '1805199669.102334\tCFLEq2XP75vD012jmf\t100.116.0.62\t50812\t198.51.100.77\t80\t198.51.100.77\tIntel::ADDR\tConn::IN_RESP\tzeek-2\tIntel::ADDR\tabuse.ch,mining-pools\t-\t-\t-',
];
const header = parseZeekHeader(HEADER)!;
const records = ROWS.map((r) => zeekRowToRecord(r, header)) as RawRecord[];
const src = (record: number) => ({ file: 'intel.log', record, vendor: 'zeek' });

describe('zeek: intel.log matches are alerts', () => {
  it('is recognised as Zeek', () => {
    expect(zeek.detect(records[0], {} as never)).toBe(1);
  });
  it('maps a domain match seen in a DNS request: the asking pod is the source, the domain is the observable', () => {
    const a = zeek.map(records[0], src(1));
    expect(a.title).toBe('Intel::Notice');
    expect(a.description).toBe('Intel hit on telemetry.npm-stats.example at DNS::IN_REQUEST (Intel::DOMAIN) — sources: ThreatFox');
    expect(a.time).toBe('2027-03-16T13:20:05.880Z');
    expect(a.network).toMatchObject({ srcIp: '100.120.0.95', srcPort: 38021, dstIp: '100.64.0.10', dstPort: 53, domain: 'telemetry.npm-stats.example' });
  });
  it('maps an address match with its sources set', () => {
    const a = zeek.map(records[1], src(2));
    expect(a.network).toMatchObject({ srcIp: '100.116.0.62', dstIp: '198.51.100.77', dstPort: 80 });
    expect(a.network?.domain).toBeUndefined();
    expect(a.description).toMatch(/sources: abuse\.ch, mining-pools$/);
  });
  it('trap: another Zeek log line (conn.log) is still no alert', () => {
    expect(() => zeek.map({ ts: '1805203205.1', uid: 'Cx', 'id.orig_h': '10.0.0.1', 'id.resp_h': '10.0.0.2' }, src(3))).toThrow(NotAnAlert);
  });
});

describe('corelight: an intel row reads as Zeek’s', () => {
  const row = {
    _path: 'intel',
    _system_name: 'corelight-sensor-1',
    ts: '2027-03-16T13:20:05.880412Z',
    uid: 'CFv5HnXylw6q9XukQx',
    'id.orig_h': '100.120.0.95',
    'id.orig_p': 38021,
    'id.resp_h': '198.51.100.77',
    'id.resp_p': 80,
    'seen.indicator': '198.51.100.77',
    'seen.indicator_type': 'Intel::ADDR',
    'seen.where': 'Conn::IN_RESP',
    sources: ['abuse.ch'],
  } as RawRecord;
  it('is titled Intel::Notice, so the threat-intelligence indicator sees it as it sees a Zeek hit', async () => {
    const { corelight } = await import('../../../src/alerts/vendors/corelight.js');
    const { indicatorsIn } = await import('../../../src/triage/rules/indicator-match.js');
    const a = corelight.map(row, { file: 'corelight.log', record: 1, vendor: 'corelight' });
    expect(a.title).toBe('Intel::Notice');
    expect(a.description).toBe('Intel hit on 198.51.100.77 at Conn::IN_RESP (Intel::ADDR) — sources: abuse.ch');
    expect(a.network).toMatchObject({ srcIp: '100.120.0.95', dstIp: '198.51.100.77', dstPort: 80 });
    expect(indicatorsIn('title', a.title).map((i) => i.id)).toContain('threat-intel-match');
  });
});
