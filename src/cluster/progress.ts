/**
 * A one-line progress indicator for long listings, on stderr and only on a terminal: which resource is being
 * listed and how many items have arrived. Redraws at most every `intervalMs`; `clear()` before printing anything
 * else so warnings do not land in the middle of the line.
 */

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): boolean;
}

export interface ProgressOptions {
  /** Default: whether the stream is a TTY. */
  enabled?: boolean;
  intervalMs?: number;
  now?: () => number;
}

const CLEAR_LINE = '\r\x1b[2K';

function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
}

export class ListProgress {
  readonly enabled: boolean;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private label = '';
  private readonly counts = new Map<string, number>();
  private lastDraw = Number.NEGATIVE_INFINITY;
  private visible = false;

  constructor(
    private readonly stream: ProgressStream = process.stderr,
    options: ProgressOptions = {},
  ) {
    this.enabled = options.enabled ?? stream.isTTY === true;
    this.intervalMs = options.intervalMs ?? 100;
    this.now = options.now ?? (() => Date.now());
  }

  /** Starts a new listing (say, one context); counts start from zero. */
  start(label: string): void {
    this.label = printable(label);
    this.counts.clear();
    this.lastDraw = Number.NEGATIVE_INFINITY;
  }

  update(resource: string, items: number): void {
    this.counts.set(resource, items);
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    this.draw(this.line(resource));
  }

  /** The text shown after an update of `resource`. */
  line(resource: string): string {
    const items = this.counts.get(resource) ?? 0;
    let total = 0;
    for (const n of this.counts.values()) total += n;
    const label = this.label === '' ? '' : ` ${this.label}`;
    return `kdr-triage${label}: listing ${printable(resource)}, ${items.toLocaleString('en-US')} so far (${total.toLocaleString('en-US')} objects in all)`;
  }

  /** Removes the line (if one is shown). */
  clear(): void {
    if (!this.visible) return;
    this.stream.write(CLEAR_LINE);
    this.visible = false;
  }

  private draw(text: string): void {
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    this.stream.write(`${CLEAR_LINE}${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.visible = true;
  }
}
