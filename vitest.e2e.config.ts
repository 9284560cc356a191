// End-to-end tests: the built UI in Debian's Chromium against `cairn ui`.
// One file at a time: each test starts a server, a browser and import job processes, and this
// machine has two cores.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    // The desktop-app test drives Electron through playwright-core itself and is run as a plain
    // script by npm test (it reports its own skip where no Electron binary is installed).
    exclude: ['test/e2e/electron.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // expect.poll's default 1 s is too short for engine work on a loaded CI machine.
    expect: { poll: { timeout: 15_000 } },
  },
});
