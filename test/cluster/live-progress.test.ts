import { describe, expect, it } from 'vitest';
import { ListProgress } from '../../src/cluster/progress.js';

function stream(isTTY: boolean, columns = 120) {
  const writes: string[] = [];
  return { writes, isTTY, columns, write: (chunk: string) => writes.push(chunk) > 0 };
}

describe('ListProgress', () => {
  it('draws resource and items so far on a terminal, throttled, and clears its line', () => {
    const out = stream(true);
    let clock = 0;
    const progress = new ListProgress(out, { intervalMs: 100, now: () => clock });
    progress.start('prod');
    progress.update('nodes', 500);
    clock = 50;
    progress.update('pods', 1000); // within the interval: counted, not drawn
    clock = 200;
    progress.update('pods', 12_500);
    expect(out.writes).toEqual([
      '\r\x1b[2Kkdr-triage prod: listing nodes, 500 so far (500 objects in all)',
      '\r\x1b[2Kkdr-triage prod: listing pods, 12,500 so far (13,000 objects in all)',
    ]);
    progress.clear();
    progress.clear();
    expect(out.writes.slice(2)).toEqual(['\r\x1b[2K']);
  });

  it('stays silent when stderr is not a terminal', () => {
    const out = stream(false);
    const progress = new ListProgress(out);
    progress.start('prod');
    progress.update('pods', 10);
    progress.clear();
    expect(out.writes).toEqual([]);
    expect(progress.line('pods')).toContain('pods, 10 so far');
  });

  it('fits the terminal width and never prints control characters from names', () => {
    const out = stream(true, 30);
    const progress = new ListProgress(out);
    progress.start('evil\x1b]0;title\x07ctx');
    progress.update('pods', 1);
    const [line] = out.writes;
    expect(line.startsWith('\r\x1b[2K')).toBe(true);
    const text = line.slice('\r\x1b[2K'.length);
    expect(text.length).toBeLessThanOrEqual(29);
    expect(text).not.toMatch(/[\x00-\x1f]/);
  });
});
