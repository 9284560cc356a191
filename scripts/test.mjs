// `npm test`: every check the project has, in order, each run even when an earlier one failed, so
// one run shows everything that is wrong. Ends with one summary line of the tests counted.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const results = path.join(root, 'test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const vitestJson = (name) => [
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${path.join(results, `${name}.json`)}`,
];

const steps = [
  { name: 'typecheck (engine, hosts, tests)', cmd: bin('tsc'), args: ['-p', 'tsconfig.json', '--noEmit'] },
  {
    name: 'typecheck (engine without the DOM)',
    cmd: bin('tsc'),
    args: ['-p', 'electron/core/tsconfig.json', '--noEmit'],
  },
  { name: 'typecheck (renderer)', cmd: bin('tsc'), args: ['-p', 'renderer/tsconfig.json', '--noEmit'] },
  { name: 'format (Prettier)', cmd: bin('prettier'), args: ['--check', '.', '--log-level', 'warn'] },
  { name: 'lint', cmd: bin('eslint'), args: ['.'] },
  { name: 'css lint', cmd: bin('stylelint'), args: ['renderer/src/styles/**/*.css'] },
  { name: 'unit tests', cmd: bin('vitest'), args: ['run', ...vitestJson('unit')] },
  { name: 'build', cmd: bin('electron-vite'), args: ['build'] },
  {
    name: 'e2e tests (browser UI in Chromium)',
    cmd: bin('vitest'),
    args: ['run', '--config', 'vitest.e2e.config.ts', ...vitestJson('e2e')],
  },
  // Runs the desktop app where an Electron binary is installed; elsewhere says plainly it skipped.
  { name: 'e2e tests (desktop app)', cmd: process.execPath, args: ['--import', 'tsx', 'test/e2e/electron.test.ts'] },
];

const failed = [];
for (const step of steps) {
  process.stdout.write(`\n=== ${step.name}\n`);
  const started = Date.now();
  const r = spawnSync(step.cmd, step.args, { cwd: root, stdio: 'inherit' });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) failed.push(step.name);
  process.stdout.write(
    `=== ${step.name}: ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${secs} s\n`,
  );
}

// Count tests from the JSON reports rather than steps, so the summary says what really ran.
let passed = 0;
let failedTests = 0;
let skipped = 0;
for (const name of ['unit', 'e2e']) {
  const file = path.join(results, `${name}.json`);
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failedTests += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
if (failed.length) process.stdout.write(`\nFailed steps: ${failed.join(', ')}\n`);
process.stdout.write(`\ntests: ${passed} passed, ${failedTests} failed, ${skipped} skipped\n`);
process.exit(failed.length ? 1 : 0);
