import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { TriageResult } from '../triage/model.js';
import { fingerprint } from './fingerprint.js';
import type { BaselineLookup } from './model.js';

export { fingerprint, hasProductId } from './fingerprint.js';

/**
 * `--baseline PREVIOUS.json`: the alerts of an earlier run, so that only genuine alerts not seen before count towards
 * `--fail-on` and reports can mark each alert new or known.
 *
 * Accepted files: the `--format json` document (`{ "summary": …, "verdicts": [VerdictRecord…] }`) or an
 * `--format ndjson` file (one VerdictRecord per line). Each record is identified by its `fingerprint`; records written
 * before fingerprints existed are identified by `vendor:id:<id>` when their id is the product's own (not the reader's
 * `file:record` fallback) and are otherwise skipped with a warning. Every alert of the baseline counts as known,
 * whatever its label was then.
 */
export interface Baseline extends BaselineLookup {
  has(result: TriageResult): boolean;
  /** The label the alert had in the baseline run. */
  previousLabel(result: TriageResult): string | undefined;
  readonly size: number;
  /** Records that could not be used (no fingerprint and no product id, malformed lines). */
  readonly warnings: string[];
}

export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineError';
  }
}

/** Whole-document JSON is parsed in one piece; beyond this size, write the baseline as NDJSON. */
const MAX_JSON_BYTES = 256 * 1024 * 1024;
const MAX_WARNINGS = 20;

interface RecordShape {
  id?: unknown;
  fingerprint?: unknown;
  label?: unknown;
  source?: { file?: unknown; record?: unknown; vendor?: unknown };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function recordKey(record: RecordShape): string | undefined {
  if (typeof record.fingerprint === 'string' && record.fingerprint !== '') return record.fingerprint;
  const source = isObject(record.source) ? record.source : undefined;
  if (typeof record.id !== 'string' || record.id === '' || typeof source?.vendor !== 'string') return undefined;
  if (record.id === `${String(source.file)}:${String(source.record)}`) return undefined;
  return `${source.vendor}:id:${record.id}`;
}

class BaselineSet implements Baseline {
  readonly labels = new Map<string, string>();
  readonly warnings: string[] = [];
  private skipped = 0;

  constructor(private readonly path: string) {}

  addRecord(value: unknown, where: string): void {
    if (!isObject(value)) return this.skip(`${where}: not a verdict record`);
    // An NDJSON stream may carry its summary as a line of its own.
    if ('summary' in value && !('label' in value)) return;
    const key = recordKey(value as RecordShape);
    if (key === undefined) return this.skip(`${where}: no fingerprint and no product alert id`);
    this.labels.set(key, typeof value.label === 'string' ? value.label : '');
  }

  private skip(message: string): void {
    this.skipped++;
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(`baseline ${this.path}, ${message}; record ignored`);
  }

  finishWarnings(): void {
    if (this.skipped > MAX_WARNINGS) this.warnings.push(`baseline ${this.path}: ${this.skipped} records ignored in all`);
  }

  has(result: TriageResult): boolean {
    return this.labels.has(fingerprint(result.alert));
  }

  previousLabel(result: TriageResult): string | undefined {
    return this.labels.get(fingerprint(result.alert));
  }

  get size(): number {
    return this.labels.size;
  }
}

async function firstNonBlankLine(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    let text = '';
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return text.trim();
      position += bytesRead;
      text += buffer.toString('utf8', 0, bytesRead);
      const lines = text.split('\n');
      const complete = lines.slice(0, -1).find((line) => line.trim() !== '');
      if (complete !== undefined) return complete.trim();
      if (text.length > 16 * 1024 * 1024) return lines[0].trim();
    }
  } finally {
    await handle.close();
  }
}

/** A first line that is a whole JSON object other than the json document means NDJSON. */
function looksLikeNdjson(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line.replace(/^\ufeff/, ''));
    return isObject(value) && !('verdicts' in value);
  } catch {
    return false;
  }
}

async function readNdjson(path: string, set: BaselineSet): Promise<void> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo++;
    const line = lineNo === 1 ? raw.replace(/^\ufeff/, '') : raw;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      set.addRecord(undefined, `line ${lineNo}`);
      continue;
    }
    set.addRecord(value, `line ${lineNo}`);
  }
}

async function readJsonDocument(path: string, set: BaselineSet): Promise<void> {
  const { size } = await stat(path);
  if (size > MAX_JSON_BYTES) {
    throw new BaselineError(`--baseline ${path}: ${size} bytes is too large for a JSON document; write the previous run with --format ndjson instead`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse((await readFile(path, 'utf8')).replace(/^\ufeff/, ''));
  } catch (error) {
    throw new BaselineError(`--baseline ${path}: not JSON or NDJSON (${(error as Error).message})`);
  }
  const verdicts = Array.isArray(doc) ? doc : isObject(doc) ? doc.verdicts : undefined;
  if (!Array.isArray(verdicts)) {
    throw new BaselineError(`--baseline ${path}: expected the output of --format json ({"summary": …, "verdicts": […]}) or --format ndjson`);
  }
  verdicts.forEach((record, i) => set.addRecord(record, `verdict ${i + 1}`));
}

export async function loadBaseline(path: string): Promise<Baseline> {
  const set = new BaselineSet(path);
  let first: string;
  try {
    first = await firstNonBlankLine(path);
  } catch (error) {
    throw new BaselineError(`--baseline ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  if (first === '') {
    throw new BaselineError(`--baseline ${path}: the file is empty`);
  }
  if (looksLikeNdjson(first)) await readNdjson(path, set);
  else await readJsonDocument(path, set);
  set.finishWarnings();
  return set;
}

/** `--fail-on genuine` with an optional baseline: only genuine alerts the baseline does not hold count. */
export function countsTowardsFailOn(baseline?: BaselineLookup): (result: TriageResult) => boolean {
  return (result) => result.verdict.label === 'genuine' && !(baseline?.has(result) ?? false);
}
