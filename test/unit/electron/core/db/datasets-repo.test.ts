// DatasetsRepo on a real app.db: version numbering, content-hash lookup, type overrides.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ColumnProfile } from '../../../../../shared/api.js';
import { DatasetsRepo, type PipelineTable } from '../../../../../electron/core/db/datasets-repo.js';
import { openDb, type Db } from '../../../../../electron/core/db/open.js';
import { tempDir } from '../helpers.js';

let db: Db;
let repo: DatasetsRepo;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  const t = await tempDir();
  cleanup = t.cleanup;
  db = openDb(path.join(t.dir, 'app.db'));
  repo = new DatasetsRepo(db);
});
afterEach(async () => {
  db.close();
  await cleanup();
});

const column = (name: string, extra: Partial<ColumnProfile> = {}): ColumnProfile => ({
  name,
  type: 'integer',
  inferredType: 'integer',
  storageType: 'BIGINT',
  missing: 0,
  invalid: 0,
  nonFinite: 0,
  distinct: 3,
  distinctApprox: false,
  ...extra,
});

let n = 0;
function add(name: string, hash: string, rows = 3, now = `2026-01-01T00:00:0${n}Z`, pipeline?: PipelineTable) {
  n++;
  return repo.addVersion(
    name,
    {
      kind: 'table',
      id: `v${n}`,
      datasetId: `d${n}`,
      contentHash: hash,
      sourcePath: `/data/${name}.csv`,
      sourceFormat: 'csv',
      sizeBytes: 100,
      rows,
      skippedRows: 0,
      dataFile: `datasets/d/v${n}.parquet`,
      profile: [column('a'), column('b')],
      warnings: ['w'],
      ...(pipeline ? { pipeline } : {}),
    },
    now,
  );
}

