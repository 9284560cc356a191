// Shared by the bundle tests (registry's and the security ones): how a refused import is checked.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { CairnError } from '../../../../../electron/core/errors.js';
import type { CairnService } from '../../../../../electron/core/service.js';
import { filesUnder } from '../helpers.js';
import { buildZip, type FixtureEntry } from './zip-fixture.js';

/** The CairnError a promise rejects with (failing the test if it resolves or throws anything else). */
export async function failure(p: Promise<unknown>): Promise<CairnError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CairnError);
  return err as CairnError;
}

/**
 * Imports a zip of `entries` written to `file` into the data folder `home`, checks it was refused
 * as invalid_argument leaving nothing behind (no model files, no work files, the same model list),
 * and returns the error.
 */
export async function importRefusal(
  service: CairnService,
  home: string,
  file: string,
  entries: FixtureEntry[],
): Promise<CairnError> {
  await writeFile(file, buildZip(entries));
  const before = await filesUnder(path.join(home, 'models'));
  const listed = await service.invoke('models.list', {});
  const err = await failure(service.invoke('models.import', { path: file, name: 'evil' }));
  expect(err.code).toBe('invalid_argument');
  expect(await filesUnder(path.join(home, 'models'))).toEqual(before);
  expect(await filesUnder(path.join(home, 'work'))).toEqual([]);
  expect(await service.invoke('models.list', {})).toEqual(listed);
  return err;
}
