#!/usr/bin/env node
'use strict';
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- bin/ is CommonJS (bin/package.json) */
const { loadCli } = require('./load-cli.js');

const { main } = loadCli().exports;

// `kdr-triage … | head` closes stdout early: stop quietly instead of crashing with EPIPE.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`kdr-triage: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
