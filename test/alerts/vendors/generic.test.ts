import { describe, expect, it } from 'vitest';
import { flattenRecord, generic, normalizeKey } from '../../../src/alerts/vendors/generic.js';
import { RecordError } from '../../../src/alerts/vendors/profile.js';
import { src } from './helpers.js';

describe('generic mapping', () => {
  it('normalises key spellings', () => {
    expect(normalizeKey('host.name')).toBe('hostname');
    expect(normalizeKey('Host_Name')).toBe('hostname');
    expect(normalizeKey('TimeGenerated [UTC]')).toBe('timegenerated');
    expect([...flattenRecord({ host: { name: 'a' }, 'k8s.pod.name': 'p', list: [{ x: 1 }] }).keys()]).toEqual(['k8spodname', 'hostname', 'listx']);
  });

  it('maps an ECS-like nested object', () => {
    const a = generic.map(
      {
        '@timestamp': '2026-01-02T03:04:05.123456Z',
        rule: { name: 'Reverse shell' },
        severity: 'high',
        host: { name: 'node-1', ip: ['10.0.0.5', 'fe80::1'] },
        container: { id: 'containerd://0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', image: 'nginx:1.27' },
        kubernetes: { pod: { name: 'web-1' }, namespace: 'shop' },
        process: { name: 'bash', command_line: 'bash -i', pid: 4242, parent: { name: 'nginx', pid: 1 } },
        source: { ip: '10.0.0.9', port: 40000 },
        destination: { ip: '203.0.113.1', port: 4444 },
        tags: ['T1059.004'],
      },
      src('x.json'),
    );
    expect(a).toMatchObject({ time: '2026-01-02T03:04:05.123Z', title: 'Reverse shell', severity: 'high', techniques: ['T1059.004'] });
    expect(a.source.vendor).toBe('generic');
    expect(a.host).toEqual({ name: 'node-1', ips: ['10.0.0.5', 'fe80::1'] });
    expect(a.container).toEqual({ id: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', image: 'nginx:1.27', pod: 'web-1', namespace: 'shop' });
    expect(a.process).toMatchObject({ name: 'bash', commandLine: 'bash -i', pid: '4242' });
    expect(a.process.ancestors).toEqual([{ name: 'nginx', pid: '1' }]);
    expect(a.network).toEqual({ srcIp: '10.0.0.9', srcPort: 40000, dstIp: '203.0.113.1', dstPort: 4444 });
  });

  it('maps a flat CSV row with other spellings and a day-first date', () => {
    const a = generic.map(
      { 'EventTime [UTC]': '13/02/2026 10:00:00', AlertName: 'Odd binary', Computer: 'ip-10-0-1-2.ec2.internal', container_id: 'abcdef123456', pod_name: 'api-1', PodNamespace: 'prod', CommandLine: '/tmp/x', Priority: 'Warning' },
      src('x.csv'),
    );
    expect(a).toMatchObject({ time: '2026-02-13T10:00:00.000Z', title: 'Odd binary', severity: 'medium' });
    expect(a.host.name).toBe('ip-10-0-1-2.ec2.internal');
    expect(a.container).toEqual({ id: 'abcdef123456', pod: 'api-1', namespace: 'prod' });
    expect(a.process.commandLine).toBe('/tmp/x');
  });

  it('detects weakly and refuses records with nothing recognisable', () => {
    expect(generic.detect({ time: '2026-01-01T00:00:00Z' }, { fileName: 'x' })).toBe(0.1);
    expect(generic.detect({ foo: 1 }, { fileName: 'x' })).toBe(0);
    expect(() => generic.map({ foo: 1 }, src('x'))).toThrow(RecordError);
  });
});
