import { describe, expect, it } from 'vitest';
import { suricata } from '../../../src/alerts/vendors/suricata.js';
import { src } from './helpers.js';

const base = {
  timestamp: '2026-12-03T09:02:15.240981+0000',
  event_type: 'alert',
  src_ip: '10.224.0.103',
  src_port: 38814,
  dest_ip: '10.0.0.10',
  dest_port: 53,
  proto: 'UDP',
  app_proto: 'dns',
  alert: { action: 'allowed', gid: 1, signature_id: 9100201, rev: 4, signature: 'LOCAL DNS Possible DNS tunneling - high rate of long query names', category: 'Potentially Bad Traffic', severity: 2 },
};

describe('suricata DNS metadata in alerts', () => {
  it('takes the name of the first query of the Suricata 7 `dns.query` array', () => {
    const a = suricata.map({ ...base, dns: { query: [{ type: 'query', id: 5521, rrname: 'accounts-api.ledger.svc.cluster.local.ledger.svc.cluster.local', rrtype: 'AAAA', tx_id: 0, opcode: 0 }] } }, src('eve'));
    expect(a.network?.domain).toBe('accounts-api.ledger.svc.cluster.local.ledger.svc.cluster.local');
  });
  it('and of the Suricata 8 `dns.queries` array, and of a single query object', () => {
    expect(suricata.map({ ...base, dns: { queries: [{ rrname: 'a.example', rrtype: 'A' }] } }, src('eve')).network?.domain).toBe('a.example');
    expect(suricata.map({ ...base, dns: { query: { rrname: 'b.example' } } }, src('eve')).network?.domain).toBe('b.example');
  });
  it('leaves the domain empty for an empty or malformed list', () => {
    expect(suricata.map({ ...base, dns: { query: [] } }, src('eve')).network?.domain).toBeUndefined();
    expect(suricata.map({ ...base, dns: { query: ['x'] } }, src('eve')).network?.domain).toBeUndefined();
  });
});
