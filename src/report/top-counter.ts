import { compareText } from './describe.js';

/**
 * Counts per key in bounded memory. Exact while the number of distinct keys stays under `capacity`; beyond that the
 * map is pruned back to the `capacity` largest entries every time it reaches twice that size, and what was pruned is
 * added to `otherCount` (so totals stay exact while individual counts of late, rare keys may be low). The result
 * depends only on the input order, so it is deterministic.
 */
export interface TopEntry<T> {
  key: string;
  count: number;
  data: T;
}

export class TopCounter<T = undefined> {
  private readonly entries = new Map<string, TopEntry<T>>();
  private pruned = 0;
  private prunedKeys = 0;

  constructor(
    private readonly capacity: number,
    private readonly init: () => T,
  ) {}

  /** Count one occurrence; returns the entry so the caller can update its data. */
  add(key: string, by = 1): TopEntry<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= this.capacity * 2) this.prune();
      entry = { key, count: 0, data: this.init() };
      this.entries.set(key, entry);
    }
    entry.count += by;
    return entry;
  }

  private prune(): void {
    const ranked = this.ranked();
    for (const entry of ranked.slice(this.capacity)) {
      this.pruned += entry.count;
      this.prunedKeys++;
      this.entries.delete(entry.key);
    }
  }

  /** Highest count first, ties by key. */
  ranked(): TopEntry<T>[] {
    return [...this.entries.values()].sort((a, b) => b.count - a.count || compareText(a.key, b.key));
  }

  top(n: number): TopEntry<T>[] {
    return this.ranked().slice(0, n);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Occurrences of keys that were dropped to keep memory bounded. */
  get otherCount(): number {
    return this.pruned;
  }

  /** True when counts may be incomplete because keys were pruned. */
  get approximate(): boolean {
    return this.prunedKeys > 0;
  }
}
