// The pipelines repo on a real app.db: versions only for changed content, steps linking the
// training run and model version from their output, and runs a dead host left behind.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../../../electron/core/db/open.js';
import { PipelinesRepo } from '../../../../../electron/core/db/pipelines-repo.js';
import { tempDir } from '../helpers.js';

let cleanup: () => Promise<void>;
let db: Db;
let repo: PipelinesRepo;
beforeEach(async () => {
  let dir: string;
  ({ dir, cleanup } = await tempDir());
  db = openDb(path.join(dir, 'app.db'));
  repo = new PipelinesRepo(db);
});
afterEach(async () => {
  db.close();
  await cleanup();
});

const spec = (name: string, nodes: unknown[] = []) => JSON.stringify({ cairn: 1, name, nodes, edges: [] });

describe('PipelinesRepo', () => {
  it('adds a version only when the content (or its folder) changed, and renames on save', () => {
    const save = (id: string, create: boolean, name: string, hash: string, baseDir: string | null = null) =>
      repo.save(
        { id, create, name, specJson: spec(name), specHash: hash, baseDir, message: '' },
        new Date().toISOString(),
      );
    expect(save('p', true, 'one', 'h1')).toEqual({ version: 1, created: true });
    expect(save('p', false, 'one', 'h1')).toEqual({ version: 1, created: false });
    expect(save('p', false, 'one', 'h1', '/somewhere')).toEqual({ version: 2, created: true });
    expect(save('p', false, 'renamed', 'h2', '/somewhere')).toEqual({ version: 3, created: true });
    expect(repo.find('RENAMED')).toMatchObject({ id: 'p', latestVersion: 3, versionCount: 3, lastRun: null });
    expect(repo.versions('p').map((v) => [v.version, v.baseDir])).toEqual([
      [3, '/somewhere'],
      [2, '/somewhere'],
      [1, null],
    ]);
  });

  it('records steps in order with their outputs and links, and marks runs of a dead host interrupted', () => {
    repo.save(
      { id: 'p', create: true, name: 'p', specJson: spec('p', [{}, {}]), specHash: 'h', baseDir: null, message: '' },
      'c',
    );
    repo.createRun(
      { id: 'r', pipelineId: 'p', version: 1, hostPid: 999_999 },
      [
        { nodeId: 'train', kind: 'train' },
        { nodeId: 'register', kind: 'register' },
      ],
      'c',
    );
    repo.markRunning('r', 'c');
    repo.updateStep('r', 'train', { state: 'running', startedAt: 's' });
    repo.updateStep('r', 'train', { state: 'cached', output: { model: { name: 'm', version: 2 } }, finishedAt: 'f' });
    expect(repo.run('r')).toMatchObject({
      status: 'running',
      counts: { cached: 1, queued: 1 },
      steps: [
        {
          nodeId: 'train',
          state: 'cached',
          cached: true,
          output: { model: { name: 'm', version: 2 } },
          startedAt: 's',
          finishedAt: 'f',
        },
        { nodeId: 'register', state: 'queued', cached: false, output: null },
      ],
      modelVersions: [{ nodeId: 'train', name: 'm', version: 2, cached: true }],
    });
    expect(repo.hasOpenRun('p')).toBe(true);
    expect(repo.interruptOrphans(() => true, 'later')).toEqual([]);
    expect(repo.interruptOrphans(() => false, 'later')).toEqual(['r']);
    expect(repo.run('r')).toMatchObject({
      status: 'interrupted',
      finishedAt: 'later',
      steps: [{ state: 'cached' }, { state: 'skipped', reason: 'the app stopped before this step finished' }],
    });
    expect(repo.find('p')?.lastRun).toMatchObject({ id: 'r', status: 'interrupted' });
  });
});
