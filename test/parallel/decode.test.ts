import { describe, expect, it } from 'vitest';
import { profileById } from '../../src/alerts/vendors/index.js';
import { mapItem } from '../../src/parallel/decode.js';

const falco = profileById('falco')!;
const record = {
  time: '2026-11-20T10:00:00.000000000Z',
  rule: 'Terminal shell in container',
  priority: 'Notice',
  output: 'A shell was spawned in a container',
  output_fields: { 'proc.cmdline': 'bash', 'container.id': 'abcdef123456', 'k8s.ns.name': 'shop', 'k8s.pod.name': 'web-1' },
  hostname: 'node-1',
};
const item = { record, line: 3, position: 3 };

describe('mapItem', () => {
  it('keeps the original record by default (the csv report writes it)', () => {
    const event = mapItem(item, falco, { file: 'f.ndjson' });
    expect(event.kind).toBe('alert');
    if (event.kind === 'alert') expect(event.alert.raw).toMatchObject({ rule: 'Terminal shell in container', hostname: 'node-1' });
  });
  it('drops it when the report does not need it, and maps the alert the same otherwise', () => {
    const kept = mapItem(item, falco, { file: 'f.ndjson' });
    const dropped = mapItem(item, falco, { file: 'f.ndjson', keepRaw: false });
    expect(dropped.kind).toBe('alert');
    if (dropped.kind !== 'alert' || kept.kind !== 'alert') return;
    expect(dropped.alert.raw).toEqual({});
    expect({ ...dropped.alert, raw: undefined }).toEqual({ ...kept.alert, raw: undefined });
  });
});
