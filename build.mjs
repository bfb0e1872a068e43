// Builds dist/ (`npm run build`, run by `prepare` and `npm test`): the CLI bundled by esbuild as ES modules with
// code splitting. A start-up then reads a few files instead of ~150 modules, and every module the CLI imports lazily
// (the run, the snapshot loader, the formatters, the live-cluster code) stays a separate chunk, loaded only when used.
// Type checking is `npm run typecheck` (tsc --noEmit); esbuild only strips the types.
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';

const OUT = 'dist';

// Entry points keep the paths of the modules they come from: dist/cli.js (bin/kdr-triage.js loads it), the reader
// thread, and the cluster modules that tests and bench/baselines import on their own.
const entryPoints = ['src/cli.ts', 'src/parallel/worker.ts', 'src/cluster/index.ts', 'src/cluster/model.ts', 'src/cluster/load.ts'];

// Loaded from node_modules when needed, not bundled: the Kubernetes client (live runs only) and YAML (policy, YAML
// snapshots, mappings). test/perf/startup.test.ts watches both being resolved.
const external = ['@kubernetes/client-node', 'yaml'];

// commander requires node:child_process when it loads, for subcommands that run other executables, which this CLI has
// none of; loading it costs --help a few milliseconds (net, dgram, ...). Commander gets it on first use instead.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (/[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({ contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });", loader: 'js' }));
  },
};

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  entryPoints,
  outbase: 'src',
  outdir: OUT,
  entryNames: '[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  plugins: [lazyChildProcess],
  // Maps for stack traces (node --enable-source-maps); they name the sources rather than embed them.
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
  // Bundled CommonJS libraries (cli-table3 and its dependencies) call require(): give ES modules one.
  banner: { js: "import { createRequire as __kdrCreateRequire } from 'node:module'; const require = __kdrCreateRequire(import.meta.url);" },
});

// src/parallel starts its reader threads with `new Worker(new URL('./worker.js', import.meta.url))`, which resolves next
// to the file the code was bundled into (a chunk): put a worker.js there that loads the real entry point.
const WORKER = join(OUT, 'parallel/worker.js');
for (const file of Object.keys(result.metafile.outputs)) {
  if (!file.endsWith('.js') || !readFileSync(file, 'utf8').includes('new URL("./worker.js", import.meta.url)')) continue;
  const sibling = join(dirname(file), 'worker.js');
  if (sibling === WORKER) continue;
  if (existsSync(sibling)) throw new Error(`${sibling} exists: cannot place the reader-thread entry beside ${basename(file)}`);
  const specifier = relative(dirname(file), WORKER);
  writeFileSync(sibling, `// The reader thread started from ${basename(file)} (src/parallel/pool.ts).\nimport '${specifier.startsWith('.') ? specifier : `./${specifier}`}';\n`);
}
