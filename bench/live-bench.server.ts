/**
 * Benchmark helper: serves a generated cluster (`nodes` nodes, `pods` pods, made page by page on demand) from the
 * loopback test API server, in its own process so its memory is not counted against the client. Prints one JSON
 * line with the URL, CA and token, then serves until stdin closes.
 */
import { startKubeApiServer } from '../test/support/kube-api-server.js';
import { generatedCluster } from '../test/support/kube-fixtures.js';

const [nodes, pods] = process.argv.slice(2).map(Number);
const server = await startKubeApiServer({ resources: generatedCluster(nodes, pods) });
process.stdout.write(`${JSON.stringify({ url: server.url, caPem: server.caPem, token: server.token })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  // Second line: CPU the simulated API server spent (generating and serialising pages, TLS).
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ serverCpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000 })}\n`);
  void server.close().then(() => process.exit(0));
});
