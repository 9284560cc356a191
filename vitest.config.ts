import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // test/security: the defences against hostile input and callers (issue 17).
    // test/quality: checks of model quality against peers (scikit-learn), on the shipped samples.
    // test/fleet: the worker fleet end to end: `cairn worker` processes over a Redis of the test's own (issue 15).
    include: [
      'test/unit/**/*.test.ts',
      'test/unit/**/*.test.tsx',
      'test/security/**/*.test.ts',
      'test/quality/**/*.test.ts',
      'test/fleet/**/*.test.ts',
    ],
    // Import tests start job processes and DuckDB instances; two cores do not want more forks.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
