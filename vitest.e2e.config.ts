// End-to-end tests: the built UI in Debian's Chromium against `cairn ui` (and the desktop app).
// One file at a time: each test starts a server, a browser and import job processes, and this
// machine has two cores.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
