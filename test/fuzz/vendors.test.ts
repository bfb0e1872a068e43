/**
 * Property tests over every vendor profile: `profile.map(record, source)` on real-looking records of every product
 * after structural damage (missing fields, wrong types, deep nesting, huge fields, hostile text, odd keys) either
 * returns a well-formed Alert or refuses the record with a RecordError — never another exception. Every alert it
 * returns then goes through triage (with and without cluster context) and every report format.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/model.js';
import { profiles, RecordError } from '../../src/alerts/vendors/index.js';
import type { RawRecord } from '../../src/alerts/vendors/profile.js';
import { SummaryBuilder } from '../../src/report/summary.js';
import { triageAlert } from '../../src/triage/pipeline.js';
import type { TriageResult } from '../../src/triage/model.js';
import { fuzzIndex } from './cluster.js';
import { mutate, mutationArb, SEED_RECORDS } from './mutate.js';
import { assertSafeReports, renderAll } from './reports.js';
import { check, Tally, TIMEOUT, wildValue } from './support.js';

const tally = new Tally('vendors');
afterAll(() => tally.report());

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational', 'unknown'];
const ACTIONS = ['detected', 'blocked', 'killed', 'quarantined', 'unknown'];
const ISO_UTC = /^[+-]?\d{4,6}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const optionalString = (v: unknown, what: string) => expect(v === undefined || typeof v === 'string', `${what} is ${typeof v}`).toBe(true);
const optionalPort = (v: unknown, what: string) => expect(v === undefined || (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535), `${what} = ${String(v)}`).toBe(true);

/** The Alert contract the rest of the pipeline relies on. */
export function assertAlertShape(alert: Alert): void {
  expect(typeof alert.id).toBe('string');
  expect(alert.time === null || ISO_UTC.test(alert.time), `time ${alert.time}`).toBe(true);
  expect(typeof alert.title).toBe('string');
  expect(SEVERITIES).toContain(alert.severity);
  expect(ACTIONS).toContain(alert.action);
  for (const list of [alert.tactics, alert.techniques, alert.host.ips]) {
    expect(Array.isArray(list)).toBe(true);
    for (const s of list) expect(typeof s).toBe('string');
  }
  optionalString(alert.host.name, 'host.name');
  optionalString(alert.cluster, 'cluster');
  for (const key of ['id', 'name', 'image', 'pod', 'namespace', 'podUid', 'cgroupPath'] as const) optionalString(alert.container[key], `container.${key}`);
  for (const p of [alert.process, ...alert.process.ancestors]) {
    for (const key of ['name', 'path', 'commandLine', 'pid', 'user', 'uid', 'hash', 'startTime'] as const) optionalString(p[key], `process.${key}`);
  }
  expect(Array.isArray(alert.process.ancestors)).toBe(true);
  if (alert.network) {
    for (const key of ['srcIp', 'dstIp', 'protocol', 'domain', 'url', 'userAgent'] as const) optionalString(alert.network[key], `network.${key}`);
    optionalPort(alert.network.srcPort, 'srcPort');
    optionalPort(alert.network.dstPort, 'dstPort');
  }
  expect(alert.raw !== null && typeof alert.raw === 'object').toBe(true);
}

/** map() either returns an alert or throws RecordError; anything else is a bug. */
function mapOrRefuse(profileId: string, record: RawRecord, n: number): Alert | undefined {
  const profile = profiles.find((p) => p.id === profileId)!;
  try {
    const alert = profile.map(record, { file: `fuzz/${profileId}.json`, record: n, line: n, vendor: profileId });
    tally.add('mapped');
    return alert;
  } catch (error) {
    if (!(error instanceof RecordError)) throw new Error(`${profileId}.map threw ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`, { cause: error });
    tally.add('refused');
    return undefined;
  }
}

function triageBoth(alert: Alert): TriageResult[] {
  return [triageAlert(alert, {}), triageAlert(alert, { index: fuzzIndex })];
}

/** A seed and its mutations: the record is built inside the property, so a counterexample prints small. */
const recipeArb = fc.tuple(fc.constantFrom(...SEED_RECORDS.keys()), fc.array(mutationArb, { minLength: 1, maxLength: 5 }));

describe('vendor profiles on damaged records', () => {
  it('has seed records for every input kind', () => {
    expect(SEED_RECORDS.length).toBeGreaterThanOrEqual(8);
  });

  for (const profile of profiles) {
    it(
      `${profile.id}: map() returns a well-formed alert or throws RecordError; triage and every report survive`,
      async () => {
        await check(
          fc.asyncProperty(fc.array(recipeArb, { minLength: 1, maxLength: 4 }), async (recipes) => {
            const records = recipes.map(([i, ms]) => mutate(SEED_RECORDS[i], ms));
            tally.add('records', records.length);
            const results: TriageResult[] = [];
            records.forEach((record, n) => {
              const score = profile.detect(record, { fileName: 'fuzz.json' });
              expect(typeof score).toBe('number');
              const alert = mapOrRefuse(profile.id, record, n + 1);
              if (!alert) return;
              assertAlertShape(alert);
              results.push(...triageBoth(alert));
            });
            if (results.length === 0) return;
            const summary = new SummaryBuilder();
            for (const r of results) summary.add(r);
            const outputs = await renderAll(results, summary.build());
            assertSafeReports(outputs);
            tally.add('rendered', results.length);
          }),
          15,
          tally,
        );
      },
      TIMEOUT,
    );
  }

  it(
    'arbitrary JSON objects: every profile maps or refuses',
    async () => {
      const arb = fc.dictionary(fc.string({ maxLength: 12 }), wildValue, { maxKeys: 12 });
      await check(
        fc.property(arb, (record) => {
          for (const profile of profiles) {
            tally.add('random-records');
            const alert = mapOrRefuse(profile.id, record as RawRecord, 1);
            if (alert) {
              assertAlertShape(alert);
              triageBoth(alert);
            }
          }
        }),
        150,
        tally,
      );
    },
    TIMEOUT,
  );
});
