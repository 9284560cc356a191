// Model bundles: export then import gives a version that predicts exactly as the original, with
// its lineage and card; and import refuses every hostile or broken bundle, leaving nothing behind.
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle, DEFAULT_LIMITS } from '../../../../../electron/core/registry/bundle.js';
import { type CairnError } from '../../../../../electron/core/errors.js';
import type { CairnService } from '../../../../../electron/core/service.js';
import { filesUnder, freshService } from '../helpers.js';
import { classificationCsv } from '../training/data.js';
import { buildZip, rehash, type FixtureEntry } from './zip-fixture.js';
import { failure, importRefusal } from './import-refusal.js';

process.env.CAIRN_BACKEND = 'cpu';

let service: CairnService;
let home: string;
let tmp: string;
let close: () => Promise<void>;
/** The files of a good bundle (bundle.json included), to break one thing at a time. */
let good: Map<string, Buffer>;

beforeAll(async () => {
  ({ service, home, close } = await freshService());
  tmp = path.dirname(home);
  await writeFile(path.join(tmp, 'flowers.csv'), classificationCsv());
  await writeFile(path.join(tmp, 'new.csv'), 'x1,x2,color\n1,1,red\n-1,-1,blue\n0.3,-0.1,green\n');
  await service.invoke('datasets.importNow', { path: path.join(tmp, 'flowers.csv') });
  await service.invoke('runs.startNow', {
    dataset: 'flowers',
    target: 'label',
    epochs: 3,
    learningRate: 0.01,
    hiddenLayers: [{ units: 4 }],
  });
  await service.invoke('models.updateVersion', { name: 'flowers', version: 1, notes: 'baseline', tags: ['v1'] });
});
afterAll(async () => close());

describe('export and import', () => {
  it('exports a zip that imports as a new model predicting exactly as the original', async () => {
    const out = path.join(tmp, 'flowers.zip');
    const r = await service.invoke('models.export', { name: 'flowers', out });
    expect(r).toMatchObject({ name: 'flowers', version: 1, path: out });
    expect(r.bytes).toBeGreaterThan(500);
    const v = await service.invoke('models.import', { path: out, name: 'flowers-copy' });
    expect(v).toMatchObject({
      name: 'flowers-copy',
      version: 1,
      origin: 'import',
      task: 'classification',
      notes: 'baseline',
      tags: ['v1'],
      importedFrom: { name: 'flowers', version: 1 },
    });
    const original = (await service.invoke('models.get', { name: 'flowers' })).versions[0];
    expect(v.lineage).toEqual(original?.lineage);
    expect(v.sha256).toBe(original?.sha256);
    const card = await service.invoke('models.card', { name: 'flowers-copy' });
    expect(card.trainingData).toEqual((await service.invoke('models.card', { name: 'flowers' })).trainingData);
    const file = path.join(tmp, 'new.csv');
    const a = await service.invoke('models.predictFile', { model: 'flowers', path: file });
    const b = await service.invoke('models.predictFile', { model: 'flowers-copy', path: file });
    expect(b.predictions).toEqual(a.predictions);
    expect(await filesUnder(path.join(home, 'work'))).toEqual([]);
    good = new Map();
    const dir = path.join(home, 'models', 'flowers-copy', '1');
    for (const name of await readdir(dir)) good.set(name, await readFile(path.join(dir, name)));
    expect([...good.keys()].sort()).toEqual([
      'artifact.json',
      'bundle.json',
      'card.json',
      'explain.json',
      'model.json',
      'preprocess.json',
      'weights.bin',
    ]);
  });

  it("imports under the bundle's name by default, as the next version; an alias exports too", async () => {
    await service.invoke('models.setAlias', { name: 'flowers', alias: 'production', version: 1 });
    const out = path.join(tmp, 'prod.zip');
    await service.invoke('models.export', { name: 'flowers@production', out });
    const v = await service.invoke('models.import', { path: out });
    expect(v).toMatchObject({ name: 'flowers', version: 2, origin: 'import' });
    expect((await service.invoke('models.list', {})).map((m) => [m.name, m.versionCount, m.task])).toEqual([
      ['flowers', 2, 'classification'],
      ['flowers-copy', 1, 'classification'],
    ]);
  });
});

