/**
 * Benchmark: a 1,000,000-line audit log is read in bounded memory. Run with `KDR_BENCH=1 npx vitest run
 * test/cluster/audit-bench.test.ts`; skipped otherwise (it writes about 1 GB to the temp directory).
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { readAuditLogs } from '../../src/cluster/audit.js';

const LINES = Number(process.env.KDR_BENCH_LINES ?? 1_000_000);

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}

/** A realistic mix: mostly control-plane chatter, some humans, pod churn, workload secret reads, exec sessions. */
function* auditLines(count: number): Generator<string> {
  const t0 = Date.UTC(2026, 10, 20, 0, 0, 0);
  const ann = '"annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC: allowed by ClusterRoleBinding \\"system:controller\\" of ClusterRole \\"x\\""}';
  for (let i = 0; i < count; i++) {
    const t = t0 + i * 20;
    const recv = iso(t);
    const done = iso(t + 4);
    const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
    const slot = i % 1000;
    const node = `ip-10-0-${i % 50}-${i % 200}.eu-west-1.compute.internal`;
    let line: string;
    if (slot < 300) {
      line = `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"${id}","stage":"ResponseComplete","requestURI":"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}?timeout=10s","verb":"update","user":{"username":"system:node:${node}","groups":["system:nodes","system:authenticated"]},"sourceIPs":["10.0.${i % 50}.${i % 200}"],"userAgent":"kubelet/v1.30.5-eks (linux/amd64) kubernetes/ce1d5eb","objectRef":{"resource":"leases","namespace":"kube-node-lease","name":"${node}","uid":"${id}","apiGroup":"coordination.k8s.io","apiVersion":"v1","resourceVersion":"${i}"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"${recv}","stageTimestamp":"${done}",${ann}}`;
    } else if (slot < 600) {
      line = `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"${id}","stage":"ResponseComplete","requestURI":"/api/v1/nodes/${node}/status?timeout=10s","verb":"patch","user":{"username":"system:node:${node}","groups":["system:nodes","system:authenticated"]},"sourceIPs":["10.0.${i % 50}.${i % 200}"],"userAgent":"kubelet/v1.30.5-eks (linux/amd64) kubernetes/ce1d5eb","objectRef":{"resource":"nodes","name":"${node}","apiVersion":"v1","subresource":"status"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"${recv}","stageTimestamp":"${done}",${ann}}`;
    } else if (slot < 800) {
      line = `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"${id}","stage":"ResponseComplete","requestURI":"/apis/discovery.k8s.io/v1/endpointslices?allowWatchBookmarks=true\\u0026resourceVersion=${i}\\u0026timeout=7m3s\\u0026watch=true","verb":"watch","user":{"username":"system:serviceaccount:kube-system:coredns","uid":"${id}","groups":["system:serviceaccounts","system:serviceaccounts:kube-system","system:authenticated"],"extra":{"authentication.kubernetes.io/pod-name":["coredns-5d8c-${i % 97}"]}},"sourceIPs":["10.0.${i % 50}.${i % 250}"],"userAgent":"coredns/v1.11.3 (linux/amd64) kubernetes/coredns","objectRef":{"resource":"endpointslices","apiGroup":"discovery.k8s.io","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"${recv}","stageTimestamp":"${done}",${ann}}`;
    } else if (slot < 940) {
      line = `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"${id}","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/logging/pods/fluent-bit-${i % 13}","verb":"get","user":{"username":"system:serviceaccount:logging:fluent-bit","uid":"${id}","groups":["system:serviceaccounts","system:serviceaccounts:logging","system:authenticated"]},"sourceIPs":["10.0.${i % 50}.${i % 250}"],"userAgent":"fluent-bit","objectRef":{"resource":"pods","namespace":"logging","name":"fluent-bit-${i % 13}","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"${recv}","stageTimestamp":"${done}",${ann}}`;
    } else if (slot < 970) {
      line = `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"${id}","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/shop/pods?limit=500","verb":"list","user":{"username":"dev${i % 7}@example.com","groups":["oidc:devs","system:authenticated"]},"sourceIPs":["192.0.2.${i % 200}"],"userAgent":"kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46","objectRef":{"resource":"pods","namespace":"shop","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"${recv}","stageTimestamp":"${done}",${ann}}`;
    } else if (slot < 980) {
      line = `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"${id}","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/shop/pods","verb":"create","user":{"username":"system:serviceaccount:kube-system:replicaset-controller","groups":["system:serviceaccounts","system:serviceaccounts:kube-system","system:authenticated"]},"sourceIPs":["127.0.0.1"],"userAgent":"kube-controller-manager/v1.30.5","objectRef":{"resource":"pods","namespace":"shop","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestObject":{"kind":"Pod","apiVersion":"v1","metadata":{"generateName":"web-5c7d9f8b64-","ownerReferences":[{"apiVersion":"apps/v1","controller":true,"kind":"ReplicaSet","name":"web-5c7d9f8b64","uid":"u"}]},"spec":{"containers":[{"name":"web","image":"nginx:1.27","command":["nginx","-g","daemon off;"],"securityContext":{"runAsUser":101}}],"serviceAccountName":"web"}},"requestReceivedTimestamp":"${recv}","stageTimestamp":"${done}",${ann}}`;
    } else if (slot < 990) {
      line = `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"${id}","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/shop/secrets/tls-${i % 5}","verb":"get","user":{"username":"system:serviceaccount:cert-manager:cert-manager","groups":["system:serviceaccounts","system:authenticated"]},"sourceIPs":["10.0.7.${i % 250}"],"userAgent":"cert-manager/v1.15.0","objectRef":{"resource":"secrets","namespace":"shop","name":"tls-${i % 5}","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"${recv}","stageTimestamp":"${done}",${ann}}`;
    } else {
      // five exec requests per thousand lines, each as ResponseStarted + ResponseComplete
      const execId = `11111111-0000-4000-8000-${Math.floor(i / 2).toString(16).padStart(12, '0')}`;
      const stage = i % 2 === 0 ? 'ResponseStarted' : 'ResponseComplete';
      const recvExec = iso(t - (i % 2) * 20);
      line = `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"${execId}","stage":"${stage}","requestURI":"/api/v1/namespaces/shop/pods/web-${i % 3}/exec?command=sh\\u0026command=-c\\u0026command=curl%20-s%20localhost%3A8080\\u0026container=web\\u0026stdout=true","verb":"get","user":{"username":"dev${i % 7}@example.com","groups":["oidc:devs","system:authenticated"]},"sourceIPs":["192.0.2.${i % 200}"],"userAgent":"kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46","objectRef":{"resource":"pods","namespace":"shop","name":"web-${i % 3}","apiVersion":"v1","subresource":"exec"},"responseStatus":{"metadata":{},"code":101},"requestReceivedTimestamp":"${recvExec}","stageTimestamp":"${done}",${ann}}`;
    }
    yield line + '\n';
  }
}

