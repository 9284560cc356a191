// The registry through CairnService: models with versions and lineage, cards, aliases that move
// with a recorded reason and roll back, one resolver for every reference, guarded deletes.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../../../../shared/api.js';
import { parseModelRef } from '../../../../../electron/core/registry/ref.js';
import type { CairnService } from '../../../../../electron/core/service.js';
import { CairnError } from '../../../../../electron/core/errors.js';
import { freshService } from '../helpers.js';
import { classificationCsv } from '../training/data.js';

process.env.CAIRN_BACKEND = 'cpu';

let service: CairnService;
let home: string;
let close: () => Promise<void>;
const changed: string[] = [];
const quick = { epochs: 3, learningRate: 0.01, hiddenLayers: [{ units: 4 }] };

beforeAll(async () => {
  ({ service, home, close } = await freshService());
  await writeFile(path.join(home, '..', 'flowers.csv'), classificationCsv());
  await service.invoke('datasets.importNow', { path: path.join(home, '..', 'flowers.csv') });
  service.events.subscribe((event: EventName, payload) => {
    if (event === 'model.changed') changed.push((payload as { name: string }).name);
  });
  await service.invoke('runs.startNow', { dataset: 'flowers', target: 'label', ...quick });
  await service.invoke('runs.startNow', { dataset: 'flowers', target: 'label', ...quick, seed: 7 });
  await writeFile(path.join(home, '..', 'new.csv'), 'x1,x2,color\n1,1,red\n-1,-1,blue\n');
});
afterAll(async () => close());

/** The CairnError a call rejects with. */
async function failure(p: Promise<unknown>): Promise<CairnError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CairnError);
  return err as CairnError;
}

const predict = (ref: Record<string, unknown>) =>
  service.invoke('models.predictFile', { model: 'flowers', ...ref, path: path.join(home, '..', 'new.csv') });

describe('parseModelRef', () => {
  it('reads name, name@alias and name:version', () => {
    expect(parseModelRef('iris')).toEqual({ name: 'iris' });
    expect(parseModelRef('iris@production')).toEqual({ name: 'iris', alias: 'production' });
    expect(parseModelRef('iris:12')).toEqual({ name: 'iris', version: 12 });
    expect(parseModelRef('a:b@staging')).toEqual({ name: 'a:b', alias: 'staging' });
    expect(() => parseModelRef('iris@3')).toThrow(/not an alias name/);
  });
});

describe('models.list and models.get', () => {
  it('lists each model with its versions, latest, aliases and task', async () => {
    const [m, ...rest] = await service.invoke('models.list', {});
    expect(rest).toEqual([]);
    expect(m).toMatchObject({
      name: 'flowers',
      versionCount: 2,
      latestVersion: 2,
      aliases: [],
      task: 'classification',
    });
    expect(changed).toEqual(['flowers', 'flowers']);
  });

  it('gives every version with its lineage, newest first', async () => {
    const d = await service.invoke('models.get', { name: 'FLOWERS' });
    expect(d.versions.map((v) => v.version)).toEqual([2, 1]);
    const [v2, v1] = d.versions;
    const runs = await service.invoke('runs.list', {});
    const ds = await service.invoke('datasets.get', { ref: 'flowers' });
    expect(v1).toMatchObject({
      origin: 'run',
      task: 'classification',
      notes: '',
      tags: [],
      aliases: [],
      importedFrom: null,
    });
    expect(v1?.lineage).toMatchObject({
      runId: runs.find((r) => r.model?.version === 1)?.id,
      dataset: { name: 'flowers', version: 1, hash: ds.version.contentHash },
      target: 'label',
      modelKind: 'mlp',
    });
    // A run on the user's own dataset went through no pipeline.
    expect(v1?.lineage).not.toHaveProperty('pipeline');
    expect(runs.map((r) => r.pipelineTable)).toEqual(runs.map(() => null));
    expect(v1?.lineage.params).toMatchObject({ train: { epochs: 3 }, split: { seed: 42 } });
    expect(v2?.lineage.params).toMatchObject({ split: { seed: 7 } });
    expect(typeof v1?.lineage.metrics.accuracy).toBe('number');
  });

  it('fails clearly on an unknown model', async () => {
    const err = await failure(service.invoke('models.get', { name: 'nope' }));
    expect(err.code).toBe('not_found');
    expect(err.message).toMatch(/no model named "nope"/);
  });
});

describe('models.card', () => {
  it('derives the input schema from the preprocessing and summarises the training data', async () => {
    const c = await service.invoke('models.card', { name: 'flowers', version: 1 });
    expect(c).toMatchObject({
      name: 'flowers',
      version: 1,
      task: 'classification',
      target: 'label',
      classes: ['false', 'true'],
    });
    expect(c.inputs).toEqual([
      { name: 'x1', kind: 'numeric' },
      { name: 'x2', kind: 'numeric' },
      { name: 'color', kind: 'categorical', categories: ['blue', 'green', 'red'] },
    ]);
    expect(c.output).toEqual({ task: 'classification', target: 'label', classes: ['false', 'true'] });
    expect(c.trainingData?.dataset).toMatchObject({ name: 'flowers', version: 1 });
    expect(c.trainingData).not.toHaveProperty('pipeline');
    expect(c.trainingData?.rows).toBe(200);
    expect(c.trainingData?.columns.map((col) => col.name)).toEqual(['x1', 'x2', 'color', 'label']);
    expect(c.trainingData?.columns[2]?.topValues?.length).toBe(3);
    expect((c.metrics.test as Record<string, unknown>).accuracy).toEqual(expect.any(Number));
  });
});

