import { parse, type Options } from 'csv-parse';
import { Readable } from 'node:stream';

export interface CsvRow {
  record: Record<string, string>;
  /** 1-based data row (the header is not counted). */
  row: number;
  /** 1-based physical line where the row starts. */
  line: number;
}

export interface CsvProblem {
  error: string;
  line: number;
}

/** Guess the delimiter from the header line: the most frequent of , ; tab | outside quotes. */
export function sniffDelimiter(head: string): string {
  const firstLine = head.split(/\r?\n/, 1)[0] ?? '';
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let quoted = false;
  for (const c of firstLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c in counts) counts[c]++;
  }
  let best = ',';
  for (const d of Object.keys(counts)) if (counts[d] > counts[best]) best = d;
  return best;
}

/** Streams CSV rows as column → value objects. Broken rows become problems; the rest of the file goes on. */
export async function* readCsv(chunks: AsyncIterable<string>, delimiter: string, maxCellChars = 1024 * 1024): AsyncGenerator<CsvRow | CsvProblem> {
  // Each problem remembers how many records the parser had emitted before it, to be yielded in file order.
  const problems: (CsvProblem & { after: number; fatal?: boolean })[] = [];
  let columns: string[] | undefined;
  const parser = parse({
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: maxCellChars,
    on_record: (cells: string[], context: { lines: number }) => ({ cells, endLine: context.lines }),
  } as unknown as Options);
  parser.on('skip', (error: Error & { lines?: number; code?: string }) => {
    const line = error.lines ?? parser.info.lines;
    // csv-parse drops the rest of its buffer after an oversized record and cannot find the next row reliably:
    // stop the file there, saying so, rather than read garbage or lose rows without a word.
    if (error.code === 'CSV_MAX_RECORD_SIZE') problems.push({ error: `a record longer than ${maxCellChars} characters; the rest of the file is not read`, line, after: parser.info.records, fatal: true });
    else problems.push({ error: error.message.replace(/^Invalid Record Length: /, 'invalid record: '), line, after: parser.info.records });
  });
  Readable.from(chunks).pipe(parser);
  let row = 0;
  let lastLine = 1;
  let consumed = 0;
  for await (const { cells, endLine } of parser as AsyncIterable<{ cells: string[]; endLine: number }>) {
    // csv-parse reports skipped rows as it parses, ahead of the rows still queued for us: keep file order.
    while (problems.length && problems[0].after <= consumed) {
      const { error, line, fatal } = problems.shift()!;
      row++;
      lastLine = line + 1;
      yield { error, line };
      if (fatal) return;
    }
    consumed++;
    const line = lastLine;
    lastLine = endLine + 1;
    if (!columns) {
      columns = cells.map((c, i) => c.trim() || `column${i + 1}`);
      continue;
    }
    row++;
    if (cells.length !== columns.length) {
      yield { error: `expected ${columns.length} columns, found ${cells.length}`, line };
      continue;
    }
    const record: Record<string, string> = {};
    for (let i = 0; i < columns.length; i++) record[columns[i]] = cells[i];
    yield { record, row, line };
  }
  for (const { error, line, fatal } of problems) {
    yield { error, line };
    if (fatal) return;
  }
}

