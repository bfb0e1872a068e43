/**
 * An exec through the API server's node proxy (nodes/<node>/proxy/exec/<ns>/<pod>/<container>) reaches the kubelet
 * directly: no pods/exec request is logged, only nodes/proxy. It must still become a session into that pod, so an
 * interactive process there is not "a terminal nobody opened" but a session whose identity can be judged; a
 * nodes/proxy read of the kubelet's other endpoints is no session.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAuditLogs } from '../../src/cluster/audit.js';

const tmp = mkdtempSync(join(tmpdir(), 'kdr-kubelet-proxy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const user = { username: 'system:serviceaccount:velero:velero', groups: ['system:serviceaccounts', 'system:authenticated'] };
const execUri = '/api/v1/nodes/mfg-w-01/proxy/exec/plant-mes/mes-api-5pk7t/mes-api?command=sh&input=1&output=1&tty=1';
const event = (stage: string, uri: string, received: string, stageTime: string, id: string) => ({
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Metadata',
  auditID: id,
  stage,
  requestURI: uri,
  verb: 'get',
  user,
  sourceIPs: ['172.22.10.23'],
  userAgent: 'kubectl/v1.31.0 (linux/amd64) kubernetes/9edcffc',
  objectRef: { resource: 'nodes', name: 'mfg-w-01', apiVersion: 'v1', subresource: 'proxy' },
  responseStatus: { metadata: {}, code: stage === 'ResponseStarted' ? 101 : uri.includes('/exec/') ? 101 : 200 },
  requestReceivedTimestamp: received,
  stageTimestamp: stageTime,
});

describe('readAuditLogs: kubelet streams through nodes/proxy', async () => {
  const file = join(tmp, 'audit.log');
  writeFileSync(
    file,
    [
      event('ResponseStarted', execUri, '2027-03-09T10:34:08.112044Z', '2027-03-09T10:34:08.140207Z', 'a1'),
      event('ResponseComplete', execUri, '2027-03-09T10:34:08.112044Z', '2027-03-09T10:39:51.004117Z', 'a1'),
      event('ResponseComplete', '/api/v1/nodes/mfg-w-01/proxy/stats/summary', '2027-03-09T10:35:00Z', '2027-03-09T10:35:00.020Z', 'a2'),
    ]
      .map((e) => JSON.stringify(e))
      .join('\n') + '\n',
  );
  const r = await readAuditLogs([file], () => undefined);

  it('reads the proxied exec as an exec session into that pod, with its window, command and terminal', () => {
    const sessions = r.execSessions.filter((s) => s.pod === 'mes-api-5pk7t');
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      kind: 'exec',
      namespace: 'plant-mes',
      container: 'mes-api',
      command: ['sh'],
      tty: true,
      stdin: true,
      user: 'system:serviceaccount:velero:velero',
      viaNodeProxy: 'mfg-w-01',
      start: '2027-03-09T10:34:08.112Z',
      end: '2027-03-09T10:39:51.004Z',
    });
  });

  it('keeps the nodes/proxy requests as activities, and makes no session of the stats read', () => {
    expect(r.execSessions).toHaveLength(1);
    expect(r.auditActivities.filter((a) => a.resource === 'nodes' && a.subresource === 'proxy').length).toBeGreaterThanOrEqual(2);
  });
});
