// Baseline: csv-parse alone with `columns: true` on one core, every record read and dropped.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

let records = 0;
for await (const record of createReadStream(process.argv[2]).pipe(parse({ columns: true }))) if (record) records++;
process.stderr.write(`${records} records\n`);
