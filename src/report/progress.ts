/**
 * Progress for long triage runs: one line on stderr, only on a terminal, redrawn at most every 200 ms; cleared before
 * any warning so the two never mix. `-q` turns it off.
 */
import type { ProgressStream } from '../cluster/progress.js';

const CLEAR_LINE = '\r\x1b[2K';

export class TriageProgress {
  private lastDraw = 0;
  private visible = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly enabled: boolean = stream.isTTY === true,
    private readonly now: () => number = () => Date.now(),
    private readonly intervalMs = 200,
  ) {}

  update(triaged: number, genuine: number, rejected: number): void {
    if (!this.enabled) return;
    const t = this.now();
    if (t - this.lastDraw < this.intervalMs) return;
    this.lastDraw = t;
    const n = (x: number) => x.toLocaleString('en-US');
    this.stream.write(`${CLEAR_LINE}kdr-triage: ${n(triaged)} alerts triaged, ${n(genuine)} genuine${rejected ? `, ${n(rejected)} rejected` : ''}`);
    this.visible = true;
  }

  clear(): void {
    if (!this.visible) return;
    this.stream.write(CLEAR_LINE);
    this.visible = false;
  }
}
