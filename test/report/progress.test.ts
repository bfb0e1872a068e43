import { describe, expect, it } from 'vitest';
import { TriageProgress } from '../../src/report/progress.js';

function fakeStream() {
  const chunks: string[] = [];
  return { stream: { isTTY: true, columns: 80, write: (c: string) => (chunks.push(c), true) }, chunks };
}

describe('TriageProgress', () => {
  it('redraws one line at most every interval, and clears it', () => {
    const { stream, chunks } = fakeStream();
    let t = 1000;
    const p = new TriageProgress(stream, true, () => t, 200);
    p.update(1, 0, 0);
    p.update(2, 1, 0);
    t += 250;
    p.update(3000, 12, 2);
    p.clear();
    expect(chunks).toEqual(['\r\x1b[2Kkdr-triage: 1 alerts triaged, 0 genuine', '\r\x1b[2Kkdr-triage: 3,000 alerts triaged, 12 genuine, 2 rejected', '\r\x1b[2K']);
  });
  it('prints nothing when disabled (not a terminal, or -q)', () => {
    const { stream, chunks } = fakeStream();
    const p = new TriageProgress(stream, false);
    p.update(5, 1, 0);
    p.clear();
    expect(chunks).toEqual([]);
  });
});
