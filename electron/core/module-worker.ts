// Starting one of core's worker-thread entries (the request log's writer, the GBDT's row threads)
// the same way from sources and from the build: beside the calling module as .ts (npm start, the
// CLI under tsx, tests) or as .js (out/main, where electron.vite.config.ts lists each entry).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the module `name` beside `besideUrl` (an import.meta.url) with
 * `workerData`. Throws at once when the module is missing, naming it as `what`.
 */
export function moduleWorker(besideUrl: string, name: string, what: string, workerData: unknown): Worker {
  const here = fileURLToPath(besideUrl);
  const fromSource = here.endsWith('.ts');
  const entry = path.join(path.dirname(here), `${name}${fromSource ? '.ts' : '.js'}`);
  if (!existsSync(entry)) throw new Error(`${what} missing at ${entry}`);
  if (!fromSource) return new Worker(entry, { workerData });
  // From TypeScript sources the module is loaded through tsx's API: a worker does not take
  // --import loaders from execArgv on every Node version Cairn supports.
  return new Worker(
    `const { workerData } = require('node:worker_threads');
     import(workerData.tsx).then(({ tsImport }) => tsImport(workerData.entry, workerData.entry));`,
    {
      eval: true,
      workerData: {
        ...(workerData as object),
        tsx: import.meta.resolve('tsx/esm/api'),
        entry: pathToFileURL(entry).href,
      },
    },
  );
}
