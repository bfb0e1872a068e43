import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandRecord, type ExpandResult } from '../../src/cluster/audit-event.js';
import { mayMatter } from '../../src/cluster/audit-prefilter.js';
import { isEphemeralPatch, isNodeDebugPodName, isStreamRequest } from '../../src/cluster/audit-sessions.js';
import { toActivity } from '../../src/cluster/audit.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/audit/', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));

/** Would the reader keep anything from this line if it parsed it? */
function keepsSomething(line: string): boolean {
  const out: ExpandResult = { events: [], unrecognised: 0 };
  expandRecord(JSON.parse(line), out);
  return out.events.some(
    (ev) => isStreamRequest(ev) || isEphemeralPatch(ev) || isNodeDebugPodName(ev.name) || toActivity(ev, { file: 'x', line: 1 }) !== undefined,
  );
}

function jsonLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{') && l.endsWith('}'));
}

describe('mayMatter: the raw-line test before JSON.parse', () => {
  const sources = [
    ...readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonl')).map((f) => join(FIXTURES, f)),
    ...['corpus/eks-calico/audit.jsonl', 'k8s-samples/audit/audit2rbac-demo-impersonation.log', 'k8s-samples/audit/elastic-integrations-test-audit.log', 'k8s-samples/audit/elastic-integrations-test-kube-audit-aks.log']
      .map((f) => join(SHARED, f))
      .filter((f) => existsSync(f)),
  ];

  it.each(sources)('never skips a line the reader would keep: %s', (file) => {
    const wronglySkipped = jsonLines(file).filter((l) => !mayMatter(l) && keepsSomething(l));
    expect(wronglySkipped).toEqual([]);
  });

  it('skips control-plane chatter and routine workload reads from pod addresses', () => {
    const lease =
      '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"1","stage":"ResponseComplete","requestURI":"/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler?timeout=5s","verb":"update","user":{"username":"system:kube-scheduler","groups":["system:authenticated"]},"sourceIPs":["127.0.0.1"],"objectRef":{"resource":"leases"},"responseStatus":{"metadata":{},"code":200}}';
    const watch =
      '{"kind":"Event","auditID":"2","stage":"ResponseComplete","requestURI":"/api/v1/pods?watch=true\\u0026resourceVersion=5","verb":"watch","user":{"username":"system:serviceaccount:calico-system:calico-typha","groups":["system:serviceaccounts"]},"sourceIPs":["10.0.3.7"],"objectRef":{"resource":"pods"},"responseStatus":{"metadata":{},"code":200}}';
    expect(mayMatter(lease)).toBe(false);
    expect(mayMatter(watch)).toBe(false);
  });

  it('keeps what matters even from system identities', () => {
    const base = (over: string) =>
      `{"kind":"Event","auditID":"3","stage":"ResponseComplete",${over},"user":{"username":"system:serviceaccount:kube-system:aws-node","groups":["system:serviceaccounts"]},"sourceIPs":["10.0.3.7"],"responseStatus":{"metadata":{},"code":200}}`;
    expect(mayMatter(base('"requestURI":"/api/v1/namespaces/a/pods/b/exec?command=sh","verb":"get"'))).toBe(true);
    expect(mayMatter(base('"requestURI":"/api/v1/namespaces/a/pods","verb":"create"'))).toBe(true);
    expect(mayMatter(base('"requestURI":"/api/v1/nodes/x","verb":"get"').replace('"code":200', '"code":403'))).toBe(true);
    expect(mayMatter(base('"requestURI":"/api/v1/nodes/x","verb":"get"').replace('10.0.3.7', '203.0.113.45'))).toBe(true);
    expect(mayMatter(base('"requestURI":"/api/v1/nodes/x","verb":"get","impersonatedUser":{"username":"bob"}'))).toBe(true);
    // a username cut at an escaped quote is read properly
    expect(mayMatter('{"requestURI":"/api/v1/nodes/x","user":{"username":"system:node:a\\"b"},"responseStatus":{"code":200}}')).toBe(true);
  });

  it("keeps a kubelet's Secret and ConfigMap reads from a public address only (a public endpoint's view of the cluster)", () => {
    const read = (uri: string, ip: string, verb = 'get') =>
      `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"k1","stage":"ResponseComplete","requestURI":"${uri}","verb":"${verb}","user":{"username":"system:node:aks-pool-a-vmss000000","groups":["system:nodes","system:authenticated"]},"sourceIPs":["${ip}"],"objectRef":{"resource":"${uri.includes('/secrets') ? 'secrets' : uri.includes('/configmaps') ? 'configmaps' : 'leases'}","namespace":"shop"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2026-11-20T08:02:00.000000Z","stageTimestamp":"2026-11-20T08:02:00.010000Z"}`;
    const publicRead = read('/api/v1/namespaces/shop/secrets/cache-tls', '192.0.2.40');
    expect(mayMatter(publicRead)).toBe(true);
    expect(keepsSomething(publicRead)).toBe(true);
    expect(keepsSomething(read('/api/v1/namespaces/shop/configmaps/cache-conf', '192.0.2.40', 'watch'))).toBe(true);
    // The same read from the node's private address, and a kubelet's lease renewal from the public one: noise.
    expect(mayMatter(read('/api/v1/namespaces/shop/secrets/cache-tls', '10.224.0.4'))).toBe(false);
    expect(keepsSomething(read('/api/v1/namespaces/shop/secrets/cache-tls', '10.224.0.4'))).toBe(false);
    expect(mayMatter(read('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/aks-pool-a-vmss000000', '192.0.2.40', 'update'))).toBe(false);
  });

  it('parses an envelope of several events whatever its first event is (CloudWatch filter-log-events output)', () => {
    const lease =
      '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"1","stage":"ResponseComplete","requestURI":"/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler?timeout=5s","verb":"update","user":{"username":"system:kube-scheduler","groups":["system:authenticated"]},"sourceIPs":["127.0.0.1"],"objectRef":{"resource":"leases"},"responseStatus":{"metadata":{},"code":200}}';
    const exec =
      '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"2","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/a/pods/b/exec?command=sh","verb":"get","user":{"username":"alice","groups":["system:authenticated"]},"sourceIPs":["10.9.0.4"],"objectRef":{"resource":"pods","namespace":"a","name":"b","subresource":"exec"},"responseStatus":{"metadata":{},"code":101}}';
    const envelope = JSON.stringify({ events: [lease, exec].map((message, i) => ({ logStreamName: 'kube-apiserver-audit-1', timestamp: i, message })), searchedLogStreams: [] });
    expect(mayMatter(envelope)).toBe(true);
    expect(keepsSomething(envelope)).toBe(true);
    // the trap: one routine event on its own is still skipped, plain or as one CloudWatch message
    expect(mayMatter(lease)).toBe(false);
    expect(mayMatter(JSON.stringify({ events: [{ logStreamName: 's', timestamp: 0, message: lease }] }))).toBe(false);
  });
});
