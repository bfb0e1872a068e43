// The CLI as one classic script (build.mjs: dist/bundle/cli.script.cjs), compiled with the V8 code cache that
// `npm run build` writes beside it (dist/bundle/cli.script.cache). ES modules cannot use a code cache on Node 20
// (module.enableCompileCache is Node 22): as a script, a start-up deserialises the bytecode of every function a
// sample run compiled instead of parsing and compiling ≈ 900 KB of JavaScript again. A cache this Node cannot use
// (another version or V8 flags) is rejected by V8 and the script compiles from source: same code, slower start.
// bin/ is CommonJS (bin/package.json): a CommonJS main module starts without Node's ES module loader (≈ 5 ms of --help).
'use strict';
/* global require, module, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- bin/ is CommonJS (bin/package.json) */
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { Script } = require('node:vm');

const SCRIPT = join(__dirname, '../dist/bundle/cli.script.cjs');
const CACHE = join(__dirname, '../dist/bundle/cli.script.cache');

/**
 * Compiles and runs the script; returns its exports (main), the compiled script (build.mjs asks it for the cache
 * after sample runs) and whether V8 took the cache (undefined: there was none, or `useCache` was false).
 */
function loadCli({ useCache = true } = {}) {
  const file = SCRIPT;
  const source = readFileSync(file, 'utf8');
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(CACHE);
    } catch {
      cachedData = undefined; // not built with a cache: compile from source
    }
  }
  // The CommonJS wrapper on the script's first line, so that its line numbers stay those of the file (and its map).
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __kdrScriptUrl, __kdrImport) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} };
  // The script cannot import() (build.mjs turns its imports of the libraries left out of the bundle into __kdrImport).
  const importLibrary = (specifier) => import(specifier);
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file), pathToFileURL(file).href, importLibrary);
  return { exports: module.exports, script, cacheAccepted: cachedData ? !script.cachedDataRejected : undefined };
}

module.exports = { loadCli, SCRIPT, CACHE };
