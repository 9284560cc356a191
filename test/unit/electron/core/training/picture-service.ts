// Shared by the tests that train on pictures through CairnService: a service with real job
// processes on wasm, over a temp data folder holding the generated "shapes" picture dataset (10
// squares and 10 circles) and a small "table" dataset, opened before the file's tests and closed after.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { forkSpawner } from '../../../../../electron/core/jobs/fork-spawner.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { makeShapeFolder } from '../datasets/images/picture-folders.js';
import { tempDirFor } from '../helpers.js';

export function usePictureService(prefix: string): { readonly service: CairnService; readonly dir: string } {
  const preferred = process.env.CAIRN_BACKEND;
  const tmp = tempDirFor('file', prefix);
  let service: CairnService | undefined;
  beforeAll(async () => {
    process.env.CAIRN_BACKEND = 'wasm';
    service = await CairnService.open({ home: path.join(tmp.dir, 'home'), host: 'cli', spawn: forkSpawner() });
    await makeShapeFolder(path.join(tmp.dir, 'shapes'), 10);
    await service.invoke('datasets.importNow', { path: path.join(tmp.dir, 'shapes') });
    await writeFile(
      path.join(tmp.dir, 'table.csv'),
      `x,label\n${Array.from({ length: 20 }, (_v, i) => `${i},${i % 2 ? 'a' : 'b'}`).join('\n')}\n`,
    );
    await service.invoke('datasets.importNow', { path: path.join(tmp.dir, 'table.csv') });
  });
  afterAll(async () => {
    await service?.close();
    if (preferred === undefined) delete process.env.CAIRN_BACKEND;
    else process.env.CAIRN_BACKEND = preferred;
  });
  return {
    get service() {
      if (!service) throw new Error('the picture service is not open yet');
      return service;
    },
    get dir() {
      return tmp.dir;
    },
  };
}
