import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultWorkerCount, ReaderPool } from './pool.js';

export type { ReaderPool };

/**
 * Reader threads for this run, or undefined to read in the main thread: when none are wanted, or when running from
 * the TypeScript sources (tests), where there is no compiled worker to start.
 */
export function readerPool(workers: number | undefined): ReaderPool | undefined {
  const size = workers ?? defaultWorkerCount();
  if (size <= 0) return undefined;
  if (!existsSync(fileURLToPath(new URL('./worker.js', import.meta.url)))) return undefined;
  return new ReaderPool(size);
}
