// Batch scoring through CairnService: a model trained by a run scores a file with its saved
// preprocessing, giving exactly what the loaded model's predictor gives on the same rows, with
// per-field errors that name the file's row, and output files written whole.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifacts } from '../../../../../electron/core/training/artifacts.js';
import { csvField, outFormat } from '../../../../../electron/core/training/predict-file.js';
import { decodeValues, transformRecords } from '../../../../../electron/core/training/preprocess.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { CairnError } from '../../../../../electron/core/errors.js';
import { tempDir } from '../helpers.js';
import { classificationCsv, regressionCsv } from './data.js';

process.env.CAIRN_BACKEND = 'cpu';

let dir: string;
let home: string;
let cleanup: () => Promise<void>;
let service: CairnService;

const quick = { epochs: 5, learningRate: 0.01, hiddenLayers: [{ units: 8 }] };
const records = [
  { x1: 1.5, x2: 0.25, color: 'red' },
  { x1: -1, x2: -0.5, color: 'purple' },
  { x1: 0.1, x2: null, color: 'blue' },
  { x1: -2, x2: 1.75, color: null },
];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-predict-'));
  home = path.join(dir, 'home');
  service = await CairnService.open({ home, host: 'cli' });
  await writeFile(path.join(dir, 'flowers.csv'), classificationCsv());
  await writeFile(path.join(dir, 'prices.csv'), regressionCsv());
  for (const f of ['flowers.csv', 'prices.csv'])
    await service.invoke('datasets.importNow', { path: path.join(dir, f) });
  await service.invoke('runs.startNow', { dataset: 'flowers', target: 'label', ...quick });
  await service.invoke('runs.startNow', {
    dataset: 'prices',
    target: 'y',
    model: 'linear_regression',
    epochs: 5,
    learningRate: 0.05,
  });
  const csv = ['x1,x2,color,id', ...records.map((r, i) => `${r.x1},${r.x2 ?? ''},${r.color ?? ''},${i}`)].join('\n');
  await writeFile(path.join(dir, 'new.csv'), `${csv}\n`);
});
afterAll(async () => {
  await service.close();
  await cleanup();
});

async function loaded(name: string) {
  return loadArtifacts(path.join(home, 'models', name, '1'));
}

