import { describe, expect, it } from 'vitest';
import { asCef, fromCommonSecurityLog, parseCefLine, parseExtension } from '../../../src/alerts/readers/cef.js';

describe('CEF lines', () => {
  it('parses header escapes, extension escapes, spaces in values and custom labels', () => {
    const r = parseCefLine(
      'Jan 18 11:07:53 host CEF:0|Acme\\|Corp|Sensor|1.0|100|Pipe \\| and \\\\ back|7|src=10.0.0.1 msg=a \\= b c\\nd cs1Label=Command Line cs1=sh -c "x=1" dpt=443',
    );
    expect(r).toMatchObject({ cefVersion: '0', deviceVendor: 'Acme|Corp', deviceProduct: 'Sensor', name: 'Pipe | and \\ back', severity: '7' });
    expect(r?.src).toBe('10.0.0.1');
    expect(r?.msg).toBe('a = b c\nd');
    expect(r?.cs1).toBe('sh -c "x=1"');
    expect(r?.cefLabels).toEqual({ 'Command Line': 'sh -c "x=1"' });
    expect(r?.syslogPrefix).toBe('Jan 18 11:07:53 host');
  });

  it('keeps an ISO time from the syslog prefix and refuses non-CEF lines', () => {
    expect(parseCefLine('2021-11-19 10:49:19.606 h CEF:0|V|P|1|1|n|2|')?.syslogTime).toBe('2021-11-19 10:49:19.606');
    expect(parseCefLine('hello world')).toBeUndefined();
    expect(parseCefLine('CEF:0|only|three')).toBeUndefined();
  });

  it('parses extensions alone', () => {
    expect(parseExtension('a=1 b=two words c=')).toEqual({ a: '1', b: 'two words', c: '' });
  });

  it('converts a Sentinel CommonSecurityLog row', () => {
    const row = {
      DeviceVendor: 'Darktrace',
      DeviceProduct: 'DCIP',
      DeviceEventClassID: '26',
      Activity: 'Anomalous Connection/SSL without SNI',
      LogSeverity: '7',
      DestinationIP: '127.0. 0.1',
      DestinationPort: '443',
      DeviceCustomString1Label: 'Model',
      DeviceCustomString1: 'x',
      'StartTime [UTC]': '11/06/2026, 08:18:17.083',
      AdditionalExtensions: 'message=hello;darktraceUrl=https://sample/mb/1',
    };
    const cef = fromCommonSecurityLog(row);
    expect(cef).toMatchObject({ deviceVendor: 'Darktrace', name: 'Anomalous Connection/SSL without SNI', severity: '7', dst: '127.0. 0.1', dpt: '443', start: '11/06/2026, 08:18:17.083' });
    expect(cef?.darktraceUrl).toBe('https://sample/mb/1');
    expect(cef?.cefLabels).toEqual({ Model: 'x' });
    expect(asCef({ foo: 'bar' })).toBeUndefined();
    expect(asCef(cef!)).toBe(cef);
  });
});
