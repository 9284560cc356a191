// Shared by the core unit tests: temp folders that clean up after themselves, a service on a
// fresh data folder, the checks that say an import left nothing behind, and small shared fixtures.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { LogRow } from '../../../../electron/core/db/request-log-db.js';
import { CairnService } from '../../../../electron/core/service.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures');

/** A temp folder; call the returned cleanup in afterEach/afterAll. */
export async function tempDir(prefix = 'cairn-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A temp folder that vitest makes before the file's tests (or before each test) and removes after them,
 * so a test file declares no dir/cleanup pair and hooks of its own. Call it at the top level before the
 * file's other hooks: before-hooks run in order and after-hooks in reverse, so the folder is there for
 * the file's own beforeAll and outlives its afterAll (which may still close what lives in it).
 */
export function tempDirFor(scope: 'file' | 'each test', prefix: string): { readonly dir: string } {
  let made: { dir: string; cleanup: () => Promise<void> } | undefined;
  const [before, after] = scope === 'file' ? [beforeAll, afterAll] : [beforeEach, afterEach];
  before(async () => {
    made = await tempDir(prefix);
  });
  after(async () => {
    await made?.cleanup();
    made = undefined;
  });
  return {
    get dir() {
      if (!made) throw new Error('the temp folder exists only while the tests run');
      return made.dir;
    },
  };
}

/** A service on a fresh data folder under a temp dir. */
export async function freshService(): Promise<{ service: CairnService; home: string; close: () => Promise<void> }> {
  const { dir, cleanup } = await tempDir('cairn-home-');
  const home = path.join(dir, 'home');
  const service = await CairnService.open({ home, host: 'cli' });
  return {
    service,
    home,
    close: async () => {
      await service.close();
      await cleanup();
    },
  };
}

/** Calls a service method as a host does, with a failed reply thrown as `code: message`. */
export function serviceCaller(service: CairnService): <T>(method: string, arg: unknown) => Promise<T> {
  return async <T>(method: string, arg: unknown): Promise<T> => {
    const reply = await service.call(method, arg);
    if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
    return reply.result as T;
  };
}

/** Every file (not folder) below `dir`, relative to it; [] when `dir` does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Row counts of the dataset tables, read through a second connection as another process would. */
export function datasetRowCounts(home: string): { datasets: number; versions: number; overrides: number } {
  const db = new Database(path.join(home, 'app.db'), { readonly: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      datasets: count('datasets'),
      versions: count('dataset_versions'),
      overrides: count('column_type_overrides'),
    };
  } finally {
    db.close();
  }
}

/** Asserts-by-return what a failed or cancelled import must leave: no records, no files. */
export async function leftovers(service: CairnService, home: string) {
  const list = await service.invoke('datasets.list', {});
  return {
    listed: list.length,
    ...datasetRowCounts(home),
    workFiles: await filesUnder(path.join(home, 'work')),
    datasetFiles: await filesUnder(path.join(home, 'datasets')),
  };
}

export const NOTHING_LEFT = { listed: 0, datasets: 0, versions: 0, overrides: 0, workFiles: [], datasetFiles: [] };

/** Whether a process id belongs to a living process (for tests that kill endpoint or job processes). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A request-log row at `at` (epoch ms), numbered `i` for a unique prediction id. */
export function logRow(at: number, i: number): LogRow {
  return {
    at,
    model: 'm',
    version: 1,
    status: 200,
    latencyMs: 1,
    predictionId: `p${i}`,
    inputJson: '{}',
    outputJson: '{}',
    answer: null,
    error: null,
  };
}
