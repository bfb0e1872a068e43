// Snapshot load + index build through kdr-triage's own modules (dist), timed inside the process.
import { performance } from 'node:perf_hooks';
import { loadSnapshots } from '../../dist/cluster/load.js';
import { buildIndex } from '../../dist/cluster/index.js';

const start = performance.now();
const index = buildIndex(await loadSnapshots([process.argv[2]], (m) => process.stderr.write(`${m}\n`)));
process.stderr.write(`${index.pods.length} pods indexed in ${((performance.now() - start) / 1000).toFixed(2)} s\n`);
