// The bundles bin/kdr-triage.js runs (`npm run build`, after tsc has compiled src/ module by module into dist/ for the
// tests and benches that import single modules), with esbuild, into dist/bundle/:
// - cli.script.cjs: the CLI as one classic script, which bin/load-cli.js compiles with a V8 code cache written here
//   from sample runs (cli.script.cache): ES modules have no code cache on Node 20. What the CLI imports lazily (the
//   run, the snapshot loader, the formatters, the live-cluster code) is still initialised only when used.
// - parallel/*.js and their chunks (ES modules, code splitting): the thread modules (reader and triage threads).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const SRC = 'src';
const OUT = 'dist/bundle';

// Loaded from node_modules when needed, not bundled: the Kubernetes client (live runs only) and YAML (policy, YAML
// snapshots, mappings). test/perf/startup.test.ts watches both being resolved.
const external = ['@kubernetes/client-node', 'yaml'];

// Modules started as threads, `new Worker(new URL('./name.js', import.meta.url))`: each is an entry point of its own.
const WORKER_URL = /new URL\(\s*['"]\.\/([\w.-]+)\.js['"],\s*(?:import\.meta\.url|__kdrScriptUrl)\s*\)/g;
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
const entryPoints = [...workers.values()].map((out) => join(SRC, relative(OUT, out)).replace(/\.js$/, '.ts'));

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

// The CLI as one classic script: CommonJS inside the function wrapper bin/load-cli.js puts around it, import.meta.url
// being the script's own URL (thread modules and libraries resolve from dist/bundle/).
const SCRIPT = join(OUT, 'cli.script.cjs');
const scriptResult = await build({
  entryPoints: ['src/cli.ts'],
  outfile: SCRIPT,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external,
  plugins: [lazyChildProcess],
  define: { 'import.meta.url': '__kdrScriptUrl' },
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
});

// A script has no module loader of its own for import() (vm's USE_MAIN_CONTEXT_DEFAULT_LOADER is experimental on Node 20
// and lost when the script comes from the code cache): the libraries kept out of the bundle that are imported rather
// than required go through the loader's import() instead, __kdrImport.
const scriptText = readFileSync(SCRIPT, 'utf8');
const dynamicImport = /\bimport\((["'])([^"']+)\1\)/g;
for (const [, , specifier] of scriptText.matchAll(dynamicImport)) {
  if (!external.includes(specifier)) throw new Error(`build: ${SCRIPT} imports ${specifier} dynamically, which only the bundled libraries may`);
}
writeFileSync(SCRIPT, scriptText.replace(dynamicImport, (_, quote, specifier) => `__kdrImport(${quote}${specifier}${quote})`));
if (/\bimport\(/.test(readFileSync(SCRIPT, 'utf8').replace(/\/\/.*$/gm, ''))) throw new Error(`build: ${SCRIPT} still calls import() with a computed specifier`);

// A thread module's URL resolves next to the file its `new URL` was bundled into (often a chunk): put a module of that
// name there that loads the entry point.
for (const file of [...Object.keys(result.metafile.outputs), ...Object.keys(scriptResult.metafile.outputs)].filter((f) => /\.c?js$/.test(f))) {
  for (const [, name] of readFileSync(file, 'utf8').matchAll(WORKER_URL)) {
    const entry = workers.get(`${name}.js`);
    const sibling = join(dirname(file), `${name}.js`);
    if (!entry) throw new Error(`${file} starts ${name}.js, which is not an entry point`);
    if (sibling === entry || existsSync(sibling)) continue;
    const specifier = relative(dirname(sibling), entry);
    writeFileSync(sibling, `// The thread module started from ${basename(file)}.\nimport '${specifier.startsWith('.') ? specifier : `./${specifier}`}';\n`);
  }
}

// The code cache: V8's bytecode of every function that sample runs of the script compiled (--help, and the samples
// triaged into each format the cache should serve), taken in a fresh process with no NODE_OPTIONS, as users run it:
// V8 rejects a cache made under other flags. Without the samples (a package without them) there is no cache, and
// the CLI compiles from source.
const CACHE = join(OUT, 'cli.script.cache');
if (existsSync('samples/alerts') && existsSync('samples/cluster.json')) {
  const sample = ['samples/alerts', '--snapshot', 'samples/cluster.json', '--audit-log', 'samples/audit.jsonl', '-q'];
  const runs = [['--help'], ...['ndjson', 'table', 'json'].map((format) => [...sample, '--format', format])];
  const producer = [
    `import { writeFileSync } from 'node:fs';`,
    `import { loadCli } from ${JSON.stringify(pathToFileURL('bin/load-cli.js').href)};`,
    `const { exports, script } = loadCli({ useCache: false });`,
    `for (const args of ${JSON.stringify(runs)}) await exports.main(['node', 'kdr-triage', ...args]);`,
    `writeFileSync(${JSON.stringify(CACHE)}, script.createCachedData());`,
  ].join('\n');
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.NODE_OPTIONS;
  const made = spawnSync(process.execPath, ['--input-type=module', '-e', producer], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  // Without a cache the CLI still runs (compiling from source): say so, but do not fail an install over it.
  if (made.status !== 0 || !existsSync(CACHE) || statSync(CACHE).size === 0) {
    rmSync(CACHE, { force: true });
    console.warn(`build: no code cache written (exit ${made.status}); the CLI will compile at every start`);
  }
}