describe('DatasetsRepo', () => {
  beforeEach(() => {
    n = 0;
  });

  it('numbers versions 1, 2, 3 under one dataset, whatever id the caller proposed', () => {
    const v1 = add('iris', 'h1');
    const v2 = add('iris', 'h2', 5);
    const v3 = add('IRIS', 'h3', 7); // names match case-insensitively
    expect([v1.version, v2.version, v3.version]).toEqual([1, 2, 3]);
    expect(new Set([v1.datasetId, v2.datasetId, v3.datasetId]).size).toBe(1);
    const [dataset] = repo.list();
    expect(repo.list()).toHaveLength(1);
    expect(dataset).toMatchObject({ name: 'iris', latestVersion: 3, versionCount: 3, rows: 7, columns: 2 });
    expect(repo.versions(v1.datasetId).map((v) => v.version)).toEqual([3, 2, 1]);
    expect(v1).toMatchObject({
      contentHash: 'h1',
      warnings: ['w'],
      columns: 2,
      sourceFormat: 'csv',
      dataFile: 'datasets/d/v1.parquet',
    });
  });

  it('keeps separate datasets apart and finds them by id or name', () => {
    const a = add('alpha', 'h');
    const b = add('beta', 'h'); // the same content under another name is another dataset
    expect(
      repo
        .list()
        .map((d) => d.name)
        .sort(),
    ).toEqual(['alpha', 'beta']);
    expect(repo.find('ALPHA')?.id).toBe(a.datasetId);
    expect(repo.find(b.datasetId)?.name).toBe('beta');
    expect(repo.find('gamma')).toBeUndefined();
  });

  it("keeps a pipeline's tables out of the list, readable by id and name, and traced to their source", () => {
    const source = add('flowers', 'h1');
    const table = add('flowers-pipe.train', 'h2', 3, undefined, { pipelineId: 'p1', sourceVersionId: source.id });
    expect(repo.list().map((d) => d.name)).toEqual(['flowers']);
    expect(repo.find(table.datasetId)?.name).toBe('flowers-pipe.train');
    expect(repo.find('flowers-pipe.train')?.id).toBe(table.datasetId);
    expect(db.prepare('SELECT source_version_id FROM dataset_versions WHERE id = ?').get(table.id)).toEqual({
      source_version_id: source.id,
    });
    // A pipeline adding to the user's dataset does not hide it; the user adding to a pipeline's makes it theirs.
    add('flowers', 'h3', 3, undefined, { pipelineId: 'p1' });
    expect(repo.list().map((d) => d.name)).toEqual(['flowers']);
    add('flowers-pipe.train', 'h4');
    expect(
      repo
        .list()
        .map((d) => d.name)
        .sort(),
    ).toEqual(['flowers', 'flowers-pipe.train']);
  });

  it('hashesByName maps the content hashes stored under a name to their version ids', () => {
    const v1 = add('iris', 'h1');
    const v2 = add('iris', 'h2');
    add('other', 'h3');
    expect(repo.hashesByName('Iris')).toEqual(
      new Map([
        ['h1', v1.id],
        ['h2', v2.id],
      ]),
    );
    expect(repo.hashesByName('nothing').size).toBe(0);
  });

  it('refuses the same content twice under one dataset and leaves nothing half-written', () => {
    add('iris', 'h1');
    expect(() => add('iris', 'h1')).toThrow(/UNIQUE/);
    const [dataset] = repo.list();
    expect(dataset?.versionCount).toBe(1);
  });

  it('rolls back the new dataset row when its first version cannot be stored', () => {
    add('iris', 'h1');
    // Same version id twice: the version insert fails after the dataset insert ran.
    expect(() =>
      repo.addVersion(
        'fresh',
        {
          kind: 'table',
          id: 'v1',
          datasetId: 'dnew',
          contentHash: 'x',
          sourcePath: 'p',
          sourceFormat: 'csv',
          sizeBytes: 1,
          rows: 1,
          skippedRows: 0,
          dataFile: 'f',
          profile: [],
          warnings: [],
        },
        'now',
      ),
    ).toThrow();
    expect(repo.find('fresh')).toBeUndefined();
    expect((db.prepare('SELECT count(*) AS n FROM datasets').get() as { n: number }).n).toBe(1);
  });

  it('applies a type override to the profile, and removes it when set back to the inferred type', () => {
    const v = add('iris', 'h1');
    const corrected = column('a', { type: 'categorical', topValues: [{ value: '1', count: 2 }] });
    repo.setColumnOverride(v.id, corrected, 'now');
    expect(repo.profile(v.id)).toEqual([corrected, column('b')]);
    // A second correction replaces the first.
    const again = column('a', { type: 'text' });
    repo.setColumnOverride(v.id, again, 'later');
    expect(repo.profile(v.id)[0]).toEqual(again);
    repo.setColumnOverride(v.id, column('a'), 'latest');
    expect(repo.profile(v.id)).toEqual([column('a'), column('b')]);
    expect((db.prepare('SELECT count(*) AS n FROM column_type_overrides').get() as { n: number }).n).toBe(0);
  });

  it('an override belongs to one version only', () => {
    const v1 = add('iris', 'h1');
    const v2 = add('iris', 'h2');
    repo.setColumnOverride(v1.id, column('a', { type: 'text' }), 'now');
    expect(repo.profile(v2.id)[0]?.type).toBe('integer');
    expect(repo.profile('no-such-version')).toEqual([]);
  });

  it("records an image version with its kind and summary, and refuses pictures under a table's name", () => {
    const images = { classes: { cat: 2, dog: 1 }, skipped: [{ file: 'cat/x.png', reason: 'the file is empty' }] };
    const v = repo.addVersion(
      'pets',
      {
        kind: 'images',
        id: 'img1',
        datasetId: 'dimg',
        contentHash: 'hi',
        sourcePath: '/data/pets',
        sourceFormat: 'folder',
        sizeBytes: 10,
        rows: 3,
        skippedRows: 1,
        dataFile: 'datasets/dimg/img1.parquet',
        profile: [],
        warnings: [],
        images,
      },
      '2026-01-02T00:00:00Z',
    );
    expect(v).toMatchObject({ sourceFormat: 'folder', columns: 2, images });
    expect(repo.find('pets')).toMatchObject({ kind: 'images', rows: 3, columns: 2 });
    add('iris', 'h1');
    expect(repo.find('iris')?.kind).toBe('table');
    expect(() =>
      repo.addVersion(
        'iris',
        { ...v, kind: 'images', id: 'img2', contentHash: 'h2', profile: [] },
        '2026-01-03T00:00:00Z',
      ),
    ).toThrow(/holds a table/);
    expect(repo.versions(repo.find('iris')?.id ?? '')).toHaveLength(1);
  });
});
