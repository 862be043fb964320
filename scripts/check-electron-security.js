#!/usr/bin/env node
// Runs Electronegativity (Doyensec's static check of Electron apps) over main/ and fails on any HIGH
// finding, or on a file it could not read (an unread file is an unchecked one). Electronegativity itself
// exits 0 whatever it finds, and its command line is broken against the commander Ferry uses, so it is
// called through its own run function. It runs offline: without a network it skips its translation and
// release look-ups and checks against the Electron version installed here. The full report, SARIF, is
// left in out/electronegativity.sarif.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity/dist/runner.js');
const { version } = require('electron/package.json');

/** main/ unless another folder is named (the check's own test plants a bad window in one). */
const INPUT = process.argv[2] ?? 'main';
const REPORT = 'out/electronegativity.sarif';

mkdirSync('out', { recursive: true });
const { issues, errors } = await run({
  input: INPUT,
  output: REPORT,
  isSarif: true,
  isRelative: true,
  electronVersionOverride: version,
});

for (const issue of issues) {
  const where = issue.file === 'N/A' ? INPUT : `${INPUT}/${issue.file}:${issue.location.line}`;
  console.log(`${issue.severity.name.padEnd(13)} ${issue.id} ${where}${issue.manualReview ? ' (to review by hand)' : ''}`);
}
const high = issues.filter((issue) => issue.severity.name === 'HIGH');
const unread = errors.filter((error) => !error.tolerable);
for (const error of unread) console.error(`Could not check ${error.file}: ${error.message}`);
console.log(`Electronegativity over ${INPUT}/ (Electron ${version}): ${issues.length} findings, ${high.length} HIGH; report in ${REPORT}`);
if (high.length > 0 || unread.length > 0) process.exit(1);
