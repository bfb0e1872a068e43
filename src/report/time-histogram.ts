/**
 * Alert counts over time per series (e.g. per label) in bounded memory. Buckets start at one minute and grow
 * (5 min, 15 min, 1 h, 6 h, 1 d, 7 d — each a multiple of the one before, so counts merge exactly) whenever more than
 * `maxBuckets` are in use, so a year of alerts costs no more memory than an hour.
 */
const MINUTE = 60_000;
export const BUCKET_SIZES = [MINUTE, 5 * MINUTE, 15 * MINUTE, 60 * MINUTE, 360 * MINUTE, 1440 * MINUTE, 7 * 1440 * MINUTE];

export interface HistogramBucket {
  /** Start of the bucket, ms since the epoch. */
  start: number;
  counts: Record<string, number>;
}

export class TimeHistogram {
  private level = 0;
  private buckets = new Map<number, Map<string, number>>();

  constructor(private readonly maxBuckets = 2000) {}

  get bucketSize(): number {
    return BUCKET_SIZES[this.level];
  }

  add(timeMs: number, series: string): void {
    const size = this.bucketSize;
    const start = Math.floor(timeMs / size) * size;
    let counts = this.buckets.get(start);
    if (!counts) {
      counts = new Map();
      this.buckets.set(start, counts);
    }
    counts.set(series, (counts.get(series) ?? 0) + 1);
    while (this.buckets.size > this.maxBuckets && this.level < BUCKET_SIZES.length - 1) this.coarsen(this.level + 1);
  }

  private coarsen(level: number): void {
    const size = BUCKET_SIZES[level];
    const merged = new Map<number, Map<string, number>>();
    for (const [start, counts] of this.buckets) {
      const to = Math.floor(start / size) * size;
      let target = merged.get(to);
      if (!target) {
        target = new Map();
        merged.set(to, target);
      }
      for (const [series, n] of counts) target.set(series, (target.get(series) ?? 0) + n);
    }
    this.buckets = merged;
    this.level = level;
  }

  /**
   * Contiguous buckets (empty ones included) from the first to the last alert, using the smallest bucket size that
   * gives at most `maxBars` bars.
   */
  bars(maxBars: number): { size: number; buckets: HistogramBucket[] } {
    if (this.buckets.size === 0) return { size: this.bucketSize, buckets: [] };
    const starts = [...this.buckets.keys()];
    const first = Math.min(...starts);
    const last = Math.max(...starts);
    let level = this.level;
    const span = (size: number) => Math.floor(last / size) - Math.floor(first / size) + 1;
    while (level < BUCKET_SIZES.length - 1 && span(BUCKET_SIZES[level]) > maxBars) level++;
    const size = BUCKET_SIZES[level];
    const out = new Map<number, Record<string, number>>();
    // Empty bars fill the gaps, unless outlying times (a record dated decades away) would make that unbounded.
    if (span(size) <= maxBars * 10) for (let t = Math.floor(first / size) * size; t <= last; t += size) out.set(t, {});
    for (const [start, counts] of this.buckets) {
      const key = Math.floor(start / size) * size;
      const target = out.get(key) ?? {};
      out.set(key, target);
      for (const [series, n] of counts) target[series] = (target[series] ?? 0) + n;
    }
    return { size, buckets: [...out.entries()].sort(([a], [b]) => a - b).map(([start, counts]) => ({ start, counts })) };
  }
}