describe('models.predictFile', () => {
  it("gives the same probabilities and labels as the loaded model's predictor on the same rows, unknown category included", async () => {
    const r = await service.invoke('models.predictFile', { model: 'flowers', path: path.join(dir, 'new.csv') });
    expect(r).toMatchObject({ model: { name: 'flowers', version: 1 }, task: 'classification', rows: 4, out: null });
    const artifacts = await loaded('flowers');
    const { predictor, preprocess } = artifacts;
    const classes = r.classes as string[];
    expect(classes).toHaveLength(2);
    const expected = predictor.predict(transformRecords(preprocess, records), records.length);
    artifacts.dispose();
    const predictions = r.predictions as { label: string; probabilities: Record<string, number> }[];
    expect(predictions).toHaveLength(4);
    predictions.forEach((p, i) => {
      const probs = classes.map((c) => p.probabilities[c]);
      expect(probs).toEqual(Array.from(expected.subarray(i * 2, i * 2 + 2)));
      expect(p.label).toBe(classes[(probs[1] as number) > (probs[0] as number) ? 1 : 0]);
    });
    expect(r.columns).toEqual(['x1', 'x2', 'color', 'id', 'prediction', ...classes.map((c) => `probability_${c}`)]);
    expect(r.preview[1]?.slice(0, 3)).toEqual([-1, -0.5, 'purple']);
  });

  it("predicts regression values as the loaded model's predictor does, and reads NDJSON the same as CSV", async () => {
    const rows = [
      { x1: 1, x2: 2 },
      { x1: -0.5, x2: 0.25 },
    ];
    await writeFile(path.join(dir, 'new.ndjson'), rows.map((r) => JSON.stringify(r)).join('\n'));
    const r = await service.invoke('models.predictFile', {
      model: 'prices',
      version: 1,
      path: path.join(dir, 'new.ndjson'),
    });
    const artifacts = await loaded('prices');
    const { predictor, preprocess } = artifacts;
    const expected = predictor.predict(transformRecords(preprocess, rows), rows.length);
    artifacts.dispose();
    expect(r.task).toBe('regression');
    expect(r.classes).toBeNull();
    // The network's outputs are standardised; predictions come back in the target's units.
    expect(r.predictions).toEqual(Array.from(decodeValues(preprocess, expected), (value) => ({ value })));
  });

  it('names the file row of each invalid field: a missing column, a value of the wrong type', async () => {
    await writeFile(path.join(dir, 'nox2.csv'), 'x1,color\n1,red\n2,blue\n');
    const err = await service
      .invoke('models.predictFile', { model: 'flowers', path: path.join(dir, 'nox2.csv') })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CairnError);
    expect((err as CairnError).code).toBe('invalid_argument');
    expect((err as CairnError).message).toBe(
      'nox2.csv: 2 invalid fields for this model (row 1 field "x2" is missing; row 2 field "x2" is missing)',
    );
    expect((err as CairnError).details?.errors).toEqual([
      { row: 1, field: 'x2', message: 'is missing (send null for an unknown value)' },
      { row: 2, field: 'x2', message: 'is missing (send null for an unknown value)' },
    ]);

    // Row 3 of the second batch (batches of 8192 rows): row numbers count from the file's start.
    const lines = [
      'x1,x2,color',
      ...Array.from({ length: 8194 }, (_v, i) => (i === 8193 ? 'oops,1,red' : `${i % 3},1,red`)),
    ];
    await writeFile(path.join(dir, 'typo.csv'), `${lines.join('\n')}\n`);
    await expect(
      service.invoke('models.predictFile', { model: 'flowers', path: path.join(dir, 'typo.csv') }),
    ).rejects.toThrow(/typo\.csv: 1 invalid field for this model \(row 8194 field "x1" is not a finite number\)/);
  });

  it('writes CSV, JSON and NDJSON output whole, with formulas defused', async () => {
    await writeFile(
      path.join(dir, 'notes.csv'),
      'x1,x2,color,note\n1,1,red,=HYPERLINK("x")\n-1,-1,blue,"a,b"\n0,0,red,-3\n',
    );
    const out = path.join(dir, 'scored.csv');
    const r = await service.invoke('models.predictFile', { model: 'flowers', path: path.join(dir, 'notes.csv'), out });
    expect(r).toMatchObject({ rows: 3, out });
    expect(r.predictions).toBeUndefined();
    const text = (await readFile(out, 'utf8')).trim().split('\n');
    expect(text[0]).toMatch(/^x1,x2,color,note,prediction,probability_/);
    expect(text[1]).toMatch(/^1,1,red,"'=HYPERLINK\(""x""\)",/);
    expect(text[2]).toMatch(/^-1,-1,blue,"a,b",/);
    expect(text[3]).toMatch(/^0,0,red,-3,/);
    for (const f of ['scored.json', 'scored.ndjson']) {
      await service.invoke('models.predictFile', {
        model: 'flowers',
        path: path.join(dir, 'notes.csv'),
        out: path.join(dir, f),
      });
    }
    const json = JSON.parse(await readFile(path.join(dir, 'scored.json'), 'utf8')) as Record<string, unknown>[];
    expect(json).toHaveLength(3);
    expect(json[0]).toMatchObject({ x1: 1, note: '=HYPERLINK("x")' });
    const nd = (await readFile(path.join(dir, 'scored.ndjson'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(nd).toEqual(json);
    // A failed run leaves neither the output nor a partial file behind.
    await expect(
      service.invoke('models.predictFile', {
        model: 'flowers',
        path: path.join(dir, 'nox2.csv'),
        out: path.join(dir, 'never.csv'),
      }),
    ).rejects.toThrow(/invalid field/);
    expect((await readdir(dir)).filter((f) => f.includes('never'))).toEqual([]);
  });

  it('fails clearly on an unknown model or version', async () => {
    await expect(
      service.invoke('models.predictFile', { model: 'nope', path: path.join(dir, 'new.csv') }),
    ).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/no model named "nope"/) as unknown,
    });
    await expect(
      service.invoke('models.predictFile', { model: 'flowers', version: 9, path: path.join(dir, 'new.csv') }),
    ).rejects.toMatchObject({
      code: 'not_found',
      message: 'model "flowers" has no version 9 (its latest is 1)',
    });
  });
});

describe('output helpers', () => {
  it('escapes CSV fields and defuses formulas but not numbers', () => {
    expect(
      ['plain', 'a,b', 'say "hi"', 'two\nlines', '=1+2', '+x', '-x', '@sum', '-3', '+1.5e3', null, 2.5, true].map(
        csvField,
      ),
    ).toEqual([
      'plain',
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      "'=1+2",
      "'+x",
      "'-x",
      "'@sum",
      '-3',
      '+1.5e3',
      '',
      '2.5',
      'true',
    ]);
    expect([
      outFormat('a.json'),
      outFormat('a.NDJSON'),
      outFormat('a.jsonl'),
      outFormat('a.csv'),
      outFormat('a.txt'),
    ]).toEqual(['json', 'ndjson', 'ndjson', 'csv', 'csv']);
  });
});
