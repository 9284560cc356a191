// One build for the three Electron-side bundles (DESIGN.md): main (with the job worker, the
// endpoint process, its request-log thread and the GBDT's row threads as further entries, so utilityProcess and
// worker_threads can start them), preload, and the React renderer, whose output
// in out/renderer is also what `cairn ui` serves to browsers.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

const migrationsDir = resolve(import.meta.dirname, 'electron/core/db/migrations');

/** Copies app.db's migrations into out/main/migrations; main points CAIRN_MIGRATIONS_DIR there. */
function copyMigrations(): Plugin {
  return {
    name: 'cairn:copy-migrations',
    generateBundle() {
      for (const file of readdirSync(migrationsDir).filter((f) => f.endsWith('.sql'))) {
        this.addWatchFile(resolve(migrationsDir, file));
        this.emitFile({
          type: 'asset',
          fileName: `migrations/${file}`,
          source: readFileSync(resolve(migrationsDir, file), 'utf8'),
        });
      }
    },
  };
}

export default defineConfig({
  main: {
    plugins: [copyMigrations()],
    build: {
      // electron-vite reads rolldownOptions (Vite 8); rollupOptions here would be overwritten.
      rolldownOptions: {
        input: {
          index: resolve(import.meta.dirname, 'electron/main/index.ts'),
          // The `cairn` command, run by plain Node (bin/cairn.js) when this build is fresh.
          cli: resolve(import.meta.dirname, 'electron/cli/main.ts'),
          'job-worker': resolve(import.meta.dirname, 'electron/core/jobs/job-worker.ts'),
          // Endpoints run in a utilityProcess too, and write their request log from a worker thread.
          'endpoint-process': resolve(import.meta.dirname, 'electron/core/serving/endpoint-process.ts'),
          'request-log-worker': resolve(import.meta.dirname, 'electron/core/serving/request-log-worker.ts'),
          // GBDT training shares its passes over the rows with helper threads running this module.
          'row-worker': resolve(import.meta.dirname, 'electron/core/training/gbdt/row-worker.ts'),
        },
        // Shared chunks sit beside the entries, not in chunks/: core resolves files relative to
        // its own module (../../package.json for the version), which must hold in the bundle too.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload/index.ts') },
        // A sandboxed preload is evaluated as one classic script: CommonJS, no chunks, no imports
        // beyond 'electron'.
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    plugins: [react()],
    build: {
      // electron-vite leaves output unminified by default; the renderer is also served to browsers.
      minify: true,
      rolldownOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') },
      // ECharts is a lazily loaded chunk of about 500 kB; the warning is meant for first-paint chunks.
      chunkSizeWarningLimit: 600,
    },
  },
});
