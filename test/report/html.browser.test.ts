import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlFormat } from '../../src/report/html.js';
import type { TriageResult } from '../../src/triage/model.js';
import { makeResult, sampleResults, sampleSummary, XSS_COMMAND } from '../support/results.js';
import { render } from '../support/render.js';

/**
 * The HTML report in a real browser: Debian's chromium driven by playwright-core (no browser download).
 * CI installs chromium from .ci/apt-packages; elsewhere the test is skipped when the binary is missing.
 */
const CHROMIUM = process.env.KDR_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`html browser test skipped: ${CHROMIUM} not found (apt-get install chromium, or set KDR_CHROMIUM)`);

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Payloads in every field a report shows: the command line, the title, the pod, a reason, the product. */
function hostileResults(): TriageResult[] {
  return [
    ...sampleResults(),
    makeResult({
      vendor: 'evil"><svg onload=window.__pwned=3>',
      file: 'x.json"><script>window.__pwned=4</script>',
      record: 9,
      title: '<img src=x onerror="window.__pwned=5;alert(5)">',
      namespace: 'ns<script>window.__pwned=6</script>',
      pod: 'pod"onmouseover="window.__pwned=7',
      workload: { kind: 'Deployment', name: '</script><script>window.__pwned=8</script>' },
      commandLine: '</script><script>window.__pwned=9</script><!--',
      label: 'genuine',
      cause: 'attack',
      reasons: [{ message: '<iframe srcdoc="<script>parent.__pwned=10</script>"></iframe> javascript:window.__pwned=11' }],
    }),
  ];
}

interface Session {
  context: BrowserContext;
  page: Page;
  dialogs: string[];
  requests: string[];
}

describe.skipIf(!HAVE_CHROMIUM)('html report in headless chromium', () => {
  let dir: string;
  let file: string;
  const sessions: Session[] = [];

  async function open(options: { bypassCSP: boolean }): Promise<Session> {
    const { chromium } = await import('playwright-core');
    const profile = mkdtempSync(join(dir, 'profile-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, bypassCSP: options.bypassCSP });
    const session: Session = { context, page: context.pages()[0] ?? (await context.newPage()), dialogs: [], requests: [] };
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      session.requests.push(url);
      return route.abort();
    });
    session.page.on('dialog', (dialog) => {
      session.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // Page-side code is given as text: the project compiles without the DOM library.
    await session.page.addInitScript(`window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));`);
    await session.page.goto(pathToFileURL(file).href);
    await session.page.waitForSelector('html[data-ready="true"]', { timeout: 15_000 });
    sessions.push(session);
    return session;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kdr-html-'));
    file = join(dir, 'report.html');
    const results = hostileResults();
    writeFileSync(file, await render(htmlFormat, results, sampleSummary(results)));
    // The first session enforces the page's CSP and is shared by the rendering, filter, sort and details tests.
    await open({ bypassCSP: false });
  }, 60_000);

  afterAll(async () => {
    for (const s of sessions) await s.context.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const rowCount = (page: Page) => page.locator('#alerts-table tbody tr.alert').count();

  it('renders the summary, the charts with data and every alert, under its own CSP', async () => {
    const { page, requests } = sessions[0];
    expect(await page.title()).toBe('kdr-triage report');
    expect(await page.locator('.headline').textContent()).toContain('4 of 7 triaged alerts');
    expect(await rowCount(page)).toBe(7);
    expect(await page.locator('#shown-count').textContent()).toBe('7 of 7 alerts shown');
    for (const id of ['chart-time', 'chart-cause', 'chart-workload']) {
      const heights = (await page.evaluate(`[...document.querySelectorAll('#${id} rect.bar')].map((r) => r.getBBox().width * r.getBBox().height)`)) as number[];
      expect(heights.length).toBeGreaterThan(0);
      expect(heights.every((a) => a > 0)).toBe(true);
    }
    expect(await page.evaluate('window.__violations')).toEqual([]);
    expect(requests).toEqual([]);
  }, 30_000);

  it('filters by text, verdict and cause', async () => {
    const { page } = sessions[0];
    await page.fill('#filter-text', 'payments');
    await expect.poll(() => rowCount(page)).toBe(2);
    await page.fill('#filter-text', '');
    await page.selectOption('#filter-label', 'genuine');
    await expect.poll(() => rowCount(page)).toBe(3);
    const labels = await page.locator('#alerts-table tbody td.label').allTextContents();
    expect(labels).toEqual(['genuine', 'genuine', 'genuine']);
    await page.selectOption('#filter-cause', 'unexplained');
    await expect.poll(() => rowCount(page)).toBe(1);
    await page.selectOption('#filter-label', '');
    await page.selectOption('#filter-cause', '');
    await expect.poll(() => rowCount(page)).toBe(7);
  }, 30_000);

  it('sorts by a column, both ways', async () => {
    const { page } = sessions[0];
    const header = page.locator('#alerts-table th[data-key="confidence"]');
    await header.click();
    const up = (await page.locator('#alerts-table tbody td.confidence').allTextContents()).map(Number);
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    await header.click();
    const down = (await page.locator('#alerts-table tbody td.confidence').allTextContents()).map(Number);
    expect(down).toEqual([...up].sort((a, b) => b - a));
    await page.locator('#alerts-table th[data-key="severityRank"]').click();
    expect(await page.locator('#alerts-table tbody td.severityRank').first().textContent()).toBe('critical');
  }, 30_000);

  it('shows an alert’s reasons on demand, as text', async () => {
    const { page } = sessions[0];
    await page.fill('#filter-text', 'reverse shell');
    await expect.poll(() => rowCount(page)).toBe(1);
    const details = page.locator('#alerts-table tbody details');
    expect(await details.locator('ul').isVisible()).toBe(false);
    await details.locator('summary').click();
    expect(await details.locator('ul').isVisible()).toBe(true);
    const reasons = await details.locator('li').allTextContents();
    expect(reasons[0]).toContain('malicious, strong: The command line opens a reverse shell to 203.0.113.7:4444 <b>from</b> pod');
    expect(await details.locator('dd').first().textContent()).toBe(XSS_COMMAND);
    await page.fill('#filter-text', '');
  }, 30_000);

  it('runs none of the payloads, even with the CSP bypassed', async () => {
    const { page, dialogs, requests } = await open({ bypassCSP: true });
    await page.evaluate(`document.querySelectorAll('#alerts-table tbody details summary').forEach((s) => s.click())`);
    await page.locator('#alerts-table tbody tr.alert').last().hover();
    await page.waitForTimeout(200);
    const state = (await page.evaluate(`({
      pwned: window.__pwned,
      scripts: document.scripts.length,
      injected: document.querySelectorAll('img, iframe, svg[onload], [onerror], [onmouseover], [onload]').length,
      text: document.body.textContent,
    })`)) as { pwned: unknown; scripts: number; injected: number; text: string };
    expect(state.pwned).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(state.scripts).toBe(2);
    expect(state.injected).toBe(0);
    expect(state.text).toContain('<img src=x onerror="window.__pwned=5;alert(5)">');
    expect(state.text).toContain('</script><script>window.__pwned=9</script><!--');
    expect(requests).toEqual([]);
  }, 30_000);
});
