import type { Writable } from 'node:stream';
import type { TriageResult } from '../triage/model.js';
import { alertSubject, leadingReason, nodeName, podName, workloadName } from './describe.js';
import { escapeXmlAttr, escapeXmlText, truncate } from './escape.js';
import type { ReportFormat, ReportOptions, ReportSink } from './model.js';
import type { Summary } from './summary.js';

/**
 * `--format junit`: one test case per alert, for CI systems that show JUnit results. A test suite per input file
 * (classname `vendor/file`, name `title [id]`); genuine alerts are `<failure>`s carrying their reasons, likely false
 * positives pass with their reasons in `<system-out>`. With `--baseline`, genuine alerts the baseline already holds
 * are `<skipped>` (reported before), so only new ones fail.
 *
 * The counts on `<testsuites>`/`<testsuite>` are only known at the end, so test cases are held in memory up to
 * `maxBufferedBytes`; a larger run is streamed, and suites opened after that point carry no counts (JUnit readers
 * count the test cases themselves).
 */
export interface JunitLimits {
  maxBufferedBytes: number;
  maxText: number;
}

const DEFAULT_LIMITS: JunitLimits = { maxBufferedBytes: 8 * 1024 * 1024, maxText: 4000 };

interface Suite {
  name: string;
  tests: number;
  failures: number;
  skipped: number;
  cases: string[];
}

const attr = (s: string) => escapeXmlAttr(truncate(s, 1000));

class JunitSink implements ReportSink {
  private readonly suites: Suite[] = [];
  private current: Suite | null = null;
  private buffered = 0;
  private streaming = false;
  private tests = 0;
  private failures = 0;
  private skipped = 0;

  constructor(
    private readonly out: Writable,
    private readonly options: ReportOptions,
    private readonly limits: JunitLimits,
  ) {}

  add(result: TriageResult): void {
    const suiteName = `${result.alert.source.vendor}/${result.alert.source.file}`;
    if (!this.current || this.current.name !== suiteName) this.openSuite(suiteName);
    const suite = this.current as Suite;
    const { text, outcome } = this.testCase(result, suiteName);
    suite.tests++;
    this.tests++;
    if (outcome === 'failure') {
      suite.failures++;
      this.failures++;
    } else if (outcome === 'skipped') {
      suite.skipped++;
      this.skipped++;
    }
    if (this.streaming) {
      this.out.write(text);
      return;
    }
    suite.cases.push(text);
    this.buffered += text.length;
    if (this.buffered > this.limits.maxBufferedBytes) this.startStreaming();
  }

  private openSuite(name: string): void {
    if (this.streaming) {
      if (this.current) this.out.write('  </testsuite>\n');
      this.out.write(`  <testsuite name="${attr(name)}">\n`);
    } else {
      this.suites.push({ name, tests: 0, failures: 0, skipped: 0, cases: [] });
    }
    this.current = this.streaming ? { name, tests: 0, failures: 0, skipped: 0, cases: [] } : this.suites[this.suites.length - 1];
  }

  /** Too much to hold: write what we have without the (unknowable) totals and stream from here on. */
  private startStreaming(): void {
    this.streaming = true;
    this.out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kdr-triage">\n');
    this.suites.forEach((suite, i) => {
      const last = i === this.suites.length - 1;
      this.out.write(last ? `  <testsuite name="${attr(suite.name)}">\n` : this.suiteOpen(suite));
      for (const c of suite.cases) this.out.write(c);
      if (!last) this.out.write('  </testsuite>\n');
    });
    this.suites.length = 0;
  }

  private suiteOpen(suite: Suite): string {
    return `  <testsuite name="${attr(suite.name)}" tests="${suite.tests}" failures="${suite.failures}" errors="0" skipped="${suite.skipped}">\n`;
  }

  private testCase(result: TriageResult, classname: string): { text: string; outcome: 'pass' | 'failure' | 'skipped' } {
    const { alert, verdict } = result;
    const max = this.limits.maxText;
    const name = `${alert.title || '(untitled)'} [${alert.id}]`;
    const details: string[] = [];
    details.push(`${verdict.label} (${verdict.cause}), confidence ${verdict.confidence.toFixed(2)}, ${verdict.context} Kubernetes context`);
    details.push(`alert ${alert.id} from ${alert.source.vendor}, ${alert.source.file} record ${alert.source.record}, time ${alert.time ?? 'unknown'}, severity ${alert.severity}, action ${alert.action}`);
    const where = [
      result.correlation.cluster && `cluster ${result.correlation.cluster}`,
      nodeName(result) && `node ${nodeName(result)}`,
      podName(result) && `pod ${podName(result)}`,
      workloadName(result) && `workload ${workloadName(result)}`,
    ].filter(Boolean);
    details.push(where.length ? where.join(', ') : `not matched to the cluster (host ${alert.host.name ?? 'unknown'})`);
    const subject = alertSubject(result);
    if (subject) details.push(`what: ${truncate(subject, max)}`);
    for (const r of verdict.reasons.slice(0, 20)) details.push(`- ${r.direction}, ${r.strength}: ${truncate(r.message, max)} (${r.rule})`);
    if (verdict.reasons.length > 20) details.push(`- … ${verdict.reasons.length - 20} more reasons`);
    const body = escapeXmlText(details.join('\n'));
    const open = `    <testcase classname="${attr(classname)}" name="${attr(name)}">\n`;
    if (verdict.label === 'genuine') {
      const message = `genuine (${verdict.cause}): ${leadingReason(result)?.message ?? 'no reason given'}`;
      if (this.options.baseline?.has(result)) {
        return { text: `${open}      <skipped message="${attr(`known from the baseline; ${message}`)}"/>\n      <system-out>${body}</system-out>\n    </testcase>\n`, outcome: 'skipped' };
      }
      return { text: `${open}      <failure message="${attr(message)}" type="${attr(verdict.cause)}">${body}</failure>\n    </testcase>\n`, outcome: 'failure' };
    }
    return { text: `${open}      <system-out>${body}</system-out>\n    </testcase>\n`, outcome: 'pass' };
  }

  finish(_summary: Summary): Promise<void> {
    let text: string;
    if (this.streaming) {
      text = (this.current ? '  </testsuite>\n' : '') + '</testsuites>\n';
    } else {
      const parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        `<testsuites name="kdr-triage" tests="${this.tests}" failures="${this.failures}" errors="0" skipped="${this.skipped}"${this.options.timestamp ? ` timestamp="${attr(this.options.timestamp)}"` : ''}>\n`,
      ];
      for (const suite of this.suites) parts.push(this.suiteOpen(suite), ...suite.cases, '  </testsuite>\n');
      parts.push('</testsuites>\n');
      text = parts.join('');
    }
    return new Promise((resolve, reject) => this.out.write(text, (error) => (error ? reject(error) : resolve())));
  }
}

export function createJunitSink(out: Writable, options: ReportOptions, limits: Partial<JunitLimits> = {}): ReportSink {
  return new JunitSink(out, options, { ...DEFAULT_LIMITS, ...limits });
}

export const junitFormat: ReportFormat = {
  id: 'junit',
  description: 'JUnit XML: one test case per alert, genuine alerts as failures',
  create: (out, options) => createJunitSink(out, options),
};
