// `npm run test:stress [-- --runs N] [--cpu N]`: the browser e2e suite, N times in a row (5 by
// default), while `stress-ng --cpu N` (2 by default: every core of the machines this project runs
// on) loads the machine. A test that races the page fails here long before it fails in CI. Stops at
// the first failing run; no retries, so a pass means every run passed as written.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, cpu: { type: 'string', default: '2' } },
});
const runs = Number(values.runs);
const cpu = Number(values.cpu);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(cpu) || cpu < 1) {
  console.error('usage: npm run test:stress -- [--runs N] [--cpu N]   (N a positive integer)');
  process.exit(2);
}
if (spawnSync('stress-ng', ['--version'], { stdio: 'ignore' }).status !== 0) {
  console.error('stress-ng is missing: apt-get install stress-ng');
  process.exit(2);
}

const step = (name, cmd, args) => {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`=== ${name}: ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${secs} s`);
  return r.status === 0;
};

if (!step('build', bin('electron-vite'), ['build'])) process.exit(1);

// The load starts after the build so every run sees the same machine.
const stress = spawn('stress-ng', ['--cpu', String(cpu), '--quiet'], { stdio: 'ignore' });
const stopStress = () => {
  if (stress.exitCode === null) stress.kill('SIGTERM');
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopStress();
    process.exit(130);
  });
}

let passed = 0;
try {
  for (let i = 1; i <= runs; i++) {
    console.log(`\n=== e2e run ${i} of ${runs} under stress-ng --cpu ${cpu}`);
    if (!step(`e2e run ${i}`, bin('vitest'), ['run', '--config', 'vitest.e2e.config.ts'])) break;
    passed++;
  }
} finally {
  stopStress();
}
console.log(`\nstress: ${passed} of ${runs} e2e runs passed in a row under stress-ng --cpu ${cpu}`);
process.exit(passed === runs ? 0 : 1);
