#!/usr/bin/env node
import { main } from '../dist/cli.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`kdr-triage: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
