import { it } from 'vitest';
import { profiles } from '../../src/alerts/vendors/index.js';
import { mutate, SEED_RECORDS } from '../fuzz/mutate.js';
import { triageAlert } from '../../src/triage/pipeline.js';
import { fuzzIndex } from '../fuzz/cluster.js';
import { SummaryBuilder } from '../../src/report/summary.js';
import { renderAll, assertSafeReports } from '../fuzz/reports.js';
it('p', async () => {
  const recs = [mutate(SEED_RECORDS[5], [{ op: 'wrap-array', at: 1628880637 }, { op: 'delete', at: 0 }]), mutate(SEED_RECORDS[0], [{ op: 'text', at: 0, value: '' }])];
  const p = profiles.find((x) => x.id === 'crowdstrike')!;
  const results = [];
  for (const [i, r] of recs.entries()) {
    console.log(JSON.stringify(r).slice(0, 300));
    try { const a = p.map(r, { file: 'f', record: i + 1, vendor: 'crowdstrike' }); console.log('alert', a.title, a.time); results.push(triageAlert(a, {}), triageAlert(a, { index: fuzzIndex })); } catch (e) { console.log('threw', (e as Error).constructor.name, (e as Error).message); }
  }
  const s = new SummaryBuilder(); results.forEach((x) => s.add(x));
  try { assertSafeReports(await renderAll(results, s.build())); } catch (e) { console.log('ASSERT', (e as Error).message.slice(0, 2000)); }
});
