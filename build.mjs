// The bundle bin/kdr-triage.js runs (`npm run build`, after tsc has compiled src/ module by module into dist/ for the
// tests and benches that import single modules): esbuild, ES modules, code splitting, into dist/bundle/. A start-up
// then reads a few files instead of ~150 modules, and every module the CLI imports lazily (the run, the snapshot
// loader, the formatters, the live-cluster code) stays a separate chunk, loaded only when used.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';

const SRC = 'src';
const OUT = 'dist/bundle';

// Loaded from node_modules when needed, not bundled: the Kubernetes client (live runs only) and YAML (policy, YAML
// snapshots, mappings). test/perf/startup.test.ts watches both being resolved.
const external = ['@kubernetes/client-node', 'yaml'];

// Modules started as threads, `new Worker(new URL('./name.js', import.meta.url))`: each is an entry point of its own.
const WORKER_URL = /new URL\(\s*['"]\.\/([\w.-]+)\.js['"],\s*import\.meta\.url\s*\)/g;
const workers = new Map(); // name.js → the entry point's output path
for (const file of readdirSync(SRC, { recursive: true }).map((f) => join(SRC, f)).filter((f) => f.endsWith('.ts'))) {
  for (const [, name] of readFileSync(file, 'utf8').matchAll(WORKER_URL)) {
    const source = join(dirname(file), `${name}.ts`);
    if (!existsSync(source)) continue;
    const output = join(OUT, relative(SRC, dirname(source)), `${name}.js`);
    if (workers.has(`${name}.js`) && workers.get(`${name}.js`) !== output) throw new Error(`two thread modules named ${name}.js`);
    workers.set(`${name}.js`, output);
  }
}
const entryPoints = ['src/cli.ts', ...[...workers.values()].map((out) => join(SRC, relative(OUT, out)).replace(/\.js$/, '.ts'))];

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
  outbase: SRC,
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

// A thread module's URL resolves next to the file its `new URL` was bundled into (often a chunk): put a module of that
// name there that loads the entry point.
for (const file of Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'))) {
  for (const [, name] of readFileSync(file, 'utf8').matchAll(WORKER_URL)) {
    const entry = workers.get(`${name}.js`);
    const sibling = join(dirname(file), `${name}.js`);
    if (!entry) throw new Error(`${file} starts ${name}.js, which is not an entry point`);
    if (sibling === entry || existsSync(sibling)) continue;
    const specifier = relative(dirname(sibling), entry);
    writeFileSync(sibling, `// The thread module started from ${basename(file)}.\nimport '${specifier.startsWith('.') ? specifier : `./${specifier}`}';\n`);
  }
}
