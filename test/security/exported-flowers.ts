// Shared by the bundle security tests: a real bundle to craft from. A fresh data folder trains a
// flowers model, exports it and imports it again; the imported version's files are the bundle's
// (bundle.json included), so a test can rewrite one and rebuild the zip.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CairnService } from '../../electron/core/service.js';
import { freshService } from '../unit/electron/core/helpers.js';
import { classificationCsv } from '../unit/electron/core/training/data.js';

export interface ExportedFlowers {
  service: CairnService;
  home: string;
  /** The data folder's parent: a temp folder for the test's zips. */
  tmp: string;
  close: () => Promise<void>;
  /** The exported bundle's files, by name. */
  files: Map<string, Buffer>;
}

/** flowers trained with `run` (model kind and settings) in a fresh data folder, exported and re-imported. */
export async function exportedFlowers(run: Record<string, unknown>): Promise<ExportedFlowers> {
  const { service, home, close } = await freshService();
  const tmp = path.dirname(home);
  await writeFile(path.join(tmp, 'flowers.csv'), classificationCsv());
  await service.invoke('datasets.importNow', { path: path.join(tmp, 'flowers.csv') });
  await service.invoke('runs.startNow', { dataset: 'flowers', target: 'label', ...run });
  const out = path.join(tmp, 'exported.zip');
  await service.invoke('models.export', { name: 'flowers', out });
  await service.invoke('models.import', { path: out, name: 'flowers-copy' });
  const dir = path.join(home, 'models', 'flowers-copy', '1');
  const files = new Map<string, Buffer>();
  for (const name of await readdir(dir)) files.set(name, await readFile(path.join(dir, name)));
  return { service, home, tmp, close, files };
}
