// Baseline: readline + JSON.parse of every line, nothing else.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

let records = 0;
for await (const line of createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity })) if (line && JSON.parse(line)) records++;
process.stderr.write(`${records} records\n`);