describe('aliases', () => {
  it('the bare name means the latest version until production is set, then production', async () => {
    expect((await predict({})).model.version).toBe(2);
    const e = await service.invoke('models.setAlias', {
      name: 'flowers',
      alias: 'production',
      version: 1,
      reason: 'first release',
    });
    expect(e).toMatchObject({ alias: 'production', fromVersion: null, toVersion: 1, reason: 'first release' });
    expect((await predict({})).model.version).toBe(1);
    expect((await predict({ model: 'flowers@production' })).model.version).toBe(1);
    expect((await predict({ alias: 'production' })).model.version).toBe(1);
    expect((await predict({ model: 'flowers:2' })).model.version).toBe(2);
    expect((await predict({ version: 2 })).model.version).toBe(2);
  });

  it('moves in one recorded step and rolls back (a rollback is a move too)', async () => {
    await service.invoke('models.setAlias', { name: 'flowers', alias: 'production', version: 2, reason: 'better f1' });
    expect((await predict({})).model.version).toBe(2);
    const back = await service.invoke('models.rollbackAlias', { name: 'flowers', alias: 'production' });
    expect(back).toMatchObject({ fromVersion: 2, toVersion: 1 });
    expect(back.reason).toMatch(/^rollback/);
    expect((await predict({})).model.version).toBe(1);
    const d = await service.invoke('models.get', { name: 'flowers' });
    expect(d.aliasHistory.map((h) => [h.fromVersion, h.toVersion, h.reason.split(' ')[0]])).toEqual([
      [2, 1, 'rollback'],
      [1, 2, 'better'],
      [null, 1, 'first'],
    ]);
    expect(d.model.aliases).toMatchObject([{ alias: 'production', version: 1 }]);
    expect(d.versions.find((v) => v.version === 1)?.aliases).toEqual(['production']);
  });

  it('removal is recorded and rolled back; rolling back a first set removes the alias', async () => {
    await service.invoke('models.setAlias', { name: 'flowers', alias: 'staging', version: 2, reason: '' });
    await service.invoke('models.removeAlias', { name: 'flowers', alias: 'staging', reason: 'done' });
    const err = await failure(predict({ model: 'flowers@staging' }));
    expect(err.code).toBe('not_found');
    expect(err.message).toMatch(/no alias "staging" \(its aliases: production\)/);
    expect(await service.invoke('models.rollbackAlias', { name: 'flowers', alias: 'staging' })).toMatchObject({
      fromVersion: null,
      toVersion: 2,
    });
    expect((await predict({ model: 'flowers@staging' })).model.version).toBe(2);
    await service.invoke('models.removeAlias', { name: 'flowers', alias: 'staging' });
    await service.invoke('models.setAlias', { name: 'flowers', alias: 'canary', version: 2 });
    expect(await service.invoke('models.rollbackAlias', { name: 'flowers', alias: 'canary' })).toMatchObject({
      fromVersion: 2,
      toVersion: null,
    });
  });

  it('refuses a missing version, a no-op move, and names that could be versions', async () => {
    await expect(
      service.invoke('models.setAlias', { name: 'flowers', alias: 'production', version: 9 }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      service.invoke('models.setAlias', { name: 'flowers', alias: 'production', version: 1 }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(service.invoke('models.setAlias', { name: 'flowers', alias: '2', version: 1 })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(service.invoke('models.rollbackAlias', { name: 'flowers', alias: 'never' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

describe('notes, tags and deletes', () => {
  it('updates notes and tags', async () => {
    const v = await service.invoke('models.updateVersion', {
      name: 'flowers',
      version: 2,
      notes: 'seed 7',
      tags: ['candidate', 'candidate', ' fast '],
    });
    expect(v).toMatchObject({ notes: 'seed 7', tags: ['candidate', 'fast'] });
    expect((await service.invoke('models.get', { name: 'flowers' })).versions[0]).toMatchObject({
      notes: 'seed 7',
      tags: ['candidate', 'fast'],
    });
  });

  it('refuses to delete a version an alias points at, naming the alias', async () => {
    const err = await failure(service.invoke('models.deleteVersion', { name: 'flowers', version: 1 }));
    expect(err).toMatchObject({ code: 'conflict', details: { aliases: ['production'] } });
    expect(err.message).toMatch(/the alias production points at it\. Move or remove it first/);
  });

  it('refuses to delete a version an endpoint serves', async () => {
    service.registry.isServed = (name, version) => name === 'flowers' && version === 2;
    try {
      const err = await failure(service.invoke('models.deleteVersion', { name: 'flowers', version: 2 }));
      expect(err.code).toBe('conflict');
      expect(err.message).toMatch(/an endpoint serves it/);
    } finally {
      service.registry.isServed = () => false;
    }
  });

  it('deletes a version with its folder, and never reuses its number', async () => {
    const dir = path.join(home, 'models', 'flowers', '2');
    expect(existsSync(dir)).toBe(true);
    changed.length = 0;
    expect(await service.invoke('models.deleteVersion', { name: 'flowers', version: 2 })).toEqual({
      name: 'flowers',
      version: 2,
      modelDeleted: false,
    });
    expect(existsSync(dir)).toBe(false);
    expect(changed).toEqual(['flowers']);
    expect((await service.invoke('models.get', { name: 'flowers' })).versions.map((v) => v.version)).toEqual([1]);
    expect(service.registry.nextVersion('flowers')).toBe(3);
    await expect(predict({ version: 2 })).rejects.toMatchObject({
      message: 'model "flowers" has no version 2 (its latest is 1)',
    });
  });
});
