// CairnService end to end on a fresh data folder: immutable versions, dedupe by content hash,
// column type corrections, and errors as data at the boundary.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../../../shared/api.js';
import { datasetNameFromPath } from '../../../../electron/core/service.js';
import { datasetRowCounts, filesUnder, freshService, tempDir } from './helpers.js';

let svc: Awaited<ReturnType<typeof freshService>>;
let src: string;
let cleanupSrc: () => Promise<void>;

beforeAll(async () => {
  svc = await freshService();
  ({ dir: src, cleanup: cleanupSrc } = await tempDir('cairn-src-'));
});
afterAll(async () => {
  await svc.close();
  await cleanupSrc();
});

async function csv(name: string, content: string): Promise<string> {
  const file = path.join(src, name);
  await writeFile(file, content);
  return file;
}

describe('versions', () => {
  let v1: ImportResult;

  it('creates version 1 on the first import, named after the file', async () => {
    const file = await csv('sales.csv', 'region,amount\nnorth,10\nsouth,20\nnorth,30\n');
    v1 = await svc.service.invoke('datasets.importNow', { path: file });
    expect(v1).toMatchObject({ name: 'sales', version: 1, rows: 3, created: true, skippedRows: 0 });
    expect(await filesUnder(path.join(svc.home, 'datasets'))).toEqual([
      path.join(v1.datasetId, `${v1.versionId}.parquet`),
    ]);
    expect(await filesUnder(path.join(svc.home, 'work'))).toEqual([]);
  });

  it('recognises identical content by its hash and creates nothing, even from another path', async () => {
    const copy = await csv('elsewhere.csv', 'region,amount\nnorth,10\nsouth,20\nnorth,30\n');
    const again = await svc.service.invoke('datasets.importNow', { path: copy, name: 'sales' });
    expect(again).toMatchObject({
      created: false,
      version: 1,
      versionId: v1.versionId,
      datasetId: v1.datasetId,
      rows: 3,
    });
    expect(datasetRowCounts(svc.home)).toMatchObject({ datasets: 1, versions: 1 });
    expect(await filesUnder(path.join(svc.home, 'datasets'))).toHaveLength(1);
  });

  it('makes changed content under the same name version 2 and keeps version 1 as it was', async () => {
    const file = await csv('sales.csv', 'region,amount\nnorth,10\nsouth,20\nnorth,30\neast,40\n');
    const v2 = await svc.service.invoke('datasets.importNow', { path: file });
    expect(v2).toMatchObject({ created: true, version: 2, datasetId: v1.datasetId, rows: 4 });
    expect(v2.versionId).not.toBe(v1.versionId);
    const [listed] = await svc.service.invoke('datasets.list', {});
    expect(listed).toMatchObject({ name: 'sales', latestVersion: 2, versionCount: 2, rows: 4 });
    const old = await svc.service.invoke('datasets.get', { ref: 'sales', version: 1 });
    expect(old.version).toMatchObject({ version: 1, rows: 3 });
    expect(old.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(old.versions[0]?.contentHash).not.toBe(old.versions[1]?.contentHash);
    const page = await svc.service.invoke('datasets.rows', { versionId: v1.versionId });
    expect(page.total).toBe(3);
    // Importing version 1's content again is still recognised.
    const back = await csv('sales.csv', 'region,amount\nnorth,10\nsouth,20\nnorth,30\n');
    expect(await svc.service.invoke('datasets.importNow', { path: back })).toMatchObject({
      created: false,
      version: 1,
    });
    expect(datasetRowCounts(svc.home)).toMatchObject({ datasets: 1, versions: 2 });
  });

  it('finds a dataset by name (any case), id or version id, and says not_found otherwise', async () => {
    expect((await svc.service.invoke('datasets.get', { ref: 'SALES' })).version.version).toBe(2);
    expect((await svc.service.invoke('datasets.get', { ref: v1.datasetId })).dataset.name).toBe('sales');
    expect((await svc.service.invoke('datasets.get', { ref: v1.versionId })).version.version).toBe(1);
    const missing = await svc.service.call('datasets.get', { ref: 'nope' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const noVersion = await svc.service.call('datasets.get', { ref: 'sales', version: 9 });
    expect(noVersion).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('column type corrections', () => {
  let versionId: string;

  beforeAll(async () => {
    const lines = ['code,label,amount'];
    for (let i = 0; i < 40; i++)
      lines.push(`${(i % 4) + 1},${i % 10 === 0 ? 'n/a-' + String(i) : String(i * 1.5)}x,${i}`);
    // label: mostly "1.5x"-like text; make some values numeric so a numeric correction finds both.
    const body = lines.map((l, i) => (i > 0 && i % 2 === 0 ? l.replace(/,([^,]*)x,/, ',$1,') : l)).join('\n');
    const file = await csv('codes.csv', `${body}\n`);
    versionId = (await svc.service.invoke('datasets.importNow', { path: file })).versionId;
  });

  it('corrects an integer code column to categorical, which brings top values', async () => {
    const before = (await svc.service.invoke('datasets.get', { ref: versionId })).columns[0];
    expect(before).toMatchObject({ name: 'code', type: 'integer', inferredType: 'integer' });
    expect(before?.topValues).toBeUndefined();
    const corrected = await svc.service.invoke('datasets.setColumnType', {
      versionId,
      column: 'code',
      type: 'categorical',
    });
    expect(corrected).toMatchObject({ type: 'categorical', inferredType: 'integer', distinct: 4, invalid: 0 });
    expect(corrected.topValues).toEqual([
      { value: '1', count: 10 },
      { value: '2', count: 10 },
      { value: '3', count: 10 },
      { value: '4', count: 10 },
    ]);
    // Stored: the profile the service hands out now carries the correction.
    const after = await svc.service.invoke('datasets.get', { ref: versionId });
    expect(after.columns[0]).toEqual(corrected);
    expect(datasetRowCounts(svc.home).overrides).toBe(1);
  });

  it('corrects a text column to numeric and counts the values that are not numbers', async () => {
    const label = (await svc.service.invoke('datasets.get', { ref: versionId })).columns[1];
    expect(label?.type).toBe('text');
    const corrected = await svc.service.invoke('datasets.setColumnType', {
      versionId,
      column: 'label',
      type: 'numeric',
    });
    expect(corrected.type).toBe('numeric');
    expect(corrected.invalid).toBe(20); // the odd lines kept their "x"
    expect(corrected.missing).toBe(0);
    expect(typeof corrected.mean).toBe('number');
  });

  it('previews a type change without storing it, counting the values it would invalidate', async () => {
    const before = datasetRowCounts(svc.home);
    const preview = await svc.service.invoke('datasets.previewColumnType', {
      versionId,
      column: 'code',
      type: 'datetime',
    });
    // Small integers are no dates: every value would become invalid.
    expect(preview).toMatchObject({ name: 'code', type: 'datetime', inferredType: 'integer', invalid: 40 });
    const cols = (await svc.service.invoke('datasets.get', { ref: versionId })).columns;
    expect(cols[0]?.type).toBe('categorical');
    expect(datasetRowCounts(svc.home)).toEqual(before);
  });

  it('setting the inferred type back removes the correction', async () => {
    await svc.service.invoke('datasets.setColumnType', { versionId, column: 'code', type: 'integer' });
    await svc.service.invoke('datasets.setColumnType', { versionId, column: 'label', type: 'text' });
    const cols = (await svc.service.invoke('datasets.get', { ref: versionId })).columns;
    expect(cols.map((c) => c.type)).toEqual(['integer', 'text', 'integer']);
    expect(datasetRowCounts(svc.home).overrides).toBe(0);
  });

  it('refuses an unknown column or version', async () => {
    expect(await svc.service.call('datasets.setColumnType', { versionId, column: 'nope', type: 'text' })).toMatchObject(
      {
        ok: false,
        error: { code: 'invalid_argument' },
      },
    );
    expect(
      await svc.service.call('datasets.setColumnType', { versionId: 'nope', column: 'code', type: 'text' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});

describe('the call boundary', () => {
  it('returns errors as {code, message}, never throws', async () => {
    expect(await svc.service.call('no.such.method', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    const bad = await svc.service.call('datasets.importNow', { path: '' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    const rows = await svc.service.call('datasets.rows', { versionId: 'x', limit: 5000 });
    expect(rows).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('says not_found for a file that does not exist, and records nothing', async () => {
    const before = datasetRowCounts(svc.home);
    const reply = await svc.service.call('datasets.importNow', { path: path.join(src, 'missing.csv') });
    expect(reply).toMatchObject({ ok: false, error: { code: 'not_found' } });
    if (!reply.ok) expect(reply.error.message).toContain('missing.csv');
    expect(datasetRowCounts(svc.home)).toEqual(before);
  });

  it('refuses an unknown column in datasets.rows with invalid_argument', async () => {
    const [dataset] = await svc.service.invoke('datasets.list', {});
    const detail = await svc.service.invoke('datasets.get', { ref: dataset?.id ?? '' });
    const reply = await svc.service.call('datasets.rows', {
      versionId: detail.version.id,
      sort: { column: 'nope', direction: 'asc' },
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_argument', message: 'unknown column "nope"' } });
  });
});

describe('datasetNameFromPath', () => {
  it('uses the base name without its extension', () => {
    expect(datasetNameFromPath('/a/b/Sales 2024.csv')).toBe('Sales 2024');
    expect(datasetNameFromPath('C.tar.csv')).toBe('C.tar');
    expect(datasetNameFromPath('/x/.csv')).toBe('dataset');
  });
});
