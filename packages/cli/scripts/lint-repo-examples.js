#!/usr/bin/env node
/*
 * Lints the repository's own catalog files with the real command, as a CI
 * job would, and checks that exactly the errors the demo carries on purpose
 * are reported: src/lint/repoLintExpectation.ts holds the files and the
 * expected errors, shared with src/lint/repoLint.test.ts.
 *
 * Usage, from anywhere: node packages/cli/scripts/lint-repo-examples.js
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

// the expectation is TypeScript, as bin/backup-assurance loads it
require('@backstage/cli/config/nodeTransform.cjs');
const {
  REPO_LINT_EXPECTED_ERRORS,
  repoLintArgs,
  repoLintDifferences,
} = require('../src/lint/repoLintExpectation');

const root = path.resolve(__dirname, '../../..');
const bin = path.resolve(__dirname, '../bin/backup-assurance');
const args = ['lint', ...repoLintArgs(root), '--format', 'json'];

const run = spawnSync(process.execPath, [bin, ...args], {
  cwd: root,
  encoding: 'utf8',
});
const fail = message => {
  process.stderr.write(`lint-repo-examples: ${message}\n`);
  process.exit(1);
};

const wantedExitCode = REPO_LINT_EXPECTED_ERRORS.length > 0 ? 1 : 0;
if (run.status !== wantedExitCode) {
  fail(
    `backup-assurance ${args.join(' ')} exited ${
      run.status
    }, expected ${wantedExitCode}\n${run.stderr}`,
  );
}
let report;
try {
  report = JSON.parse(run.stdout);
} catch (error) {
  fail(`the JSON report could not be read: ${error.message}\n${run.stdout}`);
}
const { unexpected, missing } = repoLintDifferences(report.problems);
if (unexpected.length > 0 || missing.length > 0) {
  fail(
    [
      'the lint of the examples differs from src/lint/repoLintExpectation.ts',
      ...unexpected.map(line => `  unexpected: ${line}`),
      ...missing.map(line => `  missing:    ${line}`),
    ].join('\n'),
  );
}
process.stdout.write(
  `lint-repo-examples: ${report.files.length} files, the ${REPO_LINT_EXPECTED_ERRORS.length} expected errors and ${report.warningCount} warnings\n`,
);
