// Shared by the bundle security tests: a real bundle to craft from. Before the file's tests a fresh
// data folder trains a flowers model, exports it and imports it again; the imported version's files
// are the bundle's (bundle.json included), so a test can rewrite one, rebuild the zip and import it.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { CairnError } from '../../electron/core/errors.js';
import type { CairnService } from '../../electron/core/service.js';
import { freshService } from '../unit/electron/core/helpers.js';
import { importRefusal } from '../unit/electron/core/registry/import-refusal.js';
import { buildZip, type FixtureEntry } from '../unit/electron/core/registry/zip-fixture.js';
import { classificationCsv } from '../unit/electron/core/training/data.js';

export interface ExportedFlowers {
  /** The exported bundle's files, by name (filled before the file's tests run). */
  files: Map<string, Buffer>;
  /** Imports a zip of `entries`, checks it was refused leaving nothing behind, and returns the error. */
  refusal: (entries: FixtureEntry[]) => Promise<CairnError>;
  /** Imports a zip of `entries` as a model of its own. */
  imports: (entries: FixtureEntry[]) => Promise<{ version: number }>;
}

/** Registers the hooks that make flowers, trained with `run` (model kind and settings), and export it. */
export function useExportedFlowers(run: Record<string, unknown>): ExportedFlowers {
  let service: CairnService | undefined;
  let home = '';
  let close: () => Promise<void> = async () => undefined;
  let zips = 0;
  const files = new Map<string, Buffer>();
  const zip = async (entries: FixtureEntry[]) => {
    const file = path.join(path.dirname(home), `crafted-${++zips}.zip`);
    await writeFile(file, buildZip(entries));
    return file;
  };
  beforeAll(async () => {
    ({ service, home, close } = await freshService());
    const tmp = path.dirname(home);
    await writeFile(path.join(tmp, 'flowers.csv'), classificationCsv());
    await service.invoke('datasets.importNow', { path: path.join(tmp, 'flowers.csv') });
    await service.invoke('runs.startNow', { dataset: 'flowers', target: 'label', ...run });
    const out = path.join(tmp, 'exported.zip');
    await service.invoke('models.export', { name: 'flowers', out });
    await service.invoke('models.import', { path: out, name: 'flowers-copy' });
    const dir = path.join(home, 'models', 'flowers-copy', '1');
    for (const name of await readdir(dir)) files.set(name, await readFile(path.join(dir, name)));
  }, 120_000);
  afterAll(async () => close());
  return {
    files,
    refusal: async (entries) =>
      importRefusal(service as CairnService, home, path.join(path.dirname(home), `refused-${++zips}.zip`), entries),
    imports: async (entries) =>
      (service as CairnService).invoke('models.import', { path: await zip(entries), name: `control-${zips}` }),
  };
}