describe('import refuses', () => {
  let n = 0;
  /** Imports a zip of `entries` and returns its error, after checking it left nothing behind. */
  async function refusal(entries: FixtureEntry[]): Promise<CairnError> {
    return importRefusal(service, home, path.join(tmp, `bad-${++n}.zip`), entries);
  }
  const base = () => rehash(good);

  it('a good bundle rebuilt by the fixture generator (the control)', async () => {
    const file = path.join(tmp, 'control.zip');
    await writeFile(file, buildZip(base()));
    expect(await service.invoke('models.import', { path: file, name: 'control' })).toMatchObject({
      name: 'control',
      version: 1,
    });
  });

  it('an entry with ..', async () => {
    const err = await refusal([...base(), { name: '../escape.txt', data: Buffer.from('x') }]);
    expect(err.message).toMatch(/invalid relative path/);
    expect(existsSync(path.join(home, 'work', '..', 'escape.txt'))).toBe(false);
  });

  it('an absolute entry', async () => {
    expect((await refusal([...base(), { name: '/tmp/cairn-absolute.txt', data: Buffer.from('x') }])).message).toMatch(
      /absolute path/,
    );
    expect(existsSync('/tmp/cairn-absolute.txt')).toBe(false);
  });

  it('a symbolic link entry', async () => {
    const entries = base().map((e) =>
      e.name === 'card.json' ? { ...e, mode: 0o120777, data: Buffer.from('/etc/passwd') } : e,
    );
    expect((await refusal(entries)).message).toMatch(/card\.json is a symbolic link/);
  });

  it('a folder entry, or a file inside one', async () => {
    expect((await refusal([...base(), { name: 'sub/', data: Buffer.alloc(0) }])).message).toMatch(/holds a folder/);
    expect((await refusal([...base(), { name: 'sub/x.json', data: Buffer.from('{}') }])).message).toMatch(
      /not a bare file name/,
    );
  });

  it('a weights path in model.json that is not a bare name', async () => {
    const entries = rehash(good, (files) => {
      const model = JSON.parse((files.get('model.json') as Buffer).toString('utf8')) as {
        weightsManifest: { paths: string[] }[];
      };
      (model.weightsManifest[0] as { paths: string[] }).paths = ['../weights.bin'];
      files.set('model.json', Buffer.from(JSON.stringify(model)));
    });
    expect((await refusal(entries)).message).toMatch(
      /weights path that is not a bare file name \("\.\.\/weights\.bin"\)/,
    );
  });

  it('a size that differs from bundle.json', async () => {
    const entries = base().map((e) => {
      if (e.name !== 'bundle.json') return e;
      const b = JSON.parse(e.data.toString('utf8')) as { files: Record<string, { size: number }> };
      (b.files['weights.bin'] as { size: number }).size += 4;
      return { ...e, data: Buffer.from(JSON.stringify(b)) };
    });
    expect((await refusal(entries)).message).toMatch(/weights\.bin has \d+ bytes where bundle\.json says \d+/);
  });

  it('a hash that differs from bundle.json', async () => {
    const entries = base().map((e) => {
      if (e.name !== 'weights.bin') return e;
      const data = Buffer.from(e.data);
      data[0] = (data[0] ?? 0) ^ 0xff;
      return { ...e, data };
    });
    expect((await refusal(entries)).message).toMatch(/weights\.bin does not match its sha256 in bundle\.json/);
  });

  it('a weights file that disagrees with artifact.json, even when bundle.json was rewritten to match', async () => {
    const final = rehash(
      good,
      (files) => files.set('weights.bin', Buffer.alloc((good.get('weights.bin') as Buffer).length)),
      {
        keepArtifactManifest: true,
      },
    );
    expect((await refusal(final)).message).toMatch(/weights\.bin does not match its sha256 in artifact\.json/);
  });

  it('a zip bomb: an entry compressed far past any real model', async () => {
    const bomb = { name: 'zeros.bin', data: Buffer.alloc(50 * 1024 * 1024) };
    const entries = rehash(new Map([...good, [bomb.name, bomb.data]]));
    expect((await refusal(entries)).message).toMatch(/zeros\.bin is compressed more than 100 to 1/);
  });

  it('an entry that inflates past the size it declares', async () => {
    const entries = base().map((e) => (e.name === 'weights.bin' ? { ...e, declaredSize: 16 } : e));
    expect((await refusal(entries)).message).toMatch(/weights\.bin|too many bytes|declared/);
  });

  it('a missing file', async () => {
    expect((await refusal(base().filter((e) => e.name !== 'preprocess.json'))).message).toMatch(
      /preprocess\.json is listed in bundle\.json but missing from the zip/,
    );
    const withoutCard = rehash(good, (files) => files.delete('card.json'));
    expect((await refusal(withoutCard)).message).toMatch(/card\.json is missing/);
  });

  it('an entry bundle.json does not list, or no bundle.json at all', async () => {
    expect((await refusal([...base(), { name: 'extra.txt', data: Buffer.from('hi') }])).message).toMatch(
      /extra\.txt is in the zip but not listed/,
    );
    expect((await refusal(base().filter((e) => e.name !== 'bundle.json'))).message).toMatch(/no bundle\.json/);
  });

  it('a file that is not a zip', async () => {
    await writeFile(path.join(tmp, 'not.zip'), 'hello');
    expect((await failure(service.invoke('models.import', { path: path.join(tmp, 'not.zip') }))).message).toMatch(
      /not a valid, safe zip bundle/,
    );
  });

  it('entries or totals over the caps', async () => {
    const file = path.join(tmp, 'capped.zip');
    await writeFile(file, buildZip(base()));
    const work = path.join(home, 'work');
    const largest = Math.max(...[...good.values()].map((b) => b.length));
    await expect(readBundle(file, work, { ...DEFAULT_LIMITS, maxEntryBytes: largest - 1 })).rejects.toThrow(
      /would inflate to \d+ bytes \(at most/,
    );
    await expect(readBundle(file, work, { ...DEFAULT_LIMITS, maxTotalBytes: largest + 10 })).rejects.toThrow(
      /inflate to more than|larger than/,
    );
    await expect(readBundle(file, work, { ...DEFAULT_LIMITS, maxEntries: 3 })).rejects.toThrow(/entries \(at most 3\)/);
    expect(await filesUnder(work)).toEqual([]);
  });
});
