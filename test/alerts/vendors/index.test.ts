import { describe, expect, it } from 'vitest';
import { detectProfile, profileById, profiles } from '../../../src/alerts/vendors/index.js';
import type { VendorProfile } from '../../../src/alerts/vendors/profile.js';
import { CORPUS, hasShared, readCsv, readJson, readNdjson } from './helpers.js';

describe('registry', () => {
  it('has unique ids, generic last, and field docs for every profile', () => {
    const ids = profiles.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[ids.length - 1]).toBe('generic');
    for (const p of profiles) expect(Object.keys(p.fields).length).toBeGreaterThan(3);
  });

  it('finds profiles by id', () => {
    expect(profileById('falco')?.id).toBe('falco');
    expect(profileById(' CrowdStrike ')?.id).toBe('crowdstrike');
    expect(profileById('nope')).toBeUndefined();
  });

  it('takes the highest average score; ties go to registry order; nothing when all score 0', () => {
    const mk = (id: string, score: number): VendorProfile => ({ id, product: id, detect: () => score, map: () => { throw new Error('unused'); }, fields: {} });
    const a = mk('a', 0.5);
    const b = mk('b', 0.5);
    const c = mk('c', 0.7);
    expect(detectProfile([{}], { fileName: 'x' }, [a, b])?.profile.id).toBe('a');
    expect(detectProfile([{}], { fileName: 'x' }, [a, b, c])).toMatchObject({ score: 0.7 });
    expect(detectProfile([{}], { fileName: 'x' }, [mk('z', 0)])).toBeUndefined();
    expect(detectProfile([], { fileName: 'x' })).toBeUndefined();
    const thrower: VendorProfile = { ...a, id: 't', detect: () => { throw new Error('bad'); } };
    expect(detectProfile([{}], { fileName: 'x' }, [thrower])).toBeUndefined();
  });

  it('falls back to generic for unknown but alert-like records', () => {
    expect(detectProfile([{ timestamp: '2026-01-01T00:00:00Z', title: 'x' }], { fileName: 'x.json' })?.profile.id).toBe('generic');
    expect(detectProfile([{ a: 1 }], { fileName: 'x.json' })).toBeUndefined();
  });
});

describe.skipIf(!hasShared)('detection on the eks-calico corpus', () => {
  it.each([
    ['crowdstrike-alerts.json', () => readJson(`${CORPUS}crowdstrike-alerts.json`), 'crowdstrike'],
    ['defender-alerts.csv', () => readCsv(`${CORPUS}defender-alerts.csv`), 'defender-xdr'],
    ['falco.ndjson', () => readNdjson(`${CORPUS}falco.ndjson`), 'falco'],
    ['suricata-eve.json', () => readNdjson(`${CORPUS}suricata-eve.json`), 'suricata'],
  ])('%s → %s', (fileName, read, expected) => {
    const records = read().slice(0, 20);
    const found = detectProfile(records, { fileName, columns: Object.keys(records[0]) });
    expect(found?.profile.id).toBe(expected);
    expect(found?.score).toBeGreaterThan(0.8);
  });
});