/** Groups lines into ~1 MiB chunks so writing the file is not the slow part. */
function* chunked(lines: Generator<string>): Generator<string> {
  let buf: string[] = [];
  let size = 0;
  for (const line of lines) {
    buf.push(line);
    size += line.length;
    if (size > 1 << 20) {
      yield buf.join('');
      buf = [];
      size = 0;
    }
  }
  if (buf.length > 0) yield buf.join('');
}

describe.skipIf(process.env.KDR_BENCH !== '1')('benchmark: 1,000,000-line audit log', () => {
  it(
    'reads the log in bounded memory',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kdr-audit-bench-'));
      try {
        // KDR_BENCH_FILE keeps the generated log for profiling
        const file = process.env.KDR_BENCH_FILE ?? join(dir, 'audit.jsonl');
        await pipeline(Readable.from(chunked(auditLines(LINES))), createWriteStream(file));
        const bytes = statSync(file).size;
        global.gc?.();
        const rssBefore = process.memoryUsage().rss;
        let peakRss = rssBefore;
        const sampler = setInterval(() => {
          peakRss = Math.max(peakRss, process.memoryUsage().rss);
        }, 25);
        const started = performance.now();
        const r = await readAuditLogs([file], () => {});
        const seconds = (performance.now() - started) / 1000;
        clearInterval(sampler);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        const mib = (n: number) => (n / 1024 / 1024).toFixed(0);
        console.log(
          `[bench] ${r.stats.lines} lines, ${mib(bytes)} MiB: ${seconds.toFixed(2)} s, ${(r.stats.lines / seconds / 1000).toFixed(0)}k lines/s; ` +
            `RSS before ${mib(rssBefore)} MiB, peak ${mib(peakRss)} MiB (+${mib(peakRss - rssBefore)}); ` +
            `skipped before JSON.parse ${r.stats.skippedFast}, parsed ${r.stats.events}; sessions ${r.execSessions.length}, activities ${r.auditActivities.length}`,
        );
        expect(r.stats.lines).toBe(LINES);
        expect(r.execSessions.length).toBe(Math.floor(LINES / 1000) * 5);
        expect(r.execSessions.every((s) => s.end >= s.start && s.command.join(' ') === 'sh -c curl -s localhost:8080')).toBe(true);
        // bounded: the file is ~1 GB, the reader's growth stays a small fraction of it
        expect(peakRss - rssBefore).toBeLessThan(bytes / 4);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    600_000,
  );
});
