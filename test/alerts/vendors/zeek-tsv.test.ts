import { describe, expect, it } from 'vitest';
import { looksLikeZeekTsv, parseZeekHeader, zeekRowToRecord } from '../../../src/alerts/readers/zeek-tsv.js';

const LOG = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tnotice',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tnote\tmsg\tactions\tsuppress_for\tdropped\tn',
  '#types\ttime\tstring\taddr\tport\tenum\tstring\tset[enum]\tinterval\tbool\tcount',
  '1320435875.879278\tCHhAvVGS1DHFjwGM9\t10.0.0.1\t52000\tSSH::Password_Guessing\ta\\x09tab\tNotice::ACTION_LOG,Notice::ACTION_EMAIL\t3600.000000\tF\t18446744073709551615',
  '1320435876.000000\t-\t-\t-\tScan::Port_Scan\tscan\t(empty)\t-\tT\t-',
  '#close\t2011-11-04-19-44-37',
];

describe('zeek TSV', () => {
  it('reads the header and converts rows by #types', () => {
    expect(looksLikeZeekTsv(LOG.slice(0, 8))).toBe(true);
    const header = parseZeekHeader(LOG.filter((l) => l.startsWith('#')));
    expect(header).toMatchObject({ separator: '\t', setSeparator: ',', path: 'notice' });
    expect(zeekRowToRecord(LOG[7], header!)).toEqual({
      ts: '1320435875.879278',
      uid: 'CHhAvVGS1DHFjwGM9',
      'id.orig_h': '10.0.0.1',
      'id.orig_p': 52000,
      note: 'SSH::Password_Guessing',
      msg: 'a\ttab',
      actions: ['Notice::ACTION_LOG', 'Notice::ACTION_EMAIL'],
      suppress_for: 3600,
      dropped: false,
      n: '18446744073709551615',
    });
    expect(zeekRowToRecord(LOG[8], header!)).toEqual({ ts: '1320435876.000000', note: 'Scan::Port_Scan', msg: 'scan', actions: [], dropped: true });
    expect(zeekRowToRecord(LOG[9], header!)).toBeUndefined();
  });
  it('needs a #fields line', () => {
    expect(parseZeekHeader(['#separator \\x09'])).toBeUndefined();
    expect(looksLikeZeekTsv(['{"ts":1}'])).toBe(false);
  });
});
